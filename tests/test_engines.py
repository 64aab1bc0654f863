"""The real site built by `evidence build --engine mkdocs|properdocs|zensical`: the same pages,
bodies, titles, descriptions, tables of contents, heading ids and JSON-LD under every engine,
and edit links that open the card. Theme chrome (header, navigation, search, scripts) differs
between Material and Zensical's theme and is not compared."""

from __future__ import annotations

import html
import json
import posixpath
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from generator.config import read_mkdocs_yml
from generator.core.load import load_evidence
from generator.safepath import SITE_MARK
from tests.conftest import ROOT, evidence_cli, make_project

ENGINES = ("mkdocs", "properdocs", "zensical")
REPO = read_mkdocs_yml(ROOT)["repo_url"].rstrip("/")


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("engines") / "project", ROOT / "content")


@pytest.fixture(scope="module")
def sites(real: Path) -> dict[str, Path]:
    """The real site built once per engine (without handouts: they are not the engine's)."""
    out = {}
    for engine in ENGINES:
        result = evidence_cli("build", "--no-pdf", "--engine", engine, "--out",
                              str(real.parent / f"site-{engine}"), cwd=real)
        assert result.returncode == 0, result.stderr
        out[engine] = real.parent / f"site-{engine}"
    return out


# --- normalising a page ---------------------------------------------------------------------

class _Toc(HTMLParser):
    """The table of contents as (depth, href, text), from the list data-md-component=toc."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # <ul> depth inside the toc; 0 outside it
        self.items: list[list[Any]] = []
        self.link: list[Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "ul" and (self.depth or a.get("data-md-component") == "toc"):
            self.depth += 1
        elif tag == "a" and self.depth:
            self.link = [self.depth, a.get("href"), ""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "ul" and self.depth:
            self.depth -= 1
        elif tag == "a" and self.link is not None:
            self.link[2] = " ".join(self.link[2].split())
            self.items.append(self.link)
            self.link = None

    def handle_data(self, data: str) -> None:
        if self.link is not None:
            self.link[2] += data


def toc(page: str) -> list[tuple[int, str, str]]:
    parser = _Toc()
    parser.feed(page)
    return [tuple(item) for item in parser.items]


_LINK = re.compile(r'\b(href|src)="([^"]*)"')


def _resolve(url: str, page_url: str) -> str:
    """A link as a path from the site root (`../data/evidence.json` on /data/ → /data/…)."""
    url = html.unescape(url)
    if re.match(r"^[a-z]+:|^#|^//", url):
        return url
    path, _, frag = url.partition("#")
    path = path.split("?")[0]
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page_url), path)) if path \
        else page_url
    if path.endswith("/") and not joined.endswith("/"):
        joined += "/"
    return joined.replace("/index.html", "/") + (f"#{frag}" if frag else "")


def article(page: str, page_url: str) -> str:
    """The page's <article>, without the actions and skip anchor, links from the root."""
    body = page[page.find("<article"):page.find("</article>")]
    body = re.sub(r'<a id="__skip" tabindex="-1"></a>', "", body)
    body = re.sub(r'<a href="[^"]*" title="[^"]*" class="md-content__button.*?</a>', "", body,
                  flags=re.S)
    body = _LINK.sub(lambda m: f'{m[1]}="{_resolve(m[2], page_url)}"', body)
    return " ".join(html.unescape(body).split())


def summary(page: str, path: str) -> dict[str, Any]:
    """Everything compared between engines, of one HTML page (path from the site root)."""
    page_url = "/" + path
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    described = re.search(r'<meta name="description" content="([^"]*)"', page)
    body = article(page, page_url)
    return {
        "title": html.unescape(title[1]).strip() if title else None,
        "description": html.unescape(described[1]) if described else None,
        "jsonld": [json.loads(s) for s in re.findall(
            r'<script type="application/ld\+json">(.*?)</script>', page, re.S)],
        "toc": toc(page),
        "ids": re.findall(r'<h[1-6][^>]* id="([^"]+)"', body),
        "body": body,
    }


def edit_links(page: str) -> list[str]:
    return [html.unescape(u) for u in re.findall(r'href="([^"]+)"[^>]*rel="edit"', page)]


def pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("index.html")} | {"404.html"}


# --- tests ----------------------------------------------------------------------------------

def test_every_engine_builds_the_same_pages_and_one_per_card(real: Path,
                                                             sites: dict[str, Path]) -> None:
    evidence, _ = load_evidence(real)
    claims = {f"claims/{c.id}/index.html" for c in evidence.cards}
    for engine, site in sites.items():
        assert pages(site) == pages(sites["mkdocs"]), engine
        assert claims <= pages(site) and len(evidence.cards) > 50, engine


@pytest.mark.parametrize("engine", ["properdocs", "zensical"])
def test_bodies_titles_tocs_ids_and_jsonld_are_those_of_mkdocs(engine: str,
                                                                sites: dict[str, Path]) -> None:
    differ: dict[str, list[str]] = {}
    for path in sorted(pages(sites["mkdocs"])):
        want = summary((sites["mkdocs"] / path).read_text("utf-8"), path)
        got = summary((sites[engine] / path).read_text("utf-8"), path)
        for field in want:
            if got[field] != want[field]:
                differ.setdefault(field, []).append(path)
    assert differ == {}, {k: (len(v), v[:3]) for k, v in differ.items()}
    claim = summary((sites[engine] / "claims/mgt-dkk1-dermal-papilla/index.html").read_text(),
                    "claims/mgt-dkk1-dermal-papilla/index.html")
    assert claim["toc"] and claim["jsonld"] and "references" in claim["ids"]  # not vacuous


def test_properdocs_pages_are_mkdocs_pages_but_for_the_generator_tag(
        sites: dict[str, Path]) -> None:
    tag = re.compile(r'<meta name="generator" content="[^"]*">')
    assert 'content="mkdocs-ProperDocs 1.6.7, mkdocs-material"' in (
        sites["properdocs"] / "index.html").read_text()
    for path in sorted(pages(sites["mkdocs"])):
        mk, pd = ((sites[e] / path).read_text("utf-8") for e in ("mkdocs", "properdocs"))
        assert tag.sub("", mk) == tag.sub("", pd), path


@pytest.mark.parametrize("engine", ENGINES)
def test_edit_links_open_the_content_file(engine: str, real: Path,
                                          sites: dict[str, Path]) -> None:
    evidence, _ = load_evidence(real)
    made = {f"claims/{c.id}": c.path for c in evidence.cards}
    made.update({f"forms/{f.id}": f.path for f in evidence.forms})
    made.update({f"articles/{s.id}": s.path for s in evidence.sources})
    site = sites[engine]
    for page, path in made.items():
        assert edit_links((site / page / "index.html").read_text()) == [
            f"{REPO}/edit/main/{path}"], page
    assert edit_links((site / "about/index.html").read_text()) == [
        f"{REPO}/edit/main/docs/about.md"]


@pytest.mark.parametrize("engine", ENGINES)
def test_every_engine_publishes_and_links_the_stylesheet(engine: str,
                                                          sites: dict[str, Path]) -> None:
    """The badges and tables keep their styles whichever engine builds the site."""
    site = sites[engine]
    css = (ROOT / "generator" / "assets" / "evidence.css").read_text(encoding="utf-8")
    assert (site / "assets" / "evidence.css").read_text(encoding="utf-8") == css
    for page in ("index.html", "claims/index.html"):
        linked = re.search(r'href="(?:\./|\.\./)*assets/evidence\.css"',
                           (site / page).read_text(encoding="utf-8"))
        assert linked, (engine, page)


@pytest.mark.parametrize("engine", ENGINES)
def test_every_engine_publishes_and_announces_the_feed(engine: str,
                                                       sites: dict[str, Path]) -> None:
    """The feed of changes (issue 28) is the same under every engine, and every page's
    head points at it, relative to the page."""
    site = sites[engine]
    assert (site / "feed.xml").read_bytes() == (sites["mkdocs"] / "feed.xml").read_bytes()
    for page in ("index.html", "claims/mgt-exp-dermatol-dpc/index.html", "about/index.html"):
        found = re.findall(r'<link [^>]*type="application/atom\+xml"[^>]*>',
                           (site / page).read_text(encoding="utf-8"))
        assert len(found) == 1, (engine, page)
        href = re.search(r'href="([^"]+)"', found[0]).group(1)
        assert ((site / page).parent / href).resolve() == (site / "feed.xml").resolve()


def test_zensical_gets_the_pages_from_a_docs_folder_under_cache(real: Path,
                                                                sites: dict[str, Path]) -> None:
    docs = real / ".cache/zensical/docs"
    assert (docs / "claims/mgt-dkk1-dermal-papilla.md").read_text().startswith("---\ntitle:")
    assert (docs / "about.md").read_bytes() == (real / "docs/about.md").read_bytes()
    assert sorted(p.name for p in real.iterdir()) == [".cache", "content", "docs", "mkdocs.yml",
                                                      "site_overrides"]


def test_an_engine_that_builds_no_claim_pages_fails_loudly(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    config = project / "mkdocs.yml"
    without = re.sub(r"\n  - evidence:?\n(?: {4,}.*\n)*", "\n", config.read_text())
    assert "- evidence" not in without  # the plugin entry and its options are gone
    config.write_text(without.replace("strict: true", "strict: false"))
    (project / "site").mkdir()
    (project / "site/index.html").write_text("old")
    (project / "site" / SITE_MARK).write_text("")  # built before
    result = evidence_cli("build", "--no-pdf", cwd=project)
    assert result.returncode == 1
    assert "build failed: mkdocs built 0 of 2 claim pages (no page for" in result.stderr
    assert "is the evidence plugin listed in mkdocs.yml?" in result.stderr
    assert (project / "site/index.html").read_text() == "old"


def test_a_missing_engine_names_the_command_that_installs_it(project: Path) -> None:
    code = ("import sys; sys.modules['zensical'] = None; from generator.cli import main; "
            "sys.exit(main(['build', '--engine', 'zensical']))")
    result = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr == ("evidence build: the zensical engine is not installed; install it "
                             "with: pip install -e '.[zensical]'\n")
    assert not (project / "site").exists()


ONCE = """
import collections, json, subprocess, sys
from generator.core import load

read, started = [], []
original_read, original_run = load.read_content, subprocess.run


def counted(path, root, rel):
    read.append(rel)
    return original_read(path, root, rel)


def recorded(argv, *args, **kwargs):
    started.append(" ".join(map(str, argv)))
    return original_run(argv, *args, **kwargs)


load.read_content, subprocess.run = counted, recorded
from generator.cli import main

status = main(["build", "--no-pdf"])
print(status, max(collections.Counter(read).values()), len(set(read)), json.dumps(started),
      sep="\\n")
"""


def test_evidence_build_reads_the_content_once_and_runs_mkdocs_in_its_process(
        tmp_path: Path) -> None:
    """Issue 26 §6: `evidence build` loads the evidence once and runs MkDocs through its
    build API, not a second interpreter that reads every card again."""
    project = make_project(tmp_path / "p")
    result = subprocess.run([sys.executable, "-c", ONCE], cwd=project, capture_output=True,
                            text=True, timeout=300)
    status, most, files, started = result.stdout.strip().splitlines()[-4:]
    assert status == "0", result.stderr
    cards = len(list((project / "content/cards").glob("*.yaml")))
    assert int(files) > cards  # cards, forms, sources
    assert most == "1"  # no content file is read twice
    assert not [argv for argv in json.loads(started) if "mkdocs" in argv or "build_run" in argv]
    assert (project / "site/claims/mgt-fphl-trial/index.html").is_file()

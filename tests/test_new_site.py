"""A site made by `evidence init` builds strictly under every engine once it has content (the
example form, article, card and reference of its content/README.md), and every link the
generator writes in it resolves: to a page or file of the site, and to an id on that page."""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.conftest import evidence_cli
from tests.test_init import with_examples

ENGINES = ("mkdocs", "properdocs", "zensical")


@pytest.fixture(scope="module")
def new_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("new") / "site"
    made = evidence_cli("init", str(site), "--title", "Vitamin D and fatigue: evidence audit",
                        "--topic", "vitamin D and fatigue", "--outcome", "fatigue",
                        cwd=site.parent)
    assert made.returncode == 0, made.stderr
    with_examples(site)
    return site


def _links(page: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(r'<(?:a|link)\b[^>]*?\bhref="([^"]*)"', page)]


def _target(out: Path, page: Path, href: str) -> tuple[Path, str] | None:
    """The file a relative link leads to and its fragment; None for other sites and schemes."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return page, parts.fragment
    path = posixpath.normpath(posixpath.join(page.parent.relative_to(out).as_posix(),
                                             unquote(parts.path)))
    target = out / path
    if target.is_dir() or href.split("#")[0].endswith("/"):
        target = target / "index.html"
    return target, parts.fragment


@pytest.mark.parametrize("engine", ENGINES)
def test_a_new_site_with_content_builds_strictly_and_every_link_resolves(
        engine: str, new_site: Path) -> None:
    out = new_site.parent / f"out-{engine}"
    built = evidence_cli("build", "--engine", engine, "--out", str(out), cwd=new_site)
    assert built.returncode == 0, built.stdout + built.stderr
    assert (out / "claims/example-claim/index.html").is_file()
    assert (out / "handouts/example-form.pdf").is_file()
    ids: dict[Path, set[str]] = {}
    broken = []
    for page in sorted(out.rglob("*.html")):
        if page.name == "404.html":
            continue
        for href in _links(page.read_text(encoding="utf-8")):
            found = _target(out, page, href)
            if found is None:
                continue
            target, fragment = found
            where = f"{page.relative_to(out)}: {href}"
            if not target.is_file():
                broken.append(f"{where} (no {target.relative_to(out)})")
            elif fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = set(re.findall(r'\bid="([^"]+)"', target.read_text("utf-8")))
                if fragment not in ids[target]:
                    broken.append(f"{where} (no id {fragment!r})")
    assert not broken, broken
    claim = (out / "claims/example-claim/index.html").read_text(encoding="utf-8")
    assert "about/#corrections" in claim  # how to report an error, on every claim page

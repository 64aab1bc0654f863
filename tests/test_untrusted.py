"""Contributors' files are untrusted: refused with file, line and field, or rendered inert.

Never a traceback, never markup or script from a card or a bib entry, never a file written
outside the output folder.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import string
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli.build import build_site
from generator.core import vocab
from generator.core.bib import load_bib
from generator.core.load import load_evidence
from generator.core.yamlio import load_yaml
from generator.outputs.markdown import HTML_SPECIAL, MD_SPECIAL, md_escape
from generator.safepath import SITE_MARK
from tests.conftest import CARD, FIXTURE, ROOT, edit, errors, evidence_cli, make_project

CLAIM = ("claim: >-\n  A study in the Journal of Cosmetic Dermatology found that magnesium "
         "L-threonate increased\n  hair density and thickness in women with female pattern "
         "hair loss.")
SITE_NAME = "Magnesium & Hair Loss — Evidence Audit"


# --- refused, with file:line:column: field -------------------------------------------------

@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (CLAIM, "claim: <script>alert(1)</script>",
         f"{CARD}:4:8: claim: must be plain text"),
        (CLAIM, "claim: 'x <img src=x onerror=alert(1)>'",
         f"{CARD}:4:8: claim: must be plain text"),
        (CLAIM, "claim: '&lt;script&gt;'", f"{CARD}:4:8: claim: must be plain text"),
        (CLAIM, "claim: '<!-- hidden -->'", f"{CARD}:4:8: claim: must be plain text"),
        (CLAIM, "claim: \"x\\u202ey\"", f"{CARD}:4:8: claim: must be plain text"),
        (CLAIM, "claim: \"a\\0b\"", f"{CARD}:4:8: claim: must be plain text"),
        (CLAIM, "claim: " + "a" * 100_000, f"{CARD}:4:8: claim: is 100000 characters long"),
        # Text that shows as nothing (Braille blank, Hangul filler, zero-width characters)
        (CLAIM, 'claim: "\\u2800"', f"{CARD}:4:8: claim: must not be empty"),
        (CLAIM, 'claim: "\\u3164 \\u200b"', f"{CARD}:4:8: claim: must not be empty"),
        (CLAIM, "claim: [1, 2]", f"{CARD}:4:8: claim: expected text, got a list"),
        (CLAIM, "claim: {a: 1}", f"{CARD}:4:8: claim: expected text, got a mapping"),
        (CLAIM, "claim: 12", f"{CARD}:4:8: claim: expected text, got a number"),
        (CLAIM, "claim: !!python/object/apply:os.system ['touch /tmp/pwned']",
         f"{CARD}:4:8: claim: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not"),
        (CLAIM, "claim: !!binary aGVsbG8=", f"{CARD}:4:8: claim: tag"),
        (CLAIM, "claim: &a x\nreviewer: *a", f"{CARD}:5:11: reviewer: anchors and aliases"),
        (CLAIM, "claim: x\nclaim: y", f"{CARD}:5:1: claim: duplicate key (first given on line 4)"),
        (CLAIM, "claim: x\n\tverdict: y", f"{CARD}:5:1: -: YAML syntax error: tabs are not"),
        ("id: mgt-fphl-trial", "id: ../../etc/passwd",
         f"{CARD}:2:5: id: '../../etc/passwd' is not a slug"),
        ("form: magnesium-l-threonate", "form: ../../../tmp/x",
         f"{CARD}:3:7: form: '../../../tmp/x' is not a slug"),
        ("source: mgt-effective-treatment", "source: /etc/passwd",
         f"{CARD}:8:13: appearances[0].source: '/etc/passwd' is not a slug"),
        ("studies: []", "studies:\n  - key: 'k\" onmouseover=\"alert(1)'\n    design: animal\n"
         "    population: mice\n    finding: none",
         f"{CARD}:30:10: studies[0].key: 'k\" onmouseover=\"alert(1)' is not a usable BibTeX key"),
        ("reviewed: 2026-11-21", "reviewed: 2026-11-21T10:00:00",
         f"{CARD}:42:11: reviewed: give a date as YYYY-MM-DD"),
        ("reviewed: 2026-11-21", "reviewed: 99999999999999999999",
         f"{CARD}:42:11: reviewed: expected a date as YYYY-MM-DD"),
        (CLAIM, "claim: " + "[" * 5000 + "]" * 5000, f"{CARD}:4:107: -: structure is nested"),
        # A date after today (a typo; after 2106 it also broke the build's gzip time)
        ("reviewed: 2026-11-21", "reviewed: 2107-01-01",
         f"{CARD}:42:11: reviewed: 2107-01-01 is after today"),
        ("reviewed: 2026-11-21", "reviewed: 1000-01-01",
         f"{CARD}:42:11: reviewed: 1000-01-01 is before 1990"),
    ],
)
def test_hostile_card_is_refused_with_line_and_field(project: Path, old: str, new: str,
                                                     expected: str) -> None:
    edit(project, old, new)
    found = errors(project)
    assert any(m.startswith(expected) for m in found), found


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "JaVaScRiPt:alert(1)",
     "//evil.example/x", "https://x.example/\" onclick=\"alert(1)", "file:///etc/passwd"],
)
def test_only_http_addresses_are_accepted(project: Path, url: str) -> None:
    path = "content/sources/mgt-effective-treatment.yaml"
    edit(project, "url: https://healthverywell.com/news/4820.html",
         f"url: '{url}'", path=path)
    assert any(m.startswith(f"{path}:4:6: url: ") for m in errors(project)), errors(project)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "c.yaml:1:1: -: file is empty"),
        (b"# only a comment\n", "c.yaml:1:1: -: file is empty"),
        (b"id: x\nclaim: caf\xe9\n", "c.yaml:2:11: -: file is not valid UTF-8 text"),
        (b"\xff\xfeid: x", "c.yaml:1:1: -: file is not valid UTF-8 text"),
        (b"a: &a [1]\nb: &b [*a, *a]\nc: [*b, *b]\n", "anchors and aliases"),
        (b"a: !!python/name:os.system x\n", "is not allowed"),
        (b"a: !custom x\n", "tag '!custom' is not allowed"),
        (b"<<: {a: 1}\n", "is not allowed"),
        (b"a: 1\n---\nb: 2\n", "YAML syntax error"),
        (b"a: [1, 2\n", "YAML syntax error"),
        (b"a:\n\t- b\n", "tabs are not allowed"),
        (b"~\n", "c.yaml:1:1: -: file holds no data (null)"),
        (b"--- &x\n", "file holds no data"),
        # Deep in a card, a refusal names the whole field (studies[0].finding), as the checks do
        (b"a:\n  - b: 1\n    b: 2\n", "c.yaml:3:5: a[0].b: duplicate key (first given on line 2)"),
        (b"a:\n  - b: {c: !!binary x}\n", "c.yaml:2:12: a[0].b.c: tag"),
        # Explicit tags whose constructors fail on values they do not expect
        (b"a: !!bool maybe\n", "c.yaml:1:4: a: cannot read 'maybe' as bool"),
        (b"a: !!timestamp soon\n", "c.yaml:1:4: a: cannot read 'soon' as timestamp"),
        (b"a: !!int ''\n", "c.yaml:1:4: a: cannot read '' as int"),
        (b"a: !!float ''\n", "c.yaml:1:4: a: cannot read '' as float"),
        (b"a: !!int 0x\n", "c.yaml:1:4: a: cannot read '0x' as int"),
    ],
)
def test_yaml_that_is_not_plain_data_is_refused(data: bytes, expected: str) -> None:
    value, problems = load_yaml(data, "c.yaml")
    assert value is None
    assert any(expected in str(p) for p in problems), problems


def test_bom_is_harmless(project: Path) -> None:
    path = project / CARD
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert errors(project) == []


def test_empty_and_binary_card_files(project: Path) -> None:
    (project / "content/cards/empty.yaml").write_bytes(b"")
    (project / "content/cards/binary.yaml").write_bytes(bytes(range(256)))
    found = errors(project)
    assert "content/cards/empty.yaml:1:1: -: file is empty" in found
    assert any(m.startswith("content/cards/binary.yaml:") for m in found), found


def test_symlink_out_of_the_project_is_not_read(project: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: secret-value-123\n")
    (project / "content/cards/link.yaml").symlink_to(secret)
    found = errors(project)
    assert "content/cards/link.yaml:1:1: -: is a link to a file outside the project" in found
    assert not any("secret-value-123" in m for m in found)


@pytest.mark.parametrize(("name", "hint"), [("x.yml", "rename it to x.yaml"),
                                           ("x.YAML", "rename it to x.yaml"),
                                           ("sub/x.yaml", "move the files in it up into")])
def test_a_card_the_loader_would_not_read_is_a_problem(project: Path, name: str,
                                                       hint: str) -> None:
    """A card saved as .yml or in a subfolder would silently be left out of the site."""
    path = project / "content/cards" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text((project / CARD).read_text().replace("mgt-fphl-trial", "x"))
    top = name.split("/")[0]
    found = [p for p in load_evidence(project)[1] if p.path == f"content/cards/{top}"]
    assert found and not found[0].warning, found
    assert "is not read: the cards are the *.yaml files in content/cards/" in found[0].message
    assert hint in found[0].hint


def test_a_folder_named_like_a_card_is_a_problem(project: Path) -> None:
    (project / "content/cards/folder.yaml").mkdir()
    assert "content/cards/folder.yaml:1:1: -: is not a regular file" in errors(project)


@pytest.mark.parametrize(
    ("bib", "expected"),
    [
        ("@article{x, title={unclosed", "r.bib:1:1: -: BibTeX entry cannot be parsed"),
        ("@article{x\" onclick=\"y, title={T}}", "r.bib:1:1: -: BibTeX entry cannot be parsed"),
        ("@article{x,\n  title = {<script>alert(1)</script>}, year = {2000},\n"
         "  author = {A, B}, journal = {J}}", "r.bib:2:1: x.title: must be plain text"),
        ("@article{x,\n  title = {T}, year = {2000}, author = {A, B}, journal = {J},\n"
         "  url = {javascript:alert(1)}}", "x.url: 'javascript:alert(1)' is not a valid URL"),
        ("@article{x, title = {T}}\n@article{x, title = {U}}", "x: duplicate bib key"),
        # A missing comma glues two fields into one value: bibtexparser accepts it silently.
        ("@article{x,\n  title = {T}, year = {2000}, author = {A, B}, journal = {J},\n"
         "  note = {A}\n\n  url = {https://a.example/}\n}",
         "r.bib:3:1: x.note: a comma is missing after this value (before 'url =' on line 5)"),
        ("@article{x,\n  title = {T} year = {2000}, author = {A, B}, journal = {J}}",
         "r.bib:2:1: x.title: a comma is missing after this value (before 'year =' on line 2)"),
        ("@article{x,\n  title = {T} {U}, year = {2000}, author = {A, B}, journal = {J}}",
         "r.bib:2:1: x.title: must be one {…} or \"…\" value"),
        # "T" # "U" is "TU", as BibTeX reads it (test_inputs.py); a dangling # is not
        ("@article{x,\n  title = \"T\" # , year = {2000}, author = {A, B}, journal = {J}}",
         "r.bib:2:1: x.title: must be one {…} or \"…\" value"),
        ("@article{x,\n  title = {T}, year = 2000 2001, author = {A, B}, journal = {J}}",
         "r.bib:2:1: x.year: must be one {…} or \"…\" value"),
        ("@article{x,\n  title = {T}, year = {2000}, author = {A, B}, journal = {J},\n"
         "  title = {U}}", "r.bib:3:1: x.title: duplicate field (first given on line 2)"),
        ("@article{x,\n  Title = {T}, year = {2000}, author = {A, B}, journal = {J},\n"
         "  TITLE = {U}}", "r.bib:3:1: x.title: duplicate field (first given on line 2)"),
        # Nesting that would make the LaTeX decoder recurse past Python's limit
        ("@article{x,\n  title = {" + "{" * 400 + "T" + "}" * 400 + "}, year = {2000},\n"
         "  author = {A, B}, journal = {J}}", "r.bib:2:1: x.title: braces are nested too deep"),
        # Digits that str.isdigit() and \\d accept but int() or a link cannot use
        ("@article{x,\n  title = {T}, year = {\u00b2\u2070\u00b9\u2070}, author = {A, B},"
         " journal = {J}}", "r.bib:2:1: x.year: must be a year such as 2019"),
        ("@article{x,\n  title = {T}, year = {0}, author = {A, B}, journal = {J}}",
         "r.bib:2:1: x.year: must be a year such as 2019"),
        ("@article{x,\n  title = {T}, year = {2000}, author = {A, B}, journal = {J},\n"
         "  year_online = {\u00b9\u2079\u2079\u2079}}",
         "r.bib:3:1: x.year_online: must be a year such as 2019"),
        ("@article{x,\n  title = {T}, year = {2000}, author = {A, B}, journal = {J},\n"
         "  pmid = {2103453\U0001d7d0}}", "r.bib:3:1: x.pmid: "),
        ("@article{x,\n  title = {T}, year = {2000}, author = {A, B}, journal = {J},\n"
         "  pmcid = {PMC\uff17159307}}", "r.bib:3:1: x.pmcid: "),
        ("@article{x,\n  title = {T}, year = {2000}, author = {A, B}, journal = {J},\n"
         "  doi = {10.\uff15483/x}}", "r.bib:3:1: x.doi: "),
        # TeX commands that pylatexenc knows but whose argument it drops (the text would be
        # in the .bib a reviewer reads, not on the site): only text commands are decoded
        ("@article{x,\n  title = {A \\hspace{1cm} B}, year = {2000}, author = {A, B},"
         " journal = {J}}", "r.bib:2:1: x.title: TeX command \\hspace is not decoded here"),
        ("@article{x,\n  title = {A \\citep{k} B}, year = {2000}, author = {A, B},"
         " journal = {J}}", "r.bib:2:1: x.title: TeX command \\citep is not decoded here"),
        ("@article{x,\n  title = {\\title{A}}, year = {2000}, author = {A, B},"
         " journal = {J}}", "r.bib:2:1: x.title: TeX command \\title is not decoded here"),
        ("@article{x,\n  title = {\\colorbox{red}{A}}, year = {2000}, author = {A, B},"
         " journal = {J}}", "r.bib:2:1: x.title: TeX command \\colorbox is not decoded here"),
        ("@article{x,\n  title = {a\\\"}, year = {2000}, author = {A, B}, journal = {J}}",
         "r.bib:2:1: x.title: an accent has no letter"),
        ("@article{x,\n  title = {T}, year = {2000}, author = {A, B}, journal = {J},\n"
         "  note = {abc \\c}}", "r.bib:3:1: x.note: an accent has no letter"),
        # Names: each one must be there, once; where bibtexparser cannot split, say so there
        ("@article{x,\n  title = {T}, year = {2000}, journal = {J},\n"
         "  author = {A and and B}}", "r.bib:3:1: x.author: a name is empty or 'and' is doubled"),
        ("@article{x,\n  title = {T}, year = {2000}, journal = {J},\n"
         "  author = {A, B and {} and C, D}}", "r.bib:3:1: x.author: a name is empty"),
        ("@article{x,\n  title = {T}, year = {2000}, journal = {J},\n"
         "  author = {A, B and , C}}", "r.bib:3:1: x.author: a name is empty"),
        ("@article{x,\n  title = {T}, year = {2000}, journal = {J},\n"
         "  author = {others}}", 'r.bib:3:1: x.author: "and others" must come last, after'),
        ("@article{x,\n  title = {T}, year = {2000}, journal = {J},\n"
         "  author = {A, B, C, D}}", "r.bib:3:1: x.author: cannot be split into names"),
        # A refused title is not also "missing"
        ("@article{x,\n  title = {A {\\em x}}, year = {2000}, author = {A, B}, journal = {J}}",
         "r.bib:2:1: x.title: TeX command \\em"),
        # Identifiers with characters no DOI or address holds (quotes, braces, invisible ones)
        ("@article{x,\n  title = {T}, year = {2000}, author = {A, B}, journal = {J},\n"
         "  doi = {10.1234/{x}}}", "r.bib:3:1: x.doi: '10.1234/{x}' is not a valid DOI"),
        ("@article{x,\n  title = {T}, year = {2000}, author = {A, B}, journal = {J},\n"
         "  doi = {10.1371/x\u00e9}}", "r.bib:3:1: x.doi: "),
        ("@article{x,\n  title = {T}, year = {2000}, author = {A, B}, journal = {J},\n"
         "  url = {https://exa\u200bmple.com/}}", "r.bib:3:1: x.url: "),
        ("@article{x,\n  title = {\u2800}, year = {2000}, author = {A, B}, journal = {J}}",
         "r.bib:2:1: x.title: is missing"),
        # What BibTeX reads but the site would drop or publish garbled
        ("@article{x,\n  title = {T}, year = {2000}, author = {A, B}, journal = {J},\n"
         "  % doi = {10.1000/x},\n}", "r.bib:3:1: x.% doi: is not a field name"),
        ("@article{x,\n  title = evil, year = {2000}, author = {A, B}, journal = {J}}",
         "r.bib:2:1: x.title: 'evil' is not a defined @string"),
        ("@article{x, title = {T}}\n@article-x{y, title = {U}}",
         "r.bib:2:1: -: not a BibTeX entry"),
        ("@article{x, title = {T}}\n@article{X, title = {U}}",
         "r.bib:2:1: X: duplicate bib key (BibTeX keys ignore case: first given on line 1)"),
    ],
)
def test_broken_bib_entries_are_problems(bib: str, expected: str) -> None:
    refs, problems = load_bib(bib, "r.bib")
    assert "x" not in refs
    assert any(expected in str(p) for p in problems), [str(p) for p in problems]
    assert not [p for p in problems if "missing" in p.message and p.field in {
        q.field for q in problems if "missing" not in q.message}], "refused, not also missing"


# --- rendered inert ------------------------------------------------------------------------

HOSTILE = ("[click](javascript:alert(1)) ![i](data:image/png;base64,AA) {{ 7*7 }} "
           "{% raw %} #set text(red) *em* _u_ `c` <= 5 & > 3 \"q\" 'a' "
           "{: onclick=\"alert(2)\"} \\ x")
HOSTILE_BIB = "[a](javascript:alert(3)) *em* `c` \\{: onclick=alert(4)\\} "
HOSTILE_DOI = "10.5483/[x](onmouseover=alert(5)//)"
HOSTILE_URL = "https://moam.info/![x](x)[y](onfocus=alert(6)//)/"


class _Page(HTMLParser):
    """Every tag with its attributes, the <title> and <h1> text, and all visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.title, self.h1, self.text = "", "", []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._in:
            del self._in[len(self._in) - 1 - self._in[::-1].index(tag):]

    def handle_data(self, data: str) -> None:
        if "title" in self._in:
            self.title += data
        if "h1" in self._in:
            self.h1 += data
        if not {"script", "style", "title"} & set(self._in):
            self.text.append(data)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("hostile") / "project")
    edit(project, CLAIM, "claim: '" + HOSTILE.replace("'", "''") + "'")
    edit(project, "verdict_summary: >-\n", "verdict_summary: >-\n  " + HOSTILE + " ")
    edit(project, "title   = {Preventable effect", "title   = {" + HOSTILE_BIB + "Preventable "
         "effect", path="content/references.bib")
    # A DOI or address whose Markdown would make a link inside the reference's own link
    edit(project, "doi     = {10.5483/BMBRep.2010.43.10.688}", "doi     = {" + HOSTILE_DOI + "}",
         path="content/references.bib")
    edit(project, "doi     = {10.1038/sj.jid.5700999},\n  pmid    = {17657240},\n  url     = {"
         "http://47.251.13.51:8081/17657240}", "url     = {" + HOSTILE_URL + "}",
         path="content/references.bib")
    assert errors(project) == []
    return build_site(project, project / "site", with_pdf=False)


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_no_script_link_or_handler_comes_from_content(hostile_site: Path) -> None:
    for path in _pages(hostile_site):
        for tag, attrs in parse(path.read_text(encoding="utf-8")).tags:
            where = f"{path.relative_to(hostile_site)} <{tag} {attrs}>"
            assert not [a for a in attrs if a.startswith("on")], where
            for name in ("href", "src", "action", "formaction", "srcdoc"):
                value = (attrs.get(name) or "").strip().lower()
                assert not value.startswith(("javascript:", "data:", "vbscript:")), where
            if tag == "script":
                assert attrs.get("type") in (None, "application/json", "application/ld+json")
            assert tag not in ("iframe", "object", "embed", "base", "meta") or (
                tag == "meta" and "http-equiv" not in attrs), where


def test_hostile_text_shows_literally(hostile_site: Path) -> None:
    page = parse((hostile_site / "claims/mgt-fphl-trial/index.html").read_text("utf-8"))
    assert page.h1.rstrip("¶").strip().strip("“”") == HOSTILE  # ¶: the heading's permalink
    assert page.title == f"Not supported: {HOSTILE} - {SITE_NAME}"  # exactly the text
    assert HOSTILE in " ".join(page.text)
    refs = parse((hostile_site / "references/index.html").read_text("utf-8"))
    assert "[a](javascript:alert(3)) *em* `c` {: onclick=alert(4)} Preventable" in " ".join(
        " ".join(refs.text).split())
    hrefs = [attrs.get("href") for tag, attrs in refs.tags if tag == "a"]
    assert f"https://doi.org/{HOSTILE_DOI}" in hrefs  # the address as given, in one link
    assert f"doi:{HOSTILE_DOI}" in " ".join(refs.text)
    assert [h for h in hrefs if h and h.startswith(HOSTILE_URL)], "the address in one link"


def test_title_escapes_what_striptags_unescapes(hostile_site: Path) -> None:
    html = (hostile_site / "claims/mgt-fphl-trial/index.html").read_text("utf-8")
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title and "<" not in title.group(1) and "&lt;= 5 &amp; &gt; 3" in title.group(1)
    assert html.count("<title>") == 1


def test_refused_content_writes_nothing(project: Path) -> None:
    (project / "site").mkdir()
    (project / "site" / "old.html").write_text("previous site")
    (project / "site" / SITE_MARK).write_text("")  # a site built before
    edit(project, "id: mgt-fphl-trial", "id: ../../../outside")
    before = _tree(project.parent)
    result = evidence_cli("build", "--no-pdf", cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{CARD}:2:5: id: '../../../outside' is not a slug" in result.stderr
    assert _tree(project.parent) == before


def test_a_good_build_writes_only_into_its_output(project: Path) -> None:
    before = _tree(project.parent)
    assert evidence_cli("build", "--no-pdf", "--out", "out", cwd=project).returncode == 0
    after = _tree(project.parent)
    new = {p for p in after if p not in before}
    # The output, and the plugin's cache of formatted references at a fixed place.
    assert new and all(p.startswith(("project/out/", "project/.cache/evidence/"))
                       for p in new), sorted(new)[:5]
    assert {p: after.get(p) for p in before} == before  # nothing else written or removed


def _tree(folder: Path) -> dict[str, tuple[float, int]]:
    """Every file under folder (not folders: their times change as entries come and go)."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_mtime, p.stat().st_size)
            for p in folder.rglob("*") if not p.is_dir()}


# --- property: whatever the structure, only problems come back ------------------------------

_FIELDS = ["id", "form", "claim", "appearances", "studies", "verdict", "verdict_summary",
           "downgrades", "certainty", "reviewed", "searched_to", "reviewer", "no_study_note",
           "source", "quote", "cited_as", "citation_check", "citation_note", "key", "design",
           "population", "finding", "reason", "why", "<<", ""]
_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.text(max_size=40),
    st.sampled_from(["mgt-fphl-trial", "magnesium-l-threonate", "mgt-effective-treatment",
                     "kwack2010preventable", "in-vitro", "not-supported", "none", "TODO",
                     "<b>x</b>", "javascript:alert(1)", "2026-02-30", "https://a.example/"]),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(_FIELDS), inner, max_size=6)),
    max_leaves=25,
)
_documents = st.one_of(
    st.dictionaries(st.sampled_from(_FIELDS), _values, max_size=12),
    _values,
)
_junk = st.one_of(
    st.binary(max_size=200),
    st.text(alphabet=string.printable + "\t\ufeff&*!|>-:{}[]#'\"", max_size=200)
    .map(str.encode),
)


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("fuzz") / "project")


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=st.one_of(_documents.map(lambda d: yaml.safe_dump(d, allow_unicode=True)
                                         .encode("utf-8")), _junk),
       kind=st.sampled_from(["cards", "forms", "sources"]))
def test_random_files_give_only_problems(fuzz_project: Path, document: bytes,
                                         kind: str) -> None:
    path = fuzz_project / "content" / kind / "fuzzed.yaml"
    path.write_bytes(document)
    try:
        value, yaml_problems = load_yaml(document, "fuzzed.yaml")
        assert value is not None or yaml_problems  # no value comes with a reason
        evidence, problems = load_evidence(fuzz_project)
    finally:
        path.unlink()
    rel = f"content/{kind}/fuzzed.yaml"
    assert all(p.line >= 1 and p.column >= 1 for p in problems)
    others = [p for p in problems if p.path != rel and not p.warning]
    assert not others, others  # the good files stay good
    # Nothing random is a valid file named fuzzed.yaml: it is refused and left out.
    assert any(p.path == rel and not p.warning for p in problems)
    assert "fuzzed" not in {x.id for x in (*evidence.cards, *evidence.forms, *evidence.sources)}
    assert sorted(os.listdir(fuzz_project / "content" / kind)) == sorted(
        os.listdir(FIXTURE / "content" / kind))


_bib_text = st.text(alphabet=string.printable + "äé{}@%#\\\"=,", max_size=300)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(extra=st.one_of(_bib_text, _bib_text.map(lambda t: "@article{k," + t),
                       _bib_text.map(lambda t: "@article{k, title = {" + t + "}, year = {2000},"
                                     " author = {A, B}, journal = {J}}")))
def test_random_bib_text_gives_only_problems(fuzz_project: Path, extra: str) -> None:
    bib = fuzz_project / "content" / "references.bib"
    original = bib.read_bytes()
    bib.write_bytes(original + b"\n" + extra.encode("utf-8"))
    try:
        _, problems = load_evidence(fuzz_project)
    finally:
        bib.write_bytes(original)
    assert all(p.line >= 1 and p.column >= 1 for p in problems)
    assert all(not p.path.startswith("content/cards/") or p.warning for p in problems)


# --- published text speaks to readers ---------------------------------------------------

@pytest.mark.parametrize(("path", "old", "new", "expected"), [
    (CARD, "verdict_summary: >-", "verdict_summary: >-\n  The corpus had nothing.\n  ",
     f"{CARD}:36:18: verdict_summary: uses 'corpus', a word about how the audit was made"),
    (CARD, "Searches of archived copies", "Searches of stored pages",
     f"{CARD}:16:20: appearances[0].citation_note: uses 'stored pages'"),
    ("content/sources/mgt-effective-treatment.yaml", "Found by searching",
     "Read from 001_0123456789abcdef.txt. Found by searching",
     "content/sources/mgt-effective-treatment.yaml:8:7: note: uses "
     "'001_0123456789abcdef.txt'"),
])
def test_internal_words_are_refused_in_published_text(project: Path, path: str, old: str,
                                                       new: str, expected: str) -> None:
    file = project / path
    text = file.read_text()
    assert old in text
    file.write_text(text.replace(old, new, 1))
    found = [str(p) for p in load_evidence(project)[1]]
    assert any(m.startswith(expected) for m in found), found
    assert any("(hint: say where it looked" in m for m in found)


def test_the_unpublished_seed_field_may_name_the_archived_file(project: Path) -> None:
    file = project / "content/sources/mgt-effective-treatment.yaml"
    assert "seed: 001_e4ff7144c78adac0.txt" in file.read_text()
    assert [str(p) for p in load_evidence(project)[1]] == []


def test_internal_words_are_refused_in_the_bibliography(project: Path) -> None:
    bib = project / "content/references.bib"
    text = bib.read_text()
    bib.write_text(text.replace("@article{kwack2010preventable,",
                                "@article{kwack2010preventable,\n  note = {found in the corpus},",
                                1))
    found = [str(p) for p in load_evidence(project)[1]]
    assert "content/references.bib:15:1: kwack2010preventable.note: uses 'corpus', a word " \
           "about how the audit was made" in "\n".join(found), found


@given(st.text())
def test_md_escape_escapes_each_character_on_its_own(text: str) -> None:
    """md_escape replaces character by character, in an order where no replacement makes
    what a later one replaces: it equals escaping each character on its own."""
    def one(i: int, ch: str) -> str:
        if ch in "\n\r":
            return " "
        if ch in HTML_SPECIAL:
            return HTML_SPECIAL[ch]
        if ch == "-" and 0 < i < len(text) - 1 and _word(text[i - 1]) and _word(text[i + 1]):
            return ch  # inside a word ("DKK-1"): starts no Markdown
        return f"\\{ch}" if ch in MD_SPECIAL else ch

    def _word(ch: str) -> bool:
        return ch.isascii() and ch.isalnum()

    assert str(md_escape(text)) == "".join(one(i, ch) for i, ch in enumerate(text))


PIECES = ("corpus", "CORPUS", "ſtored", "stored", " pages", " page", " copies", " copy", "seed",
          "SEEd", "search", " tool", "find_string", "read_file", "123_", "\u0661\u0662\u0663_",
          "0123456789abcdef", ".json", " ", "x", "_", "ſ", "K", "İ", "ı", "s")


@given(st.lists(st.sampled_from(PIECES)).map("".join) | st.text())
def test_the_internal_word_check_finds_what_its_pattern_finds(text: str) -> None:
    """internal_word looks for a part of each word before searching: it must miss nothing
    that the pattern would find, whatever the case or Unicode letters."""
    found = vocab.INTERNAL_TEXT.search(text)
    assert vocab.internal_word(text) == (found.group(0) if found else None)
    for word in ("Corpus", "ſtored pages", "SEED", "search Tool", "find_string",
                 "123_0123456789abcdef.json"):
        assert vocab.internal_word(f"see {word} here") is not None


def test_a_card_that_does_not_parse_is_not_also_called_missing(tmp_path: Path) -> None:
    """The form's bottom line cites the card: its problem is the YAML, not a missing card."""
    project = make_project(tmp_path / "project", ROOT / "content")
    card = project / "content/cards/mgt-dkk1-dermal-papilla.yaml"
    card.write_text(card.read_text() + "\n  : [\n")
    found = errors(project)
    assert any(m.startswith("content/cards/mgt-dkk1-dermal-papilla.yaml:") for m in found)
    assert not [m for m in found if "no card 'mgt-dkk1-dermal-papilla'" in m], found


@pytest.mark.parametrize("eol", ["\r", "\r\n"])
def test_bib_problems_are_at_the_line_an_editor_shows(eol: str) -> None:
    """A file saved with CR line ends (an old Mac's) counts its lines as an editor does."""
    bib = eol.join(["@article{x,", "  title = {T},", "  year = {2000},", "  author = {A, B},",
                    "  journal = {J},", "  url = {javascript:alert(1)}}"])
    _, problems = load_bib(bib, "r.bib")
    assert [str(p).split(" is not")[0] for p in problems] == [
        "r.bib:6:1: x.url: 'javascript:alert(1)'"]


def test_unknown_bib_fields_are_neither_used_nor_published(project: Path) -> None:
    """A reference manager's `file` (a path on someone's disk) or `abstract` is a warning,
    and stays out of the site's data files."""
    edit(project, "  pmid    = {21034532},", "  pmid    = {21034532},\n"
         "  file    = {/home/alice/papers/kwack.pdf},", path="content/references.bib")
    problems = load_evidence(project)[1]
    found = [p for p in problems if p.field == "kwack2010preventable.file"]
    assert found and found[0].warning, problems
    assert "is not used or published" in found[0].message
    ref = load_evidence(project)[0].references["kwack2010preventable"]
    assert "file" not in ref.fields


def test_a_card_citing_a_form_source_or_entry_with_problems_says_so(tmp_path: Path) -> None:
    """Not "unknown form … did you mean `magnesium`?" (which would file the card wrongly)."""
    project = make_project(tmp_path / "project", ROOT / "content")
    edit(project, "order: 4", "order: 1.5", path="content/forms/topical-magnesium.yaml")
    edit(project, 'title: "magnesium l threonate hair loss"', "title: 12",
         path="content/sources/mgt-hair-loss-guide.yaml")
    edit(project, "@article{kwack2010preventable,\n", "@article{kwack2010preventable,\n"
         "  pmid = {x},\n", path="content/references.bib")
    found = errors(project)
    assert not [m for m in found if "did you mean" in m or "unknown" in m or "no entry" in m], [
        m for m in found if "did you mean" in m or "unknown" in m or "no entry" in m][:3]
    assert any("form: form 'topical-magnesium' has problems in its file" in m for m in found)
    assert any("source 'mgt-hair-loss-guide' has problems in its file" in m for m in found)
    assert any("'kwack2010preventable' has problems in content/references.bib" in m
               for m in found)


def test_text_between_entries_is_a_comment() -> None:
    """BibTeX ignores text outside entries: an address in it is fine, an entry is not."""
    entry = "@article{x,\n  title = {T}, year = {2000}, author = {A, B}, journal = {J}}\n"
    _, problems = load_bib("Kept by someone@example.org\n" + entry, "r.bib")
    assert problems == []


def test_an_entry_whose_key_holds_dots_is_named_as_having_problems(project: Path) -> None:
    for path in ("content/references.bib", "content/cards/mgt-dkk1-dermal-papilla.yaml"):
        file = project / path
        file.write_text(file.read_text().replace("kwack2010preventable", "kwack.2010.bmb"))
    edit(project, "@article{kwack.2010.bmb,\n", "@article{kwack.2010.bmb,\n  pmid = {x},\n",
         path="content/references.bib")
    found = errors(project)
    assert any("'kwack.2010.bmb' has problems in content/references.bib" in m for m in found)
    assert not [m for m in found if "no entry" in m], found

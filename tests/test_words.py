"""Issue 25 §4, words: no stock phrase twice in a row, and every technical term a reader meets
is explained in plain words where it appears (the glossary's abbreviations)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator import load_evidence
from generator.cli.build import build_site
from generator.outputs.pages import render_site
from tests.conftest import ROOT, make_project

TERMS = ("DKK-1", "keratinocyte", "cell-culture", "UL", "hypermagnesemia")


def _sentences(line: str) -> list[str]:
    text = re.sub(r"<[^>]+>|[*_`\\]", " ", line)
    return [s.strip() for s in re.split(r"(?<=[.!?:])\s+", " ".join(text.split())) if s.strip()]


def test_no_stock_phrase_is_printed_twice_in_a_row() -> None:
    """"We are very uncertain about this evidence. We are very uncertain: …" was on nine
    pages: two sentences in a row may not open with the same three words."""
    evidence, _ = load_evidence(ROOT)
    for path, page in render_site(evidence).items():
        body = page.split("\n---\n", 1)[1] if page.startswith("---\n") else page
        for line in body.splitlines():  # a paragraph, a list item or a definition
            sentences = _sentences(line)
            for one, two in zip(sentences, sentences[1:], strict=False):
                head = one.lower().split()[:3]
                assert len(head) < 3 or two.lower().split()[:3] != head, (path, one, two)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("words") / "project", ROOT / "content")
    return build_site(project, project / "site", with_pdf=False)


def test_technical_terms_are_explained_where_they_appear(site: Path) -> None:
    pages = {p: p.read_text("utf-8") for p in site.rglob("*.html")}
    for term in TERMS:
        where = [p for p, html in pages.items()
                 if re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", _body(html))]
        assert where, term
        for page in where:
            body = _body(pages[page])
            assert re.search(rf'<abbr title="[^"]{{8,}}">{re.escape(term)}</abbr>', body), (
                term, page)


def _body(html: str) -> str:
    """The page's article, without its head, navigation and search index."""
    start = html.find("<article")
    return html[start:html.find("</article>", start)] if start >= 0 else ""


def test_a_glossary_meaning_cannot_become_a_link(tmp_path: Path) -> None:
    """A pull request's glossary text stays text: its definition line would show as Markdown
    on a site without the abbr extension, so no link, tag or code is accepted."""
    from tests.conftest import errors

    project = make_project(tmp_path / "project")
    (project / "content" / "glossary.yaml").write_text(
        "terms:\n  - term: DKK-1\n    means: a protein\n"
        "  - term: DHT\n    means: see [this](javascript:alert(1))\n", encoding="utf-8")
    assert "content/glossary.yaml:4:5: terms[1].means: may not hold [ ] < > or ` " \
        "(hint: say it in plain words)" in errors(project)

"""Golden files: page sources of the fixture project (front matter and Markdown with HTML
blocks, as every engine gets them).

After an intended change to templates, refresh with `make golden` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import load_evidence, render_site
from generator.config import read_settings
from generator.outputs.pages import Site, make_env
from tests.conftest import FIXTURE, ROOT

GOLDEN = Path(__file__).parent / "golden"
PAGES = {
    "claims/mgt-dkk1-dermal-papilla.md": "claim-mgt-dkk1-dermal-papilla.md",
    "claims/mgt-fphl-trial.md": "claim-mgt-fphl-trial.md",
    "forms/magnesium-l-threonate.md": "form-magnesium-l-threonate.md",
    "articles/mgt-effective-treatment.md": "article-mgt-effective-treatment.md",
}


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    evidence, problems = load_evidence(FIXTURE)
    assert problems == []
    texts = read_settings(ROOT).texts  # this site's topic, from its mkdocs.yml
    return render_site(evidence, make_env(texts=texts), site=Site(texts=texts))


@pytest.mark.parametrize(("page", "golden"), PAGES.items())
def test_page_matches_golden(pages: dict[str, str], page: str, golden: str) -> None:
    path = GOLDEN / golden
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(pages[page], encoding="utf-8")
    assert pages[page] == path.read_text(encoding="utf-8"), (
        f"{page} differs from {path}; if intended, run `make golden` and review the diff"
    )


def test_a_page_template_sees_the_whole_evidence(tmp_path: Path) -> None:
    """An override may look up any card, form or article (there is no per-page slice)."""
    from generator.outputs.pages import make_env

    (tmp_path / "claim.md.j2").write_text(
        '{{ ev.source("mgt-effective-treatment").title }} / {{ ev.cards | length }} / '
        '{{ ev.form("magnesium-l-threonate").name }}\n', encoding="utf-8")
    evidence, _ = load_evidence(FIXTURE)
    page = render_site(evidence, make_env([tmp_path]), only={"claims/mgt-fphl-trial.md"})
    body = page["claims/mgt-fphl-trial.md"].split("\n---\n", 1)[1]
    assert body == ("Magnesium L-Threonate Hair Loss: An Effective Treatment Option / 2 / "
                    "Magnesium L-threonate\n")
    (tmp_path / "article.md.j2").write_text("{{ ev.references | length }} references\n",
                                             encoding="utf-8")
    page = render_site(evidence, make_env([tmp_path]),
                       only={"articles/mgt-effective-treatment.md"})
    assert page["articles/mgt-effective-treatment.md"].endswith("\n---\n2 references\n")


def test_a_line_break_in_contributor_text_stays_inside_its_cell() -> None:
    """A blank line would end a table cell or an HTML block in Markdown: a value is inline."""
    import dataclasses

    evidence, _ = load_evidence(FIXTURE)
    card = dataclasses.replace(evidence.cards[0], plain_title="First line\n\n</td></tr> next")
    evidence = dataclasses.replace(evidence, cards=(card, *evidence.cards[1:]))
    page = render_site(evidence, only={"claims/index.md"})["claims/index.md"]
    [row] = [line for line in page.splitlines() if "First line" in line]
    assert row.startswith('<td data-label="Claim"') and row.endswith("</td>")
    assert "First line  &lt;/td&gt;&lt;/tr&gt; next" in row


def test_home_page_lists_both_labels_as_items() -> None:
    """A line that ends with a block tag keeps its line break (`+%}`): two list items."""
    evidence, _ = load_evidence(FIXTURE)
    home = render_site(evidence, only={"index.md"})["index.md"]
    assert "incorrect*\\.\n- **The certainty** says" in home

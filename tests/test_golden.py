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
    assert body == ("Magnesium L\\-Threonate Hair Loss: An Effective Treatment Option / 2 / "
                    "Magnesium L\\-threonate\n")

"""Golden files: page sources of the fixture project (front matter and Markdown with HTML
blocks, as every engine gets them).

After an intended change to templates, refresh with `make golden` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import load_evidence, render_site
from tests.conftest import FIXTURE

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
    return render_site(evidence)


@pytest.mark.parametrize(("page", "golden"), PAGES.items())
def test_page_matches_golden(pages: dict[str, str], page: str, golden: str) -> None:
    path = GOLDEN / golden
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(pages[page], encoding="utf-8")
    assert pages[page] == path.read_text(encoding="utf-8"), (
        f"{page} differs from {path}; if intended, run `make golden` and review the diff"
    )

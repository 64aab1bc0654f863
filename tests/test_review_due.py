"""Stale searches (issue 28): `review_after_months` (default 12); a card whose literature
search is older is a warning in `evidence check` at its line, and its page says so."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.config import SettingsError, settings_from
from generator.core.load import load_evidence
from generator.outputs.pages import Site, render_site
from tests.conftest import edit, evidence_cli

CARD = "content/cards/mgt-fphl-trial.yaml"


def test_the_option_defaults_to_12_months_and_must_be_a_number() -> None:
    assert settings_from({}, {}).review_after_months == 12
    assert settings_from({"review_after_months": 6}, {}).review_after_months == 6
    with pytest.raises(SettingsError, match="review_after_months: expected int"):
        settings_from({"review_after_months": "6"}, {})


def test_check_warns_of_a_stale_search_at_its_line(project: Path) -> None:
    edit(project, "searched_to: 2026-11-21", "searched_to: 2020-01-15", CARD)
    result = evidence_cli("check", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr  # a warning, not an error
    assert (f"warning: {CARD}:43:14: searched_to: the literature was searched up to "
            "2020-01-15, more than 12 months ago: the search is due for an update (hint: search "
            "again, then update searched_to)") in result.stdout
    assert "1 warning" in result.stdout and "warnings" not in result.stdout
    assert "mgt-dkk1-dermal-papilla" not in result.stdout


def test_the_setting_moves_the_limit(project: Path) -> None:
    edit(project, "searched_to: 2026-11-21", "searched_to: 2020-01-15", CARD)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - evidence:\n", "  - evidence:\n      review_after_months: 1200\n", 1),
        encoding="utf-8")
    result = evidence_cli("check", cwd=project)
    assert "due for an update" not in result.stdout


def test_the_page_says_the_search_is_due(project: Path) -> None:
    edit(project, "searched_to: 2026-11-21", "searched_to: 2020-01-15", CARD)
    evidence, _ = load_evidence(project)
    site = Site(as_of=dt.date(2026, 12, 7), review_after_months=12)
    page = render_site(evidence, site=site)["claims/mgt-fphl-trial.md"]
    assert ("The search for studies is due for an update: it went up to 15 January 2020, "
            "more than 12 months ago") in page.replace("\\", "")
    fresh = render_site(evidence, site=site)["claims/mgt-dkk1-dermal-papilla.md"]
    assert "due for an update" not in fresh
    # without a date to measure from (golden files, tests) no page says so
    assert "due for an update" not in render_site(evidence)["claims/mgt-fphl-trial.md"]

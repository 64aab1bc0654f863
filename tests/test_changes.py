"""Change notes (issue 28): `changes` on cards and forms, checked at their line, exported."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from generator.core.load import load_evidence
from generator.outputs.export import export_data
from tests.conftest import edit, errors

CARD = "content/cards/mgt-fphl-trial.yaml"
FORM = "content/forms/magnesium-l-threonate.yaml"
NOTES = """changes:
  - date: 2026-12-02
    note: The verdict changed from not supported to contradicted after a re-grade.
  - date: 2026-11-25
    note: The summary now names the journal.
"""


def add_notes(project: Path, notes: str = NOTES, path: str = CARD,
              reviewed: str | None = "2026-12-03") -> None:
    """The notes added at the end of the file; reviewed: the card's new review date (a change
    is a review), or None to leave it."""
    file = project / path
    text = file.read_text(encoding="utf-8")
    if reviewed:
        text = re.sub(r"(?m)^reviewed: .*$", f"reviewed: {reviewed}", text)
    file.write_text(text + notes, encoding="utf-8")


def test_notes_reach_the_model_and_the_export(project: Path) -> None:
    add_notes(project)
    add_notes(project, "changes:\n  - date: 2026-12-03\n    note: A bottom line added.\n",
              FORM)
    evidence, problems = load_evidence(project)
    assert [p for p in problems if not p.warning] == []
    card = evidence.card("mgt-fphl-trial")
    assert [(c.date, c.note) for c in card.changes] == [
        (dt.date(2026, 12, 2), "The verdict changed from not supported to contradicted "
         "after a re-grade."),
        (dt.date(2026, 11, 25), "The summary now names the journal.")]
    data = export_data(evidence)
    exported = next(c for c in data["cards"] if c["id"] == "mgt-fphl-trial")
    assert exported["changes"][0] == {
        "date": "2026-12-02",
        "note": "The verdict changed from not supported to contradicted after a re-grade."}
    assert data["forms"][0]["changes"] == [{"date": "2026-12-03",
                                            "note": "A bottom line added."}]
    other = next(c for c in data["cards"] if c["id"] == "mgt-dkk1-dermal-papilla")
    assert other["changes"] == []
    json.dumps(data)  # dates are exported as text


def test_card_without_notes_has_none(project: Path) -> None:
    evidence, _ = load_evidence(project)
    assert evidence.card("mgt-fphl-trial").changes == ()


@pytest.mark.parametrize(("notes", "expected"), [
    ("changes:\n  - date: 2026-11-25\n    note: First.\n"
     "  - date: 2026-12-02\n    note: Second.\n",
     f"{CARD}:48:5: changes[1].date: 2026-12-02 is after the note above it (2026-11-25) "
     "(hint: list the notes newest first)"),
    ("changes:\n  - date: 2026-11-01\n    note: Before the article was read.\n",
     f"{CARD}:46:5: changes[0].date: 2026-11-01 is before the card existed (its articles "
     "were first read on 2026-11-21) (hint: a note says what changed after the card was "
     "first published)"),
    ("changes:\n  - date: 2026-12-02\n    note: ''\n",
     f"{CARD}:47:11: changes[0].note: must not be empty"),
    ("changes:\n  - date: 2099-01-01\n    note: Too early.\n",
     f"{CARD}:46:11: changes[0].date: 2099-01-01 is after today "
     "(hint: give the date it was done)"),
    ("changes:\n  - date: 2026-12-02\n",
     f"{CARD}:46:5: changes[0].note: is missing"),
])
def test_bad_notes_are_problems_at_their_line(project: Path, notes: str,
                                              expected: str) -> None:
    add_notes(project, notes)
    assert expected in errors(project)


def test_form_notes_out_of_order(project: Path) -> None:
    add_notes(project, "changes:\n  - date: 2026-11-25\n    note: First.\n"
              "  - date: 2026-12-02\n    note: Second.\n", FORM)
    lines = (project / FORM).read_text(encoding="utf-8").splitlines()
    line = len(lines) - 1
    assert (f"{FORM}:{line}:5: changes[1].date: 2026-12-02 is after the note above it "
            "(2026-11-25) (hint: list the notes newest first)") in errors(project)


def test_edit_keeps_notes_valid(project: Path) -> None:
    edit(project, "reviewer: Evidence team", "reviewer: Evidence team\n" + NOTES.rstrip())
    edit(project, "reviewed: 2026-11-21", "reviewed: 2026-12-02")  # a change is a review
    assert errors(project) == []


# The re-grade of 2026-12-02 (issue 15's closing note): the 21 of the 46 first cards whose
# verdict or certainty changed since they were first published.
REGRADED = {
    "glycinate-bioavailability", "glycinate-hair-dose-200-400",
    "glycinate-restores-follicles-after-trauma", "glycinate-stress-hair-loss-benefit",
    "hair-loss-prevalence-women-men", "magnesium-300-enzyme-reactions",
    "magnesium-cortisol-25-percent", "magnesium-deficiency-prevalence",
    "magnesium-excess-hair-loss", "magnesium-general-functions", "magnesium-hair-cycle",
    "magnesium-microvascular-20-percent", "magnesium-reduces-stress",
    "magnesium-supplement-regrowth-weeks", "mgt-dkk1-dermal-papilla", "mgt-exp-dermatol-dpc",
    "mgt-fphl-trial", "mgt-higher-bioavailability", "mgt-no-strong-evidence-hair",
    "mgt-other-hair-loss-causes", "mgt-treats-androgenetic-alopecia",
}


def test_real_content_has_the_backfilled_history() -> None:
    from tests.conftest import ROOT

    evidence, problems = load_evidence(ROOT)
    assert [str(p) for p in problems if not p.warning] == []
    regrade = dt.date(2026, 12, 2)
    noted = {c.id for c in evidence.cards if any(n.date == regrade for n in c.changes)}
    assert noted == REGRADED
    dpc = evidence.card("mgt-exp-dermatol-dpc").changes[-1]
    assert "from not supported to contradicted" in dpc.note
    assert all("re-graded" in next(n for n in evidence.card(i).changes if n.date == regrade)
               .note for i in REGRADED)


def test_real_content_notes_the_re_rating_on_hair_conclusions() -> None:
    """Issue 24's re-rating (2026-12-07): four claims rated on their hair conclusions."""
    from tests.conftest import ROOT

    evidence, _ = load_evidence(ROOT)
    rerated = {c.id for c in evidence.cards
               if any(n.date == dt.date(2026, 12, 7) and "to not supported" in n.note
                      for n in c.changes)}
    assert rerated == {"magnesium-calcium-follicles", "magnesium-protein-synthesis-follicles",
                       "magnesium-reduces-inflammation", "magnesium-reduces-stress"}


def test_a_card_reviewed_before_its_newest_note_is_a_problem_at_reviewed(
        project: Path) -> None:
    """A change note is shown as an update: the card's last review cannot be older."""
    add_notes(project, "changes:\n  - date: 2026-12-02\n    note: Re-graded.\n",
              reviewed=None)
    assert [e for e in errors(project) if ": reviewed: 2026-11-21 is before the newest "
            "change note (2026-12-02)" in e and e.startswith(f"{CARD}:")]

"""`evidence check --base REF` (issue 28): a verdict, certainty or bottom line that changed
since REF without a new dated note is a problem at the card's (form's) line; `evidence diff`
shows the new notes."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import evidence_cli
from tests.test_diff import commit_all, edit

DKK1 = "content/cards/mgt-dkk1-dermal-papilla.yaml"
FORM = "content/forms/magnesium-l-threonate.yaml"
NOTE = ("changes:\n  - date: 2026-12-03\n    note: The verdict changed from partly "
        "supported to not supported.\n")


def verdict_line(project: Path) -> int:
    lines = (project / DKK1).read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith("verdict:"))


def test_a_changed_verdict_without_a_note_is_a_problem_at_the_card(project: Path) -> None:
    commit_all(project)
    edit(project / DKK1, "verdict: partly-supported", "verdict: not-supported")
    result = evidence_cli("check", "--base", "HEAD", cwd=project)
    assert result.returncode == 1
    assert (f"{DKK1}:{verdict_line(project)}:1: changes: the verdict changed from partly "
            "supported to not supported since HEAD without a new dated note (hint: add a "
            "note at the top of changes: the date, and what changed and why)") in result.stdout
    # without --base the same content is fine
    assert evidence_cli("check", cwd=project).returncode == 0


def test_a_new_note_explains_the_change(project: Path) -> None:
    commit_all(project)
    edit(project / DKK1, "verdict: partly-supported", "verdict: not-supported")
    path = project / DKK1
    path.write_text(reviewed_on_the_note(path.read_text()) + NOTE)
    result = evidence_cli("check", "--base", "HEAD", cwd=project)
    assert result.returncode == 0, result.stdout
    diff = evidence_cli("diff", "HEAD", cwd=project).stdout
    assert ("new note 2026-12-03: The verdict changed from partly supported to not "
            "supported.") in diff


def test_a_changed_certainty_needs_a_note(project: Path) -> None:
    commit_all(project)
    edit(project / DKK1, "      compound: indirect", "      compound: direct")
    result = evidence_cli("check", "--base", "HEAD", cwd=project)
    assert result.returncode == 1
    assert "changes: the certainty changed from low to moderate since HEAD" in result.stdout


def with_bottom_line(project: Path, card: str, verdict: str) -> Path:
    """The form with a bottom line that relies on one card's verdict; the form's path."""
    form = project / FORM
    form.write_text(form.read_text() + (
        "question: Does it help hair loss?\nbottom_line:\n  - text: No study has tested it.\n"
        f"    relies_on:\n      - card: {card}\n        verdict: {verdict}\n"))
    return form


def test_a_changed_bottom_line_needs_a_note(project: Path) -> None:
    form = with_bottom_line(project, "mgt-fphl-trial", "not-supported")
    commit_all(project)
    edit(form, "No study has tested it.", "No study in people has tested it.")
    result = evidence_cli("check", "--base", "HEAD", cwd=project)
    assert result.returncode == 1
    line = next(i for i, x in enumerate(form.read_text().splitlines(), 1)
                if x.startswith("bottom_line:"))
    assert (f"{FORM}:{line}:1: changes: the bottom line changed since HEAD without a new "
            "dated note") in result.stdout


def test_a_bad_base_is_one_clear_error(project: Path) -> None:
    commit_all(project)
    result = evidence_cli("check", "--base", "no-such-ref", cwd=project)
    assert result.returncode == 2
    assert "'no-such-ref' is not a git revision here" in result.stderr


def test_a_bottom_line_that_only_follows_its_cards_needs_no_note(project: Path) -> None:
    form = with_bottom_line(project, "mgt-dkk1-dermal-papilla", "partly-supported")
    commit_all(project)
    edit(form, "        verdict: partly-supported", "        verdict: not-supported")
    edit(project / DKK1, "verdict: partly-supported", "verdict: not-supported")
    (project / DKK1).write_text(reviewed_on_the_note((project / DKK1).read_text()) + NOTE)
    result = evidence_cli("check", "--base", "HEAD", cwd=project)
    assert result.returncode == 0, result.stdout


def reviewed_on_the_note(text: str) -> str:
    """The card reviewed on its new note's day: a change is a review."""
    return re.sub(r"(?m)^reviewed: .*$", "reviewed: 2026-12-03", text)

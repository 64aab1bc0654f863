"""Bad cards are refused with the exact file, line, column, field and a hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import load_evidence

CARD = "content/cards/mgt-fphl-trial.yaml"


def edit_card(project: Path, old: str, new: str, card: str = CARD) -> None:
    path = project / card
    text = path.read_text()
    assert old in text, f"fixture changed: {old!r} not in {card}"
    path.write_text(text.replace(old, new, 1))


def messages(project: Path) -> list[str]:
    return [str(p) for p in load_evidence(project)[1]]


def test_fixture_is_clean(project: Path) -> None:
    evidence, problems = load_evidence(project)
    assert problems == []
    assert [c.id for c in evidence.cards] == ["mgt-dkk1-dermal-papilla", "mgt-fphl-trial"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("verdict: not-supported", "verdict: unsupported",
         f"{CARD}:34:10: verdict: 'unsupported' is not one of supported, partly-supported, "
         "not-supported, contradicted (hint: did you mean `not-supported`?)"),
        ("    citation_check: not-found", "    citation_check: notfound",
         f"{CARD}:15:21: appearances[0].citation_check: 'notfound' is not one of not-found, "
         "misattributed, verified, none (hint: did you mean `not-found`?)"),
        ("form: magnesium-l-threonate", "form: magnesium-l-threonat",
         f"{CARD}:3:7: form: unknown form 'magnesium-l-threonat' "
         "(hint: did you mean `magnesium-l-threonate`?)"),
        ("reviewer: Evidence team", "reviewer: Evidence team\nreviewd: 2026-01-01",
         f"{CARD}:43:1: reviewd: unknown field (hint: did you mean `reviewed`?)"),
        ("searched_to: 2026-11-21", "searched_to: 21/11/2026",
         f"{CARD}:41:14: searched_to: expected a date as YYYY-MM-DD, got '21/11/2026'"),
        ("id: mgt-fphl-trial", "id: mgt-fphl",
         f"{CARD}:2:5: id: id 'mgt-fphl' differs from the file name "
         "(hint: rename the file to mgt-fphl.yaml or use id: mgt-fphl-trial)"),
        ("downgrades: []", "downgrades: []\ncertainty: low",
         f"{CARD}:40:12: certainty: 'low' does not follow from the studies and downgrades, "
         "which give 'very-low' (hint: remove the field, or change the studies/downgrades)"),
        ("claim: >-", "claim: <script>alert(1)</script>\nold_claim: >-",
         f"{CARD}:4:8: claim: must be plain text: no HTML tags, entities or control "
         "characters"),
    ],
)
def test_bad_card_names_line_and_field(project: Path, old: str, new: str,
                                       expected: str) -> None:
    edit_card(project, old, new)
    assert expected in messages(project)


def test_missing_bib_key_has_a_hint(project: Path) -> None:
    edit_card(project, "  - key: kwack2010preventable", "  - key: kwack2011preventable",
              card="content/cards/mgt-dkk1-dermal-papilla.yaml")
    assert messages(project)[0] == (
        "content/cards/mgt-dkk1-dermal-papilla.yaml:15:5: studies[0].key: no entry "
        "'kwack2011preventable' in content/references.bib "
        "(hint: add `kwack2011preventable` to content/references.bib)"
    )


def test_every_problem_at_once(project: Path) -> None:
    edit_card(project, "verdict: not-supported", "verdict: maybe")
    edit_card(project, "reviewer: Evidence team", "reviewer: 42")
    found = messages(project)
    assert [m.split(": ")[0] for m in found] == [f"{CARD}:34:10", f"{CARD}:42:11"]


def test_studies_required_note_and_missing_fields(project: Path) -> None:
    path = project / CARD
    path.write_text("id: mgt-fphl-trial\nform: magnesium-l-threonate\n")
    found = messages(project)
    assert f"{CARD}:1:1: claim: is missing" in found
    assert f"{CARD}:1:1: verdict: is missing" in found


def test_unused_bib_entry_is_a_warning(project: Path) -> None:
    bib = project / "content/references.bib"
    bib.write_text(bib.read_text() + "\n@article{extra2020,\n  author = {Doe, Jane},\n"
                   "  title = {T},\n  journal = {J},\n  year = {2020},\n}\n")
    [problem] = load_evidence(project)[1]
    assert problem.warning
    assert str(problem).startswith("warning: content/references.bib:")
    assert str(problem).endswith("extra2020: bib entry is not cited by any card")

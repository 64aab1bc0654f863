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
         f"{CARD}:35:10: verdict: 'unsupported' is not one of supported, partly-supported, "
         "not-supported, contradicted (hint: did you mean `not-supported`?)"),
        ("    citation_check: not-found", "    citation_check: notfound",
         f"{CARD}:15:21: appearances[0].citation_check: 'notfound' is not one of not-found, "
         "misattributed, verified, none (hint: did you mean `not-found`?)"),
        ("form: magnesium-l-threonate", "form: magnesium-l-threonat",
         f"{CARD}:3:7: form: unknown form 'magnesium-l-threonat' "
         "(hint: did you mean `magnesium-l-threonate`?)"),
        ("reviewer: Evidence team", "reviewer: Evidence team\nreviewd: 2026-01-01",
         f"{CARD}:45:1: reviewd: unknown field (hint: did you mean `reviewed`?)"),
        ("searched_to: 2026-11-21", "searched_to: 21/11/2026",
         f"{CARD}:43:14: searched_to: expected a date as YYYY-MM-DD, got '21/11/2026'"),
        ("id: mgt-fphl-trial", "id: mgt-fphl",
         f"{CARD}:2:5: id: id 'mgt-fphl' differs from the file name "
         "(hint: rename the file to mgt-fphl.yaml or use id: mgt-fphl-trial)"),
        ("downgrades: []", "downgrades: []\ncertainty: low",
         f"{CARD}:41:12: certainty: 'low' does not follow from the question, the studies' "
         "directness and the downgrades: no study bears on the claim: gives no-studies "
         "(hint: remove the field, or change the directness or downgrades)"),
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
    assert [m.split(": ")[0] for m in found] == [f"{CARD}:35:10", f"{CARD}:44:11"]


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


DKK1 = "content/cards/mgt-dkk1-dermal-papilla.yaml"


def test_rejected_certainty_shows_the_derivation(project: Path) -> None:
    edit_card(project, "downgrades: []", "downgrades: []\ncertainty: moderate", card=DKK1)
    found = [m for m in messages(project) if "certainty:" in m]
    assert found == [
        f"{DKK1}:47:12: certainty: 'moderate' does not follow from the question, the studies' "
        "directness and the downgrades: question mechanism; best study kwack2010preventable "
        "(in-vitro) starts at moderate; other-compound: down to low; gives low (hint: remove "
        "the field, or change the directness or downgrades)"]


def test_an_indirectness_downgrade_is_refused_with_a_hint(project: Path) -> None:
    edit_card(project, "downgrades: []", "downgrades:\n  - reason: other-compound\n"
              "    why: L-threonate, not magnesium L-threonate.", card=DKK1)
    assert [m for m in messages(project) if "warning" not in m] == [
        f"{DKK1}:47:13: downgrades[0].reason: 'other-compound' is indirectness, which is "
        "derived from the studies' directness, not entered (hint: remove this downgrade and "
        "set directness.compound: indirect, with why, on the studies it applies to)"]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("    design: in-vitro", "    design: systematic-review",
     "studies[0].pooled_design: is required for design systematic-review"),
    ("    design: in-vitro", "    design: in-vitro\n    pooled_design: human-rct",
     "studies[0].pooled_design: is only for design systematic-review"),
    ("      compound: indirect\n", "",
     "studies[0].directness.compound: is missing"),
    ("question: mechanism", "question: effectiveness",
     "question: 'effectiveness' is not one of effect, association, prevalence, mechanism, "
     "reference-values, fact, test-accuracy (hint: did you mean `effect`?)"),
])
def test_grading_fields_are_checked(project: Path, old: str, new: str, expected: str) -> None:
    edit_card(project, old, new, card=DKK1)
    assert any(expected in m for m in messages(project)), messages(project)


def test_no_study_grades_no_studies_and_background_is_not_a_study(project: Path) -> None:
    evidence, _ = load_evidence(project)
    assert evidence.card("mgt-fphl-trial").certainty == "no-studies"
    dkk1 = evidence.card("mgt-dkk1-dermal-papilla")
    assert (dkk1.certainty, [b.key for b in dkk1.background]) == (
        "low", ["kwack2008dihydrotestosterone"])


def test_a_load_leaves_the_cycle_collector_as_it_found_it(project: Path) -> None:
    """load_evidence pauses Python's cycle collector while it reads (a fifth of a load at
    1,000 cards, bench/RESULTS.md): on or off before, the same after, errors included."""
    import gc

    from generator.core.load import load_evidence

    assert gc.isenabled()
    load_evidence(project)
    assert gc.isenabled()
    gc.disable()
    try:
        load_evidence(project)
        assert not gc.isenabled()
    finally:
        gc.enable()
    (project / "content/cards/broken.yaml").write_text("id: [\n")
    assert load_evidence(project)[1] and gc.isenabled()

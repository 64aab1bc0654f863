"""A form's bottom line: the reader's question answered in plain words, resting on cards
that `evidence check` compares with what each statement says."""

from __future__ import annotations

from pathlib import Path

import pytest
import textstat

from generator import load_evidence
from tests.conftest import ROOT, evidence_cli

FORM = "content/forms/magnesium-l-threonate.yaml"
MAX_GRADE = 8  # US school grade, Flesch–Kincaid
BOTTOM_LINE = """question: Does magnesium L-threonate help hair loss?
bottom_line:
  - text: >-
      No study has tested whether magnesium L-threonate helps hair loss in people.
    relies_on:
      - card: mgt-fphl-trial
        verdict: not-supported
  - text: >-
      A lab study found that a part of it acted on hair cells in a dish. That does not show
      that it works in people.
    relies_on:
      - card: mgt-dkk1-dermal-papilla
        verdict: partly-supported
"""


@pytest.fixture
def project(project: Path) -> Path:
    """The fixture project, its form given a question and a bottom line."""
    path = project / FORM
    path.write_text(path.read_text() + BOTTOM_LINE)
    return project


def edit_form(project: Path, old: str, new: str) -> None:
    path = project / FORM
    text = path.read_text()
    assert old in text, f"fixture changed: {old!r} not in {FORM}"
    path.write_text(text.replace(old, new, 1))


def line_of(project: Path, needle: str, nth: int = 1) -> int:
    lines = (project / FORM).read_text().splitlines()
    hits = [i for i, line in enumerate(lines, 1) if needle in line]
    return hits[nth - 1]


def test_the_form_has_its_question_and_bottom_line(project: Path) -> None:
    evidence, problems = load_evidence(project)
    assert problems == []
    form = evidence.form("magnesium-l-threonate")
    assert form.question == "Does magnesium L-threonate help hair loss?"
    assert form.bottom_line[0].text.startswith("No study has tested")
    assert [r.card for s in form.bottom_line for r in s.relies_on] == [
        "mgt-fphl-trial", "mgt-dkk1-dermal-papilla"]


@pytest.mark.parametrize(("old", "new", "field", "message"), [
    ("card: mgt-fphl-trial", "card: mgt-fphl-trail", "bottom_line[0].relies_on[0].card",
     "no card 'mgt-fphl-trail' (hint: did you mean `mgt-fphl-trial`?)"),
    ("verdict: not-supported", "verdict: supported", "bottom_line[0].relies_on[0].verdict",
     "card 'mgt-fphl-trial' has verdict 'not-supported', not 'supported'"),
    ("verdict: partly-supported", "verdict: partly-supported\n        certainty: high",
     "bottom_line[1].relies_on[0].certainty",
     "card 'mgt-dkk1-dermal-papilla' has certainty"),
])
def test_check_names_file_line_and_field_of_a_wrong_reliance(
        project: Path, old: str, new: str, field: str, message: str) -> None:
    edit_form(project, old, new)
    result = evidence_cli("check", cwd=project)
    assert result.returncode == 1
    key = new.split("\n")[-1].strip().split(":")[0]  # the line that carries the error
    line = line_of(project, new.split("\n")[-1].strip())
    assert f"{FORM}:{line}:" in result.stdout + result.stderr, (key, result.stdout)
    out = result.stdout + result.stderr
    assert f": {field}: {message}" in out


def test_a_card_of_another_form_is_refused(project: Path) -> None:
    card = project / "content/cards/mgt-fphl-trial.yaml"
    card.write_text(card.read_text().replace("form: magnesium-l-threonate", "form: magnesium"))
    (project / "content/forms/magnesium.yaml").write_text(
        (ROOT / "content/forms/magnesium.yaml").read_text().split("question:")[0])
    problems = [str(p) for p in load_evidence(project)[1] if not p.warning]
    assert any(p.startswith(f"{FORM}:") and "bottom_line[0].relies_on[0].card: card "
               "'mgt-fphl-trial' is about form 'magnesium', not 'magnesium-l-threonate'" in p
               for p in problems), problems


def test_a_card_shown_on_the_form_through_also_forms_is_accepted(project: Path) -> None:
    """A safety card filed under the compound in general, shown on a salt's page through
    also_forms, can carry that salt's bottom line (the upper limit on every form)."""
    card = project / "content/cards/mgt-fphl-trial.yaml"
    card.write_text(card.read_text().replace(
        "form: magnesium-l-threonate",
        "form: magnesium\nalso_forms: [magnesium-l-threonate]"))
    (project / "content/forms/magnesium.yaml").write_text(
        (ROOT / "content/forms/magnesium.yaml").read_text().split("question:")[0])
    problems = [str(p) for p in load_evidence(project)[1] if not p.warning]
    assert not [p for p in problems if "relies_on" in p], problems


def test_a_bottom_line_needs_its_question(project: Path) -> None:
    edit_form(project, "question: Does magnesium L-threonate help hair loss?\n", "")
    problems = [str(p) for p in load_evidence(project)[1]]
    assert any(": question: is required when bottom_line is given" in p for p in problems)


def _readable(text: str) -> float:
    return textstat.flesch_kincaid_grade(text)


def test_every_real_bottom_line_reads_at_grade_8_or_below() -> None:
    evidence, problems = load_evidence(ROOT)
    assert [str(p) for p in problems if not p.warning] == []
    for form in evidence.forms:
        assert form.question and form.bottom_line, f"{form.id} has no bottom line"
        text = " ".join(s.text for s in form.bottom_line)
        grade = _readable(text)
        assert grade <= MAX_GRADE, f"{form.id}: grade {grade:.1f}: {text}"
        for statement in form.bottom_line:  # no one sentence hides in a good average
            assert _readable(statement.text) <= MAX_GRADE + 2, (form.id, statement.text)


def test_real_cards_about_hair_are_marked_and_have_plain_titles() -> None:
    evidence, _ = load_evidence(ROOT)
    hair = [c for c in evidence.cards if "hair" in c.claim.lower()]
    # group outcome: the claim says the supplement affects hair (or, group evidence, says what
    # the studies of it on hair are); a background fact about hair itself (the hair cycle,
    # causes of hair loss) is listed with the background.
    effect = [c for c in hair if "magnesium" in c.claim.lower() or "threonate" in c.claim.lower()]
    assert effect and all(c.group in ("outcome", "evidence", "background") for c in effect)
    assert not [c.id for c in hair if c not in effect and c.group == "outcome"]
    for form in evidence.forms:  # as a handout lists them: a title alone is too short to
        titles = [c.plain_title for c in evidence.cards_of_form(form.id)]  # measure
        assert all(titles), form.id
        grade = _readable(". ".join(t for t in titles if t) + ".")
        assert grade <= MAX_GRADE, (form.id, grade)


def test_the_hair_claims_badges_give_the_bottom_lines_answer() -> None:
    """Skimming the badges of "Claims that it helps hair" must not read as good news that no
    bottom line gives: no claim that a form helps hair is supported, and a true statement
    that evidence is missing ("there is no set dose for hair") reads "Accurate", listed apart."""
    evidence, _ = load_evidence(ROOT)
    outcome = [c for c in evidence.cards if c.group == "outcome"]
    assert outcome
    assert not [c.id for c in outcome if c.verdict == "supported"]
    no_dose = evidence.card("mgt-no-hair-dose")
    assert (no_dose.group, no_dose.verdict_label) == ("evidence", "Accurate")

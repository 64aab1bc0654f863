"""The documented grading rule (CONTRACT.md): design x question, then indirectness derived
from each study's directness, then the entered downgrades."""

from __future__ import annotations

import pytest

from generator.core import vocab
from generator.core.grading import explain, grade
from generator.core.model import Directness, Downgrade, StudyUse

DIRECT = Directness("direct", "direct", "direct", "It answers the claim.")


def study(design: str, *indirect: str, key: str = "k", pooled: str | None = None) -> StudyUse:
    d = Directness(*("indirect" if n in indirect else "direct" for n in vocab.DIRECTNESS),
                   why="because")
    return StudyUse(key=key, design=design, population="p", finding="f", directness=d,
                    pooled_design=pooled)


def test_no_study_is_no_studies_without_steps() -> None:
    result = grade("effect", (), ())
    assert (result.certainty, result.best, result.steps) == ("no-studies", None, ())
    assert vocab.CERTAINTY_LABELS["no-studies"] == "No studies"
    assert "what the studies found" not in vocab.CERTAINTY_MEANING["no-studies"]


@pytest.mark.parametrize(("design", "question", "start"), [
    ("human-rct", "effect", "high"),
    ("human-observational", "effect", "low"),
    ("human-observational", "prevalence", "high"),
    ("animal", "mechanism", "moderate"),
    ("in-vitro", "effect", "low"),
    ("reference-values", "effect", "low"),
    ("reference-values", "reference-values", "high"),
    ("narrative-review", "mechanism", "very-low"),
])
def test_start_is_design_by_question(design: str, question: str, start: str) -> None:
    result = grade(question, (study(design),), ())
    assert (result.start, result.certainty) == (start, start)


def test_systematic_review_starts_as_what_it_pooled() -> None:
    sr = study("systematic-review", pooled="human-observational")
    assert grade("effect", (sr,), ()).start == "low"
    assert grade("prevalence", (sr,), ()).start == "high"


def test_each_indirect_dimension_is_one_step_at_most_two() -> None:
    assert grade("effect", (study("human-rct", "compound"),), ()).certainty == "moderate"
    two = grade("effect", (study("human-rct", "compound", "outcome"),), ())
    assert two.certainty == "low"
    assert [s.reason for s in two.steps] == ["other-compound", "surrogate-outcome"]
    three = grade("effect", (study("human-rct", "population", "compound", "outcome"),), ())
    assert three.certainty == "low"


def test_animals_or_cells_is_the_population_step_of_an_animal_study() -> None:
    result = grade("effect", (study("in-vitro", "population"),), ())
    assert (result.certainty, [s.reason for s in result.steps]) == ("very-low",
                                                                   ["animals-or-cells"])
    assert result.steps[0].why == "because"


def test_best_study_after_its_own_steps_sets_the_level() -> None:
    weak_rct = study("human-rct", "population", "compound", key="rct")
    cohort = study("human-observational", key="cohort")
    result = grade("effect", (weak_rct, cohort), ())
    assert (result.best.key if result.best else None, result.certainty) == ("rct", "low")
    direct_rct = study("human-rct", key="direct")
    assert grade("effect", (weak_rct, direct_rct), ()).best.key == "direct"  # type: ignore[union-attr]


def test_entered_downgrades_step_down_never_below_very_low() -> None:
    downs = tuple(Downgrade(r, "x") for r in vocab.ENTERED_DOWNGRADES)
    assert grade("effect", (study("human-rct"),), downs[:1]).certainty == "moderate"
    assert grade("effect", (study("human-rct"),), downs).certainty == "very-low"


def test_explain_shows_best_study_start_and_steps() -> None:
    result = grade("effect", (study("human-rct", "compound", key="smith2020"),),
                   (Downgrade("imprecision", "small"),))
    text = explain(result)
    assert text == ("question effect; best study smith2020 (human-rct) starts at high; "
                    "other-compound: down to moderate; imprecision: down to low; gives low")
    assert explain(grade("effect", (), ())) == "no study bears on the claim: gives no-studies"


def test_the_table_in_content_readme_is_the_rule() -> None:
    from pathlib import Path

    text = (Path(__file__).parents[1] / "content/README.md").read_text(encoding="utf-8")
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 8 and cells[0].startswith("`") and cells[1] in vocab.LEVELS:
            rows[cells[0].split("`")[1]] = dict(zip(vocab.QUESTIONS, cells[1:], strict=True))
    assert rows == vocab.START

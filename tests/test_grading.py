"""The documented grading rule, step by step."""

from __future__ import annotations

from generator.grading import grade
from generator.model import Downgrade, StudyUse


def study(design: str) -> StudyUse:
    return StudyUse(key="k", design=design, population="p", finding="f")


def test_no_study_is_very_low_with_reason() -> None:
    result = grade((), ())
    assert (result.certainty, [s.reason for s in result.steps]) == ("very-low", ["no-evidence"])


def test_best_design_sets_the_start() -> None:
    result = grade((study("in-vitro"), study("human-rct")), ())
    assert (result.start, result.start_design, result.certainty) == ("high", "human-rct", "high")


def test_each_downgrade_steps_down_one_level() -> None:
    downs = (Downgrade("other-compound", "x"), Downgrade("imprecision", "y"))
    assert grade((study("systematic-review"),), downs).certainty == "low"


def test_cells_and_animals_step_down_by_themselves() -> None:
    result = grade((study("animal"),), ())
    assert result.certainty == "very-low"
    assert [s.reason for s in result.steps] == ["animals-or-cells"]
    # Entering the reason by hand does not count it twice.
    again = grade((study("in-vitro"),), (Downgrade("animals-or-cells", "cells"),))
    assert [s.reason for s in again.steps] == ["animals-or-cells"]


def test_never_below_very_low() -> None:
    downs = tuple(Downgrade(r, "x") for r in ("risk-of-bias", "imprecision", "inconsistency",
                                               "publication-bias", "other-population"))
    assert grade((study("human-rct"),), downs).certainty == "very-low"


def test_observational_starts_low() -> None:
    assert grade((study("human-observational"),), ()).certainty == "low"

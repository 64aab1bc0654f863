"""The documented rule from a card's entered fields to its certainty (GRADE terms).

1. Each study starts at vocab.START[design][question] (a systematic review at the start of
   the design it pooled).
2. It steps down one level for each indirect dimension of its `directness` (population,
   compound, outcome; the population step of an animal or cell study is "animals or cells"),
   at most vocab.MAX_INDIRECT_STEPS.
3. The card takes the best study's level (the first listed among equals), then steps down one
   level for each entered downgrade, never below very-low.
4. A card with no study is no-studies: there is no evidence to grade.
"""

from __future__ import annotations

from generator.core import vocab
from generator.core.model import Downgrade, Grade, StudyGrade, StudyUse


def _down(level: str, steps: int) -> str:
    return vocab.LEVELS[min(vocab.LEVELS.index(level) + steps, len(vocab.LEVELS) - 1)]


def study_grade(question: str, study: StudyUse) -> StudyGrade:
    design = (study.pooled_design or "human-rct") if study.design == "systematic-review" \
        else study.design
    start = vocab.START[design][question]
    steps = []
    for name in study.directness.indirect[: vocab.MAX_INDIRECT_STEPS]:
        reason = vocab.INDIRECTNESS[name][0]
        if name == "population" and design in vocab.ANIMAL_DESIGNS:
            reason = vocab.ANIMALS_OR_CELLS
        steps.append(Downgrade(reason, study.directness.why))
    return StudyGrade(study.key, study.design, design, start, tuple(steps),
                      _down(start, len(steps)))


def grade(question: str, studies: tuple[StudyUse, ...],
          downgrades: tuple[Downgrade, ...], retracted: frozenset[str] = frozenset()) -> Grade:
    """The card's certainty; a retracted study (its key in `retracted`) is never the best."""
    counted = tuple(s for s in studies if s.key not in retracted)
    if not counted:
        return Grade(vocab.NO_STUDIES, question, None, (),
                     tuple(s.key for s in studies if s.key in retracted))
    graded = [study_grade(question, s) for s in counted]
    best = min(graded, key=lambda g: vocab.LEVELS.index(g.level))
    return Grade(_down(best.level, len(downgrades)), question, best,
                 best.steps + tuple(downgrades),
                 tuple(s.key for s in studies if s.key in retracted))


def explain(result: Grade) -> str:
    """The derivation in one line, for a rejected `certainty:`."""
    skipped = "".join(f"retracted study {k} not counted; " for k in result.retracted)
    if result.best is None:
        return f"{skipped}no study bears on the claim: gives {result.certainty}"
    best = result.best
    design = best.design if best.design == best.start_design else \
        f"{best.design} of {best.start_design}"
    parts = [f"{skipped}question {result.question}; best study {best.key} ({design}) starts at "
             f"{best.start}"]
    level = best.start
    for step in result.steps:
        level = _down(level, 1)
        parts.append(f"{step.reason}: down to {level}")
    return "; ".join(parts) + f"; gives {result.certainty}"

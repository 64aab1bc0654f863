"""The documented rule from a card's entered fields to its certainty (GRADE terms).

1. Start at the level of the best study design on the card (vocab.DESIGNS); a card with no
   study starts, and stays, at very-low.
2. If the best design is an animal or cell study, `animals-or-cells` applies by itself.
3. Step down one level for each downgrade reason, never below very-low.
"""

from __future__ import annotations

from . import vocab
from .model import Downgrade, Grade, StudyUse


def grade(studies: tuple[StudyUse, ...], downgrades: tuple[Downgrade, ...]) -> Grade:
    if not studies:
        none = Downgrade(vocab.NO_EVIDENCE, "No study was found that bears on the claim.")
        return Grade("very-low", "very-low", None, (none,))
    best = min(studies, key=lambda s: vocab.CERTAINTIES.index(vocab.DESIGNS[s.design][1]))
    start = vocab.DESIGNS[best.design][1]
    steps = list(downgrades)
    auto = vocab.AUTO_DOWNGRADE.get(best.design)
    if auto and all(d.reason != auto for d in steps):
        label = vocab.DESIGNS[best.design][0].lower()
        steps.insert(0, Downgrade(auto, f"The best available evidence: {label}."))
    level = min(vocab.CERTAINTIES.index(start) + len(steps), len(vocab.CERTAINTIES) - 1)
    return Grade(vocab.CERTAINTIES[level], start, best.design, tuple(steps))

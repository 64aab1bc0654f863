"""Change notes (`changes`: dated notes, newest first) of cards and forms: the checks a
single field cannot make, and the model's notes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from generator.core.model import Change
from generator.core.problems import Problem
from generator.core.yamlio import MarkedDict


def make_changes(checked: Any) -> tuple[Change, ...]:
    return tuple(Change(date=c["date"], note=c["note"]) for c in checked or ()
                 if c["date"] and c["note"])


def check_changes(path: str, raw: MarkedDict, checked: Any,
                  existed: dt.date | None = None) -> list[Problem]:
    """Notes out of order (newest first), or dated before `existed`: the day the card's
    articles were first read, since a card cannot change before it was written."""
    items = raw.get("changes")
    marks = items.mark if hasattr(items, "mark") else (lambda _i: raw.mark("changes"))
    problems = []
    previous: dt.date | None = None
    for i, change in enumerate(checked or ()):
        date = change["date"]
        if date is None:
            continue
        if previous is not None and date > previous:
            problems.append(Problem(path, *marks(i), f"changes[{i}].date",
                                    f"{date.isoformat()} is after the note above it "
                                    f"({previous.isoformat()})",
                                    "list the notes newest first"))
        if existed is not None and date < existed:
            problems.append(Problem(path, *marks(i), f"changes[{i}].date",
                                    f"{date.isoformat()} is before the card existed (its "
                                    f"articles were first read on {existed.isoformat()})",
                                    "a note says what changed after the card was first "
                                    "published"))
        previous = date
    return problems

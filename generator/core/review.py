"""When a card's literature search is due for an update: `searched_to` older than the
plugin's `review_after_months` (default 12), measured from a given day (never read here)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from pathlib import Path

from generator.core.model import Card, Evidence
from generator.core.problems import Problem

REVIEW_AFTER_MONTHS = 12


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` months earlier (the month's last day where it has fewer)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def search_due(card: Card, as_of: dt.date, months: int = REVIEW_AFTER_MONTHS) -> bool:
    return card.searched_to < months_before(as_of, months)


def stale_searches(ev: Evidence, root: Path, as_of: dt.date,
                   months: int = REVIEW_AFTER_MONTHS) -> list[Problem]:
    """A warning at the `searched_to` line of each card whose search is due for an update."""
    out = []
    for card in ev.cards:
        if not search_due(card, as_of, months):
            continue
        line, column = field_line(root / card.path, "searched_to")
        out.append(Problem(card.path, line, column, "searched_to",
                           f"the literature was searched up to {card.searched_to.isoformat()}"
                           f", more than {months} months ago: the search is due for an update",
                           "search again, then update searched_to", warning=True))
    return out


def field_line(path: Path, name: str) -> tuple[int, int]:
    """Line and column of the value of a top-level field of a content file, as an editor
    shows it (1, 1 if not found)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return 1, 1
    found = re.search(rf"^{re.escape(name)}:[ \t]*", text, re.MULTILINE)
    if not found:
        return 1, 1
    return text.count("\n", 0, found.start()) + 1, found.end() - found.start() + 1

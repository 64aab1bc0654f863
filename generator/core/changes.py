"""Change notes (`changes`: dated notes, newest first) of cards and forms: the checks a
single field cannot make, and the model's notes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.core.model import Change, Evidence
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


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def long_date(date: dt.date) -> str:
    """2026-12-02 → "2 December 2026" (in English whatever the machine's locale)."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


@dataclass(frozen=True)
class Logged:
    """One change note with the page it belongs to: a claim (card) or a form."""

    date: dt.date
    note: str
    kind: str  # "claim" | "form"
    id: str
    title: str  # the card's title or the form's name
    page: str  # the page's source path: claims/<id>.md, forms/<id>.md
    url: str  # the page's path from the site root: claims/<id>/
    number: int  # 1 for the page's oldest note: stable when newer notes are added
    form: str = ""  # a claim's form, by name (its plain title may say only "it")


def change_log(ev: Evidence, form: str | None = None) -> list[Logged]:
    """Every change note of the site (or of one form and its cards), newest first; notes of
    the same day in the order of the site's pages (forms, then claims, by id)."""
    forms = [f for f in ev.forms if form is None or f.id == form]
    cards = ev.cards if form is None else ev.cards_of_form(form)
    logged = [Logged(n.date, n.note, "form", f.id, f.name, f"forms/{f.id}.md", f.url,
                     len(f.changes) - i) for f in forms for i, n in enumerate(f.changes)]
    names = {f.id: f.name for f in ev.forms}
    logged += [Logged(n.date, n.note, "claim", c.id, c.title, f"claims/{c.id}.md", c.url,
                      len(c.changes) - i, names.get(c.form, ""))
               for c in sorted(cards, key=lambda c: c.id) for i, n in enumerate(c.changes)]
    return sorted(logged, key=lambda x: x.date, reverse=True)  # stable: page order kept


def unexplained(old: Evidence, new: Evidence, base: str, root: Path) -> list[Problem]:
    """A problem for each card whose verdict or certainty, and each form whose bottom line,
    changed since `base` (the evidence there: old) without a new dated note; at the card's
    verdict line, the form's bottom_line line."""
    from generator.core import vocab
    from generator.core.review import field_line

    hint = "add a note at the top of changes: the date, and what changed and why"
    out = []
    before = {c.id: c for c in old.cards}
    for card in new.cards:
        was = before.get(card.id)
        if was is None or set(card.changes) - set(was.changes):
            continue
        for name, labels, then, now in (
                ("verdict", vocab.VERDICTS, was.verdict, card.verdict),
                ("certainty", vocab.CERTAINTY_LABELS, was.certainty, card.certainty)):
            if then != now:
                out.append(Problem(card.path, field_line(root / card.path, "verdict")[0], 1,
                                   "changes", f"the {name} changed from "
                                   f"{labels[then].lower()} to {labels[now].lower()} since "
                                   f"{base} without a new dated note", hint))
    forms = {f.id: f for f in old.forms}
    for form in new.forms:
        was = forms.get(form.id)
        if (was is not None  # what readers read: the statements' texts
                and [s.text for s in was.bottom_line] != [s.text for s in form.bottom_line]
                and not set(form.changes) - set(was.changes)):
            out.append(Problem(form.path, field_line(root / form.path, "bottom_line")[0], 1,
                               "changes", f"the bottom line changed since {base} without a "
                               "new dated note", hint))
    return out

"""Checking one parsed content file against its field specs (core/schema.py): every problem
is collected with the file, line and field, and a hint where the fix is obvious."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any

from generator.core import vocab
from generator.core.problems import Problem
from generator.core.schema import (
    BIB_KEY,
    CONTROL,
    HTML_LIKE,
    PLACEHOLDER,
    SHOWS_NOTHING,
    SLUG,
    URL,
    Field,
)
from generator.core.yamlio import MarkedDict, MarkedList

# Words contributors write for a value, where the closest spelling would flip the meaning.
SYNONYMS = {"unsupported": "not-supported", "refuted": "contradicted",
            "partial": "partly-supported", "partially-supported": "partly-supported",
            "very low": "very-low", "verylow": "very-low", "rct": "human-rct"}


def _hint_choice(value: str, choices: tuple[str, ...]) -> str:
    if SYNONYMS.get(value.lower()) in choices:
        return f"did you mean `{SYNONYMS[value.lower()]}`?"
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.5)
    return f"did you mean `{close[0]}`?" if close else ""


class _Checker:
    def __init__(self, path: str, problems: list[Problem]):
        self.path = path
        self.problems = problems

    def add(self, where: tuple[int, int], field: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.path, where[0], where[1], field, message, hint))

    def value(self, spec: Field, value: Any, where: tuple[int, int], label: str) -> Any:
        """Return the checked value, or None after adding a problem."""
        if value is None:
            if not spec.nullable:
                self.add(where, label, "a value is required")
            return None
        kind = spec.kind
        if kind == "objects":
            return self.objects(spec, value, where, label)
        if kind == "object":
            return self.mapping(spec.items, value, where, label)
        if kind == "texts":
            if not isinstance(value, list):
                self.add(where, label, "expected a list of texts")
                return None
            out = []
            for i, item in enumerate(value):
                mark = value.mark(i) if isinstance(value, MarkedList) else where
                text = self.text(spec, item, mark, f"{label}[{i}]")
                if text is not None:
                    out.append(text)
            return tuple(out)
        if kind == "bool":
            if not isinstance(value, bool):
                self.add(where, label, f"expected true or false, got {_kind(value)}")
                return None
            return value
        if kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                self.add(where, label, f"expected a whole number, got {_kind(value)}")
                return None
            return value
        if kind == "date":
            date = _date(value)
            if date is None:
                self.add(where, label, f"expected a date as YYYY-MM-DD, got {_show(value)}")
            elif date > _latest_date():
                self.add(where, label, f"{date.isoformat()} is after today",
                         "give the date it was done")
                return None
            elif date.year < 1990:  # before the web: every date here is of a page or a review
                self.add(where, label, f"{date.isoformat()} is before 1990", "a typo?")
                return None
            return date
        text = self.text(spec, value, where, label)
        if text is None:
            return None
        if kind == "key" and not BIB_KEY.match(text):
            self.add(where, label, f"{_show(text)} is not a usable BibTeX key",
                     "use letters, digits and _ : . - (e.g. kwack2010preventable)")
            return None
        if kind == "slug" and not SLUG.match(text):
            self.add(where, label, f"{_show(text)} is not a slug",
                     "use lowercase letters, digits and single hyphens")
            return None
        if kind == "url" and not URL.match(text):
            self.add(where, label, f"{_show(text)} is not an http(s) address")
            return None
        refused = {v: (m, h) for v, m, h in spec.refused}
        if kind == "enum" and text in refused:
            self.add(where, label, *refused[text])
            return None
        if kind == "enum" and text not in spec.choices:
            self.add(where, label,
                     f"{_show(text)} is not one of {', '.join(spec.choices)}",
                     _hint_choice(text, spec.choices))
            return None
        return text

    def text(self, spec: Field, value: Any, where: tuple[int, int], label: str) -> str | None:
        if not isinstance(value, str):
            self.add(where, label, f"expected text, got {_kind(value)}")
            return None
        text = " ".join(value.split())
        if not text.strip(SHOWS_NOTHING):
            self.add(where, label, "must not be empty")
            return None
        if PLACEHOLDER in text:
            self.add(where, label, f"still has the placeholder {PLACEHOLDER}",
                     "replace it with real content")
            return None
        if len(text) > spec.max_len:
            self.add(where, label, f"is {len(text)} characters long; "
                     f"at most {spec.max_len} are allowed")
            return None
        if HTML_LIKE.search(text) or CONTROL.search(value):
            self.add(where, label, "must be plain text: no HTML tags, entities or "
                     "control characters")
            return None
        word = vocab.internal_word(text) if spec.published and spec.kind in (
            "text", "texts") else None
        if word:
            self.add(where, label, f"uses {word!r}, a word about how the audit was made, "
                     "not about the evidence", vocab.INTERNAL_HINT)
            return None
        return text

    def objects(self, spec: Field, value: Any, where: tuple[int, int], label: str) -> Any:
        if not isinstance(value, list):
            self.add(where, label, f"expected a list, got {_kind(value)}")
            return None
        if len(value) < spec.min_items:
            self.add(where, label, f"needs at least {spec.min_items} item"
                     + ("" if spec.min_items == 1 else "s"))
        out = []
        for i, item in enumerate(value):
            mark = value.mark(i) if isinstance(value, MarkedList) else where
            checked = self.mapping(spec.items, item, mark, f"{label}[{i}]")
            if checked is not None:
                out.append(checked)
        return tuple(out)

    def mapping(self, specs: tuple[Field, ...], raw: Any, where: tuple[int, int],
                prefix: str = "") -> dict[str, Any] | None:
        if not isinstance(raw, dict):
            self.add(where, prefix, f"expected a mapping of fields, got {_kind(raw)}")
            return None
        marked = isinstance(raw, MarkedDict)
        marks = raw.mark if marked else (lambda _k: where)
        key_marks = raw.key_mark if marked else (lambda _k: where)
        known = {s.name: s for s in specs}
        out: dict[str, Any] = {}
        for key in raw:
            if key not in known:
                label = f"{prefix}.{key}" if prefix else key
                self.add(key_marks(key), label, "unknown field",
                         RENAMED.get(key) or _hint_choice(key, tuple(known)))
        for spec in specs:
            label = f"{prefix}.{spec.name}" if prefix else spec.name
            if spec.name not in raw:
                if spec.required:
                    self.add(where, label, "is missing")
                out[spec.name] = () if spec.kind in ("objects", "texts") else None
                continue
            out[spec.name] = self.value(spec, raw[spec.name], marks(spec.name), label)
        return out


def _kind(value: Any) -> str:
    for kind, name in ((bool, "true/false"), (dict, "a mapping"), (list, "a list"),
                       (int, "a number"), (float, "a number"), (str, "text"),
                       (dt.date, "a date")):
        if isinstance(value, kind):
            return name
    return "nothing" if value is None else type(value).__name__


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# Fields that were replaced: what to write instead.
RENAMED = {"main_outcome": "replaced by `group`: write `group: outcome` for a claim that the "
           "form affects the main outcome, or remove it"}


def check_object(specs: tuple[Field, ...], raw: Any, path: str,
                 problems: list[Problem]) -> dict[str, Any] | None:
    """Validate one parsed file against a spec; problems are appended."""
    where = (raw.line, raw.column) if isinstance(raw, MarkedDict) else (1, 1)
    return _Checker(path, problems).mapping(specs, raw, where)


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _latest_date() -> dt.date:
    """Today where the day has begun somewhere (UTC + 14 h): later dates are typos."""
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=14)).date()

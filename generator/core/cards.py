"""Checked fields → the model's Form, Source and Card, with the problems a file alone cannot
show (an unknown form, source or bib key; a card's grade)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from generator.core import grading, vocab
from generator.core.changes import check_changes, make_changes
from generator.core.model import (
    Appearance,
    Background,
    Card,
    Directness,
    Downgrade,
    Form,
    Link,
    Reference,
    Reliance,
    Source,
    Statement,
    StudyUse,
)
from generator.core.problems import Problem
from generator.core.yamlio import MarkedDict


def make_form(d: dict[str, Any], _raw: MarkedDict) -> Form:
    def statements(items: list[dict[str, Any]]) -> tuple[Statement, ...]:
        return tuple(Statement(text=s["text"], relies_on=tuple(
            Reliance(**r) for r in s["relies_on"])) for s in items)

    return Form(id=d["id"], name=d["name"], description=d["description"],
                aliases=d["aliases"] or (), links=tuple(Link(**x) for x in d["links"]),
                order=d["order"] or 0, path=d["path"], question=d["question"],
                answer=d["answer"],
                bottom_line=statements(d["bottom_line"]), instead=statements(d["instead"]),
                changes=make_changes(d.get("changes")))


def make_source(d: dict[str, Any], _raw: MarkedDict) -> Source:
    return Source(**d)


class CardContext:
    """Cross-checks a card against the forms, sources and references."""

    def __init__(self, forms: set[str], sources: set[str], refs: dict[str, Reference],
                 problems: list[Problem], broken: dict[str, set[str]] | None = None,
                 accessed: dict[str, dt.date] | None = None):
        self.forms, self.sources, self.refs, self.problems = forms, sources, refs, problems
        self.accessed = accessed or {}  # source id → the day the article was read
        # form, source and key → the ids that exist but have problems of their own
        self.broken = broken or {}

    def _unknown(self, kind: str, value: str, known: set[str], where: str) -> tuple[str, str]:
        """(message, hint) for an id that is not among the good ones."""
        if value in self.broken.get(kind, set()):
            return f"{kind} {value!r} has problems in {where}", "fix them first"
        if kind == "entry":
            return (f"no entry {value!r} in content/references.bib",
                    f"add `{value}` to content/references.bib")
        return f"unknown {kind} {value!r}", _one_of(value, known) or _MAKE.get(kind, "")

    def _add(self, path: str, where: tuple[int, int], field: str, message: str,
             hint: str = "") -> None:
        self.problems.append(Problem(path, where[0], where[1], field, message, hint))

    def card(self, d: dict[str, Any], raw: MarkedDict,
             made: dict[str, tuple[dict[str, Any], Card | None, list[Problem]]],
             ) -> Card | None:
        """The card of these checked fields, or None if it has problems; made: cards made
        before, reused (with their problems) if made of the same fields object, and updated."""
        hit = made.get(d["path"])
        if hit is not None and hit[0] is d:
            self.problems += hit[2]
            return hit[1]
        before = len(self.problems)
        card = self._card(d, raw)
        made[d["path"]] = (d, card, self.problems[before:])
        return card

    def _card(self, d: dict[str, Any], raw: MarkedDict) -> Card | None:
        path, before = d["path"], len(self.problems)
        if d["form"] not in self.forms:
            self._add(path, raw.mark("form"), "form",
                      *self._unknown("form", d["form"], self.forms, "its file"))
        for i, form in enumerate(d["also_forms"] or ()):
            where = _item_mark(raw, "also_forms", i)
            if form not in self.forms:
                self._add(path, where, f"also_forms[{i}]",
                          *self._unknown("form", form, self.forms, "its file"))
            elif form == d["form"]:
                self._add(path, where, f"also_forms[{i}]", "names the card's own form",
                          "remove it: the card is shown on its own form's page anyway")
        if not d["appearances"] and d["group"] != "instead":
            self._add(path, raw.mark("appearances"), "appearances",
                      "needs at least one item: where the claim was made",
                      "quote the article; only cards of group instead come from no article")
        for i, a in enumerate(d["appearances"]):
            where = _item_mark(raw, "appearances", i)
            if a["source"] not in self.sources:
                self._add(path, where, f"appearances[{i}].source",
                          *self._unknown("source", a["source"], self.sources, "its file"))
            if a["citation_check"] != "none" and not a["citation_note"]:
                self._add(path, where, f"appearances[{i}].citation_note",
                          f"is required when citation_check is {a['citation_check']}",
                          "say what the real source is, or what was searched")
            if a["citation_check"] != "none" and not a["cited_as"]:
                self._add(path, where, f"appearances[{i}].cited_as",
                          f"is required when citation_check is {a['citation_check']}",
                          "copy what the article cited, or use citation_check: none")
        for part in ("studies", "background"):
            for i, s in enumerate(d[part] or ()):
                if s["key"] not in self.refs:
                    self._add(path, _item_mark(raw, part, i), f"{part}[{i}].key",
                              *self._unknown("entry", s["key"], set(),
                                             "content/references.bib"))
        for i, s in enumerate(d["studies"]):
            pooled = s["design"] == "systematic-review"
            if pooled != bool(s["pooled_design"]):
                self._add(path, _item_mark(raw, "studies", i), f"studies[{i}].pooled_design",
                          "is required for design systematic-review" if pooled else
                          "is only for design systematic-review",
                          "give the design of the studies the review pooled" if pooled else
                          "remove it")
        if not d["studies"] and not d["no_study_note"]:
            self._add(path, raw.mark("studies"), "no_study_note",
                      "is required when studies is empty", "say what was searched, where")
        read = [self.accessed[a["source"]] for a in d["appearances"]
                if a["source"] in self.accessed]
        self.problems += check_changes(path, raw, d.get("changes"), min(read, default=None))
        newest = max((c["date"] for c in d.get("changes") or () if c["date"]), default=None)
        if newest and d["reviewed"] and newest > d["reviewed"]:  # a change is a review
            self._add(path, raw.mark("reviewed"), "reviewed",
                      f"{d['reviewed'].isoformat()} is before the newest change note "
                      f"({newest.isoformat()}), which the page shows as an update",
                      f"set reviewed: {newest.isoformat()} (or later)")
        if len(self.problems) != before:
            return None
        studies = tuple(StudyUse(**{**s, "directness": Directness(**s["directness"])})
                        for s in d["studies"])
        downgrades = tuple(Downgrade(**x) for x in d["downgrades"])
        retracted = frozenset(s.key for s in studies if s.key in self.refs
                              and self.refs[s.key].get("retraction"))
        grade = grading.grade(d["question"], studies, downgrades, retracted)
        if d["certainty"] and d["certainty"] != grade.certainty:
            self._add(path, raw.mark("certainty"), "certainty",
                      f"{d['certainty']!r} does not follow from the question, the studies' "
                      f"directness and the downgrades: {grading.explain(grade)}",
                      "remove the field, or change the directness or downgrades")
            return None
        return Card(id=d["id"], form=d["form"], claim=d["claim"], question=d["question"],
                    appearances=tuple(Appearance(**a) for a in d["appearances"]),
                    background=tuple(Background(**b) for b in d["background"]),
                    studies=studies, verdict=d["verdict"],
                    verdict_summary=d["verdict_summary"], grade=grade,
                    reviewed=d["reviewed"], searched_to=d["searched_to"],
                    reviewer=d["reviewer"], no_study_note=d["no_study_note"], path=path,
                    plain_title=d["plain_title"], group=d["group"] or vocab.DEFAULT_GROUP,
                    also_forms=tuple(d["also_forms"] or ()),
                    changes=make_changes(d.get("changes")))


def _item_mark(raw: MarkedDict, field: str, index: int) -> tuple[int, int]:
    items = raw.get(field)
    return items.mark(index) if hasattr(items, "mark") else raw.mark(field)


# How to make a form or an article that a card names (cli/new.py).
_MAKE = {"form": 'make it with `evidence new form --name "…"`',
         "source": 'make it with `evidence new article --title "…" --url …`'}


def _one_of(value: str, known: set[str]) -> str:
    import difflib

    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.5)
    return f"did you mean `{close[0]}`?" if close else ""

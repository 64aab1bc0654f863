"""The evidence model: plain, frozen data with no I/O."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import vocab


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Form:
    id: str
    name: str
    description: str
    aliases: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    order: int = 0
    path: str = ""

    @property
    def url(self) -> str:
        return f"forms/{self.id}/"


@dataclass(frozen=True)
class Source:
    """An audited article: a web page that makes claims."""

    id: str
    title: str
    site: str
    url: str | None
    date_stated: dt.date | None
    accessed: dt.date
    seed: str | None = None
    note: str | None = None
    path: str = ""

    @property
    def page_url(self) -> str:
        return f"articles/{self.id}/"


@dataclass(frozen=True)
class Appearance:
    source: str
    quote: str
    cited_as: str | None
    citation_check: str
    citation_note: str | None = None


@dataclass(frozen=True)
class StudyUse:
    """A study as one card uses it: the bib key plus what it found for this claim."""

    key: str
    design: str
    population: str
    finding: str


@dataclass(frozen=True)
class Downgrade:
    reason: str
    why: str


@dataclass(frozen=True)
class Grade:
    """The certainty derived by grading.grade(), with the steps that led to it."""

    certainty: str
    start: str
    start_design: str | None
    steps: tuple[Downgrade, ...]


@dataclass(frozen=True)
class Card:
    id: str
    form: str
    claim: str
    appearances: tuple[Appearance, ...]
    studies: tuple[StudyUse, ...]
    verdict: str
    verdict_summary: str
    grade: Grade
    reviewed: dt.date
    searched_to: dt.date
    reviewer: str
    no_study_note: str | None = None
    path: str = ""

    @property
    def url(self) -> str:
        return f"claims/{self.id}/"

    @property
    def certainty(self) -> str:
        return self.grade.certainty

    @property
    def citation_check(self) -> str:
        """The most serious check of any appearance (order of vocab.CITATION_CHECKS)."""
        checks = {a.citation_check for a in self.appearances}
        return next(c for c in vocab.CITATION_CHECKS if c in checks)


@dataclass(frozen=True)
class Reference:
    """A bibliography entry, decoded from BibTeX."""

    key: str
    entry_type: str
    fields: dict[str, str]
    authors: tuple[tuple[str, str], ...]  # (family, given)
    line: int = 0

    def get(self, name: str) -> str | None:
        return self.fields.get(name) or None

    @property
    def title(self) -> str:
        return self.fields.get("title", "")

    @property
    def year(self) -> int | None:
        year = self.fields.get("year", "")
        return int(year) if year.isdigit() else None


@dataclass(frozen=True)
class Evidence:
    """Everything the site and the handouts are made from."""

    forms: tuple[Form, ...]
    sources: tuple[Source, ...]
    cards: tuple[Card, ...]
    references: dict[str, Reference] = field(default_factory=dict)
    citations: dict[str, str] = field(default_factory=dict)  # key → formatted (HTML)
    citations_text: dict[str, str] = field(default_factory=dict)  # key → formatted (text)

    def form(self, form_id: str) -> Form:
        return next(f for f in self.forms if f.id == form_id)

    def source(self, source_id: str) -> Source:
        return next(s for s in self.sources if s.id == source_id)

    def cards_of_form(self, form_id: str) -> list[Card]:
        return [c for c in self.cards if c.form == form_id]

    def cards_of_source(self, source_id: str) -> list[Card]:
        return [c for c in self.cards if any(a.source == source_id for a in c.appearances)]

    @property
    def searched_to(self) -> dt.date | None:
        return min((c.searched_to for c in self.cards), default=None)

"""The evidence model: plain, frozen data with no I/O."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from generator.core import vocab


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Reliance:
    """A card a bottom-line statement rests on, and what the statement takes it to say."""

    card: str
    verdict: str
    certainty: str | None = None


@dataclass(frozen=True)
class Statement:
    """One sentence of a form's bottom line, in plain words, with the cards behind it."""

    text: str
    relies_on: tuple[Reliance, ...] = ()


@dataclass(frozen=True)
class Change:
    """A dated note of what changed on a card or form and why, in reader words."""

    date: dt.date
    note: str


@dataclass(frozen=True)
class Form:
    id: str
    name: str
    description: str
    aliases: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    order: int = 0
    path: str = ""
    question: str | None = None  # the reader's question ("Does X help with Y?")
    answer: str | None = None  # its answer in a few words, for <title> ("No study shows …")
    bottom_line: tuple[Statement, ...] = ()  # the answer, written by the editors
    # after the answer: what reviews found to help instead, and when to see a doctor
    instead: tuple[Statement, ...] = ()
    changes: tuple[Change, ...] = ()  # newest first

    @property
    def url(self) -> str:
        return f"forms/{self.id}/"

    @property
    def other_names(self) -> tuple[str, ...]:
        """The aliases that are not the name itself (in any case): "Also called"."""
        return tuple(a for a in self.aliases if a.casefold() != self.name.casefold())


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
class Directness:
    """How directly a study answers one claim (vocab.DIRECTNESS), and why."""

    population: str
    compound: str
    outcome: str
    why: str

    @property
    def indirect(self) -> tuple[str, ...]:
        """The indirect dimensions, in vocab.DIRECTNESS order."""
        return tuple(n for n in vocab.DIRECTNESS if getattr(self, n) == "indirect")

    @property
    def overall(self) -> str:
        """direct iff population, compound and outcome are all direct."""
        return "indirect" if self.indirect else "direct"


@dataclass(frozen=True)
class StudyUse:
    """A study as one card uses it: the bib key plus what it found for this claim."""

    key: str
    design: str
    population: str
    finding: str
    directness: Directness
    pooled_design: str | None = None  # systematic reviews: the design of what they pooled


@dataclass(frozen=True)
class Background:
    """A source that informs the verdict but does not measure the claim's outcome."""

    key: str
    note: str


@dataclass(frozen=True)
class Downgrade:
    reason: str
    why: str


@dataclass(frozen=True)
class StudyGrade:
    """One study's level for one claim: its start, less its indirectness steps."""

    key: str
    design: str
    start_design: str  # the design that sets the start (what a systematic review pooled)
    start: str
    steps: tuple[Downgrade, ...]
    level: str


@dataclass(frozen=True)
class Grade:
    """The certainty derived by grading.grade(), with the steps that led to it."""

    certainty: str
    question: str
    best: StudyGrade | None  # None: no study bears on the claim
    steps: tuple[Downgrade, ...]  # the best study's indirectness, then the entered downgrades
    retracted: tuple[str, ...] = ()  # studies not counted: retracted (bib `retraction`)

    @property
    def start(self) -> str:
        return self.best.start if self.best else vocab.NO_STUDIES

    @property
    def start_design(self) -> str | None:
        return self.best.start_design if self.best else None


@dataclass(frozen=True)
class Card:
    id: str
    form: str
    claim: str
    question: str
    appearances: tuple[Appearance, ...]
    studies: tuple[StudyUse, ...]
    verdict: str
    verdict_summary: str
    grade: Grade
    reviewed: dt.date
    searched_to: dt.date
    reviewer: str
    no_study_note: str | None = None
    background: tuple[Background, ...] = ()
    path: str = ""
    plain_title: str | None = None  # a short plain-language title, beside the claim
    group: str = vocab.DEFAULT_GROUP  # where it is listed and how it is worded (vocab.GROUPS)
    also_forms: tuple[str, ...] = ()  # other forms whose pages and handouts show it too
    changes: tuple[Change, ...] = ()  # newest first

    @property
    def url(self) -> str:
        return f"claims/{self.id}/"

    @property
    def cited_keys(self) -> list[str]:
        """Every bib key the card cites: its studies, then its background, each once."""
        return list(dict.fromkeys([s.key for s in self.studies]
                                  + [b.key for b in self.background]))

    @property
    def title(self) -> str:
        """The plain title where there is one, else the claim as stated."""
        return self.plain_title or self.claim

    @property
    def certainty(self) -> str:
        return self.grade.certainty

    @property
    def forms(self) -> tuple[str, ...]:
        """Every form whose page and handout show the card: its own, then also_forms."""
        return tuple(dict.fromkeys((self.form, *self.also_forms)))

    @property
    def is_fact(self) -> bool:
        """A statement of fact, not an effect: its certainty reads as established or not."""
        return self.question == "fact"

    @property
    def reads_as_accuracy(self) -> bool:
        """A statement of fact, of a test's accuracy or about the evidence itself: its
        verdict reads Accurate … Incorrect (vocab.ACCURACY_VERDICTS)."""
        return self.group == "evidence" or self.question in vocab.FACT_QUESTIONS

    @property
    def verdict_label(self) -> str:
        labels = vocab.ACCURACY_VERDICTS if self.reads_as_accuracy else vocab.VERDICTS
        return labels[self.verdict]

    @property
    def verdict_meaning(self) -> str:
        return vocab.verdict_meaning(self.verdict, self.certainty, self.reads_as_accuracy)

    @property
    def certainty_label(self) -> str:
        labels = vocab.FACT_CERTAINTY_LABELS if self.is_fact else vocab.CERTAINTY_LABELS
        return labels[self.certainty]

    @property
    def certainty_lead(self) -> str:
        """The certainty in plain words, in one sentence."""
        leads = vocab.FACT_CERTAINTY_LEAD if self.is_fact else vocab.CERTAINTY_LEAD
        return leads[self.certainty]

    @property
    def certainty_meaning(self) -> str:
        """What the level means, after certainty_lead (none for a fact: the lead says it)."""
        return "" if self.is_fact else vocab.CERTAINTY_MEANING[self.certainty]

    @property
    def citation_check(self) -> str:
        """The most serious check of any appearance (order of vocab.CITATION_CHECKS); "none"
        for a card with no appearance (the project's own, group instead)."""
        checks = {a.citation_check for a in self.appearances}
        return next((c for c in vocab.CITATION_CHECKS if c in checks), "none")


OTHERS = ("others", "")  # BibTeX's "and others" as an author: more authors, not named


@dataclass(frozen=True)
class Reference:
    """A bibliography entry, decoded from BibTeX."""

    key: str
    entry_type: str
    fields: dict[str, str]
    authors: tuple[tuple[str, str], ...]  # (family, given)
    line: int = 0
    editors: tuple[tuple[str, str], ...] = ()  # of the book a chapter is in

    def get(self, name: str) -> str | None:
        return self.fields.get(name) or None

    @property
    def title(self) -> str:
        return self.fields.get("title", "")

    @property
    def year(self) -> int | None:
        year = self.fields.get("year", "")
        return int(year) if year.isascii() and year.isdigit() else None


@dataclass(frozen=True)
class Evidence:
    """Everything the site and the handouts are made from."""

    forms: tuple[Form, ...]
    sources: tuple[Source, ...]
    cards: tuple[Card, ...]
    references: dict[str, Reference] = field(default_factory=dict)
    # key → formatted reference (HTML, text); load gives mappings formatted on first read
    citations: Mapping[str, str] = field(default_factory=dict)
    citations_text: Mapping[str, str] = field(default_factory=dict)
    glossary: tuple[tuple[str, str], ...] = ()  # (term, what it means), content/glossary.yaml

    # Lookups are called once per page: index everything once (a scan each would make a
    # site of N cards cost N²). The indexes are not fields; they live with the instance.
    def form(self, form_id: str) -> Form:
        return self._index["forms"][form_id]

    def source(self, source_id: str) -> Source:
        return self._index["sources"][source_id]

    def card(self, card_id: str) -> Card:
        return self._index["cards"][card_id]

    def cards_of_form(self, form_id: str) -> list[Card]:
        """The cards filed under the form, and those that name it in also_forms."""
        return list(self._index["by_form"].get(form_id, ()))

    def cards_of_source(self, source_id: str) -> list[Card]:
        return list(self._index["by_source"].get(source_id, ()))

    def of_card(self, card: Card) -> Evidence:
        """What the card's own page shows: the card, its forms, the articles that state it,
        the references it cites (equal to the last one, the page is the same)."""
        return Evidence(forms=tuple(self.form(f) for f in card.forms),
                        sources=tuple(self.source(a.source) for a in card.appearances),
                        cards=(card,),
                        references={k: self.references[k] for k in card.cited_keys
                                    if k in self.references},
                        citations={k: self.citations[k] for k in card.cited_keys
                                   if k in self.citations},
                        glossary=self.glossary)

    def of_source(self, source: Source) -> Evidence:
        """What the article's own page shows: the article, the cards that it states, and
        their forms."""
        cards = tuple(self.cards_of_source(source.id))
        forms = dict.fromkeys(f for card in cards for f in card.forms)
        return Evidence(forms=tuple(self.form(f) for f in forms), sources=(source,),
                        cards=cards, glossary=self.glossary)

    def of_form(self, form: Form) -> Evidence:
        """What the form's own page shows: the form, the cards that its page lists (its own
        and those that name it in also_forms), and those cards' forms."""
        cards = tuple(self.cards_of_form(form.id))
        forms = dict.fromkeys([form.id, *(f for card in cards for f in card.forms)])
        return Evidence(forms=tuple(self.form(f) for f in forms), sources=(), cards=cards,
                        glossary=self.glossary)

    def cards_citing(self, key: str) -> list[Card]:
        """The cards whose studies cite a bib entry, in card order."""
        return list(self._index["by_reference"].get(key, ()))

    @cached_property
    def _index(self) -> dict[str, dict[str, Any]]:
        by_form: dict[str, list[Card]] = {}
        by_source: dict[str, list[Card]] = {}
        by_reference: dict[str, list[Card]] = {}
        for c in self.cards:
            for form in c.forms:
                by_form.setdefault(form, []).append(c)
            for source in dict.fromkeys(a.source for a in c.appearances):
                by_source.setdefault(source, []).append(c)
            for key in c.cited_keys:
                by_reference.setdefault(key, []).append(c)
        return {"forms": {f.id: f for f in self.forms},
                "sources": {s.id: s for s in self.sources},
                "cards": {c.id: c for c in self.cards},
                "by_form": by_form, "by_source": by_source, "by_reference": by_reference}

    @property
    def claims(self) -> tuple[Card, ...]:
        """The cards of claims made in the articles: all but the project's own on what
        helps instead."""
        return tuple(c for c in self.cards if c.group != "instead")

    @property
    def searched_to(self) -> dt.date | None:
        return min((c.searched_to for c in self.cards), default=None)

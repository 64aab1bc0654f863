"""Field specifications for forms, sources and cards: the one schema.

`check_object` validates a parsed YAML mapping against a spec and returns plain values
plus problems; `json_schema` turns the same spec into JSON Schema for editors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from generator.core import vocab

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
URL = re.compile(r"^https?://[^\s<>\"'`\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]+$")
# Contributors' text must stay text: no HTML tags, comments or character entities.
HTML_LIKE = re.compile(r"<\s*[/!?a-zA-Z]|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")
# ... nor invisible bidirectional controls that make text read other than it is stored: the
# embeddings, overrides and isolates, and the marks LRM, RLM and ALM.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u061c\u200e\u200f\u202a-\u202e"
                     r"\u2066-\u2069]")
# Characters that show as nothing: zero-width ones, and letters drawn blank (Braille blank,
# Hangul fillers). Text made only of them (and spaces) is empty.
SHOWS_NOTHING = " \u200b\u200c\u200d\u2060\ufeff\u2800\u3164\u115f\u1160\uffa0"
# A BibTeX key as pages use it (an HTML id, a link fragment): no quotes, spaces or markup.
BIB_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_:.-]*$")


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # text | slug | key | date | url | enum | int | bool | texts | object | objects
    help: str
    required: bool = True
    nullable: bool = False
    choices: tuple[str, ...] = ()
    items: tuple[Field, ...] = ()  # the fields of kind "object", the item spec of "objects"
    max_len: int = 2000
    min_items: int = 0
    refused: tuple[tuple[str, str, str], ...] = ()  # enum: (value, message, hint) explained
    published: bool = True  # shown to readers: no words about how the audit was made


def _enum(name: str, choices: Any, help: str, **kw: Any) -> Field:
    return Field(name, "enum", help, choices=tuple(choices), **kw)


RELIES_ON = (
    Field("card", "slug", "Id of a card of this form (content/cards/).", max_len=80),
    _enum("verdict", vocab.VERDICTS, "The card's verdict, which the statement relies on."),
    _enum("certainty", vocab.CERTAINTIES, "Optional: the card's certainty, checked too.",
          required=False),
)

STATEMENT = (
    Field("text", "text", "One plain sentence (school grade 8), GRADE style.", max_len=400),
    Field("relies_on", "objects", "The cards this statement rests on (at least one).",
          min_items=1, items=RELIES_ON),
)

CHANGE = (
    Field("date", "date", "When it changed (YYYY-MM-DD)."),
    Field("note", "text", "What changed and why, in plain words a reader would want.",
          max_len=600),
)
CHANGES_HELP = ("Optional: dated notes of what changed and why, newest first (shown on the "
                "page and in the feed).")

FORM = (
    Field("id", "slug", "Slug; equals the file name without .yaml.", max_len=80),
    Field("name", "text", "Name as readers know it.", max_len=120),
    Field("aliases", "texts", "Other names and brand names.", required=False, max_len=80),
    Field("description", "text", "One to three short, neutral sentences."),
    Field("links", "objects", "Authoritative sources (at least one).", min_items=1, items=(
        Field("title", "text", "Title of the linked page.", max_len=300),
        Field("url", "url", "http(s) address."),
    )),
    Field("order", "int", "Position in lists (smallest first).", required=False),
    Field("question", "text", "The reader's question, e.g. Does vitamin D help with "
          "fatigue?", required=False, max_len=160),
    Field("answer", "text", "Optional: the bottom line in a few words, for the page's "
          "<title> and search results, e.g. No study shows that it helps.",
          required=False, max_len=70),
    Field("bottom_line", "objects", "The answer in plain words: one to four statements, "
          "each resting on cards.", required=False, items=STATEMENT),
    Field("instead", "objects", "After the answer: what reviews found to help instead, and "
          "when to see a doctor, in plain words; each statement rests on cards (usually of "
          "group instead).", required=False, items=STATEMENT),
    Field("changes", "objects", CHANGES_HELP, required=False, items=CHANGE),
)

SOURCE = (
    Field("id", "slug", "Slug; equals the file name without .yaml.", max_len=80),
    Field("title", "text", "Title as the page shows it.", max_len=300),
    Field("site", "text", "Site or publisher.", max_len=200),
    Field("url", "url", "Address of the article, or null where not known.", nullable=True),
    Field("date_stated", "date", "Date the page states (YYYY-MM-DD), or null.", nullable=True),
    Field("accessed", "date", "Date the page was read (YYYY-MM-DD)."),
    Field("seed", "text", "File name of the archived copy, if any (never published).",
          required=False, nullable=True, max_len=200, published=False),
    Field("note", "text", "How the page was identified, in reader words.", required=False,
          nullable=True),
)

APPEARANCE = (
    Field("source", "slug", "Id of the audited article (content/sources/).", max_len=80),
    Field("quote", "text", "A short quote of the claim from the article.", max_len=600),
    Field("cited_as", "text", "What the article cited, as written, or null.", nullable=True,
          max_len=600),
    _enum("citation_check", vocab.CITATION_CHECKS, "Did the cited source exist and say that?"),
    Field("citation_note", "text", "What the real source is, or what was searched; "
          "required unless citation_check is none.", required=False, nullable=True),
)

DIRECTNESS = (
    _enum("population", vocab.DIRECTNESS_VALUES,
          "The people, animals or cells the claim is about?"),
    _enum("compound", vocab.DIRECTNESS_VALUES, "The form or compound the claim names?"),
    _enum("outcome", vocab.DIRECTNESS_VALUES, "The outcome the claim names, or a marker?"),
    Field("why", "text", "One or two sentences, in reader words.", max_len=600),
)

STUDY = (
    Field("key", "key", "Key of the entry in content/references.bib.", max_len=100),
    _enum("design", vocab.DESIGN_LABELS, "Study design."),
    _enum("pooled_design", vocab.POOLED_DESIGNS, "Only for design systematic-review: the "
          "design of the studies it pooled.", required=False),
    Field("population", "text", "Who or what was studied.", max_len=400),
    Field("finding", "text", "What it found, in neutral words with numbers."),
    Field("directness", "object", "How directly the study answers this claim; each "
          "indirect dimension steps certainty down one level.", items=DIRECTNESS),
)

BACKGROUND = (
    Field("key", "key", "Key of the entry in content/references.bib.", max_len=100),
    Field("note", "text", "What it tells the reader about the claim, in reader words.",
          max_len=800),
)

# An indirectness reason entered by hand is refused with what to do instead.
_DIMENSION = {reason: name for name, (reason, _) in vocab.INDIRECTNESS.items()}
_DIMENSION[vocab.ANIMALS_OR_CELLS] = "population"
DOWNGRADE = (
    _enum("reason", vocab.ENTERED_DOWNGRADES, "Why certainty steps down one level "
          "(indirectness is derived from the studies' directness).",
          refused=tuple((r, f"{r!r} is indirectness, which is derived from the studies' "
                         "directness, not entered",
                         f"remove this downgrade and set directness.{_DIMENSION[r]}: "
                         "indirect, with why, on the studies it applies to")
                        for r in vocab.DERIVED_DOWNGRADES)),
    Field("why", "text", "The concrete reason, for this card.", max_len=600),
)

CARD = (
    Field("id", "slug", "Slug; equals the file name without .yaml.", max_len=80),
    Field("plain_title", "text", "Optional: a short plain-language title (school grade 8) "
          "for tables and handouts, beside the claim as stated.", required=False, max_len=80),
    _enum("group", vocab.GROUPS, "Optional (default background): outcome, a claim that the "
          "form affects the site's main outcome (listed first); evidence, a statement about "
          "the studies themselves (what was tested, that something is unknown); background, "
          "physiology, safety and other facts; instead, the project's own card on what "
          "reviews found to help instead (it needs no appearances).", required=False),
    Field("form", "slug", "Id of the supplement form (content/forms/).", max_len=80),
    Field("also_forms", "texts", "Optional: other forms whose pages and handouts show this "
          "card too (a safety card filed under the compound, shown on each of its salts).",
          required=False, max_len=80),
    Field("claim", "text", "The claim as one short, neutral sentence.", max_len=300),
    Field("appearances", "objects", "Where the claim was made (at least one, except for "
          "cards of group instead).", items=APPEARANCE),
    Field("studies", "objects", "Studies that really bear on the claim.", items=STUDY),
    Field("background", "objects", "Sources that inform the verdict but do not measure the "
          "claim's outcome; they do not count toward certainty.", required=False,
          items=BACKGROUND),
    Field("no_study_note", "text", "What was searched when no study was found.",
          required=False, nullable=True),
    _enum("verdict", vocab.VERDICTS, "Verdict on the claim as stated."),
    Field("verdict_summary", "text", "One or two sentences: why this verdict.", max_len=800),
    Field("downgrades", "objects", "Reasons to step certainty down.", required=False,
          items=DOWNGRADE),
    _enum("certainty", vocab.CERTAINTIES, "Optional; must equal the derived certainty.",
          required=False),
    _enum("question", vocab.QUESTIONS, "The kind of question the claim asks: effect, "
          "association, prevalence, mechanism, reference-values, fact (a definition, a "
          "classification, textbook anatomy) or test-accuracy."),
    Field("reviewed", "date", "Date last reviewed (YYYY-MM-DD)."),
    Field("searched_to", "date", "Literature searched up to (YYYY-MM-DD)."),
    Field("reviewer", "text", "Who reviewed the card.", max_len=120),
    Field("changes", "objects", CHANGES_HELP, required=False, items=CHANGE),
)

GLOSSARY = (
    Field("terms", "objects", "Technical terms and what they mean in plain words; each page "
          "that uses a term explains it where it appears (an abbreviation's tooltip).",
          items=(
              Field("term", "text", "The term exactly as pages print it (letters, digits, "
                    "hyphens, spaces), e.g. DKK-1.", max_len=40),
              Field("means", "text", "What it means, in plain words (school grade 8).",
                    max_len=200),
          )),
)
TERM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 -]*$")  # an abbreviation's name: no ] or :

PLACEHOLDER = "TODO"  # `evidence new` writes this where a contributor must fill in

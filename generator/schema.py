"""Field specifications for forms, sources and cards: the one schema.

`check_object` validates a parsed YAML mapping against a spec and returns plain values
plus problems; `json_schema` turns the same spec into JSON Schema for editors.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any

from . import vocab
from .problems import Problem
from .yamlio import MarkedDict, MarkedList

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
URL = re.compile(r"^https?://[^\s<>\"'`]+$")
# Contributors' text must stay text: no HTML tags, comments or character entities.
HTML_LIKE = re.compile(r"<\s*[/!?a-zA-Z]|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")
# ... nor invisible bidirectional overrides that make text read other than it is stored.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
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
    Field("question", "text", "The reader's question, e.g. Does magnesium L-threonate help "
          "hair loss?", required=False, max_len=160),
    Field("bottom_line", "objects", "The answer in plain words: one to four statements, "
          "each resting on cards.", required=False, items=STATEMENT),
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
    Field("main_outcome", "bool", "Optional: true if the claim says the form affects "
          "hair, the site's main outcome (listed first everywhere); false for background "
          "facts about hair itself.", required=False),
    Field("form", "slug", "Id of the supplement form (content/forms/).", max_len=80),
    Field("claim", "text", "The claim as one short, neutral sentence.", max_len=300),
    Field("appearances", "objects", "Where the claim was made.", min_items=1,
          items=APPEARANCE),
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
          "association, prevalence, mechanism or reference-values."),
    Field("reviewed", "date", "Date last reviewed (YYYY-MM-DD)."),
    Field("searched_to", "date", "Literature searched up to (YYYY-MM-DD)."),
    Field("reviewer", "text", "Who reviewed the card.", max_len=120),
)

PLACEHOLDER = "TODO"  # `evidence new` writes this where a contributor must fill in


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
            if isinstance(value, dt.date):
                return value
            if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                try:
                    return dt.date.fromisoformat(value)
                except ValueError:
                    pass
            self.add(where, label, f"expected a date as YYYY-MM-DD, got {_show(value)}")
            return None
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
        if not text:
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
            self.add(where, label, f"needs at least {spec.min_items} item(s)")
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
                         _hint_choice(key, tuple(known)))
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


def check_object(specs: tuple[Field, ...], raw: Any, path: str,
                 problems: list[Problem]) -> dict[str, Any] | None:
    """Validate one parsed file against a spec; problems are appended."""
    where = (raw.line, raw.column) if isinstance(raw, MarkedDict) else (1, 1)
    return _Checker(path, problems).mapping(specs, raw, where)


def json_schema(specs: tuple[Field, ...], title: str) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) for one kind of content file."""
    schema = _object_schema(specs)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title,
            **schema}


def _object_schema(specs: tuple[Field, ...]) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [s.name for s in specs if s.required],
        "properties": {s.name: _field_schema(s) for s in specs},
    }


def _field_schema(spec: Field) -> dict[str, Any]:
    base: dict[str, Any]
    if spec.kind == "object":
        base = _object_schema(spec.items)
    elif spec.kind == "objects":
        base = {"type": "array", "items": _object_schema(spec.items)}
        if spec.min_items:
            base["minItems"] = spec.min_items
    elif spec.kind == "texts":
        base = {"type": "array", "items": {"type": "string", "minLength": 1,
                                           "maxLength": spec.max_len}}
    elif spec.kind == "int":
        base = {"type": "integer"}
    elif spec.kind == "bool":
        base = {"type": "boolean"}
    elif spec.kind == "enum":
        base = {"enum": list(spec.choices)}
    elif spec.kind == "date":
        base = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    elif spec.kind == "key":
        base = {"type": "string", "pattern": BIB_KEY.pattern, "maxLength": spec.max_len}
    elif spec.kind == "slug":
        base = {"type": "string", "pattern": SLUG.pattern, "maxLength": spec.max_len}
    elif spec.kind == "url":
        base = {"type": "string", "pattern": URL.pattern}
    else:
        base = {"type": "string", "minLength": 1, "maxLength": spec.max_len}
    base["description"] = spec.help
    if spec.nullable:
        return {"anyOf": [base, {"type": "null"}], "description": spec.help}
    return base

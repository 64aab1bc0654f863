"""Read content/ into the model, collecting every problem on the way.

Order: forms and sources, then references.bib, then cards (which point at all three).
A file with problems is left out of the model; the problems say why.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.core import paths, schema
from generator.core.bib import lf_lines, load_bib
from generator.core.cards import CardContext, make_form, make_source
from generator.core.changes import check_changes
from generator.core.checks import Memo, check_bottom_lines, cross_check
from generator.core.lookalike import lookalike_names
from generator.core.model import Card, Evidence, Form, Reference, Source
from generator.core.problems import Problem
from generator.core.references import FormattedMemory, lazy_citations
from generator.core.validate import check_object
from generator.core.yamlio import MarkedDict, load_yaml, read_content, read_text

BIB_FILE = "references.bib"
GLOSSARY_FILE = "glossary.yaml"  # optional: technical terms explained on every page
CONTENT_DIR = "content"  # forms/, sources/, cards/, references.bib; relative to the root


@dataclass
class LoadCache:
    """What load_evidence may reuse from one load to the next.

    Each file's parse and check is kept while the file's stat (mtime, ctime, size, inode) is
    unchanged: `mkdocs serve` keeps one cache across rebuilds, so an edited card is the only
    file parsed again. `store` (core.references.Store: a folder on disk, given by an adapter)
    keeps formatted references across builds. Without a cache everything is read afresh.
    """

    store: Any = None
    files: dict[Path, tuple[tuple[int, ...], Any]] = field(default_factory=dict)
    parsed: int = 0  # files parsed (not reused) by the last load
    seen: set[Path] = field(default_factory=set)
    # card file → (its checked fields, the Card made of them or None, that card's problems),
    # while the forms, sources and bib keys they were checked against (`known`) are the same.
    # An unchanged card is then the same Card object, which makes comparing pages cheap.
    cards: dict[str, tuple[dict[str, Any], Card | None, list[Problem]]] = field(
        default_factory=dict)
    known: Any = None
    checked: Memo = field(default_factory=dict)  # checks.cross_check's problems per file
    formatted: FormattedMemory = field(default_factory=FormattedMemory)  # references, so far


def load_evidence(root: Path, content: str = CONTENT_DIR, cache: LoadCache | None = None,
                  ) -> tuple[Evidence, list[Problem]]:
    """Load and check everything under root/content; return the model and all problems."""
    with _collector_paused():
        return _load_evidence(root, content, cache)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while the content is read: what a load makes holds no
    cycles that matter (reference counting frees it), and the collector's passes over the
    many objects it makes took a fifth of a load (bench/RESULTS.md, issue 26)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _load_evidence(root: Path, content: str, cache: LoadCache | None,
                   ) -> tuple[Evidence, list[Problem]]:
    problems: list[Problem] = []
    base = root / content
    if cache is not None:
        cache.parsed, cache.seen = 0, set()
    form_files = _read_all(root, base / "forms", schema.FORM, problems, cache)
    forms = [make_form(d, p) for d, p in form_files]
    source_files = _read_all(root, base / "sources", schema.SOURCE, problems, cache)
    sources = [make_source(d, p) for d, p in source_files]
    problems += lookalike_names([(d["id"], d["path"], d["name"], raw.mark("name"))
                                 for d, raw in form_files], "name", "form")
    problems += lookalike_names([(d["id"], d["path"], d["title"], raw.mark("title"))
                                 for d, raw in source_files], "title", "article")
    bib_path = base / BIB_FILE
    refs: dict[str, Reference] = {}
    bib_text = ""
    if os.path.lexists(bib_path):
        refs, bib_problems, bib_text = _cached(bib_path, cache,
                                               lambda: _read_bib(bib_path, root))
        problems += bib_problems
    else:
        problems.append(Problem(_rel(bib_path, root), 1, 1, "", "file is missing"))
    for d, raw in form_files:
        problems += check_changes(d["path"], raw, d.get("changes"))
    ctx = CardContext({f.id for f in forms}, {s.id for s in sources}, refs, problems,
                      _broken(base, forms, sources, refs, problems),
                      {s.id: s.accessed for s in sources})
    parsed: list[tuple[str, MarkedDict]] = []
    made = _made_cards(cache, ctx)
    cards = [c for c in (ctx.card(d, p, made) for d, p in _read_all(root, base / "cards",
                                                                    schema.CARD, problems,
                                                                    cache, parsed))
             if c]
    problems += cross_check(root, base, refs, parsed,  # duplicates, identifiers, card vs bib
                            bib_text, cache.checked if cache is not None else None)
    problems += check_bottom_lines(form_files, {c.id: c for c in cards},
                                   {str(raw.get("id")) for _, raw in parsed}
                                   | {p.stem for p in (base / "cards").glob("*.yaml")})
    used = {key for c in cards for key in c.cited_keys}
    # A card with problems still cites what it names; one that cannot be read may cite
    # anything: no "not cited" warning follows from a broken card.
    cited = used | {str(item.get("key")) for _, raw in parsed
                    for part in ("studies", "background") if isinstance(raw.get(part), list)
                    for item in raw[part] if isinstance(item, dict)}
    unreadable = len(parsed) < sum(1 for _ in (base / "cards").glob("*.yaml"))
    for key, ref in sorted(refs.items()):
        if key not in cited and not unreadable:
            problems.append(Problem(_rel(bib_path, root), ref.line, 1, key,
                                    "bib entry is not cited by any card", warning=True))
    html, text = lazy_citations({k: r for k, r in refs.items() if k in used},
                                cache.store if cache is not None else None,
                                cache.formatted if cache is not None else None)
    if cache is not None:  # forget deleted files
        cache.files = {p: v for p, v in cache.files.items() if p in cache.seen}
        cache.cards = {c.path: made[c.path] for c in cards if c.path in made}
    glossary = _read_glossary(root, base / GLOSSARY_FILE, problems, cache)
    evidence = Evidence(
        forms=tuple(sorted(forms, key=lambda f: (f.order, f.name.lower()))),
        sources=tuple(sorted(sources, key=lambda s: s.title.lower())),
        cards=tuple(sorted(cards, key=lambda c: c.id)),
        references=refs,
        citations=html,
        citations_text=text,
        glossary=glossary,
    )
    return evidence, sorted(problems)


def _read_glossary(root: Path, path: Path, problems: list[Problem],
                   cache: LoadCache | None) -> tuple[tuple[str, str], ...]:
    """The optional glossary's (term, meaning) pairs; its problems added."""
    if not os.path.lexists(path):
        return ()
    good, file_problems, raw = _cached(path, cache, lambda: _read_one(root, path,
                                                                      schema.GLOSSARY))
    problems += file_problems
    if not good:
        return ()
    terms, seen = [], set()
    for i, item in enumerate(good[0]["terms"]):
        where = raw["terms"].mark(i) if hasattr(raw.get("terms"), "mark") else (1, 1)
        if not schema.TERM.match(item["term"]):
            problems.append(Problem(_rel(path, root), *where, f"terms[{i}].term",
                                    f"{item['term']!r} may hold only letters, digits, "
                                    "hyphens and spaces"))
        elif any(ch in item["means"] for ch in "[]<>`"):  # no link, tag or code, even
            # where a site lacks the abbr extension and the line shows as Markdown
            problems.append(Problem(_rel(path, root), *where, f"terms[{i}].means",
                                    "may not hold [ ] < > or `", "say it in plain words"))
        elif item["term"] in seen:
            problems.append(Problem(_rel(path, root), *where, f"terms[{i}].term",
                                    f"{item['term']!r} is listed twice"))
        else:
            seen.add(item["term"])
            terms.append((item["term"], " ".join(item["means"].split())))  # one line
    return tuple(terms)


def _broken(base: Path, forms: list[Form], sources: list[Source],
            refs: dict[str, Reference], problems: list[Problem]) -> dict[str, set[str]]:
    """The forms, sources and bib entries that exist but have problems (a card citing one
    is told so, not that it is unknown)."""
    good = {"forms": {f.id for f in forms}, "sources": {s.id for s in sources}}
    out = {kind[:-1]: {p.stem for p in (base / kind).glob("*.yaml")} - ids
           for kind, ids in good.items()}
    named = [p.field for p in problems if p.path.endswith(BIB_FILE) and not p.warning]
    # "key" or "key.field" (a key may hold dots, a field name never does)
    out["entry"] = {part for f in named if f for part in (f, f.rsplit(".", 1)[0])} - set(refs)
    return out


def _made_cards(cache: LoadCache | None, ctx: CardContext,
                ) -> dict[str, tuple[dict[str, Any], Card | None, list[Problem]]]:
    """The cache's cards, if they were checked against the same forms, sources and keys."""
    if cache is None:
        return {}
    known = (frozenset(ctx.forms), frozenset(ctx.accessed.items()), frozenset(ctx.refs),
             frozenset(k for k, r in ctx.refs.items() if r.get("retraction")))
    if cache.known != known:
        cache.known, cache.cards = known, {}
    return dict(cache.cards)


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _cached(path: Path, cache: LoadCache | None, parse: Any) -> Any:
    """parse(), or what it returned last time if the file has not changed since."""
    if cache is None:
        return parse()
    cache.seen.add(path)
    stamp = _stamp(path)
    if _fresh(path, cache, stamp):
        return cache.files[path][1]
    cache.parsed += 1
    result = parse()
    if stamp:
        cache.files[path] = (stamp, result)
    return result


def _stamp(path: Path) -> tuple[int, ...] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino


def _fresh(path: Path, cache: LoadCache | None, stamp: tuple[int, ...] | None) -> bool:
    hit = cache.files.get(path) if cache is not None else None
    return bool(stamp and hit and hit[0] == stamp)


def _read_bib(path: Path, root: Path) -> tuple[dict[str, Reference], list[Problem], str]:
    """The entries, the problems and the text of the .bib (read once, by the one reader)."""
    text, problems = read_text(path, root, _rel(path, root), yaml_rules=False)
    if text is None:
        return {}, problems, ""
    text = lf_lines(text)  # the cross-checks count lines in it too
    refs, bib_problems = load_bib(text, _rel(path, root))
    return refs, problems + bib_problems, text


def _read_all(root: Path, folder: Path, spec: tuple[schema.Field, ...],
              problems: list[Problem], cache: LoadCache | None = None,
              parsed: list[tuple[str, MarkedDict]] | None = None,
              ) -> list[tuple[dict[str, Any], MarkedDict]]:
    """Parse and check every *.yaml in folder; return (checked fields, raw) per good file."""
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    problems += _unread(root, folder, set(files))
    kind = {id(schema.FORM): "forms", id(schema.SOURCE): "sources",
            id(schema.CARD): "cards"}[id(spec)]
    taken = paths.reserved_ids()[kind]  # ids the site's own pages hold
    results = {p: _cached(p, cache, lambda p=p: _read_one(root, p, spec, taken))
               for p in files}
    out = []
    for path in files:
        good, file_problems, raw = results[path]
        problems += file_problems
        if good:
            out.append(good)
        if parsed is not None and isinstance(raw, MarkedDict):
            parsed.append((_rel(path, root), raw))
    return out


def _unread(root: Path, folder: Path, read: set[Path]) -> list[Problem]:
    """Files that look like content but would be left out silently: x.yml, x.YAML, a
    subfolder."""
    if not folder.is_dir():
        return []
    where = f"{_rel(folder, root)}/"
    out = []
    for entry in sorted(folder.iterdir()):
        if entry in read or entry.name.startswith("."):
            continue
        if entry.is_dir():
            hint = f"move the files in it up into {where}"
        elif entry.suffix.lower() in (".yml", ".yaml"):
            hint = f"rename it to {entry.stem}.yaml"
        else:
            continue
        out.append(Problem(_rel(entry, root), 1, 1, "",
                           f"is not read: the {folder.name} are the *.yaml files in {where}",
                           hint))
    return out


def _read_one(root: Path, path: Path, spec: tuple[schema.Field, ...],
              taken: dict[str, str] | None = None,
              ) -> tuple[tuple[dict[str, Any], MarkedDict] | None, list[Problem], Any]:
    """(checked fields, raw) of one file, or None; its problems; what YAML gave. taken:
    the ids it may not have, with the path the site makes for each."""
    rel = _rel(path, root)
    blob, problems = read_content(path, root, rel)
    raw, yaml_problems = load_yaml(blob, rel) if blob is not None else (None, [])
    problems += yaml_problems
    if raw is None:
        return None, problems, None
    data = check_object(spec, raw, rel, problems)
    if data and data.get("id") and data["id"] != path.stem:
        problems.append(Problem(rel, *raw.mark("id"), "id",
                                f"id {data['id']!r} differs from the file name",
                                f"rename the file to {data['id']}.yaml or use "
                                f"id: {path.stem}"))
    if data and taken and data.get("id") in taken:
        problems.append(Problem(rel, *raw.mark("id"), "id",
                                f"id {data['id']!r} is reserved: the site makes "
                                f"{taken[data['id']]} itself", "choose another id"))
    if data is None or problems:
        return None, problems, raw
    data["path"] = rel
    return (data, raw), problems, raw

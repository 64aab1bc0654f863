"""Read content/ into the model, collecting every problem on the way.

Order: forms and sources, then references.bib, then cards (which point at all three).
A file with problems is left out of the model; the problems say why.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import grading, schema
from .checks import check_bottom_lines, cross_check
from .model import (
    Appearance,
    Background,
    Card,
    Directness,
    Downgrade,
    Evidence,
    Form,
    Link,
    Reference,
    Reliance,
    Source,
    Statement,
    StudyUse,
)
from .problems import Problem
from .references import lazy_citations, load_bib
from .yamlio import MarkedDict, load_yaml, read_content, read_text

BIB_FILE = "references.bib"
CONTENT_DIR = "content"  # forms/, sources/, cards/, references.bib; relative to the root
CACHE_DIR = ".cache/evidence"  # formatted references kept across builds (under the project)


@dataclass
class LoadCache:
    """What load_evidence may reuse from one load to the next.

    Each file's parse and check is kept while the file's stat (mtime, ctime, size, inode) is
    unchanged: `mkdocs serve` keeps one cache across rebuilds, so an edited card is the only
    file parsed again. `folder` (e.g. .cache/evidence) keeps formatted references across
    builds. Without a cache everything is read afresh.
    """

    folder: Path | None = None
    files: dict[Path, tuple[tuple[int, ...], Any]] = field(default_factory=dict)
    parsed: int = 0  # files parsed (not reused) by the last load
    seen: set[Path] = field(default_factory=set)
    # card file → (its checked fields, the Card made of them or None, that card's problems),
    # while the forms, sources and bib keys they were checked against (`known`) are the same.
    # An unchanged card is then the same Card object, which makes comparing pages cheap.
    cards: dict[str, tuple[dict[str, Any], Card | None, list[Problem]]] = field(
        default_factory=dict)
    known: Any = None


def load_evidence(root: Path, content: str = CONTENT_DIR, cache: LoadCache | None = None,
                  ) -> tuple[Evidence, list[Problem]]:
    """Load and check everything under root/content; return the model and all problems."""
    problems: list[Problem] = []
    base = root / content
    if cache is not None:
        cache.parsed, cache.seen = 0, set()
    form_files = _read_all(root, base / "forms", schema.FORM, problems, cache)
    forms = [_form(d, p) for d, p in form_files]
    sources = [_source(d, p) for d, p in _read_all(root, base / "sources", schema.SOURCE,
                                                    problems, cache)]
    bib_path = base / BIB_FILE
    refs: dict[str, Reference] = {}
    bib_text = ""
    if os.path.lexists(bib_path):
        refs, bib_problems, bib_text = _cached(bib_path, cache,
                                               lambda: _read_bib(bib_path, root))
        problems += bib_problems
    else:
        problems.append(Problem(_rel(bib_path, root), 1, 1, "", "file is missing"))
    ctx = _CardContext({f.id for f in forms}, {s.id for s in sources}, refs, problems)
    parsed: list[tuple[str, MarkedDict]] = []
    made = _made_cards(cache, ctx)
    cards = [c for c in (ctx.card(d, p, made) for d, p in _read_all(root, base / "cards",
                                                                    schema.CARD, problems,
                                                                    cache, parsed))
             if c]
    problems += cross_check(root, base, refs, parsed,  # duplicates, identifiers, card vs bib
                            bib_text)
    problems += check_bottom_lines(form_files, {c.id: c for c in cards},
                                   {str(raw.get("id")) for _, raw in parsed})
    used = {key for c in cards for key in c.cited_keys}
    for key, ref in sorted(refs.items()):
        if key not in used:
            problems.append(Problem(_rel(bib_path, root), ref.line, 1, key,
                                    "bib entry is not cited by any card", warning=True))
    html, text = lazy_citations({k: r for k, r in refs.items() if k in used},
                                cache.folder if cache is not None else None)
    if cache is not None:  # forget deleted files
        cache.files = {p: v for p, v in cache.files.items() if p in cache.seen}
        cache.cards = {c.path: made[c.path] for c in cards if c.path in made}
    evidence = Evidence(
        forms=tuple(sorted(forms, key=lambda f: (f.order, f.name.lower()))),
        sources=tuple(sorted(sources, key=lambda s: s.title.lower())),
        cards=tuple(sorted(cards, key=lambda c: c.id)),
        references=refs,
        citations=html,
        citations_text=text,
    )
    return evidence, sorted(problems)


def _made_cards(cache: LoadCache | None, ctx: _CardContext,
                ) -> dict[str, tuple[dict[str, Any], Card | None, list[Problem]]]:
    """The cache's cards, if they were checked against the same forms, sources and keys."""
    if cache is None:
        return {}
    known = (frozenset(ctx.forms), frozenset(ctx.sources), frozenset(ctx.refs))
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
    refs, bib_problems = load_bib(text, _rel(path, root))
    return refs, problems + bib_problems, text


def _read_all(root: Path, folder: Path, spec: tuple[schema.Field, ...],
              problems: list[Problem], cache: LoadCache | None = None,
              parsed: list[tuple[str, MarkedDict]] | None = None,
              ) -> list[tuple[dict[str, Any], MarkedDict]]:
    """Parse and check every *.yaml in folder; return (checked fields, raw) per good file."""
    paths = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    results = {p: _cached(p, cache, lambda p=p: _read_one(root, p, spec)) for p in paths}
    out = []
    for path in paths:
        good, file_problems, raw = results[path]
        problems += file_problems
        if good:
            out.append(good)
        if parsed is not None and isinstance(raw, MarkedDict):
            parsed.append((_rel(path, root), raw))
    return out


def _read_one(root: Path, path: Path, spec: tuple[schema.Field, ...],
              ) -> tuple[tuple[dict[str, Any], MarkedDict] | None, list[Problem], Any]:
    """(checked fields, raw) of one file, or None; its problems; what YAML gave."""
    rel = _rel(path, root)
    blob, problems = read_content(path, root, rel)
    raw, yaml_problems = load_yaml(blob, rel) if blob is not None else (None, [])
    problems += yaml_problems
    if raw is None:
        return None, problems, None
    data = schema.check_object(spec, raw, rel, problems)
    if data and data.get("id") and data["id"] != path.stem:
        problems.append(Problem(rel, *raw.mark("id"), "id",
                                f"id {data['id']!r} differs from the file name",
                                f"rename the file to {data['id']}.yaml or use "
                                f"id: {path.stem}"))
    kind = {id(schema.FORM): "forms", id(schema.SOURCE): "sources",
            id(schema.CARD): "cards"}.get(id(spec))
    taken = reserved_ids().get(kind, {}) if data and kind else {}
    if data and data.get("id") in taken:
        problems.append(Problem(rel, *raw.mark("id"), "id",
                                f"id {data['id']!r} is reserved: the site makes "
                                f"{taken[data['id']]} itself", "choose another id"))
    if data is None or problems:
        return None, problems, raw
    data["path"] = rel
    return (data, raw), problems, raw


def reserved_ids() -> dict[str, dict[str, str]]:
    """Ids that would give a form, article or card the page or file of something the site
    makes itself (forms/index.md, handouts/all-forms.pdf): "forms", "sources" or "cards" →
    {id: that path}. Derived from the functions that decide the site's paths, so that a
    page added there is reserved here too."""
    from . import pdf, render

    return _reserved(render.page_paths, pdf.site_handout_jobs)


@lru_cache(maxsize=4)
def _reserved(page_paths: Any, handout_jobs: Any) -> dict[str, dict[str, str]]:
    from types import SimpleNamespace

    probe = "reserved-id-probe"
    out: dict[str, dict[str, str]] = {"forms": {}, "sources": {}, "cards": {}}
    for paths_of in (page_paths, lambda ev: handout_jobs(ev, None)):
        fixed = set(paths_of(Evidence(forms=(), sources=(), cards=())))
        for kind, taken in out.items():
            made = {**dict.fromkeys(("forms", "sources", "cards"), ()),
                    kind: (SimpleNamespace(id=probe),)}
            for template in set(paths_of(Evidence(**made))) - fixed:
                prefix, suffix = template.split(probe, 1)
                for path in fixed:  # a fixed path that an id would make too
                    middle = path[len(prefix):len(path) - len(suffix)]
                    if (path.startswith(prefix) and path.endswith(suffix) and middle
                            and "/" not in middle):
                        taken[middle] = path
    return out


def _form(d: dict[str, Any], _raw: MarkedDict) -> Form:
    bottom_line = tuple(Statement(text=s["text"], relies_on=tuple(
        Reliance(**r) for r in s["relies_on"])) for s in d["bottom_line"])
    return Form(id=d["id"], name=d["name"], description=d["description"],
                aliases=d["aliases"] or (), links=tuple(Link(**x) for x in d["links"]),
                order=d["order"] or 0, path=d["path"], question=d["question"],
                bottom_line=bottom_line)


def _source(d: dict[str, Any], _raw: MarkedDict) -> Source:
    return Source(**d)


class _CardContext:
    """Cross-checks a card against the forms, sources and references."""

    def __init__(self, forms: set[str], sources: set[str], refs: dict[str, Reference],
                 problems: list[Problem]):
        self.forms, self.sources, self.refs, self.problems = forms, sources, refs, problems

    def _add(self, path: str, where: tuple[int, int], field: str, message: str,
             hint: str = "") -> None:
        self.problems.append(Problem(path, where[0], where[1], field, message, hint))

    def card(self, d: dict[str, Any], raw: MarkedDict,
             made: dict[str, tuple[dict[str, Any], Card | None, list[Problem]]],
             ) -> Card | None:
        """The card of these checked fields, or None if it has problems; made: cards made
        before, reused (with their problems) if made of the same fields object, and updated."""
        hit = made.get(d["path"])
        if hit is not None and hit[0] is d:
            self.problems += hit[2]
            return hit[1]
        before = len(self.problems)
        card = self._card(d, raw)
        made[d["path"]] = (d, card, self.problems[before:])
        return card

    def _card(self, d: dict[str, Any], raw: MarkedDict) -> Card | None:
        path, before = d["path"], len(self.problems)
        if d["id"] == "index":  # claims/index.md is the claims index
            self._add(path, raw.mark("id"), "id", "the id 'index' is reserved for the "
                      "claims index", "choose an id that says what the claim is about")
        if d["form"] not in self.forms:
            self._add(path, raw.mark("form"), "form", f"unknown form {d['form']!r}",
                      _one_of(d["form"], self.forms))
        for i, a in enumerate(d["appearances"]):
            where = _item_mark(raw, "appearances", i)
            if a["source"] not in self.sources:
                self._add(path, where, f"appearances[{i}].source",
                          f"unknown source {a['source']!r}", _one_of(a["source"], self.sources))
            if a["citation_check"] != "none" and not a["citation_note"]:
                self._add(path, where, f"appearances[{i}].citation_note",
                          f"is required when citation_check is {a['citation_check']}",
                          "say what the real source is, or what was searched")
            if a["citation_check"] != "none" and not a["cited_as"]:
                self._add(path, where, f"appearances[{i}].cited_as",
                          f"is required when citation_check is {a['citation_check']}",
                          "copy what the article cited, or use citation_check: none")
        for part in ("studies", "background"):
            for i, s in enumerate(d[part] or ()):
                if s["key"] not in self.refs:
                    self._add(path, _item_mark(raw, part, i), f"{part}[{i}].key",
                              f"no entry {s['key']!r} in content/references.bib",
                              f"add `{s['key']}` to content/references.bib")
        for i, s in enumerate(d["studies"]):
            pooled = s["design"] == "systematic-review"
            if pooled != bool(s["pooled_design"]):
                self._add(path, _item_mark(raw, "studies", i), f"studies[{i}].pooled_design",
                          "is required for design systematic-review" if pooled else
                          "is only for design systematic-review",
                          "give the design of the studies the review pooled" if pooled else
                          "remove it")
        if not d["studies"] and not d["no_study_note"]:
            self._add(path, raw.mark("studies"), "no_study_note",
                      "is required when studies is empty", "say what was searched, where")
        if len(self.problems) != before:
            return None
        studies = tuple(StudyUse(**{**s, "directness": Directness(**s["directness"])})
                        for s in d["studies"])
        downgrades = tuple(Downgrade(**x) for x in d["downgrades"])
        grade = grading.grade(d["question"], studies, downgrades)
        if d["certainty"] and d["certainty"] != grade.certainty:
            self._add(path, raw.mark("certainty"), "certainty",
                      f"{d['certainty']!r} does not follow from the question, the studies' "
                      f"directness and the downgrades: {grading.explain(grade)}",
                      "remove the field, or change the directness or downgrades")
            return None
        return Card(id=d["id"], form=d["form"], claim=d["claim"], question=d["question"],
                    appearances=tuple(Appearance(**a) for a in d["appearances"]),
                    background=tuple(Background(**b) for b in d["background"]),
                    studies=studies, verdict=d["verdict"],
                    verdict_summary=d["verdict_summary"], grade=grade,
                    reviewed=d["reviewed"], searched_to=d["searched_to"],
                    reviewer=d["reviewer"], no_study_note=d["no_study_note"], path=path,
                    plain_title=d["plain_title"], main_outcome=bool(d["main_outcome"]))


def _item_mark(raw: MarkedDict, field: str, index: int) -> tuple[int, int]:
    items = raw.get(field)
    return items.mark(index) if hasattr(items, "mark") else raw.mark(field)


def _one_of(value: str, known: set[str]) -> str:
    import difflib

    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.5)
    return f"did you mean `{close[0]}`?" if close else ""

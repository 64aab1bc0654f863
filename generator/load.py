"""Read content/ into the model, collecting every problem on the way.

Order: forms and sources, then references.bib, then cards (which point at all three).
A file with problems is left out of the model; the problems say why.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import grading, schema
from .model import (
    Appearance,
    Card,
    Downgrade,
    Evidence,
    Form,
    Link,
    Reference,
    Source,
    StudyUse,
)
from .problems import Problem
from .references import format_all, load_bib
from .yamlio import MarkedDict, load_yaml

BIB_FILE = "references.bib"


def load_evidence(root: Path, content: str = "content") -> tuple[Evidence, list[Problem]]:
    """Load and check everything under root/content; return the model and all problems."""
    problems: list[Problem] = []
    base = root / content
    forms = [_form(d, p) for d, p in _read_all(root, base / "forms", schema.FORM, problems)]
    sources = [_source(d, p) for d, p in _read_all(root, base / "sources", schema.SOURCE,
                                                    problems)]
    bib_path = base / BIB_FILE
    refs: dict[str, Reference] = {}
    if bib_path.is_file():
        refs, bib_problems = load_bib(_read_text(bib_path, root, problems), _rel(bib_path, root))
        problems += bib_problems
    else:
        problems.append(Problem(_rel(bib_path, root), 1, 1, "", "file is missing"))
    ctx = _CardContext({f.id for f in forms}, {s.id for s in sources}, refs, problems)
    cards = [c for c in (ctx.card(d, p) for d, p in _read_all(root, base / "cards",
                                                              schema.CARD, problems)) if c]
    used = {s.key for c in cards for s in c.studies}
    for key, ref in sorted(refs.items()):
        if key not in used:
            problems.append(Problem(_rel(bib_path, root), ref.line, 1, key,
                                    "bib entry is not cited by any card", warning=True))
    html, text = format_all({k: r for k, r in refs.items() if k in used})
    evidence = Evidence(
        forms=tuple(sorted(forms, key=lambda f: (f.order, f.name.lower()))),
        sources=tuple(sorted(sources, key=lambda s: s.title.lower())),
        cards=tuple(sorted(cards, key=lambda c: c.id)),
        references=refs,
        citations=html,
        citations_text=text,
    )
    return evidence, sorted(problems)


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _read_text(path: Path, root: Path, problems: list[Problem]) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(Problem(_rel(path, root), line, 1, "", "file is not valid UTF-8 text"))
        return data.decode("utf-8-sig", errors="replace")


def _read_all(root: Path, folder: Path, spec: tuple[schema.Field, ...],
              problems: list[Problem]) -> list[tuple[dict[str, Any], MarkedDict]]:
    """Parse and check every *.yaml in folder; return (checked fields, raw) per good file."""
    out = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        rel = _rel(path, root)
        before = len(problems)
        raw, yaml_problems = load_yaml(path.read_bytes(), rel)
        problems += yaml_problems
        if raw is None:
            continue
        data = schema.check_object(spec, raw, rel, problems)
        if data and data.get("id") and data["id"] != path.stem:
            problems.append(Problem(rel, *raw.mark("id"), "id",
                                    f"id {data['id']!r} differs from the file name",
                                    f"rename the file to {data['id']}.yaml or use "
                                    f"id: {path.stem}"))
        if data is not None and len(problems) == before:
            data["path"] = rel
            out.append((data, raw))
    return out


def _form(d: dict[str, Any], _raw: MarkedDict) -> Form:
    return Form(id=d["id"], name=d["name"], description=d["description"],
                aliases=d["aliases"] or (), links=tuple(Link(**x) for x in d["links"]),
                order=d["order"] or 0, path=d["path"])


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

    def card(self, d: dict[str, Any], raw: MarkedDict) -> Card | None:
        path, before = d["path"], len(self.problems)
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
        for i, s in enumerate(d["studies"]):
            if s["key"] not in self.refs:
                self._add(path, _item_mark(raw, "studies", i), f"studies[{i}].key",
                          f"no entry {s['key']!r} in content/references.bib",
                          f"add `{s['key']}` to content/references.bib")
        if not d["studies"] and not d["no_study_note"]:
            self._add(path, raw.mark("studies"), "no_study_note",
                      "is required when studies is empty", "say what was searched, where")
        studies = tuple(StudyUse(**s) for s in d["studies"])
        downgrades = tuple(Downgrade(**x) for x in d["downgrades"])
        grade = grading.grade(studies, downgrades)
        if d["certainty"] and d["certainty"] != grade.certainty:
            self._add(path, raw.mark("certainty"), "certainty",
                      f"{d['certainty']!r} does not follow from the studies and downgrades, "
                      f"which give {grade.certainty!r}",
                      "remove the field, or change the studies/downgrades")
        if len(self.problems) != before:
            return None
        return Card(id=d["id"], form=d["form"], claim=d["claim"],
                    appearances=tuple(Appearance(**a) for a in d["appearances"]),
                    studies=studies, verdict=d["verdict"],
                    verdict_summary=d["verdict_summary"], grade=grade,
                    reviewed=d["reviewed"], searched_to=d["searched_to"],
                    reviewer=d["reviewer"], no_study_note=d["no_study_note"], path=path)


def _item_mark(raw: MarkedDict, field: str, index: int) -> tuple[int, int]:
    items = raw.get(field)
    return items.mark(index) if hasattr(items, "mark") else raw.mark(field)


def _one_of(value: str, known: set[str]) -> str:
    import difflib

    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.5)
    return f"did you mean `{close[0]}`?" if close else ""

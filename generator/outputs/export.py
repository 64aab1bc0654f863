"""The stable export format (`evidence export`, site/data/evidence.json)."""

from __future__ import annotations

import json
from typing import Any

from generator.core import vocab
from generator.core.model import Change, Evidence, Statement, StudyUse


def changes_data(changes: tuple[Change, ...]) -> list[dict[str, str]]:
    """Change notes as exported: newest first, dates as YYYY-MM-DD."""
    return [{"date": c.date.isoformat(), "note": c.note} for c in changes]


def export_data(ev: Evidence) -> dict[str, Any]:
    def study(s: StudyUse) -> dict[str, Any]:
        ref = ev.references.get(s.key)
        return {"key": s.key, "doi": ref.get("doi") if ref else None,
                "pmid": ref.get("pmid") if ref else None,
                "title": ref.title if ref else None, "year": ref.year if ref else None,
                "design": s.design, "directness": s.directness.overall}

    def statement(s: Statement) -> dict[str, Any]:
        return {"text": s.text, "relies_on": [r.card for r in s.relies_on]}

    return {
        "forms": [{"id": f.id, "name": f.name, "url": f.url, "question": f.question,
                   "bottom_line": [statement(s) for s in f.bottom_line],
                   "instead": [statement(s) for s in f.instead],
                   "changes": changes_data(f.changes)} for f in ev.forms],
        "sources": [{"id": s.id, "title": s.title, "url": s.url} for s in ev.sources],
        "cards": [
            {"id": c.id, "form": c.form, "claim": c.claim, "url": c.url,
             "plain_title": c.plain_title, "group": c.group, "question": c.question,
             "also_forms": list(c.also_forms),
             "citation_check": c.citation_check, "verdict": c.verdict,
             "verdict_label": c.verdict_label, "certainty_label": c.certainty_label,
             "grade": None if c.certainty == vocab.NO_STUDIES else c.certainty,
             "appearances": [{"source": a.source, "quote": a.quote, "cited_as": a.cited_as}
                             for a in c.appearances],
             "studies": [study(s) for s in c.studies],
             "changes": changes_data(c.changes)}
            for c in ev.cards
        ],
    }


def export_json(ev: Evidence) -> str:
    return json.dumps(export_data(ev), ensure_ascii=False, indent=2) + "\n"

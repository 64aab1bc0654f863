"""Open data files published beside the site (data/): cards as CSV, references as BibTeX
and CSL-JSON. Pure: the model in, text out; only what the site shows (cited references).
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from generator.core.csl import csl_item
from generator.core.model import OTHERS, Evidence, Reference

CARD_COLUMNS = ("id", "form", "claim", "verdict", "certainty", "citation_check",
                "verdict_summary", "sources", "study_keys", "reviewed", "searched_to",
                "reviewer", "url", "plain_title", "group", "question", "also_forms",
                "verdict_label", "certainty_label")
# OWASP's rule against formulas in CSV: every cell quoted, and a ' before =, +, -, @, tab or
# CR at the start of a cell and after a separator and spaces (`;` or `,`: a spreadsheet in a locale
# that separates with `;` could read "a;=1+2" as two cells).
_FORMULA = re.compile(r"(^|[;,])( *)([=+\-@\t\r])")
# Fields copied verbatim into BibTeX (no LaTeX escaping; braces percent-encoded).
_VERBATIM = ("url", "doi", "pmid", "pmcid")
_LATEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&",
                  "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
                  "^": r"\textasciicircum{}"}


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return _FORMULA.sub(r"\1\2'\3", text)


def cards_csv(ev: Evidence, site_url: str = "") -> str:
    """One row per card (RFC 4180, UTF-8); lists are joined with `; `."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(CARD_COLUMNS)
    for c in ev.cards:
        row = {
            "id": c.id, "form": c.form, "claim": c.claim, "verdict": c.verdict,
            "certainty": c.certainty, "citation_check": c.citation_check,
            "verdict_summary": c.verdict_summary,
            "sources": "; ".join(dict.fromkeys(a.source for a in c.appearances)),
            "study_keys": "; ".join(dict.fromkeys(s.key for s in c.studies)),
            "reviewed": c.reviewed.isoformat(), "searched_to": c.searched_to.isoformat(),
            "reviewer": c.reviewer, "url": site_url + c.url,
            "plain_title": c.plain_title, "group": c.group, "question": c.question,
            "also_forms": "; ".join(c.also_forms), "verdict_label": c.verdict_label,
            "certainty_label": c.certainty_label,
        }
        writer.writerow([_cell(row[name]) for name in CARD_COLUMNS])
    return out.getvalue()


def _cited(ev: Evidence) -> list[Reference]:
    return [ev.references[k] for k in sorted(ev.citations) if k in ev.references]


def _latex(text: str) -> str:
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in text)


def _verbatim(text: str) -> str:
    return text.replace("{", "%7B").replace("}", "%7D").replace("\\", "%5C")


def _bib_name(name: tuple[str, str]) -> str:
    """Family, Given; a family name holding "and" or a comma (or standing alone, as an
    institution) in braces, so that BibTeX reads it back as one name."""
    family, given = name
    if name == OTHERS:
        return "others"  # unbraced: BibTeX's "et al."
    if not given or "," in family or " and " in f" {family.lower()} ":
        family = f"{{{_latex(family)}}}"
    else:
        family = _latex(family)
    return f"{family}, {_latex(given)}" if given else family


def bib_entry(ref: Reference) -> str:
    """One entry as BibTeX, Unicode text with LaTeX specials escaped."""
    lines = [f"@{ref.entry_type}{{{ref.key},"]
    fields: list[tuple[str, str]] = []
    for role, names in (("author", ref.authors), ("editor", ref.editors)):
        if names:
            fields.append((role, " and ".join(map(_bib_name, names))))
    for name, value in ref.fields.items():
        fields.append((name, _verbatim(value) if name in _VERBATIM else _latex(value)))
    width = max((len(n) for n, _ in fields), default=0)
    lines += [f"  {name.ljust(width)} = {{{value}}}," for name, value in fields]
    if len(lines) > 1:
        lines[-1] = lines[-1].rstrip(",")
    lines.append("}")
    return "\n".join(lines) + "\n"


def references_bib(ev: Evidence) -> str:
    """Every reference the site cites, as one BibTeX file (sorted by key)."""
    header = "% References cited on the site, generated from content/references.bib.\n"
    return header + "\n" + "\n".join(bib_entry(r) for r in _cited(ev))


def references_csl_json(ev: Evidence) -> str:
    """Every reference the site cites, as a CSL-JSON array (sorted by key)."""
    items = [csl_item(r) for r in _cited(ev)]
    return json.dumps(items, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def data_files(ev: Evidence, site_url: str = "") -> dict[str, str]:
    """Path under the site (data/...) → text, for every open data file but evidence.json."""
    return {
        "data/cards.csv": cards_csv(ev, site_url),
        "data/references.bib": references_bib(ev),
        "data/references.json": references_csl_json(ev),
    }

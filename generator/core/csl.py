"""A checked reference as a CSL-JSON item: what citeproc formats and data/references.json
publishes."""

from __future__ import annotations

from typing import Any

from generator.core.model import OTHERS, Reference

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


def csl_item(ref: Reference) -> dict[str, Any]:
    """The entry as CSL-JSON (also published as open data)."""
    item: dict[str, Any] = {"id": ref.key, "type": CSL_TYPES.get(ref.entry_type, "document"),
                            "title": ref.title}
    if ref.authors:
        item["author"] = _csl_names(ref.authors)
    else:
        body = ref.get("institution") or ref.get("organization") or ref.get("publisher")
        item["author"] = [{"literal": body}]
    if ref.editors:
        item["editor"] = _csl_names(ref.editors)
    if ref.year:
        item["issued"] = {"date-parts": [[ref.year]]}
    online = online_year(ref)
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


def _csl_names(names: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
    return [{"literal": "et al."} if (fam, giv) == OTHERS
            else {"family": fam, "given": giv} if giv else {"literal": fam}
            for fam, giv in names]


def online_year(ref: Reference) -> int | None:
    """`year_online`: the year a paper was first published online, when it differs from
    `year` (the print issue's year)."""
    online = ref.get("year_online") or ""
    return int(online) if online.isdigit() and int(online) != ref.year else None

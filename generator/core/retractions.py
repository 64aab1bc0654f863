"""Retraction Watch notices (the CSV Crossref distributes) matched against the references.

`read_notices` reads the file's text (the caller reads the file) into lookups by DOI and by
PMID; `retraction_problems` reports each cited reference with a retraction or an expression of
concern, at the bib entry's line. DOIs are matched without case and without a
`https://doi.org/` (or `doi:`) prefix. Corrections and reinstatements are not retractions.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field

from generator.core.model import Evidence
from generator.core.problems import Problem

COLUMNS = ("OriginalPaperDOI", "OriginalPaperPubMedID", "RetractionDOI", "RetractionDate",
           "RetractionNature")
RETRACTION, CONCERN = "Retraction", "Expression of concern"
_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$")


class RetractionFileError(ValueError):
    """The file is not a Retraction Watch CSV, or a row of it is malformed."""


@dataclass(frozen=True)
class Notice:
    nature: str  # Retraction | Expression of concern
    notice_doi: str  # the notice's DOI, or "" where the file has none
    date: dt.date | None


@dataclass
class Notices:
    by_doi: dict[str, Notice] = field(default_factory=dict)
    by_pmid: dict[str, Notice] = field(default_factory=dict)

    def find(self, doi: str | None, pmid: str | None) -> Notice | None:
        """The notice for a paper (a retraction before an expression of concern)."""
        found = [n for n in (self.by_doi.get(normal_doi(doi)) if doi else None,
                             self.by_pmid.get(pmid.strip()) if pmid else None) if n]
        return min(found, key=lambda n: n.nature != RETRACTION, default=None)


def normal_doi(doi: str) -> str:
    return _PREFIX.sub("", doi.strip()).lower()


def _date(text: str) -> dt.date | None:
    """M/D/YYYY [H:MM] as the file writes it, or YYYY-MM-DD; None when empty."""
    text = text.strip()
    if not text:
        return None
    us = _US_DATE.match(text)
    try:
        if us:
            return dt.date(int(us[3]), int(us[1]), int(us[2]))
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(f"{text!r} is not a date") from None


def cited_ids(ev: Evidence) -> tuple[set[str], set[str]]:
    """The DOIs (normalised) and PMIDs of the cited references: the only rows worth keeping."""
    cited = [r for k, r in ev.references.items() if ev.cards_citing(k)]
    return ({normal_doi(r.get("doi") or "") for r in cited if r.get("doi")},
            {(r.get("pmid") or "").strip() for r in cited if r.get("pmid")})


def read_notices(text: str, path: str,
                 only: tuple[set[str], set[str]] | None = None) -> Notices:
    """Every retraction and expression of concern of the file, by DOI and PMID (only those
    of `only`'s DOIs and PMIDs when given: cited_ids); raises RetractionFileError naming the
    file and the row (row 1 is the header). Every row's shape is checked."""
    reader = csv.reader(text.splitlines())
    try:
        header = next(reader, None)
        if header is None:
            raise RetractionFileError(f"{path}: row 1: the file is empty")
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise RetractionFileError(f"{path}: row 1: not a Retraction Watch CSV: no column "
                                      f"{', '.join(missing)}")
        at = {c: header.index(c) for c in COLUMNS}
        out = Notices()
        for row in reader:
            if not row:
                continue
            if len(row) != len(header):
                raise RetractionFileError(f"{path}: row {reader.line_num}: has {len(row)} "
                                          f"fields, the header has {len(header)}")
            nature = row[at["RetractionNature"]].strip()
            if nature not in (RETRACTION, CONCERN):
                continue
            doi = normal_doi(row[at["OriginalPaperDOI"]])
            pmid = row[at["OriginalPaperPubMedID"]].strip()
            if only is not None and doi not in only[0] and pmid not in only[1]:
                continue
            try:
                date = _date(row[at["RetractionDate"]])
            except ValueError as exc:
                raise RetractionFileError(f"{path}: row {reader.line_num}: RetractionDate: "
                                          f"{exc}") from None
            notice_doi = row[at["RetractionDOI"]].strip()
            notice = Notice(nature, "" if notice_doi.lower() in ("", "unavailable")
                            else normal_doi(notice_doi), date)
            if doi and doi != "unavailable":
                out.by_doi[doi] = _worse(out.by_doi.get(doi), notice)
            if pmid.isdigit() and int(pmid):
                out.by_pmid[pmid] = _worse(out.by_pmid.get(pmid), notice)
    except csv.Error as exc:
        raise RetractionFileError(f"{path}: row {reader.line_num}: {exc}") from None
    return out


def _worse(old: Notice | None, new: Notice) -> Notice:
    """A retraction outranks an expression of concern; else the later notice."""
    if old is None:
        return new
    rank = (old.nature == RETRACTION, old.date or dt.date.min)
    return old if rank >= (new.nature == RETRACTION, new.date or dt.date.min) else new


def retraction_problems(ev: Evidence, notices: Notices, bib_path: str) -> list[Problem]:
    """Each cited reference the file lists as retracted (an error, unless the entry records
    it in `retraction`) or under an expression of concern (a warning), at its line."""
    out = []
    for key, ref in sorted(ev.references.items()):
        if not ev.cards_citing(key):
            continue
        notice = notices.find(ref.get("doi"), ref.get("pmid"))
        if notice is None:
            continue
        by = "doi" if ref.get("doi") and normal_doi(ref.get("doi") or "") in notices.by_doi \
            else "pmid"
        when = f" is dated {notice.date.isoformat()}" if notice.date else " is undated"
        what = notice.notice_doi or "(no DOI)"
        if notice.nature == RETRACTION:
            if ref.get("retraction"):
                continue  # known, and shown with the reference
            out.append(Problem(bib_path, ref.line, 1, f"{key}.{by}",
                               f"retracted: the retraction notice {what}{when}",
                               "check the notice; record it in the entry as retraction = "
                               f"{{{notice.notice_doi or 'the notice'}}}"))
        else:
            out.append(Problem(bib_path, ref.line, 1, f"{key}.{by}",
                               f"an expression of concern, notice {what},{when}",
                               "read the notice; say so on the cards that cite it",
                               warning=True))
    return out

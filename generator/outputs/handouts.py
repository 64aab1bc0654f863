"""Handouts: one per supplement form, plus one covering all forms; the model → their data.

Made from the same Evidence model as the site. Python turns the model into plain data (JSON)
and templates/handout.typ lays it out with Typst (outputs/typeset.py). Card text reaches Typst
only as JSON strings, which Typst shows as text and never evaluates, so a card cannot inject
Typst markup or code.

Page 1 is for the patient: the form's question, the editors' bottom line and the claims in
plain words (plain titles), at 10 pt and larger. Then the pharmacist's part: the summary of
findings, the legend and the references (nothing under 7 pt), from page 2 on; a handout whose
two parts fit on one page is one page long.

Reproducible: no clock, no system fonts; the PDF's date is SOURCE_DATE_EPOCH when set, else
the latest `reviewed` date of the cards it covers, so the same content gives the same bytes.
A form's handout is two pages at most, whatever its number of claims: page 1 lists as many
claims (in the one order, generator/order.py) as fit on it, page 2's table as many rows as fit
with their references, in the roomiest layout; each says how many more are online. What fits
is measured by typesetting candidates (a search over counts: O(log n) compiles, typeset._fit).
"""

from __future__ import annotations

import functools
import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.config import Texts
from generator.core import vocab
from generator.core.model import Card, Evidence, Form
from generator.core.order import claim_order
from generator.core.paths import ALL_FORMS, HANDOUT_FOLDERS, handout_names
from generator.core.references import ascii_url, compact_reference
from generator.outputs.wording import PATIENT_NOTE, disclaimer, long_date

PAPERS = ("a4", "us-letter")
DENSITIES = (0, 1, 2)  # the template's layouts, roomiest first
GALLOP = 8  # the first count tried when searching how many claims fit
TEMPLATE = Path(__file__).parents[1] / "templates" / "handout.typ"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PDF_STANDARD = "ua-1"  # tagged, accessible PDF
def site_handout_jobs(evidence: Evidence, site_url: str | None, texts: Texts | None = None,
                      template: Path = TEMPLATE) -> dict[str, Job]:
    """The site's handouts by path: handouts/<id>.pdf (A4), handouts/us-letter/<id>.pdf."""
    return {f"{folder}/{name}": job for paper, folder in HANDOUT_FOLDERS.items()
            for name, job in handout_jobs(evidence, site_url, paper, texts, template).items()}


def handout_template(override_dir: Path) -> Path:
    """The site's handout.typ in its templates folder, else the packaged one."""
    own = override_dir / TEMPLATE.name
    return own if own.is_file() else TEMPLATE


Cuts = dict[str, tuple[int, int]]  # form id → (claims listed on page 1, rows in its table)


@dataclass(frozen=True)
class Job:
    """One handout to make: a form's (two pages at most), or all forms' when form is None."""

    evidence: Evidence
    site_url: str | None
    paper: str
    form: Form | None
    texts: Texts = Texts()
    template: Path = TEMPLATE  # the Typst template (a site's override, or the packaged one)

    def data(self, cuts: Cuts | None = None) -> dict[str, Any]:
        return handout_data(self.evidence, self.site_url, self.paper, self.form, cuts,
                            self.texts)


def handout_jobs(evidence: Evidence, site_url: str | None, paper: str,
                 texts: Texts | None = None, template: Path = TEMPLATE) -> dict[str, Job]:
    """File name (<form id>.pdf, all-forms.pdf) → what to compile."""
    if paper not in PAPERS:
        raise ValueError(f"unknown paper {paper!r}: use one of {', '.join(PAPERS)}")
    if site_url and not site_url.startswith(("http://", "https://")):
        raise ValueError(f"site_url must be an http(s) address, not {site_url!r}")
    for form in evidence.forms:  # ids are checked slugs; this keeps every file inside out_dir
        if not SLUG.match(form.id) or form.id == ALL_FORMS:
            raise ValueError(f"form id {form.id!r} cannot name a handout file")
    base = site_url if not site_url or site_url.endswith("/") else site_url + "/"
    return dict(zip(handout_names(evidence), [Job(evidence, base, paper, form,
                                                  texts or Texts(), template)
                                              for form in [*evidence.forms, None]],
                    strict=True))


# --- model → data ---------------------------------------------------------------------------


def handout_data(evidence: Evidence, site_url: str | None, paper: str,
                 form: Form | None = None, cuts: Cuts | None = None,
                 texts: Texts | None = None) -> dict[str, Any]:
    """What one handout shows (one form's, or all forms' when form is None), as JSON-ready
    data whose strings the template shows as plain text; a form in `cuts` lists only its
    first claims (page 1, table), every claim otherwise."""
    texts = texts or Texts()
    about = f" about {texts.condition}" if texts.condition else ""
    forms = [form] if form else list(evidence.forms)
    cards = [c for f in forms for c in evidence.cards_of_form(f.id)]
    numbers: dict[str, int] = {}  # bib key → number, in order of first citation (AMA)
    if form:
        title, subtitle = form.name, f"Claims{about}, checked against the studies"
        patient_subtitle = "What the studies say, in plain words"
        path = form.url
    else:
        title, subtitle = texts.handout_title or texts.title, (
            f"All {len(forms)} supplement forms: claims checked against the studies"
            if len(forms) != 1 else "Claims checked against the studies")
        patient_subtitle = f"What the studies say about {texts.forms_counted(len(forms))}"
        path = "forms/"
    url = f"{site_url}{path}" if site_url else None
    sections = [_section(evidence, f, numbers, (cuts or {}).get(f.id),
                         f"{site_url}{f.url}" if site_url else None, list_main=form is not None)
                for f in forms]
    shown = {"verdict": {(r["verdict"], r["verdict_label"]) for sec in sections
                         for r in sec["rows"]},
             "certainty": {(r["certainty"], r["certainty_label"]) for sec in sections
                           for r in sec["rows"]}}
    searched = min((c.searched_to for c in cards), default=None)
    reviewed = max((c.reviewed for c in cards), default=None)
    return {
        "paper": paper,
        "density": 0,
        "split": True,  # the pharmacist's part starts on page 2 (see _compile)
        "one_page": False,  # everything at 10 pt, to fit on one page
        "patient_subtitle": patient_subtitle,
        "patient_note": PATIENT_NOTE.format(about=about) + (
            f" Studies searched up to {long_date(searched)}." if searched else ""),
        "series": f"Evidence handout · {texts.title}",
        "outcome": texts.outcome,
        "title": title,
        "subtitle": subtitle,
        "document_title": f"{title}: evidence handout",
        "authors": sorted({c.reviewer for c in cards}) or ["Evidence team"],
        "searched_to": long_date(searched) if searched else None,
        "reviewed": long_date(reviewed) if reviewed else None,
        "reviewed_iso": reviewed.isoformat() if reviewed else None,
        "claims": len(cards),
        "url": url,
        "qr": _qr_svg(url) if url else None,
        "sections": sections,
        "show_section_titles": form is None,
        "references": [{"n": n, "parts": _ref_parts(evidence, key), "compact": [  # one line
            {"text": text, **({"url": href} if href else {})} for text, href in (
                compact_reference(evidence.references[key]) if key in evidence.references
                else [(key, None)])]} for key, n in numbers.items()],
        # the legend explains the verdicts and certainties the handout shows (all if none)
        # GRADE's levels, and a statement of fact's (vocab.FACT_CERTAINTY_LABELS)
        "certainties": [{"id": c, "level": _level(c), "label": labels[c], "lead": leads[c],
                         "meaning": meanings[c]}
                        for labels, leads, meanings in (
                            (vocab.CERTAINTY_LABELS, vocab.CERTAINTY_LEAD,
                             vocab.CERTAINTY_MEANING),
                            (vocab.FACT_CERTAINTY_LABELS, vocab.FACT_CERTAINTY_LEAD,
                             vocab.FACT_CERTAINTY_LEAD))
                        for c in vocab.CERTAINTIES
                        if (c, labels[c]) in shown["certainty"]
                        or (not cards and labels is vocab.CERTAINTY_LABELS)],
        # a verdict as the handout words it: "Supported", or "Accurate" for a statement of
        # fact or about the evidence (vocab.ACCURACY_VERDICTS)
        "verdicts": [{"id": v, "label": labels[v], "meaning": meanings[v]}
                     for labels, meanings in ((vocab.VERDICTS, vocab.VERDICT_MEANING),
                                              (vocab.ACCURACY_VERDICTS, vocab.ACCURACY_MEANING))
                     for v in vocab.VERDICTS
                     if (v, labels[v]) in shown["verdict"]
                     or (not cards and labels is vocab.VERDICTS)],
        "disclaimer": disclaimer(texts),
    }


def _section(evidence: Evidence, form: Form, numbers: dict[str, int],
             cut: tuple[int, int] | None, url: str | None,
             list_main: bool = True) -> dict[str, Any]:
    """One form's part: page 1's question, bottom line and (list_main: a form's own handout)
    its first `cut[0]` claims in plain words, and the pharmacist's table of its first `cut[1]`
    claims; each says how many more are online at `url`."""
    every = claim_order(evidence.cards_of_form(form.id))
    number = {c.id: n for n, c in enumerate(every, 1)}  # as on the form page
    listed, shown = cut if cut else (len(every), len(every))
    cards, patient = every[:shown], every[:listed] if list_main else []
    rows = []
    for card in cards:
        refs = [numbers.setdefault(s.key, len(numbers) + 1) for s in card.studies]
        rows.append({"n": number[card.id], "claim": card.claim, "verdict": card.verdict,
                     "verdict_label": card.verdict_label,
                     "certainty": card.certainty, "level": _level(card.certainty),
                     "certainty_label": card.certainty_label,
                     "refs": _ranges(sorted(set(refs))) if refs else "none found"})
    omitted, unlisted = len(every) - len(cards), len(every) - len(patient)
    online = f" at {url}" if url else ""
    return {"id": form.id, "name": form.name, "aliases": list(form.other_names),
            "description": form.description, "rows": rows,
            "question": form.question,
            "bottom_line": [s.text for s in form.bottom_line],
            "instead": [s.text for s in form.instead],
            "main_claims": [{"n": number[c.id], "title": c.title, "verdict": c.verdict,
                             "verdict_label": c.verdict_label}
                            for c in patient if c.group == "outcome"],
            "other_claims": [{"n": number[c.id], "title": c.title, "verdict": c.verdict,
                              "verdict_label": c.verdict_label}
                             for c in patient if c.group != "outcome"],
            "patient_more": (f"{unlisted} more claim{'s are' if unlisted > 1 else ' is'} "
                             f"explained online{online}.") if list_main and unlisted else None,
            "key_messages": _key_messages(form, cards, list(every)),
            "omitted": (f"{omitted} more claim{'s' if omitted > 1 else ''} online{online}.")
            if omitted else None}


def _solid(card: Card) -> bool:
    return card.verdict == "supported" and card.certainty in ("high", "moderate")


def _key_messages(form: Form, cards: list[Card], every: list[Card]) -> list[dict[str, str]]:
    """Short messages in GRADE's plain wording: counts over every card of the form, claim
    numbers from the table's rows (cards, numbered 1..n)."""
    if not every:
        return [{"lead": "No claims checked yet.",
                 "text": f"No claim about {form.name} has been checked yet."}]
    n = len(every)
    verdicts = Counter(c.verdict for c in every)
    counts = ", ".join(f"{verdicts[v]} {label.lower()}" for v, label in vocab.VERDICTS.items()
                       if verdicts[v])
    messages = [{"lead": f"{n} claim{'s' if n > 1 else ''} checked",
                 "text": f"from web articles about {form.name}: {counts}."}]
    certainties = Counter(c.certainty for c in every)
    for c in vocab.CERTAINTIES:
        if certainties[c]:
            k = certainties[c]
            messages.append({
                "lead": (f"{vocab.CERTAINTY_LABELS[c]}"
                         f"{' certainty' if c in vocab.LEVELS else ''}"
                         f" ({k} claim{'s' if k > 1 else ''}):"),
                "text": vocab.CERTAINTY_LEAD[c]})
    number = {c.id: n for n, c in enumerate(claim_order(every), 1)}
    solid = [number[c.id] for c in cards if _solid(c)]
    more = sum(map(_solid, every)) - len(solid)
    # counted over every card of the form: the table may hold none of those that qualify
    if solid:
        label = "Claim" if len(solid) == 1 else "Claims"
        online = f", and {more} more online" if more else ""
        text = f"{label} {_ranges(solid)} in the table{online}."
    elif more:
        text = f"{more} claim{'s' if more > 1 else ''}, explained online (not in this table)."
    else:
        text = "none of the claims checked."
    messages.append({"lead": "Supported by moderate- or high-certainty evidence:", "text": text})
    return messages


def _ref_parts(evidence: Evidence, key: str) -> list[dict[str, str]]:
    """The reference's AMA text split into plain parts and links (DOI, URL, PMID, PMCID)."""
    text = evidence.citations_text.get(key, key)
    ref = evidence.references.get(key)
    targets: list[tuple[str, str]] = []
    if ref:
        doi, url, pmid, pmcid = (ref.get(k) for k in ("doi", "url", "pmid", "pmcid"))
        if doi:
            targets.append((f"doi:{doi}", f"https://doi.org/{doi}"))
        if url and url.startswith(("http://", "https://")):
            targets.append((url, ascii_url(url)))
        if pmid:
            targets.append((f"PMID: {pmid}", f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"))
        if pmcid:
            targets.append((f"PMCID: {pmcid}", f"https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/"))
    parts: list[dict[str, str]] = []
    rest = text
    for needle, href in targets:
        before, found, after = rest.partition(needle)
        if not found:
            continue
        if before:
            parts.append({"text": before})
        parts.append({"text": needle, "url": href})
        rest = after
    if rest:
        parts.append({"text": rest})
    return parts


def _level(certainty: str) -> int:
    """GRADE's filled circles: high 4 … very low 1; no studies 0."""
    if certainty not in vocab.LEVELS:
        return 0
    return len(vocab.LEVELS) - vocab.LEVELS.index(certainty)


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 5] → '1–3, 5' (AMA collapses runs of three or more)."""
    out: list[str] = []
    i = 0
    while i < len(numbers):
        j = i
        while j + 1 < len(numbers) and numbers[j + 1] == numbers[j] + 1:
            j += 1
        if j - i >= 2:
            out.append(f"{numbers[i]}–{numbers[j]}")
        else:
            out.extend(str(x) for x in numbers[i:j + 1])
        i = j + 1
    return ", ".join(out)


@functools.lru_cache(maxsize=64)  # a handout's data is made once per candidate count
def _qr_svg(url: str) -> str:
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", border=0, xmldecl=False,
                                     svgns=True, dark="#000000")
    return buffer.getvalue().decode("ascii")



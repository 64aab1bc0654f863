"""`evidence pdf`: one PDF handout per supplement form, plus one covering all forms.

Made from the same Evidence model as the site. Python turns the model into plain data (JSON)
and templates/handout.typ lays it out with Typst. Card text reaches Typst only as JSON strings,
which Typst shows as text and never evaluates, so a card cannot inject Typst markup or code.

Page 1 is for the patient: the form's question, the editors' bottom line and the claims in
plain words (plain titles), at 10 pt and larger. Then the pharmacist's part: the summary of
findings, the legend and the references (nothing under 7 pt), from page 2 on; a handout whose
two parts fit on one page is one page long.

Reproducible: no clock, no system fonts; the PDF's date is SOURCE_DATE_EPOCH when set, else
the latest `reviewed` date of the cards it covers, so the same content gives the same bytes.
A form's handout is two pages at most, whatever its number of claims: page 1 lists as many
claims (in the one order, generator/order.py) as fit on it, page 2's table as many rows as fit
with their references, in the roomiest layout; each says how many more are online. What fits
is measured by typesetting candidates (a search over counts: O(log n) compiles, see _fit).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import hashlib
import io
import json
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import vocab
from .model import Card, Evidence, Form
from .order import claim_order
from .safepath import no_links

PAPERS = ("a4", "us-letter")
ALL_FORMS = "all-forms"  # file name (without .pdf) of the handout covering every form
DENSITIES = (0, 1, 2)  # the template's layouts, roomiest first
GALLOP = 8  # the first count tried when searching how many claims fit
TEMPLATE = Path(__file__).parent / "templates" / "handout.typ"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PDF_STANDARD = "ua-1"  # tagged, accessible PDF
SERIES = "Evidence handout · Magnesium and hair loss"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
PATIENT_NOTE = (
    "This sheet tells you what studies show about claims made on the web. It does not tell "
    "you what to take. Ask your doctor or pharmacist about hair loss."
)
DISCLAIMER = (
    "This handout reports what published evidence shows about claims made in web articles. "
    "It is not medical advice and does not recommend any supplement or dose. For reference "
    "values and safety, see the NIH Office of Dietary Supplements magnesium fact sheet "
    "(ods.od.nih.gov), and ask a doctor or pharmacist about hair loss."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder (default: handouts/ in the site_dir of mkdocs.yml, "
                             "i.e. site/handouts)")
    parser.add_argument("--paper", choices=PAPERS, default="a4",
                        help="paper size (default: a4)")


def run(args: argparse.Namespace) -> int:
    from .cli import load_or_report

    root = args.root.resolve()
    evidence = load_or_report(root, "no handouts written")
    if evidence is None:
        return 1
    config = mkdocs_settings(root)
    site_url = config.get("site_url") if isinstance(config.get("site_url"), str) else None
    site_dir = config.get("site_dir") if isinstance(config.get("site_dir"), str) else "site"
    out = args.out if args.out is not None else root / site_dir / "handouts"
    try:
        out = no_links(out, "the handouts folder")
        paths = write_handouts(evidence, out, site_url=site_url or None, paper=args.paper)
    except Exception as exc:  # typst: report, nothing written
        print(f"handouts failed: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {len(paths)} handout(s) ({args.paper}) into {out}")
    return 0


def mkdocs_settings(root: Path) -> dict[str, Any]:
    """mkdocs.yml read without MkDocs (unknown YAML tags are ignored); {} if there is none."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    path = root / "mkdocs.yml"
    if not path.is_file():
        return {}
    try:
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)
    except (yaml.YAMLError, RecursionError, UnicodeDecodeError):
        return {}  # MkDocs, which reads it too, says what is wrong
    return config if isinstance(config, dict) else {}


def write_handouts(evidence: Evidence, out_dir: Path, site_url: str | None,
                   paper: str = "a4") -> list[Path]:
    """Write DIR/<form id>.pdf for every form and DIR/all-forms.pdf; return their paths.

    Every PDF is made in memory first: a failure writes nothing.
    """
    pdfs = render_handouts(evidence, site_url, paper)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, pdf in pdfs.items():
        path = no_links(out_dir / name, "a handout")
        path.write_bytes(pdf)
        paths.append(path)
    return paths


def site_handout_jobs(evidence: Evidence, site_url: str | None) -> dict[str, Job]:
    """The site's handouts by path: handouts/<id>.pdf (A4), handouts/us-letter/<id>.pdf."""
    jobs = {f"handouts/{name}": job
            for name, job in handout_jobs(evidence, site_url, "a4").items()}
    jobs.update({f"handouts/us-letter/{name}": job
                 for name, job in handout_jobs(evidence, site_url, "us-letter").items()})
    return jobs


def render_handouts(evidence: Evidence, site_url: str | None,
                    paper: str = "a4") -> dict[str, bytes]:
    """File name (<form id>.pdf, all-forms.pdf) → PDF bytes."""
    return compile_handouts(handout_jobs(evidence, site_url, paper))


Cuts = dict[str, tuple[int, int]]  # form id → (claims listed on page 1, rows in its table)


@dataclass(frozen=True)
class Job:
    """One handout to make: a form's (two pages at most), or all forms' when form is None."""

    evidence: Evidence
    site_url: str | None
    paper: str
    form: Form | None

    def data(self, cuts: Cuts | None = None) -> dict[str, Any]:
        return handout_data(self.evidence, self.site_url, self.paper, self.form, cuts)


def handout_jobs(evidence: Evidence, site_url: str | None, paper: str) -> dict[str, Job]:
    """File name (<form id>.pdf, all-forms.pdf) → what to compile."""
    if paper not in PAPERS:
        raise ValueError(f"unknown paper {paper!r}: use one of {', '.join(PAPERS)}")
    if site_url and not site_url.startswith(("http://", "https://")):
        raise ValueError(f"site_url must be an http(s) address, not {site_url!r}")
    for form in evidence.forms:  # ids are checked slugs; this keeps every file inside out_dir
        if not SLUG.match(form.id) or form.id == ALL_FORMS:
            raise ValueError(f"form id {form.id!r} cannot name a handout file")
    base = site_url if not site_url or site_url.endswith("/") else site_url + "/"
    jobs = {f"{form.id}.pdf": Job(evidence, base, paper, form) for form in evidence.forms}
    jobs[f"{ALL_FORMS}.pdf"] = Job(evidence, base, paper, None)
    return jobs


def compile_handouts(jobs: dict[str, Job]) -> dict[str, bytes]:
    """Name → PDF, with one typst compiler (typst itself lays out on every core).

    A handout whose data, template and date are those of one made earlier in this process
    is reused: in `mkdocs serve`, editing a card remakes only its form's handouts.
    """
    compiler = None  # made on first need: it loads the fonts
    template = TEMPLATE.read_text(encoding="utf-8")
    pdfs = {}
    for name, job in jobs.items():
        data = job.data()
        key = hashlib.sha256(json.dumps([data, job.form is not None, _timestamp(data),
                                         template]).encode()).hexdigest()
        if key not in _MADE:
            compiler = compiler or _compiler()
            _MADE[key] = _compile(compiler, job, data)
            while len(_MADE) > 4 * len(jobs):  # forget the oldest
                del _MADE[next(iter(_MADE))]
        pdfs[name] = _MADE[key]
    return pdfs


_MADE: dict[str, bytes] = {}  # key of a handout's inputs → its PDF, for this process


# --- model → data ---------------------------------------------------------------------------


def handout_data(evidence: Evidence, site_url: str | None, paper: str,
                 form: Form | None = None, cuts: Cuts | None = None) -> dict[str, Any]:
    """What one handout shows (one form's, or all forms' when form is None), as JSON-ready
    data whose strings the template shows as plain text; a form in `cuts` lists only its
    first claims (page 1, table), every claim otherwise."""
    forms = [form] if form else list(evidence.forms)
    cards = [c for f in forms for c in evidence.cards_of_form(f.id)]
    numbers: dict[str, int] = {}  # bib key → number, in order of first citation (AMA)
    if form:
        title, subtitle = form.name, "Claims about hair loss, checked against the studies"
        patient_subtitle = "What the studies say, in plain words"
        path = form.url
    else:
        title, subtitle = "Magnesium supplements and hair loss", (
            f"All {len(forms)} supplement forms: claims checked against the studies")
        patient_subtitle = f"What the studies say about {len(forms)} kinds of magnesium"
        path = "forms/"
    url = f"{site_url}{path}" if site_url else None
    sections = [_section(evidence, f, numbers, (cuts or {}).get(f.id),
                         f"{site_url}{f.url}" if site_url else None, list_main=form is not None)
                for f in forms]
    shown = {"verdict": {r["verdict"] for sec in sections for r in sec["rows"]},
             "certainty": {r["certainty"] for sec in sections for r in sec["rows"]}}
    searched = min((c.searched_to for c in cards), default=None)
    reviewed = max((c.reviewed for c in cards), default=None)
    return {
        "paper": paper,
        "density": 0,
        "split": True,  # the pharmacist's part starts on page 2 (see _compile)
        "one_page": False,  # everything at 10 pt, to fit on one page
        "patient_subtitle": patient_subtitle,
        "patient_note": PATIENT_NOTE + (f" Studies searched up to {_date(searched)}."
                                        if searched else ""),
        "series": SERIES,
        "title": title,
        "subtitle": subtitle,
        "document_title": f"{title}: evidence handout",
        "authors": sorted({c.reviewer for c in cards}) or ["Evidence team"],
        "searched_to": _date(searched) if searched else None,
        "reviewed": _date(reviewed) if reviewed else None,
        "reviewed_iso": reviewed.isoformat() if reviewed else None,
        "claims": len(cards),
        "url": url,
        "qr": _qr_svg(url) if url else None,
        "sections": sections,
        "show_section_titles": form is None,
        "references": [{"n": n, "parts": _ref_parts(evidence, key)}
                       for key, n in numbers.items()],
        # the legend explains the verdicts and certainties the handout shows (all if none)
        "certainties": [{"id": c, "level": _level(c), "label": vocab.CERTAINTY_LABELS[c],
                         "lead": vocab.CERTAINTY_LEAD[c], "meaning": vocab.CERTAINTY_MEANING[c]}
                        for c in vocab.CERTAINTIES if not cards or c in shown["certainty"]],
        "verdicts": [{"id": v, "label": label, "meaning": vocab.VERDICT_MEANING[v]}
                     for v, label in vocab.VERDICTS.items()
                     if not cards or v in shown["verdict"]],
        "disclaimer": DISCLAIMER,
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
                     "verdict_label": vocab.VERDICTS[card.verdict],
                     "certainty": card.certainty, "level": _level(card.certainty),
                     "certainty_label": vocab.CERTAINTY_LABELS[card.certainty],
                     "refs": _ranges(sorted(set(refs))) if refs else "none found"})
    omitted, unlisted = len(every) - len(cards), len(every) - len(patient)
    online = f" at {url}" if url else ""
    return {"id": form.id, "name": form.name, "aliases": list(form.aliases),
            "description": form.description, "rows": rows,
            "question": form.question,
            "bottom_line": [s.text for s in form.bottom_line],
            "main_claims": [{"n": number[c.id], "title": c.title, "verdict": c.verdict,
                             "verdict_label": vocab.VERDICTS[c.verdict]}
                            for c in patient if c.main_outcome],
            "other_claims": [{"n": number[c.id], "title": c.title, "verdict": c.verdict,
                              "verdict_label": vocab.VERDICTS[c.verdict]}
                             for c in patient if not c.main_outcome],
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
    if solid:
        label = "Claim" if len(solid) == 1 else "Claims"
        online = f", and {more} more online" if more else ""
        messages.append({"lead": "Supported by moderate- or high-certainty evidence:",
                         "text": f"{label} {_ranges(solid)} in the table{online}."})
    else:
        messages.append({"lead": "Supported by moderate- or high-certainty evidence:",
                         "text": "none of the claims checked."})
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
            targets.append((url, url))
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


def _date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@functools.lru_cache(maxsize=64)  # a handout's data is made once per candidate count
def _qr_svg(url: str) -> str:
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", border=0, xmldecl=False,
                                     svgns=True, dark="#000000")
    return buffer.getvalue().decode("ascii")


# --- data → PDF -----------------------------------------------------------------------------


def _compiler() -> Any:
    import typst

    return typst.Compiler(str(TEMPLATE), root=str(TEMPLATE.parent), ignore_system_fonts=True)


def _compile(compiler: Any, job: Job, data: dict[str, Any]) -> bytes:
    """A form's handout in two pages at most (one if everything fits on one); the all-forms
    handout lists each form's table as far as the form's own handout does."""
    if job.form is None:
        cuts = {f.id: _fit(compiler, Job(job.evidence, job.site_url, job.paper, f))[0]
                for f in job.evidence.forms}
        return _typeset(compiler, {**job.data(cuts), "density": DENSITIES[0]})
    cut, density = _fit(compiler, job)
    n = len(data["sections"][0]["rows"])
    if cut == (n, n) and density == DENSITIES[0]:
        single = _typeset(compiler, {**data, "split": False, "one_page": True})
        if _layout(compiler)["pages"] == 1:  # a form that fits on one page gets one page
            return single
    return _typeset(compiler, {**job.data({job.form.id: cut}), "density": density})


def _fit(compiler: Any, job: Job) -> tuple[tuple[int, int], int]:
    """How many claims page 1 lists and page 2's table shows, and in which layout (the
    roomiest that shows them all, else the densest), measured by typesetting: both counts are
    searched at once, doubling from GALLOP (or from what fitted in a roomier layout) then
    halving, so O(log n) compiles a layout."""
    assert job.form is not None
    data = job.data()
    key = hashlib.sha256(json.dumps(data).encode()).hexdigest()
    if key in _FITS:
        return _FITS[key]
    form_id, n = job.form.id, len(data["sections"][0]["rows"])

    def probe(counts: list[int], density: int) -> tuple[bool, bool]:
        """Do page 1 (the patient's) and page 2 (the pharmacist's) each fit on one page?"""
        _typeset(compiler, {**job.data({form_id: (counts[0], counts[1])}), "density": density})
        layout = _layout(compiler)
        return layout["patient"] == 1, layout["pages"] == layout["pharmacist"]

    def search(lo: list[int], density: int) -> list[int]:
        """Both largest counts, up from lo (counts known to fit); hi: known not to, or n + 1."""
        hi = [n + 1, n + 1]
        while any(h - low > 1 for low, h in zip(lo, hi, strict=True)):
            tries = [low if h - low <= 1 else (low + h) // 2 if h <= n
                     else min(n, max(GALLOP, 2 * low)) for low, h in zip(lo, hi, strict=True)]
            fits = probe(tries, density)
            for i in (0, 1):
                if tries[i] != lo[i]:
                    lo[i], hi[i] = (tries[i], hi[i]) if fits[i] else (lo[i], tries[i])
        return lo

    density = DENSITIES[0]
    lo = search([0, 0], density)
    if lo[1] < n:  # a middle layout if it shows every row (it cannot hold twice as many)
        density = next((d for d in DENSITIES[1:-1]
                        if n <= 2 * lo[1] and probe([lo[0], n], d)[1]), DENSITIES[-1])
        # a denser layout holds at least as much: search up from what fitted
        lo = search(lo if density == DENSITIES[-1] else [lo[0], n], density)
    _FITS[key] = (lo[0], lo[1]), density
    while len(_FITS) > 64:
        del _FITS[next(iter(_FITS))]
    return _FITS[key]


_FITS: dict[str, tuple[tuple[int, int], int]] = {}  # a form's data → its cut and layout


def _typeset(compiler: Any, data: dict[str, Any]) -> bytes:
    return compiler.compile(format="pdf", sys_inputs={"data": json.dumps(data)},
                            pdf_standards=[PDF_STANDARD], timestamp=_timestamp(data))


def _layout(compiler: Any) -> dict[str, int]:
    """Of the document just compiled (the template states it as metadata): its page count,
    the page the patient's part ends on and the page the pharmacist's part starts on."""
    return json.loads(compiler.query("<layout>", field="value", one=True))


def _timestamp(data: dict[str, Any]) -> int:
    """The PDF's date: SOURCE_DATE_EPOCH when set (reproducible-builds convention), else the
    latest reviewed date of its cards (midnight UTC); never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return int(epoch)
    day = dt.date.fromisoformat(data["reviewed_iso"] or "1980-01-01")
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())

"""Handouts, one per supplement form plus one of all forms: the model → plain data (JSON) →
PDF bytes, laid out by templates/handout.typ with Typst in this process (no file written).

Card text reaches Typst only as JSON strings, shown as text and never evaluated: a card cannot
inject Typst markup or code. Page 1 is the patient's (10 pt and up), then the pharmacist's part
(8 pt and up); a form's handout is two pages at most: how many claims page 1 lists and page 2's
table holds is measured by typesetting candidates (O(log n) compiles, _fit). Reproducible: no
clock, no system font but the named fallbacks; the PDF's date is SOURCE_DATE_EPOCH, else the
latest `reviewed` date of its cards, so the same content gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from generator.config import Texts
from generator.core import vocab
from generator.core.changes import change_log
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
    qr: str | None = None  # its page's QR code, if made already (compile_handouts does)

    @property
    def url(self) -> str | None:
        """The address of the page it stands for: its form's, or the forms index."""
        return _page_url(self.site_url, self.form)

    def data(self, cuts: Cuts | None = None) -> dict[str, Any]:
        return handout_data(self.evidence, self.site_url, self.paper, self.form, cuts,
                            self.texts, self.qr)


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


def render_handouts(evidence: Evidence, site_url: str | None, paper: str = "a4",
                    texts: Texts | None = None, template: Path | None = None) -> dict[str, bytes]:
    """File name (<form id>.pdf, all-forms.pdf) → PDF bytes."""
    jobs = handout_jobs(evidence, site_url, paper, texts)
    if template is not None:
        jobs = {name: replace(job, template=template) for name, job in jobs.items()}
    return compile_handouts(jobs)


@dataclass
class HandoutMemory:
    """Handouts made earlier, kept by whoever makes them again (one `mkdocs serve` session):
    editing a card then remakes only its form's handouts."""

    made: dict[str, bytes] = field(default_factory=dict)
    """Key of a handout's inputs → its PDF."""
    fits: dict[str, tuple[tuple[int, int], int]] = field(default_factory=dict)
    """A form's data → its cut and layout."""
    qr_codes: dict[str, str] = field(default_factory=dict)
    """A page's address → its QR code (a handout's data is made once per try of how many
    claims fit: each would make it again)."""

    def with_qr(self, job: Job) -> Job:
        """The job with its page's QR code, made once a session."""
        url = job.url
        if url and url not in self.qr_codes:
            self.qr_codes[url] = _qr_svg(url)
        return replace(job, qr=self.qr_codes[url] if url else None)


def compile_handouts(jobs: dict[str, Job], memory: HandoutMemory | None = None,
                     ) -> dict[str, bytes]:
    """Name → PDF, with one typst compiler (typst itself lays out on every core).

    A handout whose data, template and date are those of one in memory is reused.
    """
    memory = memory if memory is not None else HandoutMemory()
    made = memory.made
    compilers: dict[Path, Any] = {}  # made on first need: each loads the fonts
    pdfs = {}
    for name, job in jobs.items():
        job = memory.with_qr(job)
        data = job.data()
        template = job.template.read_text(encoding="utf-8")
        key = hashlib.sha256(json.dumps([data, job.form is not None, _timestamp(data),
                                         template]).encode()).hexdigest()
        if key not in made:
            compiler = compilers.get(job.template) or _compiler(job.template)
            compilers[job.template] = compiler
            try:
                made[key] = _compile(compiler, job, data, memory)
            except Exception as exc:  # typst.TypstError: say which text, where
                raise ValueError(_unshowable(job.evidence, str(exc)) or str(exc)) from exc
            while len(made) > 4 * len(jobs):  # forget the oldest
                del made[next(iter(made))]
        pdfs[name] = made[key]
    return pdfs


# --- model → data ---------------------------------------------------------------------------


def handout_data(evidence: Evidence, site_url: str | None, paper: str,
                 form: Form | None = None, cuts: Cuts | None = None,
                 texts: Texts | None = None, qr: str | None = None) -> dict[str, Any]:
    """What one handout shows (one form's, or all forms' when form is None), as JSON-ready
    data whose strings the template shows as plain text; a form in `cuts` lists only its
    first claims (page 1, table), every claim otherwise. qr: the page's QR code if made
    already (HandoutMemory.with_qr), else it is made here."""
    texts = texts or Texts()
    about = f" about {texts.condition}" if texts.condition else ""
    forms = [form] if form else list(evidence.forms)
    # each card once, though it is shown on several forms (also_forms)
    cards = list({c.id: c for f in forms for c in evidence.cards_of_form(f.id)}.values())
    numbers: dict[str, int] = {}  # bib key → number, in order of first citation (AMA)
    if form:
        title, subtitle = form.name, f"Claims{about}, checked against the studies"
        patient_subtitle = "What the studies say, in plain words"
    else:
        title, subtitle = texts.handout_title or texts.title, (
            f"All {len(forms)} supplement forms: claims checked against the studies"
            if len(forms) != 1 else "Claims checked against the studies")
        patient_subtitle = f"What the studies say about {texts.forms_counted(len(forms))}"
    url = _page_url(site_url, form)
    sections = [_section(evidence, f, numbers, (cuts or {}).get(f.id),
                         f"{site_url}{f.url}" if site_url else None, list_main=form is not None)
                for f in forms]
    shown = {"verdict": {(r["verdict"], r["verdict_label"]) for sec in sections
                         for r in sec["rows"]},
             "certainty": {(r["certainty"], r["certainty_label"]) for sec in sections
                           for r in sec["rows"]}}
    searched = min((c.searched_to for c in cards), default=None)
    reviewed = max((c.reviewed for c in cards), default=None)
    # the handout's edition: its newest review or change note (so: no clock)
    made = max([d for d in (reviewed, *(n.date for c in cards for n in c.changes[:1]),
                            *(f.changes[0].date for f in forms if f.changes)) if d],
               default=None)
    return {
        "paper": paper,
        "density": 0,
        "split": True,  # the pharmacist's part starts on page 2 (see _compile)
        "one_page": False,  # everything at 10 pt, to fit on one page
        # the pharmacist's part follows on page 1 when the patient's leaves most of it blank
        "fill_page_one": True,
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
        "made": long_date(made) if made else None,
        # the changes of this edition: the notes dated on its day (newest first)
        "changes": [{"date": long_date(n.date), "title": n.title, "note": n.note}
                    for n in dict.fromkeys(n for f in forms for n in change_log(evidence, f.id)
                                           if n.date == made)],
        "made_iso": made.isoformat() if made else None,
        "claims": sum(c.group != "instead" for c in cards),
        "url": url,
        "qr": qr or (_qr_svg(url) if url else None),
        "sections": sections,
        "show_section_titles": form is None,
        "instead_heading": f"What has been shown to help {texts.condition or texts.outcome}",
        "instead": [] if form else list(dict.fromkeys(s.text for f in forms for s in f.instead)),
        "patient_certainties": _patient_certainties(sections),  # how sure, in plain words
        "references": [_reference(evidence, key, n) for key, n in numbers.items()],
        # the legend explains the verdicts and certainties the handout shows (all if none):
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
    claims = [c for c in every if c.group != "instead"]  # the project's own: not claims
    listed, shown = cut if cut else (len(claims), len(claims))
    cards, patient = claims[:shown], claims[:listed] if list_main else []
    rows = []
    for card in cards:
        refs = [numbers.setdefault(s.key, len(numbers) + 1) for s in card.studies]
        rows.append({"n": number[card.id], "claim": card.claim, "verdict": card.verdict,
                     "verdict_label": card.verdict_label,
                     "certainty": card.certainty, "level": _level(card.certainty),
                     "certainty_label": card.certainty_label,
                     "refs": _ranges(sorted(set(refs))) if refs else "none found"})
    omitted, unlisted = len(claims) - len(cards), len(claims) - len(patient)
    online = f" at {url}" if url else ""
    return {"id": form.id, "name": form.name, "aliases": list(form.other_names),
            "description": form.description, "rows": rows,
            "question": form.question,
            "bottom_line": [s.text for s in form.bottom_line],
            "instead": [s.text for s in form.instead] if list_main else [],
            "main_claims": [_patient_claim(c, number[c.id]) for c in patient
                            if c.group == "outcome"],
            "other_claims": [_patient_claim(c, number[c.id]) for c in patient
                             if c.group != "outcome"],
            "patient_more": (f"{unlisted} more claim{'s are' if unlisted > 1 else ' is'} "
                             f"explained online{online}.") if list_main and unlisted else None,
            "key_messages": _key_messages(form, cards, list(every)),
            "omitted": (f"{omitted} more claim{'s' if omitted > 1 else ''} online{online}.")
            if omitted else None}


def _patient_claim(card: Card, n: int) -> dict[str, Any]:
    """A claim on page 1: its plain title, verdict and how sure the evidence is."""
    return {"n": n, "title": card.title, "verdict": card.verdict,
            "verdict_label": card.verdict_label, "certainty": card.certainty,
            "level": _level(card.certainty), "sure": certainty_words(card),
            "sure_lead": card.certainty_lead}


def _patient_certainties(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each certainty that page 1 shows, once, best first, with its plain-words lead."""
    shown = {c["sure"]: c for sec in sections for c in sec["main_claims"] + sec["other_claims"]}
    return [{"id": c["certainty"], "level": c["level"], "sure": c["sure"],
             "lead": c["sure_lead"]}
            for c in sorted(shown.values(), key=lambda c: -c["level"])]


def certainty_words(card: Card) -> str:
    """How sure, in words: "High certainty" (GRADE), "Established" (a fact), "No studies"."""
    grade = not card.is_fact and card.certainty in vocab.LEVELS
    return f"{card.certainty_label} certainty" if grade else card.certainty_label


def _solid(card: Card) -> bool:
    return (card.group != "instead" and card.verdict == "supported"
            and card.certainty in ("high", "moderate"))


def _key_messages(form: Form, cards: list[Card], every: list[Card]) -> list[dict[str, str]]:
    """Short messages in GRADE's plain wording: counts over every card of the form, claim
    numbers from the table's rows (cards, numbered 1..n)."""
    claims = [c for c in every if c.group != "instead"]  # instead: not from the articles
    if not claims:
        return [{"lead": "No claims checked yet.",
                 "text": f"No claim about {form.name} has been checked yet."}]
    n = len(claims)
    # in the words the table uses: a statement about the evidence is Accurate, not Supported
    labels = Counter(c.verdict_label for c in claims)
    counts = ", ".join(f"{labels[label]} {label.lower()}" for label in dict.fromkeys(
        [*vocab.VERDICTS.values(), *vocab.ACCURACY_VERDICTS.values()]) if labels[label])
    messages = [{"lead": f"{n} claim{'s' if n > 1 else ''} checked",
                 "text": f"from web articles about {form.name}: {counts}."}]
    sure = Counter((c.is_fact, certainty_words(c), c.certainty_lead)
                   for c in sorted(claims, key=lambda c: _level(c.certainty), reverse=True))
    for (_, words, lead), k in sorted(sure.items(), key=lambda item: item[0][0]):
        messages.append({"lead": f"{words} ({k} claim{'s' if k > 1 else ''}):", "text": lead})
    number = {c.id: n for n, c in enumerate(claim_order(every), 1)}
    solid = [number[c.id] for c in cards if _solid(c)]
    more = sum(map(_solid, claims)) - len(solid)
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


def _reference(evidence: Evidence, key: str, n: int) -> dict[str, Any]:
    """A numbered reference: in AMA parts, and compact (one line), each with its retraction."""
    compact = [{"text": text, **({"url": href} if href else {})} for text, href in (
        compact_reference(evidence.references[key]) if key in evidence.references
        else [(key, None)])]
    retracted = _retracted(evidence, key)
    return {"n": n, "parts": _ref_parts(evidence, key) + retracted,
            "compact": compact + retracted}


def _retracted(evidence: Evidence, key: str) -> list[dict[str, str]]:
    """ "Retracted (notice: …)" after a reference whose bib entry records a retraction."""
    ref = evidence.references.get(key)
    notice = ref.get("retraction") if ref else None
    return [{"text": f" Retracted (notice: {notice})."}] if notice else []


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


def _page_url(site_url: str | None, form: Form | None) -> str | None:
    """The address of the page a handout stands for: its form's, or the forms index."""
    return f"{site_url}{form.url if form else 'forms/'}" if site_url else None


def _qr_svg(url: str) -> str:
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", border=0, xmldecl=False,
                                     svgns=True, dark="#000000")
    return buffer.getvalue().decode("ascii")


# --- data → PDF -----------------------------------------------------------------------------


# Debian's Noto CJK and emoji fonts (`make fonts`) for what Libertinus Serif lacks; no others.
FALLBACK_FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"),
                      Path("/usr/share/fonts/truetype/noto"))
FONT_PACKAGES = "fonts-noto-cjk and fonts-noto-color-emoji"


def _compiler(template: Path) -> Any:
    import typst

    return typst.Compiler(str(template), root=str(template.parent), ignore_system_fonts=True,
                          font_paths=[str(d) for d in FALLBACK_FONT_DIRS if d.is_dir()])


def _unshowable(evidence: Evidence, error: str) -> str | None:
    """For Typst's "the text `"x"` could not be displayed": the character, and each file and
    field that holds it (a form's or a card's text), else None."""
    found = re.search(r'the text `"(.+?)"` could not be displayed', error)
    if not found:
        return None
    text = found.group(1)
    where = [f"{item.path}: field {name!r}" for item in (*evidence.forms, *evidence.cards)
             for name, value in vars(item).items() if text in repr(value)]
    codes = " ".join(f"U+{ord(ch):04X}" for ch in text)
    return (f"{'; '.join(where) or 'the handout'}: the text {text!r} ({codes}) cannot be "
            f"shown: no handout font has it (the fallback fonts are Debian's {FONT_PACKAGES}, "
            "installed by `make fonts`); write it another way")


def _compile(compiler: Any, job: Job, data: dict[str, Any], memory: HandoutMemory) -> bytes:
    """A form's handout in two pages at most (one if everything fits on one); the all-forms
    handout lists each form's table as far as the form's own handout does."""
    fits = memory.fits
    if job.form is None:
        cuts = {f.id: _fit(compiler, memory.with_qr(replace(job, form=f)), fits)[0]
                for f in job.evidence.forms}
        # the roomiest layout whose last page is at least half full, else the one with
        # the fewest pages (the last page is the only one that may be mostly blank)
        made = []
        for density in DENSITIES:
            pdf = _typeset(compiler, {**job.data(cuts), "density": density})
            layout = _layout(compiler)
            if layout["last_fill"] >= 0.5:
                return pdf
            made.append((layout["pages"], density, pdf))
        return min(made)[2]
    cut, density = _fit(compiler, job, fits)
    n = len(data["sections"][0]["rows"])
    if cut == (n, n) and density == DENSITIES[0]:
        single = _typeset(compiler, {**data, "split": False, "one_page": True})
        if _layout(compiler)["pages"] == 1:  # a form that fits on one page gets one page
            return single
    return _typeset(compiler, {**job.data({job.form.id: cut}), "density": density})


_Fits = dict[str, tuple[tuple[int, int], int]]


def _fit(compiler: Any, job: Job, fits: _Fits) -> tuple[tuple[int, int], int]:
    """How many claims page 1 lists and page 2's table shows, and in which layout (the
    roomiest that shows them all, else the densest), measured by typesetting: both counts are
    searched at once, doubling from GALLOP (or from what fitted in a roomier layout) then
    halving, so O(log n) compiles a layout."""
    assert job.form is not None
    data = job.data()
    key = hashlib.sha256(json.dumps([data, str(job.template)]).encode()).hexdigest()
    if key in fits:
        return fits[key]
    form_id, n = job.form.id, len(data["sections"][0]["rows"])

    def probe(counts: list[int], density: int) -> tuple[bool, bool]:
        """Do page 1 (the patient's) and page 2 (the pharmacist's) each fit on one page?
        Measured with the pharmacist's part on a page of its own: when it follows on a
        mostly blank page 1 instead (the template's choice), it has more room."""
        _typeset(compiler, {**job.data({form_id: (counts[0], counts[1])}), "density": density,
                            "fill_page_one": False})
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
    fits[key] = (lo[0], lo[1]), density
    while len(fits) > 64:
        del fits[next(iter(fits))]
    return fits[key]


def _typeset(compiler: Any, data: dict[str, Any]) -> bytes:
    return compiler.compile(format="pdf", sys_inputs={"data": json.dumps(data)},
                            pdf_standards=[PDF_STANDARD], timestamp=_timestamp(data))


def _layout(compiler: Any) -> dict[str, int]:
    """Of the document just compiled (the template states it as metadata): its page count,
    the page the patient's part ends on and the page the pharmacist's part starts on."""
    return json.loads(compiler.query("<layout>", field="value", one=True))


def _timestamp(data: dict[str, Any]) -> int:
    """The PDF's date: SOURCE_DATE_EPOCH when set (reproducible-builds convention), else the
    handout's edition, its newest review or change note (midnight UTC); never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return int(epoch)
    day = dt.date.fromisoformat(data.get("made_iso") or data["reviewed_iso"] or "1980-01-01")
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())

"""`evidence pdf`: one PDF handout per supplement form, plus one covering all forms.

Made from the same Evidence model as the site. Python turns the model into plain data (JSON)
and templates/handout.typ lays it out with Typst. Card text reaches Typst only as JSON strings,
which Typst shows as text and never evaluates, so a card cannot inject Typst markup or code.

Reproducible: no clock, no system fonts; the PDF's date is SOURCE_DATE_EPOCH when set, else
the latest `reviewed` date of the cards it covers, so the same content gives the same bytes.
A form's handout takes the roomiest of the template's layouts that fits on two pages.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from . import vocab
from .model import Card, Evidence, Form

PAPERS = ("a4", "us-letter")
ALL_FORMS = "all-forms"  # file name (without .pdf) of the handout covering every form
MAX_PAGES = 2  # a form's handout; past this the template's denser layouts are tried
DENSITIES = (0, 1, 2)  # the template's layouts, roomiest first
TEMPLATE = Path(__file__).parent / "templates" / "handout.typ"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PDF_STANDARD = "ua-1"  # tagged, accessible PDF
SERIES = "Evidence handout · Magnesium and hair loss"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
DISCLAIMER = (
    "This handout reports what published evidence shows about claims made in web articles. "
    "It is not medical advice and does not recommend any supplement or dose. For reference "
    "values and safety, see the NIH Office of Dietary Supplements magnesium fact sheet "
    "(ods.od.nih.gov), and ask a doctor or pharmacist about hair loss."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder (default: site/handouts under --root)")
    parser.add_argument("--paper", choices=PAPERS, default="a4",
                        help="paper size (default: a4)")


def run(args: argparse.Namespace) -> int:
    from .cli import load_or_report

    root = args.root.resolve()
    evidence = load_or_report(root, "no handouts written")
    if evidence is None:
        return 1
    out = args.out if args.out is not None else root / "site" / "handouts"
    try:
        paths = write_handouts(evidence, out, site_url=site_url_of(root), paper=args.paper)
    except Exception as exc:  # typst: report, nothing written
        print(f"handouts failed: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {len(paths)} handout(s) ({args.paper}) into {out}")
    return 0


def site_url_of(root: Path) -> str | None:
    """site_url from mkdocs.yml, read without MkDocs (unknown YAML tags are ignored)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    path = root / "mkdocs.yml"
    if not path.is_file():
        return None
    config = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)
    url = config.get("site_url") if isinstance(config, dict) else None
    return url if isinstance(url, str) and url else None


def write_handouts(evidence: Evidence, out_dir: Path, site_url: str | None,
                   paper: str = "a4") -> list[Path]:
    """Write DIR/<form id>.pdf for every form and DIR/all-forms.pdf; return their paths.

    Every PDF is made in memory first: a failure writes nothing.
    """
    pdfs = render_handouts(evidence, site_url, paper)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, pdf in pdfs.items():
        path = out_dir / name
        path.write_bytes(pdf)
        paths.append(path)
    return paths


def site_handouts(evidence: Evidence, site_url: str | None) -> dict[str, bytes]:
    """The site's handouts by path: handouts/<id>.pdf (A4), handouts/us-letter/<id>.pdf."""
    files = {f"handouts/{name}": pdf
             for name, pdf in render_handouts(evidence, site_url, "a4").items()}
    files.update({f"handouts/us-letter/{name}": pdf
                  for name, pdf in render_handouts(evidence, site_url, "us-letter").items()})
    return files


def render_handouts(evidence: Evidence, site_url: str | None,
                    paper: str = "a4") -> dict[str, bytes]:
    """File name (<form id>.pdf, all-forms.pdf) → PDF bytes."""
    if paper not in PAPERS:
        raise ValueError(f"unknown paper {paper!r}: use one of {', '.join(PAPERS)}")
    if site_url and not site_url.startswith(("http://", "https://")):
        raise ValueError(f"site_url must be an http(s) address, not {site_url!r}")
    for form in evidence.forms:  # ids are checked slugs; this keeps every file inside out_dir
        if not SLUG.match(form.id) or form.id == ALL_FORMS:
            raise ValueError(f"form id {form.id!r} cannot name a handout file")
    base = site_url if not site_url or site_url.endswith("/") else site_url + "/"
    compiler = _compiler()
    pdfs = {f"{form.id}.pdf": _compile(compiler, handout_data(evidence, base, paper, form),
                                       fit=MAX_PAGES)
            for form in evidence.forms}
    pdfs[f"{ALL_FORMS}.pdf"] = _compile(compiler, handout_data(evidence, base, paper))
    return pdfs


# --- model → data ---------------------------------------------------------------------------


def handout_data(evidence: Evidence, site_url: str | None, paper: str,
                 form: Form | None = None) -> dict[str, Any]:
    """What one handout shows (one form's, or all forms' when form is None), as JSON-ready
    data whose strings the template shows as plain text."""
    forms = [form] if form else list(evidence.forms)
    cards = [c for f in forms for c in evidence.cards_of_form(f.id)]
    numbers: dict[str, int] = {}  # bib key → number, in order of first citation (AMA)
    sections = [_section(evidence, f, numbers) for f in forms]
    if form:
        title, subtitle = form.name, "Claims about hair loss, checked against the studies"
        path = form.url
    else:
        title, subtitle = "Magnesium supplements and hair loss", (
            f"All {len(forms)} supplement forms: claims checked against the studies")
        path = "forms/"
    url = f"{site_url}{path}" if site_url else None
    searched = min((c.searched_to for c in cards), default=None)
    reviewed = max((c.reviewed for c in cards), default=None)
    return {
        "paper": paper,
        "density": 0,
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
        "certainties": [{"id": c, "level": _level(c), "label": vocab.CERTAINTY_LABELS[c],
                         "lead": vocab.CERTAINTY_LEAD[c], "meaning": vocab.CERTAINTY_MEANING[c]}
                        for c in vocab.CERTAINTIES],
        "verdicts": [{"id": v, "label": label, "meaning": vocab.VERDICT_MEANING[v]}
                     for v, label in vocab.VERDICTS.items()],
        "disclaimer": DISCLAIMER,
    }


def _section(evidence: Evidence, form: Form, numbers: dict[str, int]) -> dict[str, Any]:
    verdict_rank = {v: i for i, v in enumerate(vocab.VERDICTS)}
    cards = sorted(evidence.cards_of_form(form.id),
                   key=lambda c: (verdict_rank[c.verdict], vocab.CERTAINTIES.index(c.certainty),
                                  c.claim.lower()))
    rows = []
    for i, card in enumerate(cards, 1):
        refs = [numbers.setdefault(s.key, len(numbers) + 1) for s in card.studies]
        rows.append({"n": i, "claim": card.claim, "verdict": card.verdict,
                     "verdict_label": vocab.VERDICTS[card.verdict],
                     "certainty": card.certainty, "level": _level(card.certainty),
                     "certainty_label": vocab.CERTAINTY_LABELS[card.certainty],
                     "refs": _ranges(sorted(set(refs))) if refs else "none found"})
    return {"id": form.id, "name": form.name, "aliases": list(form.aliases),
            "description": form.description, "rows": rows,
            "key_messages": _key_messages(form, cards)}


def _key_messages(form: Form, cards: list[Card]) -> list[dict[str, str]]:
    """Short messages in GRADE's plain wording, derived from the cards (rows numbered 1..n)."""
    if not cards:
        return [{"lead": "No claims checked yet.",
                 "text": f"No claim about {form.name} has been checked yet."}]
    n = len(cards)
    verdicts = Counter(c.verdict for c in cards)
    counts = ", ".join(f"{verdicts[v]} {label.lower()}" for v, label in vocab.VERDICTS.items()
                       if verdicts[v])
    messages = [{"lead": f"{n} claim{'s' if n > 1 else ''} checked",
                 "text": f"from web articles about {form.name}: {counts}."}]
    certainties = Counter(c.certainty for c in cards)
    for c in vocab.CERTAINTIES:
        if certainties[c]:
            k = certainties[c]
            messages.append({
                "lead": f"{vocab.CERTAINTY_LABELS[c]} certainty ({k} claim{'s' if k > 1 else ''}):",
                "text": vocab.CERTAINTY_LEAD[c]})
    solid = [i for i, c in enumerate(cards, 1)
             if c.verdict == "supported" and c.certainty in ("high", "moderate")]
    if solid:
        label = "Claim" if len(solid) == 1 else "Claims"
        messages.append({"lead": "Supported by moderate- or high-certainty evidence:",
                         "text": f"{label} {_ranges(solid)} in the table."})
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
    """GRADE's filled circles: high 4 … very low 1."""
    return len(vocab.CERTAINTIES) - vocab.CERTAINTIES.index(certainty)


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


def _compile(compiler: Any, data: dict[str, Any], fit: int | None = None) -> bytes:
    """Compile one handout; with `fit`, in the roomiest layout that fits on `fit` pages."""
    for density in DENSITIES if fit else DENSITIES[:1]:
        data = {**data, "density": density}
        pdf = compiler.compile(format="pdf", sys_inputs={"data": json.dumps(data)},
                               pdf_standards=[PDF_STANDARD], timestamp=_timestamp(data))
        if not fit or _pages(compiler) <= fit:
            break
    return pdf


def _pages(compiler: Any) -> int:
    """Page count of the document just compiled (the template states it as metadata)."""
    return int(json.loads(compiler.query("<page-count>", field="value", one=True)))


def _timestamp(data: dict[str, Any]) -> int:
    """The PDF's date: SOURCE_DATE_EPOCH when set (reproducible-builds convention), else the
    latest reviewed date of its cards (midnight UTC); never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return int(epoch)
    day = dt.date.fromisoformat(data["reviewed_iso"] or "1980-01-01")
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())

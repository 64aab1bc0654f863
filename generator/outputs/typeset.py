"""Handout data → PDF bytes with Typst (in this process: the typst library, no files written).

A form's handout is two pages at most: what fits is measured by typesetting candidates, a
search over counts (O(log n) compiles, _fit). The PDF's date is SOURCE_DATE_EPOCH when set,
else the latest `reviewed` date of the cards it covers: the same content gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

from generator.config import Texts
from generator.core.model import Evidence
from generator.outputs.handouts import DENSITIES, GALLOP, PDF_STANDARD, Job, handout_jobs


def render_handouts(evidence: Evidence, site_url: str | None, paper: str = "a4",
                    texts: Texts | None = None, template: Path | None = None) -> dict[str, bytes]:
    """File name (<form id>.pdf, all-forms.pdf) → PDF bytes."""
    jobs = handout_jobs(evidence, site_url, paper, texts)
    if template is not None:
        jobs = {name: dataclasses.replace(job, template=template) for name, job in jobs.items()}
    return compile_handouts(jobs)


def compile_handouts(jobs: dict[str, Job]) -> dict[str, bytes]:
    """Name → PDF, with one typst compiler (typst itself lays out on every core).

    A handout whose data, template and date are those of one made earlier in this process
    is reused: in `mkdocs serve`, editing a card remakes only its form's handouts.
    """
    compilers: dict[Path, Any] = {}  # made on first need: each loads the fonts
    pdfs = {}
    for name, job in jobs.items():
        data = job.data()
        template = job.template.read_text(encoding="utf-8")
        key = hashlib.sha256(json.dumps([data, job.form is not None, _timestamp(data),
                                         template]).encode()).hexdigest()
        if key not in _MADE:
            compiler = compilers.get(job.template) or _compiler(job.template)
            compilers[job.template] = compiler
            try:
                _MADE[key] = _compile(compiler, job, data)
            except Exception as exc:  # typst.TypstError: say which text, where
                raise ValueError(_unshowable(job.evidence, str(exc)) or str(exc)) from exc
            while len(_MADE) > 4 * len(jobs):  # forget the oldest
                del _MADE[next(iter(_MADE))]
        pdfs[name] = _MADE[key]
    return pdfs


_MADE: dict[str, bytes] = {}  # key of a handout's inputs → its PDF, for this process


# --- data → PDF -----------------------------------------------------------------------------


# Fallback fonts for what Libertinus Serif lacks (Chinese, Japanese, Korean, emoji): Debian's
# fonts-noto-cjk and fonts-noto-color-emoji (`make fonts`), named by the template. No other
# system font is used, so the same packages give the same PDF.
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


def _compile(compiler: Any, job: Job, data: dict[str, Any]) -> bytes:
    """A form's handout in two pages at most (one if everything fits on one); the all-forms
    handout lists each form's table as far as the form's own handout does."""
    if job.form is None:
        cuts = {f.id: _fit(compiler, dataclasses.replace(job, form=f))[0]
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
    key = hashlib.sha256(json.dumps([data, str(job.template)]).encode()).hexdigest()
    if key in _FITS:
        return _FITS[key]
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

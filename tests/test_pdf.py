"""PDF handouts, read back as a reader's PDF tool would (pypdf): pages, text, links, tags."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.cli.pdf import write_handouts
from generator.core import vocab
from generator.core.load import load_evidence
from generator.core.order import claim_order
from generator.outputs.handouts import handout_data
from tests.conftest import ROOT, evidence_cli

SITE_URL = "https://example.org/hair/"
FORM = "magnesium-l-threonate"
A4 = (595.3, 841.9)  # points
LETTER = (612.0, 792.0)


def claims_of(evidence, form_id: str) -> list:
    """A form's claims from the articles, in the site's order: what a handout lists and counts
    (its instead cards, the project's own, are the statements that end the bottom line)."""
    return [c for c in claim_order(evidence.cards_of_form(form_id)) if c.group != "instead"]


def text_of(path: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(path).pages)


def squash(text: str) -> str:
    """Without whitespace: lines wrap anywhere (even inside a DOI) in a laid-out page."""
    return re.sub(r"\s+", "", text)


def page_sizes(path: Path) -> set[tuple[float, float]]:
    return {(round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1))
            for p in PdfReader(path).pages}


def link_targets(path: Path) -> set[str]:
    return {a.get_object()["/A"]["/URI"] for page in PdfReader(path).pages
            for a in page.get("/Annots", []) if "/URI" in a.get_object().get("/A", {})}


def set_field(card: Path, field: str, value: str) -> None:
    """Replace a top-level scalar or folded (>-) field of a card with a quoted string."""
    text = card.read_text(encoding="utf-8")
    quoted = "'" + value.replace("'", "''") + "'"
    text, n = re.subn(rf"^{field}:(?: >-\n(?:  .*\n)+| .*\n)", f"{field}: {quoted}\n", text,
                      flags=re.M)
    assert n == 1, field
    card.write_text(text, encoding="utf-8")


@pytest.fixture
def handouts(project: Path, tmp_path: Path) -> Path:
    evidence, problems = load_evidence(project)
    assert not [p for p in problems if not p.warning]
    out = tmp_path / "handouts"
    paths = write_handouts(evidence, out, site_url=SITE_URL)
    assert sorted(p.name for p in paths) == ["all-forms.pdf", f"{FORM}.pdf"]
    return out


def test_a_form_handout_shows_every_claim_verdict_certainty_and_reference(
        project: Path, handouts: Path) -> None:
    evidence, _ = load_evidence(project)
    pdf = handouts / f"{FORM}.pdf"
    assert 1 <= len(PdfReader(pdf).pages) <= 2
    assert page_sizes(pdf) == {A4}
    text = squash(text_of(pdf))
    assert squash("Magnesium L-threonate") in text
    cards = claims_of(evidence, FORM)
    assert len(cards) == 2
    for card in cards:
        assert squash(card.claim) in text
        assert squash(vocab.VERDICTS[card.verdict]) in text
        assert squash(vocab.CERTAINTY_LABELS[card.certainty]) in text
        assert squash(vocab.CERTAINTY_LEAD[card.certainty]) in text  # key messages, GRADE
    keys = [s.key for c in cards for s in c.studies]
    assert len(keys) == 1  # the studies graded; a card's background sources are online only
    assert squash("1. Kwack MH et al. BMB Reports 2010;43:688-692. PMID 21034532") in text
    assert squash("not medical advice") in text.lower()


def test_the_handout_links_its_page_on_the_site(handouts: Path) -> None:
    pdf = handouts / f"{FORM}.pdf"
    page = f"{SITE_URL}forms/{FORM}/"
    assert page in text_of(pdf).replace("\n", "")
    assert page in link_targets(pdf)
    assert "https://pubmed.ncbi.nlm.nih.gov/21034532/" in link_targets(pdf)  # references
    assert f"{SITE_URL}forms/" in link_targets(handouts / "all-forms.pdf")


def test_a_qr_code_is_made_once_a_session_though_the_layout_is_measured_many_times(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The session's HandoutMemory keeps the QR codes (no module does): each page's is made
    once, not once per try of how many claims fit, nor again when `mkdocs serve` remakes
    the handouts; a new session makes them anew."""
    from generator.outputs import handouts

    made: list[str] = []
    real = handouts._qr_svg
    monkeypatch.setattr(handouts, "_qr_svg", lambda url: made.append(url) or real(url))
    evidence, _ = load_evidence(project)
    jobs = handouts.handout_jobs(evidence, SITE_URL, "a4")
    memory = handouts.HandoutMemory()
    handouts.compile_handouts(jobs, memory)
    pages = sorted([f"{SITE_URL}forms/", *(f"{SITE_URL}forms/{f.id}/" for f in evidence.forms)])
    assert sorted(made) == pages
    handouts.compile_handouts(jobs, memory)
    assert sorted(made) == pages
    handouts.compile_handouts({f"{FORM}.pdf": jobs[f"{FORM}.pdf"]}, handouts.HandoutMemory())
    assert sorted(made) == sorted([*pages, f"{SITE_URL}forms/{FORM}/"])


def test_without_a_site_url_there_is_no_address(project: Path, tmp_path: Path) -> None:
    evidence, _ = load_evidence(project)
    (pdf, _all) = write_handouts(evidence, tmp_path, site_url=None)
    assert "https://example.org" not in text_of(pdf)
    assert not any(t.startswith("https://example.org") for t in link_targets(pdf))


def test_the_all_forms_handout_covers_every_form(project: Path, handouts: Path) -> None:
    evidence, _ = load_evidence(project)
    text = squash(text_of(handouts / "all-forms.pdf"))
    for card in evidence.cards:
        assert squash(card.claim) in text


def test_dates_come_from_the_cards_not_the_clock(project: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    cards = sorted((project / "content" / "cards").glob("*.yaml"))
    for card, searched, reviewed in zip(cards, ("2021-03-04", "2022-05-06"),
                                        ("2021-03-04", "2021-06-30"), strict=True):
        set_field(card, "searched_to", searched)
        set_field(card, "reviewed", reviewed)
    evidence, _ = load_evidence(project)
    write_handouts(evidence, tmp_path, site_url=SITE_URL)
    pdf = tmp_path / f"{FORM}.pdf"
    text = text_of(pdf)
    assert "Evidence searched up to 4 March 2021" in text  # the earliest: all searched to it
    assert "Last reviewed 30 June 2021" in text
    assert PdfReader(pdf).metadata["/CreationDate"].startswith("D:20210630")


def test_a_handout_made_again_in_the_same_process_shows_an_edited_card(
        project: Path, tmp_path: Path) -> None:
    evidence, _ = load_evidence(project)
    write_handouts(evidence, tmp_path / "one", site_url=SITE_URL)
    set_field(project / "content" / "cards" / "mgt-fphl-trial.yaml", "claim",
              "An edited claim about threonate and hair.")
    evidence, _ = load_evidence(project)  # as `mkdocs serve` does after an edit
    write_handouts(evidence, tmp_path / "two", site_url=SITE_URL)
    for name in (f"{FORM}.pdf", "all-forms.pdf"):
        assert "An edited claim" not in text_of(tmp_path / "one" / name)
        assert "An edited claim" in text_of(tmp_path / "two" / name)


def test_two_runs_are_byte_identical(project: Path, tmp_path: Path) -> None:
    evidence, _ = load_evidence(project)
    one = write_handouts(evidence, tmp_path / "one", site_url=SITE_URL)
    for out in ("three", "four"):  # separate processes
        result = evidence_cli("pdf", "--out", str(tmp_path / out), cwd=project)
        assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in one)
    assert sorted(p.name for p in (tmp_path / "three").iterdir()) == names
    assert [(tmp_path / "three" / n).read_bytes() for n in names] == [
        (tmp_path / "four" / n).read_bytes() for n in names]


def test_the_pdf_is_tagged_for_accessibility(handouts: Path) -> None:
    reader = PdfReader(handouts / f"{FORM}.pdf")
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
    assert reader.metadata.title == "Magnesium L-threonate: evidence handout"


TYPST_SYNTAX = ('#set page(fill: red) #eval("1+1") [x] $y^2$ \\ @kwack2010 <1> *bold* '
                '_it_ `raw` = h - li + en / term: d ~ nb /* c */ // c')


def test_typst_syntax_in_a_card_is_shown_literally(project: Path, tmp_path: Path) -> None:
    set_field(project / "content" / "cards" / "mgt-fphl-trial.yaml", "claim", TYPST_SYNTAX)
    set_field(project / "content" / "forms" / f"{FORM}.yaml", "description",
              "A form #strong[described] with $math$ and ]unbalanced[ brackets.")
    bib = project / "content" / "references.bib"  # the references' compact lines too
    bib.write_text(bib.read_text(encoding="utf-8").replace(
        "{BMB Reports}", "{*BMB* [x] @kwack2010 <1> = h + en / term: `raw` ]unbalanced[}")
        .replace("{Kwack, Mi Hee and Ahn", "{#eval[Kwack], Mi Hee and Ahn"), encoding="utf-8")
    evidence, problems = load_evidence(project)
    assert not [p for p in problems if not p.warning]
    write_handouts(evidence, tmp_path, site_url=SITE_URL)
    for name in (f"{FORM}.pdf", "all-forms.pdf"):
        text = squash(text_of(tmp_path / name))
        assert squash(TYPST_SYNTAX) in text
        assert squash("A form #strong[described] with $math$ and ]unbalanced[") in text
        assert squash("#eval[Kwack] MH et al. *BMB* [x] @kwack2010 <1> = h + en / term: "
                      "`raw` ]unbalanced[ 2010;43:688-692. PMID 21034532") in text


def test_cli_writes_handouts_on_us_letter(project: Path) -> None:
    result = evidence_cli("pdf", "--out", "out", "--paper", "us-letter", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "wrote 2 handouts" in result.stdout
    assert page_sizes(project / "out" / f"{FORM}.pdf") == {LETTER}
    assert page_sizes(project / "out" / "all-forms.pdf") == {LETTER}


def test_cli_default_folder_and_bad_content(project: Path) -> None:
    result = evidence_cli("pdf", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "site" / "handouts" / f"{FORM}.pdf").is_file()
    card = project / "content" / "cards" / "mgt-fphl-trial.yaml"
    card.write_text(card.read_text(encoding="utf-8").replace("verdict: not-supported",
                                                             "verdict: maybe"), "utf-8")
    result = evidence_cli("pdf", "--out", "bad", cwd=project)
    assert result.returncode == 1
    assert "content/cards/mgt-fphl-trial.yaml:" in result.stderr and "verdict" in result.stderr
    assert not (project / "bad").exists()


def test_cli_default_folder_follows_site_dir(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "site_dir: public\n", "utf-8")
    result = evidence_cli("pdf", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "public" / "handouts" / f"{FORM}.pdf").is_file()
    assert not (project / "site").exists()


def test_site_build_publishes_handouts_linked_from_form_pages(project: Path) -> None:
    result = evidence_cli("build", cwd=project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    for paper, size in (("", A4), ("us-letter/", LETTER)):
        assert page_sizes(site / "handouts" / f"{paper}{FORM}.pdf") == {size}
        assert (site / "handouts" / f"{paper}all-forms.pdf").is_file()
    html = (site / "forms" / FORM / "index.html").read_text(encoding="utf-8")
    assert f'<a href="../../handouts/{FORM}.pdf">Download handout (PDF)</a>' in html
    assert f'<a href="../../handouts/us-letter/{FORM}.pdf">US Letter</a>' in html
    result = evidence_cli("build", "--no-pdf", "--out", "../nopdf", cwd=project)
    assert result.returncode == 0, result.stderr
    assert not (project.parent / "nopdf" / "handouts").exists()
    html = (project.parent / "nopdf" / "forms" / FORM / "index.html").read_text("utf-8")
    assert "handout" not in html.lower()


@pytest.fixture(scope="module")
def real_handouts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    evidence, problems = load_evidence(ROOT)
    assert not [p for p in problems if not p.warning]
    out = tmp_path_factory.mktemp("real")
    for paper in ("a4", "us-letter"):
        write_handouts(evidence, out / paper, site_url=SITE_URL, paper=paper)
    return {"a4": out / "a4", "us-letter": out / "us-letter", "forms": evidence.forms}


@pytest.mark.parametrize("paper,size", [("a4", A4), ("us-letter", LETTER)])
def test_every_real_form_fits_on_one_or_two_pages(real_handouts: dict, paper: str,
                                                  size: tuple[float, float]) -> None:
    for form in real_handouts["forms"]:  # the patient's page, then the pharmacist's
        pdf = real_handouts[paper] / f"{form.id}.pdf"
        assert 1 <= len(PdfReader(pdf).pages) <= 2, form.id
        assert page_sizes(pdf) == {size}


def assert_cut_is_announced(pdf: Path, cards: list, url: str) -> None:
    """Page 1 lists the first claims in the one order by plain title and says how many more
    are online; page 2's table lists the first claims (same numbers) and says how many more."""
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages]
    assert len(pages) == 2
    numbers = [int(n) for n in re.findall(r"\(claim (\d+)\)", pages[0])]
    assert numbers == list(range(1, len(numbers) + 1)) and numbers, pages[0]
    more = len(cards) - len(numbers)
    if more:
        said = f"{more} more claims are" if more > 1 else "1 more claim is"
        assert squash(f"{said} explained online at {url}") in squash(pages[0]), pages[0]
    else:
        assert "more claim" not in pages[0]
    table = squash(pages[1])
    rows = 0
    while rows < len(cards) and squash(cards[rows].claim) in table:
        rows += 1
    assert rows >= 1
    assert not any(squash(c.claim) in table for c in cards[rows:])
    if rows < len(cards):
        k = len(cards) - rows
        assert squash(f"{k} more claim{'s' if k > 1 else ''} online at {url}") in table
    assert min(s for page in PdfReader(pdf).pages for _, s in text_runs(page)) >= 7.99


def test_a_real_form_with_more_claims_than_fit_says_how_many_are_online(
        real_handouts: dict) -> None:
    evidence, _ = load_evidence(ROOT)
    cut = 0
    for form in real_handouts["forms"]:
        pdf = real_handouts["a4"] / f"{form.id}.pdf"
        if len(PdfReader(pdf).pages) == 2:
            cards = claim_order(claims_of(evidence, form.id))
            assert_cut_is_announced(pdf, cards, f"{SITE_URL}forms/{form.id}/")
            cut += "more claim" in text_of(pdf)
    assert cut  # the general magnesium form has more claims than two pages hold


def test_a_form_with_many_claims_stays_on_two_pages(project: Path, tmp_path: Path) -> None:
    cards = project / "content" / "cards"
    trial = (cards / "mgt-fphl-trial.yaml").read_text(encoding="utf-8")
    for i in range(150):  # 152 claims in all: far more than two pages hold
        (cards / f"copy-{i:03}.yaml").write_text(
            trial.replace("id: mgt-fphl-trial", f"id: copy-{i:03}")
                 .replace("A study in the", f"Copy {i:03}: a study in the"), encoding="utf-8")
    evidence, problems = load_evidence(project)
    assert not [p for p in problems if not p.warning]

    write_handouts(evidence, tmp_path, site_url=SITE_URL)

    every = claim_order(claims_of(evidence, FORM))
    assert len(every) == 152
    pdf = tmp_path / f"{FORM}.pdf"
    assert_cut_is_announced(pdf, every, f"{SITE_URL}forms/{FORM}/")
    text = " ".join(text_of(pdf).split())
    assert "152 claims checked" in text  # the key messages count every claim
    assert "FOR PHARMACISTS AND DOCTORS" in PdfReader(pdf).pages[1].extract_text()
    assert len(PdfReader(tmp_path / "all-forms.pdf").pages) <= 3  # question page + 2


def test_a_claim_without_studies_reads_no_studies(project: Path, handouts: Path) -> None:
    text = squash(text_of(handouts / f"{FORM}.pdf"))
    assert squash("No studies (1 claim): No study has looked at this.") in text
    assert squash("No studies certainty") not in text


# --- page 1 for the patient, then the pharmacist's part -------------------------------------

def text_runs(page: object) -> list[tuple[str, float]]:
    """(text, size in points) of each run of text on a page, as a PDF reader lays it out."""
    runs: list[tuple[str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            runs.append((text.strip(), size * abs(tm[3]) * abs(cm[3])))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return runs


def patient_part(pdf: Path) -> str:
    """Page 1's text up to the pharmacist's part (on a one-page handout, which has both)."""
    return PdfReader(pdf).pages[0].extract_text().split("FOR PHARMACISTS AND DOCTORS")[0]


def reading_grade(text: str) -> float:
    """Flesch–Kincaid grade of a page, each bullet or listed claim read as one sentence, and
    the certainty tagged on after a claim's number (" · Low certainty") as a phrase of its
    own."""
    import textstat

    items = [i.strip() for i in re.split(r"[▸✓±✗·]", " ".join(text.split()))]
    return textstat.flesch_kincaid_grade(" ".join(
        i if i.endswith((".", "?", "!")) else i + "." for i in items if i))


def test_page_one_is_for_the_patient(real_handouts: dict) -> None:
    for form in real_handouts["forms"]:
        pdf = real_handouts["a4"] / f"{form.id}.pdf"
        reader = PdfReader(pdf)
        runs = text_runs(reader.pages[0])
        chars = sum(len(t) for t, _ in runs)
        large = sum(len(t) for t, size in runs if size >= 9.95)
        assert large >= 0.8 * chars, (form.id, large / chars)
        page_one = squash(patient_part(pdf))
        assert squash(form.question) in page_one
        for statement in form.bottom_line:
            assert squash(statement.text) in page_one, (form.id, statement.text)
        assert reading_grade(patient_part(pdf)) <= 8, form.id
        if len(reader.pages) > 1:  # the pharmacist's part starts on page 2
            assert "FOR PHARMACISTS AND DOCTORS" in reader.pages[1].extract_text()
            assert "Summary of findings" not in reader.pages[0].extract_text()


def test_nothing_is_under_8_points(real_handouts: dict) -> None:
    """Page 2 and on, the pharmacist's part with its table and references, included."""
    for paper in ("a4", "us-letter"):
        for pdf in sorted(real_handouts[paper].glob("*.pdf")):
            sizes = [(t, s) for page in PdfReader(pdf).pages for t, s in text_runs(page)]
            assert min(s for _, s in sizes) >= 7.99, (pdf.name, min(sizes, key=lambda x: x[1]))


def test_a_form_that_fits_on_one_page_gets_one_page(real_handouts: dict) -> None:
    pages = {f.id: len(PdfReader(real_handouts["a4"] / f"{f.id}.pdf").pages)
             for f in real_handouts["forms"]}
    # one claim, two references: its bottom line, what helps instead, the claim and its key
    # on page 1, the pharmacist's table on page 2 (page 1 is more than half full)
    assert pages["topical-magnesium"] <= 2, pages
    for form_id, n in pages.items():
        if n > 2:  # and a longer one leaves no mostly empty last page
            last = PdfReader(real_handouts["a4"] / f"{form_id}.pdf").pages[-1]
            assert len(last.extract_text()) > 1500, form_id


LONG_TITLE = ("Superiority of magnesium and vitamin B6 over magnesium alone on severe stress in "
              "healthy adults with low magnesemia")  # a study cited in page 2's first rows


def test_page_two_cites_its_references_in_one_compact_line_each(real_handouts: dict) -> None:
    """Author et al., journal, year;volume:pages and PMID (else DOI, else the address), so the
    general magnesium form's table shows many rows; the full references are on the web page."""
    evidence, _ = load_evidence(ROOT)
    # 8 and 7 with full references; one row fewer since page 2 is 8 pt and up (issue 25), and
    # one more since it says what changed in its edition (issue 28)
    for paper, least in (("a4", 12), ("us-letter", 10)):
        pdf = real_handouts[paper] / "magnesium.pdf"
        page = PdfReader(pdf).pages[1].extract_text()
        cards = claim_order(claims_of(evidence, "magnesium"))
        rows = sum(squash(c.claim) in squash(page) for c in cards)
        assert rows >= least, (paper, rows)
        listed = page.split("References")[-1].split("Not medical advice")[0]
        refs = re.split(r"(?m)^\d+\.\s", listed)[1:]
        assert len(refs) >= 10, listed
        for ref in refs:
            assert re.search(r"PMID\s\d+|doi:10\.|https?://", ref), ref
            assert len(" ".join(ref.split())) <= 130, ref  # a full AMA one is 200 and more
        assert squash(LONG_TITLE) not in squash(page)
        # e.g. "Veronese N et al. Nutrients 2022;14:679. PMID 35277017"
        assert re.search(r"\b[A-Z][a-z]+ [A-Z]{1,3}( et al\.)? [^.;]+ \d{4};", " ".join(
            page.split())), page


def test_a_compact_reference_falls_back_to_the_doi_and_names_a_body_as_written() -> None:
    from generator.core.model import Reference
    from generator.core.references import compact_reference

    def line(authors: tuple, **fields: str) -> str:
        ref = Reference("k", "article", {"title": "A long title", "year": "2015", **fields},
                        authors)
        return "".join(text for text, _ in compact_reference(ref))

    assert line((("Gan", "D. C."),), journal="J Invest Dermatol Symp Proc", volume="10",
                pages="184\u2013185", doi="10.1111/x") == (  # as loaded: 184--185
        "Gan DC. J Invest Dermatol Symp Proc 2015;10:184-185. doi:10.1111/x")
    assert line((("EFSA Panel on Dietetic Products (NDA)", ""),), journal="EFSA Journal",
                shortjournal="EFSA J") == "EFSA Panel on Dietetic Products (NDA). EFSA J 2015."


def test_a_very_long_word_breaks_instead_of_running_off_the_page(project: Path,
                                                                 tmp_path: Path) -> None:
    """A name or claim of one long word (a chemical name, a string of letters) wraps within
    the page and its column instead of running over the margin, the QR code or the next
    column."""
    set_field(project / "content" / "forms" / f"{FORM}.yaml", "name", "N" * 90)
    set_field(project / "content" / "cards" / "mgt-fphl-trial.yaml", "claim", "W" * 200)
    evidence, problems = load_evidence(project)
    assert not [p for p in problems if not p.warning]
    write_handouts(evidence, tmp_path, site_url=SITE_URL)
    runs: list[tuple[str, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            runs.append((text.strip(), tm[4] * cm[0] + cm[4], size * abs(tm[3]) * abs(cm[3])))

    for page in PdfReader(tmp_path / f"{FORM}.pdf").pages:
        width = float(page.mediabox.width)
        runs.clear()
        page.extract_text(visitor_text=visit)
        for text, x, points in runs:
            letters = sum(ch in "NW" for ch in text)  # each at least half an em wide
            assert x + letters * points * 0.5 <= width, (text[:30], x, points, len(text))


def test_link_targets_are_ascii(project: Path, tmp_path: Path) -> None:
    """A PDF link's address must be 7-bit ASCII: an address with é is percent-encoded, or
    readers open a garbled one."""
    bib = project / "content" / "references.bib"
    text = bib.read_text(encoding="utf-8")
    start = text.index("@article{kwack2010preventable,")
    entry = text[start:text.index("\n}\n", start)]
    bib.write_text(text.replace(entry, re.sub(
        r"  doi .*\n  pmid .*\n  url .*", "  url     = {https://example.org/caf\u00e9/x}", entry)),
        encoding="utf-8")
    evidence, problems = load_evidence(project)
    assert not [p for p in problems if not p.warning]
    write_handouts(evidence, tmp_path, site_url=SITE_URL)
    targets = link_targets(tmp_path / f"{FORM}.pdf")
    assert "https://example.org/caf%C3%A9/x" in targets, targets
    assert all(t.isascii() for t in targets)


SOLID = "Supported by moderate- or high-certainty evidence:"


def test_the_supported_count_holds_for_every_claim_not_only_those_that_fit() -> None:
    """Issue 25: "none of the claims checked" was printed when no qualifying claim fitted."""
    evidence, _ = load_evidence(ROOT)
    for form in evidence.forms:
        every = claims_of(evidence, form.id)
        solid = [c for c in every if c.verdict == "supported"
                 and c.certainty in ("high", "moderate")]
        for cut in [(0, 0), (len(every), len(every))]:
            data = handout_data(evidence, SITE_URL, "a4", form, {form.id: cut})
            [message] = [m for m in data["sections"][0]["key_messages"] if m["lead"] == SOLID]
            if not solid:
                assert message["text"] == "none of the claims checked.", form.id
                continue
            assert "none" not in message["text"], (form.id, cut, message)
            assert str(len(solid)) in message["text"] or cut != (0, 0), (form.id, message)


def test_no_real_handout_says_no_claim_is_well_supported_when_some_are(
        real_handouts: dict) -> None:
    evidence, _ = load_evidence(ROOT)
    for form in evidence.forms:
        solid = [c for c in claims_of(evidence, form.id)
                 if c.verdict == "supported" and c.certainty in ("high", "moderate")]
        text = " ".join(text_of(real_handouts["a4"] / f"{form.id}.pdf").split())
        assert ("none of the claims checked" in text) == (not solid), form.id
    without = sum(not [c for c in claims_of(evidence, f.id) if c.verdict == "supported"
                       and c.certainty in ("high", "moderate")] for f in evidence.forms)
    every = " ".join(text_of(real_handouts["a4"] / "all-forms.pdf").split())
    assert every.count("none of the claims checked") == without


# --- issue 25/24: every sentence true of the whole form, how sure, what helps instead -------

def poppler_text(pdf: Path, page: int | None = None) -> str:
    """The text as poppler's pdftotext reads it (its own reading order, not the layout)."""
    import subprocess

    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", *pages, str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def certainty_words(card: object) -> str:
    """How sure, as page 1 words it: Established (a fact), High certainty, No studies."""
    label = card.certainty_label  # type: ignore[attr-defined]
    grade = not card.is_fact and card.certainty in vocab.LEVELS  # type: ignore[attr-defined]
    return f"{label} certainty" if grade else label


def with_changes(evidence: object, cards: dict[str, dict] | None = None,
                 forms: dict[str, dict] | None = None) -> object:
    """The evidence with some cards' and forms' fields replaced (no file is read again)."""
    import dataclasses

    def change(items: tuple, edits: dict[str, dict]) -> tuple:
        return tuple(dataclasses.replace(i, **edits.get(i.id, {})) for i in items)

    return dataclasses.replace(evidence, cards=change(evidence.cards, cards or {}),  # type: ignore[attr-defined]
                               forms=change(evidence.forms, forms or {}))  # type: ignore[attr-defined]


def test_every_key_message_is_true_of_the_whole_form_when_its_table_is_cut(
        real_handouts: dict) -> None:
    """The general magnesium form's table holds only its first rows: each count in its key
    messages is still over all its claims, in the words its table uses (Accurate is not
    counted as Supported), and the all-forms handout counts a card shown on two forms once."""
    evidence, _ = load_evidence(ROOT)
    cut = squash(PdfReader(real_handouts["a4"] / "magnesium.pdf").pages[1].extract_text())
    assert not all(squash(c.claim) in cut for c in claims_of(evidence, "magnesium"))
    order = [*vocab.VERDICTS.values(), *vocab.ACCURACY_VERDICTS.values()]
    for form in evidence.forms:
        every = claims_of(evidence, form.id)
        text = squash(text_of(real_handouts["a4"] / f"{form.id}.pdf"))
        labels = Counter(c.verdict_label for c in every)
        counts = ", ".join(f"{labels[k]} {k.lower()}" for k in order if labels[k])
        n = len(every)
        assert squash(f"{n} claim{'s' if n > 1 else ''} checked from web articles about "
                      f"{form.name}: {counts}.") in text, form.id
        sure = Counter(certainty_words(c) for c in every)
        for words, k in sure.items():
            assert squash(f"{words} ({k} claim{'s' if k > 1 else ''}):") in text, words
    everything = squash(text_of(real_handouts["a4"] / "all-forms.pdf"))
    claims = [c for c in evidence.cards if c.group != "instead"]  # instead: the project's own
    assert squash(f"Claims checked {len(claims)}") in everything


def test_a_fact_reads_as_established_in_the_key_messages_and_on_page_one(
        project: Path, tmp_path: Path) -> None:
    evidence, _ = load_evidence(project)
    [fact] = [c for c in evidence.cards if c.certainty == "low"]
    evidence = with_changes(evidence, cards={fact.id: {"question": "fact"}})
    fact = evidence.card(fact.id)
    assert fact.certainty_label == "Not established"
    write_handouts(evidence, tmp_path, site_url=SITE_URL)
    pdf = tmp_path / f"{FORM}.pdf"
    text = " ".join(text_of(pdf).split())
    assert f"Not established (1 claim): {fact.certainty_lead}" in text
    assert "Low certainty (1 claim)" not in text
    page = " ".join(patient_part(pdf).split())
    assert re.search(rf"{re.escape(fact.title)} \(claim \d+\) · Not established", page), page


def test_page_one_says_how_sure_we_are_for_each_claim(real_handouts: dict) -> None:
    """Each claim listed on page 1 says, on its line, how sure the evidence is; page 1 then
    says in plain words what each of those levels means."""
    evidence, _ = load_evidence(ROOT)
    for form in real_handouts["forms"]:
        pdf = real_handouts["a4"] / f"{form.id}.pdf"
        page = " ".join(patient_part(pdf).split())
        cards = claim_order(claims_of(evidence, form.id))
        listed = [int(n) for n in re.findall(r"claim (\d+)\b", page)]
        assert listed, form.id
        for n in listed:
            card = cards[n - 1]
            assert re.search(rf"{re.escape(card.title)}\s*\(claim {n}\) · "
                             rf"{re.escape(certainty_words(card))}", page), (
                form.id, n, certainty_words(card))
        for card in {cards[n - 1].certainty_label: cards[n - 1] for n in listed}.values():
            assert card.certainty_lead in page, (form.id, card.certainty_lead)


def test_page_one_ends_the_bottom_line_with_what_helps_instead(project: Path,
                                                               tmp_path: Path) -> None:
    from generator.config import Texts
    from generator.core.model import Statement

    evidence, _ = load_evidence(project)
    instead = ("Minoxidil on the scalp helps pattern hair loss in women and men.",
               "See a doctor if hair falls out in patches or quickly.")
    bottom = "No study has tested magnesium L-threonate for hair loss."
    evidence = with_changes(evidence, forms={FORM: {
        "question": "Does magnesium L-threonate help hair loss?",
        "bottom_line": (Statement(bottom),),
        "instead": tuple(Statement(t) for t in instead)}})
    texts = Texts(outcome="hair", condition="hair loss")
    write_handouts(evidence, tmp_path, site_url=SITE_URL, texts=texts)
    for name in (f"{FORM}.pdf", "all-forms.pdf"):
        page = " ".join(patient_part(tmp_path / name).split())
        heading = "What has been shown to help hair loss"
        places = [page.find(s) for s in (bottom, heading, *instead)]
        assert -1 not in places and places == sorted(places), (name, places, page)
        claims = page.find("What web articles claim")
        assert claims == -1 or claims > places[-1], name


def test_the_all_forms_handout_says_what_helps_instead_once(project: Path,
                                                            tmp_path: Path) -> None:
    """Forms of one compound share their instead statements: the all-forms handout says
    them once, after every form's bottom line."""
    import dataclasses

    from generator.core.model import Statement

    evidence, _ = load_evidence(project)
    instead = (Statement("Minoxidil on the scalp helps pattern hair loss in women and men."),)
    form = dataclasses.replace(evidence.form(FORM), question="Does it help hair loss?",
                               bottom_line=(Statement("No study has tested it."),),
                               instead=instead)
    other = dataclasses.replace(form, id="other-salt", name="Other salt",
                                bottom_line=(Statement("Nor this one."),))
    evidence = dataclasses.replace(evidence, forms=(form, other))
    write_handouts(evidence, tmp_path, site_url=SITE_URL)
    page = " ".join(patient_part(tmp_path / "all-forms.pdf").split())
    assert page.count(instead[0].text) == 1, page
    assert page.find("Nor this one.") < page.find(instead[0].text), page


def test_each_verdict_is_read_with_its_claim(real_handouts: dict) -> None:
    """In the reading order of a PDF reader (poppler's), each verdict on page 1 comes just
    before its claim, each legend label just before its meaning, and in page 2's table each
    claim just before its verdict; the tagged table holds each row's cells in one row."""
    import subprocess

    evidence, _ = load_evidence(ROOT)
    for form in real_handouts["forms"]:
        pdf = real_handouts["a4"] / f"{form.id}.pdf"
        cards = claim_order(claims_of(evidence, form.id))
        page = " ".join(poppler_text(pdf, 1).split("FOR PHARMACISTS AND DOCTORS")[0].split())
        for n in (int(n) for n in re.findall(r"claim (\d+)\b", page)):
            card = cards[n - 1]
            assert re.search(rf"{re.escape(card.verdict_label)} {re.escape(card.title)}",
                             page), (form.id, n)
        every = " ".join(poppler_text(pdf).split())
        for meaning in (vocab.VERDICT_MEANING["supported"], "We are confident"):
            if meaning in every:
                label = "Supported" if "evidence backs" in meaning else "High"
                assert re.search(rf"{label}\b[^.]{{0,25}}{re.escape(meaning)}", every), (
                    form.id, meaning)
        assert re.search(r"Last reviewed \d+ \w+ \d{4}", every), form.id
        tree = subprocess.run(["pdfinfo", "-struct-text", str(pdf)], capture_output=True,
                              text=True, check=True).stdout
        rows = tree.split(" TR\n")[2:]  # after the header row
        for row, card in zip(rows, cards, strict=False):
            flat = squash(row.replace('"', ""))
            assert squash(card.claim) in flat and squash(card.verdict_label) in flat, form.id


def page_fill(page: object) -> float:
    """How far down the page its text reaches (the footer left out), as a share of its height."""
    height = float(page.mediabox.height)  # type: ignore[attr-defined]
    lows: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        y = tm[5] * cm[3] + cm[5]
        if text.strip() and y > 60:  # the footer's line is lower
            lows.append(y)

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return (height - min(lows)) / height


def test_no_page_is_more_than_half_empty_unless_it_is_the_last(real_handouts: dict) -> None:
    for paper in ("a4", "us-letter"):
        for pdf in sorted(real_handouts[paper].glob("*.pdf")):
            fills = [page_fill(p) for p in PdfReader(pdf).pages]
            assert all(f >= 0.5 for f in fills[:-1]), (paper, pdf.name, fills)


def test_a_section_of_the_all_forms_handout_that_fits_on_a_page_is_not_split(
        real_handouts: dict) -> None:
    """A form's section runs over a page break only when keeping it whole would leave the
    page before it about half empty: it starts in the top 55 % of that page."""
    evidence, _ = load_evidence(ROOT)
    for paper in ("a4", "us-letter"):
        reader = PdfReader(real_handouts[paper] / "all-forms.pdf")
        pages = [squash(p.extract_text()) for p in reader.pages]
        for form in evidence.forms:
            start = next(i for i, p in enumerate(pages) if squash(form.description) in p)
            shown = [c for c in claim_order(claims_of(evidence, form.id))
                     if any(squash(c.claim) in p for p in pages)]
            end = next(i for i, p in enumerate(pages) if squash(shown[-1].claim) in p)
            if start != end:
                top = text_top(reader.pages[start], form.description.split()[:4])
                bottom = text_top(reader.pages[end], shown[-1].claim.split()[:4])
                # on one page's text area (about three quarters of the page, after the
                # margins, the running header and footer)
                fits = end == start + 1 and (1 - top) + bottom < 0.75
                assert top < 0.55 or not fits, (paper, form.id, start, end, top, bottom)


def text_top(page: object, words: list[str]) -> float:
    """How far down the page (0 to 1) the line starting with these words is."""
    height = float(page.mediabox.height)  # type: ignore[attr-defined]
    found: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip().startswith(" ".join(words)):
            found.append((height - (tm[5] * cm[3] + cm[5])) / height)

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    assert found, words
    return found[0]


def test_a_short_page_one_is_not_left_half_empty(project: Path, tmp_path: Path) -> None:
    """A form with few claims but a long pharmacist's part: that part follows on page 1
    rather than leave most of it blank."""
    cards = project / "content" / "cards"
    trial = (cards / "mgt-fphl-trial.yaml").read_text(encoding="utf-8")
    words = " ".join(["with an account of what the study measured"] * 3)
    long = " ".join(["The salt is described here at length for pharmacists."] * 35)
    set_field(project / "content" / "forms" / f"{FORM}.yaml", "description", long)
    for i in range(8):  # short on page 1 (plain titles), long in page 2's table
        (cards / f"copy-{i}.yaml").write_text(
            trial.replace("id: mgt-fphl-trial", f"id: copy-{i}\nplain_title: Copy {i}")
                 .replace("A study in the", f"Copy {i}: a study {words} in the"), "utf-8")
    evidence, problems = load_evidence(project)
    assert not [p for p in problems if not p.warning]
    write_handouts(evidence, tmp_path, site_url=SITE_URL)
    for name in (f"{FORM}.pdf", "all-forms.pdf"):
        reader = PdfReader(tmp_path / name)
        fills = [page_fill(p) for p in reader.pages]
        assert len(fills) == 2 and fills[0] >= 0.5, (name, fills)


def test_chinese_and_emoji_that_pass_check_are_shown_in_the_handouts(
        project: Path, tmp_path: Path) -> None:
    """Text that `evidence check` accepts renders: the handouts fall back to Noto fonts
    (Debian's fonts-noto-cjk and fonts-noto-color-emoji, installed by `make fonts`)."""
    claim = "An article quotes 镁能防止脱发 (magnesium prevents hair loss) 💊 about the salt."
    set_field(project / "content" / "cards" / "mgt-fphl-trial.yaml", "claim", claim)
    result = evidence_cli("check", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    result = evidence_cli("pdf", "--out", "out", cwd=project)
    assert result.returncode == 0, result.stderr
    for name in (f"{FORM}.pdf", "all-forms.pdf"):
        pdf = project / "out" / name
        assert "镁能防止脱发" in text_of(pdf)
        fonts = {str(f.get_object()["/BaseFont"]) for page in PdfReader(pdf).pages
                 for f in page["/Resources"]["/Font"].values()
                 if "/BaseFont" in f.get_object()}
        assert any("NotoSerifCJK" in f for f in fonts), fonts


def test_a_character_no_font_has_is_named_with_its_file_and_field(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a font for it, the build names the character, the file and the field, and
    writes nothing."""
    set_field(project / "content" / "cards" / "mgt-fphl-trial.yaml", "claim",
              "A claim with an old Italic letter \U00010300 in it.")
    result = evidence_cli("pdf", "--out", "out", cwd=project)
    assert result.returncode == 1
    assert "content/cards/mgt-fphl-trial.yaml" in result.stderr, result.stderr
    assert "claim" in result.stderr and "U+10300" in result.stderr, result.stderr
    assert not (project / "out").exists()


def test_safety_cards_reach_every_salt_they_name(real_handouts: dict) -> None:
    """Issue 24: a card filed under one form and shown on others (also_forms), such as the
    kidney caution and the interactions, is on each of those forms' handouts."""
    evidence, _ = load_evidence(ROOT)
    shared = [c for c in evidence.cards if c.also_forms and c.group != "instead"]
    assert shared
    for card in shared:
        for form_id in card.also_forms:
            text = squash(text_of(real_handouts["a4"] / f"{form_id}.pdf"))
            assert squash(card.title) in text or squash(card.claim) in text, (card.id, form_id)


def test_a_card_on_what_helps_instead_is_not_counted_as_a_claim_from_the_articles(
        project: Path, tmp_path: Path) -> None:
    """Cards of group instead are the project's own, not claims made in web articles: the
    claim lists, the table of claims made in web articles and the counts leave them out (the
    form's instead statements say what they found)."""
    evidence, _ = load_evidence(project)
    own = evidence.card("mgt-dkk1-dermal-papilla")
    evidence = with_changes(evidence, cards={own.id: {"group": "instead"}})
    write_handouts(evidence, tmp_path, site_url=SITE_URL)
    for name in (f"{FORM}.pdf", "all-forms.pdf"):
        text = " ".join(text_of(tmp_path / name).split())
        assert squash(own.claim) not in squash(text), name
        assert squash(own.title) not in squash(text), name
        assert "1 claim checked from web articles" in text, name
        assert "Claims checked 1 " in text, name


def test_the_handout_says_when_it_was_made(project: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Its edition: the newest review or change note it includes (never the clock)."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    add_notes(project, ("2026-12-03", "The verdict summary was reworded."))
    evidence, _ = load_evidence(project)
    write_handouts(evidence, tmp_path, site_url=SITE_URL)
    pdf = tmp_path / f"{FORM}.pdf"
    assert "Handout made 3 December 2026" in text_of(pdf)
    assert PdfReader(pdf).metadata["/CreationDate"].startswith("D:20261203")


def test_handout_data_lists_the_changes_of_its_edition(project: Path) -> None:
    """The notes dated on the handout's edition (its newest review or note), for a layout to
    show as the changes since the previous edition."""
    add_notes(project, ("2026-12-03", "The verdict summary was reworded."),
              ("2026-11-30", "An older note."))
    evidence, _ = load_evidence(project)
    data = handout_data(evidence, SITE_URL, "a4", evidence.form(FORM))
    assert data["made"] == "3 December 2026"
    assert [(c["date"], c["note"]) for c in data["changes"]] == [
        ("3 December 2026", "The verdict summary was reworded.")]
    assert data["changes"][0]["title"] == evidence.card("mgt-fphl-trial").title


def test_the_handout_lists_what_changed_in_its_edition(project: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 28: a pharmacist holding last week's sheet learns what changed."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    add_notes(project, ("2026-12-03",
                        "The verdict changed from partly supported to not supported."))
    evidence, _ = load_evidence(project)
    write_handouts(evidence, tmp_path, site_url=SITE_URL)
    text = squash(text_of(tmp_path / f"{FORM}.pdf"))
    assert squash("Changed in this edition: ") in text
    assert squash("The verdict changed from partly supported to not supported.") in text


def add_notes(project: Path, *notes: tuple[str, str]) -> None:
    """Change notes (date, note), newest first, on the fixture's card, reviewed on the newest
    one's day (a change is a review)."""
    card = project / "content" / "cards" / "mgt-fphl-trial.yaml"
    listed = "".join(f"  - date: {date}\n    note: {note}\n" for date, note in notes)
    card.write_text(card.read_text(encoding="utf-8").replace(
        "reviewed: 2026-11-21", f"reviewed: {notes[0][0]}") + "changes:\n" + listed,
        encoding="utf-8")

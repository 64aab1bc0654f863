"""PDF handouts, read back as a reader's PDF tool would (pypdf): pages, text, links, tags."""

from __future__ import annotations

import re
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
    cards = evidence.cards_of_form(FORM)
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
    assert min(s for page in PdfReader(pdf).pages for _, s in text_runs(page)) >= 7


def test_a_real_form_with_more_claims_than_fit_says_how_many_are_online(
        real_handouts: dict) -> None:
    evidence, _ = load_evidence(ROOT)
    cut = 0
    for form in real_handouts["forms"]:
        pdf = real_handouts["a4"] / f"{form.id}.pdf"
        if len(PdfReader(pdf).pages) == 2:
            cards = claim_order(evidence.cards_of_form(form.id))
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

    every = claim_order(evidence.cards_of_form(FORM))
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
    """Flesch–Kincaid grade of a page, each bullet or listed claim read as one sentence."""
    import textstat

    items = [i.strip() for i in re.split(r"[▸✓±✗]", " ".join(text.split()))]
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


def test_nothing_is_under_7_points(real_handouts: dict) -> None:
    for paper in ("a4", "us-letter"):
        for pdf in sorted(real_handouts[paper].glob("*.pdf")):
            sizes = [(t, s) for page in PdfReader(pdf).pages for t, s in text_runs(page)]
            assert min(s for _, s in sizes) >= 7, (pdf.name, min(sizes, key=lambda x: x[1]))


def test_a_form_that_fits_on_one_page_gets_one_page(real_handouts: dict) -> None:
    pages = {f.id: len(PdfReader(real_handouts["a4"] / f"{f.id}.pdf").pages)
             for f in real_handouts["forms"]}
    assert pages["topical-magnesium"] == 1, pages  # one claim, two references
    for form_id, n in pages.items():
        if n > 1:  # and a longer one leaves no mostly empty last page
            last = PdfReader(real_handouts["a4"] / f"{form_id}.pdf").pages[-1]
            assert len(last.extract_text()) > 1500, form_id


LONG_TITLE = ("Superiority of magnesium and vitamin B6 over magnesium alone on severe stress in "
              "healthy adults with low magnesemia")  # a study cited in page 2's first rows


def test_page_two_cites_its_references_in_one_compact_line_each(real_handouts: dict) -> None:
    """Author et al., journal, year;volume:pages and PMID (else DOI, else the address), so the
    general magnesium form's table shows many rows; the full references are on the web page."""
    evidence, _ = load_evidence(ROOT)
    for paper, least in (("a4", 14), ("us-letter", 12)):  # 8 and 7 with full references
        pdf = real_handouts[paper] / "magnesium.pdf"
        page = PdfReader(pdf).pages[1].extract_text()
        cards = claim_order(evidence.cards_of_form("magnesium"))
        rows = sum(squash(c.claim) in squash(page) for c in cards)
        assert rows >= least, (paper, rows)
        listed = page.split("References")[-1].split("Not medical advice")[0]
        refs = re.split(r"(?m)^\d+\.\s", listed)[1:]
        assert len(refs) >= 10, listed
        for ref in refs:
            assert re.search(r"PMID\s\d+|doi:10\.|https?://", ref), ref
            assert len(" ".join(ref.split())) <= 130, ref  # a full AMA one is 200 and more
        assert squash(LONG_TITLE) not in squash(page)
        assert squash("Pouteau E et al. PLoS ONE 2018;13:e0208454. PMID 30562392") in squash(
            page)


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
        every = evidence.cards_of_form(form.id)
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
        solid = [c for c in evidence.cards_of_form(form.id)
                 if c.verdict == "supported" and c.certainty in ("high", "moderate")]
        text = " ".join(text_of(real_handouts["a4"] / f"{form.id}.pdf").split())
        assert ("none of the claims checked" in text) == (not solid), form.id
    without = sum(not [c for c in evidence.cards_of_form(f.id) if c.verdict == "supported"
                       and c.certainty in ("high", "moderate")] for f in evidence.forms)
    every = " ".join(text_of(real_handouts["a4"] / "all-forms.pdf").split())
    assert every.count("none of the claims checked") == without

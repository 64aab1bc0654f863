"""Retractions (issue 28): `evidence check --retractions FILE` reads the Retraction Watch CSV
as Crossref distributes it; a bib `retraction` field records a known retraction, shown with
the reference; a retracted study cannot be a card's best evidence.

The fixture (tests/fixtures/retractions/retraction_watch.csv) has the real file's columns and
synthetic rows; the test project's Kwack 2010 gets a DOI under the 10.5555 test prefix."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.core.load import load_evidence
from generator.core.retractions import RetractionFileError, read_notices
from generator.outputs.pages import render_site
from tests.conftest import ROOT, edit, evidence_cli

FIXTURE = ROOT / "tests" / "fixtures" / "retractions" / "retraction_watch.csv"
BIB = "content/references.bib"
DKK1 = "content/cards/mgt-dkk1-dermal-papilla.yaml"


# The fixture's two studies made synthetic before any notice is matched to them: a made-up
# notice is never paired with a real paper's title, DOI or PMID, even in a test. 10.5555 is
# the test DOI prefix; PubMed's PMIDs reach about 41 million in 2026, so 99999999 is nobody's.
SYNTHETIC = {
    "kwack2008dihydrotestosterone": ("Synthetic test study of keratinocytes", 2008,
                                     "10.5555/test.keratinocytes.2008", "99999999"),
    "kwack2010preventable": ("Synthetic test study of dermal papilla cells", 2010,
                             "10.5555/test.cells.2010", None),
}


def synthetic_studies(project: Path) -> None:
    entries = [f"@article{{{key},\n  author  = {{Test, Author}},\n  title   = {{{title}}},\n"
               f"  journal = {{Synthetic Journal}},\n  year    = {{{year}}},\n"
               f"  doi     = {{{doi}}},\n" + (f"  pmid    = {{{pmid}}},\n" if pmid else "")
               + f"  url     = {{https://example.org/test/{key}}}\n}}\n"
               for key, (title, year, doi, pmid) in SYNTHETIC.items()]
    (project / BIB).write_text("\n".join(entries), encoding="utf-8")


def bib_line(project: Path, key: str) -> int:
    lines = (project / BIB).read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if key in line)


def test_check_reports_retracted_and_concerned_references_at_their_line(
        project: Path) -> None:
    synthetic_studies(project)
    shutil.copy(FIXTURE, project / "rw.csv")
    result = evidence_cli("check", "--retractions", "rw.csv", cwd=project)
    assert result.returncode == 1, result.stdout
    line = bib_line(project, "@article{kwack2010preventable")
    assert (f"{BIB}:{line}:1: kwack2010preventable.doi: retracted: the retraction notice "
            "10.5555/notice.retraction.1 is dated 2020-06-05 (hint: check the notice; record it "
            "in the entry as retraction = {10.5555/notice.retraction.1})") in result.stdout
    line = bib_line(project, "@article{kwack2008dihydrotestosterone")
    assert (f"warning: {BIB}:{line}:1: kwack2008dihydrotestosterone.pmid: an expression of "
            "concern, notice 10.5555/notice.concern.2, is dated 2021-09-01") in result.stdout
    assert "corrected" not in result.stdout  # a correction is not a retraction


def test_a_recorded_retraction_is_shown_and_not_counted(project: Path) -> None:
    synthetic_studies(project)
    edit(project, "doi     = {10.5555/test.cells.2010},",
         "doi     = {10.5555/test.cells.2010},\n  retraction = {10.5555/notice.retraction.1},",
         BIB)
    shutil.copy(FIXTURE, project / "rw.csv")
    result = evidence_cli("check", "--retractions", "rw.csv", cwd=project)
    assert "kwack2010preventable.doi" not in result.stdout  # known: recorded in the entry
    evidence, problems = load_evidence(project)
    assert [str(p) for p in problems if not p.warning] == []
    card = evidence.card("mgt-dkk1-dermal-papilla")
    assert card.certainty == "no-studies"  # its only study is retracted: not the best evidence
    page = render_site(evidence)["claims/mgt-dkk1-dermal-papilla.md"].replace("\\", "")
    assert "Retracted (notice: 10.5555/notice.retraction.1)" in page
    assert "was retracted, so it does not count toward the certainty" in page
    refs = render_site(evidence)["references.md"].replace("\\", "")
    assert "Retracted (notice: 10.5555/notice.retraction.1)" in refs


def test_a_declared_certainty_that_rests_on_a_retracted_study_is_refused(
        project: Path) -> None:
    synthetic_studies(project)
    edit(project, "doi     = {10.5555/test.cells.2010},",
         "doi     = {10.5555/test.cells.2010},\n  retraction = {10.5555/notice.retraction.1},",
         BIB)
    edit(project, "question: mechanism", "question: mechanism\ncertainty: low", DKK1)
    messages = [str(p) for p in load_evidence(project)[1]]
    assert any("certainty: 'low' does not follow" in m and "retracted" in m
               for m in messages), messages


def test_matching_ignores_case_and_doi_prefixes() -> None:
    notices = read_notices(FIXTURE.read_text(encoding="utf-8"), "rw.csv")
    assert notices.find("10.5555/test.cells.2010", None).notice_doi == \
        "10.5555/notice.retraction.1"
    assert notices.find("doi:10.5555/TEST.CELLS.2010", None) is not None
    assert notices.find(None, "99999999").nature == "Expression of concern"
    assert notices.find("10.5555/corrected.2019", None) is None


def test_a_foreign_or_malformed_file_is_one_clear_error(tmp_path: Path) -> None:
    for text, expected in (
            ("id,doi\n1,10.1/x\n", "rw.csv: row 1: not a Retraction Watch CSV: no column "
             "OriginalPaperDOI"),
            (FIXTURE.read_text(encoding="utf-8") + "5,too,few\n",
             "rw.csv: row 6: has 3 fields, the header has 21"),
            (FIXTURE.read_text(encoding="utf-8").replace("6/5/2020 0:00", "June 2020"),
             "rw.csv: row 2: RetractionDate: 'June 2020' is not a date")):
        try:
            read_notices(text, "rw.csv")
        except RetractionFileError as exc:
            assert str(exc).startswith(expected), str(exc)
        else:
            raise AssertionError(f"no error for {expected}")


def test_the_cli_names_the_bad_file(project: Path) -> None:
    (project / "rw.csv").write_text("id,doi\n1,10.1/x\n")
    result = evidence_cli("check", "--retractions", "rw.csv", cwd=project)
    assert result.returncode == 2
    assert "rw.csv: row 1: not a Retraction Watch CSV" in result.stderr
    missing = evidence_cli("check", "--retractions", "nope.csv", cwd=project)
    assert missing.returncode == 2 and "nope.csv" in missing.stderr


def test_the_handout_shows_a_recorded_retraction(project: Path, tmp_path: Path) -> None:
    from generator.cli.pdf import write_handouts
    from tests.test_pdf import squash, text_of

    synthetic_studies(project)
    edit(project, "doi     = {10.5555/test.cells.2010},",
         "doi     = {10.5555/test.cells.2010},\n  retraction = {10.5555/notice.retraction.1},",
         BIB)
    evidence, _ = load_evidence(project)
    write_handouts(evidence, tmp_path, site_url="https://example.org/")
    assert squash("Retracted (notice: 10.5555/notice.retraction.1).") in squash(
        text_of(tmp_path / "magnesium-l-threonate.pdf"))

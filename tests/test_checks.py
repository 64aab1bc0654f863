"""The cross-checks of generator/core/checks.py, as `evidence check` reports them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.core.bib import load_bib
from generator.core.load import load_evidence
from generator.core.pmid import (
    PMID_FIRST_OF_YEAR,
    pmid_issued_around,
    pmid_year_problem,
)
from tests.conftest import ROOT, evidence_cli

CARD = "content/cards/mgt-dkk1-dermal-papilla.yaml"
BIB = "content/references.bib"


def problems_of(project: Path) -> list[str]:
    return [str(p) for p in load_evidence(project)[1]]


def line_of(project: Path, path: str, text: str, after: str = "") -> int:
    lines = (project / path).read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i, line in enumerate(lines) if i >= start and text in line) + 1


def edit(project: Path, path: str, old: str, new: str, count: int = 1) -> None:
    file = project / path
    text = file.read_text()
    assert old in text, old
    file.write_text(text.replace(old, new, count))


# --- PMID against year -------------------------------------------------------------------

def test_every_real_article_pmid_fits_the_table() -> None:
    """The table is checked against the real bibliography: no entry is flagged."""
    refs, _ = load_bib((ROOT / BIB).read_text(), BIB)
    checked = 0
    for ref in refs.values():
        if ref.entry_type == "article" and ref.get("pmid") and ref.year >= 1997:
            pmid = int(ref.fields["pmid"])
            assert pmid_year_problem(pmid, ref.year) is None, ref.key
            # a PMID may come a year late: a journal indexed after the issue appeared
            # (sariaslani2018nonscarring: 2018 paper, PMID of early 2019)
            assert ref.year - 1 <= pmid_issued_around(pmid) <= ref.year + 1, ref.key
            checked += 1
    assert checked >= 30


def test_table_rises_and_anchors_hold() -> None:
    firsts = [PMID_FIRST_OF_YEAR[year] for year in sorted(PMID_FIRST_OF_YEAR)]
    assert firsts == sorted(set(firsts))
    assert pmid_issued_around(20152124) == 2010  # Slutsky 2010, Neuron (in our bib)
    assert pmid_issued_around(40563371) == 2025  # Cepeda 2025, Antioxidants (in our bib)


def test_pmid_far_before_the_year_is_an_error(project: Path) -> None:
    edit(project, BIB, "pmid    = {21034532}", "pmid    = {9000123}")
    line = line_of(project, BIB, "pmid    = {9000123}")
    result = evidence_cli("check", cwd=project)
    assert result.returncode == 1
    assert (f"{BIB}:{line}:1: kwack2010preventable.pmid: PMID 9000123 was issued around 1997, "
            "more than 2 years before the entry's year 2010 "
            "(hint: copy the PMID from the study's PubMed page)") in result.stdout


def test_pmid_within_tolerance_passes_and_far_after_is_a_warning(project: Path) -> None:
    # Kwack 2008 got its PMID in 2007 (online first): within tolerance, nothing reported.
    assert not [p for p in problems_of(project) if "pmid" in p]
    edit(project, BIB, "pmid    = {17657240}", "pmid    = {38481468}")
    evidence, problems = load_evidence(project)
    flagged = [p for p in problems if p.field == "kwack2008dihydrotestosterone.pmid"]
    assert len(flagged) == 1 and flagged[0].warning
    assert "issued around 2024, more than 2 years after the entry's year 2008" in str(flagged[0])
    assert evidence_cli("check", cwd=project).returncode == 0  # a warning does not fail


def test_pmid_before_1997_is_not_judged() -> None:
    assert pmid_year_problem(7815675, 1994) is None  # PMIDs were not in date order then
    assert pmid_year_problem(7815675, 2015) is not None


# --- identifiers ----------------------------------------------------------------------

@pytest.mark.parametrize(("field", "value", "hint"), [
    ("doi", "https://doi.org/10.5483/BMBRep.2010.43.10.688",
     "give the identifier alone: 10.5483/BMBRep.2010.43.10.688"),
    ("pmid", "PMID: 21034532", "give the identifier alone: 21034532"),
    ("pmcid", "1234567", "give the identifier alone: PMC1234567"),
    ("pmid", "2103x532", "e.g. 20152124"),
])
def test_identifier_syntax_with_hint(project: Path, field: str, value: str, hint: str) -> None:
    bib = project / BIB
    text = bib.read_text()
    start = text.index("@article{kwack2010preventable,")
    end = text.index("\n}", start)
    entry = text[start:end]
    new = re.sub(rf"\n  {field}\s*=.*", "", entry) + f",\n  {field:<7} = {{{value}}}"
    bib.write_text(text[:start] + new + text[end:])
    problems = problems_of(project)
    line = line_of(project, BIB, value)
    assert (f"{BIB}:{line}:1: kwack2010preventable.{field}: '{value}' is not a valid "
            f"{field.upper()} (hint: {hint})") in problems


def test_url_naming_another_pmid_is_an_error(project: Path) -> None:
    edit(project, BIB, "url     = {https://www.bmbreports.org/journal/view.html?spage=688&volume"
         "=43&number=10}", "url     = {https://pubmed.ncbi.nlm.nih.gov/21034533/}")
    line = line_of(project, BIB, "pubmed.ncbi.nlm.nih.gov/21034533")
    assert (f"{BIB}:{line}:1: kwack2010preventable.url: the address points to PMID 21034533 "
            "but the entry's pmid is 21034532 (hint: check both against the page the entry "
            "was read from)") in problems_of(project)


# --- duplicates within a card ---------------------------------------------------------

def test_duplicates_within_a_card_are_all_reported_at_their_lines(project: Path) -> None:
    card = project / CARD
    text = card.read_text()
    study = text[text.index("  - key: kwack2010preventable"):text.index("background:")]
    appearance = text[text.index("  - source:"):text.index("studies:")]
    text = text.replace("studies:\n", appearance + "studies:\n" + study, 1)
    text = text.replace("downgrades: []\n", "downgrades:\n" + "  - reason: imprecision\n"
                        "    why: One small study.\n" * 2, 1)
    card.write_text(text)
    result = evidence_cli("check", cwd=project)
    assert result.returncode == 1
    lines = card.read_text().splitlines()
    sources = [i + 1 for i, line in enumerate(lines) if "  - source:" in line]
    keys = [i + 1 for i, line in enumerate(lines) if "- key: kwack2010preventable" in line]
    reasons = [i + 1 for i, line in enumerate(lines) if "- reason: imprecision" in line]
    out = result.stdout
    assert (f"{CARD}:{sources[1]}:5: appearances[1].source: article 'mgt-effective-treatment' "
            "is already given in appearances[0]") in out
    assert (f"{CARD}:{keys[1]}:5: studies[1].key: study 'kwack2010preventable' is already "
            "given in studies[0]") in out
    assert (f"{CARD}:{reasons[1]}:5: downgrades[1].reason: reason 'imprecision' is already "
            "given in downgrades[0] (hint: each reason steps down once") in out


# --- a card against its bib entry -----------------------------------------------------

def test_finding_with_another_pmid_is_an_error(project: Path) -> None:
    edit(project, CARD, "The abstract reports no concentrations",
         "PMID 21034999. The abstract reports no concentrations")
    line = line_of(project, CARD, "- key: kwack2010preventable")
    assert (f"{CARD}:{line}:5: studies[0]: mentions PMID 21034999 but the entry "
            "kwack2010preventable has pmid 21034532 (hint: correct the number, or cite that "
            "study as its own entry)") in problems_of(project)


def test_finding_with_its_own_or_a_sibling_identifier_passes(project: Path) -> None:
    edit(project, CARD, "The abstract reports no concentrations",
         "PMID 21034532 (doi 10.5483/BMBRep.2010.43.10.688); compare PMID 17657240. "
         "The abstract reports no concentrations")
    assert problems_of(project) == []


def test_author_year_that_contradicts_the_entry_is_an_error(project: Path) -> None:
    edit(project, CARD, "The abstract reports", "As Kwack et al. (2012) reported, the "
         "stored abstract reports")
    line = line_of(project, CARD, "- key: kwack2010preventable")
    assert (f"{CARD}:{line}:5: studies[0]: mentions Kwack et al. 2012 but the entry "
            "kwack2010preventable is from 2010") in "\n".join(problems_of(project))


def test_a_first_author_with_a_suffix_is_matched_by_family_name(project: Path) -> None:
    """"Jr." is kept with the family name: the check still looks for "Kwack", not "Jr."."""
    edit(project, "content/references.bib", "{Kwack, Mi Hee and Ahn",
         "{Kwack, Jr., Mi Hee and Ahn")
    edit(project, CARD, "The abstract reports", "As Kwack et al. (2012) reported, the "
         "stored abstract reports")
    assert "mentions Kwack et al. 2012 but the entry kwack2010preventable is from 2010" in (
        "\n".join(problems_of(project)))


def test_author_year_of_another_entry_by_that_author_passes(project: Path) -> None:
    # Kwack 2008 is in the bibliography: naming it in the 2010 study's finding is fine.
    edit(project, CARD, "The abstract reports", "Unlike Kwack 2008, the stored "
         "abstract reports")
    assert problems_of(project) == []


def test_trial_resting_on_a_web_page_is_an_error(project: Path) -> None:
    bib = project / BIB
    bib.write_text(bib.read_text() + "\n@misc{ods2022magnesium,\n"
                   "  author = {{NIH Office of Dietary Supplements}},\n"
                   "  title  = {Magnesium: Fact Sheet for Health Professionals},\n"
                   "  year   = {2022},\n"
                   "  url    = {https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/}\n"
                   "}\n")
    edit(project, CARD, "  - key: kwack2010preventable\n    design: in-vitro",
         "  - key: ods2022magnesium\n    design: human-rct")
    line = line_of(project, CARD, "- key: ods2022magnesium")
    problems = problems_of(project)
    assert (f"{CARD}:{line}:5: studies[0].design: design human-rct cannot rest on @misc "
            "ods2022magnesium, which has no DOI, PMID or PMCID (a web page or fact sheet, not "
            "a study)") in "\n".join(problems)
    # The same @misc as reference values is fine (the warning is about kwack2010, now unused).
    edit(project, CARD, "design: human-rct", "design: reference-values")
    assert [p for p in problems_of(project) if not p.startswith("warning:")] == []


def test_every_problem_at_once(project: Path) -> None:
    edit(project, BIB, "pmid    = {21034532}", "pmid    = {9000123}")
    edit(project, CARD, "The abstract reports", "PMID 1234. Kwack 2001. The stored "
         "abstract reports")
    edit(project, CARD, "verdict: partly-supported", "verdict: partly")
    result = evidence_cli("check", cwd=project)
    out = result.stdout
    assert result.returncode == 1
    for expected in ("kwack2010preventable.pmid: PMID 9000123", "mentions PMID 1234 ",
                     "mentions Kwack 2001", "verdict: 'partly' is not one of"):
        assert expected in out, expected
    assert re.search(r"^\d+ problems, \d+ warnings?$", result.stderr, re.M)

"""Open data beside the site: cards as CSV, references as BibTeX and CSL-JSON, a Data page."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest

from generator import load_evidence
from generator.cli.build import build_site
from generator.core.bib import load_bib
from generator.outputs.opendata import CARD_COLUMNS, cards_csv
from tests.conftest import format_reference, make_project


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    project = make_project(tmp_path_factory.mktemp("data") / "project")
    return project, build_site(project, project / "site", with_pdf=False)


def test_cards_csv_has_one_row_per_card(built: tuple[Path, Path]) -> None:
    project, site = built
    evidence, _ = load_evidence(project)
    raw = (site / "data" / "cards.csv").read_bytes()
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert tuple(rows[0].keys()) == CARD_COLUMNS
    assert [r["id"] for r in rows] == [c.id for c in evidence.cards]
    for row, card in zip(rows, evidence.cards, strict=True):
        assert row["claim"] == card.claim and row["verdict"] == card.verdict
        assert row["certainty"] == card.certainty and row["reviewed"] == str(card.reviewed)
        assert row["sources"].split("; ") == [a.source for a in card.appearances]
        assert row["study_keys"] == "; ".join(s.key for s in card.studies)
        assert row["url"].endswith(f"/{card.url}")


def test_csv_cells_cannot_be_spreadsheet_formulas(built: tuple[Path, Path]) -> None:
    project, _ = built
    evidence, _ = load_evidence(project)
    card = dataclasses.replace(evidence.cards[0], claim="=HYPERLINK(\"https://x.example\")",
                               reviewer="@SUM(A1)")
    text = cards_csv(dataclasses.replace(evidence, cards=(card,)))
    row = next(csv.DictReader(io.StringIO(text, newline="")))
    assert row["claim"] == "'=HYPERLINK(\"https://x.example\")"
    assert row["reviewer"] == "'@SUM(A1)"


def test_references_bib_round_trips(built: tuple[Path, Path]) -> None:
    project, site = built
    evidence, _ = load_evidence(project)
    refs, problems = load_bib((site / "data" / "references.bib").read_text("utf-8"), "x.bib")
    assert problems == []
    assert sorted(refs) == sorted(evidence.citations)
    for key, ref in refs.items():
        original = evidence.references[key]
        assert (ref.entry_type, ref.fields, ref.authors) == (
            original.entry_type, original.fields, original.authors)


def test_bib_escapes_latex_specials() -> None:
    from generator.core.model import Reference
    from generator.outputs.opendata import bib_entry

    ref = Reference("k1", "article", {"title": "50% of {odd} & #1 a_b \\x", "year": "2000",
                                      "journal": "J", "url": "https://a.example/{x}"},
                    (("Smith", "Jo"),))
    refs, problems = load_bib(bib_entry(ref), "x.bib")
    assert problems == []
    assert refs["k1"].fields["title"] == "50% of {odd} & #1 a_b \\x"
    assert refs["k1"].fields["url"] == "https://a.example/%7Bx%7D"


def test_csl_json_lists_every_cited_reference(built: tuple[Path, Path]) -> None:
    project, site = built
    evidence, _ = load_evidence(project)
    items = json.loads((site / "data" / "references.json").read_text("utf-8"))
    assert [i["id"] for i in items] == sorted(evidence.citations)
    for item in items:
        ref = evidence.references[item["id"]]
        assert item["title"] == ref.title and item["type"] == "article-journal"
        assert item["issued"] == {"date-parts": [[ref.year]]}
        assert item["author"][0]["family"] == ref.authors[0][0]
        assert item.get("DOI") == ref.get("doi")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_data_page_links_every_file_and_states_the_licence(built: tuple[Path, Path]) -> None:
    _, site = built
    page = _Links()
    page.feed((site / "data" / "index.html").read_text("utf-8"))
    base = "http://site/data/"
    linked = {urljoin(base, h)[len("http://site/"):] for h in page.hrefs
              if urljoin(base, h).startswith("http://site/data/")}
    for name in ("evidence.json", "cards.csv", "references.bib", "references.json"):
        assert f"data/{name}" in linked, name
        assert (site / "data" / name).stat().st_size > 0
    text = " ".join(" ".join(page.text).split())
    assert "CC BY 4.0" in text and "Licence" in text
    home = _Links()
    home.feed((site / "index.html").read_text("utf-8"))
    assert "data/" in home.hrefs  # in the navigation


def test_and_others_reads_et_al_everywhere() -> None:
    """BibTeX's "and others" (more authors, not named) is "et al.", never an author "others"."""
    from generator.core.csl import csl_item
    from generator.core.references import compact_reference
    from generator.outputs.opendata import bib_entry

    refs, problems = load_bib("@article{rude1985low,\n  author = {Rude, R. K. and others},\n"
                              "  title = {Low serum concentrations}, journal = {J Clin Endocrinol"
                              " Metab}, year = {1985}, volume = {61}, pages = {933--940}}", "r.bib")
    assert problems == []
    ref = refs["rude1985low"]
    assert format_reference(ref, as_html=False).startswith("Rude RK, et al. Low serum")
    assert "others" not in format_reference(ref, as_html=True)
    assert compact_reference(ref)[0][0].startswith("Rude RK et al.")
    assert "author = {Rude, R. K. and others}" in " ".join(bib_entry(ref).split())
    assert csl_item(ref)["author"][-1] == {"literal": "et al."}
    _, problems = load_bib("@article{x,\n  author = {others and Rude, R. K.},\n  title = {T},"
                           " journal = {J}, year = {1985}}", "r.bib")
    assert [str(p) for p in problems] == [
        'r.bib:2:1: x.author: "and others" must come last, after at least one author']


def test_editors_and_braced_names_are_kept() -> None:
    """A chapter's editors show as AMA has them and are published; a family name that holds
    "and" stays one name in the published .bib; "Jr." is kept."""
    from generator.core.csl import csl_item
    from generator.outputs.opendata import bib_entry

    refs, problems = load_bib(
        "@incollection{su2018,\n  author = {{Smith and Wesson}, John and Davis, Jr., Sammy},\n"
        "  title = {Cicatricial Alopecia}, booktitle = {Alopecia},\n"
        "  editor = {Ahmad, Muhammad}, publisher = {IntechOpen}, year = {2018}}", "r.bib")
    assert problems == []
    ref = refs["su2018"]
    text = format_reference(ref, as_html=False)
    assert text.startswith("Smith and Wesson J, Davis Jr. S."), text  # Jr. kept, not dropped
    assert "In: Ahmad M, ed. Alopecia." in text, text
    assert csl_item(ref)["editor"] == [{"family": "Ahmad", "given": "Muhammad"}]
    entry = " ".join(bib_entry(ref).split())
    assert "author = {{Smith and Wesson}, John and Davis Jr., Sammy}" in entry, entry
    assert "editor = {Ahmad, Muhammad}" in entry
    again, problems = load_bib(bib_entry(ref), "again.bib")
    assert problems == [] and again["su2018"].authors == ref.authors


def test_the_link_goes_on_the_identifier_not_on_the_same_text_in_the_title() -> None:
    refs, _ = load_bib("@article{a,\n  author = {Doe, Jane}, title = {Study of https://a.example/"
                       " things}, journal = {J}, year = {2000},\n  url = {https://a.example/}}\n"
                       "@article{b,\n  author = {Doe, Jane}, title = {doi:10.1234/x here},"
                       " journal = {J}, year = {2000},\n  doi = {10.1234/x}}", "r.bib")
    for key in ("a", "b"):
        html = format_reference(refs[key], as_html=True)
        title, _, rest = html.partition(". <i>J</i>")
        assert "<a " not in title and rest.count("<a ") == 1, html

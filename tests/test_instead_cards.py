"""What helps instead: each magnesium form's page (and page 1 of its handout) ends the bottom
line with what reviews found to help hair loss and when to see a doctor, resting on the
project's own cards of group `instead`, in plain words."""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import pytest
import textstat
from pypdf import PdfReader

from generator.cli.build import build_site
from generator.cli.pdf import write_handouts
from generator.core.load import load_evidence
from tests.conftest import ROOT, make_project

SALTS = ("magnesium", "magnesium-glycinate", "magnesium-l-threonate", "topical-magnesium")
INSTEAD_CARDS = ("minoxidil-female-pattern-hair-loss",
                 "minoxidil-finasteride-male-pattern-hair-loss",
                 "treat-cause-of-hair-loss", "see-doctor-hair-loss")


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    project = make_project(tmp_path_factory.mktemp("instead") / "project", ROOT / "content")
    return build_site(project, project / "site", with_pdf=False), load_evidence(project)[0]


def squash(text: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def test_every_magnesium_form_says_what_helps_and_when_to_see_a_doctor() -> None:
    evidence, problems = load_evidence(ROOT)
    assert not [str(p) for p in problems if not p.warning]
    for form_id in SALTS:
        form = evidence.form(form_id)
        assert 2 <= len(form.instead) <= 3, form_id
        relied = {r.card for s in form.instead for r in s.relies_on}
        assert relied == set(INSTEAD_CARDS), form_id
        assert any("doctor" in s.text for s in form.instead), form_id
        grade = textstat.flesch_kincaid_grade(" ".join(s.text for s in form.instead))
        assert grade <= 8, (form_id, grade)


def test_the_instead_cards_are_the_projects_own_and_shown_on_every_salt() -> None:
    evidence, _ = load_evidence(ROOT)
    for card_id in INSTEAD_CARDS:
        card = evidence.card(card_id)
        assert (card.group, card.appearances, card.form) == ("instead", (), "magnesium")
        assert set(card.also_forms) == set(SALTS) - {"magnesium"}, card_id
        for form_id in SALTS:
            assert card in evidence.cards_of_form(form_id), (card_id, form_id)


def test_each_form_page_ends_its_bottom_line_with_the_instead_statements(
        real: tuple[Path, object]) -> None:
    site, evidence = real
    for form_id in SALTS:
        form = evidence.form(form_id)
        page = (site / form.url / "index.html").read_text("utf-8")
        block = re.search(r'<section [^>]*id="bottom-line".*?</section>', page, re.S).group(0)
        text = squash(block)
        last_answer = text.index(" ".join(form.bottom_line[-1].text.split()))
        heading = text.index("What has been shown to help")
        assert last_answer < heading, form_id
        for statement in form.instead:
            assert text.index(" ".join(statement.text.split())) > heading, form_id
        main = page[page.index("<article"):]
        assert main.index('id="instead"') < main.index("Claims we checked"), form_id


def test_the_home_page_says_each_instead_statement_once(real: tuple[Path, object]) -> None:
    """The home page lists the statements of every form once each: the salts share their
    wording, so the reader does not get the minoxidil finding twice in other words."""
    site, evidence = real
    home = (site / "index.html").read_text("utf-8")
    block = squash(re.search(r'<div class="ev-instead".*?</div>', home, re.S).group(0))
    texts = {" ".join(s.text.split()) for f in SALTS for s in evidence.form(f).instead}
    assert len(texts) == len(evidence.form("magnesium").instead)
    for text in texts:
        assert block.count(text) == 1, text
    assert block.lower().count("minoxidil") == 1


def test_page_one_of_each_handout_shows_the_instead_statements(
        tmp_path: Path) -> None:
    evidence, _ = load_evidence(ROOT)
    write_handouts(evidence, tmp_path, site_url="https://example.org/site/", paper="a4")
    for form_id in SALTS:
        page_one = " ".join(PdfReader(tmp_path / f"{form_id}.pdf").pages[0]
                            .extract_text().split())
        for statement in evidence.form(form_id).instead:
            first_words = " ".join(statement.text.split()[:6])
            assert first_words in page_one, (form_id, first_words, page_one)

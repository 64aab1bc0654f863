"""The built site answers first: bottom lines on the home and form pages, claim pages that lead
with the verdict and say it in their <title> and snippet, labels instead of slugs."""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import pytest

from generator.cli.build import build_site
from generator.core import vocab
from generator.core.load import load_evidence
from tests.conftest import ROOT, make_project


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    project = make_project(tmp_path_factory.mktemp("answer") / "project", ROOT / "content")
    return build_site(project, project / "site", with_pdf=False), load_evidence(project)[0]


def meta(html: str, attr: str, name: str) -> str:
    found = re.findall(rf'<meta {attr}="{re.escape(name)}" content="([^"]*)"', html)
    assert len(found) == 1, (name, found)
    return htmllib.unescape(found[0])


def text_of(html: str) -> str:
    main = html[html.index('<article'):html.index('</article>')]
    main = re.sub(r"</?abbr[^>]*>", "", main)  # a glossary term is a word in the text
    return htmllib.unescape(" ".join(re.sub(r"<[^>]+>", " ", main).split()))


def test_claim_pages_lead_with_the_verdict(real: tuple[Path, object]) -> None:
    site, evidence = real
    descriptions = set()
    for card in evidence.cards:
        html = (site / card.url / "index.html").read_text("utf-8")
        verdict = card.verdict_label
        title = htmllib.unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1))
        # verdict first, then the plain title: it fits a search result (about 60 characters)
        assert title.startswith(f"{verdict}: {card.plain_title}"), title
        assert len(f"{verdict}: {card.plain_title}") <= 90, title
        description = meta(html, "name", "description")
        assert description == f"{verdict}. {card.verdict_summary}"
        assert meta(html, "property", "og:description") == description
        assert meta(html, "property", "og:title") == f"{verdict}: {card.plain_title}"
        descriptions.add(description)
        text = text_of(html)
        n = len({a.source for a in card.appearances})
        if n:
            label = f"Claim, as stated in {n} article{'s' if n > 1 else ''}"
            assert text.index(label) < text.index(card.claim) < text.index(
                f"Verdict: {verdict}") < text.index("Where the claim appeared")
        else:  # the project's own card on what helps instead: no article made it
            assert card.group == "instead"
            assert text.index("not a claim from an article") < text.index(card.claim) < \
                text.index(f"Verdict: {verdict}")
            assert "Where the claim appeared" not in text
        block = re.search(r'<section [^>]*id="verdict".*?</section>', html, re.S).group(0)
        block = re.sub(r"</?abbr[^>]*>", "", block)  # a glossary term is a word of the text
        assert f"Verdict: {verdict}" in block and card.verdict_summary[:40] in htmllib.unescape(
            block)
        assert card.certainty_lead in block  # a fact's lead is in words of reference works
        assert ".." not in text.replace("...", ""), card.id  # "values).. RDAs"
        for slug in vocab.DOWNGRADES:
            assert f"({slug})" not in text, (card.id, slug)
    assert len(descriptions) == len(evidence.cards)  # one snippet per page


def test_form_and_home_pages_open_with_the_bottom_line(real: tuple[Path, object]) -> None:
    site, evidence = real
    home = (site / "index.html").read_text("utf-8")
    assert home.count('id="bottom-line"') == 1
    block = htmllib.unescape(re.search(r'<section [^>]*id="bottom-line".*?</section>', home,
                                       re.S).group(0))
    for form in evidence.forms:
        assert form.question in block
        for statement in form.bottom_line:
            assert statement.text in block
    main = home[home.index("<article"):]
    assert main.index('id="bottom-line"') < main.index("The verdicts so far")
    for form in evidence.forms:
        page = (site / form.url / "index.html").read_text("utf-8")
        assert page.count('id="bottom-line"') == 1
        main = page[page.index("<article"):]
        assert main.index('id="bottom-line"') < main.index("Claims we checked")
        assert htmllib.unescape(page).count(form.bottom_line[0].text) >= 1
        assert page.count("What the certainty means") == 1  # once, not once a row


def test_methodology_shows_labels_not_codes(real: tuple[Path, object]) -> None:
    site, _ = real
    html = (site / "methodology/index.html").read_text("utf-8")
    assert "\\-" not in html and "<code>" not in text_of(html)
    slugs = [s for s in (*vocab.VERDICTS, *vocab.DOWNGRADES, *vocab.CITATION_CHECKS)
             if "-" in s]
    for slug in slugs:
        assert slug not in text_of(html), slug


def test_about_page_says_who_how_money_and_corrections(real: tuple[Path, object]) -> None:
    site, _ = real
    text = text_of((site / "about/index.html").read_text("utf-8"))
    for words in ("volunteer", "no funding", "no ads", "no affiliate links", "open an issue",
                  "two weeks", "GitHub handle", "Evidence team"):
        assert words in text, words
    claim = (site / "claims/mgt-fphl-trial/index.html").read_text("utf-8")
    assert 'href="../../about/#corrections"' in claim
    assert '<a href="../../about/">Who\n  runs this audit, and how to report an error</a>' in claim


def test_claims_index_lists_every_claim_with_its_labels(real: tuple[Path, object]) -> None:
    site, evidence = real
    html = (site / "claims/index.html").read_text("utf-8")
    rows = [tuple(dict(re.findall(r'data-(\w+)="([^"]+)"', tr))[k]
                  for k in ("form", "verdict", "certainty", "citation"))
            for tr in re.findall(r"<tr data-[^>]*>", html)]
    assert sorted(rows) == sorted((" ".join(c.forms), c.verdict, c.certainty, c.citation_check)
                                  for c in evidence.cards)  # each form whose page shows it
    assert '<script src="../assets/javascripts/claims-filter.js"></script>' in html
    assert (site / "assets/javascripts/claims-filter.js").is_file()
    assert '<form id="ev-filter" class="ev-filter" hidden>' in html  # shown by the script


def test_counts_read_as_words(real: tuple[Path, object]) -> None:
    """"15 claims" and "1 claim", never "15 claim(s)", on every page a reader sees."""
    site, evidence = real
    pages = sorted(site.rglob("*.html"))
    clumsy = [(p.relative_to(site).as_posix(), m.group()) for p in pages
              for m in re.finditer(r"\b\d+ \w+\(s\)", text_of(p.read_text("utf-8"))
                                   if "<article" in p.read_text("utf-8") else "")]
    assert not clumsy, clumsy[:5]
    counts = {f.id: len([c for c in evidence.cards_of_form(f.id) if c.group != "instead"])
              for f in evidence.forms}
    one = [f for f in evidence.forms if counts[f.id] == 1]
    many = [f for f in evidence.forms if counts[f.id] > 1]
    assert one and many, "the real content has a form with one claim and one with more"
    form_page = text_of((site / "forms" / many[0].id / "index.html").read_text("utf-8"))
    claims = [c for c in evidence.cards_of_form(many[0].id) if c.group != "instead"]
    assert f"{len(claims)} claims from the articles:" in form_page
    home = text_of((site / "index.html").read_text("utf-8"))
    assert re.search(rf"{re.escape(one[0].name)} ?: 1 claim\b(?!\()", home), one[0].name


def _title(html: str) -> str:
    return htmllib.unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1)).strip()


def test_home_and_form_titles_carry_the_answer_and_every_page_its_own_description(
        real: tuple[Path, object]) -> None:
    """Issue 25: a search result shows the answer, and no two pages share a snippet."""
    site, evidence = real
    home = (site / "index.html").read_text("utf-8")
    assert _title(home).startswith("Magnesium and hair loss: no study shows that magnesium "
                                   "supplements help hair loss"), _title(home)
    assert meta(home, "name", "description").startswith("No study shows that magnesium")
    for form in evidence.forms:
        html = (site / form.url / "index.html").read_text("utf-8")
        assert form.answer, form.id
        assert _title(html).startswith(f"{form.name}: {form.answer[:1].lower()}"
                                       f"{form.answer[1:]}"), _title(html)
        if form.bottom_line:
            assert meta(html, "name", "description").startswith(form.question)
    seen: dict[str, Path] = {}
    for page in sorted(site.rglob("index.html")):
        if "assets" in page.parts or page.parent == site / "404":
            continue
        description = meta(page.read_text("utf-8"), "name", "description")
        assert description not in seen, (page, seen.get(description))
        seen[description] = page


def test_form_pages_are_boosted_in_the_sites_search(real: tuple[Path, object]) -> None:
    import json

    site, evidence = real
    index = json.loads((site / "search/search_index.json").read_text("utf-8"))
    boost = {d["location"]: d.get("boost", 1) for d in index["docs"]}
    for form in evidence.forms:
        assert boost[form.url] > 1, form.id
    assert all(boost[c.url] == 1 for c in evidence.cards)


def test_the_forms_index_gives_each_answer_and_counts_only_claims(
        real: tuple[Path, object]) -> None:
    """A reader scanning forms/ meets the answer, not "8 supported": the project's own cards
    on what helps instead are not claims, and a form is not "also called" its own name."""
    site, evidence = real
    html = (site / "forms" / "index.html").read_text("utf-8")
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)[1:]
    assert len(rows) == len(evidence.forms)
    for form, row in zip(evidence.forms, rows, strict=True):
        cells = {label: text_of(f"<article>{cell}</article>") for label, cell in re.findall(
            r'<td [^>]*data-label="([^"]+)"[^>]*>(.*?)</td>', row, re.S)}
        claims = [c for c in evidence.cards_of_form(form.id) if c.group != "instead"]
        assert cells["Form"] == form.name
        assert cells["In short"] == form.answer
        assert cells["Claims checked"] == str(len(claims))
        assert form.name.casefold() not in cells["Also called"].casefold().split(", ")

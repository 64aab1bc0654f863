"""Answer first, checked in Chromium as a reader would: the bottom line and the verdict are
above the fold on a desktop screen, nothing scrolls sideways on a phone, and the claims index
filters (also opened from file://, and whole without JavaScript).
Uses the site, server and browser of tests/test_browser.py (skipped or failing as it does)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests import test_browser as tb
from tests.test_browser import Visit

# The fixtures of tests/test_browser.py, shared: the same site, server and browser.
project, site, offline_site, base_url = tb.project, tb.site, tb.offline_site, tb.base_url
context, visit, evidence = tb.context, tb.visit, tb.evidence

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _above_the_fold(page: Any, selector: str) -> None:
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    assert box["y"] >= 0 and box["y"] + min(box["height"], 120) <= DESKTOP["height"], (
        selector, box)


def test_bottom_line_is_above_the_fold_on_home_and_form_pages(
        visit: Visit, base_url: str, evidence: Any) -> None:
    visit.page.set_viewport_size(DESKTOP)
    page = visit.open(base_url)
    _above_the_fold(page, "#bottom-line")
    first = evidence.forms[0]
    assert page.locator("#bottom-line").get_by_text(first.question).is_visible()
    _above_the_fold(page, f"#bottom-line >> text={first.question}")
    for form in evidence.forms:
        page = visit.open(base_url + form.url)
        _above_the_fold(page, "#bottom-line")
        # the question and the first statement are readable without scrolling
        _above_the_fold(page, "#bottom-line li >> nth=0")
        assert form.bottom_line[0].text in page.locator("#bottom-line").inner_text()


def test_verdict_is_above_the_fold_on_claim_pages(visit: Visit, base_url: str,
                                                 evidence: Any) -> None:
    visit.page.set_viewport_size(DESKTOP)
    longest = max(evidence.cards, key=lambda c: len(c.claim) + len(c.verdict_summary))
    for card in {longest.id: longest, evidence.cards[0].id: evidence.cards[0]}.values():
        page = visit.open(base_url + card.url)
        block = page.locator("#verdict")
        box = block.bounding_box()
        assert box is not None and box["y"] + box["height"] <= DESKTOP["height"], (card.id, box)
        assert block.locator(".ev-verdict").inner_text().startswith("Verdict: ")


def _overflow(page: Any) -> list[str]:
    """Elements wider than the screen, or scrolling sideways inside."""
    return page.evaluate("""() => {
        const w = document.documentElement.clientWidth, bad = [];
        if (document.documentElement.scrollWidth > w) bad.push("page " +
            document.documentElement.scrollWidth);
        for (const el of document.querySelectorAll(".md-content *")) {
            const r = el.getBoundingClientRect();
            if (r.width && (r.right > w + 1 || r.left < -1)) bad.push(el.tagName + "." +
                el.className + " " + Math.round(r.left) + ".." + Math.round(r.right));
            const style = getComputedStyle(el);
            if (el.scrollWidth > el.clientWidth + 1 && /auto|scroll/.test(style.overflowX))
                bad.push("scrolls: " + el.tagName + "." + el.className);
        }
        return bad.slice(0, 5);
    }""")


@pytest.mark.parametrize("name", ["home", "form", "claim", "article", "claims"])
def test_nothing_scrolls_sideways_on_a_phone(visit: Visit, base_url: str, evidence: Any,
                                            name: str) -> None:
    card = max(evidence.cards, key=lambda c: len(c.appearances))
    path = {"home": "", "form": evidence.forms[0].url, "claim": card.url,
            "article": evidence.source(card.appearances[0].source).page_url,
            "claims": "claims/"}[name]
    visit.page.set_viewport_size(PHONE)
    page = visit.open(base_url + path)
    page.wait_for_load_state("networkidle")
    assert _overflow(page) == []


def _shown(page: Any) -> int:
    return page.locator("#ev-claims-index tbody tr:visible").count()


def _filters(page: Any, evidence: Any) -> None:
    total = len(evidence.cards)
    assert page.locator("#ev-filter").is_visible()
    assert _shown(page) == total
    page.select_option("#ev-filter-verdict", "not-supported")
    assert _shown(page) == sum(c.verdict == "not-supported" for c in evidence.cards)
    page.select_option("#ev-filter-form", "magnesium-l-threonate")
    assert _shown(page) == sum(c.verdict == "not-supported" and "magnesium-l-threonate" in c.forms
                               for c in evidence.cards)  # its own claims and those it shows
    page.locator("#ev-filter button[type=reset]").click()
    page.wait_for_function(f"document.querySelectorAll('#ev-claims-index tbody tr:not([hidden])')"
                           f".length === {total}")
    page.select_option("#ev-filter-certainty", evidence.cards[0].certainty)
    assert _shown(page) == sum(c.certainty == evidence.cards[0].certainty
                               for c in evidence.cards)
    page.select_option("#ev-filter-certainty", "")
    page.select_option("#ev-filter-citation", "not-found")
    assert _shown(page) == sum(c.citation_check == "not-found" for c in evidence.cards)
    page.select_option("#ev-filter-citation", "")
    page.fill("#ev-filter-text", "threonate")  # in the claim, or in its form's names
    expected = sum("threonate" in f"{c.plain_title or ''} {c.claim} {' '.join(c.forms)}".lower()
                   for c in evidence.cards)
    assert _shown(page) == expected
    assert page.locator("#ev-filter-count").inner_text() == (
        f"Showing {expected} of {total} claims.")
    page.fill("#ev-filter-text", "zzzzqqq")
    assert _shown(page) == 0 and page.locator("#ev-filter-none").is_visible()


def test_claims_index_filters(visit: Visit, base_url: str, evidence: Any) -> None:
    page = visit.open(base_url + "claims/")
    _filters(page, evidence)
    assert visit.errors == []


def test_claims_index_filters_offline_from_file_urls(visit: Visit, offline_site: Path,
                                                    evidence: Any) -> None:
    page = visit.open(offline_site.as_uri() + "/claims/index.html")
    _filters(page, evidence)
    assert visit.errors == [] and visit.foreign("file://") == []


def test_claims_index_is_whole_without_javascript(visit: Visit, base_url: str,
                                                 evidence: Any) -> None:
    # the browser is one persistent context: JavaScript is turned off for this page alone
    visit.page.context.new_cdp_session(visit.page).send(
        "Emulation.setScriptExecutionDisabled", {"value": True})
    page = visit.open(base_url + "claims/")
    assert _shown(page) == len(evidence.cards)
    assert not page.locator("#ev-filter").is_visible()  # no controls that cannot work


@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize("path", ["claims/", "about/", "forms/"])
def test_new_pages_have_no_serious_accessibility_violations(visit: Visit, base_url: str,
                                                           path: str, scheme: str) -> None:
    page = visit.open(base_url + path)
    page.wait_for_load_state("networkidle")
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; "
                               "animation: none !important; }")
    page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)
    violations = tb._axe(page)
    assert violations == [], "\n".join(
        f"{v['impact']}: {v['id']} ({v['help']}) at {v['nodes']}" for v in violations)


def test_each_form_pages_first_phone_screen_gives_the_answer(
        visit: Visit, base_url: str, evidence: Any) -> None:
    """Issue 24: on a phone the first screen holds the reader's question and the start of the
    bottom line; what helps instead ends the bottom line; and skimming the badges of the
    claims about hair gives the bottom line's answer (nothing there reads as good news)."""
    visit.page.set_viewport_size(PHONE)
    for form in [f for f in evidence.forms if f.bottom_line]:
        page = visit.open(base_url + form.url)
        question = page.locator("#bottom-line h2").first
        first = page.locator("#bottom-line li").first
        for element in (question, first):
            box = element.bounding_box()
            assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= \
                PHONE["height"], (form.id, box)
        assert question.inner_text().strip().rstrip("¶").strip() == form.question
        if form.instead:
            block = page.locator("#bottom-line .ev-instead")
            assert form.instead[0].text in block.inner_text(), form.id
        # the table under the heading "Claims about its effect on hair" (and its note)
        hair = page.locator("#group-outcome + p + table .ev-verdict").all_inner_texts()
        assert hair or not [c for c in evidence.cards_of_form(form.id)
                            if c.group == "outcome"], form.id
        good_news = [t for t in hair if t in ("Verdict: Supported", "Verdict: Partly supported")]
        assert not good_news, (form.id, good_news)


def test_the_sites_search_finds_the_form_page_first(visit: Visit, base_url: str) -> None:
    """Issue 25: "threonate" finds the magnesium L-threonate page before its claims."""
    visit.page.set_viewport_size(DESKTOP)
    page = visit.open(base_url)
    page.locator("input.md-search__input").first.click()
    page.locator("input.md-search__input").fill("threonate")
    results = page.locator(".md-search-result__item > a")
    results.first.wait_for(timeout=10_000)
    hrefs = [h or "" for h in (a.get_attribute("href") for a in results.all())]
    pages = [h.split("#")[0] for h in hrefs]
    assert "/forms/" in pages[0], pages
    claims = [i for i, h in enumerate(pages) if "/claims/" in h]
    mgt = pages.index(next(h for h in pages if h.endswith("/forms/magnesium-l-threonate/")))
    assert not claims or mgt < claims[0], pages


def _on_first_screen(page: Any, selector: str) -> None:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    assert box["y"] >= 0 and box["y"] + min(box["height"], 60) <= PHONE["height"], (
        selector, box)


def test_the_first_phone_screen_of_each_page_type_shows_what_it_is_for(
        visit: Visit, base_url: str, evidence: Any) -> None:
    """Issue 25: on a 390 px screen, without scrolling, the home page shows the first
    question and its answer, a claim page its verdict, the claims index its filters, an
    article page its title and what we found, the forms index its first form."""
    visit.page.set_viewport_size(PHONE)
    page = visit.open(base_url)
    _on_first_screen(page, "#bottom-line h2")
    _on_first_screen(page, "#bottom-line li")
    card = max(evidence.cards, key=lambda c: len(c.claim))  # the longest claim
    page = visit.open(base_url + card.url)
    _on_first_screen(page, "#verdict .ev-verdict")
    page = visit.open(base_url + "claims/")
    _on_first_screen(page, "form select, form input")
    source = evidence.sources[0]
    page = visit.open(base_url + source.page_url)
    _on_first_screen(page, "h1")
    page = visit.open(base_url + "forms/")
    _on_first_screen(page, f'a[href*="{evidence.forms[0].id}"]')

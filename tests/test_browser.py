"""The built site in a real browser: Debian's Chromium driven by Playwright.

Pages load without console errors and ask nothing of any other host; badges show; search
finds a claim; the handout link serves a PDF; dark mode toggles; an offline build works from
file://; axe-core finds no serious or critical accessibility violation.
Needs `make browser-deps` (chromium, playwright, axe-core); CI fails instead of skipping.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator import load_evidence
from generator.cli.build import build_site
from tests.conftest import ROOT, make_project

CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 20_000


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is not installed (apt-get install chromium chromium-driver)"
    if not AXE.is_file():
        return f"{AXE} is missing (npm ci --prefix tests/browser)"
    return None


if (_reason := _missing()) is not None:
    if os.environ.get("CI"):
        raise RuntimeError(f"browser tests cannot run in CI: {_reason}; run make browser-deps")
    pytest.skip(f"{_reason}; run `make browser-deps`", allow_module_level=True)

from playwright.sync_api import Page, sync_playwright  # noqa: E402

# --- the site, a local server and the browser ----------------------------------------------

@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content, so the browser sees what readers see."""
    return make_project(tmp_path_factory.mktemp("browser") / "project", ROOT / "content")


@pytest.fixture(scope="module")
def site(project: Path) -> Path:
    return build_site(project, project / "site", with_pdf=True)


@pytest.fixture(scope="module")
def offline_site(project: Path) -> Path:
    return build_site(project, project / "site-offline", with_pdf=False, offline=True)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    profile = tmp_path_factory.mktemp("chromium-profile")  # a fresh --user-data-dir
    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        ctx.set_default_timeout(TIMEOUT_MS)
        try:
            yield ctx
        finally:
            ctx.close()
    shutil.rmtree(profile, ignore_errors=True)


class Visit:
    """A page with every console error, page error and request it made."""

    def __init__(self, context: Any):
        self.page: Page = context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def open(self, url: str) -> Page:
        response = self.page.goto(url, wait_until="load")
        assert response is None or response.ok, f"{url}: HTTP {response.status}"
        return self.page

    def foreign(self, *allowed_prefixes: str) -> list[str]:
        """Requests to anything but the given prefixes (and in-page data:, blob:, about:)."""
        own = (*allowed_prefixes, "data:", "blob:", "about:")
        return [u for u in self.requests if not u.startswith(own)]


@pytest.fixture
def visit(context: Any) -> Iterator[Visit]:
    v = Visit(context)
    try:
        yield v
    finally:
        v.page.close()


@pytest.fixture(scope="module")
def evidence(project: Path) -> Any:
    return load_evidence(project)[0]


def main_pages(evidence: Any) -> dict[str, str]:
    card = evidence.cards[0]
    return {
        "home": "",
        "form": evidence.forms[0].url,
        "claim": card.url,
        "article": evidence.source(card.appearances[0].source).page_url,
        "references": "references/",
        "data": "data/",
        "methodology": "methodology/",
    }


# --- pages as readers meet them -------------------------------------------------------------

@pytest.mark.parametrize("name", ["home", "form", "claim", "article", "references", "data"])
def test_page_loads_clean_and_asks_no_other_host(visit: Visit, base_url: str, evidence: Any,
                                                name: str) -> None:
    page = visit.open(base_url + main_pages(evidence)[name])
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").first.is_visible()
    assert visit.errors == []
    assert visit.foreign(base_url) == []


def test_badges_are_visible_and_say_what_they_mean(visit: Visit, base_url: str,
                                                  evidence: Any) -> None:
    card = evidence.cards[0]
    page = visit.open(base_url + card.url)
    verdict = page.locator(".md-content .ev-verdict").first
    certainty = page.locator(".md-content .ev-certainty").first
    assert verdict.is_visible() and certainty.is_visible()
    from generator.core import vocab

    assert verdict.inner_text() == f"Verdict: {vocab.VERDICTS[card.verdict]}"
    assert certainty.inner_text() == f"Certainty: {vocab.CERTAINTY_LABELS[card.certainty]}"
    home = visit.open(base_url)
    assert home.locator(".md-content .ev-verdict").count() >= 1
    assert home.locator(".md-content .ev-verdict").first.is_visible()


def _distinctive_word(evidence: Any) -> tuple[str, Any]:
    """A long word of one claim that no other claim contains."""
    for card in evidence.cards:
        for word in sorted(set(re.findall(r"[A-Za-z]{8,}", card.claim)), key=len, reverse=True):
            if sum(word.lower() in c.claim.lower() for c in evidence.cards) == 1:
                return word, card
    raise AssertionError("no claim has a word of its own")


def _search(page: Page, word: str) -> Any:
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially(word, delay=10)
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(state="visible")
    return results


def test_search_finds_a_claim_by_a_word_of_its_text(visit: Visit, base_url: str,
                                                    evidence: Any) -> None:
    word, card = _distinctive_word(evidence)
    page = visit.open(base_url)
    results = _search(page, word)
    hrefs = [results.nth(i).get_attribute("href") or "" for i in range(results.count())]
    assert any(h.rstrip("/").endswith(card.url.rstrip("/")) or card.url in h for h in hrefs), (
        word, hrefs)
    assert visit.errors == []


def test_handout_link_serves_a_pdf(visit: Visit, base_url: str, site: Path,
                                   evidence: Any) -> None:
    page = visit.open(base_url + evidence.forms[0].url)
    link = page.locator("a[href$='.pdf']").first
    assert link.is_visible()
    url = link.evaluate("a => a.href")
    response = page.request.get(url)
    assert response.ok, url
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")


def test_dark_mode_toggles(visit: Visit, base_url: str) -> None:
    page = visit.open(base_url)
    page.evaluate("localStorage.clear()")
    page.reload()

    def scheme() -> str | None:
        return page.evaluate("document.body.getAttribute('data-md-color-scheme')")

    toggle = page.locator("form[data-md-component=palette] label:visible").first
    assert scheme() == "default"
    toggle.click()
    assert scheme() == "slate"
    page.reload()
    assert scheme() == "slate"  # the choice is kept
    page.locator("form[data-md-component=palette] label:visible").first.click()
    assert scheme() == "default"
    assert visit.errors == []


def test_offline_build_works_from_file_urls(visit: Visit, offline_site: Path,
                                            evidence: Any) -> None:
    home = offline_site.as_uri() + "/index.html"
    page = visit.open(home)
    page.get_by_role("link", name="Forms").first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/forms/index.html")
    assert page.locator("h1").first.inner_text().rstrip("¶") == "Supplement forms"
    card = evidence.cards[0]
    page.goto(offline_site.as_uri() + "/" + card.url.rstrip("/") + ".html")
    assert page.locator("h1").first.is_visible()
    word, found = _distinctive_word(evidence)
    results = _search(page, word)
    target = results.first.evaluate("a => a.href")
    assert target.startswith("file://") and target.split("#")[0].endswith(
        found.url.rstrip("/") + ".html")
    assert visit.errors == []
    assert visit.foreign("file://") == []  # nothing from any host at all


# --- accessibility ------------------------------------------------------------------------

def _axe(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ["violations"]});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
    }""")
    return [v for v in result if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize("name", ["home", "form", "claim", "article", "references",
                                  "methodology", "data"])
def test_no_serious_accessibility_violations(visit: Visit, base_url: str, evidence: Any,
                                             name: str, scheme: str) -> None:
    page = visit.open(base_url + main_pages(evidence)[name])
    page.wait_for_load_state("networkidle")
    # The theme fades colours (transitions): measure the colours readers end up with.
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; "
                               "animation: none !important; }")
    page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)
    violations = _axe(page)
    assert violations == [], "\n".join(
        f"{v['impact']}: {v['id']} ({v['help']}) at {v['nodes']}" for v in violations)

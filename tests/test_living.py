"""Living evidence (issue 28) as a reader sees it: the real content's change notes on claim,
form and home pages, and the Atom feed that follows them, in a site built in a temp folder."""

from __future__ import annotations

import html as htmllib
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.cli.build import build_site
from generator.core.changes import change_log, long_date
from generator.core.load import load_evidence
from tests.conftest import ROOT, make_project

ATOM = "{http://www.w3.org/2005/Atom}"
DPC = "mgt-exp-dermatol-dpc"
SITE_URL = "https://magnesium-evidence.github.io/hair-claims/"


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    project = make_project(tmp_path_factory.mktemp("living") / "project", ROOT / "content")
    return build_site(project, project / "site", with_pdf=False), load_evidence(project)[0]


def text_of(html: str) -> str:
    main = html[html.index("<article"):html.index("</article>")]
    main = re.sub(r"</?abbr[^>]*>", "", main)  # glossary terms are inline
    text = htmllib.unescape(" ".join(re.sub(r"<[^>]+>", " ", main).split()))
    return text.replace(" :", ":")  # "<a>title</a>: note"


def test_claim_page_shows_its_latest_note_beside_the_verdict_and_all_at_the_end(
        real: tuple[Path, object]) -> None:
    site, evidence = real
    card = evidence.card(DPC)
    html = (site / card.url / "index.html").read_text("utf-8")
    block = htmllib.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"</?abbr[^>]*>", "", re.search(
        r'<section [^>]*id="verdict".*?</section>', html, re.S).group(0))))
    block = " ".join(block.split())
    assert f"Updated 2 December 2026: {card.changes[0].note}" in block
    text = text_of(html)
    history = text.rindex("Changes to this page")
    assert text.index("References") < history
    assert f"2 December 2026: {card.changes[0].note}" in text[history:]


def test_claim_page_without_notes_shows_no_update(real: tuple[Path, object]) -> None:
    site, evidence = real
    card = next(c for c in evidence.cards if not c.changes)
    text = text_of((site / card.url / "index.html").read_text("utf-8"))
    assert "Updated " not in text and "Changes to this page" not in text


def test_form_and_home_pages_list_recent_changes(real: tuple[Path, object]) -> None:
    site, evidence = real
    card = evidence.card(DPC)
    form_html = (site / "forms" / card.form / "index.html").read_text("utf-8")
    form_text = text_of(form_html)
    assert "Recent changes" in form_text
    recent = form_text[form_text.index("Recent changes"):]
    assert f"2 December 2026 — {card.title}: {card.changes[0].note}" in recent
    assert f'href="../../claims/{DPC}/"' in form_html[form_html.index("Recent changes"):]
    other = next(f for f in evidence.forms
                 if not any(c.changes for c in evidence.cards_of_form(f.id)))
    assert "Recent changes" not in text_of(
        (site / "forms" / other.id / "index.html").read_text("utf-8"))
    home = (site / "index.html").read_text("utf-8")
    home_text = text_of(home)
    assert "Recent changes" in home_text
    recent = home_text[home_text.index("Recent changes"):home_text.index("Every change")]
    assert recent.count(" 2026 — ") == 5  # the five newest notes, newest first
    def shown(n: object) -> str:
        return (f"{long_date(n.date)} — " + (f"{n.form}: " if n.form else "")
                + f"{n.title}: {n.note}")

    log = change_log(evidence)
    assert [d.date for d in log] == sorted((d.date for d in log), reverse=True)
    assert recent.index(shown(log[0])) < recent.index(shown(log[1])) < recent.index(
        shown(log[4]))
    assert 'href="feed.xml"' in home


def test_feed_has_every_note_newest_first_linking_to_the_changed_page(
        real: tuple[Path, object]) -> None:
    site, evidence = real
    root = ET.parse(site / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None, required
    entries = root.findall(f"{ATOM}entry")
    notes = [(n.date, c) for c in evidence.cards for n in c.changes]
    notes += [(n.date, f) for f in evidence.forms for n in f.changes]
    assert len(entries) == len(notes) > 20
    dates = [e.find(f"{ATOM}updated").text for e in entries]
    assert dates == sorted(dates, reverse=True)
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(set(ids)) == len(ids)
    dpc = next(e for e in entries if e.find(f"{ATOM}link").get("href").endswith(
        f"claims/{DPC}/"))
    assert dpc.find(f"{ATOM}link").get("href") == SITE_URL + f"claims/{DPC}/"
    assert evidence.card(DPC).changes[0].note in dpc.find(f"{ATOM}summary").text
    assert dpc.find(f"{ATOM}title").text == (
        f"Magnesium L-threonate: {evidence.card(DPC).title} (updated 2 December 2026)")
    assert dpc.find(f"{ATOM}updated").text.startswith("2026-12-02")
    for entry in entries:
        for required in ("id", "title", "updated", "link", "summary"):
            assert entry.find(f"{ATOM}{required}") is not None, required


def test_every_page_announces_the_feed(real: tuple[Path, object]) -> None:
    site, _ = real
    pages = sorted(site.rglob("index.html"))
    assert len(pages) > 60
    for page in pages:
        html = page.read_text("utf-8")
        found = re.findall(r'<link [^>]*type="application/atom\+xml"[^>]*>', html)
        assert len(found) == 1, page
        assert 'rel="alternate"' in found[0]
        href = re.search(r'href="([^"]+)"', found[0]).group(1)
        assert (page.parent / href).resolve() == (site / "feed.xml").resolve() or \
            href == SITE_URL + "feed.xml", (page, href)


def test_the_corrections_policy_points_at_the_notes_and_the_feed(
        real: tuple[Path, object]) -> None:
    site, _ = real
    about = (site / "about" / "index.html").read_text("utf-8")
    policy = text_of(about)[text_of(about).index("How a correction shows"):]
    assert "Updated 2 December 2026" in policy and "feed of changes" in policy
    assert 'href="../feed.xml"' in about


def test_the_offline_copy_links_the_feed_beside_it(project: Path) -> None:
    """The copy for file:// has the feed and links it from the home page, but announces no
    <link rel="alternate">: mkdocs-material would fetch sitemap.xml for it, which a browser
    refuses from file:// (tests/test_browser.py checks the console)."""
    site = build_site(project, project / "site", with_pdf=False, offline=True)
    page = site / "claims" / "mgt-fphl-trial.html"
    assert "application/atom+xml" not in page.read_text("utf-8")
    home = (site / "index.html").read_text("utf-8")
    href = re.search(r'<a href="([^"]*feed\.xml)"', home).group(1)
    assert (site / href).resolve() == (site / "feed.xml").resolve()
    assert ET.parse(site / "feed.xml").getroot().tag == f"{ATOM}feed"

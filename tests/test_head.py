"""The head belongs to the core (issue 26, section 3): the title, description, Open Graph tags
and JSON-LD of every page come from generator/outputs/head.py, escaped for their context, under
every engine, whatever the theme prints and with no main.html override."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.outputs.head import HeadValues, head_values, set_head
from tests.conftest import FIXTURE, edit, evidence_cli

# A verdict summary or question that would leave the attribute it is printed in.
PAYLOAD = 'x" http-equiv="refresh" content="0;url=https://evil.example/'


class Head(HTMLParser):
    """The elements of a page's <head>, as a browser reads them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.metas: list[dict[str, str | None]] = []
        self.titles: list[str] = []
        self.scripts: list[str] = []
        self._in: str | None = None
        self._done = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._done:
            return
        if tag == "meta":
            self.metas.append(dict(attrs))
        elif tag == "title":
            self._in, _ = "title", self.titles.append("")
        elif tag == "script" and ("type", "application/ld+json") in attrs:
            self._in, _ = "script", self.scripts.append("")
        elif tag == "body":
            self._done = True

    def handle_endtag(self, tag: str) -> None:
        self._in = None
        self._done = self._done or tag == "head"

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.titles[-1] += data
        elif self._in == "script":
            self.scripts[-1] += data

    def meta(self, key: str, value: str) -> list[str | None]:
        return [m.get("content") for m in self.metas if m.get(key) == value]


def _values(**kw: str) -> HeadValues:
    base = {"site_name": "S", "title": "T - S", "og_title": "T", "description": "D", "url": "",
            "article": "True", "jsonld": ""}
    base.update(kw)
    return HeadValues(**{**base, "article": base["article"] == "True"})  # type: ignore[arg-type]


THEME = ('<html><head><meta charset="utf-8">\n<meta name="description" content="{desc}">\n'
         '<title>{title}</title>\n<meta property="og:title" content="old">\n'
         '<script type="application/ld+json">{{"old": 1}}</script>\n</head><body>'
         '<meta name="description" content="in the body: kept"></body></html>')


def test_what_the_theme_printed_raw_is_replaced_by_the_core_escaped() -> None:
    raw = THEME.format(desc=PAYLOAD, title="A </title><script>x</script>")
    out = set_head(raw, _values(description=PAYLOAD, title='A "q" <5 & co - S',
                                jsonld='{"@type": "ClaimReview"}'))
    head = Head(out)
    assert [m for m in head.metas if "http-equiv" in m] == []
    assert head.meta("name", "description") == [PAYLOAD]
    assert head.meta("property", "og:description") == [PAYLOAD]
    assert head.meta("property", "og:title") == ["T"]
    assert head.titles == ['A "q" <5 & co - S']
    assert head.scripts == ['{"@type": "ClaimReview"}']
    assert out.startswith('<html><head><meta charset="utf-8">')
    assert 'content="in the body: kept"' in out


def test_the_head_is_set_once_however_often() -> None:
    once = set_head(THEME.format(desc="d", title="t"), _values())
    assert set_head(once, _values()) == once


def test_values_follow_the_page() -> None:
    claim = head_values({"title": "Not supported: x", "description": "Not supported. y",
                         "evidence_jsonld": "{}"}, "ignored", False, "S", "site", "https://e/c/")
    assert (claim.title, claim.og_title, claim.description, claim.article) == (
        "Not supported: x - S", "Not supported: x", "Not supported. y", True)
    page = head_values({}, "About <b>us</b>", False, "S", "site", "")
    assert (page.title, page.description, page.article) == ("About us - S", "site", False)
    home = head_values({}, "Home", True, "S", "site", "")
    assert (home.title, home.og_title) == ("S", "S")


@pytest.fixture(scope="module")
def init_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new `evidence init` site (no main.html) with the fixture's content, a quote in its
    title and topic and the payload in a verdict summary."""
    site = tmp_path_factory.mktemp("head") / "site"
    made = evidence_cli("init", str(site), "--title", 'Vitamin "D" audit', "--topic",
                        'vitamin "D"', "--outcome", 'energy "levels"', cwd=site.parent)
    assert made.returncode == 0, made.stderr
    shutil.rmtree(site / "content/cards")
    for part in ("cards", "forms", "sources", "references.bib"):
        src = FIXTURE / "content" / part
        (shutil.copytree if src.is_dir() else shutil.copy)(src, site / "content" / part,
                                                          **({"dirs_exist_ok": True}
                                                             if src.is_dir() else {}))
    edit(site, "  No study matching", f"  {PAYLOAD} No study matching",
         "content/cards/mgt-fphl-trial.yaml")
    form = site / "content/forms/magnesium-l-threonate.yaml"
    form.write_text(form.read_text(encoding="utf-8") + QUESTION, encoding="utf-8")
    return site


# A form's question and bottom line make its page's description.
QUESTION = f"""question: 'Does it help "{PAYLOAD}"?'
bottom_line:
  - text: No trial has tested it in women with hair loss.
    relies_on:
      - card: mgt-fphl-trial
        verdict: not-supported
"""


@pytest.mark.parametrize("engine", ["zensical", "mkdocs"])
def test_every_page_head_is_well_formed_under_every_engine(init_site: Path,
                                                           engine: str) -> None:
    out = init_site / f"out-{engine}"
    result = evidence_cli("build", "--no-pdf", "--engine", engine, "--out", str(out),
                          cwd=init_site)
    assert result.returncode == 0, result.stderr
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        head = Head(page.read_text("utf-8"))
        where = page.relative_to(out).as_posix()
        assert [m for m in head.metas if "http-equiv" in m] == [], where
        assert len(head.titles) == 1, where
        described = head.meta("name", "description")
        assert len(described) == 1 and head.meta("property", "og:description") == described, \
            where
        assert len(head.meta("property", "og:title")) == 1, where
        assert len(head.scripts) <= 1, where
    claim = Head((out / "claims/mgt-fphl-trial/index.html").read_text("utf-8"))
    assert claim.meta("name", "description")[0].startswith(f"Not supported. {PAYLOAD} No study")
    assert claim.titles[0].startswith("Not supported: A study") and \
        claim.titles[0].endswith(' - Vitamin "D" audit')
    assert len(claim.scripts) == 1
    form = Head((out / "forms/magnesium-l-threonate/index.html").read_text("utf-8"))
    assert form.meta("name", "description") == [
        f'Does it help "{PAYLOAD}"? No trial has tested it in women with hair loss.']
    home = Head((out / "index.html").read_text("utf-8"))
    assert 'vitamin "D"' in home.meta("name", "description")[0]  # the topic's quote, whole


def test_the_feed_is_announced_relative_to_the_page_once() -> None:
    """Issue 28: every page announces the feed of changes, from the core's head."""
    from dataclasses import replace

    from generator.outputs.head import feed_href, set_head

    html = ('<head><title>T</title><link rel="alternate" type="application/atom+xml" '
            'href="theme.xml">\n</head><body></body>')
    values = replace(head_values({}, "T", False, "A & B", "", ""), feed=feed_href("claims/x/"))
    out = set_head(html, values)
    assert out.count("application/atom+xml") == 1
    assert ('<link rel="alternate" type="application/atom+xml" title="A &amp; B: changes" '
            'href="../../feed.xml">') in out
    assert feed_href("") == "feed.xml"
    assert feed_href("claims/x.html") == ""  # the copy for file:// (see feed_href)
    assert set_head(out, values) == out

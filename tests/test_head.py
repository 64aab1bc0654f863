"""engines/head.py: the plugin escapes what mkdocs-material prints unescaped and adds JSON-LD,
so that a site needs no main.html override; a page already escaped is left as it is."""

from __future__ import annotations

from types import SimpleNamespace

from generator.engines.head import fix_head


def _page(**meta: str) -> SimpleNamespace:
    return SimpleNamespace(meta=meta, title=meta.get("title"), is_homepage=False)


RAW = ('<head><title>A <b>&</b> - Site & co</title>'
       '<meta name="description" content="x" onload="y">\n</head><body></body>')


def test_title_and_description_printed_raw_are_escaped() -> None:
    page = _page(title="A <b>&</b>", description='x" onload="y')
    out = fix_head(RAW, page, "Site & co")
    assert "<title>A &lt;b&gt;&amp;&lt;/b&gt; - Site &amp; co</title>" in out
    assert '<meta name="description" content="x&quot; onload=&quot;y">' in out


def test_the_site_description_is_escaped_where_a_page_has_none() -> None:
    html = '<head><meta name="description" content="a "b" c">\n</head>'
    out = fix_head(html, _page(), "", 'a "b" c')
    assert '<meta name="description" content="a &quot;b&quot; c">' in out


def test_json_ld_is_added_once() -> None:
    page = _page(title="T", evidence_jsonld='{"@type": "ClaimReview"}')
    out = fix_head("<head>\n</head>", page, "S")
    assert out.count('<script type="application/ld+json">{"@type": "ClaimReview"}</script>') == 1
    assert fix_head(out, page, "S") == out  # a theme template that adds it already: once


def test_an_escaped_page_is_left_as_it_is() -> None:
    html = "<head><title>A &amp; B - S</title>\n</head>"
    assert fix_head(html, _page(title="A & B"), "S") == html


def test_the_feed_is_announced_relative_to_the_page_once() -> None:
    from generator.engines.head import announce_feed

    html = "<head><title>T</title>\n</head>"
    claim = announce_feed(html, "claims/x/", "A & B")
    assert ('<link rel="alternate" type="application/atom+xml" title="A &amp; B: changes" '
            'href="../../feed.xml">') in claim
    assert 'href="../feed.xml"' in announce_feed(html, "claims/x.html", "S")  # offline
    assert 'href="feed.xml"' in announce_feed(html, "", "S")
    assert announce_feed(claim, "claims/x/", "S") == claim  # the theme's own link is kept

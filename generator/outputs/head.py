"""Each page's head: its <title>, description, Open Graph tags and JSON-LD, made here and
escaped for their context, the same under every engine and theme.

Themes print some of these themselves, and unescaped (mkdocs-material's and Zensical's
base.html print the description into an attribute as it is: a `"` in it adds attributes).
`set_head` reads the built page's <head> as a browser does, drops every title, description,
Open Graph tag, JSON-LD script and feed link the theme printed, and puts the core's before
</head>. The MkDocs plugin calls it on each page it renders; `evidence build --engine
zensical` on each page of Zensical's site. No theme override (main.html) is needed. Pure
string functions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from typing import Any

from markupsafe import Markup

from generator.outputs.jsonld import script_safe


@dataclass(frozen=True)
class HeadValues:
    """What a page's head says. title (and og_title) None: the title the theme gave the page
    (a page the generator did not make, under an engine that has no plugin)."""

    site_name: str
    title: str | None
    og_title: str | None
    description: str
    url: str = ""
    article: bool = False
    jsonld: str = ""
    feed: str = ""  # the Atom feed of changes, relative to the page (feed_href)


def feed_href(page_url: str) -> str:
    """feed.xml at the site's root, relative to a page at page_url ("claims/x/"); none for a
    page of a copy made to open from file:// ("claims/x.html"): mkdocs-material reads every
    <link rel="alternate"> as another language of the site and fetches sitemap.xml for it,
    which a browser refuses from file:// (the home page links the feed all the same)."""
    if page_url.endswith(".html"):
        return ""
    return "../" * page_url.count("/") + "feed.xml"


def head_values(meta: Mapping[str, Any], page_title: str | None, is_home: bool,
                site_name: str, site_description: str, url: str) -> HeadValues:
    """A page's head values, from its front matter (title, description, evidence_jsonld), its
    title (the engine's, as HTML) and the site's name and description, as the theme would
    choose them: a page's own title, then the site's name."""
    site = site_name or ""
    if meta.get("title"):
        own = str(meta["title"])
    elif page_title and not is_home:
        own = Markup(page_title).striptags()
    else:
        own = ""
    return HeadValues(site_name=site, title=f"{own} - {site}" if own else site,
                      og_title=own or site,
                      description=str(meta.get("description") or site_description or ""),
                      url=url or "", article=bool(meta.get("title")),
                      jsonld=str(meta.get("evidence_jsonld") or ""))


def head_html(values: HeadValues, theme_title: str = "") -> str:
    """The head elements, each on its own line, escaped for where it stands."""
    title = values.title if values.title is not None else theme_title
    og_title = values.og_title if values.og_title is not None else title.removesuffix(
        f" - {values.site_name}")
    tags = [f"<title>{escape(title, quote=False)}</title>"]
    if values.description:
        tags.append(f'<meta name="description" content="{escape(values.description)}">')
    tags += [f'<meta property="og:title" content="{escape(og_title)}">']
    if values.description:
        tags.append(f'<meta property="og:description" content="{escape(values.description)}">')
    tags += [f'<meta property="og:type" content="{"article" if values.article else "website"}">',
             f'<meta property="og:site_name" content="{escape(values.site_name)}">']
    if values.url:
        tags.append(f'<meta property="og:url" content="{escape(values.url)}">')
    if values.jsonld:
        tags.append(f'<script type="application/ld+json">{script_safe(values.jsonld)}</script>')
    if values.feed:
        tags.append(f'<link rel="alternate" type="application/atom+xml" '
                    f'title="{escape(values.site_name)}: changes" href="{escape(values.feed)}">')
    return "".join(f"{tag}\n" for tag in tags)


def set_head(html: str, values: HeadValues) -> str:
    """The page with the head elements of values in place of the theme's."""
    found = _HeadReader(html)
    if found.end is None:
        return html  # not a page with a head (a fragment, a redirect stub)
    out, at = [], 0
    for start, end in found.spans:
        out.append(html[at:start])
        at = _after_space(html, end)
    tail = html[at:]
    end = found.end - at
    fragment = head_html(values, " ".join(found.title.split()))
    return "".join(out) + tail[:end] + fragment + tail[end:]


def _after_space(html: str, at: int) -> int:
    match = re.compile(r"[ \t]*\n?").match(html, at)
    return match.end() if match else at


class _Stop(Exception):
    pass


class _HeadReader(HTMLParser):
    """The spans of the theme's head elements (title, description, og:*, JSON-LD), the
    title's text, and where </head> (or <body>) starts, as a browser's tokenizer finds them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.html = html
        body = html.find("<body")  # the head is read, not the page (no text holds "<body")
        head = html if body < 0 else html[:body + len("<body>")]
        self.lines = [0, *(m.end() for m in re.finditer("\n", head))]
        self.spans: list[tuple[int, int]] = []
        self.title = ""
        self.end: int | None = None
        self._open: tuple[str, int] | None = None
        try:
            self.feed(head)
            self.close()
        except _Stop:
            pass

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        found = {k: (v or "").lower() for k, v in attrs}
        if tag == "body":
            self.end = start
            raise _Stop
        described = tag == "meta" and (found.get("name") == "description"
                                       or found.get("property", "").startswith("og:"))
        feed = tag == "link" and found.get("type") == "application/atom+xml"
        if described or feed:
            self.spans.append((start, start + len(self.get_starttag_text() or "")))
        elif tag == "title" or (tag == "script" and found.get("type") == "application/ld+json"):
            self._open = (tag, start)

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag == self._open[0]:
            close = self.html.find(">", self._offset())
            self.spans.append((self._open[1], close + 1 if close >= 0 else len(self.html)))
            self._open = None
        elif tag == "head":
            self.end = self._offset()
            raise _Stop

    def handle_data(self, data: str) -> None:
        if self._open and self._open[0] == "title":
            self.title += data

"""A MkDocs page whose source is HTML already: claim, form and article pages (render.Html).

Converting a claim page from Markdown took MkDocs ~4 ms, a third of the page's build; with
the form and article pages, half of a large site's build. HtmlPage.render does for our
HTML what Page.render does for Markdown after converting it:
- headings get ids and permalinks as the toc extension gives them (its slugify, separator,
  permalink, permalink_title and permalink_class from mkdocs.yml) and make the page's table of
  contents; the first h1 is the title;
- links are resolved and checked by MkDocs' own resolver: the same URLs, the same warnings
  (a strict build fails on a broken link), the same check of links to anchors.
It reads only what our templates write: the regular expressions below match their plain
`<h2>`, `<a href="…">` and `id="…"`, and contributors' text is escaped, so it holds no tag.
"""

from __future__ import annotations

import html
import re
from typing import Any

from markdown.extensions.toc import nest_toc_tokens, slugify, strip_tags, unique
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page, _RelativePathTreeprocessor
from mkdocs.structure.toc import get_toc

HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.S)
LINK = re.compile(r'(<a\s[^>]*?href=")([^"]*)(")')
ID = re.compile(r'\sid="([^"]*)"')


class HtmlPage(Page):
    def render(self, config: Any, files: Files) -> None:
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        # A private class of MkDocs (pinned < 2): the resolver of Page.render, so that links
        # here become the URLs, and give the warnings, that they would in Markdown.
        resolver = _RelativePathTreeprocessor(self.file, files, config)
        content = LINK.sub(lambda m: _resolved(m, resolver), self.markdown)
        ids = set(ID.findall(content))
        content, tokens = _anchored(content, ids, config.mdx_configs.get("toc", {}))
        self.content = content
        self._title_from_render = next((t["name"] for t in tokens if t["level"] == 1), None)
        self.toc = get_toc(nest_toc_tokens(tokens))  # empties tokens
        self.present_anchor_ids = ids
        self.links_to_anchors = resolver.links_to_anchors


def _resolved(link: re.Match[str], resolver: _RelativePathTreeprocessor) -> str:
    """A link as MkDocs resolves it (a page's .md path becomes its URL) and checks it."""
    url = html.unescape(link[2])
    resolved = resolver.path_to_url(url)
    return link[0] if resolved == url else link[1] + html.escape(resolved) + link[3]


def _anchored(content: str, ids: set[str], toc: dict[str, Any],
              ) -> tuple[str, list[dict[str, Any]]]:
    """The headings given ids (added to ids) and permalinks as the toc extension gives them
    with these settings, and their toc tokens."""
    make_slug = toc.get("slugify", slugify)
    separator = toc.get("separator", "-")
    permalink = toc.get("permalink", False)
    symbol = "&para;" if permalink is True else html.escape(str(permalink))
    title = html.escape(toc.get("permalink_title", "Permanent link"))
    css = toc.get("permalink_class", "headerlink")
    tokens: list[dict[str, Any]] = []

    def heading(m: re.Match[str]) -> str:
        level, inner = int(m[1]), m[2]
        name = strip_tags(inner)
        anchor = unique(make_slug(html.unescape(name), separator), ids)
        tokens.append({"level": level, "id": anchor, "name": name, "html": inner})
        link = (f'<a class="{css}" href="#{anchor}" title="{title}">{symbol}</a>'
                if permalink not in (False, None) else "")
        return f'<h{level} id="{anchor}">{inner}{link}</h{level}>'

    return HEADING.sub(heading, content), tokens

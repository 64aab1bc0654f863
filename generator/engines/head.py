"""What the plugin fixes in each page's HTML, so that a site needs no main.html override:
the theme prints the page title and description unescaped, and knows nothing of JSON-LD.

Pure string functions over the theme's output (mkdocs-material's base.html): a title or
description printed as the theme prints it is replaced by the same text escaped; a site whose
own template already escapes them is left as it is.
"""

from __future__ import annotations

from html import escape
from typing import Any

from markupsafe import Markup


def fix_head(html: str, page: Any, site_name: str, site_description: str = "") -> str:
    """The page's HTML with its <title> and description escaped and its JSON-LD added."""
    meta = page.meta or {}
    site = site_name or ""
    if meta.get("title"):
        title = f"{meta['title']} - {site}"
    elif page.title and not page.is_homepage:
        title = f"{Markup(page.title).striptags()} - {site}"
    else:
        title = site
    html = _replace_once(html, f"<title>{title}</title>", f"<title>{escape(title, False)}</title>")
    desc = str(meta.get("description") or site_description or "")
    if desc:
        html = _replace_once(html, f'<meta name="description" content="{desc}">',
                             f'<meta name="description" content="{escape(desc)}">')
    jsonld = meta.get("evidence_jsonld")
    if jsonld:  # escaped for a script element by generator/outputs/jsonld.py
        script = f'<script type="application/ld+json">{jsonld}</script>'
        if script not in html and "</head>" in html:
            head_end = html.index("</head>")
            html = f"{html[:head_end]}  {script}\n{html[head_end:]}"
    return html


def announce_feed(html: str, page_url: str, site_name: str) -> str:
    """The feed of changes announced in the head, relative to the page (as the theme's
    links are, so that it opens from file:// too), unless the theme's template did."""
    if "application/atom+xml" in html or "</head>" not in html:
        return html
    href = "../" * page_url.count("/") + "feed.xml"
    link = (f'<link rel="alternate" type="application/atom+xml" '
            f'title="{escape(site_name)}: changes" href="{href}">')
    head_end = html.index("</head>")
    return f"{html[:head_end]}  {link}\n{html[head_end:]}"


def _replace_once(html: str, raw: str, escaped: str) -> str:
    return html.replace(raw, escaped, 1) if raw != escaped else html

"""Escaping for Markdown: contributors' text and formatted references made into Markdown that
shows exactly that text (never markup, script or a link). Pure string functions."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

# What Python-Markdown (with the tables extension) lets a backslash escape: no more, or
# the backslash would show.
MD_SPECIAL = set("\\`*_{}[]()#+-.!|>")
HTML_SPECIAL = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
# In formatted references (HTML from citeproc, text from the .bib): characters that would
# start Markdown links, emphasis, code or attribute lists, as character references.
_HTML_TAG = re.compile(r"(<[^>]*>)")
_MD_INERT = {ch: f"&#{ord(ch)};" for ch in "\\`*_[]{}"}
# md_escape's replacements (faster than str.translate), ordered so that none makes what a later
# one replaces. A line break is a space: no text can end its list item, cell or HTML block.
_ESCAPES = (("\\", "\\\\"),
            *((ch, f"\\{ch}") for ch in sorted(MD_SPECIAL - {"\\", ">", "-"})),
            *HTML_SPECIAL.items(), ("\n", " "), ("\r", " "))
_INERT_TABLE = str.maketrans(_MD_INERT)
# A hyphen inside a word ("DKK-1", "L-threonate") starts no Markdown, and an escape there
# would hide the word from the glossary's abbreviations; any other is escaped (a list item,
# a rule, a heading's underline).
_LOOSE_HYPHEN = re.compile(r"(?<![0-9A-Za-z])-|-(?![0-9A-Za-z])")
_ATTRIBUTE = re.compile(r'"[^"]*"')  # a quoted attribute value inside a tag


def md_escape(value: Any) -> Markup:
    """Text → Markdown (as Markup) that shows exactly that text; Markup passes as it is."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    text = str(value)
    for old, new in _ESCAPES:
        if old in text:
            text = text.replace(old, new)
    if "-" in text:
        text = _LOOSE_HYPHEN.sub(r"\-", text)
    return Markup(text)


def md_join(values: Any, separator: str = ", ") -> Markup:
    return Markup(md_escape(separator).join(md_escape(v) for v in values))


def md_inert_html(html: str) -> Markup:
    """Trusted HTML with untrusted text (a formatted reference) → Markdown that shows it
    as it is: tags are kept, Markdown syntax in the text between them and in their attribute
    values (a DOI in an href) is made inert; a browser reads the character references back."""
    parts = _HTML_TAG.split(html)
    return Markup("".join(_ATTRIBUTE.sub(_inert_value, part) if i % 2
                          else part.translate(_INERT_TABLE) for i, part in enumerate(parts)))


def _inert_value(match: re.Match[str]) -> str:
    return match.group().translate(_INERT_TABLE)


def safe_url(url: str) -> Markup:
    """An http(s) URL (already validated) made safe inside Markdown link parentheses."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"refusing non-http(s) URL {url!r}")
    return Markup(quote(url, safe=":/?#[]@!$&'*+,;=%~-._"))

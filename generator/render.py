"""Jinja templates → {page path: Markdown}. Pure: no MkDocs, no files written.

Every `{{ value }}` is escaped for Markdown and HTML (`finalize`) unless it is `Markup`
built here, so contributors' text cannot become markup, script or a link. Built-in filters
that would return Markup from text (join) are replaced by escaping ones.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined
from markupsafe import Markup

from . import vocab
from .model import Card, Evidence

# What Python-Markdown (with the tables extension) lets a backslash escape: no more, or
# the backslash would show.
MD_SPECIAL = set("\\`*_{}[]()#+-.!|>")
HTML_SPECIAL = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}


def md_escape(value: Any) -> Markup:
    """Text → Markdown (as Markup) that shows exactly that text; Markup passes as it is."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    return Markup("".join(HTML_SPECIAL.get(ch) or (f"\\{ch}" if ch in MD_SPECIAL else ch)
                          for ch in str(value)))


def md_join(values: Any, separator: str = ", ") -> Markup:
    return Markup(md_escape(separator).join(md_escape(v) for v in values))


def safe_url(url: str) -> Markup:
    """An http(s) URL (already validated) made safe inside Markdown link parentheses."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"refusing non-http(s) URL {url!r}")
    return Markup(quote(url, safe=":/?#[]@!$&'*+,;=%~-._"))


def make_env(override_dirs: list[Path] | None = None) -> Environment:
    loaders: list[Any] = [FileSystemLoader(str(d)) for d in (override_dirs or []) if d.is_dir()]
    loaders.append(PackageLoader("generator", "templates"))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,  # macros return Markup; finalize escapes everything else
        finalize=md_escape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(vocab=vocab, Markup=Markup)
    env.filters["url"] = safe_url
    env.filters["join"] = md_join
    return env


def page_paths(ev: Evidence) -> dict[str, str]:
    """Each generated page's source path (relative to docs) → a short description."""
    paths = {"index.md": "home", "forms/index.md": "forms", "articles/index.md": "articles",
             "references.md": "references", "methodology.md": "methodology"}
    paths.update({f"forms/{f.id}.md": "form" for f in ev.forms})
    paths.update({f"articles/{s.id}.md": "article" for s in ev.sources})
    paths.update({f"claims/{c.id}.md": "claim" for c in ev.cards})
    return paths


def render_site(ev: Evidence, env: Environment | None = None,
                only: set[str] | None = None) -> dict[str, str]:
    """Render every page (or only those listed) to Markdown."""
    env = env or make_env()
    pages: dict[str, str] = {}
    for src, kind in page_paths(ev).items():
        if only is None or src in only:
            pages[src] = render_page(ev, env, src, kind)
    return pages


def render_page(ev: Evidence, env: Environment, src: str, kind: str) -> str:
    def link(target: str) -> Markup:
        return Markup(posixpath.relpath(target, posixpath.dirname(src) or "."))

    ctx: dict[str, Any] = {"ev": ev, "link": link, "counts": verdict_counts,
                           "numbered": numbered_refs}
    slug = posixpath.splitext(posixpath.basename(src))[0]
    if kind == "form":
        ctx["form"] = ev.form(slug)
        ctx["cards"] = ev.cards_of_form(slug)
    elif kind == "article":
        ctx["source"] = ev.source(slug)
        ctx["cards"] = ev.cards_of_source(slug)
    elif kind == "claim":
        ctx["card"] = next(c for c in ev.cards if c.id == slug)
    return env.get_template(f"{kind}.md.j2").render(ctx)


def verdict_counts(cards: list[Card] | tuple[Card, ...]) -> list[tuple[str, int]]:
    counts = Counter(c.verdict for c in cards)
    return [(v, counts[v]) for v in vocab.VERDICTS if counts[v]]


def numbered_refs(card: Card) -> dict[str, int]:
    """Reference numbers in order of first citation on the card (AMA)."""
    numbers: dict[str, int] = {}
    for study in card.studies:
        numbers.setdefault(study.key, len(numbers) + 1)
    return numbers

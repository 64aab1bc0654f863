"""Jinja templates → {page path: Markdown or Html}. Pure: no MkDocs, no files written.

The pages whose number and size grow with the content (claim, form and article pages) are
written as HTML (`*.html.j2`, returned as `Html`): MkDocs then shows them without converting
Markdown (generator/htmlpage.py). The other pages are Markdown (`*.md.j2`).

A claim, form or article page is rendered from its part of the evidence only
(page_evidence); the process keeps each page with what it was rendered from and renders it
again only when that or a template changed (`mkdocs serve` rebuilds).

Every `{{ value }}` is escaped (for Markdown and HTML by `finalize`; in HTML templates for
HTML by autoescape) unless it is `Markup` built here, so contributors' text cannot become
markup, script or a link. Built-in filters that would return Markup from text (join) are
replaced by escaping ones.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
import traceback
import weakref
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    TemplateSyntaxError,
)
from markupsafe import Markup, escape

from . import vocab
from .model import Card, Evidence
from .order import claim_order

# What Python-Markdown (with the tables extension) lets a backslash escape: no more, or
# the backslash would show.
MD_SPECIAL = set("\\`*_{}[]()#+-.!|>")
HTML_SPECIAL = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
# In formatted references (HTML from citeproc, text from the .bib): characters that would
# start Markdown links, emphasis, code or attribute lists, as character references.
_HTML_TAG = re.compile(r"(<[^>]*>)")
_MD_INERT = {ch: f"&#{ord(ch)};" for ch in "\\`*_[]{}"}
# One str.translate pass each (a Python loop over characters was most of rendering time).
_ESCAPE_TABLE = str.maketrans({**{ch: f"\\{ch}" for ch in MD_SPECIAL}, **HTML_SPECIAL})
_INERT_TABLE = str.maketrans(_MD_INERT)
# Pages of these kinds are rendered from <kind>.html.j2 as HTML; the others from <kind>.md.j2.
HTML_KINDS = frozenset({"claim", "form", "article", "home", "claims"})


class Html(str):
    """A rendered page that is HTML already, not Markdown."""


def md_escape(value: Any) -> Markup:
    """Text → Markdown (as Markup) that shows exactly that text; Markup passes as it is."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    return Markup(str(value).translate(_ESCAPE_TABLE))


# A badge: <span class="ev-badge ev-KIND ev-KIND--KEY">PREFIX LABEL</span>, for a vocabulary key.
_BADGES = {"verdict": ("Verdict: ", vocab.VERDICTS),
           "certainty": ("Certainty: ", vocab.CERTAINTY_LABELS),
           "citation": ("", vocab.CITATION_CHECKS)}


def badge(kind: str, key: str) -> Markup:
    """The badge of a verdict, certainty or citation check (a function, not a Jinja macro:
    macro calls were a tenth of rendering time)."""
    prefix, labels = _BADGES[kind]
    return Markup(f'<span class="ev-badge ev-{kind} ev-{kind}--{escape(key)}">'
                  f"{escape(prefix + labels[key])}</span>")


def full_stop(text: Any) -> Any:
    """Text as a sentence: a full stop added unless it ends with one (or ! ? …), so that
    "… 1997 values)." followed by the next sentence does not read "values).."."""
    if not text or str(text).rstrip().endswith((".", "!", "?", "…")):
        return text
    return text + "."


def lower_first(text: Any) -> Any:
    """ "The studies…" → "the studies…", to follow a colon."""
    return text[:1].lower() + text[1:] if text else text


def md_join(values: Any, separator: str = ", ") -> Markup:
    return Markup(md_escape(separator).join(md_escape(v) for v in values))


def md_inert_html(html: str) -> Markup:
    """Trusted HTML with untrusted text (a formatted reference) → Markdown that shows it
    as it is: tags are kept, Markdown syntax in the text between them is made inert."""
    parts = _HTML_TAG.split(html)
    return Markup("".join(part if i % 2 else part.translate(_INERT_TABLE)
                          for i, part in enumerate(parts)))


def safe_url(url: str) -> Markup:
    """An http(s) URL (already validated) made safe inside Markdown link parentheses."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"refusing non-http(s) URL {url!r}")
    return Markup(quote(url, safe=":/?#[]@!$&'*+,;=%~-._"))


def make_env(override_dirs: list[Path] | None = None, handouts: bool = False) -> Environment:
    """The page templates (override_dirs first), and whether form pages link handouts.

    One environment per arguments for the process: its compiled templates are kept across
    builds (`mkdocs serve`), and Jinja recompiles a template whose file has changed.
    """
    return _env(tuple(str(d) for d in (override_dirs or []) if d.is_dir()), handouts)


@lru_cache(maxsize=16)
def _env(override_dirs: tuple[str, ...], handouts: bool) -> Environment:
    loaders: list[Any] = [FileSystemLoader(d) for d in override_dirs]
    loaders.append(PackageLoader("generator", "templates"))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,  # macros return Markup; finalize escapes everything else
        finalize=md_escape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=True,  # check each template's file for changes (the default, relied on)
    )
    env.globals.update(vocab=vocab, Markup=Markup, handouts=handouts, badge=badge)
    env.filters["url"] = safe_url
    env.filters["join"] = md_join
    env.filters["full_stop"] = full_stop
    env.filters["lower_first"] = lower_first
    return env


@lru_cache(maxsize=16)
def _html_env(env: Environment) -> Environment:
    """The same templates and globals, for *.html.j2: escaped for HTML by autoescape alone
    (markupsafe, in C; a quarter of rendering time went to a finalize that escaped too)."""
    # Its own cache: a copy of env's would hold templates compiled to escape for Markdown.
    html = env.overlay(finalize=_none_as_empty, cache_size=400)
    html.filters = {**env.filters, "join": html_join,
                    "url": lambda url: escape(str(safe_url(url)))}
    return html


def _none_as_empty(value: Any) -> Any:
    return "" if value is None else value


def html_join(values: Any, separator: str = ", ") -> Markup:
    return escape(separator).join(values)  # Markup.join escapes every value


def page_paths(ev: Evidence) -> dict[str, str]:
    """Each generated page's source path (relative to docs) → a short description."""
    paths = {"index.md": "home", "forms/index.md": "forms", "articles/index.md": "articles",
             "claims/index.md": "claims", "references.md": "references",
             "methodology.md": "methodology"}
    paths.update({f"forms/{f.id}.md": "form" for f in ev.forms})
    paths.update({f"articles/{s.id}.md": "article" for s in ev.sources})
    paths.update({f"claims/{c.id}.md": "claim" for c in ev.cards})
    return paths


def render_site(ev: Evidence, env: Environment | None = None,
                only: set[str] | None = None, jobs: int = 0) -> dict[str, str]:
    """Render every page (or only those listed): Markdown, or Html for HTML_KINDS.

    jobs: processes to render in; 0 lets shares.render_jobs choose (several only where
    forking is safe). Pages whose slice of the evidence and templates are unchanged since
    the last render with env are not rendered again (see page_evidence).
    """
    ev = inert_citations(ev)  # once for the site: per page it would cost pages × references
    env = env or make_env()
    paths = [p for p in page_paths(ev).items() if only is None or p[0] in only]
    done = _RENDERED.setdefault(env, {})
    if only is None:  # forget pages that are gone
        for src in set(done) - {src for src, _ in paths}:
            del done[src]
    return render_pages(ev, env, paths, jobs, done)


def render_pages(ev: Evidence, env: Environment, paths: list[tuple[str, str]], jobs: int,
                 done: dict[str, tuple[Any, str]]) -> dict[str, str]:
    """Render these (page path, kind) of page_paths; ev's citations made inert already.
    done: page path → (what it was rendered from, the page), reused and updated."""
    from .shares import in_processes, render_jobs

    stamp = _templates_stamp(env)
    if _STAMPS.get(env, stamp) != stamp:  # Jinja would miss a new override of a template
        for compiled in (env.cache, _html_env(env).cache):  # it has compiled already (it
            if compiled is not None:  # checks only that template's own file)
                compiled.clear()
    _STAMPS[env] = stamp
    keys = {src: (stamp, page_evidence(ev, kind, src)) for src, kind in paths}
    todo = [(src, kind) for src, kind in paths if done.get(src, (None,))[0] != keys[src]]
    jobs = jobs or render_jobs(len(todo))
    parts = in_processes(lambda k: {src: _render(keys[src][1], env, src, kind)
                                    for src, kind in todo[k::jobs]}, jobs, "rendering, process")
    fresh = {src: page for part in parts for src, page in part.items()}
    for src, _ in paths:  # the newest key also for kept pages: next time, compared by identity
        done[src] = (keys[src], fresh[src] if src in fresh else done[src][1])
    return {src: done[src][1] for src, _ in paths}


# Per environment: page path → ((templates, the page's evidence), page), from the last render.
_RENDERED: weakref.WeakKeyDictionary[Environment, dict[str, tuple[Any, str]]] = (
    weakref.WeakKeyDictionary())
# Per environment: the templates of its last render.
_STAMPS: weakref.WeakKeyDictionary[Environment, Any] = weakref.WeakKeyDictionary()


def _templates_stamp(env: Environment) -> tuple[tuple[str, str], ...]:
    """Every template's name and text, as this environment finds them (overrides first)."""
    loader = env.loader
    assert loader is not None
    return tuple((name, loader.get_source(env, name)[0]) for name in env.list_templates())


def page_evidence(ev: Evidence, kind: str, src: str) -> Evidence:
    """What a page is made from: a claim page sees its card, that card's form and articles
    and the references it cites; a form page, the form and its cards; an article page, the
    article, its cards and their forms; other pages see everything. A page's template gets
    only this as `ev`, so the page is a function of it (and of the templates): an unchanged
    slice means an unchanged page, and it is not rendered again."""
    slug = posixpath.splitext(posixpath.basename(src))[0]
    if kind == "claim":
        card = ev.card(slug)
        keys = card.cited_keys
        return Evidence(
            forms=(ev.form(card.form),),
            sources=tuple(ev.source(a) for a in dict.fromkeys(a.source for a in card.appearances)),
            cards=(card,),
            references={k: ev.references[k] for k in keys},
            citations={k: ev.citations[k] for k in keys},
            citations_text={k: ev.citations_text[k] for k in keys})
    if kind == "form":
        return Evidence(forms=(ev.form(slug),), sources=(), cards=tuple(ev.cards_of_form(slug)))
    if kind == "article":
        cards = tuple(ev.cards_of_source(slug))
        forms = {c.form for c in cards}
        return Evidence(forms=tuple(f for f in ev.forms if f.id in forms),
                        sources=(ev.source(slug),), cards=cards)
    return ev


def inert_citations(ev: Evidence) -> Evidence:
    """The evidence with its formatted references made inert for Markdown."""
    return dataclasses.replace(ev, citations={k: md_inert_html(v)
                                              for k, v in ev.citations.items()})


def _render(ev: Evidence, env: Environment, src: str, kind: str) -> str:
    here = posixpath.dirname(src)

    def link(target: str) -> Markup:
        return Markup(relative(target, here))

    ctx: dict[str, Any] = {"ev": ev, "link": link, "counts": verdict_counts,
                           "numbered": numbered_refs, "ordered": claim_order}
    slug = posixpath.splitext(posixpath.basename(src))[0]
    if kind == "form":
        ctx["form"] = ev.form(slug)
        ctx["cards"] = claim_order(ev.cards_of_form(slug))
    elif kind == "article":
        ctx["source"] = ev.source(slug)
        ctx["cards"] = claim_order(ev.cards_of_source(slug))
    elif kind == "claim":
        ctx["card"] = ev.card(slug)
    name = f"{kind}.html.j2" if kind in HTML_KINDS else f"{kind}.md.j2"
    try:
        if kind in HTML_KINDS:
            return Html(_html_env(env).get_template(name).render(ctx))
        return env.get_template(name).render(ctx)
    except Exception as exc:  # a template is code: any error is the template's
        raise TemplateFailed(f"page {src}: {_where(exc, name)}: {exc}") from exc


class TemplateFailed(Exception):
    """A page template failed; the message names the page, the template file and line."""


def _where(exc: Exception, name: str) -> str:
    """'<template file>, line N' of the error: Jinja puts template lines in tracebacks."""
    if isinstance(exc, TemplateSyntaxError) and exc.lineno:
        return f"{exc.filename or exc.name or name}, line {exc.lineno}"
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if f.filename.endswith(".j2")]
    return f"{frames[-1].filename}, line {frames[-1].lineno}" if frames else name


def relative(target: str, start: str) -> str:
    """posixpath.relpath(target, start or "."), for the site's plain paths, without its
    calls to os.getcwd() (a fifth of rendering time)."""
    parts, base = target.split("/"), start.split("/") if start else []
    if "" in parts or "." in parts or ".." in parts or "." in base or ".." in base:
        return posixpath.relpath(target, start or ".")
    common = 0
    while common < min(len(parts), len(base)) and parts[common] == base[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + parts[common:]) or "."


def verdict_counts(cards: list[Card] | tuple[Card, ...]) -> list[tuple[str, int]]:
    counts = Counter(c.verdict for c in cards)
    return [(v, counts[v]) for v in vocab.VERDICTS if counts[v]]


def numbered_refs(card: Card) -> dict[str, int]:
    """Reference numbers in order of first citation on the card (AMA)."""
    return {key: n for n, key in enumerate(card.cited_keys, 1)}

"""Jinja templates → {page path: page source}. Pure: no engine, no processes, no files written.

Every generated page is Markdown (with HTML blocks where a table or a block with a class needs
them) after YAML front matter with the page's fields: title, description, JSON-LD, the edit
path (the content file a contributor should edit) and options of the theme. Headings are
Markdown lines and links to other pages are Markdown links to .md paths, so that the engine
makes ids, permalinks and the table of contents, and resolves and checks the links.

Every `{{ value }}` is escaped for Markdown and HTML by `finalize` unless it is `Markup` built
here (or escaped for HTML with `| e`, inside HTML attributes), so contributors' text cannot
become markup, script or a link. Built-in filters that would return Markup from text (join)
are replaced by escaping ones.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import posixpath
import re
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
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
    meta,
)
from markupsafe import Markup, escape

from generator.config import Texts
from generator.core import vocab
from generator.core.changes import change_log, long_date
from generator.core.model import Card, Evidence
from generator.core.order import claim_order
from generator.core.paths import page_paths
from generator.core.review import REVIEW_AFTER_MONTHS, search_due
from generator.outputs.jsonld import claim_page_data, script_json
from generator.outputs.markdown import md_escape, md_inert_html, md_join, safe_url
from generator.outputs.wording import ARTICLE_DESCRIPTION, PAGE_DESCRIPTIONS, topic_vocab

PACKAGED_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"

# Pages of these kinds hide the navigation sidebar (a wide table or a long page).
WIDE_KINDS = frozenset({"claims", "form", "article", "forms", "articles"})


@dataclass(frozen=True)
class Site:
    """What pages need to know of the site: its name and address (for JSON-LD), and the
    address that opens a repository file for editing (config.Settings.edit_root)."""

    name: str = ""
    url: str = ""
    edit_root: str = ""
    texts: Texts = Texts()
    as_of: dt.date | None = None  # the day pages are made as of (None: no "search due")
    review_after_months: int = REVIEW_AFTER_MONTHS


# A badge: <span class="ev-badge ev-KIND ev-KIND--KEY">PREFIX LABEL</span>, for a vocabulary key.
_BADGES = {"verdict": ("Verdict: ", vocab.VERDICTS),
           "certainty": ("Certainty: ", vocab.CERTAINTY_LABELS),
           "citation": ("", vocab.CITATION_CHECKS)}


def badge(kind: str, key: str, label: str | None = None, prefix: bool = True) -> Markup:
    """The badge of a verdict, certainty or citation check (a function, not a Jinja macro:
    macro calls were a tenth of rendering time). label: a card's own wording of the key
    (Card.verdict_label, certainty_label); prefix: "Verdict: " before it, unless a column
    heading says it already."""
    lead, labels = _BADGES[kind]
    text = (lead if prefix else "") + (label or labels[key])
    return Markup(f'<span class="ev-badge ev-{kind} ev-{kind}--{escape(key)}">'
                  f"{escape(text)}</span>")


def full_stop(text: Any) -> Any:
    """Text as a sentence: a full stop added unless it ends with one (or ! ? …), so that
    "… 1997 values)." followed by the next sentence does not read "values).."."""
    if not text or str(text).rstrip().endswith((".", "!", "?", "…")):
        return text
    return text + "."


def lower_first(text: Any) -> Any:
    """ "The studies…" → "the studies…", to follow a colon."""
    return text[:1].lower() + text[1:] if text else text


def counted(n: int, noun: str) -> str:
    """1 → "1 claim", 15 → "15 claims" (the templates' nouns take a plain -s)."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


class PageEnvironment(Environment):
    """The page templates' Jinja environment."""

    stamp: tuple[tuple[str, str], ...] | None = None
    """Every template's name and text when it last rendered (_forget_stale_templates)."""
    own_pages: dict[str, tuple[Any, str]]
    """Each claim, article and form page made with these templates, with what it was made
    of (_own_page)."""


_EnvKey = tuple[tuple[str, ...], bool, Texts]


@dataclass
class Templates:
    """Page environments kept by whoever renders again (one build, one `mkdocs serve`
    session): compiled templates are reused, and Jinja recompiles a template whose file has
    changed."""

    envs: dict[_EnvKey, PageEnvironment] = field(default_factory=dict)

    def env(self, override_dirs: list[Path], handouts: bool, texts: Texts) -> PageEnvironment:
        key = (tuple(str(d) for d in override_dirs if d.is_dir()), handouts, texts)
        if key not in self.envs:
            self.envs[key] = _env(*key)
        return self.envs[key]


def make_env(override_dirs: list[Path] | None = None, handouts: bool = False,
             texts: Texts | None = None, templates: Templates | None = None,
             ) -> PageEnvironment:
    """The page templates (override_dirs first), whether form pages link handouts, and the
    topic's texts (a template sees them as `texts`); the one templates keeps, if given."""
    return (templates or Templates()).env(override_dirs or [], handouts, texts or Texts())


def _env(override_dirs: tuple[str, ...], handouts: bool, texts: Texts) -> PageEnvironment:
    loaders: list[Any] = [FileSystemLoader(d) for d in override_dirs]
    loaders.append(PackageLoader("generator", "templates"))
    env = PageEnvironment(
        loader=ChoiceLoader(loaders),
        autoescape=True,  # macros return Markup; finalize escapes everything else
        finalize=md_escape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=True,  # check each template's file for changes (the default, relied on)
    )
    env.own_pages = {}
    env.globals.update(vocab=topic_vocab(texts), Markup=Markup, handouts=handouts,
                       badge=badge, texts=texts)
    env.filters["url"] = safe_url
    env.filters["join"] = md_join
    env.filters["full_stop"] = full_stop
    env.filters["lower_first"] = lower_first
    env.filters["counted"] = counted
    env.filters["long_date"] = long_date
    return env


def render_site(ev: Evidence, env: PageEnvironment | None = None,
                only: set[str] | None = None, site: Site | None = None) -> dict[str, str]:
    """Every page (or only those listed): path → front matter and Markdown."""
    ev = inert_citations(ev)  # once for the site: per page it would cost pages × references
    env = env or make_env()
    site = site or Site()
    _forget_stale_templates(env)
    # A claim, article or form page of the package's templates sees what it shows alone, and
    # is made again only when that changed; an override may look up anything: it sees it all.
    own = {kind: slice_of for kind, slice_of in OWN_EVIDENCE.items()
           if _packaged(env, f"{kind}.md.j2")}
    made = {src: (_own_page(ev, env, src, kind, site, own[kind]) if kind in own
                  else _render(ev, env, src, kind, site))
            for src, kind in page_paths(ev).items() if only is None or src in only}
    if only is None:  # forget the pages of deleted cards, articles and forms
        env.own_pages = {src: v for src, v in env.own_pages.items() if src in made}
    return made


# What a page of the kind shows, for its slug: the card and what it cites; the article, the
# form, and their cards (Evidence.of_card, of_source, of_form).
OWN_EVIDENCE: dict[str, Callable[[Evidence, str], Evidence]] = {
    "claim": lambda ev, slug: ev.of_card(ev.card(slug)),
    "article": lambda ev, slug: ev.of_source(ev.source(slug)),
    "form": lambda ev, slug: ev.of_form(ev.form(slug)),
}


def _packaged(env: Environment, name: str) -> bool:
    """Whether the template, and every template it imports or includes, is the package's
    own (PACKAGED_TEMPLATES), not an override."""
    assert env.loader is not None
    source, filename, _ = env.loader.get_source(env, name)
    if filename is None or Path(filename).resolve().parent != PACKAGED_TEMPLATES:
        return False
    used = meta.find_referenced_templates(env.parse(source))
    return all(other is not None and _packaged(env, other) for other in used)


def _own_page(ev: Evidence, env: PageEnvironment, src: str, kind: str, site: Site,
              slice_of: Callable[[Evidence, str], Evidence]) -> str:
    """The page made from what it shows alone (OWN_EVIDENCE), so that the page made last
    time with these templates is reused while that, the site and the templates are equal:
    under `mkdocs serve`, editing one card makes its claim, article and form pages again,
    not every page."""
    own = slice_of(ev, posixpath.splitext(posixpath.basename(src))[0])
    made = (own, site, env.stamp)
    last = env.own_pages.get(src)
    if last is not None and last[0] == made:
        return last[1]
    page = _render(own, env, src, kind, site)
    env.own_pages[src] = (made, page)
    return page


def page_fields(ev: Evidence, src: str, kind: str, site: Site) -> dict[str, Any]:
    """The front matter of a page (before its Markdown)."""
    slug = posixpath.splitext(posixpath.basename(src))[0]
    fields: dict[str, Any] = {}
    if kind == "claim":
        card = ev.card(slug)
        verdict = card.verdict_label
        url = site.url.rstrip("/") + "/" + src[: -len(".md")] + "/" if site.url else ""
        fields["title"] = f"{verdict}: {card.title}"  # the plain title fits a search result
        fields["description"] = f"{verdict}. {card.verdict_summary}"
        fields["evidence_jsonld"] = script_json(claim_page_data(ev, card, url, site.name,
                                                                site.url))
        fields["edit_path"] = card.path
    elif kind == "form":
        form = ev.form(slug)
        if form.answer:  # the answer in the title a search result shows
            fields["title"] = f"{form.name}: {lower_first(form.answer)}"
        if form.bottom_line:
            fields["description"] = " ".join([form.question, *(s.text for s in form.bottom_line)])
        else:
            fields["description"] = f"{form.name}: {form.description}"
        fields["edit_path"] = form.path
        fields["search"] = {"boost": 2}  # a form's name finds its page before its claims
    elif kind == "article":
        source = ev.source(slug)
        fields["description"] = ARTICLE_DESCRIPTION.format(
            title=source.title, site=source.site,
            claims=counted(len(ev.cards_of_source(slug)), "claim"))
        fields["edit_path"] = source.path
    elif kind in PAGE_DESCRIPTIONS:
        fields["description"] = PAGE_DESCRIPTIONS[kind].format(
            topic=site.texts.topic, forms=site.texts.forms_counted(len(ev.forms)),
            articles=counted(len(ev.sources), "web article"),
            claims=counted(len(ev.claims), "claim"))
        if kind == "home" and not ev.cards:
            fields.pop("description")  # "0 claims …": the site's own description says more
    if kind == "home" and site.texts.answer:
        answer = site.texts.answer[:1].upper() + site.texts.answer[1:]
        fields["title"] = f"{site.texts.title}: {site.texts.answer}"
        fields["description"] = " ".join([full_stop(answer), fields.get("description", "")]
                                         ).strip()
    if "edit_path" in fields and site.edit_root:  # partials/actions.html links it
        fields["edit_url"] = site.edit_root + quote(fields["edit_path"])
    if kind in WIDE_KINDS:
        fields["hide"] = ["navigation"]
    return fields


def front_matter(fields: dict[str, Any]) -> str:
    """YAML front matter; each value as JSON (a subset of YAML), so no text can break out."""
    if not fields:
        return ""
    lines = [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


def _forget_stale_templates(env: PageEnvironment) -> None:
    """Jinja checks only a compiled template's own file: a new override of a template it has
    compiled already would be missed (mkdocs serve). Forget them when the set changed."""
    stamp = _templates_stamp(env)
    if env.stamp is not None and env.stamp != stamp and env.cache is not None:
        env.cache.clear()
    env.stamp = stamp


def _templates_stamp(env: Environment) -> tuple[tuple[str, str], ...]:
    """Every template's name and text, as this environment finds them (overrides first)."""
    loader = env.loader
    assert loader is not None
    return tuple((name, loader.get_source(env, name)[0]) for name in env.list_templates())


def glossary(ev: Evidence, page: str) -> str:
    """Markdown abbreviations (`*[DKK-1]: …`) for the glossary's terms that the page uses:
    the engine's `abbr` extension explains each where it appears."""
    if not ev.glossary:
        return ""
    text = re.sub(r"\\(.)", r"\1", page)  # as the reader sees it: "DKK\-1" is DKK-1
    used = [(t, m) for t, m in ev.glossary
            if re.search(rf"(?<![\w-]){re.escape(t)}(?![\w-])", text)]
    return "".join(f"\n*[{t}]: {m}" for t, m in used) + ("\n" if used else "")


def inert_citations(ev: Evidence) -> Evidence:
    """The evidence with its formatted references made inert for Markdown."""
    return dataclasses.replace(ev, citations={k: md_inert_html(v)
                                              for k, v in ev.citations.items()})


def _render(ev: Evidence, env: Environment, src: str, kind: str, site: Site) -> str:
    here = posixpath.dirname(src)

    def link(target: str) -> Markup:
        return Markup(relative(target, here))

    ctx: dict[str, Any] = {"ev": ev, "link": link, "counts": verdict_counts,
                           "numbered": numbered_refs, "ordered": claim_order,
                           "change_log": lambda form=None: change_log(ev, form),
                           "search_due": lambda card: site.as_of is not None and search_due(
                               card, site.as_of, site.review_after_months),
                           "review_after_months": site.review_after_months}
    slug = posixpath.splitext(posixpath.basename(src))[0]
    if kind == "form":
        ctx["form"] = ev.form(slug)
        ctx["cards"] = claim_order(ev.cards_of_form(slug))
    elif kind == "article":
        ctx["source"] = ev.source(slug)
        ctx["cards"] = claim_order(ev.cards_of_source(slug))
    elif kind == "claim":
        ctx["card"] = ev.card(slug)
    name = f"{kind}.md.j2"
    try:
        page = env.get_template(name).render(ctx)
        return front_matter(page_fields(ev, src, kind, site)) + page + glossary(ev, page)
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


def verdict_counts(cards: list[Card] | tuple[Card, ...]) -> list[tuple[str, str, str, int]]:
    """(verdict, label, meaning, count) for each verdict as the cards word it: "Supported"
    and "Accurate" (a statement of fact or about the evidence) are counted apart."""
    counts = Counter((c.verdict, c.reads_as_accuracy) for c in cards)
    return [(v, labels[v], meanings[v], counts[v, accuracy])
            for accuracy, labels, meanings in (
                (False, vocab.VERDICTS, vocab.VERDICT_MEANING),
                (True, vocab.ACCURACY_VERDICTS, vocab.ACCURACY_MEANING))
            for v in vocab.VERDICTS if counts[v, accuracy]]


def numbered_refs(card: Card) -> dict[str, int]:
    """Reference numbers in order of first citation on the card (AMA)."""
    return {key: n for n, key in enumerate(card.cited_keys, 1)}

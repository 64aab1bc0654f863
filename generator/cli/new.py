"""`evidence new [card|form|article]`: scaffold an evidence card (the default), a supplement
form or an audited article, which `evidence check` refuses until filled in.

The card gets an id made from the claim, today's date, and the placeholder schema.PLACEHOLDER
wherever the contributor must write something; the checker refuses any text still holding it.
Missing flags are asked for when standard input is a terminal, and named in an error otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import textwrap
import unicodedata
from collections.abc import Callable
from pathlib import Path

from generator.core import schema, vocab
from generator.core.problems import Problem, printable
from generator.core.validate import check_object
from generator.core.yamlio import load_yaml
from generator.project import Project
from generator.safepath import UnsafePath, no_links

KINDS = ("card", "form", "article")
# How to make what a card names, for messages about one that does not exist.
MAKE_FORM = 'make it with `evidence new form --name "…"`'
MAKE_ARTICLE = 'make it with `evidence new article --title "…" --url …`'
# Little words left out of ids, so that an id says what the claim is about.
_STOP = {"a", "an", "and", "are", "as", "at", "be", "by", "can", "for", "from", "has",
         "have", "in", "is", "it", "its", "may", "of", "on", "or", "than", "that", "the",
         "this", "to", "with"}
_ID_WORDS, _ID_LEN = 8, 60
TODO = schema.PLACEHOLDER


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", nargs="?", choices=KINDS, default="card",
                        help="what to scaffold: a card (default; --form, --claim, --article), "
                        "a form (--name) or an article (--title, --url)")
    parser.add_argument("--form", help="id of the supplement form "
                        "(a file in forms/ of content_dir)")
    parser.add_argument("--claim", help="the claim, as one short neutral sentence")
    parser.add_argument("--article", help="id of the audited article that makes the claim "
                        "(a file in sources/ of content_dir)")
    parser.add_argument("--name", help="form: its name as readers know it")
    parser.add_argument("--title", help="article: its title as the page shows it")
    parser.add_argument("--url", help="article: its address (http or https)")
    parser.add_argument("--id", dest="card_id", metavar="ID",
                        help="the new file's id (default: made from the claim, name or title)")


def card_id_from(claim: str) -> str:
    """A slug from the claim's first meaningful words (at most 8 words, 60 characters)."""
    text = unicodedata.normalize("NFKD", claim).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", text)
    slug = ""
    for word in [w for w in words if w not in _STOP] or words:
        longer = f"{slug}-{word}" if slug else word[:_ID_LEN]
        if len(longer) > _ID_LEN or longer.count("-") >= _ID_WORDS:
            break
        slug = longer
    return slug or "claim"


def _ids(folder: Path) -> list[str]:
    """The ids in a folder: names of *.yaml files that are slugs (no other name is an id,
    and a file name can hold anything, escape codes for the terminal too)."""
    paths = folder.glob("*.yaml") if folder.is_dir() else []
    return sorted(p.stem for p in paths if schema.SLUG.match(p.stem))


def _field(name: str, spec: tuple[schema.Field, ...] = schema.CARD) -> schema.Field:
    return next(f for f in spec if f.name == name)


def _check(name: str, value: str, spec: tuple[schema.Field, ...] = schema.CARD,
           ) -> list[Problem]:
    """The schema's own rules for one field (text, slug, url)."""
    problems: list[Problem] = []
    check_object((_field(name, spec),), {name: value}, f"--{name}", problems)
    return problems


def _refused(command: str, errors: list[str]) -> int:
    """Print each error on its own line, prefixed with the command; the exit code 2."""
    for error in errors:
        print(printable(f"{command}: {error}"), file=sys.stderr)
    return 2


def _messages(flag: str, problems: list[Problem]) -> list[str]:
    return [f"--{flag}: {p.message}" + (f" ({p.hint})" if p.hint else "") for p in problems]


def _ask(label: str, known: list[str], ask: Callable[[str], str]) -> str | None:
    """Prompt until a usable answer; None on end of input."""
    if known:
        print(f"{label}:", *(f"  {i}. {k}" for i, k in enumerate(known, 1)), sep="\n",
              file=sys.stderr)
    while True:
        try:
            answer = " ".join(ask(f"{label}{' (id or number)' if known else ''}: ").split())
        except EOFError:
            return None
        if known and answer.isdigit() and 1 <= int(answer) <= len(known):
            return known[int(answer) - 1]
        if answer and (not known or answer in known):
            return answer
        print(f"  please give one of: {', '.join(known)}" if known else "  please answer",
              file=sys.stderr)


def _folded(text: str, indent: int) -> str:
    pad = " " * indent
    return ">-\n" + "\n".join(textwrap.wrap(text, 92 - indent, initial_indent=pad,
                                             subsequent_indent=pad, break_long_words=False,
                                             break_on_hyphens=False))


def card_text(card_id: str, form: str, claim: str, article: str, today: dt.date) -> str:
    """The scaffolded card: valid YAML whose placeholders the checker refuses."""
    designs = " | ".join(vocab.DESIGN_LABELS)
    reasons = " | ".join(vocab.ENTERED_DOWNGRADES)
    directness = " | ".join(vocab.DIRECTNESS_VALUES)
    text = f"""\
# yaml-language-server: $schema=../../schema/card.schema.json
# Made by `evidence new`: replace every {TODO}, then run `evidence check`.
# What each field means: content/README.md. How to find and verify a study: CONTRIBUTING.md.
id: {card_id}
group: {TODO}  # {" | ".join(vocab.GROUPS)}: outcome if the claim is that the form affects the
# main outcome; evidence for what the studies are or are not; see "Groups" in content/README.md
form: {form}
# also_forms: []  # other forms whose pages and handouts show this card too
claim: {_folded(claim, 2)}
appearances:
  - source: {article}
    quote: >-
      {TODO} copy the words that make the claim from the article, exactly
    cited_as: {TODO} what the article cited for the claim, as written, or null
    citation_check: {TODO}  # {" | ".join(vocab.CITATION_CHECKS)}
    citation_note: {TODO} what the cited source is and says, or what was searched; null if none
studies:  # the studies that really bear on the claim; [] when none was found
  - key: {TODO}  # the entry's key in content/references.bib
    design: {TODO}  # {designs}
    population: {TODO} who or what was studied
    finding: >-
      {TODO} what it found, in neutral words, with numbers copied from the paper
    directness:  # how directly it answers this claim: each indirect one steps down a level
      population: {TODO}  # {directness}: the people, animals or cells the claim is about?
      compound: {TODO}  # {directness}: the form or compound the claim names?
      outcome: {TODO}  # {directness}: the outcome the claim names, or a marker?
      why: {TODO} one or two sentences, in reader words
# background: sources that inform the verdict but never measure the claim's outcome
#   - key: ...  note: ...
no_study_note: null  # when studies is [], say what was searched, where and up to when
verdict: {TODO}  # {" | ".join(vocab.VERDICTS)}
verdict_summary: >-
  {TODO} one or two sentences: why this verdict
downgrades: []  # one item per reason to step certainty down: - reason: ...  why: ...
# reasons: {reasons} (indirectness comes from directness)
question: {TODO}  # {" | ".join(vocab.QUESTIONS)}
reviewed: {today.isoformat()}
searched_to: {today.isoformat()}  # literature searched up to
reviewer: {TODO} your name
changes: []  # after it is published, a note for each change of verdict or certainty,
# newest first:  - date: YYYY-MM-DD  note: what changed and why, in plain words
"""
    data, problems = load_yaml(text.encode(), "new card")
    if problems or data.get("claim") != claim:  # a claim YAML would fold oddly: quote it
        text = text.replace(f"claim: {_folded(claim, 2)}\n",
                            f"claim: {json.dumps(claim, ensure_ascii=False)}\n")
    return text


def _folders(project: Project, root: Path) -> dict[str, Path]:
    """Each kind's folder in the project, as the user named the project (root)."""
    return {kind: root / folder.relative_to(project.root) for kind, folder in (
        ("card", project.cards), ("form", project.forms), ("article", project.sources))}


def run(args: argparse.Namespace, ask: Callable[[str], str] = input) -> int:
    kind = getattr(args, "kind", "card")
    folders = _folders(args.project, args.root)
    if kind != "card":
        return _run_other(args, kind, ask, folders[kind])
    forms, articles = _ids(folders["form"]), _ids(folders["article"])
    cards = folders["card"]
    interactive = sys.stdin.isatty()
    errors: list[str] = []
    given: dict[str, str | None] = {}
    for name, known in (("form", forms), ("claim", []), ("article", articles)):
        value = getattr(args, name)
        if value is None and interactive:
            value = _ask(name, known, ask)
        if value is None:
            listed = f" (one of: {', '.join(known)})" if known else ""
            if not known and name != "claim":
                listed = f" (no {name}s yet: {MAKE_FORM if name == 'form' else MAKE_ARTICLE}"
                listed = listed.replace(": make it", ": make one") + ")"
            errors.append(f"missing --{name}{listed}")
        given[name] = " ".join(value.split()) if value is not None else None
    form, claim, article = given["form"], given["claim"], given["article"]
    if form is not None and form not in forms:
        errors.append(f"--form: unknown form {form!r}; known: {', '.join(forms) or 'none'} "
                      f"({MAKE_FORM})")
    if article is not None and article not in articles:
        errors.append(f"--article: unknown article {article!r}; known: "
                      f"{', '.join(articles) or 'none'} ({MAKE_ARTICLE})")
    if claim is not None:
        errors += _messages("claim", _check("claim", claim))
    card_id = args.card_id or (card_id_from(claim) if claim else None)
    if args.card_id is not None:
        errors += _messages("id", _check("id", args.card_id))
    target = cards / f"{card_id}.yaml"
    if card_id and target.exists():
        errors.append(f"{target.as_posix()} already exists; not overwritten "
                      "(choose another id with --id, or edit that card)")
    if errors:
        return _refused("evidence new", errors)
    assert form and claim and article and card_id
    try:
        no_links(target, "the new card")
    except UnsafePath as exc:
        print(f"evidence new: {exc}", file=sys.stderr)
        return 2
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("x", encoding="utf-8") as out:  # "x": never overwrite
            out.write(card_text(card_id, form, claim, article, dt.date.today()))
    except FileExistsError:
        print(f"evidence new: {target} already exists; not overwritten", file=sys.stderr)
        return 2
    print(target.as_posix())
    print(f"next: replace every {TODO} in it, then run `evidence check`", file=sys.stderr)
    return 0


def form_text(form_id: str, name: str) -> str:
    """The scaffolded form: valid YAML whose placeholders the checker refuses."""
    return f"""\
# yaml-language-server: $schema=../../schema/form.schema.json
# Made by `evidence new form`: replace every {TODO}, then run `evidence check`.
# What each field means: content/README.md ("Forms").
id: {form_id}
name: {json.dumps(name, ensure_ascii=False)}
# aliases: []  # other names and brand names (the claims index search finds them)
description: >-
  {TODO} one to three short, neutral sentences: what this form is
links:  # authoritative pages about it (at least one)
  - title: {TODO} the page's title
    url: {TODO} its address (https://…)
# order: 1  # position in lists (smallest first)
# question: the reader's question ("Does … help with …?"); then, once its cards are checked,
# answer, bottom_line and instead (content/README.md)
"""


def article_text(article_id: str, title: str, url: str, today: dt.date) -> str:
    """The scaffolded article: the page's title, address and site, read today."""
    from urllib.parse import urlsplit

    site = (urlsplit(url).hostname or TODO).removeprefix("www.")
    return f"""\
# yaml-language-server: $schema=../../schema/source.schema.json
# Made by `evidence new article`: check each field, then run `evidence check`.
# What each field means: content/README.md ("Articles").
id: {article_id}
title: {json.dumps(title, ensure_ascii=False)}
site: {json.dumps(site, ensure_ascii=False)}  # the site or publisher as the page shows it
url: {json.dumps(url, ensure_ascii=False)}
date_stated: null  # the date the page states, if it states one (YYYY-MM-DD)
accessed: {today.isoformat()}  # the date you read it
# note: how the page was identified, in reader words (optional)
"""


def _run_other(args: argparse.Namespace, kind: str, ask: Callable[[str], str],
               folder: Path) -> int:
    """`evidence new form` and `evidence new article`."""
    spec = schema.FORM if kind == "form" else schema.SOURCE
    flags = ("name",) if kind == "form" else ("title", "url")
    interactive = sys.stdin.isatty()
    errors: list[str] = []
    given: dict[str, str] = {}
    for name in flags:
        value = getattr(args, name, None)
        if value is None and interactive:
            value = _ask(name, [], ask)
        if value is None:
            errors.append(f"missing --{name}")
            continue
        given[name] = " ".join(value.split())
        errors += _messages(name, _check(name, given[name], spec))
    new_id = args.card_id or card_id_from(given.get("name") or given.get("title") or "")
    if args.card_id is not None:
        errors += _messages("id", _check("id", args.card_id, spec))
    target = folder / f"{new_id}.yaml"
    if given and target.exists():
        errors.append(f"{target.as_posix()} already exists; not overwritten "
                      "(choose another id with --id, or edit that file)")
    if errors:
        return _refused(f"evidence new {kind}", errors)
    text = (form_text(new_id, given["name"]) if kind == "form" else
            article_text(new_id, given["title"], given["url"], dt.date.today()))
    try:
        no_links(target, f"the new {kind}")
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8") as out:  # "x": never overwrite
            out.write(text)
    except (UnsafePath, FileExistsError) as exc:
        print(printable(f"evidence new {kind}: {exc}"), file=sys.stderr)
        return 2
    print(target.as_posix())
    print(f"next: fill it in (every {TODO}), then run `evidence check`", file=sys.stderr)
    return 0

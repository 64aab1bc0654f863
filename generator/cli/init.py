"""`evidence init DIR --title "…" [--topic "…"] --outcome "…"`: a working evidence site in an
empty (or new) folder: mkdocs.yml with the `evidence` plugin, content/ (README, empty folders,
an empty references.bib), the JSON Schemas, docs/about.md, a README with the two commands, GitHub
workflows for pull requests and Pages, and a pre-commit configuration.

It never overwrites anything: if any file it would write exists, it writes nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from importlib import metadata, resources
from pathlib import Path

from generator.core.problems import printable
from generator.safepath import UnsafePath, no_links

DISTRIBUTION = "evidence-site"  # pyproject.toml's name
EMPTY_FOLDERS = ("content/forms", "content/sources", "content/cards")


# What init asks for: option, prompt's example, whether an answer is needed.
ASKED = (("title", 'the site\'s name, e.g. "Vitamin D and fatigue: evidence audit"', True),
         ("topic", 'what the site audits, e.g. "vitamin D and fatigue" (default: the title)',
          False),
         ("outcome", 'what the claims say the forms help, e.g. "fatigue"', True))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", type=Path, metavar="DIR", help="the new site's folder "
                        "(created if missing; files already there are never overwritten)")
    for name, example, _ in ASKED:
        parser.add_argument(f"--{name}", help=f"{example}; asked for in a terminal")


def _asked(args: argparse.Namespace, ask: Callable[[str], str]) -> tuple[dict[str, str],
                                                                         list[str]]:
    """Each asked text (from its flag, or a prompt in a terminal) and what is missing."""
    interactive = sys.stdin.isatty()
    texts: dict[str, str] = {}
    errors = []
    for name, example, needed in ASKED:
        value = getattr(args, name)
        while value is None and interactive:
            try:
                value = " ".join(ask(f"{name} ({example}): ").split())
            except EOFError:
                break
            if not value and needed:
                print("  please answer", file=sys.stderr)
                value = None
        value = (value or "").strip()
        if not value and name == "topic":
            value = texts.get("title", "")
        if needed and not value:
            errors.append(f"missing --{name} ({example})")
        elif "\n" in value or "\r" in value:
            errors.append(f"--{name}: must be one line of text")
        texts[name] = value
    return texts, errors


def run(args: argparse.Namespace, ask: Callable[[str], str] = input) -> int:
    texts, errors = _asked(args, ask)
    if errors:
        for error in errors:
            print(printable(f"evidence init: {error}"), file=sys.stderr)
        return 2
    files = site_files(texts["title"], texts["topic"], texts["outcome"])
    try:
        written = write_new(args.dir, files)
    except (FileExistsError, UnsafePath, OSError) as exc:
        print(printable(f"evidence init: {exc}; nothing was written"), file=sys.stderr)
        return 1
    print(f"made an evidence site in {args.dir} ({len(written)} files)\n"
          f"next: cd {args.dir} && evidence check && mkdocs serve")
    return 0


def site_files(title: str, topic: str, outcome: str) -> dict[str, str]:
    """Path in the new site → its text."""
    from generator.outputs.guide import guide_values
    from generator.outputs.markdown import md_escape
    from generator.outputs.schemas import schema_files

    values = {"@@TITLE@@": json.dumps(title, ensure_ascii=False),  # JSON is YAML
              "@@DESCRIPTION@@": json.dumps(f"Claims about {topic}, checked against the "
                                            "studies.", ensure_ascii=False),
              "@@TOPIC@@": json.dumps(topic, ensure_ascii=False),
              "@@OUTCOME@@": json.dumps(outcome, ensure_ascii=False),
              "@@OUTCOME_TEXT@@": str(md_escape(outcome)),
              "@@TITLE_TEXT@@": str(md_escape(title)),
              "@@TOPIC_TEXT@@": str(md_escape(topic)),
              "@@REQUIREMENT@@": f"{DISTRIBUTION}=={_version()}"}
    values.update(guide_values(outcome))
    out: dict[str, str] = {}
    root = resources.files("generator") / "scaffold"
    for path, text in _walk(root, ""):
        for key, value in values.items():
            text = text.replace(key, value)
        out[path] = text
    out["content/references.bib"] = ""
    for name, text in schema_files().items():
        out[f"schema/{name}"] = text
    for folder in EMPTY_FOLDERS:  # kept in git
        out[f"{folder}/.gitkeep"] = ""
    return out


def _walk(folder: resources.abc.Traversable, prefix: str) -> list[tuple[str, str]]:
    """(path in the site, text) of every scaffold file; "dot-x" names become ".x"."""
    found = []
    for item in folder.iterdir():
        name = "." + item.name[4:] if item.name.startswith("dot-") else item.name
        if name == "__pycache__":
            continue
        if item.is_dir():
            found += _walk(item, f"{prefix}{name}/")
        else:
            found.append((prefix + name, item.read_text(encoding="utf-8")))
    return sorted(found)


def _version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "0.1.0"


def write_new(root: Path, files: dict[str, str]) -> list[Path]:
    """Write every file under root, or none if any exists (or a path passes a link)."""
    paths = {name: no_links(root / name, "a file of the new site") for name in files}
    existing = sorted(name for name, path in paths.items() if path.exists())
    if existing:
        raise FileExistsError(f"{root}: already has {', '.join(existing[:5])}"
                              + (" …" if len(existing) > 5 else ""))
    written = []
    for name, path in paths.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as handle:  # never overwrite
            handle.write(files[name])
        written.append(path)
    return written

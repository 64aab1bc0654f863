"""`evidence init DIR --title "…" [--topic "…"]`: a working evidence site in an empty (or new)
folder: mkdocs.yml with the `evidence` plugin, content/ (README, empty folders, an empty
references.bib), the JSON Schemas, docs/about.md, a README with the two commands, GitHub
workflows for pull requests and Pages, and a pre-commit configuration.

It never overwrites anything: if any file it would write exists, it writes nothing. The title
and topic are one line of plain text; mkdocs.yml gets them through a YAML dumper, and is read
back before anything is written.
"""

from __future__ import annotations

import argparse
import re
import sys
from importlib import metadata, resources
from pathlib import Path

from generator.core.problems import printable
from generator.safepath import UnsafePath, no_links

DISTRIBUTION = "evidence-site"  # pyproject.toml's name
EMPTY_FOLDERS = ("content/forms", "content/sources", "content/cards")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", type=Path, metavar="DIR", help="the new site's folder "
                        "(created if missing; files already there are never overwritten)")
    parser.add_argument("--title", required=True, help='the site\'s name, e.g. "Vitamin D '
                        'and fatigue: evidence audit"')
    parser.add_argument("--topic", help='what the site audits, in a sentence, e.g. "vitamin D '
                        'and fatigue" (default: the title)')


class BadText(ValueError):
    """A title or topic that cannot be the site's (a one-line message)."""


def run(args: argparse.Namespace) -> int:
    from generator.core.schema import CONTROL

    title, topic = args.title.strip(), (args.topic or args.title).strip()
    if any(len(t.splitlines()) != 1 or CONTROL.search(t) for t in (title, topic)):
        print("evidence init: --title and --topic must be one line of text (no line breaks "
              "or control characters)", file=sys.stderr)
        return 1
    try:
        files = site_files(title, topic)
        written = write_new(args.dir, files)
    except (BadText, FileExistsError, UnsafePath, OSError) as exc:
        print(printable(f"evidence init: {exc}; nothing was written"), file=sys.stderr)
        return 1
    print(f"made an evidence site in {args.dir} ({len(written)} files)\n"
          f"next: cd {args.dir} && evidence check && mkdocs serve")
    return 0


def site_files(title: str, topic: str) -> dict[str, str]:
    """Path in the new site → its text."""
    from generator.outputs.markdown import md_escape
    from generator.outputs.schemas import schema_files

    values = {"@@TITLE@@": _yaml(title),
              "@@DESCRIPTION@@": _yaml(f"Claims about {topic}, checked against the studies."),
              "@@TOPIC@@": _yaml(topic),
              "@@TITLE_TEXT@@": str(md_escape(title)),
              "@@TOPIC_TEXT@@": str(md_escape(topic)),
              "@@REQUIREMENT@@": f"{DISTRIBUTION}=={_version()}"}
    out: dict[str, str] = {}
    root = resources.files("generator") / "scaffold"
    for path, text in _walk(root, ""):  # in one pass: a value is never read for a placeholder
        out[path] = _PLACEHOLDER.sub(lambda m: values.get(m.group(), m.group()), text)
    _check_config(out["mkdocs.yml"], title, topic)
    out["content/references.bib"] = ""
    for name, text in schema_files().items():
        out[f"schema/{name}"] = text
    for folder in EMPTY_FOLDERS:  # kept in git
        out[f"{folder}/.gitkeep"] = ""
    return out


_PLACEHOLDER = re.compile(r"@@[A-Z_]+@@")


def _yaml(text: str) -> str:
    """text as one double-quoted YAML scalar (every character that YAML would read otherwise
    escaped)."""
    import yaml

    return yaml.safe_dump(text, allow_unicode=True, default_style='"',
                          width=float("inf")).rstrip("\n")


def _check_config(config: str, title: str, topic: str) -> None:
    """BadText unless mkdocs.yml reads back with the title and topic as given."""
    from generator.config import PLUGIN, parse_mkdocs_yml

    parsed = parse_mkdocs_yml(config, "mkdocs.yml")
    options = next((e[PLUGIN] for e in parsed.get("plugins") or []
                    if isinstance(e, dict) and PLUGIN in e), {})
    if parsed.get("site_name") != title or options.get("topic") != topic:
        raise BadText("the title or topic cannot be written into mkdocs.yml as given")


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

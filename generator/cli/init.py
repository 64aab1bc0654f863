"""`evidence init DIR --title "…" [--topic "…"] --outcome "…"`: a working evidence site in an
empty (or new) folder: mkdocs.yml with the `evidence` plugin, content/ (README, empty folders,
an empty references.bib), the JSON Schemas, docs/about.md, a README with the two commands, GitHub
workflows for pull requests and Pages, and a pre-commit configuration.

It never overwrites anything: if any file it would write exists, it writes nothing. The title
and topic are one line of plain text; mkdocs.yml gets them through a YAML dumper, and is read
back before anything is written.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from generator.core.problems import printable
from generator.safepath import UnsafePath, no_links

DISTRIBUTION = "evidence-site"  # pyproject.toml's name
WHEELS = "wheels"  # where a new site keeps the local wheel its generator was installed from
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


class BadText(ValueError):
    """A title or topic that cannot be the site's (a one-line message)."""


def _asked(args: argparse.Namespace, ask: Callable[[str], str]) -> tuple[dict[str, str],
                                                                         list[str]]:
    """Each asked text (from its flag, or a prompt in a terminal) and what is missing."""
    from generator.core.schema import CONTROL

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
        elif len(value.splitlines()) > 1 or CONTROL.search(value):
            errors.append(f"--{name}: must be one line of text (no line breaks or control "
                          "characters)")
        texts[name] = value
    return texts, errors


def run(args: argparse.Namespace, ask: Callable[[str], str] = input) -> int:
    texts, errors = _asked(args, ask)
    if errors:
        for error in errors:
            print(printable(f"evidence init: {error}"), file=sys.stderr)
        return 2
    install = _installed()
    try:
        files = site_files(texts["title"], texts["topic"], texts["outcome"], install)
        written = write_new(args.dir, files)
    except (BadText, FileExistsError, UnsafePath, OSError) as exc:
        print(printable(f"evidence init: {exc}; nothing was written"), file=sys.stderr)
        return 1
    if install.note:
        print(printable(f"evidence init: note: {install.note}"), file=sys.stderr)
    print(f"made an evidence site in {args.dir} ({len(written)} files)\n"
          f"next: cd {args.dir} && evidence check && mkdocs serve")
    return 0


def site_files(title: str, topic: str, outcome: str,
               install: InstallStep | None = None) -> dict[str, str | bytes]:
    """Path in the new site → its text (or bytes: the generator's wheel, if local)."""
    install = install or InstallStep(f"{DISTRIBUTION}==0.1.0")
    from generator.outputs.guide import guide_values
    from generator.outputs.markdown import md_escape
    from generator.outputs.schemas import schema_files

    values = {"@@TITLE@@": _yaml(title),
              "@@DESCRIPTION@@": _yaml(f"Claims about {topic}, checked against the studies."),
              "@@TOPIC@@": _yaml(topic),
              "@@OUTCOME@@": _yaml(outcome),
              "@@OUTCOME_TEXT@@": str(md_escape(outcome)),
              "@@TITLE_TEXT@@": str(md_escape(title)),
              "@@TOPIC_TEXT@@": str(md_escape(topic)),
              "@@REQUIREMENT@@": install.requirement}
    values.update(guide_values(outcome))
    out: dict[str, str | bytes] = {}
    root = resources.files("generator") / "scaffold"
    for path, text in _walk(root, ""):  # in one pass: a value is never read for a placeholder
        out[path] = _PLACEHOLDER.sub(lambda m: values.get(m.group(), m.group()), text)
    _check_config(out["mkdocs.yml"], title, topic)
    out["content/references.bib"] = ""
    for name, text in schema_files().items():
        out[f"schema/{name}"] = text
    for folder in EMPTY_FOLDERS:  # kept in git
        out[f"{folder}/.gitkeep"] = ""
    if install.wheel is not None:
        out[f"{WHEELS}/{install.wheel.name}"] = install.wheel.read_bytes()
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


@dataclass(frozen=True)
class InstallStep:
    """How a new site installs the generator that made it."""

    requirement: str
    """The line of its requirements.txt."""
    wheel: Path | None = None
    """A local wheel (or source archive) to copy into the site's wheels/ folder."""
    note: str = ""
    """What the user must do when the step cannot work on another machine."""


def install_step(direct_url: dict[str, Any] | None, version: str, origin: str | None = None,
                 commit: str | None = None) -> InstallStep:
    """The install step for a generator installed from direct_url (PEP 610's direct_url.json;
    None: from a package index). A checkout is installed from its git remote (origin, at
    commit) when it has one."""
    name = f"{DISTRIBUTION}[pinned]"  # with the versions it was tested with
    pinned = f"{name}=={version}"
    if not direct_url:
        return InstallStep(pinned)
    url = str(direct_url.get("url", ""))
    vcs = direct_url.get("vcs_info")
    if isinstance(vcs, dict):
        revision = vcs.get("commit_id") or vcs.get("requested_revision")
        at = f"@{revision}" if revision else ""
        sub = direct_url.get("subdirectory")
        return InstallStep(f"{name} @ {vcs.get('vcs', 'git')}+{url}{at}"
                           + (f"#subdirectory={sub}" if sub else ""))
    if "archive_info" in direct_url:
        if url.startswith("file:"):
            path = Path(url2pathname(urlsplit(url).path))
            return InstallStep(f"./{WHEELS}/{path.name}[pinned]", wheel=path)
        info = direct_url["archive_info"] or {}
        hashes = info.get("hashes") or {}
        fragment = (f"#sha256={hashes['sha256']}" if "sha256" in hashes else
                    f"#{info['hash']}" if info.get("hash") else "")
        return InstallStep(f"{name} @ {url}{fragment}")
    if origin and commit:  # a checkout (dir_info) with a remote
        return InstallStep(f"{name} @ git+{_git_url(origin)}@{commit}")
    folder = url2pathname(urlsplit(url).path) if url.startswith("file:") else url
    return InstallStep(pinned, note=(
        f"the generator was installed from the folder {folder}, which no other machine can "
        f"reach: requirements.txt names {pinned}; replace that line with where this site's CI "
        f"can get it (a git URL, or a wheel made with `pip wheel --no-deps {folder} -w "
        f"{WHEELS}` and named ./{WHEELS}/<its file name>)"))


def _git_url(remote: str) -> str:
    """A git remote as pip reads it: scp-like user@host:path becomes ssh://user@host/path."""
    match = re.fullmatch(r"([\w.-]+@[\w.-]+):(?!//)(.+)", remote)
    return f"ssh://{match[1]}/{match[2]}" if match else remote


def _installed() -> InstallStep:
    """The install step of the generator running now (its distribution's direct_url.json)."""
    try:
        dist = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return InstallStep(f"{DISTRIBUTION}==0.1.0", note="the generator is not installed "
                           "as a distribution: requirements.txt names a version")
    raw = dist.read_text("direct_url.json")
    try:
        direct = json.loads(raw) if raw else None
    except ValueError:
        direct = None
    origin = commit = None
    if isinstance(direct, dict) and "dir_info" in direct:
        origin, commit = _git_remote(Path(url2pathname(urlsplit(direct.get("url", "")).path)))
    return install_step(direct if isinstance(direct, dict) else None, dist.version,
                        origin, commit)


def _git_remote(folder: Path) -> tuple[str | None, str | None]:
    """A checkout's origin (unless it is a local path) and its HEAD commit."""
    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True,
                                  text=True, timeout=30, check=False)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None

    origin = git("remote", "get-url", "origin")
    if origin and (origin.startswith(("/", ".", "file:")) or os.path.exists(origin)):
        origin = None  # another folder on this machine
    return (origin, git("rev-parse", "HEAD")) if origin else (None, None)


def write_new(root: Path, files: dict[str, str | bytes]) -> list[Path]:
    """Write every file under root, or none if any exists (or a path passes a link)."""
    paths = {name: no_links(root / name, "a file of the new site") for name in files}
    existing = sorted(name for name, path in paths.items() if path.exists())
    if existing:
        raise FileExistsError(f"{root}: already has {', '.join(existing[:5])}"
                              + (" …" if len(existing) > 5 else ""))
    written = []
    for name, path in paths.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        content = files[name]
        if isinstance(content, bytes):
            with open(path, "xb") as binary:  # never overwrite
                binary.write(content)
            written.append(path)
            continue
        with open(path, "x", encoding="utf-8") as handle:  # never overwrite
            handle.write(content)
        written.append(path)
    return written

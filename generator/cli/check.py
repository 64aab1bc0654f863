"""`evidence check`: validate every card, form, article and reference of the content folder
(content_dir of mkdocs.yml's evidence plugin), and the project's folders where the generator
writes; print every problem, exit 1 if any is an error."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from generator.config import SettingsError, read_settings
from generator.core.load import load_evidence
from generator.core.problems import Problem, errors_only, printable
from generator.counting import counted


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    try:
        content = read_settings(args.root).content_dir
    except SettingsError as exc:
        print(printable(str(exc)), file=sys.stderr)
        return 1
    evidence, problems = load_evidence(args.root, content)
    problems = sorted(problems + tracked_cache(args.root) + links_where_written(args.root))
    for p in problems:
        print(p)
    errors = errors_only(problems)
    warnings = len(problems) - len(errors)
    if errors:
        print(f"{counted(len(errors), 'problem')}, {counted(warnings, 'warning')}",
              file=sys.stderr)
        return 1
    print(f"ok: {counted(len(evidence.cards), 'card')}, {counted(len(evidence.forms), 'form')}, "
          f"{counted(len(evidence.sources), 'article')}, "
          f"{counted(len(evidence.references), 'reference')}; {counted(warnings, 'warning')}")
    return 0


WRITTEN = ("site", ".cache", ".cache/evidence", "schema")  # where builds and commands write


def links_where_written(root: Path) -> list[Problem]:
    """A symbolic link where the generator writes (committed in a pull request, it would
    send the site, the cache or the schemas elsewhere): builds refuse it; check says so."""
    return [Problem(name, 1, 1, "", "is a symbolic link where the generator writes; remove it",
                    "builds refuse to write through links")
            for name in WRITTEN if (root / name).is_symlink()]


def tracked_cache(root: Path) -> list[Problem]:
    """A problem for each file under .cache/ that git tracks: builds make the cache, and one
    committed in a pull request would be what the next build reads."""
    try:
        listed = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--", ".cache"],
                                capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return []  # no git: nothing is tracked
    if listed.returncode:
        return []  # not a repository
    return [Problem(name, 1, 1, "", "is tracked by git: the cache is made by each build and "
                    "must never be committed", "git rm -r --cached .cache")
            for name in sorted(os.fsdecode(n) for n in listed.stdout.split(b"\0") if n)]



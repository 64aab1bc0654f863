"""`evidence check`: validate every card, form, article and reference of the content folder
(content_dir of mkdocs.yml's evidence plugin), and the project's folders where the generator
writes; print every problem, exit 1 if any is an error."""

from __future__ import annotations

import argparse
import os
import sys
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from generator.cli.swap import old_site, staging_prefix
from generator.config import build_day
from generator.core.changes import unexplained
from generator.core.load import load_evidence
from generator.core.model import Evidence
from generator.core.problems import Problem, errors_only, printable
from generator.core.retractions import (
    RetractionFileError,
    cited_ids,
    read_notices,
    retraction_problems,
)
from generator.core.review import stale_searches
from generator.counting import counted
from generator.project import Project
from generator.safepath import tracked_files


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base", metavar="REF", help="git ref to compare with (a pull "
                        "request's base): a verdict, certainty or bottom line changed since "
                        "then needs a new dated note in its changes")
    parser.add_argument("--retractions", metavar="FILE", type=Path, help="the Retraction "
                        "Watch CSV (as Crossref distributes it): every cited reference it "
                        "lists as retracted or under an expression of concern is reported")


def run(args: argparse.Namespace) -> int:
    root, settings = args.project.root, args.project.settings
    evidence, problems = load_evidence(root, settings.content_dir)
    problems = sorted(problems + tracked_build_output(args.project)
                      + links_where_written(args.project)
                      + stale_searches(evidence, root, build_day(),
                                       settings.review_after_months))
    if args.retractions is not None:
        try:
            notices = read_notices(args.retractions.read_text(encoding="utf-8",
                                                              errors="replace"),
                                   str(args.retractions), cited_ids(evidence))
        except (OSError, RetractionFileError) as exc:
            print(printable(f"evidence check: {exc}"), file=sys.stderr)
            return 2
        bib = args.project.bib.relative_to(root).as_posix()
        problems = sorted(problems + retraction_problems(evidence, notices, bib))
    if args.base is not None:
        try:
            problems = sorted(problems + since_base(root, args.base, evidence,
                                                    settings.content_dir))
        except (ValueError, OSError, tarfile.TarError) as exc:
            print(printable(f"evidence check: {exc}"), file=sys.stderr)
            return 2
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


def since_base(root: Path, base: str, evidence: Evidence, folder: str) -> list[Problem]:
    """Changes of verdict, certainty or bottom line since the git ref `base` without a new
    dated note (the content there is read as `evidence diff` reads it)."""
    from generator.cli.diff import old_evidence

    with tempfile.TemporaryDirectory(prefix="evidence-base-") as tmp:
        old, _ = old_evidence(root.resolve(), base, Path(tmp), folder)
    return unexplained(old, evidence, base, root)


def links_where_written(project: Project) -> list[Problem]:
    """A symbolic link where the generator writes (committed in a pull request, it would
    send the site, the cache or the schemas elsewhere): builds refuse it; check says so."""
    return [Problem(path.relative_to(project.root).as_posix(), 1, 1, "",
                    "is a symbolic link where the generator writes; remove it",
                    "builds refuse to write through links")
            for path in project.written()
            if path.is_relative_to(project.root) and path.is_symlink()]


def tracked_build_output(project: Project) -> list[Problem]:
    """A problem for each file that git tracks where builds write: .cache/, the site folder,
    and what a killed build leaves beside it (.site-old, .site-building-*, as cli/swap.py
    names them). Committed in a pull request, the cache would be what the next build reads;
    the others are never taken for a build's own (builds refuse or leave them), and check
    says why."""
    root = project.root

    def relative(path: Path) -> PurePosixPath:
        return PurePosixPath(Path(os.path.relpath(path, root)).as_posix())

    caches, site = relative(project.caches), relative(project.output)
    old, staging = old_site(project.output).name, staging_prefix(project.output)
    problems = []
    for name in tracked_files(root):
        for folder in PurePosixPath(name).parents:
            if folder == caches:
                what = "the cache is made by each build"
            elif folder == site:
                what = "the site folder is made by each build"
            elif folder.parent == site.parent and (
                    folder.name == old or folder.name.startswith(staging)):
                what = "what a killed build leaves is never taken for a build's own"
            else:
                continue
            problems.append(Problem(name, 1, 1, "", f"is tracked by git: {what}; it must "
                                    "never be committed", f"git rm -r --cached {folder}"))
            break
    return problems

"""`evidence build [--engine mkdocs|properdocs|zensical]`: the whole site and the handouts,
swapped into place only on success. The engine's build: cli/engine.py.

The build goes to a staging folder beside the output folder (`.site-building-<pid>-…`); a
failed build (bad content, a broken link in strict mode, a handout that does not compile)
leaves the previous site as it was. The new site and the old one are exchanged in one step
(Linux renameat2 RENAME_EXCHANGE), so that at every instant one of them is in place; where
the system cannot, two renames, and the next run restores an interrupted one
(`.site-old`). Staging folders of builds that were killed are removed by the next run. An
output folder that is a mount point (a container volume) cannot be renamed: the site is
then built inside it and its contents are replaced. Handouts go to <site>/handouts/.

Nothing is written through a symbolic link (safepath.py), and nothing outside the output
folder, its staging folders and `.cache/` is created, renamed or deleted. The output folder
never holds the project, its content, docs, package or anything git tracks, and is new, empty
or made by a build (swap.py); site_dir in mkdocs.yml (which a pull request can change) must
lie inside the project, while --out may go anywhere.
"""

from __future__ import annotations

import argparse
import calendar
import errno
import os
import shutil
import sys
import tempfile
from pathlib import Path

from generator.cli.engine import ENGINES, EngineFailed, missing, run_engine
from generator.cli.swap import OldSiteLeft, output_folder, replace_contents, staging_prefix, swap
from generator.core.load import LoadCache
from generator.core.model import Evidence
from generator.project import Project
from generator.refcache import DiskStore
from generator.safepath import UnsafePath, mark_as_built, no_links


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder (default: site_dir of mkdocs.yml, i.e. site/)")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF handouts")
    parser.add_argument("--offline", action="store_true",
                        help="build a copy that works opened from file:// (pages as .html)")
    parser.add_argument("--engine", choices=ENGINES, default="mkdocs",
                        help="the site generator that builds the pages (default: mkdocs)")


def run(args: argparse.Namespace) -> int:
    from generator.cli import load_or_report
    from generator.core.problems import printable

    project = args.project
    problem = missing(args.engine)
    if problem is None and args.offline and args.engine == "zensical":
        problem = "--offline needs the offline plugin of MkDocs: use --engine mkdocs"
    if problem:
        print(f"evidence build: {problem}", file=sys.stderr)
        return 1
    try:  # before anything is written: where the site and the cache go, and past debris
        out = output_folder(project, args.out)
        cache = LoadCache(DiskStore(no_links(project.cache, "the cache folder")))
    except (UnsafePath, OSError) as exc:
        print(printable(f"evidence build: {exc}"), file=sys.stderr)
        return 1
    evidence = load_or_report(project, "build stopped; the previous site is unchanged", cache)
    if evidence is None:
        return 1
    try:
        out = build_project(project, out, content_epoch(evidence), evidence)
    except OldSiteLeft as exc:
        print(printable(f"evidence build: {exc}"), file=sys.stderr)
        return 1
    except Exception as exc:  # the engine, typst: report, keep the old site
        print(printable(f"build failed: {exc}"), "the previous site is unchanged", sep="\n",
              file=sys.stderr)
        return 1
    from generator.cli.summary import summary

    print(summary(out, len(evidence.cards), project.settings.site_url, project.offline))
    return 0


def content_epoch(evidence: Evidence) -> int | None:
    """The latest `reviewed` date of any card (midnight UTC), as seconds since 1970."""
    latest = max((c.reviewed for c in evidence.cards), default=None)
    return calendar.timegm(latest.timetuple()) if latest else None


def build_site(root: Path, out: Path | None = None, with_pdf: bool = True,
               offline: bool = False, source_date_epoch: int | None = None,
               evidence: Evidence | None = None, engine: str = "mkdocs") -> Path:
    """Build the project at root (as its mkdocs.yml says) into out; see build_project."""
    project = Project.read(root, engine=engine, pdf=with_pdf, offline=offline)
    return build_project(project, out, source_date_epoch, evidence)


def build_project(project: Project, out: Path | None = None,
                  source_date_epoch: int | None = None, evidence: Evidence | None = None,
                  ) -> Path:
    """Build into a temporary folder and swap it into place; same input, same bytes.

    SOURCE_DATE_EPOCH (sitemap dates, gzip time, PDF dates) is kept when set, else taken
    from source_date_epoch, so that two builds of the same content are byte-identical.
    The evidence (loaded from the project's content_dir, without errors) is what the
    claim pages are counted against; it is loaded here when not given.
    """
    env: dict[str, str] = {}
    if "SOURCE_DATE_EPOCH" not in os.environ and source_date_epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(source_date_epoch)
    out = output_folder(project, out)
    cache = LoadCache(DiskStore(no_links(project.cache, "the cache folder")))
    if evidence is None:
        evidence = _load(project, cache)
    in_place = os.path.ismount(out)  # a mount point cannot be renamed: build inside it
    home = out if in_place else out.parent
    home.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{staging_prefix(out)}{os.getpid()}-", dir=home))
    try:
        mark_as_built(staging)  # from the start: what a killed build leaves is known as ours
        run_engine(project, staging, env, evidence)
        mark_as_built(staging)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(staging, 0o777 & ~mask)  # mkdtemp made it 0700: the usual modes
        if in_place:
            replace_contents(staging, out)
        else:
            try:
                swap(staging, out)
            except OSError as exc:  # a mount point that os.path.ismount missed (a bind mount)
                if exc.errno != errno.EBUSY:
                    raise
                replace_contents(staging, out)
    finally:
        if staging.is_dir() and not staging.is_symlink():
            shutil.rmtree(staging, ignore_errors=True)
    return out



def _load(project: Project, cache: LoadCache) -> Evidence:
    from generator.core.load import load_evidence
    from generator.core.problems import errors_only
    from generator.counting import counted

    evidence, problems = load_evidence(project.root, project.settings.content_dir, cache)
    errors = errors_only(problems)
    if errors:
        raise EngineFailed(f"{counted(len(errors), 'problem')} in the evidence content: "
                           f"{errors[0]}")
    return evidence

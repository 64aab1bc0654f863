"""`evidence build`: the whole site and the handouts, swapped into place only on success.

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
never holds the project, its content or docs; site_dir in mkdocs.yml (which a pull request
can change) must lie inside the project, while --out may go anywhere.
"""

from __future__ import annotations

import argparse
import calendar
import contextlib
import errno
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from generator.cli.swap import OldSiteLeft, output_folder, replace_contents, staging_prefix, swap
from generator.config import CACHE_DIR, SettingsError, read_settings
from generator.core.load import LoadCache
from generator.core.model import Evidence
from generator.refcache import DiskStore
from generator.safepath import UnsafePath, no_links


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder (default: site_dir of mkdocs.yml, i.e. site/)")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF handouts")
    parser.add_argument("--offline", action="store_true",
                        help="build a copy that works opened from file:// (pages as .html)")


def run(args: argparse.Namespace) -> int:
    from generator.cli import load_or_report
    from generator.core.problems import printable

    root = args.root.resolve()
    try:  # before anything is written: where the site and the cache go, and past debris
        out = output_folder(root, args.out)
        cache = LoadCache(DiskStore(no_links(root / CACHE_DIR, "the cache folder")))
    except (UnsafePath, SettingsError, OSError) as exc:
        print(printable(f"evidence build: {exc}"), file=sys.stderr)
        return 1
    evidence = load_or_report(root, "build stopped; the previous site is unchanged", cache)
    if evidence is None:
        return 1
    try:
        out = build_site(root, out, with_pdf=not args.no_pdf, offline=args.offline,
                         source_date_epoch=content_epoch(evidence), cache=cache,
                         evidence=evidence)
    except OldSiteLeft as exc:
        print(printable(f"evidence build: {exc}"), file=sys.stderr)
        return 1
    except Exception as exc:  # mkdocs, typst: report, keep the old site
        print(printable(f"build failed: {exc}\nthe previous site is unchanged"),
              file=sys.stderr)
        return 1
    from generator.cli.summary import summary

    print(summary(out, len(evidence.cards), read_settings(root).site_url, args.offline))
    return 0


def content_epoch(evidence: Evidence) -> int | None:
    """The latest `reviewed` date of any card (midnight UTC), as seconds since 1970."""
    latest = max((c.reviewed for c in evidence.cards), default=None)
    return calendar.timegm(latest.timetuple()) if latest else None


@contextlib.contextmanager
def _environment(values: dict[str, str]):
    """Set environment variables for the build (mkdocs reads them), then restore them."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class _Printable(logging.Formatter):
    """A message that names a file of the project shows escape codes in its name escaped."""

    def format(self, record: logging.LogRecord) -> str:
        from generator.core.problems import printable

        return printable(super().format(record))


@contextlib.contextmanager
def _warnings_shown():
    """MkDocs' warnings on stderr (a broken link, say): in strict mode they fail the build,
    and the reader needs to see which."""
    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(_Printable("%(levelname)s - %(message)s"))
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


def build_site(root: Path, out: Path | None = None, with_pdf: bool = True,
               offline: bool = False, source_date_epoch: int | None = None,
               cache: LoadCache | None = None, evidence: Evidence | None = None) -> Path:
    """Build into a temporary folder and swap it into place; same input, same bytes.

    SOURCE_DATE_EPOCH (sitemap dates, gzip time, PDF dates) is kept when set, else taken
    from source_date_epoch, so that two builds of the same content are byte-identical.
    A cache from a load just made lets the plugin skip parsing unchanged files again; the
    evidence of that load (from CONTENT_DIR, without errors) lets it skip loading at all.
    """
    env = {"EVIDENCE_OFFLINE": "true" if offline else "false"}
    if "SOURCE_DATE_EPOCH" not in os.environ and source_date_epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(source_date_epoch)
    with _environment(env), _warnings_shown():
        return _build(root, out, with_pdf, cache, evidence)


def _build(root: Path, out: Path | None, with_pdf: bool, cache: LoadCache | None,
           evidence: Evidence | None) -> Path:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    out = output_folder(root, out)
    no_links(root / CACHE_DIR, "the cache folder")
    in_place = os.path.ismount(out)  # a mount point cannot be renamed: build inside it
    home = out if in_place else out.parent
    home.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{staging_prefix(out)}{os.getpid()}-", dir=home))
    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(staging))
        plugin = config.plugins["evidence"]
        if not with_pdf:  # the plugin makes the handouts (so that `mkdocs build` does too)
            plugin.config["handouts"] = False
        if cache is not None:
            plugin.cache = cache
        plugin.preloaded = evidence  # loaded from the same content_dir (generator/config.py)
        build(config)
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

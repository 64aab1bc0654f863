"""`evidence build`: the whole site and the handouts, swapped into place only on success.

The build goes to a temporary folder beside the output folder; a failed build (bad content,
a broken link in strict mode, a handout that does not compile) leaves the previous site as it
was. Handouts go to <site>/handouts/.
"""

from __future__ import annotations

import argparse
import calendar
import contextlib
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from .load import CACHE_DIR, CONTENT_DIR, LoadCache
from .model import Evidence


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder (default: site_dir of mkdocs.yml, i.e. site/)")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF handouts")
    parser.add_argument("--offline", action="store_true",
                        help="build a copy that works opened from file:// (pages as .html)")
    parser.add_argument("--jobs", type=_positive, default=None, metavar="N",
                        help="processes that build shares of the pages (default: one per "
                        "core, up to 4, for sites of 500 pages or more; else 1)")


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, not {text!r}")
    return int(text)


def run(args: argparse.Namespace) -> int:
    from .cli import load_or_report

    root = args.root.resolve()
    cache = LoadCache(root / CACHE_DIR)  # the plugin reuses this load's parsed files
    evidence = load_or_report(root, "build stopped; the previous site is unchanged", cache)
    if evidence is None:
        return 1
    try:
        out = build_site(root, args.out, with_pdf=not args.no_pdf, offline=args.offline,
                         source_date_epoch=content_epoch(evidence), cache=cache,
                         jobs=args.jobs, evidence=evidence)
    except Exception as exc:  # mkdocs, typst: report, keep the old site
        print(f"build failed: {exc}\nthe previous site is unchanged", file=sys.stderr)
        return 1
    print(f"built {len(evidence.cards)} claim pages into {out}")
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


@contextlib.contextmanager
def _warnings_shown():
    """MkDocs' warnings on stderr (a broken link, say): in strict mode they fail the build,
    and the reader needs to see which."""
    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


def build_site(root: Path, out: Path | None = None, with_pdf: bool = True,
               offline: bool = False, source_date_epoch: int | None = None,
               cache: LoadCache | None = None, jobs: int | None = None,
               evidence: Evidence | None = None) -> Path:
    """Build into a temporary folder and swap it into place; same input, same bytes.

    SOURCE_DATE_EPOCH (sitemap dates, gzip time, PDF dates) is kept when set, else taken
    from source_date_epoch, so that two builds of the same content are byte-identical.
    A cache from a load just made lets the plugin skip parsing unchanged files again; the
    evidence of that load (from CONTENT_DIR, without errors) lets it skip loading at all.
    jobs: processes that build shares of the pages (None: shares.default_jobs).
    """
    env = {"EVIDENCE_OFFLINE": "true" if offline else "false"}
    if "SOURCE_DATE_EPOCH" not in os.environ and source_date_epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(source_date_epoch)
    with _environment(env), _warnings_shown():
        return _build(root, out, with_pdf, cache, jobs, evidence)


def _build(root: Path, out: Path | None, with_pdf: bool, cache: LoadCache | None,
           jobs: int | None, evidence: Evidence | None) -> Path:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from . import shares

    config = load_config(str(root / "mkdocs.yml"))
    out = (out or Path(config.site_dir)).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-building-", dir=out.parent))
    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(staging))
        plugin = config.plugins["evidence"]
        if not with_pdf:  # the plugin makes the handouts (so that `mkdocs build` does too)
            plugin.config["handouts"] = False
        if cache is not None:
            plugin.cache = cache
        if plugin.config.content_dir != CONTENT_DIR:  # the plugin loads its own folder
            evidence = None
        jobs = plugin.prepare(config, evidence, jobs)  # load and render once, for all shares
        if jobs > 1:
            shares.build_in_shares(config, jobs)
        else:
            build(config)
        _swap(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out


def _swap(new: Path, out: Path) -> None:
    old = out.with_name(f".{out.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    new.rename(out)
    shutil.rmtree(old, ignore_errors=True)

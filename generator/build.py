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
import ctypes
import errno
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from .load import CACHE_DIR, CONTENT_DIR, LoadCache
from .model import Evidence
from .safepath import UnsafePath, inside, no_links


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder (default: site_dir of mkdocs.yml, i.e. site/)")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF handouts")
    parser.add_argument("--offline", action="store_true",
                        help="build a copy that works opened from file:// (pages as .html)")


def run(args: argparse.Namespace) -> int:
    from .cli import load_or_report
    from .problems import printable

    root = args.root.resolve()
    try:  # before anything is written: where the site and the cache go, and past debris
        out = output_folder(root, args.out)
        cache = LoadCache(no_links(root / CACHE_DIR, "the cache folder"))
    except (UnsafePath, OSError) as exc:
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


class _Printable(logging.Formatter):
    """A message that names a file of the project shows escape codes in its name escaped."""

    def format(self, record: logging.LogRecord) -> str:
        from .problems import printable

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
    staging = Path(tempfile.mkdtemp(prefix=f"{_staging_prefix(out)}{os.getpid()}-", dir=home))
    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(staging))
        plugin = config.plugins["evidence"]
        if not with_pdf:  # the plugin makes the handouts (so that `mkdocs build` does too)
            plugin.config["handouts"] = False
        if cache is not None:
            plugin.cache = cache
        if plugin.config.content_dir == CONTENT_DIR:  # else the plugin loads its own folder
            plugin.preloaded = evidence
        build(config)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(staging, 0o777 & ~mask)  # mkdtemp made it 0700: the usual modes
        if in_place:
            _replace_contents(staging, out)
        else:
            try:
                _swap(staging, out)
            except OSError as exc:  # a mount point that os.path.ismount missed (a bind mount)
                if exc.errno != errno.EBUSY:
                    raise
                _replace_contents(staging, out)
    finally:
        if staging.is_dir() and not staging.is_symlink():
            shutil.rmtree(staging, ignore_errors=True)
    return out


class OldSiteLeft(OSError):
    """The new site is in place, but the old one could not be removed."""


def output_folder(root: Path, out: Path | None) -> Path:
    """The output folder (--out, or site_dir of mkdocs.yml), absolute, checked: no symbolic
    link on the way, not the project, its content or docs. Restores a swap that a kill
    interrupted, and removes the staging folders of builds that were killed."""
    if out is None:  # mkdocs.yml comes with the content: it may not send the site elsewhere
        from mkdocs.config import load_config

        out = no_links(load_config(str(root / "mkdocs.yml")).site_dir, "the output folder")
        if not inside(out, root):
            raise UnsafePath(f"the output folder {out} (site_dir in mkdocs.yml) is outside the "
                             "project; give --out to build there")
    out = no_links(out, "the output folder")
    if os.path.lexists(out) and not out.is_dir():
        raise UnsafePath(f"the output folder {out} is a file; choose another --out")
    for keep in (root, root / "content", root / "docs", root / ".git", root / CACHE_DIR):
        if inside(keep, out) or (keep != root and inside(out, keep)):
            raise UnsafePath(f"the output folder {out} would replace {keep}; choose another "
                             "--out (or site_dir in mkdocs.yml)")
    _recover(out)
    return out


def _staging_prefix(out: Path) -> str:
    return ".building-" if os.path.ismount(out) else f".{out.name}-building-"


def _old_name(out: Path) -> Path:
    return out.with_name(f".{out.name}-old")


def _recover(out: Path) -> None:
    """Undo what a killed build left: a swap between its two renames (no site, the old one
    set aside), and staging folders whose process is gone."""
    old = _old_name(out)
    if old.is_dir() and not old.is_symlink():
        if not os.path.lexists(out):
            os.rename(old, out)
        else:  # the swap was done; what cannot be removed goes out of the way
            shutil.rmtree(old, ignore_errors=True)
            if os.path.lexists(old):
                os.rename(old, old.with_name(f"{_staging_prefix(out)}{os.getpid()}-old"))
    home, prefix = (out, ".building-") if os.path.ismount(out) else (out.parent,
                                                                    _staging_prefix(out))
    if not home.is_dir():
        return
    for entry in home.iterdir():
        if not entry.name.startswith(prefix) or entry.is_symlink() or not entry.is_dir():
            continue
        pid = entry.name[len(prefix):].split("-")[0]
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
            continue  # another build at work
        shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process
    return True


RENAME_EXCHANGE = 2
AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Exchange two paths in one step (Linux renameat2 with RENAME_EXCHANGE); False where
    the system or file system cannot."""
    if sys.platform != "linux":
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library without it (glibc before 2.28)
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _swap(new: Path, out: Path) -> None:
    """Put new in out's place; the old site is removed (OldSiteLeft if it cannot be)."""
    if not os.path.lexists(out):
        os.rename(new, out)
    elif _exchange(new, out):
        _remove_old(new)  # new now holds the old site
    else:
        old = _old_name(out)
        os.rename(out, old)  # a kill here: _recover puts it back
        os.rename(new, out)
        _remove_old(old)


def _replace_contents(new: Path, out: Path) -> None:
    """Replace out's contents with new's (out is a mount point: it cannot be renamed). The
    old entries are set aside inside out first, then removed."""
    old = Path(tempfile.mkdtemp(prefix=f".building-{os.getpid()}-old-", dir=out))
    for entry in out.iterdir():
        if entry not in (new, old):
            os.rename(entry, old / entry.name)
    for entry in new.iterdir():
        shutil.move(entry, out / entry.name)  # a copy where new is on another file system
    _remove_old(old)


def _remove_tree(path: Path) -> None:
    shutil.rmtree(path)


def _remove_old(path: Path) -> None:
    try:
        _remove_tree(path)
    except OSError as exc:
        raise OldSiteLeft(f"the new site is in place, but the old site could not be fully "
                          f"removed from {path}: {exc.strerror or exc}; remove it by hand"
                          ) from exc

"""Where the generator writes: never through a symbolic link, never over what it did not make.

A pull request can commit a link named `site`, `.cache` or `schema` that points anywhere; a
build that followed it would write, rename or delete outside the project. Every folder or
file the generator writes to is first checked here: the path itself and every folder on the
way must be real folders (or not exist yet).

A folder the site is built into is replaced whole, so it must be new, empty, or one that a
build made: every build leaves its mark in it (`SITE_MARK`), and a folder that git tracks
files in (committed in a pull request, mark or not) is never one a build made.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from pathlib import Path

SITE_MARK = ".evidence-site"  # in every folder a build made: the next build may replace it


class UnsafePath(Exception):
    """A path to write to passes through a symbolic link (a one-line message)."""


def no_links(path: Path | str, what: str) -> Path:
    """The path made absolute (not resolved); UnsafePath if it or any folder on the way to it
    is a symbolic link."""
    absolute = Path(os.path.abspath(path))
    for part in [*reversed(absolute.parents), absolute]:
        if part.is_symlink():
            raise UnsafePath(
                f"{what} {absolute} passes through a symbolic link: {part} -> "
                f"{os.readlink(part)}; remove the link or give a path without links")
    return absolute


def inside(path: Path, folder: Path) -> bool:
    """path is folder or below it (both absolute, compared as written)."""
    return path == folder or folder in path.parents


def published_link(path: Path, root: Path) -> str | None:
    """Why a file of the project that the site would publish may not be, or None: a link (the
    file or a folder on its way) to a file outside the project, or into one of its hidden
    folders (.git/config can hold a token; .cache, .venv)."""
    real_root = Path(os.path.realpath(root))
    real = Path(os.path.realpath(path))
    if real == real_root / Path(os.path.abspath(path)).relative_to(os.path.abspath(root)):
        return None  # no link on the way
    if not real.is_relative_to(real_root):
        return "is a link to a file outside the project"
    if any(part.startswith(".") for part in real.relative_to(real_root).parts):
        return "is a link into a hidden folder of the project (.git, .cache, …)"
    return None


def tracked_files(folder: Path) -> list[str]:
    """The files under folder that git tracks, relative to it ([] where there is no git or
    no repository)."""
    try:
        listed = subprocess.run(["git", "-C", str(folder), "ls-files", "-z", "--", "."],
                                capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    if listed.returncode:
        return []
    return sorted(os.fsdecode(name) for name in listed.stdout.split(b"\0") if name)


def made_by_a_build(folder: Path) -> bool:
    """folder is a real folder that a build made: it holds the mark, and nothing git tracks."""
    mark = folder / SITE_MARK
    return (folder.is_dir() and not folder.is_symlink() and mark.is_file()
            and not mark.is_symlink() and not tracked_files(folder))


def mark_as_built(folder: Path) -> None:
    """Leave the mark of a build in folder (a real folder the build made)."""
    (folder / SITE_MARK).write_text("This folder is replaced whole by the next build.\n",
                                    encoding="utf-8")


def check_output(out: Path, root: Path, keep: Iterable[Path], what: str) -> None:
    """UnsafePath unless out (absolute, without links) may be replaced whole by a build: it
    neither holds the project at root nor holds or lies in a folder of keep (its content,
    docs, the package), and it is new, empty, or made by a build (its mark, nothing that git
    tracks). what: how to choose another folder."""
    package = Path(os.path.abspath(__file__)).parent  # the generator itself
    for folder in (root, *keep, package):
        if inside(folder, out) or (folder != root and inside(out, folder)):
            raise UnsafePath(f"the output folder {out} would replace {folder}; {what}")
    if not out.is_dir() or not any(out.iterdir()):
        return
    tracked = tracked_files(out)
    if tracked:
        shown = ", ".join(tracked[:3]) + (", …" if len(tracked) > 3 else "")
        raise UnsafePath(f"the output folder {out} holds files tracked by git ({shown}); "
                         f"a build would delete them; {what}")
    if not (out / SITE_MARK).is_file() or (out / SITE_MARK).is_symlink():
        raise UnsafePath(f"the output folder {out} holds files not made by evidence build "
                         f"(it has no {SITE_MARK}); a build would delete them; remove it, or "
                         f"{what}")

"""Where the generator writes: never through a symbolic link.

A pull request can commit a link named `site`, `.cache` or `schema` that points anywhere; a
build that followed it would write, rename or delete outside the project. Every folder or
file the generator writes to is first checked here: the path itself and every folder on the
way must be real folders (or not exist yet).
"""

from __future__ import annotations

import os
from pathlib import Path


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

"""The atomic swap of `evidence build`: the new site replaces the old one in one step.

The build goes to a staging folder beside the output folder (`.site-building-<pid>-…`); a
failed build leaves the previous site as it was. The new site and the old one are exchanged
in one step (Linux renameat2 RENAME_EXCHANGE), so that at every instant one of them is in
place; where the system cannot, two renames, and the next run restores an interrupted one
(`.site-old`). Staging folders of builds that were killed are removed by the next run. An
output folder that is a mount point (a container volume) cannot be renamed: the site is then
built inside it and its contents are replaced. Nothing is written through a symbolic link.

Every folder a build makes holds its mark (safepath.SITE_MARK). The output folder must be new,
empty or marked, and hold nothing git tracks; recovery restores or removes only marked,
untracked folders: what a build of this checkout left, never what a pull request committed.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
import tempfile
from pathlib import Path

from generator.project import Project
from generator.safepath import UnsafePath, check_output, inside, made_by_a_build, no_links


class OldSiteLeft(OSError):
    """The new site is in place, but the old one could not be removed."""


def output_folder(project: Project, out: Path | None) -> Path:
    """The output folder (--out, or site_dir of mkdocs.yml), absolute, checked: no symbolic
    link on the way; not the project, its content, docs or package; new, empty or made by a
    build, with nothing git tracks. Restores a swap that a kill interrupted, and removes the
    staging folders of builds that were killed."""
    root = project.root
    if out is None:  # mkdocs.yml comes with the content: it may not send the site elsewhere
        out = no_links(project.output, "the output folder")
        if not inside(out, root):
            raise UnsafePath(f"the output folder {out} (site_dir in mkdocs.yml) is outside the "
                             "project; give --out to build there")
    out = no_links(out, "the output folder")
    if os.path.lexists(out) and not out.is_dir():
        raise UnsafePath(f"the output folder {out} is a file; choose another --out")
    keep = [Path(os.path.abspath(path)) for path in project.kept()]
    check_output(out, root, keep,
                 "choose another --out (or site_dir in mkdocs.yml)")
    _recover(out)
    return out


def staging_prefix(out: Path) -> str:
    """How the name of a build's staging folder begins (.site-building-<pid>-…): beside the
    output folder, or inside it where it is a mount point."""
    return ".building-" if os.path.ismount(out) else f".{out.name}-building-"


def old_site(out: Path) -> Path:
    """Where a swap sets the old site aside between its two renames (.site-old)."""
    return out.with_name(f".{out.name}-old")


def _recover(out: Path) -> None:
    """Undo what a killed build left: a swap between its two renames (no site, the old one
    set aside), and staging folders whose process is gone."""
    old = old_site(out)
    if made_by_a_build(old):
        if not os.path.lexists(out):
            os.rename(old, out)
        else:  # the swap was done; what cannot be removed goes out of the way
            shutil.rmtree(old, ignore_errors=True)
            if os.path.lexists(old):
                os.rename(old, old.with_name(f"{staging_prefix(out)}{os.getpid()}-old"))
    home, prefix = (out, ".building-") if os.path.ismount(out) else (out.parent,
                                                                    staging_prefix(out))
    if not home.is_dir():
        return
    for entry in home.iterdir():
        if not entry.name.startswith(prefix) or not made_by_a_build(entry):
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


def swap(new: Path, out: Path) -> None:
    """Put new in out's place; the old site is removed (OldSiteLeft if it cannot be)."""
    if not os.path.lexists(out):
        os.rename(new, out)
    elif _exchange(new, out):
        _remove_old(new)  # new now holds the old site
    else:
        old = old_site(out)
        os.rename(out, old)  # a kill here: _recover puts it back
        os.rename(new, out)
        _remove_old(old)


def replace_contents(new: Path, out: Path) -> None:
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

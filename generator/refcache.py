"""The references' disk cache (`.cache/evidence/`): formatted HTML kept across builds.

Each entry's HTML is stored under its digest signed with a secret that this checkout's first
build made (`.cache/evidence/key`): a cache written anywhere else, such as one committed in a
pull request, matches nothing and is not used; a folder tracked by git, or reached through a
symbolic link, is not used at all. What it returns is checked again by core/references.py
(only HTML shaped as citeproc-py's is used). An adapter (the CLI, the MkDocs plugin) makes
one; the core never writes files.
"""

from __future__ import annotations

import hmac
import json
import os
import re
import secrets
import tempfile
from collections.abc import Iterable
from pathlib import Path

from generator.safepath import UnsafePath, no_links, tracked_files

CACHE_FILE = "references.json"
KEY_FILE = "key"
# Never through a link, never waiting on a FIFO (where the system has these flags).
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
CACHE_MAX_BYTES = 256 * 1024 * 1024  # some 100 times what 10,000 entries need
def _cache_key(cache_dir: Path, create: bool = False) -> bytes | None:
    """This checkout's secret for its cache folder, made (create) by its first build that
    formats references; None (no cache)
    if the folder is reached through a link or the key is not a file of ours: a folder
    tracked by git (committed in a pull request) is not used."""
    key = None
    try:
        no_links(cache_dir, "the cache folder")
        path = cache_dir / KEY_FILE
        if create and not os.path.lexists(path):
            cache_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_FOLLOW, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
        fd = os.open(path, os.O_RDONLY | _NO_FOLLOW)
        with os.fdopen(fd, "rb") as f:
            data = f.read(65)
        if re.fullmatch(rb"[0-9a-f]{64}", data) and not tracked_files(cache_dir):
            key = data
    except (OSError, UnsafePath):
        pass  # no cache: only a slower build
    return key


def _signed(key: bytes, digest: str) -> str:
    return hmac.new(key, digest.encode(), "sha256").hexdigest()[:32]


class DiskStore:
    """core.references.Store in a folder: get and put formatted HTML by digest."""

    def __init__(self, folder: Path):
        self.folder = folder

    def get(self, digests: Iterable[str]) -> dict[str, str]:
        key = _cache_key(self.folder)
        if key is None:
            return {}
        try:
            fd = os.open(self.folder / CACHE_FILE, os.O_RDONLY | _NO_FOLLOW)
            with os.fdopen(fd, encoding="utf-8") as f:
                if os.fstat(f.fileno()).st_size > CACHE_MAX_BYTES:
                    return {}  # not one this generator wrote: reading it would cost time
                stored = json.load(f)
        except (OSError, ValueError):
            return {}  # a broken cache is only a slower build
        if not isinstance(stored, dict):
            return {}
        found = {d: stored.get(_signed(key, d)) for d in digests}
        return {d: v for d, v in found.items() if isinstance(v, str)}

    def put(self, formatted: dict[str, str]) -> None:
        key = _cache_key(self.folder, create=True)
        if key is not None:
            _save(self.folder / CACHE_FILE, {_signed(key, d): h for d, h in formatted.items()})


def _save(cache_file: Path, data: dict[str, str]) -> None:
    try:
        no_links(cache_file, "the cache file")
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache_file.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, sort_keys=True)
        os.replace(tmp, cache_file)  # atomic: a concurrent build reads old or new, not half
    except (OSError, UnsafePath):
        pass  # an unwritable cache is only a slower next build

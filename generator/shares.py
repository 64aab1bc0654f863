"""Build the site in several processes: each builds a share of the generated pages.

MkDocs builds pages one after another on one core (~7 ms a page here). `evidence build`
loads the content once and renders it (EvidencePlugin.prepare; the pages are rendered by as
many processes, render.render_site), then forks: every process runs
an ordinary `mkdocs build` of the whole site, in which the generated files of the other
shares are marked unmodified, so that MkDocs neither renders nor writes them (a dirty
build). Links are checked in every share as usual. The shares' pages are then moved into
one folder and their search indexes merged in page order: the result is byte for byte the
site a single process builds (tests/test_shares.py checks it).
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import shutil
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

SHARE_FROM = 500  # generated pages; below this, forking and copying cost more than they save
RENDER_FROM = 800  # pages to render; below this, a second process saves less than it costs
PAGE_COST = 3_000  # a page's fixed cost (theme, search, writing), in characters of its source
KNOWN_PLUGINS = {"material/search", "search", "evidence", "material/offline"}
SEARCH_INDEX = "search/search_index.json"
SHARING_NEEDS = ("building in several processes needs Linux (fork) and only the search, "
                 "evidence and disabled offline plugins")


def share_out(files: dict[str, str | bytes], shares: int) -> dict[str, int]:
    """Generated file → the share (0 … shares-1) that builds it.

    Pages go, heaviest first, to the least loaded share; other files (data, handouts) are
    written by share 0. Deterministic: every process computes the same split.
    """
    owner = dict.fromkeys(files, 0)
    if shares == 1:
        return owner
    pages = sorted((src for src in files if src.endswith(".md")),
                   key=lambda src: (-len(files[src]), src))
    load = [0] * shares
    for src in pages:
        share = load.index(min(load))
        owner[src] = share
        load[share] += len(files[src]) + PAGE_COST
    return owner


def default_jobs(config: Any, pages: int) -> int:
    """Processes for this build: up to 4 cores' worth for sites of SHARE_FROM pages or more."""
    if pages < SHARE_FROM or not can_share(config):
        return 1
    return _cores()


def _cores() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


def can_share(config: Any) -> bool:
    """Only where fork is available, and only with plugins whose output is known to merge."""
    if sys.platform != "linux" or not set(config.plugins) <= KNOWN_PLUGINS:
        return False
    offline = config.plugins.get("material/offline")
    return not (offline and offline.config.enabled)  # it rewrites the search index


def build_in_shares(config: Any, jobs: int) -> None:
    """`mkdocs build` of config into config.site_dir, by `jobs` processes.

    The caller has run config.plugins["evidence"].prepare(config). Raises if any share fails
    (the message of each failure is logged by the process that had it).
    """
    if not can_share(config):
        raise ValueError(SHARING_NEEDS)
    main = Path(config.site_dir)
    folders = [main] + [main.with_name(f"{main.name}-share{k}") for k in range(1, jobs)]
    try:
        in_processes(lambda share: _build_share(config, share, jobs, folders[share]), jobs,
                     "share")
        _merge(config.plugins["evidence"], folders)
    finally:
        for folder in folders[1:]:
            shutil.rmtree(folder, ignore_errors=True)


def render_jobs(pages: int) -> int:
    """Processes to render this many pages in: two or more only for RENDER_FROM pages or
    more, on Linux, and while this process runs no other thread (`mkdocs serve` does:
    forking it could copy a lock that another thread holds)."""
    if pages < RENDER_FROM or sys.platform != "linux" or threading.active_count() > 1:
        return 1
    return _cores()


def in_processes(work: Callable[[int], Any], jobs: int, what: str) -> list[Any]:
    """[work(0), …, work(jobs - 1)]: work(0) here, the others in forked processes at the same
    time. Raises if any fails: "<what> K of N: <its message>" for each."""
    context = multiprocessing.get_context("fork")
    children = []
    try:
        for share in range(1, jobs):
            receive, send = context.Pipe(duplex=False)
            child = context.Process(target=_child, args=(work, share, send))
            child.start()
            send.close()
            children.append((child, receive))
        results, failures = [work(0)], []
        for share, (child, receive) in enumerate(children, 1):
            ok, value = _outcome(child, receive)
            if ok:
                results.append(value)
            else:
                failures.append(f"{what} {share + 1} of {jobs}: {value}")
        if failures:
            raise RuntimeError("; ".join(failures))
        return results
    finally:
        for child, _ in children:
            if child.is_alive():
                child.terminate()
            child.join()


def _child(work: Callable[[int], Any], share: int, send: Any) -> None:
    try:
        send.send((True, work(share)))
    except BaseException as exc:  # reported by the parent, which fails the build
        send.send((False, str(exc) or type(exc).__name__))


def _outcome(child: Any, receive: Any) -> tuple[bool, Any]:
    try:
        return receive.recv()
    except EOFError:
        child.join()
        return False, f"the process ended without a result (exit code {child.exitcode})"


class _NoDirtyWarning(logging.Filter):
    """MkDocs warns on every dirty build; in strict mode that warning would fail it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


def _build_share(config: Any, share: int, jobs: int, folder: Path) -> None:
    from mkdocs.commands.build import build

    config["site_dir"] = str(folder)
    config.plugins["evidence"].share = (share, jobs)
    builder_log = logging.getLogger("mkdocs.commands.build")
    quiet = _NoDirtyWarning()
    builder_log.addFilter(quiet)
    try:
        build(config, dirty=True)
    finally:
        builder_log.removeFilter(quiet)


def _merge(plugin: Any, folders: list[Path]) -> None:
    """Move the other shares' pages into folders[0] and merge the search indexes."""
    main = folders[0]
    pages = list(plugin.files.documentation_pages())
    urls = [f.page.url if f.page else f.url for f in pages]  # the home page's is "", not "./"
    owner_of_url = {url: plugin.owner.get(f.src_uri, 0) for url, f in zip(urls, pages, strict=True)}
    for f in pages:
        share = plugin.owner.get(f.src_uri, 0)
        if share:
            target = main / f.dest_uri
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(folders[share] / f.dest_uri, target)
    if (main / SEARCH_INDEX).is_file():
        indexes = [json.loads((folder / SEARCH_INDEX).read_text(encoding="utf-8"))
                   for folder in folders]
        merged = merge_search_indexes(indexes, urls, owner_of_url)
        (main / SEARCH_INDEX).write_bytes(merged.encode("utf-8"))


def merge_search_indexes(indexes: list[dict[str, Any]], order: list[str],
                         owner_of_url: dict[str, int]) -> str:
    """One search index, as material's search plugin writes it for a single build: each
    page's entries come from the share that built the page, pages in build order."""
    entries: dict[str, list[Any]] = {}
    for share, index in enumerate(indexes):
        for entry in index["docs"]:
            url = entry["location"].split("#")[0]
            if owner_of_url.get(url, 0) == share:
                entries.setdefault(url, []).append(entry)
    docs = [entry for url in order for entry in entries.pop(url, [])]
    docs += [entry for rest in entries.values() for entry in rest]
    return json.dumps({"config": indexes[0]["config"], "docs": docs},
                      separators=(",", ":"), default=str)

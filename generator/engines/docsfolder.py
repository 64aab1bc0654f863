"""For engines without a plugin API (Zensical): the project's docs/ plus the generated pages,
mirrored into a docs folder under .cache/, with a config that inherits mkdocs.yml.

After the engine has built the site, `set_heads` gives each page the head the core makes
(outputs/head.py), as the MkDocs plugin does on each page it renders.

Only files whose bytes changed are written (a temporary file, then a rename, so that
`zensical serve` never reads half a file), and files that are in neither source are removed,
so that a server watching the folder rebuilds only what changed. Nothing is written through
a symbolic link or outside the folder (safepath.py).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.config import CONFIG_FILE, read_mkdocs_yml
from generator.outputs import STYLESHEET
from generator.outputs.feed import FEED
from generator.outputs.head import feed_href, head_values, set_head
from generator.safepath import UnsafePath, inside, no_links, published_link


@dataclass
class Changes:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def write_docs(pages: Mapping[str, str | bytes], static_docs: Path, out: Path) -> Changes:
    """Mirror static_docs and pages (a generated page wins) into out; paths are POSIX,
    relative to the docs folder."""
    out = no_links(out, "the docs folder")
    wanted: dict[str, bytes] = dict(_static_files(static_docs))
    for src, content in pages.items():
        wanted[src] = content.encode("utf-8") if isinstance(content, str) else content
    out.mkdir(parents=True, exist_ok=True)
    changes = Changes()
    for src in sorted(_existing(out, changes) - wanted.keys()):
        (out / src).unlink()
        changes.removed.append(src)
    for src, data in wanted.items():
        path = Path(os.path.normpath(out / src))
        if not inside(path, out) or path == out:
            raise UnsafePath(f"{src}: a page path outside the docs folder")
        if _same(path, data):
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(path, data)
        changes.written.append(src)
    _prune_empty(out)
    return changes


def write_config(root: Path, folder: Path, docs: Path, site: Path) -> Path:
    """folder/mkdocs.yml: mkdocs.yml inherited, with the docs and site folders (Zensical
    wants both below folder: Project.engine_docs, engine_site) and the theme overrides
    (custom_dir is resolved against the file given to the engine)."""
    parent = read_mkdocs_yml(root)
    theme = parent.get("theme")
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    up = Path(os.path.relpath(root, folder)).as_posix()
    lines = [f"INHERIT: {up}/{CONFIG_FILE}", f"docs_dir: {docs.relative_to(folder).as_posix()}",
             f"site_dir: {site.relative_to(folder).as_posix()}"]
    if isinstance(custom, str):
        lines += ["theme:", f"  custom_dir: {up}/{Path(custom).as_posix()}"]
    css = parent.get("extra_css") if isinstance(parent.get("extra_css"), list) else []
    if STYLESHEET not in css:  # the plugin adds it under MkDocs; INHERIT replaces lists
        css = [*css, STYLESHEET]
    lines += ["extra_css:", *(f"  - {json.dumps(str(c))}" for c in css)]
    path = no_links(folder / CONFIG_FILE, "the engine's config file")
    data = ("# Written by `evidence build`: the project's mkdocs.yml for the docs folder "
            "beside it\n" + "\n".join(lines) + "\n").encode()
    if not _same(path, data):
        folder.mkdir(parents=True, exist_ok=True)
        _write_atomically(path, data)
    return path


def set_heads(root: Path, docs: Path, site: Path) -> None:
    """Each HTML page of the site built from docs gets the core's head: from its page's front
    matter, or, for a page without a title of its own, the title the engine gave it."""
    import yaml

    config = read_mkdocs_yml(root)
    directory_urls = config.get("use_directory_urls", True) is not False
    base = str(config.get("site_url") or "").rstrip("/")
    metas: dict[str, dict] = {}
    for md in docs.rglob("*.md"):
        text = md.read_text(encoding="utf-8", errors="replace")
        block = text[4:text.find("\n---\n", 4)] if text.startswith("---\n") else ""
        try:
            meta = yaml.safe_load(block) if block else {}
        except yaml.YAMLError:
            meta = {}
        metas[_html_path(md.relative_to(docs).as_posix(), directory_urls)] = (
            meta if isinstance(meta, dict) else {})
    for page in site.rglob("*.html"):
        rel = page.relative_to(site).as_posix()
        meta = metas.get(rel, {})
        is_home = rel == "index.html"
        url = rel.removesuffix("index.html") if directory_urls else rel
        values = head_values(meta, None, is_home, str(config.get("site_name") or ""),
                             str(config.get("site_description") or ""),
                             f"{base}/{url}" if base and rel in metas else "")
        if not meta.get("title") and not is_home:  # the title the engine gave the page
            values = replace(values, title=None, og_title=None)
        if (site / FEED).is_file():
            values = replace(values, feed=feed_href(url))
        html = page.read_text(encoding="utf-8")
        page.write_text(set_head(html, values), encoding="utf-8")


def _html_path(src: str, directory_urls: bool) -> str:
    """Where the engine writes the page of a Markdown file (as MkDocs does)."""
    stem = src[: -len(".md")]
    name = stem.rsplit("/", 1)[-1]
    if name in ("index", "README"):
        return stem[: -len(name)] + "index.html"
    return f"{stem}/index.html" if directory_urls else f"{stem}.html"


def _static_files(docs: Path) -> dict[str, bytes]:
    """Every file under docs/; a link out of the project or into .git is refused."""
    files: dict[str, bytes] = {}
    if not docs.is_dir():
        return files
    for path in sorted(docs.rglob("*")):
        if path.is_dir():
            continue
        src = path.relative_to(docs).as_posix()
        why = published_link(path, docs.parent)
        if why:
            raise UnsafePath(f"{docs.name}/{src}: {why}; it is not published")
        files[src] = path.read_bytes()
    return files


def _existing(out: Path, changes: Changes) -> set[str]:
    """The files in out; links (which the writer never makes) are removed on the way."""
    found: set[str] = set()
    for folder, dirs, files in os.walk(out):
        for name in [*dirs, *files]:
            path = Path(folder) / name
            if path.is_symlink():
                path.unlink()
                changes.removed.append(path.relative_to(out).as_posix())
            elif name in files:
                found.add(path.relative_to(out).as_posix())
    return found


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except FileNotFoundError:
        return False


def _write_atomically(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _prune_empty(out: Path) -> None:
    for folder, _dirs, _files in os.walk(out, topdown=False):
        if Path(folder) != out and not any(Path(folder).iterdir()):
            Path(folder).rmdir()

"""MkDocs plugin: adds the generated pages virtually; nothing is written to docs/."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .export import export_json
from .htmlpage import HtmlPage
from .jsonld import claim_page_data, script_json
from .load import CACHE_DIR, CONTENT_DIR, LoadCache, load_evidence
from .model import Evidence
from .opendata import data_files
from .problems import Problem, errors_only
from .render import Html, TemplateFailed, make_env, page_paths, render_site
from .safepath import UnsafePath, inside, no_links
from .schema_cmd import schema_files
from .shares import SHARING_NEEDS, can_share, default_jobs, share_out

log = logging.getLogger("mkdocs.plugins.evidence")


@dataclass(frozen=True)
class Generated:
    evidence: Evidence
    files: dict[str, str | bytes]  # path in the site's docs → content
    origins: dict[str, str]  # generated page → the content file to edit
    handouts: dict[str, Any]  # path → pdf.Job, made by the process that writes them


class EvidenceConfig(Config):
    content_dir = c.Type(str, default=CONTENT_DIR)
    """Folder with forms/, sources/, cards/ and references.bib, relative to mkdocs.yml."""
    templates_dir = c.Type(str, default="site_overrides/templates")
    """Folder whose page templates override the packaged ones."""
    handouts = c.Type(bool, default=True)
    """PDF handouts (handouts/<form>.pdf, A4, and handouts/us-letter/<form>.pdf)."""


class Unchanged(File):
    """A generated file that MkDocs, in a dirty build, neither renders nor writes: unchanged
    since the last build of `mkdocs serve --dirty`, or built by another process."""

    def is_modified(self) -> bool:
        return False


class EvidencePlugin(BasePlugin[EvidenceConfig]):
    cache: LoadCache | None = None
    dirty = False
    digests: dict[str, str]  # generated file → digest of its content, in the last build
    prepared: Generated | None = None  # made by prepare(), used by the next on_files
    share = (0, 1)  # this process builds share k of n of the generated files (shares.py)
    owner: dict[str, int]  # generated file → the share that builds it

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Having on_startup keeps this object, and its cache, across `mkdocs serve` rebuilds:
        # an edited card is then the only file parsed again, and with --dirty only the pages
        # whose source changed are built again.
        self.dirty = dirty and command == "serve"
        self.digests = {}

    def on_config(self, config: Any) -> Any:
        self.root = Path(config.config_file_path).parent
        folder = self.root / CACHE_DIR  # formatted references, across builds
        try:  # before MkDocs empties the site folder: never through a link
            no_links(config.site_dir, "the site folder")
            no_links(folder, "the cache folder")
        except UnsafePath as exc:
            raise PluginError(str(exc)) from None
        if self.cache is None or self.cache.folder != folder:
            self.cache = LoadCache(folder)
        return config

    def prepare(self, config: Any, evidence: Evidence | None = None, jobs: int | None = None,
                ) -> int:
        """Load (unless given the evidence, loaded from content_dir without errors) and
        render now, for the next build: `evidence build` does this once before it forks the
        processes that build shares of the site (generator/shares.py). Returns how many
        processes build the site: jobs, or else shares.default_jobs; they also render."""
        self.on_config(config)
        if evidence is None:
            evidence = self._load()
        jobs = jobs or default_jobs(config, len(page_paths(evidence)))
        if jobs > 1 and not can_share(config):
            raise PluginError(f"--jobs {jobs}: {SHARING_NEEDS}")
        self.prepared = self.generate(config, evidence, jobs)
        return jobs

    def generate(self, config: Any, evidence: Evidence | None = None, jobs: int = 0,
                 ) -> Generated:
        """Everything the build adds; the pages are rendered by `jobs` processes (0: as
        render.render_site chooses)."""
        if evidence is None:
            evidence = self._load()
        # Form pages link the handouts only if they are made.
        env = make_env([self.root / self.config.templates_dir], self.config.handouts)
        origins = {f"claims/{c.id}.md": c.path for c in evidence.cards}
        origins.update({f"forms/{f.id}.md": f.path for f in evidence.forms})
        origins.update({f"articles/{s.id}.md": s.path for s in evidence.sources})
        try:
            out: dict[str, str | bytes] = dict(render_site(evidence, env, jobs=jobs))
        except (TemplateFailed, RuntimeError) as exc:  # RuntimeError: from another process
            raise PluginError(str(exc)) from exc
        out["data/evidence.json"] = export_json(evidence)
        for name, text in schema_files().items():  # editors can point at the published schema
            out[f"schema/{name}"] = text
        out.update(data_files(evidence, config.site_url or ""))
        handouts = {}
        if self.config.handouts:  # typst is imported only when handouts are made
            from .pdf import site_handout_jobs

            handouts = site_handout_jobs(evidence, config.site_url)
        return Generated(evidence, out, origins, handouts)

    def _load(self) -> Evidence:
        evidence, problems = load_evidence(self.root, self.config.content_dir, self.cache,
                                           format_early=True)
        for p in problems:
            if p.warning:
                log.info(str(p))
        errors = errors_only(problems)
        if errors:
            raise PluginError(_report(errors))
        return evidence

    def on_files(self, files: Files, config: Any) -> Files:
        _no_links_out(files, self.root)
        made, self.prepared = self.prepared or self.generate(config), None
        share, shares = self.share
        self.owner = share_out({**made.files, **made.handouts}, shares)
        titles = _nav_titles(config.nav)
        for src, content in {**made.files, **self._handouts(made)}.items():
            file = self._generated(config, src, content, skip=self.owner[src] != share)
            if src.endswith(".md"):  # edit links open the card, not a generated page
                file.edit_uri = made.origins.get(src)
            if isinstance(content, Html):  # MkDocs takes the page made here (nav.py), and
                HtmlPage(titles.get(src), file, config)  # its title: give the nav's
            _add(files, file)
        self.files = files
        self.evidence = made.evidence
        self.claim_pages = {f"claims/{c.id}.md": c for c in made.evidence.cards}
        return files

    def _handouts(self, made: Generated) -> dict[str, bytes]:
        """The PDFs, made by the process that writes them (after any fork: typst runs
        threads). Links to them are checked like links to any page."""
        if not made.handouts or self.share[0] != 0:
            return dict.fromkeys(made.handouts, b"")  # another process writes them
        from .pdf import compile_handouts

        try:
            return compile_handouts(made.handouts)
        except Exception as exc:
            raise PluginError(f"PDF handouts failed: {exc}") from exc

    def _generated(self, config: Any, src: str, content: str | bytes, skip: bool) -> File:
        """A generated file. MkDocs skips it (neither renders nor writes it) if another
        process builds it, or in `mkdocs serve --dirty` if it is unchanged."""
        if skip:
            return Unchanged.generated(config, src, content=content)
        if not self.dirty:
            return File.generated(config, src, content=content)
        data = content.encode() if isinstance(content, str) else content
        digest = hashlib.sha256(data).hexdigest()
        same = self.digests.get(src) == digest
        self.digests[src] = digest
        return (Unchanged if same else File).generated(config, src, content=content)

    def on_page_context(self, context: Any, page: Any, config: Any, nav: Any) -> Any:
        # Claim pages carry schema.org JSON-LD; site_overrides/main.html prints it (extrahead).
        src = page.file.src_uri
        card = self.claim_pages.get(src)
        if card is not None:
            data = claim_page_data(self.evidence, card, page.canonical_url or page.abs_url,
                                   config.site_name, config.site_url or "")
            page.meta["evidence_jsonld"] = script_json(data)
        return context

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        server.watch(str(self.root / self.config.content_dir))
        # The templates folder, or its nearest folder below the project that exists (e.g.
        # site_overrides/), so that creating the templates folder is noticed too.
        templates = self.root / self.config.templates_dir
        inside = [d for d in templates.parents if self.root in d.parents]
        watched = next((d for d in [templates, *inside] if d.is_dir()), None)
        if watched is not None:
            server.watch(str(watched))
        return server


def _nav_titles(nav: Any) -> dict[str, str]:
    """Page path → the title mkdocs.yml's nav gives it ("Home: index.md")."""
    titles: dict[str, str] = {}
    for item in nav if isinstance(nav, list) else []:
        if isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, str):
                    titles[value] = title
                else:
                    titles.update(_nav_titles(value))
    return titles


def _no_links_out(files: Files, root: Path) -> None:
    """A file of the project (docs/, site_overrides/) that is a link to a file outside it
    would publish that file (a key, a password store): refused."""
    real_root = root.resolve()
    for file in files:
        src = Path(file.abs_src_path) if file.abs_src_path else None
        if src and inside(src, root) and not src.resolve().is_relative_to(real_root):
            raise PluginError(f"{src.relative_to(root).as_posix()}: is a link to a file "
                              "outside the project; it is not published")


def _add(files: Files, file: File) -> None:
    existing = files.get_file_from_path(file.src_uri)
    if existing:
        files.remove(existing)
    files.append(file)


def _report(errors: list[Problem]) -> str:
    return f"{len(errors)} problem(s) in the evidence content:\n" + "\n".join(map(str, errors))

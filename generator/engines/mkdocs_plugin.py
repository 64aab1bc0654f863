"""MkDocs (and ProperDocs) plugin: adds the generated pages virtually; nothing is written to
docs/. Public MkDocs APIs only: File.generated and the plugin events. With build_run.py (the
engine's build, imported when it runs), the only module that imports mkdocs (under ProperDocs,
`mkdocs.*` is ProperDocs's own alias of its modules)."""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from markupsafe import escape
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from generator.config import TEXT_OPTIONS, Settings, Texts, settings_from
from generator.core.load import LoadCache, load_evidence
from generator.core.model import Evidence
from generator.core.problems import Problem, errors_only
from generator.core.schema import SLUG
from generator.counting import counted
from generator.outputs import STYLESHEET, SiteFiles, site_files
from generator.outputs.head import feed_href, head_values, set_head
from generator.outputs.pages import TemplateFailed
from generator.outputs.wording import site_disclaimer
from generator.project import Project
from generator.refcache import DiskStore
from generator.safepath import (
    UnsafePath,
    check_output,
    inside,
    mark_as_built,
    no_links,
    published_link,
)

log = get_plugin_logger("evidence")


class EvidenceConfig(Config):
    """The options of generator/config.py's Settings (read by the CLI the same way)."""

    content_dir = c.Type(str, default=Settings.content_dir)
    templates_dir = c.Type(str, default=Settings.templates_dir)
    handouts = c.Type(bool, default=Settings.handouts)
    disclaimer = c.Type(bool, default=Settings.disclaimer)
    review_after_months = c.Type(int, default=Settings.review_after_months)
    for _name in TEXT_OPTIONS:  # the topic's texts (generator/config.py: Texts)
        locals()[_name] = c.Type(str, default=getattr(Texts, _name))
    del _name


class Unchanged(File):
    """A generated file that MkDocs, in a dirty build, neither renders nor writes: unchanged
    since the last build of `mkdocs serve --dirty`."""

    def is_modified(self) -> bool:
        return False


class EvidencePlugin(BasePlugin[EvidenceConfig]):
    cache: LoadCache | None = None
    dirty = False
    serving = False  # under `mkdocs serve`: content problems are shown on the pages
    digests: dict[str, str]  # generated file → digest of its content, in the last build
    last_good: Evidence | None = None  # under serve: the evidence of the last good build
    problems: tuple[Problem, ...] = ()  # under serve: the content's errors, shown on pages
    handout_memory: Any = None  # outputs.handouts.HandoutMemory: handouts made, this session
    templates: Any = None  # outputs.pages.Templates: the compiled page templates, this session
    given: Evidence | None = None  # loaded by `evidence build` already: used, not loaded again

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Having on_startup keeps this object, and its cache, across `mkdocs serve` rebuilds:
        # an edited card is then the only file parsed again, and with --dirty only the pages
        # whose source changed are built again.
        self.dirty = dirty and command == "serve"
        self.serving = command == "serve"
        self.digests = {}

    @property
    def root(self) -> Path:
        return self.project.root

    @property
    def settings(self) -> Settings:
        return self.project.settings

    def on_config(self, config: Any) -> Any:
        root = Path(config.config_file_path).parent
        site = {k: config.get(k) for k in ("site_dir", "site_url", "site_name", "repo_url",
                                           "edit_uri")}
        site["docs_dir"] = Path(os.path.relpath(config.docs_dir, root)).as_posix()
        self.project = Project(root, settings_from(self.config, site))  # from MkDocs' config
        folder = self.project.cache  # formatted references, across builds
        try:  # before MkDocs empties the site folder: never through a link
            no_links(config.site_dir, "the site folder")
            no_links(folder, "the cache folder")
        except UnsafePath as exc:
            raise PluginError(str(exc)) from None
        if self.cache is None or self.cache.store.folder != folder:
            self.cache = LoadCache(DiskStore(folder))
        try:  # MkDocs empties site_dir next: only a folder a build made
            keep = [Path(os.path.abspath(path)) for path in self.project.kept()]
            check_output(Path(os.path.abspath(config.site_dir)), self.root.absolute(), keep,
                         "choose another site_dir in mkdocs.yml")
        except UnsafePath as exc:
            raise PluginError(str(exc)) from None
        if STYLESHEET not in config.extra_css:  # the badges' and tables' styles
            config.extra_css.append(STYLESHEET)
        return config

    def generate(self, config: Any, evidence: Evidence | None = None) -> SiteFiles:
        """Everything the build adds: pages, data files, handout jobs."""
        if evidence is None:
            evidence, self.given = self.given or self._load(), None
        try:
            if self.templates is None:  # made on first need: pages import Jinja
                from generator.outputs.pages import Templates

                self.templates = Templates()
            return site_files(evidence, self.settings, self.root, self.templates)
        except TemplateFailed as exc:
            raise PluginError(str(exc)) from exc

    def _load(self) -> Evidence:
        evidence, problems = load_evidence(self.root, self.settings.content_dir, self.cache)
        for p in problems:
            if p.warning:
                log.info(str(p))
        errors = errors_only(problems)
        self.problems = tuple(errors) if self.serving else ()
        if errors and not self.serving:
            raise PluginError(_report(errors))
        if errors:  # the terminal says it; the pages show it over the last good build
            # Printed, not logged: a logged error would stop a strict `mkdocs serve`, which
            # then shows the browser nothing at all.
            print(f"ERROR    -  evidence: {_report(errors)}\n(shown at the top of every "
                  "page until fixed; a build fails)", file=sys.stderr, flush=True)
            return self.last_good or evidence
        if self.serving:
            self.last_good = evidence
        return evidence

    def on_files(self, files: Files, config: Any) -> Files:
        _no_links_out(files, self.root)
        made = self.generate(config)
        for src, content in {**made.files, **self._handouts(made),
                             **self._problem_pages(made.files)}.items():
            # Edit links open the card: front matter edit_url, site_overrides/partials/actions.html
            _add(files, self._generated(config, src, content))
        return files

    def _problem_pages(self, made: dict[str, Any]) -> dict[str, str]:
        """Under `mkdocs serve`, a page for each card with problems that has none in the
        last good build (a new card): the contributor who opens it sees the banner."""
        out = {}
        for problem in self.problems:
            path = Path(problem.path)
            src = f"claims/{path.stem}.md"
            if (path.parent.name == "cards" and path.suffix == ".yaml" and src not in made
                    and SLUG.match(path.stem)):  # a file name can hold anything
                out[src] = (f"# The card {path.stem} has problems\n\nIts page is made once "
                            f"`evidence check` finds no problem in `{path.as_posix()}`.\n")
        return out

    def _handouts(self, made: SiteFiles) -> dict[str, bytes]:
        """The PDFs. Links to them are checked like links to any page."""
        if not made.handouts:
            return {}
        from generator.outputs.handouts import HandoutMemory, compile_handouts

        if self.handout_memory is None:  # made on first need: handouts import typst
            self.handout_memory = HandoutMemory()
        try:
            return compile_handouts(made.handouts, self.handout_memory)
        except Exception as exc:
            raise PluginError(f"PDF handouts failed: {exc}") from exc

    def _generated(self, config: Any, src: str, content: str | bytes) -> File:
        """A generated file; in `mkdocs serve --dirty`, one that MkDocs skips if unchanged."""
        if not self.dirty:
            return File.generated(config, src, content=content)
        data = content.encode() if isinstance(content, str) else content
        digest = hashlib.sha256(data).hexdigest()
        same = self.digests.get(src) == digest
        self.digests[src] = digest
        return (Unchanged if same else File).generated(config, src, content=content)

    def on_page_content(self, html: str, *, page: Any, config: Any, files: Files) -> str:
        """The disclaimer at the end of every page, with a link to the About page if any;
        under `mkdocs serve`, the content's problems first."""
        if self.problems:
            html = problems_banner(self.problems, self.last_good is not None) + html
        if not self.settings.disclaimer:
            return html
        about = files.get_file_from_path("about.md")
        href = about.url_relative_to(page.file) if about else None
        return html + site_disclaimer(self.settings.texts, href)

    def on_post_page(self, output: str, *, page: Any, config: Any) -> str:
        """The head from the core (outputs/head.py): no main.html override needed."""
        values = head_values(page.meta or {}, page.title, page.is_homepage, config.site_name,
                             config.site_description or "", page.canonical_url or "")
        return set_head(output, replace(values, feed=feed_href(page.url or "")))

    def on_post_template(self, output_content: str, *, template_name: str,
                         config: Any) -> str:
        """The theme's own pages (404.html) get the site's head as well."""
        if not template_name.endswith(".html"):
            return output_content
        return set_head(output_content, head_values({}, None, True, config.site_name,
                                                    config.site_description or "", ""))

    def on_post_build(self, *, config: Any) -> None:
        mark_as_built(Path(config.site_dir))  # the next build may replace this folder

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        server.watch(str(self.root / self.settings.content_dir))
        # The templates folder, or its nearest folder below the project that exists (e.g.
        # site_overrides/), so that creating the templates folder is noticed too.
        templates = self.root / self.settings.templates_dir
        inside = [d for d in templates.parents if self.root in d.parents]
        watched = next((d for d in [templates, *inside] if d.is_dir()), None)
        if watched is not None:
            server.watch(str(watched))
        return server


def _no_links_out(files: Files, root: Path) -> None:
    """A file of the project (docs/, site_overrides/) that is a link to a file outside it or
    into .git would publish that file (a key, a token): refused."""
    for file in files:
        src = Path(file.abs_src_path) if file.abs_src_path else None
        why = published_link(src, root) if src and inside(src, root) else None
        if why:
            raise PluginError(f"{src.relative_to(root).as_posix()}: {why}; it is not published")


def _add(files: Files, file: File) -> None:
    existing = files.get_file_from_path(file.src_uri)
    if existing:
        files.remove(existing)
    files.append(file)


def _report(errors: list[Problem]) -> str:
    return (f"{counted(len(errors), 'problem')} in the evidence content:\n"
            + "\n".join(map(str, errors)))


def problems_banner(errors: tuple[Problem, ...], last_good: bool = True) -> str:
    """What `mkdocs serve` shows at the top of every page while the content has problems:
    each with its file, line, field, message and hint (all escaped)."""
    items = "".join(
        f"<li><code>{escape(f'{p.path}:{p.line}:{p.column}')}</code> "
        + (f"<code>{escape(p.field)}</code>: " if p.field else "")
        + f"{escape(p.message)}" + (f" <em>({escape(p.hint)})</em>" if p.hint else "")
        + "</li>" for p in errors)
    return (f'<div class="admonition danger ev-problems" role="alert"><p class="admonition-title">'
            f"{escape(counted(len(errors), 'problem'))} in the evidence content: "
            + ("these pages show the last good build" if last_good else
               "the files with problems are left out") + "</p>"
            f"<ul>{items}</ul><p>Fix the files and save: the pages are built again. "
            "<code>evidence check</code> lists the same problems; a strict build fails until "
            "they are fixed.</p></div>\n")

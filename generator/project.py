"""The project: every path and every setting of one evidence site, made once per adapter.

The CLI reads it from mkdocs.yml with MkDocs' own YAML loader (`Project.read`: INHERIT and
!ENV as MkDocs reads them) and gives it to the command; the MkDocs plugin makes it from
MkDocs' own config (`Project(root, settings)`). Nothing else joins a path of the project.

    root/                 mkdocs.yml
      <content_dir>/      cards/, forms/, sources/, references.bib   (content, cards, …, bib)
      <docs_dir>/         the hand-written pages                     (docs)
      <templates_dir>/    templates overriding the packaged ones     (overrides)
      <site_dir>/         the built site                             (output)
      .cache/             every cache                                (caches)
        evidence/         formatted references, across builds        (cache)
        zensical/         the config for Zensical                    (engine_folder)
          docs/, site/    the docs it builds from, the site it makes (engine_docs, engine_site)
      schema/             the JSON Schemas for editors               (schemas)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.config import Settings, read_settings
from generator.core.load import BIB_FILE

CACHES_DIR = ".cache"
SCHEMA_DIR = "schema"


@dataclass(frozen=True)
class Project:
    root: Path
    settings: Settings = Settings()
    engine: str = "mkdocs"
    """The site generator that builds the pages (evidence build --engine)."""
    pdf: bool = True
    """False under --no-pdf: no handouts, whatever the plugin's `handouts` says."""
    offline: bool = False
    """A copy that works opened from file:// (evidence build --offline)."""

    @classmethod
    def read(cls, root: Path, *, engine: str = "mkdocs", pdf: bool = True,
             offline: bool = False) -> Project:
        """The project at root, as its mkdocs.yml says (SettingsError where it cannot be
        read, naming the file and line)."""
        return cls(root, read_settings(root), engine, pdf, offline)

    @property
    def handouts(self) -> bool:
        return self.settings.handouts and self.pdf

    @property
    def content(self) -> Path:
        return self.root / self.settings.content_dir

    @property
    def cards(self) -> Path:
        return self.content / "cards"

    @property
    def forms(self) -> Path:
        return self.content / "forms"

    @property
    def sources(self) -> Path:
        return self.content / "sources"

    @property
    def bib(self) -> Path:
        return self.content / BIB_FILE

    @property
    def docs(self) -> Path:
        return self.root / self.settings.docs_dir

    @property
    def overrides(self) -> Path:
        return self.root / self.settings.templates_dir

    @property
    def output(self) -> Path:
        """The site folder of mkdocs.yml (site_dir); --out may give another."""
        return self.root / self.settings.site_dir

    @property
    def caches(self) -> Path:
        """The folder of every cache: builds make it, git never tracks it."""
        return self.root / CACHES_DIR

    @property
    def cache(self) -> Path:
        """The formatted references, across builds."""
        return self.caches / "evidence"

    @property
    def engine_folder(self) -> Path:
        """Zensical's config file; its docs_dir and site_dir must be below it."""
        return self.caches / "zensical"

    @property
    def engine_docs(self) -> Path:
        """The docs folder Zensical builds from: the pages mirrored with the hand-written."""
        return self.engine_folder / "docs"

    @property
    def engine_site(self) -> Path:
        """Where Zensical builds the site (then copied to the staging folder)."""
        return self.engine_folder / "site"

    @property
    def schemas(self) -> Path:
        return self.root / SCHEMA_DIR

    def written(self) -> list[Path]:
        """Where the generator writes: the site, the caches and the schemas."""
        return [self.output, self.caches, self.cache, self.schemas]

    def kept(self) -> list[Path]:
        """What no output folder may hold or be: the content, docs, git and the caches."""
        return [self.content, self.docs, self.root / ".git", self.cache, self.engine_folder]

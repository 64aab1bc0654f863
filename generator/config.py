"""The one configuration: the `evidence` plugin's entry in mkdocs.yml and the site settings the
generator needs, read the same way by the MkDocs plugin and by the CLI (`settings_from`).

    plugins:
      - evidence:
          content_dir: content                  # forms/, sources/, cards/, references.bib
          templates_dir: site_overrides/templates  # page templates that override the packaged ones
          handouts: true                        # PDF handouts in the site

The CLI reads mkdocs.yml without MkDocs (`read_settings`), so that commands that need no
engine (check, export, pdf, diff) work under any engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from generator.core.load import CONTENT_DIR

CONFIG_FILE = "mkdocs.yml"
CACHE_DIR = ".cache/evidence"  # formatted references kept across builds (under the project)
TEMPLATES_DIR = "site_overrides/templates"
PLUGIN = "evidence"


@dataclass(frozen=True)
class Settings:
    content_dir: str = CONTENT_DIR
    """Folder with forms/, sources/, cards/ and references.bib, relative to mkdocs.yml."""
    templates_dir: str = TEMPLATES_DIR
    """Folder whose page templates override the packaged ones."""
    handouts: bool = True
    """PDF handouts (handouts/<form>.pdf, A4, and handouts/us-letter/<form>.pdf)."""
    site_dir: str = "site"
    site_url: str = ""
    site_name: str = ""
    repo_url: str = ""
    edit_uri: str = ""
    docs_dir: str = "docs"

    @property
    def edit_root(self) -> str:
        """The address that opens a file of the repository for editing, by its path from the
        project root ("" without repo_url or edit_uri). edit_uri points at docs_dir (as MkDocs
        wants it: `edit/main/docs/`); the root is edit_uri without that folder."""
        if not (self.repo_url and self.edit_uri):
            return ""
        uri = self.edit_uri.strip("/")
        docs = self.docs_dir.strip("/")
        if uri == docs or uri.endswith("/" + docs):
            uri = uri[: -len(docs)].rstrip("/")
        return self.repo_url.rstrip("/") + "/" + (uri + "/" if uri else "")


OPTIONS = ("content_dir", "templates_dir", "handouts")  # the plugin's own options


class SettingsError(ValueError):
    """mkdocs.yml gives a setting of the wrong type (a one-line message naming it)."""


def settings_from(options: Mapping[str, Any], site: Mapping[str, Any]) -> Settings:
    """Settings from the plugin's options and the site's (site_dir, site_url, site_name)."""
    values: dict[str, Any] = {}
    for f in fields(Settings):
        source = options if f.name in OPTIONS else site
        value = source.get(f.name)
        if value is None:
            continue
        kind = bool if f.type == "bool" else str
        if not isinstance(value, kind):
            where = f"plugins: {PLUGIN}: {f.name}" if f.name in OPTIONS else f.name
            raise SettingsError(f"{CONFIG_FILE}: {where}: expected {kind.__name__}, "
                                f"got {value!r}")
        values[f.name] = value
    return Settings(**values)


def read_settings(root: Path) -> Settings:
    """The settings of the project at root (defaults where mkdocs.yml says nothing)."""
    config = read_mkdocs_yml(root)
    options: Any = {}
    for entry in config.get("plugins") or []:
        if isinstance(entry, dict) and PLUGIN in entry:
            options = entry[PLUGIN] or {}
    if not isinstance(options, dict):
        raise SettingsError(f"{CONFIG_FILE}: plugins: {PLUGIN}: expected options, "
                            f"got {options!r}")
    return settings_from(options, config)


def read_mkdocs_yml(root: Path) -> dict[str, Any]:
    """mkdocs.yml read without MkDocs (unknown YAML tags such as !ENV give None); {} if there
    is none or it is not YAML (the engine, which reads it too, says what is wrong)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    path = root / CONFIG_FILE
    if not path.is_file():
        return {}
    try:
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)
    except (yaml.YAMLError, RecursionError, UnicodeDecodeError):
        return {}
    return config if isinstance(config, dict) else {}

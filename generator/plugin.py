"""MkDocs plugin: adds the generated pages virtually; nothing is written to docs/."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .export import export_json
from .load import load_evidence
from .problems import Problem, errors_only
from .render import make_env, render_site

log = logging.getLogger("mkdocs.plugins.evidence")


class EvidenceConfig(Config):
    content_dir = c.Type(str, default="content")
    """Folder with forms/, sources/, cards/ and references.bib, relative to mkdocs.yml."""
    templates_dir = c.Type(str, default="site_overrides/templates")
    """Folder whose page templates override the packaged ones."""


class EvidencePlugin(BasePlugin[EvidenceConfig]):
    def on_config(self, config: Any) -> Any:
        self.root = Path(config.config_file_path).parent
        return config

    def on_files(self, files: Files, config: Any) -> Files:
        evidence, problems = load_evidence(self.root, self.config.content_dir)
        for p in problems:
            if p.warning:
                log.info(str(p))
        errors = errors_only(problems)
        if errors:
            raise PluginError(_report(errors))
        env = make_env([self.root / self.config.templates_dir])
        origins = {f"claims/{c.id}.md": c.path for c in evidence.cards}
        origins.update({f"forms/{f.id}.md": f.path for f in evidence.forms})
        origins.update({f"articles/{s.id}.md": s.path for s in evidence.sources})
        for src, markdown in render_site(evidence, env).items():
            file = File.generated(config, src, content=markdown)
            file.edit_uri = origins.get(src)  # edit links open the card, not a generated page
            _add(files, file)
        _add(files, File.generated(config, "data/evidence.json", content=export_json(evidence)))
        self.evidence = evidence
        return files

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        server.watch(str(self.root / self.config.content_dir))
        templates = self.root / self.config.templates_dir
        if templates.is_dir():
            server.watch(str(templates))
        return server


def _add(files: Files, file: File) -> None:
    existing = files.get_file_from_path(file.src_uri)
    if existing:
        files.remove(existing)
    files.append(file)


def _report(errors: list[Problem]) -> str:
    return f"{len(errors)} problem(s) in the evidence content:\n" + "\n".join(map(str, errors))

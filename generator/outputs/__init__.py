"""The model → every file the site adds, as {path: source}: the seam every engine uses.

`site_files` gives the page sources (front matter and Markdown, outputs/pages.py), the data
files (evidence.json, CSV, BibTeX, CSL-JSON, the JSON Schemas) and the handout jobs
(compiled by outputs/handouts.py when an adapter wants the PDFs). Pure: nothing is written;
an adapter adds these to its engine's build (engines/mkdocs_plugin.py) or writes them into a
docs folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.config import Settings, build_day
from generator.core.model import Evidence


@dataclass(frozen=True)
class SiteFiles:
    evidence: Evidence
    files: dict[str, str]  # path in the site's docs → page source or data file
    handouts: dict[str, Any]  # path → outputs.handouts.Job (compiled on demand)


STYLESHEET = "assets/evidence.css"  # generator/assets/evidence.css, at this path in every site


def site_files(evidence: Evidence, settings: Settings, root: Path,
               templates: Any = None) -> SiteFiles:
    """Everything the site adds for this evidence (templates_dir relative to root); templates
    (pages.Templates) keeps the compiled page templates from one build to the next."""
    from generator.outputs.export import export_json
    from generator.outputs.feed import FEED, feed_xml
    from generator.outputs.opendata import data_files
    from generator.outputs.pages import Site, make_env, render_site
    from generator.outputs.schemas import schema_files

    # Form pages link the handouts only if they are made.
    env = make_env([root / settings.templates_dir], settings.handouts, settings.texts,
                   templates)
    files = render_site(evidence, env, site=Site(settings.site_name, settings.site_url,
                                                 settings.edit_root, settings.texts,
                                                 build_day(), settings.review_after_months))
    files[STYLESHEET] = (Path(__file__).parents[1] / STYLESHEET).read_text(encoding="utf-8")
    files["data/evidence.json"] = export_json(evidence)
    files[FEED] = feed_xml(evidence, settings.site_url, settings.site_name,
                           settings.texts.title)
    for name, text in schema_files().items():  # editors can point at the published schema
        files[f"schema/{name}"] = text
    files.update(data_files(evidence, settings.site_url))
    handouts = {}
    if settings.handouts:  # typst is imported only when handouts are made
        from generator.outputs.handouts import handout_template, site_handout_jobs

        handouts = site_handout_jobs(evidence, settings.site_url or None, settings.texts,
                                     handout_template(root / settings.templates_dir))
    return SiteFiles(evidence, files, handouts)

"""Evidence cards → validated model → page sources, data files and PDF handouts.

The names below are imported on first use, so that `evidence check` does not load Jinja.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "Card": "core.model",
    "Evidence": "core.model",
    "Form": "core.model",
    "Reference": "core.model",
    "Source": "core.model",
    "Problem": "core.problems",
    "export_data": "outputs.export",
    "export_json": "outputs.export",
    "claim_order": "core.order",
    "load_evidence": "core.load",
    "render_site": "outputs.pages",
    "SiteFiles": "outputs",
    "site_files": "outputs",
    "Settings": "config",
    "read_settings": "config",
    "Project": "project",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)

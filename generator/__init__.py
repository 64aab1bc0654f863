"""Evidence cards → validated model → MkDocs pages, JSON and PDF handouts.

The names below are imported on first use, so that `evidence check` does not load Jinja.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "Card": "model",
    "Evidence": "model",
    "Form": "model",
    "Reference": "model",
    "Source": "model",
    "ContentError": "problems",
    "Problem": "problems",
    "export_data": "export",
    "export_json": "export",
    "claim_order": "order",
    "load_evidence": "load",
    "render_site": "render",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)

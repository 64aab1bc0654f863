"""Evidence cards → validated model → MkDocs pages, JSON and PDF handouts."""

from .export import export_data, export_json
from .load import load_evidence
from .model import Card, Evidence, Form, Reference, Source
from .problems import ContentError, Problem
from .render import render_site

__all__ = [
    "Card",
    "ContentError",
    "Evidence",
    "Form",
    "Problem",
    "Reference",
    "Source",
    "export_data",
    "export_json",
    "load_evidence",
    "render_site",
]

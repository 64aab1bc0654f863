"""JSON Schemas (draft 2020-12) of cards, forms and articles, made from the field specs in
core/schema.py, so that the checker and the editor hints never drift. The site publishes them
under schema/; `evidence schema` writes them into the project's schema/ folder."""

from __future__ import annotations

import json
from typing import Any

from generator.core import schema
from generator.core.schema import BIB_KEY, SLUG, URL, Field

_SPECS = {
    "card.schema.json": (schema.CARD, "Evidence card (content/cards/<id>.yaml)"),
    "form.schema.json": (schema.FORM, "Supplement form (content/forms/<id>.yaml)"),
    "source.schema.json": (schema.SOURCE, "Audited article (content/sources/<id>.yaml)"),
    "glossary.schema.json": (schema.GLOSSARY, "Glossary (content/glossary.yaml)"),
}


def schema_files() -> dict[str, str]:
    """File name → JSON text, exactly as committed in schema/ and published on the site."""
    return {name: json.dumps(json_schema(spec, title), indent=2, ensure_ascii=False)
            + "\n" for name, (spec, title) in _SPECS.items()}


def json_schema(specs: tuple[Field, ...], title: str) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) for one kind of content file."""
    spec_schema = _object_schema(specs)
    if specs is schema.CARD:  # a claim from the articles says where it was made
        spec_schema["if"] = {"not": {"required": ["group"],
                                     "properties": {"group": {"const": "instead"}}}}
        spec_schema["then"] = {"properties": {"appearances": {"minItems": 1}}}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title,
            **spec_schema}


def _object_schema(specs: tuple[Field, ...]) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [s.name for s in specs if s.required],
        "properties": {s.name: _field_schema(s) for s in specs},
    }


def _field_schema(spec: Field) -> dict[str, Any]:
    base: dict[str, Any]
    if spec.kind == "object":
        base = _object_schema(spec.items)
    elif spec.kind == "objects":
        base = {"type": "array", "items": _object_schema(spec.items)}
        if spec.min_items:
            base["minItems"] = spec.min_items
    elif spec.kind == "texts":
        base = {"type": "array", "items": {"type": "string", "minLength": 1,
                                           "maxLength": spec.max_len}}
    elif spec.kind == "int":
        base = {"type": "integer"}
    elif spec.kind == "bool":
        base = {"type": "boolean"}
    elif spec.kind == "enum":
        base = {"enum": list(spec.choices)}
    elif spec.kind == "date":
        base = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    elif spec.kind == "key":
        base = {"type": "string", "pattern": BIB_KEY.pattern, "maxLength": spec.max_len}
    elif spec.kind == "slug":
        base = {"type": "string", "pattern": SLUG.pattern, "maxLength": spec.max_len}
    elif spec.kind == "url":
        base = {"type": "string", "pattern": URL.pattern}
    else:
        base = {"type": "string", "minLength": 1, "maxLength": spec.max_len}
    base["description"] = spec.help
    if spec.nullable:
        return {"anyOf": [base, {"type": "null"}], "description": spec.help}
    return base

"""`evidence schema`: write the JSON Schemas of cards, forms and articles into schema/.

The schemas are generated from the field specs in schema.py, so the checker and the editor
hints never drift; a test fails when the committed files differ from what this writes. The
site publishes the same files under schema/ (see plugin.py).
"""

from __future__ import annotations

import argparse
import json
import sys

from . import schema
from .safepath import UnsafePath, no_links

SCHEMA_DIR = "schema"
REGENERATE = "`evidence schema` (or `make schema`)"
_SPECS = {
    "card.schema.json": (schema.CARD, "Evidence card (content/cards/<id>.yaml)"),
    "form.schema.json": (schema.FORM, "Supplement form (content/forms/<id>.yaml)"),
    "source.schema.json": (schema.SOURCE, "Audited article (content/sources/<id>.yaml)"),
}


def schema_files() -> dict[str, str]:
    """File name → JSON text, exactly as committed in schema/ and published on the site."""
    return {name: json.dumps(schema.json_schema(spec, title), indent=2, ensure_ascii=False)
            + "\n" for name, (spec, title) in _SPECS.items()}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a file in schema/ is out of date")


def run(args: argparse.Namespace) -> int:
    folder = args.root / SCHEMA_DIR
    stale = [name for name, text in schema_files().items()
             if not (folder / name).is_file()
             or (folder / name).read_text(encoding="utf-8") != text]
    if args.check:
        for name in stale:
            print(f"{SCHEMA_DIR}/{name}: out of date; run {REGENERATE}", file=sys.stderr)
        return 1 if stale else 0
    try:
        no_links(folder, "the schema folder")
    except UnsafePath as exc:
        print(f"evidence schema: {exc}", file=sys.stderr)
        return 1
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in schema_files().items():
        if name in stale:
            (folder / name).write_text(text, encoding="utf-8")
        print(f"{SCHEMA_DIR}/{name}" + (" (updated)" if name in stale else " (unchanged)"))
    return 0

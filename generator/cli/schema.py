"""`evidence schema`: write the JSON Schemas of cards, forms and articles into schema/.

The schemas are made from the field specs in core/schema.py (outputs/schemas.py), so the
checker and the editor hints never drift; a test fails when the committed files differ from
what this writes. The site publishes the same files under schema/.
"""

from __future__ import annotations

import argparse
import sys

from generator.outputs.schemas import schema_files
from generator.project import SCHEMA_DIR
from generator.safepath import UnsafePath, no_links

REGENERATE = "`evidence schema` (or `make schema`)"
def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a file in schema/ is out of date")


def run(args: argparse.Namespace) -> int:
    folder = args.project.schemas
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

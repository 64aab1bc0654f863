"""`evidence export`: every card as JSON (the export format), on stdout or into --out."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.cli import load_or_report, write_out
from generator.outputs.export import export_json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", help="write to this file instead of standard output")


def run(args: argparse.Namespace) -> int:
    evidence = load_or_report(args.project)
    if evidence is None:
        return 1
    text = export_json(evidence)
    if args.out:
        return write_out(Path(args.out), text, "export")
    else:
        sys.stdout.write(text)
    return 0



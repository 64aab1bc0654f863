"""The `evidence` command: check, export (and, later, pdf, new, diff)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .export import export_json
from .load import load_evidence
from .model import Evidence
from .problems import Problem, errors_only


def _load(root: Path) -> tuple[Evidence, list[Problem]]:
    return load_evidence(root)


def cmd_check(args: argparse.Namespace) -> int:
    evidence, problems = _load(args.root)
    for p in problems:
        print(p)
    errors = errors_only(problems)
    warnings = len(problems) - len(errors)
    if errors:
        print(f"{len(errors)} problem(s), {warnings} warning(s)", file=sys.stderr)
        return 1
    print(f"ok: {len(evidence.cards)} cards, {len(evidence.forms)} forms, "
          f"{len(evidence.sources)} articles, {len(evidence.references)} references; "
          f"{warnings} warning(s)")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    evidence, problems = _load(args.root)
    errors = errors_only(problems)
    if errors:
        for p in errors:
            print(p, file=sys.stderr)
        return 1
    text = export_json(evidence)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="evidence",
        description="Evidence cards on magnesium and hair loss: check, export, build.",
    )
    parser.add_argument("--root", type=Path, default=Path("."),
                        help="project folder holding content/ (default: current folder)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = sub.add_parser("check", help="validate every card, form, article and reference")
    check.set_defaults(func=cmd_check)
    export = sub.add_parser("export", help="print every card as JSON (the export format)")
    export.add_argument("--out", help="write to this file instead of standard output")
    export.set_defaults(func=cmd_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))

"""The `evidence` command. Each subcommand is a module with add_arguments() and run()."""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
from pathlib import Path

from .export import export_json
from .load import LoadCache, load_evidence
from .model import Evidence
from .problems import errors_only, printable
from .safepath import UnsafePath, no_links

# name → (module, one-line help). Modules are imported only when their command runs.
COMMANDS = {
    "check": ("generator.cli", "validate every card, form, article and reference"),
    "export": ("generator.cli", "print every card as JSON (the export format)"),
    "build": ("generator.build", "build the site and the handouts into site/"),
    "pdf": ("generator.pdf", "write one PDF handout per supplement form"),
    "new": ("generator.scaffold", "scaffold a new evidence card"),
    "diff": ("generator.diff", "summarise what the working tree changes against a revision"),
    "schema": ("generator.schema_cmd", "write the JSON Schemas for cards, forms and articles"),
}


def check_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def check_run(args: argparse.Namespace) -> int:
    from .checks import links_where_written, tracked_cache

    evidence, problems = load_evidence(args.root)
    problems = sorted(problems + tracked_cache(args.root) + links_where_written(args.root))
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


def load_or_report(root: Path, consequence: str = "", cache: LoadCache | None = None,
                   ) -> Evidence | None:
    """The evidence, or None after printing every error (and what was not done) to stderr."""
    evidence, problems = load_evidence(root, cache=cache)
    errors = errors_only(problems)
    if not errors:
        return evidence
    for p in errors:
        print(p, file=sys.stderr)
    if consequence:
        print(f"{consequence} ({len(errors)} problem(s))", file=sys.stderr)
    return None


def export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", help="write to this file instead of standard output")


def export_run(args: argparse.Namespace) -> int:
    evidence = load_or_report(args.root)
    if evidence is None:
        return 1
    text = export_json(evidence)
    if args.out:
        return write_out(Path(args.out), text, "export")
    else:
        sys.stdout.write(text)
    return 0


def write_out(path: Path, text: str, command: str) -> int:
    """Write a command's --out file (never through a symbolic link); 0, or 1 after saying
    why not on one line."""
    try:
        no_links(path, "the output file").write_text(text, encoding="utf-8")
    except (UnsafePath, OSError) as exc:
        print(printable(f"evidence {command}: {exc}"), file=sys.stderr)
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="evidence",
        description="Evidence cards on magnesium and hair loss: check, export, build.",
    )
    parser.add_argument("--root", type=Path, default=Path("."),
                        help="project folder holding content/ (default: current folder)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        add_arguments, run = _hooks(module_name, name)
        command = sub.add_parser(name, help=help_text, description=help_text)
        add_arguments(command)
        command.set_defaults(run=run)
    return parser


def _hooks(module_name: str, name: str) -> tuple:
    """A command module's add_arguments and run (modules keep heavy imports inside run)."""
    module = importlib.import_module(module_name)
    if module_name == __name__:
        return getattr(module, f"{name}_arguments"), getattr(module, f"{name}_run")
    return module.add_arguments, module.run


class Interrupted(BaseException):
    """A signal that ends the command (like KeyboardInterrupt, so that cleanup runs)."""

    def __init__(self, signum: int):
        self.signum = signum


def _interrupted(signum: int, _frame: object) -> None:
    raise Interrupted(signum)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    for name in ("SIGTERM", "SIGHUP"):  # end as Ctrl-C does: staging folders are removed
        if hasattr(signal, name) and signal.getsignal(getattr(signal, name)) == signal.SIG_DFL:
            signal.signal(getattr(signal, name), _interrupted)
    try:
        return int(args.run(args))
    except (KeyboardInterrupt, Interrupted) as exc:
        signum = exc.signum if isinstance(exc, Interrupted) else signal.SIGINT
        print(f"evidence {args.command}: interrupted ({signal.Signals(signum).name}); "
              "nothing was left half done", file=sys.stderr)
        return 128 + signum

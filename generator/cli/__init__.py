"""The `evidence` command. Each subcommand is a module with add_arguments() and run()."""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
from pathlib import Path

from generator.config import SettingsError
from generator.core.load import LoadCache, load_evidence
from generator.core.model import Evidence
from generator.core.problems import errors_only, printable
from generator.counting import counted
from generator.project import Project
from generator.safepath import UnsafePath, no_links

# name → (module, one-line help). Modules are imported only when their command runs.
COMMANDS = {
    "check": ("generator.cli.check", "validate every card, form, article and reference"),
    "export": ("generator.cli.export", "print every card as JSON (the export format)"),
    "build": ("generator.cli.build", "build the site and the handouts into site/"),
    "pdf": ("generator.cli.pdf", "write one PDF handout per supplement form"),
    "new": ("generator.cli.new", "scaffold a new evidence card"),
    "diff": ("generator.cli.diff", "summarise what the working tree changes against a revision"),
    "schema": ("generator.cli.schema", "write the JSON Schemas for cards, forms and articles"),
    "init": ("generator.cli.init", "start a new evidence site in an empty folder"),
}


def load_or_report(project: Project, consequence: str = "", cache: LoadCache | None = None,
                   ) -> Evidence | None:
    """The evidence, or None after printing every error (and what was not done) to stderr."""
    evidence, problems = load_evidence(project.root, project.settings.content_dir, cache)
    errors = errors_only(problems)
    if not errors:
        return evidence
    for p in errors:
        print(p, file=sys.stderr)
    if consequence:
        print(f"{consequence} ({counted(len(errors), 'problem')})", file=sys.stderr)
    return None


def write_out(path: Path, text: str, command: str) -> int:
    """Write a command's --out file (never through a symbolic link); 0, or 1 after saying
    why not on one line."""
    try:
        no_links(path, "the output file").write_text(text, encoding="utf-8")
    except (UnsafePath, OSError) as exc:
        print(printable(f"evidence {command}: {exc}"), file=sys.stderr)
        return 1
    return 0


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line; with `only`, the options of that command alone (the others' modules,
    the build's engines say, are then not imported)."""
    parser = argparse.ArgumentParser(
        prog="evidence",
        description="Evidence cards: check, export, build a site and handouts.",
    )
    parser.add_argument("--root", type=Path, default=Path("."),
                        help="project folder holding content/ (default: current folder)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        if only in (None, name):
            add_arguments, run = _hooks(module_name, name)
            add_arguments(command)
            command.set_defaults(run=run)
    return parser


def _named_command(argv: list[str]) -> str | None:
    """The command that argv names (its first word but --root's), if it is one."""
    probe = argparse.ArgumentParser(add_help=False)
    probe.add_argument("--root")
    probe.add_argument("command", nargs="?")
    named = probe.parse_known_args(argv)[0].command
    return named if named in COMMANDS else None


def _hooks(module_name: str, name: str) -> tuple:
    """A command module's add_arguments and run (modules keep heavy imports inside run)."""
    module = importlib.import_module(module_name)
    return module.add_arguments, module.run


class Interrupted(BaseException):
    """A signal that ends the command (like KeyboardInterrupt, so that cleanup runs)."""

    def __init__(self, signum: int):
        self.signum = signum


def _interrupted(signum: int, _frame: object) -> None:
    raise Interrupted(signum)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(_named_command(argv)).parse_args(argv)
    if args.command != "init":  # init makes the project; every other command reads it once
        try:
            args.project = Project.read(args.root.resolve(),
                                        engine=getattr(args, "engine", "mkdocs"),
                                        pdf=not getattr(args, "no_pdf", False),
                                        offline=getattr(args, "offline", False))
        except SettingsError as exc:
            print(printable(str(exc)), file=sys.stderr)
            return 1
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

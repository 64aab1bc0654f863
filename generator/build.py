"""`evidence build`: the whole site and the handouts, swapped into place only on success.

The build goes to a temporary folder beside the output folder; a failed build (bad content,
a broken link in strict mode, a handout that does not compile) leaves the previous site as it
was. Handouts go to <site>/handouts/.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from .load import load_evidence
from .problems import errors_only


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder (default: site_dir of mkdocs.yml, i.e. site/)")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF handouts")


def run(args: argparse.Namespace) -> int:
    root = args.root.resolve()
    evidence, problems = load_evidence(root)
    errors = errors_only(problems)
    if errors:
        for p in errors:
            print(p, file=sys.stderr)
        print(f"build stopped: {len(errors)} problem(s); the previous site is unchanged",
              file=sys.stderr)
        return 1
    try:
        out = build_site(root, args.out, with_pdf=not args.no_pdf)
    except Exception as exc:  # mkdocs, typst: report, keep the old site
        print(f"build failed: {exc}\nthe previous site is unchanged", file=sys.stderr)
        return 1
    print(f"built {len(evidence.cards)} claim pages into {out}")
    return 0


def build_site(root: Path, out: Path | None = None, with_pdf: bool = True) -> Path:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(root / "mkdocs.yml"))
    out = (out or Path(config.site_dir)).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-building-", dir=out.parent))
    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(staging))
        build(config)
        if with_pdf:
            from .pdf import write_handouts

            write_handouts(root, staging / "handouts", site_url=config.site_url)
        _swap(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out


def _swap(new: Path, out: Path) -> None:
    old = out.with_name(f".{out.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    new.rename(out)
    shutil.rmtree(old, ignore_errors=True)

"""`evidence pdf`: write one PDF handout per supplement form, plus one covering all forms,
into handouts/ of the site folder (or --out)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.config import Texts
from generator.core.model import Evidence
from generator.counting import counted
from generator.outputs.handouts import PAPERS, handout_template, render_handouts
from generator.safepath import no_links


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder (default: handouts/ in the site_dir of mkdocs.yml, "
                             "i.e. site/handouts)")
    parser.add_argument("--paper", choices=PAPERS, default="a4",
                        help="paper size (default: a4)")


def run(args: argparse.Namespace) -> int:
    from generator.cli import load_or_report

    project = args.project
    evidence = load_or_report(project, "no handouts written")
    if evidence is None:
        return 1
    settings = project.settings
    out = args.out if args.out is not None else project.output / "handouts"
    try:
        out = no_links(out, "the handouts folder")
        paths = write_handouts(evidence, out, site_url=settings.site_url or None,
                               paper=args.paper, texts=settings.texts,
                               template=handout_template(project.overrides))
    except Exception as exc:  # typst: report, nothing written
        print(f"handouts failed: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {counted(len(paths), 'handout')} ({args.paper}) into {out}")
    return 0


def write_handouts(evidence: Evidence, out_dir: Path, site_url: str | None,
                   paper: str = "a4", texts: Texts | None = None,
                   template: Path | None = None) -> list[Path]:
    """Write DIR/<form id>.pdf for every form and DIR/all-forms.pdf; return their paths.

    Every PDF is made in memory first: a failure writes nothing.
    """
    pdfs = render_handouts(evidence, site_url, paper, texts, template)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, pdf in pdfs.items():
        path = no_links(out_dir / name, "a handout")
        path.write_bytes(pdf)
        paths.append(path)
    return paths



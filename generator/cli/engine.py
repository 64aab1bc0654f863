"""`evidence build --engine mkdocs|properdocs|zensical`: the engine's build.

MkDocs and ProperDocs run the `evidence` plugin (engines/mkdocs_plugin.py) through
engines/build_run.py: the engine's build API, with --no-pdf and --offline as plugin settings.
MkDocs runs in this process, with the evidence this command has loaded; ProperDocs in a
process of its own (its `mkdocs.*` is an alias that only its own process sets up). Zensical
ignores plugins it does not know: the pages are written first into a docs folder under
.cache/ (engines/docsfolder.py) with a config that inherits mkdocs.yml, its command line
builds them in a process of its own (its Rust runtime prints straight to the terminal, and a
crash there would end this command before the staging folder is removed), and its site is
then copied.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from generator.config import CONFIG_FILE
from generator.core.model import Evidence
from generator.core.problems import printable
from generator.engines import docsfolder
from generator.project import Project
from generator.safepath import no_links

ENGINES = ("mkdocs", "properdocs", "zensical")
INSTALL = {"mkdocs": "pip install -e .", "properdocs": "pip install -e '.[properdocs]'",
           "zensical": "pip install -e '.[zensical]'"}
# Quiet the engines' banners about each other (MkDocs 1.6.1's and ProperDocs's own names).
QUIET = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
_SHOWN = re.compile(r"^\s*(WARNING|ERROR|Warning|Error|Aborted)\b")
_OTHER = re.compile(r"^\s*(INFO|DEBUG|Traceback)\b")
_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


class EngineFailed(Exception):
    """The engine is missing, failed, or built fewer claim pages than there are cards."""


def missing(engine: str) -> str | None:
    """A one-line message if the engine is not installed, else None."""
    if importlib.util.find_spec(engine) is None:
        return f"the {engine} engine is not installed; install it with: {INSTALL[engine]}"
    return None


def run_engine(project: Project, staging: Path, env: dict[str, str],
               evidence: Evidence) -> None:
    """Build the site of the project into the (empty) staging folder; env: variables the
    engine reads (SOURCE_DATE_EPOCH). PDF and offline reach it as its plugins' settings."""
    engine, root = project.engine, project.root
    message = missing(engine)
    if message:
        raise EngineFailed(message)
    process_env = {**os.environ, **QUIET, **env}  # for an engine run as a command
    if engine == "zensical":
        config = _zensical_docs(project, evidence)
        _run([sys.executable, "-m", "zensical", "build", "-f", str(config)], root, process_env,
             engine)
        docsfolder.set_heads(root, project.engine_docs, project.engine_site)
        shutil.copytree(project.engine_site, staging, dirs_exist_ok=True)
    elif engine == "mkdocs":
        from generator.engines.build_run import BuildFailed, build

        try:
            with _environment(env):  # MkDocs reads SOURCE_DATE_EPOCH from there
                build(engine, str(root / CONFIG_FILE), str(staging), pdf=project.pdf,
                      offline=project.offline, evidence=evidence)
        except BuildFailed as exc:
            raise EngineFailed(f"{engine}: {exc}") from None
    else:
        flags = [*([] if project.pdf else ["--no-pdf"]),
                 *(["--offline"] if project.offline else [])]
        _run([sys.executable, "-m", "generator.engines.build_run", engine,
              str(root / CONFIG_FILE), str(staging), *flags], root, process_env, engine)
    check_claim_pages(engine, staging, evidence)


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """os.environ with values set, for the time of an in-process build; then as it was."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def check_claim_pages(engine: str, site: Path, evidence: Evidence) -> None:
    """Fail when the engine built fewer claim pages than there are cards (Zensical, say,
    skips a plugin it does not know without a word)."""
    lost = [c.id for c in evidence.cards
            if not (site / "claims" / c.id / "index.html").is_file()
            and not (site / "claims" / f"{c.id}.html").is_file()]
    if lost:
        built = len(evidence.cards) - len(lost)
        raise EngineFailed(f"{engine} built {built} of {len(evidence.cards)} claim pages "
                           f"(no page for '{lost[0]}'); is the evidence plugin listed in "
                           f"{CONFIG_FILE}?")


def _zensical_docs(project: Project, evidence: Evidence) -> Path:
    """The pages into .cache/zensical/docs and its config; the config's path."""
    from generator.outputs import site_files

    root = project.root
    settings = replace(project.settings, handouts=project.handouts)
    made = site_files(evidence, settings, root)
    pages: dict[str, str | bytes] = dict(made.files)
    if made.handouts:
        from generator.outputs.handouts import compile_handouts

        pages.update(compile_handouts(made.handouts))
    folder = no_links(project.engine_folder, "the engine's folder")
    docsfolder.write_docs(pages, project.docs, project.engine_docs)
    return docsfolder.write_config(root, folder, project.engine_docs, project.engine_site)


def _run(argv: list[str], root: Path, env: dict[str, str], engine: str) -> None:
    """Run the engine; show its warnings and errors; EngineFailed on a non-zero exit."""
    result = subprocess.run(argv, cwd=root, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, errors="replace")
    shown = relayed(result.stdout)
    for line in shown:
        print(printable(line), file=sys.stderr)
    if result.returncode != 0:
        lines = [ln.strip() for ln in _COLOUR.sub("", result.stdout).splitlines() if ln.strip()]
        last = lines[-1] if lines and lines[-1] not in shown else ""
        raise EngineFailed(f"{engine} exited with status {result.returncode}"
                           + (f": {last}" if last else ""))


def relayed(output: str) -> list[str]:
    """The engine's warnings and errors, each with the lines that continue it."""
    shown: list[str] = []
    keep = False
    for line in _COLOUR.sub("", output).splitlines():
        if _SHOWN.match(line):
            keep = True
        elif _OTHER.match(line) or not line.strip():
            keep = False
        if keep:
            shown.append(line.rstrip())
    return shown

"""Shared fixtures: a small real project copied to a temp folder."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "project"


def make_project(dst: Path, content: Path = FIXTURE / "content") -> Path:
    """Copy mkdocs.yml, docs/, site_overrides/ and the given content into dst."""
    shutil.copytree(content, dst / "content")
    shutil.copy(ROOT / "mkdocs.yml", dst / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", dst / "docs")
    shutil.copytree(ROOT / "site_overrides", dst / "site_overrides")
    return dst


# The fixture's card that the hostile-input tests edit, and how they edit it.
CARD = "content/cards/mgt-fphl-trial.yaml"


def edit(project: Path, old: str, new: str, path: str = CARD) -> None:
    file = project / path
    text = file.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {path}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def errors(project: Path) -> list[str]:
    """Every problem that is not a warning, as printed."""
    from generator.core.load import load_evidence

    return [str(p) for p in load_evidence(project)[1] if not p.warning]


def format_reference(ref: object, as_html: bool) -> str:
    """One reference as the site shows it (HTML) or as its plain text, as a build formats it."""
    from generator.core.references import format_all

    html, text = format_all({ref.key: ref})  # type: ignore[attr-defined]
    return (html if as_html else text)[ref.key]  # type: ignore[attr-defined]


def digest_folder(folder: Path) -> dict[str, str]:
    """Every file under folder (relative path) → its SHA-256."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The fixture project (one form, one article, two cards) in a temp folder."""
    return make_project(tmp_path / "project")


def evidence_cli(*args: str, cwd: Path, env: dict[str, str] | None = None,
                 ) -> subprocess.CompletedProcess[str]:
    """Run `python -m generator ARGS` as a user would, capturing its output; env: variables
    set for it (e.g. SOURCE_DATE_EPOCH, the day the build takes as today)."""
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, **env} if env else None)

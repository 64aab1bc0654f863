"""Shared fixtures: a small real project copied to a temp folder."""

from __future__ import annotations

import hashlib
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


def digest_folder(folder: Path) -> dict[str, str]:
    """Every file under folder (relative path) → its SHA-256."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The fixture project (one form, one article, two cards) in a temp folder."""
    return make_project(tmp_path / "project")


def evidence_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `python -m generator ARGS` as a user would, capturing its output."""
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)

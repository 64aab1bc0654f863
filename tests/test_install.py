"""Installable: `python -m build` makes a wheel holding the templates, the stylesheet and the
site scaffold; in a fresh venv outside the repository, `pip install` of that wheel, then
`evidence init`, `evidence new` and `mkdocs build`, work.

No download: the wheel is built without build isolation, and the new venv sees the
dependencies already installed for the tests (a .pth line to this interpreter's site-packages,
which runs none of their .pth files, so this checkout's editable install is not visible)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

from tests.conftest import ROOT

SKIP = shutil.ignore_patterns(".git", ".venv", "site", ".cache", "node_modules", "build",
                              "*.egg-info", "__pycache__", ".pytest_cache", ".ruff_cache")


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    return done


def test_the_wheel_installs_and_starts_a_site(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=SKIP)
    run(sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir",
        tmp_path / "dist", source, cwd=tmp_path)
    wheel = next((tmp_path / "dist").glob("evidence_site-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for packaged in ("generator/templates/handout.typ", "generator/templates/home.md.j2",
                     "generator/assets/evidence.css", "generator/scaffold/mkdocs.yml",
                     "generator/scaffold/dot-github/workflows/pages.yml"):
        assert packaged in names

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    bin_dir = venv / "bin"
    site_packages = Path(run(bin_dir / "python", "-c", "import sysconfig; "
                             "print(sysconfig.get_path('purelib'))", cwd=tmp_path).stdout.strip())
    (site_packages / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    run(sys.executable, "-m", "pip", "--python", bin_dir / "python", "install", "--no-index",
        "--no-deps", "--quiet", wheel, cwd=tmp_path)
    where = run(bin_dir / "python", "-c", "import generator; print(generator.__file__)",
                cwd=tmp_path).stdout
    assert where.startswith(str(site_packages)), where

    site = tmp_path / "elsewhere" / "my-site"
    run(bin_dir / "evidence", "init", site, "--title", "Synthetic site", "--topic",
        "synthetic topic", "--outcome", "synthetic outcome", cwd=tmp_path)
    (site / "content/forms/synthetic-form.yaml").write_text(
        "id: synthetic-form\nname: Synthetic form\ndescription: A made-up form for a test.\n"
        "links:\n  - title: Example reference page\n    url: https://example.org/\n")
    (site / "content/sources/synthetic-article.yaml").write_text(
        "id: synthetic-article\ntitle: Synthetic article\nsite: example.org\n"
        "url: https://example.org/article\ndate_stated: null\naccessed: 2026-01-01\n")
    run(bin_dir / "evidence", "new", "--form", "synthetic-form", "--article",
        "synthetic-article", "--claim", "Synthetic claim one.", cwd=site)
    assert (site / "content/cards/synthetic-claim-one.yaml").is_file()
    (site / "content/cards/synthetic-claim-one.yaml").unlink()  # placeholders fail the check
    run(bin_dir / "python", "-m", "mkdocs", "build", "--strict", cwd=site)
    assert "Synthetic form" in (site / "site/forms/index.html").read_text()
    assert (site / "site/assets/evidence.css").is_file()

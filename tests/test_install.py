"""Installable: `python -m build` makes a wheel holding the templates, the stylesheet and the
site scaffold; in a fresh venv outside the repository, `pip install` of that wheel, then
`evidence init`, `evidence new` and `mkdocs build`, work.

No download: the wheel is built without build isolation, and the new venv sees the
dependencies already installed for the tests (a .pth line to this interpreter's site-packages,
which runs none of their .pth files, so this checkout's editable install is not visible)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from generator.cli.init import InstallStep, install_step
from tests.conftest import ROOT

SKIP = shutil.ignore_patterns(".git", ".venv", "site", ".cache", "node_modules", "build",
                              "*.egg-info", "__pycache__", ".pytest_cache", ".ruff_cache")


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None,
        ) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env=env)
    assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    return done


def test_the_wheel_installs_and_starts_a_site(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=SKIP)
    run(sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir",
        tmp_path / "dist", source, cwd=tmp_path)
    wheel = next((tmp_path / "dist").glob("evidence_site-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("/METADATA")))
    description = metadata.decode().split("\n\n", 1)[1]  # the long description
    assert description.startswith("# evidence-site: evidence audits of web claims")
    assert "Magnesium" not in description and "Provides-Extra: pinned" in metadata.decode()
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

    # The new site installs what made it: its own install step (README, both workflows), in
    # another fresh venv, offline, gives the same generator. (Slow part: a venv with pip.)
    step = "python -m pip install -r requirements.txt"
    assert step in (site / "README.md").read_text()
    for workflow in ("pull-request.yml", "pages.yml"):
        assert f"run: {step}" in (site / ".github/workflows" / workflow).read_text()
    requirement = (site / "requirements.txt").read_text()
    assert f"./wheels/{wheel.name}" in requirement, requirement  # the wheel it came from
    assert (site / "wheels" / wheel.name).read_bytes() == wheel.read_bytes()
    other = tmp_path / "other-venv"
    run(sys.executable, "-m", "venv", other, cwd=tmp_path)
    purelib = run(other / "bin/python", "-c", "import sysconfig; "
                  "print(sysconfig.get_path('purelib'))", cwd=tmp_path).stdout.strip()
    (Path(purelib) / "dependencies.pth").write_text(str(dependencies_only(tmp_path)) + "\n")
    env = {**os.environ, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1",
           "PATH": f"{other / 'bin'}:{os.environ['PATH']}"}
    env.pop("VIRTUAL_ENV", None)
    run("sh", "-c", step, cwd=site, env=env)  # the README's step, as written
    assert (other / "bin/evidence").is_file()
    where = run(other / "bin/python", "-c", "import generator; print(generator.__file__)",
                cwd=tmp_path).stdout
    assert where.startswith(purelib), where
    # ... and passes its own CI steps (the workflows' commands) with content in it
    from tests.test_init import with_examples

    with_examples(site)
    for workflow in ("pull-request.yml", "pages.yml"):
        text = (site / ".github/workflows" / workflow).read_text()
        for command in ("evidence check", "mkdocs build --strict"):
            assert f"run: {command}" in text, (workflow, command)
    run(other / "bin/evidence", "check", cwd=site, env=env)
    # python -m: MkDocs is seen through the .pth line here, so its script is not in the venv
    run("sh", "-c", "python -m mkdocs build --strict --site-dir site", cwd=site, env=env)
    assert (site / "site/claims/example-claim/index.html").is_file()


def dependencies_only(tmp_path: Path) -> Path:
    """This interpreter's installed packages but the generator itself (its editable install
    and its metadata), as a folder of links: what a fresh venv may see as already installed."""
    folder = tmp_path / "dependencies"
    folder.mkdir()
    for entry in Path(sysconfig.get_path("purelib")).iterdir():
        if not entry.name.lower().startswith(("evidence_site", "__editable__", "generator")):
            (folder / entry.name).symlink_to(entry)
    return folder


@pytest.mark.parametrize(("direct_url", "expected"), [
    (None, InstallStep("evidence-site[pinned]==1.2.0")),
    ({"url": "https://github.com/team/evidence.git",
      "vcs_info": {"vcs": "git", "commit_id": "abc123", "requested_revision": "main"}},
     InstallStep("evidence-site[pinned] @ git+https://github.com/team/evidence.git@abc123")),
    ({"url": "https://example.org/dist/evidence_site-1.2.0-py3-none-any.whl",
      "archive_info": {"hashes": {"sha256": "f00d"}}},
     InstallStep("evidence-site[pinned] @ "
                 "https://example.org/dist/evidence_site-1.2.0-py3-none-any.whl"
                 "#sha256=f00d")),
    ({"url": "file:///home/me/dist/evidence_site-1.2.0-py3-none-any.whl", "archive_info": {}},
     InstallStep("./wheels/evidence_site-1.2.0-py3-none-any.whl[pinned]",
                 Path("/home/me/dist/evidence_site-1.2.0-py3-none-any.whl"))),
])
def test_the_install_step_names_where_the_generator_came_from(
        direct_url: dict | None, expected: InstallStep) -> None:
    assert install_step(direct_url, "1.2.0") == expected


def test_a_checkout_is_installed_from_its_git_remote_or_said_to_be_local() -> None:
    checkout = {"url": "file:///home/me/evidence", "dir_info": {"editable": True}}
    step = install_step(checkout, "1.2.0", origin="git@github.com:team/evidence.git",
                        commit="abc123")
    assert step.requirement == "evidence-site[pinned] @ git+ssh://git@github.com/team/evidence.git@abc123"
    local = install_step(checkout, "1.2.0")
    assert local.requirement == "evidence-site[pinned]==1.2.0"
    assert "/home/me/evidence" in local.note and "requirements.txt" in local.note

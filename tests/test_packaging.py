"""Packaging (issue 27 §6): the README's packaging commands work from a fresh copy with a
plain Python; the pins a user needs are reachable from the package (the `pinned` extra)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.conftest import ROOT
from tests.test_install import SKIP


def _pins(lines: list[str]) -> dict[str, str]:
    """name (normalised) → pinned version, of `name==version` lines."""
    out = {}
    for line in lines:
        match = re.fullmatch(r"\s*([A-Za-z0-9_.-]+)\s*==\s*([^\s;#]+)\s*", line)
        if match:
            out[re.sub(r"[-_.]+", "-", match[1]).lower()] = match[2]
    return out


def test_the_pinned_extra_pins_what_builds_a_site_as_constraints_txt_does() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pinned = _pins(project["optional-dependencies"]["pinned"])
    constraints = _pins((ROOT / "constraints.txt").read_text().splitlines())
    assert len(pinned) == len(project["optional-dependencies"]["pinned"])  # only == pins
    for name, version in pinned.items():
        assert constraints.get(name) == version, name
    for requirement in project["dependencies"]:
        name = re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9_.-]+", requirement)[0]).lower()
        assert name in pinned, f"{name} is a dependency but not in [pinned]"


def test_the_package_describes_the_generator_not_this_site() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    readme = (ROOT / project["readme"]).read_text()
    assert "evidence init" in readme and "[pinned]" in readme
    assert not re.search(r"magnesium|hair", readme, re.I)


def test_the_readme_packaging_commands_work_from_a_fresh_copy(tmp_path: Path) -> None:
    """The README's commands to start a site on another topic, run with a Python that has
    no `build` module (slow part: a venv with pip, ~5 s)."""
    text = (ROOT / "README.md").read_text()
    block = re.search(r"To start a site on another topic.*?```sh\n(.*?)```", text, re.S)[1]
    commands = [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands[0] == "python -m pip wheel --no-deps --wheel-dir dist ."
    assert commands[1] == "python -m pip install --find-links dist 'evidence-site[pinned]'"
    clone = tmp_path / "clone"
    shutil.copytree(ROOT, clone, ignore=SKIP)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True, timeout=300)
    assert subprocess.run([venv / "bin/python", "-c", "import build"],
                          capture_output=True).returncode != 0  # a plain Python
    made = subprocess.run(commands[0].replace("python", str(venv / "bin/python"), 1),
                          shell=True, cwd=clone, capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stdout + made.stderr
    assert [p.name for p in (clone / "dist").iterdir()] == [
        "evidence_site-0.1.0-py3-none-any.whl"]

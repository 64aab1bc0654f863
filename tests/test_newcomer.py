"""Small things a newcomer met: `evidence build` says what it built, where and how to view it;
`evidence diff HEAD~3` shows the revision as code without a backslash."""

from __future__ import annotations

from pathlib import Path

from generator.cli.diff import code
from tests.conftest import evidence_cli


def test_build_says_what_it_built_where_and_how_to_view_it(project: Path,
                                                           tmp_path: Path) -> None:
    out = tmp_path / "built"
    done = evidence_cli("build", "--out", str(out), cwd=project)
    assert done.returncode == 0, done.stderr
    said = done.stdout
    assert "(2 claim pages), 4 PDF handouts and 4 data files" in said
    assert "cards.csv, evidence.json, references.bib, references.json" in said
    assert f"into {out}" in said
    assert "mkdocs serve (http://127.0.0.1:8000/hair-claims/, the base path of site_url)" in said


def test_a_revision_is_code_without_a_backslash() -> None:
    assert code("HEAD~3") == "`HEAD~3`"
    assert code("origin/main^") == "`origin/main^`"

"""One configuration: the evidence plugin's options in mkdocs.yml, read by the plugin and the CLI
alike (generator/config.py)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from generator.config import Settings, read_settings
from tests.conftest import evidence_cli


def _move_content(project: Path, folder: str, options: str) -> None:
    (project / "content").rename(project / folder)
    text = (project / "mkdocs.yml").read_text()
    assert "\n  - evidence:\n" in text
    (project / "mkdocs.yml").write_text(text.replace("\n  - evidence:\n",
                                                     f"\n  - evidence:\n{options}"))


def test_defaults_where_mkdocs_yml_says_nothing(tmp_path: Path) -> None:
    assert read_settings(tmp_path) == Settings()


def test_every_command_reads_content_dir_from_the_plugin_entry(project: Path,
                                                               tmp_path: Path) -> None:
    _move_content(project, "evidence", "      content_dir: evidence\n      handouts: false\n")
    settings = read_settings(project)
    assert (settings.content_dir, settings.handouts) == ("evidence", False)
    assert settings.site_url == "https://magnesium-evidence.github.io/hair-claims/"
    check = evidence_cli("check", cwd=project)
    assert check.returncode == 0, check.stderr
    assert "ok: 2 cards" in check.stdout
    export = evidence_cli("export", cwd=project)
    assert export.returncode == 0 and len(json.loads(export.stdout)["cards"]) == 2
    build = evidence_cli("build", "--out", str(tmp_path / "site"), cwd=project)
    assert build.returncode == 0, build.stderr
    assert (tmp_path / "site/claims/mgt-fphl-trial/index.html").is_file()
    assert not (tmp_path / "site/handouts").exists()  # handouts: false, as the plugin reads it
    edit = (tmp_path / "site/claims/mgt-fphl-trial/index.html").read_text()
    assert "edit/main/evidence/cards/mgt-fphl-trial.yaml" in edit  # the card, where it is
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=project, check=True)
    subprocess.run([*git, "add", "."], cwd=project, check=True)
    subprocess.run([*git, "commit", "-qm", "x"], cwd=project, check=True)
    (project / "evidence/cards/mgt-fphl-trial.yaml").unlink()
    diff = evidence_cli("diff", "HEAD", cwd=project)
    assert diff.returncode == 0, diff.stderr
    assert "mgt-fphl-trial" in diff.stdout  # the old revision read from the same folder


def test_a_setting_of_the_wrong_type_is_named(project: Path) -> None:
    _move_content(project, "content", "      content_dir: [a, b]\n")
    result = evidence_cli("check", cwd=project)
    assert result.returncode == 1
    assert "mkdocs.yml: plugins: evidence: content_dir: expected str, got ['a', 'b']" in (
        result.stderr)


@pytest.mark.parametrize(("edit_uri", "docs_dir", "root"), [
    ("edit/main/docs/", "docs", "https://github.com/o/r/edit/main/"),
    ("edit/main/docs", "docs", "https://github.com/o/r/edit/main/"),
    ("edit/main/site/docs/", "site/docs", "https://github.com/o/r/edit/main/"),
    ("edit/main/", "docs", "https://github.com/o/r/edit/main/"),  # not at docs/: as given
    ("", "docs", ""),
])
def test_edit_links_of_content_files_start_at_the_repository_root(edit_uri: str, docs_dir: str,
                                                                  root: str) -> None:
    """edit_uri points at docs_dir (as MkDocs wants it); a card is edited from the root."""
    settings = Settings(repo_url="https://github.com/o/r/", edit_uri=edit_uri, docs_dir=docs_dir)
    assert settings.edit_root == root


def test_inherit_means_what_it_means_to_mkdocs(project: Path, tmp_path: Path) -> None:
    """INHERIT: base.yml gives the inherited plugin options, as MkDocs reads them (issue 26)."""
    (project / "content").rename(project / "stuff")
    text = (project / "mkdocs.yml").read_text()
    base = text.replace("\n  - evidence:\n",
                        "\n  - evidence:\n      content_dir: stuff\n      handouts: false\n")
    (project / "base.yml").write_text(base)
    (project / "mkdocs.yml").write_text("INHERIT: base.yml\n")
    settings = read_settings(project)
    assert (settings.content_dir, settings.handouts) == ("stuff", False)
    check = evidence_cli("check", cwd=project)
    assert check.returncode == 0, check.stderr
    assert "ok: 2 cards" in check.stdout
    build = evidence_cli("build", "--out", str(tmp_path / "site"), cwd=project)
    assert build.returncode == 0, build.stderr
    assert (tmp_path / "site/claims/mgt-fphl-trial/index.html").is_file()
    assert not (tmp_path / "site/handouts").exists()


def test_env_tags_are_resolved_as_mkdocs_does(project: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    text = (project / "mkdocs.yml").read_text()
    lines = [ln for ln in text.splitlines() if not ln.startswith("site_url:")]
    (project / "mkdocs.yml").write_text(
        "site_url: !ENV [SITE_ADDRESS, 'https://fallback.example.org/']\n" + "\n".join(lines))
    monkeypatch.delenv("SITE_ADDRESS", raising=False)
    assert read_settings(project).site_url == "https://fallback.example.org/"
    monkeypatch.setenv("SITE_ADDRESS", "https://from-env.example.org/")
    assert read_settings(project).site_url == "https://from-env.example.org/"


@pytest.mark.parametrize("command", [("check",), ("export",), ("pdf", "--out", "h"),
                                     ("build", "--no-pdf"), ("diff", "HEAD")])
def test_a_missing_inherited_file_is_a_problem_under_every_command(
        project: Path, command: tuple[str, ...]) -> None:
    text = (project / "mkdocs.yml").read_text()
    (project / "mkdocs.yml").write_text("INHERIT: nowhere.yml\n" + text)
    result = evidence_cli(*command, cwd=project)
    assert result.returncode != 0
    assert "mkdocs.yml:1:1: -: Inherited config file 'nowhere.yml' does not exist" in (
        result.stderr), result.stderr


def test_bad_yaml_in_an_inherited_file_is_named_at_its_line(project: Path) -> None:
    (project / "base.yml").write_text("site_name: ok\nnav: [a\n")
    (project / "mkdocs.yml").write_text("INHERIT: base.yml\n")
    result = evidence_cli("check", cwd=project)
    assert result.returncode == 1
    assert "base.yml:3:1: -: not valid YAML" in result.stderr, result.stderr

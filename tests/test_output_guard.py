"""The output never destroys (issue 26, section 2): the output folder is new or one the
generator made; it never holds tracked files, the content, docs, the package or tests, whatever
site_dir or --out says; recovery after a killed build touches only what this checkout's own
build left. Each case is an attack a pull request could make."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli.build import build_site
from generator.safepath import SITE_MARK, UnsafePath
from tests.conftest import edit, evidence_cli
from tests.test_hostile import one_line_error


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under folder with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and ".git/" not in p.as_posix()
            and not p.relative_to(folder).as_posix().startswith(".git/")}


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   cwd=cwd, check=True, capture_output=True)


def commit_all(project: Path) -> None:
    git(project, "init", "-q")
    git(project, "add", "-f", ".")
    git(project, "commit", "-qm", "pull request")


def set_site_dir(project: Path, site_dir: str) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + f"\nsite_dir: {site_dir}\n")


@pytest.mark.parametrize("folder", ["bench", "generator", "tests", ".github", "notes"])
def test_site_dir_on_a_project_folder_deletes_nothing(project: Path, folder: str) -> None:
    """`site_dir: bench` deleted the tracked bench/*.py and put the site there."""
    (project / folder).mkdir()
    (project / folder / "run.py").write_text("precious = True\n")
    commit_all(project)
    set_site_dir(project, folder)
    before = tree(project)
    message = one_line_error(evidence_cli("build", "--no-pdf", cwd=project))
    assert f"{folder}" in message and "output folder" in message, message
    assert tree(project) == before


def test_an_untracked_folder_not_made_by_a_build_is_kept(project: Path, tmp_path: Path) -> None:
    """No git at all: a folder that holds files the generator did not make is not replaced."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.tex").write_text("years of work")
    message = one_line_error(evidence_cli("build", "--no-pdf", "--out", str(mine), cwd=project))
    assert "not made by evidence build" in message, message
    assert (mine / "thesis.tex").read_text() == "years of work"
    assert sorted(p.name for p in mine.iterdir()) == ["thesis.tex"]


def test_content_dir_as_site_dir_is_refused(project: Path) -> None:
    """content_dir: cards-here with site_dir: cards-here replaced the cards with the site."""
    (project / "content").rename(project / "cards-here")
    edit(project, "  - evidence:\n", "  - evidence:\n      content_dir: cards-here\n",
         "mkdocs.yml")
    set_site_dir(project, "cards-here")
    before = tree(project)
    message = one_line_error(evidence_cli("build", "--no-pdf", cwd=project))
    assert "cards-here" in message, message
    assert tree(project) == before


def test_a_site_folder_with_a_committed_mark_is_not_replaced(project: Path) -> None:
    """The mark alone is not enough: a folder a pull request commits is never the output."""
    (project / "site").mkdir()
    (project / "site" / SITE_MARK).write_text("")
    (project / "site" / "keep.py").write_text("x = 1\n")
    commit_all(project)
    before = tree(project)
    message = one_line_error(evidence_cli("build", "--no-pdf", cwd=project))
    assert "tracked by git" in message and "keep.py" in message, message
    assert tree(project) == before


def test_a_new_an_empty_and_a_built_folder_are_built(project: Path, tmp_path: Path) -> None:
    empty = tmp_path / "volume"
    empty.mkdir()
    for out in (tmp_path / "new", empty, tmp_path / "new"):  # the third: built before
        assert evidence_cli("build", "--no-pdf", "--out", str(out), cwd=project).returncode == 0
        assert (out / "index.html").is_file() and (out / SITE_MARK).is_file()


def test_build_site_refuses_a_folder_it_did_not_make(project: Path, tmp_path: Path) -> None:
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "a.txt").write_text("a")
    with pytest.raises(UnsafePath, match="not made by evidence build"):
        build_site(project, tmp_path / "other", with_pdf=False)
    assert (tmp_path / "other" / "a.txt").read_text() == "a"


@pytest.mark.parametrize("broken", [False, True])
def test_a_committed_old_site_is_never_restored(project: Path, broken: bool) -> None:
    """A committed .site-old/ was renamed to site/ before the content was even loaded, even
    when the build was then refused."""
    old = project / ".site-old"
    old.mkdir()
    (old / SITE_MARK).write_text("")
    (old / "index.html").write_text("<p>planted</p>")
    commit_all(project)
    if broken:
        edit(project, "id: mgt-fphl-trial", "id: broken")
    result = evidence_cli("build", "--no-pdf", cwd=project)
    assert result.returncode == (1 if broken else 0), result.stderr
    assert (old / "index.html").read_text() == "<p>planted</p>"  # untouched
    site = project / "site" / "index.html"
    assert (not site.exists()) if broken else "planted" not in site.read_text()


def test_a_committed_staging_folder_is_left_alone(project: Path) -> None:
    staging = project / ".site-building-999999999-abc"
    staging.mkdir()
    (staging / SITE_MARK).write_text("")
    (staging / "index.html").write_text("<p>planted</p>")
    commit_all(project)
    assert evidence_cli("build", "--no-pdf", cwd=project).returncode == 0
    assert (staging / "index.html").read_text() == "<p>planted</p>"
    assert "planted" not in (project / "site/index.html").read_text()


def test_a_staging_folder_without_the_mark_is_not_removed(project: Path) -> None:
    """Only what a build of this checkout left is swept: a folder without the mark is not."""
    stale = project / ".site-building-999999999-abc"
    stale.mkdir()
    (stale / "notes.txt").write_text("mine")
    assert evidence_cli("build", "--no-pdf", cwd=project).returncode == 0
    assert (stale / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize("site_dir", [None, "out/built"])
def test_check_names_committed_site_debris(project: Path, site_dir: str | None) -> None:
    """By the names the build gives them, beside the site folder that mkdocs.yml names."""
    if site_dir:
        set_site_dir(project, site_dir)
    site = Path(site_dir or "site")
    planted = [site.with_name(f".{site.name}-old"),
               site.with_name(f".{site.name}-building-999999999-abc"), site]
    for folder in planted:
        (project / folder).mkdir(parents=True)
        (project / folder / "index.html").write_text("<p>planted</p>")
    commit_all(project)
    result = evidence_cli("check", cwd=project)
    assert result.returncode == 1
    for folder in planted:
        assert f"{folder.as_posix()}/index.html:1:1: -: is tracked by git" in result.stdout, (
            result.stdout)


def test_mkdocs_build_refuses_a_folder_it_did_not_make(project: Path) -> None:
    """Plain `mkdocs build` empties site_dir first: the plugin refuses before it does."""
    (project / "bench").mkdir()
    (project / "bench" / "run.py").write_text("precious = True\n")
    set_site_dir(project, "bench")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet"], cwd=project,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "not made by evidence build" in result.stderr and "Traceback" not in result.stderr
    assert (project / "bench" / "run.py").read_text() == "precious = True\n"
    set_site_dir(project, "built")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet"], cwd=project,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (project / "built" / SITE_MARK).is_file()  # the next mkdocs build may replace it

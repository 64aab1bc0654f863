"""One Project: every path and setting of a project, read once per adapter (issue 26)."""

from __future__ import annotations

from pathlib import Path

from generator.project import Project


def test_a_project_owns_every_path_under_its_content_dir(project: Path) -> None:
    text = (project / "mkdocs.yml").read_text()
    (project / "base.yml").write_text(text.replace(
        "\n  - evidence:\n", "\n  - evidence:\n      content_dir: cards-here\n"))
    (project / "mkdocs.yml").write_text("INHERIT: base.yml\nsite_dir: built\n")
    made = Project.read(project, engine="zensical", pdf=False, offline=True)
    assert made.content == project / "cards-here"
    assert (made.cards, made.forms, made.sources, made.bib) == (
        project / "cards-here/cards", project / "cards-here/forms",
        project / "cards-here/sources", project / "cards-here/references.bib")
    assert made.docs == project / "docs"
    assert made.overrides == project / "site_overrides/templates"
    assert made.output == project / "built"
    assert made.caches == project / ".cache"
    assert made.cache == project / ".cache/evidence"
    assert made.engine_folder == project / ".cache/zensical"
    assert (made.engine_docs, made.engine_site) == (project / ".cache/zensical/docs",
                                                    project / ".cache/zensical/site")
    assert (made.engine, made.handouts, made.offline) == ("zensical", False, True)
    assert made.kept() == [made.content, made.docs, project / ".git", made.cache,
                           made.engine_folder]


def test_handouts_are_on_when_the_plugin_and_the_command_both_say_so(project: Path) -> None:
    assert Project.read(project).handouts
    assert not Project.read(project, pdf=False).handouts

"""The docs-folder writer for engines without a plugin API (Zensical): only changed files are
written, stale ones removed, nothing written outside the folder or through a link."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.engines.docsfolder import write_config, write_docs
from generator.project import Project
from generator.safepath import UnsafePath


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    (tmp_path / "docs/assets").mkdir(parents=True)
    (tmp_path / "docs/about.md").write_text("# About\n")
    (tmp_path / "docs/assets/x.css").write_text("a{}")
    return tmp_path / "docs"


def test_mirrors_docs_and_pages_and_a_page_wins(docs: Path, tmp_path: Path) -> None:
    out = tmp_path / ".cache/zensical/docs"
    pages = {"claims/a.md": "---\ntitle: A\n---\n# A\n", "about.md": "# Generated",
             "handouts/a.pdf": b"%PDF"}
    changes = write_docs(pages, docs, out)
    assert tree(out) == {"about.md": b"# Generated", "assets/x.css": b"a{}",
                         "claims/a.md": b"---\ntitle: A\n---\n# A\n", "handouts/a.pdf": b"%PDF"}
    assert sorted(changes.written) == sorted(tree(out))


def test_unchanged_files_are_not_rewritten_and_stale_ones_are_removed(docs: Path,
                                                                      tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_docs({"claims/a.md": "A", "claims/b.md": "B", "forms/f.md": "F"}, docs, out)
    old = 1_000_000_000
    for path in out.rglob("*"):
        os.utime(path, (old, old))
    changes = write_docs({"claims/a.md": "A", "claims/b.md": "B2"}, docs, out)
    assert changes.written == ["claims/b.md"] and changes.removed == ["forms/f.md"]
    assert (out / "claims/a.md").stat().st_mtime == old
    assert (out / "about.md").stat().st_mtime == old
    assert (out / "claims/b.md").read_text() == "B2"
    assert not (out / "forms").exists()  # emptied folders go too
    assert write_docs({"claims/a.md": "A", "claims/b.md": "B2"}, docs, out).written == []


def test_nothing_is_written_outside_or_through_a_link(docs: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (tmp_path / "link").symlink_to(outside)
    with pytest.raises(UnsafePath, match="symbolic link"):
        write_docs({"a.md": "A"}, docs, tmp_path / "link/docs")
    out = tmp_path / "out"
    with pytest.raises(UnsafePath, match="outside the docs folder"):
        write_docs({"../escape.md": "A"}, docs, out)
    assert not (tmp_path / "escape.md").exists()
    # A link left inside the folder is removed, never written through
    (out / "claims").mkdir(parents=True)
    (out / "claims/a.md").symlink_to(outside / "target.md")
    write_docs({"claims/a.md": "A"}, docs, out)
    assert not (out / "claims/a.md").is_symlink() and (out / "claims/a.md").read_text() == "A"
    assert list(outside.iterdir()) == []


def test_a_docs_file_linking_outside_the_project_is_refused(docs: Path, tmp_path: Path) -> None:
    secret = tmp_path.parent / f"{tmp_path.name}-secret.txt"
    secret.write_text("key")
    try:
        (docs / "secret.md").symlink_to(secret)
        with pytest.raises(UnsafePath, match="docs/secret.md: is a link to a file outside"):
            write_docs({}, docs, tmp_path / "out")
    finally:
        secret.unlink()


def zensical(root: Path) -> tuple[Path, Path, Path]:
    """The project's folder for Zensical: its config's, docs and site folders."""
    project = Project(root)
    return project.engine_folder, project.engine_docs, project.engine_site


def test_config_inherits_mkdocs_yml_with_its_own_folders(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: X\ntheme:\n  name: material\n"
                                         "  custom_dir: site_overrides\n")
    path = write_config(tmp_path, *zensical(tmp_path))
    assert path.read_text().splitlines()[1:] == [
        "INHERIT: ../../mkdocs.yml", "docs_dir: docs", "site_dir: site", "theme:",
        "  custom_dir: ../../site_overrides", "extra_css:", '  - "assets/evidence.css"']
    os.utime(path, (1, 1))
    write_config(tmp_path, *zensical(tmp_path))
    assert path.stat().st_mtime == 1


def test_config_keeps_the_sites_own_stylesheets_beside_the_generators(tmp_path: Path) -> None:
    """INHERIT replaces lists: the site's extra_css is repeated, the stylesheet added once."""
    (tmp_path / "mkdocs.yml").write_text("site_name: X\nextra_css:\n  - my.css\n")
    path = write_config(tmp_path, *zensical(tmp_path))
    assert path.read_text().splitlines()[-3:] == [
        "extra_css:", '  - "my.css"', '  - "assets/evidence.css"']

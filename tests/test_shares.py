"""`evidence build --jobs N`: several processes build shares of the pages, one same site."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from generator.shares import share_out
from tests.conftest import ROOT, digest_folder, evidence_cli, make_project

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="shares need fork (Linux)")


def test_a_build_in_three_processes_is_byte_identical_to_one(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", ROOT / "content")
    one = evidence_cli("build", "--jobs", "1", "--out", "../one", cwd=project)
    assert one.returncode == 0, one.stderr
    three = evidence_cli("build", "--jobs", "3", "--out", "../three", cwd=project)
    assert three.returncode == 0, three.stderr
    a, b = digest_folder(tmp_path / "one"), digest_folder(tmp_path / "three")
    assert "claims/mgt-dkk1-dermal-papilla/index.html" in a
    assert "search/search_index.json" in a and "handouts/magnesium-l-threonate.pdf" in a
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []
    assert [p.name for p in tmp_path.iterdir() if "share" in p.name] == []


def test_a_broken_link_on_a_page_of_another_process_fails_the_build(project: Path) -> None:
    """The page with the broken link is built by process 1, not by the one that merges."""
    from generator.load import load_evidence
    from generator.render import make_env, render_site

    assert evidence_cli("build", "--no-pdf", cwd=project).returncode == 0
    before = digest_folder(project / "site")
    overrides = project / "site_overrides" / "templates"
    overrides.mkdir()
    template = (ROOT / "generator" / "templates" / "claim.html.j2").read_text(encoding="utf-8")
    evidence, _ = load_evidence(project)
    for card in evidence.cards:  # the first claim page that process 1 builds with the link
        (overrides / "claim.html.j2").write_text(
            template + f'{{% if card.id == "{card.id}" %}}\n'
            '<p><a href="../nowhere.md">broken</a></p>\n{% endif %}\n', encoding="utf-8")
        page = f"claims/{card.id}.md"
        if share_out(dict(render_site(evidence, make_env([overrides]))), 2)[page] == 1:
            break
    else:
        pytest.fail("no claim page falls to process 1")
    result = evidence_cli("build", "--no-pdf", "--jobs", "2", cwd=project)
    assert result.returncode == 1
    assert page in result.stderr and "nowhere.md" in result.stderr
    assert "share 2 of 2: Aborted" in result.stderr
    assert "previous site is unchanged" in result.stderr
    assert digest_folder(project / "site") == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []


def test_pages_rendered_by_three_processes_are_those_rendered_by_one() -> None:
    from generator import render
    from generator.load import load_evidence
    from generator.render import Html, make_env, render_site

    evidence, _ = load_evidence(ROOT)
    render._RENDERED.clear()  # nothing kept from an earlier render
    one = render_site(evidence, make_env(), jobs=1)
    render._RENDERED.clear()
    three = render_site(evidence, make_env(), jobs=3)
    assert list(three) == list(one)  # same pages, same order
    assert [src for src in one if three[src] != one[src]] == []
    assert type(three["claims/mgt-fphl-trial.md"]) is Html


def test_a_template_error_in_another_rendering_process_fails_the_build(project: Path) -> None:
    from generator.load import load_evidence
    from generator.render import page_paths

    assert evidence_cli("build", "--no-pdf", cwd=project).returncode == 0
    before = digest_folder(project / "site")
    evidence, _ = load_evidence(project)
    theirs = [src for src in list(page_paths(evidence))[1::2]
              if src.startswith("claims/") and src != "claims/index.md"]  # a claim page
    card = theirs[0].removeprefix("claims/").removesuffix(".md")  # rendered by process 2
    overrides = project / "site_overrides" / "templates"
    overrides.mkdir()
    template = (ROOT / "generator" / "templates" / "claim.html.j2").read_text(encoding="utf-8")
    (overrides / "claim.html.j2").write_text(
        template + f'{{% if card.id == "{card}" %}}{{{{ card.no_such_field }}}}{{% endif %}}\n',
        encoding="utf-8")
    result = evidence_cli("build", "--no-pdf", "--jobs", "2", cwd=project)
    assert result.returncode == 1
    assert "rendering, process 2 of 2:" in result.stderr and "no_such_field" in result.stderr
    line = template.count("\n") + 1
    assert f"page {theirs[0]}: " in result.stderr
    assert f"site_overrides/templates/claim.html.j2, line {line}: " in result.stderr
    assert "previous site is unchanged" in result.stderr
    assert digest_folder(project / "site") == before


def test_pages_are_rendered_by_several_processes_only_where_forking_is_safe() -> None:
    import threading

    from generator.shares import RENDER_FROM, render_jobs

    assert render_jobs(RENDER_FROM - 1) == 1
    if sys.platform == "linux" and (os.cpu_count() or 1) > 1:
        assert render_jobs(RENDER_FROM) > 1
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)  # as `mkdocs serve` runs its server
    other.start()
    try:
        assert render_jobs(10 * RENDER_FROM) == 1
    finally:
        stop.set()
        other.join()


def test_pages_are_shared_out_by_size_and_other_files_go_to_the_first() -> None:
    files: dict[str, str | bytes] = {"a.md": "x" * 9000, "b.md": "x" * 100, "c.md": "x" * 100,
                                     "d.md": "x" * 100, "data/e.json": "{}", "h.pdf": b"%PDF"}
    owner = share_out(files, 2)
    assert owner["a.md"] != owner["b.md"] == owner["c.md"] == owner["d.md"]
    assert owner["data/e.json"] == owner["h.pdf"] == 0
    assert share_out(files, 1) == dict.fromkeys(files, 0)


def test_jobs_must_be_a_positive_whole_number(project: Path) -> None:
    result = evidence_cli("build", "--jobs", "0", cwd=project)
    assert result.returncode == 2
    assert "--jobs: expected a whole number of 1 or more, not '0'" in result.stderr

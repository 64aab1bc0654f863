"""Two builds of the same content are byte-identical, and a failed build keeps the old site."""

from __future__ import annotations

import calendar
import datetime as dt
import gzip
import os
import re
import struct
from pathlib import Path

import pytest

from tests.conftest import digest_folder, evidence_cli, make_project

OLD_DATE = "2021-03-04"  # not today: proves the dates come from the cards, not the clock
OLD_EPOCH = calendar.timegm(dt.date(2021, 3, 4).timetuple())


def _has_handouts() -> bool:
    from generator.cli import pdf

    return hasattr(pdf, "write_handouts")


def _build_args() -> list[str]:
    return ["build"] if _has_handouts() else ["build", "--no-pdf"]


@pytest.fixture
def dated_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture project with its cards last reviewed on OLD_DATE (and nothing later)."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    project = make_project(tmp_path / "project")
    for card in (project / "content" / "cards").glob("*.yaml"):
        text = card.read_text(encoding="utf-8")
        card.write_text(re.sub(r"^reviewed: .*$", f"reviewed: {OLD_DATE}", text, flags=re.M),
                        encoding="utf-8")
    return project


def test_two_builds_are_byte_identical(dated_project: Path) -> None:
    first = evidence_cli(*_build_args(), "--out", "../one", cwd=dated_project)
    assert first.returncode == 0, first.stderr
    second = evidence_cli(*_build_args(), "--out", "../two", cwd=dated_project)
    assert second.returncode == 0, second.stderr
    one = digest_folder(dated_project.parent / "one")
    two = digest_folder(dated_project.parent / "two")
    assert "sitemap.xml.gz" in one and "search/search_index.json" in one
    assert one.keys() == two.keys()
    assert [name for name in one if one[name] != two[name]] == []
    if _has_handouts():
        from pypdf import PdfReader

        pdfs = [name for name in one if name.startswith("handouts/") and name.endswith(".pdf")]
        assert pdfs
        for name in pdfs:  # dated by the cards, not by the clock
            info = PdfReader(dated_project.parent / "one" / name).metadata
            assert str(info["/CreationDate"]).startswith("D:20210304"), (name, info)


def test_dates_come_from_the_latest_review_not_the_clock(dated_project: Path) -> None:
    result = evidence_cli(*_build_args(), "--no-pdf", cwd=dated_project)
    assert result.returncode == 0, result.stderr
    site = dated_project / "site"
    lastmods = set(re.findall(r"<lastmod>(.*?)</lastmod>",
                              (site / "sitemap.xml").read_text(encoding="utf-8")))
    assert lastmods == {OLD_DATE}
    raw = (site / "sitemap.xml.gz").read_bytes()
    assert struct.unpack("<I", raw[4:8])[0] == OLD_EPOCH  # gzip header MTIME
    assert gzip.decompress(raw) == (site / "sitemap.xml").read_bytes()


def test_source_date_epoch_given_by_the_caller_wins(dated_project: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(OLD_EPOCH + 86400 * 10))
    result = evidence_cli("build", "--no-pdf", cwd=dated_project)
    assert result.returncode == 0, result.stderr
    assert "<lastmod>2021-03-14</lastmod>" in (dated_project / "site" / "sitemap.xml").read_text()


def test_failed_build_leaves_the_previous_site_intact(project: Path) -> None:
    assert evidence_cli("build", "--no-pdf", cwd=project).returncode == 0
    site = project / "site"
    before = digest_folder(site)
    assert "claims/mgt-fphl-trial/index.html" in before
    card = project / "content" / "cards" / "mgt-fphl-trial.yaml"
    card.write_text(card.read_text().replace("verdict: not-supported", "verdict: maybe"))
    result = evidence_cli("build", "--no-pdf", cwd=project)
    assert result.returncode == 1
    assert "content/cards/mgt-fphl-trial.yaml:35:10: verdict:" in result.stderr
    assert "previous site is unchanged" in result.stderr
    assert digest_folder(site) == before
    leftovers = [p.name for p in project.iterdir() if p.name.startswith(".site-")]
    assert leftovers == []


def test_failure_inside_mkdocs_also_keeps_the_old_site(project: Path) -> None:
    """Content that loads but breaks the site build (a broken link in strict mode)."""
    assert evidence_cli("build", "--no-pdf", cwd=project).returncode == 0
    before = digest_folder(project / "site")
    (project / "docs" / "broken.md").write_text("# Broken\n\n[nowhere](missing.md)\n")
    result = evidence_cli("build", "--no-pdf", cwd=project)
    assert result.returncode == 1
    assert "build failed" in result.stderr and "Traceback" not in result.stderr
    assert digest_folder(project / "site") == before
    assert not [p for p in project.iterdir() if p.name.startswith(".site-")]


def test_environment_is_restored_after_a_build(project: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.cli.build import build_site

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    build_site(project, project / "site", with_pdf=False, source_date_epoch=OLD_EPOCH)
    assert "SOURCE_DATE_EPOCH" not in os.environ
    assert "<lastmod>2021-03-04</lastmod>" in (project / "site" / "sitemap.xml").read_text()

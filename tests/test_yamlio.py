"""The line-aware YAML reader: what PyYAML alone would let through is refused, with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.core.yamlio import MarkedDict, load_yaml, read_content


def problems_of(text: str | bytes) -> list[str]:
    data = text.encode() if isinstance(text, str) else text
    return [str(p) for p in load_yaml(data, "c.yaml")[1]]


def test_keeps_line_and_column_of_each_key() -> None:
    value, problems = load_yaml(b"id: x\nstudies:\n  - key: a\n    design: animal\n", "c.yaml")
    assert problems == []
    assert isinstance(value, MarkedDict)
    assert value.key_mark("studies") == (2, 1)
    assert value.mark("studies") == (3, 3)
    assert value["studies"].mark(0) == (3, 5)
    assert value["studies"][0].mark("design") == (4, 13)


def test_duplicate_key_names_both_lines() -> None:
    assert problems_of("id: a\nclaim: x\nid: b\n") == [
        "c.yaml:3:1: id: duplicate key (first given on line 1)"
    ]


def test_aliases_are_refused() -> None:
    bomb = 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: [*b,*b]\n'
    assert problems_of(bomb) == [
        "c.yaml:2:8: b[0]: anchors and aliases (*name) are not allowed"
    ]


def test_python_tags_are_refused() -> None:
    assert problems_of("claim: !!python/object/apply:os.system ['true']\n") == [
        "c.yaml:1:8: claim: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"
    ]


def test_tab_indentation_is_a_syntax_error_with_its_line() -> None:
    [problem] = problems_of("id: a\nstudies:\n\t- key: x\n")
    assert problem.startswith("c.yaml:3:1: -: YAML syntax error")


def test_bom_is_accepted_and_bad_utf8_gets_its_line() -> None:
    assert load_yaml(b"\xef\xbb\xbfid: a\n", "c.yaml") == ({"id": "a"}, [])
    assert problems_of(b"id: a\nclaim: caf\xe9\n") == [
        "c.yaml:2:11: -: file is not valid UTF-8 text"
    ]


def test_empty_file_and_datetime() -> None:
    assert problems_of("") == ["c.yaml:1:1: -: file is empty"]
    assert problems_of("reviewed: 2026-11-21 10:00:00\n") == [
        "c.yaml:1:11: reviewed: give a date as YYYY-MM-DD, without a time"
    ]


def test_a_project_reached_through_a_link_or_relative_path_reads_and_guards_alike(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The root as given (resolved, through a link, relative) never changes what is read:
    its own files are, a link out of it is refused."""
    root = tmp_path / "real"
    (root / "cards").mkdir(parents=True)
    (root / "cards" / "a.yaml").write_text("id: a\n")
    (tmp_path / "secret.yaml").write_text("id: s\n")
    (root / "cards" / "out.yaml").symlink_to(tmp_path / "secret.yaml")
    (tmp_path / "link").symlink_to(root)
    monkeypatch.chdir(tmp_path)
    for given in (root.resolve(), tmp_path / "link", Path("real"), Path("link/../real")):
        assert read_content(given / "cards" / "a.yaml", given, "a") == (b"id: a\n", []), given
        _, problems = read_content(given / "cards" / "out.yaml", given, "out")
        assert [p.message for p in problems] == ["is a link to a file outside the project"]

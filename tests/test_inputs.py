"""Inputs (issue 26, section 5): BibTeX concatenation, look-alike names, invisible marks, the
titles `evidence init` writes, references in `evidence diff`, parser failures by type. Each
case is an attack that passed before."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator.core.bib import load_bib
from tests.conftest import CARD, edit, evidence_cli

ENTRY = "@article{x,\n  title = {T}, year = {2000}, author = {A, B},\n  journal = %s}\n"


# --- @string concatenation --------------------------------------------------------------------

@pytest.mark.parametrize(("strings", "value"), [
    ('@string{j = "J Cosmet " # "Dermatol"}', "j"),
    ('@string{a = "J Cosmet"}\n@string{j = a # " Dermatol"}', "j"),  # a string of a string
    ('@string{a = "J Cosmet"}', 'a # " Dermatol"'),
    ('@STRING{A = {J Cosmet}}', 'a # " " # {Dermatol}'),  # @string names ignore case
    ("", '"J Cosmet " # {Dermatol}'),
])
def test_string_concatenation_is_expanded_as_bibtex_does(strings: str, value: str) -> None:
    refs, problems = load_bib(f"{strings}\n{ENTRY % value}", "r.bib")
    assert [str(p) for p in problems] == []
    assert refs["x"].fields["journal"] == "J Cosmet Dermatol"


@pytest.mark.parametrize(("value", "message"), [
    ('nope # " Dermatol"', "r.bib:3:1: x.journal: 'nope' is not a defined @string"),
    ('"J Cosmet " #', 'r.bib:3:1: x.journal: must be one {…} or "…" value'),
])
def test_a_broken_concatenation_is_reported_not_published(value: str, message: str) -> None:
    refs, problems = load_bib(ENTRY % value, "r.bib")
    assert "x" not in refs
    assert any(str(p).startswith(message) for p in problems), problems


def test_a_name_that_cannot_be_split_is_reported_on_its_own_field() -> None:
    """The failing name is known by the parser's error, not looked for in its message: the
    editor's bad name holds the author's, and the author was blamed."""
    text = ("@article{x,\n  title = {T}, year = {2000}, journal = {J},\n"
            "  author = {Smith, J},\n  editor = {Smith, J, X, Y}}\n")
    problems = [str(p) for p in load_bib(text, "r.bib")[1]]
    assert len(problems) == 1 and problems[0].startswith(
        "r.bib:4:1: x.editor: cannot be split into names: Too many commas"), problems


# --- look-alike names -------------------------------------------------------------------------

FORM = "content/forms/magnesium-l-threonate.yaml"
SOURCE = "content/sources/mgt-effective-treatment.yaml"


def _second(project: Path, original: str, new_id: str, field: str, value: str) -> str:
    path = Path(original).with_name(f"{new_id}.yaml").as_posix()
    shutil.copy(project / original, project / path)
    text = (project / path).read_text(encoding="utf-8")
    text = re.sub(r"^id: .*$", f"id: {new_id}", text, count=1, flags=re.M)
    text = re.sub(rf"^{field}: .*$", f"{field}: {value}", text, count=1, flags=re.M)
    (project / path).write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", [
    "Magnesium L-threonate",  # the same
    "M\u0430gnesium L-threonate",  # a Cyrillic a
    "Magnesium L-thre\u043enate",  # a Cyrillic o
    "magnesium l-threonate",  # case
    "Magnesium  L-threonate",  # spaces
    "Magnesium I-threonate",  # a capital I for a small l
])
def test_a_form_named_like_another_is_refused(project: Path, name: str) -> None:
    path = _second(project, FORM, "zz-copy", "name", f'"{name}"')
    result = evidence_cli("check", cwd=project)
    assert result.returncode == 1
    assert (f"{path}:2:7: name: looks like the name of form 'magnesium-l-threonate' "
            f"({FORM}:2)") in result.stdout, result.stdout


def test_an_article_titled_like_another_is_refused(project: Path) -> None:
    path = _second(project, SOURCE, "zz-copy", "title",
                   '"Magnesium L-Threonate Hair Loss: An Effective Treatment \u041eption"')
    result = evidence_cli("check", cwd=project)
    assert result.returncode == 1
    assert (f"{path}:2:8: title: looks like the title of article 'mgt-effective-treatment' "
            f"({SOURCE}:2)") in result.stdout, result.stdout


def test_names_that_differ_pass(project: Path) -> None:
    _second(project, FORM, "magnesium-oxide", "name", "Magnesium oxide")
    assert evidence_cli("check", cwd=project).returncode == 0


# --- invisible marks --------------------------------------------------------------------------

@pytest.mark.parametrize("mark", ["\u200e", "\u200f", "\u061c"])
def test_lrm_rlm_and_alm_are_refused(project: Path, mark: str) -> None:
    edit(project, "  A study in the", f"  A{mark} study in the", CARD)  # inside the claim
    result = evidence_cli("check", cwd=project)
    assert result.returncode == 1
    assert f"{CARD}:4:8: claim: must be plain text" in result.stdout, result.stdout
    text = ENTRY % f"{{J{mark}ournal}}"
    assert [str(p) for p in load_bib(text, "r.bib")[1]] == [
        "r.bib:3:1: x.journal: must be plain text: no control characters"]


# --- evidence init ----------------------------------------------------------------------------

class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


@pytest.mark.parametrize("title", [
    "x @@TOPIC@@ y",  # a placeholder of the scaffold in the title
    "x @@REQUIREMENT@@ y",
    "a: b # c",
    "it's \"q\" \\ {x} [y] *z &w !v %u |t >s",
    "- a",
    "~",
    "Vitamin D\u00a0and fatigue",
])
def test_init_writes_any_title_into_a_mkdocs_yml_that_parses(tmp_path: Path,
                                                             title: str) -> None:
    made = evidence_cli("init", str(tmp_path / "s"), "--title", title, "--topic", title,
                        "--outcome", title, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    config = yaml.load((tmp_path / "s/mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    assert config["site_name"] == title
    options = next(e["evidence"] for e in config["plugins"] if isinstance(e, dict))
    assert options["topic"] == title
    assert (tmp_path / "s/requirements.txt").read_text().startswith("evidence-site")
    result = evidence_cli("check", cwd=tmp_path / "s")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("title", ["a\u0085b", "a\u2028b", "a\u202eb", "a\u200eb", "a\x1bb"])
def test_init_refuses_a_title_with_breaks_or_controls(tmp_path: Path, title: str) -> None:
    made = evidence_cli("init", str(tmp_path / "s"), "--title", title, "--outcome", "x",
                        cwd=tmp_path)
    assert made.returncode == 2 and "Traceback" not in made.stderr
    assert "--title: must be one line of text" in made.stderr
    assert not (tmp_path / "s").exists()


def test_check_reports_a_mkdocs_yml_that_does_not_parse_at_its_line(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text("site_name: x\nplugins:\n  - evidence:\n      topic: \"a\" b\n")
    for command in ("check", "export", "build"):
        result = evidence_cli(command, cwd=project)
        assert result.returncode == 1, command
        assert "Traceback" not in result.stderr
        assert re.search(r"mkdocs\.yml:4:\d+: ", result.stderr + result.stdout), (
            command, result.stderr)


# --- evidence diff ----------------------------------------------------------------------------

# What GitHub turns into a link or a notification in a comment.
LIVE = re.compile(r"(?<![\w/])#\d|\bGH-\d|[\w.-]+/[\w.-]+#\d|(?<![\w])@\w|"
                  r"\b[0-9a-f]{7,40}\b", re.IGNORECASE)


@pytest.mark.parametrize("text", [
    "see #1 and (#22)", "GH-2", "gh-3", "owner/repo#1", "fixed in deadbeef12",
    "1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d", "@alice", "owner/repo@abcdef1",
    "PMID 30562392",
])
def test_diff_text_links_and_mentions_nothing(text: str) -> None:
    from generator.cli.diff import code, md

    for out in (md(text), code(text)):
        plain = re.sub(r"`[^`]*`", "", out)  # GitHub links nothing inside code
        assert not LIVE.search(plain), out
        assert out.replace("\u200b", "").replace("\\", "").strip("`") == text

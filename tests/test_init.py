"""`evidence init DIR --title "…" [--topic "…"]`: a working site in an empty folder, at once."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.cli import init as init_command
from tests.conftest import evidence_cli
from tests.test_workflows import lint

EXPECTED = {"mkdocs.yml", "README.md", "requirements.txt", ".gitignore",
            ".pre-commit-config.yaml", ".github/workflows/pull-request.yml",
            ".github/workflows/pages.yml", "content/README.md", "content/references.bib",
            "content/forms/.gitkeep", "content/sources/.gitkeep", "content/cards/.gitkeep",
            "schema/card.schema.json", "schema/form.schema.json", "schema/source.schema.json",
            "schema/glossary.schema.json",
            "docs/about.md", "CONTRIBUTING.md", "content/glossary.yaml"}


def init(folder: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return evidence_cli("init", str(folder), "--title", "Vitamin D & fatigue: <audit>",
                        "--topic", "vitamin D and fatigue", "--outcome", "fatigue", *extra,
                        cwd=folder.parent)


def test_init_makes_a_site_that_checks_and_builds_at_once(tmp_path: Path) -> None:
    site = tmp_path / "new-site"
    made = init(site)
    assert made.returncode == 0, made.stderr
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert files == EXPECTED
    assert (site / "content/references.bib").read_text() == ""
    readme = (site / "README.md").read_text()
    assert "evidence check" in readme and "mkdocs build --strict" in readme
    assert "$schema=../../schema/card.schema.json" in (site / "content/README.md").read_text()
    check = evidence_cli("check", cwd=site)
    assert check.returncode == 0, check.stderr
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=site,
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    home = (site / "site/index.html").read_text()
    assert "This site holds no checked claims yet." in home
    assert "<title>Vitamin D &amp; fatigue: &lt;audit&gt;</title>" in home
    assert "Vitamin D and fatigue: what the evidence says" in home
    assert (site / "site/handouts/all-forms.pdf").is_file()


def test_init_workflows_pass_actionlint(tmp_path: Path) -> None:
    site = tmp_path / "s"
    assert init(site).returncode == 0
    subprocess.run(["git", "init", "-q", str(site)], check=True)  # actionlint finds .git
    result = lint(site)
    assert result.returncode == 0, result.stdout + result.stderr


def test_init_never_overwrites(tmp_path: Path) -> None:
    site = tmp_path / "s"
    site.mkdir()
    (site / "README.md").write_text("mine\n")
    (site / ".git").mkdir()  # other files are fine
    made = init(site)
    assert made.returncode == 1
    assert "already has README.md" in made.stderr and "nothing was written" in made.stderr
    assert (site / "README.md").read_text() == "mine\n"
    assert sorted(p.name for p in site.iterdir()) == [".git", "README.md"]


def test_init_needs_a_title_and_an_outcome(tmp_path: Path) -> None:
    made = evidence_cli("init", str(tmp_path / "s"), cwd=tmp_path)  # not a terminal
    assert made.returncode == 2
    assert "missing --title" in made.stderr and "missing --outcome" in made.stderr
    assert not (tmp_path / "s").exists()
    made = evidence_cli("init", str(tmp_path / "s"), "--title", "T", cwd=tmp_path)
    assert made.returncode == 2 and "missing --outcome" in made.stderr
    assert "--title" not in made.stderr and not (tmp_path / "s").exists()


def test_init_writes_the_outcome_where_pages_and_handouts_read_it(tmp_path: Path) -> None:
    site = tmp_path / "s"
    assert init(site).returncode == 0
    config = yaml.safe_load((site / "mkdocs.yml").read_text().replace("!!python", "#"))
    options = next(p["evidence"] for p in config["plugins"] if isinstance(p, dict))
    assert options["outcome"] == "fatigue" and options["topic"] == "vitamin D and fatigue"
    readme = (site / "README.md").read_text()
    for asked in ("--title", "--topic", "--outcome"):
        assert asked in readme, asked  # the README says what each asked text became


def test_init_asks_in_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter(["", "Vitamin D and fatigue: evidence audit", "", "fatigue"])
    asked: list[str] = []

    def ask(prompt: str) -> str:
        asked.append(prompt)
        return next(answers)

    args = argparse.Namespace(dir=tmp_path / "s", title=None, topic=None, outcome=None)
    assert init_command.run(args, ask=ask) == 0
    assert [a.split(" (")[0] for a in asked] == ["title", "title", "topic", "outcome"]
    text = (tmp_path / "s/mkdocs.yml").read_text()
    assert 'outcome: "fatigue"' in text
    assert 'topic: "Vitamin D and fatigue: evidence audit"' in text  # the topic's default


def _fields(specs: tuple, prefix: str = "") -> list[str]:
    out = []
    for spec in specs:
        out.append(spec.name)
        out += _fields(spec.items, f"{prefix}{spec.name}.")
    return out


def examples(readme: str) -> dict[str, str]:
    """The example files in a new site's content/README.md: fenced blocks whose first line is
    `# example: PATH` (or `% example: PATH` for BibTeX) → their text."""
    found = re.findall(r"```\w*\n[#%] example: (\S+)\n(.*?)```", readme, re.S)
    return {path: text for path, text in found}


def with_examples(site: Path) -> dict[str, str]:
    """Write the README's example form, article, card and reference into the site."""
    found = examples((site / "content/README.md").read_text())
    for path, text in found.items():
        target = site / path
        if path.endswith(".bib"):
            target.write_text(target.read_text() + text)
        else:
            target.write_text(text)
    return found


def test_the_new_content_readme_describes_every_field_and_the_grading_rule(
        tmp_path: Path) -> None:
    from generator.core import schema, vocab

    site = tmp_path / "s"
    assert init(site).returncode == 0
    guide = (site / "content/README.md").read_text()
    for name in {*_fields(schema.CARD), *_fields(schema.FORM), *_fields(schema.SOURCE)}:
        assert f"`{name}`" in guide, name
    for key in (*vocab.GROUPS, *vocab.QUESTIONS, *vocab.DESIGN_LABELS, *vocab.VERDICTS,
                *vocab.ENTERED_DOWNGRADES, *vocab.CITATION_CHECKS):
        assert f"`{key}`" in guide, key
    assert "Claims about its effect on fatigue" in guide  # the outcome init asked for
    for design, starts in vocab.START.items():  # the grading rule: where each design starts
        row = next(line for line in guide.splitlines() if line.startswith(f"| `{design}`"))
        assert row.split("|")[2:-1] == [f" {starts[q]} " for q in vocab.QUESTIONS], row
    assert set(examples(guide)) == {"content/forms/example-form.yaml",
                                    "content/sources/example-article.yaml",
                                    "content/cards/example-claim.yaml",
                                    "content/references.bib"}
    contributing = (site / "CONTRIBUTING.md").read_text()
    for step in ("evidence new form", "evidence new article", "evidence new --form",
                 "evidence check", "How to find and verify a study"):
        assert step in contributing, step


def test_the_examples_are_a_valid_form_article_and_card(tmp_path: Path) -> None:
    site = tmp_path / "s"
    assert init(site).returncode == 0
    with_examples(site)
    # the examples' dates (2024-01-15) are a few weeks old on the day the check takes as today
    check = evidence_cli("check", cwd=site, env={"SOURCE_DATE_EPOCH": "1707000000"})
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.startswith("ok: 1 card, 1 form, 1 article, 1 reference; 0 warnings")


# Pages the plugin makes: mkdocs.yml's nav names them, though no file holds them.
GENERATED = {"index.md", "forms/index.md", "claims/index.md", "articles/index.md",
             "references.md", "methodology.md"}
PATH_LIKE = re.compile(r"(?<![\w@/.$<{-])(?:\.{1,2}/)*[\w.-]+(?:/[\w.-]+)*\.(?:md|ya?ml|json|bib|"
                       r"txt|typ|j2|py|toml|cfg)\b")


def test_the_new_site_refers_to_no_file_it_lacks(tmp_path: Path) -> None:
    site = tmp_path / "s"
    assert init(site).returncode == 0
    with_examples(site)
    made = evidence_cli("new", "--form", "example-form", "--article", "example-article",
                        "--claim", "Another example claim.", cwd=site)
    assert made.returncode == 0, made.stderr
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    missing = []
    for name in sorted(files):
        if name.endswith((".json", ".bib", ".gitkeep")):
            continue
        text = (site / name).read_text()
        assert "generator's README" not in text and "generator/" not in text, name
        for token in PATH_LIKE.findall(text):
            path = re.sub(r"^(\.\./|\./)+", "", token)
            if path in files or path in GENERATED or path.startswith(("site/", ".cache")):
                continue
            if any(f.endswith("/" + path) for f in files):  # relative to its folder
                continue
            missing.append(f"{name}: {token}")
    assert not missing, missing


def test_a_new_site_has_no_word_of_this_site_s_topic(tmp_path: Path) -> None:
    from tests.test_topic import TOPIC_WORDS

    site = tmp_path / "s"
    assert init(site).returncode == 0
    found = {p.relative_to(site).as_posix(): TOPIC_WORDS.findall(p.read_text())
             for p in site.rglob("*") if p.is_file()}
    assert not {name: words for name, words in found.items() if words}

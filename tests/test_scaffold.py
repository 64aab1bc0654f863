"""`evidence new`: a card that is valid YAML, refused by the checker until filled in."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.cli import new as scaffold
from generator.core.schema import PLACEHOLDER, SLUG
from generator.core.yamlio import load_yaml
from generator.project import Project
from tests.conftest import edit, evidence_cli

FLAGS = ("--form", "magnesium-l-threonate", "--article", "mgt-effective-treatment")
CLAIM = "Magnesium L-threonate doubles hair growth within 12 weeks."
CARD_ID = "magnesium-l-threonate-doubles-hair-growth-within-12"  # at most 8 words


def new(project: Path, *args: str):
    return evidence_cli("new", *args, cwd=project)


def test_new_writes_a_card_and_prints_its_path(project: Path) -> None:
    before = dt.date.today().isoformat()
    result = new(project, *FLAGS, "--claim", CLAIM)
    assert result.returncode == 0, result.stderr
    path = f"content/cards/{CARD_ID}.yaml"
    assert result.stdout.strip() == path
    text = (project / path).read_text()
    assert text.startswith("# yaml-language-server: $schema=../../schema/card.schema.json\n")
    data, problems = load_yaml(text.encode(), path)
    assert problems == []
    assert data["id"] == CARD_ID and data["claim"] == CLAIM
    assert data["form"] == "magnesium-l-threonate"
    assert data["appearances"][0]["source"] == "mgt-effective-treatment"
    assert str(data["reviewed"]) in (before, dt.date.today().isoformat())
    # A new card has no change notes yet; the scaffold says how to add one.
    assert data["changes"] == []
    assert "newest first" in text.split("\nchanges:")[1]


def test_check_refuses_the_scaffold_at_every_placeholder(project: Path) -> None:
    assert new(project, *FLAGS, "--claim", CLAIM).returncode == 0
    result = evidence_cli("check", cwd=project)
    assert result.returncode == 1
    path = f"content/cards/{CARD_ID}.yaml"
    lines = (project / path).read_text().splitlines()
    # Each placeholder is reported at its field's line (the line before, for a >- block).
    todo_lines = {i + (0 if lines[i - 1].endswith(">-") else 1) for i, line in enumerate(lines)
                  if PLACEHOLDER in line and not line.lstrip().startswith("#")}
    reported = [line for line in result.stdout.splitlines() if line.startswith(path)]
    assert {int(line.split(":")[1]) for line in reported} == todo_lines
    assert all(f"still has the placeholder {PLACEHOLDER}" in line for line in reported)
    for field in ("appearances[0].quote", "appearances[0].citation_check", "studies[0].key",
                  "studies[0].design", "verdict:", "verdict_summary", "reviewer"):
        assert any(f": {field}" in line for line in reported), field
    # Nothing but placeholders: the scaffold itself is otherwise a valid card.
    assert len(reported) == len(result.stdout.splitlines())


def test_new_refuses_to_overwrite(project: Path) -> None:
    assert new(project, *FLAGS, "--claim", CLAIM).returncode == 0
    card = project / f"content/cards/{CARD_ID}.yaml"
    card.write_text(card.read_text().replace("TODO your name", "A. Reader"))
    kept = card.read_text()
    result = new(project, *FLAGS, "--claim", CLAIM)
    assert result.returncode == 2
    assert f"content/cards/{CARD_ID}.yaml already exists; not overwritten" in result.stderr
    assert card.read_text() == kept
    result = new(project, *FLAGS, "--claim", "Anything", "--id", "mgt-fphl-trial")
    assert result.returncode == 2 and "mgt-fphl-trial.yaml already exists" in result.stderr


def test_missing_flags_are_named_when_not_in_a_terminal(project: Path) -> None:
    result = new(project, "--claim", CLAIM)  # stdin is not a terminal here
    assert result.returncode == 2
    assert "missing --form (one of: magnesium-l-threonate)" in result.stderr
    assert "missing --article (one of: mgt-effective-treatment)" in result.stderr
    assert "--claim" not in result.stderr
    assert not (project / f"content/cards/{CARD_ID}.yaml").exists()


def test_unknown_ids_and_bad_text_are_refused_together(project: Path) -> None:
    result = new(project, "--form", "magnesium-threonate", "--article", "nope",
                 "--claim", "Cures <b>everything</b>", "--id", "Bad Id")
    assert result.returncode == 2
    err = result.stderr
    assert "--form: unknown form 'magnesium-threonate'; known: magnesium-l-threonate" in err
    assert "--article: unknown article 'nope'" in err and "evidence new article" in err
    assert "--claim: must be plain text" in err
    assert "--id: 'Bad Id' is not a slug" in err
    assert sorted(p.name for p in (project / "content/cards").iterdir()) == [
        "mgt-dkk1-dermal-papilla.yaml", "mgt-fphl-trial.yaml"]


def test_placeholder_in_the_claim_is_refused(project: Path) -> None:
    result = new(project, *FLAGS, "--claim", "TODO later")
    assert result.returncode == 2 and "--claim: still has the placeholder TODO" in result.stderr


def test_id_override(project: Path) -> None:
    result = new(project, *FLAGS, "--claim", CLAIM, "--id", "mgt-hair-growth-12-weeks")
    assert result.returncode == 0
    assert result.stdout.strip() == "content/cards/mgt-hair-growth-12-weeks.yaml"
    assert "id: mgt-hair-growth-12-weeks\n" in (project / result.stdout.strip()).read_text()


def test_prompts_for_what_is_missing_in_a_terminal(project: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter(["", "magnesium-threonate", "1", CLAIM, "mgt-effective-treatment"])
    asked: list[str] = []

    def ask(prompt: str) -> str:
        asked.append(prompt)
        return next(answers)

    args = argparse.Namespace(root=project, project=Project.read(project), form=None,
                              claim=None, article=None, card_id=None)
    assert scaffold.run(args, ask=ask) == 0
    out = capsys.readouterr()
    assert out.out.strip().endswith(f"content/cards/{CARD_ID}.yaml")
    assert "1. magnesium-l-threonate" in out.err and "please give one of" in out.err
    assert asked == ["form (id or number): "] * 3 + ["claim: ", "article (id or number): "]


def test_claims_with_yaml_characters_round_trip(tmp_path: Path) -> None:
    for claim in ('Magnesium: "proven" #1 & more', "- starts like a list item", "* 50% % | > <",
                  "Ünïcode claim — with a dash " + "long words " * 30):
        text = scaffold.card_text("x", "f", claim, "a", dt.date(2026, 1, 2))
        data, problems = load_yaml(text.encode(), "card")
        assert problems == [] and data["claim"] == claim, claim
        assert str(data["reviewed"]) == "2026-01-02"


@given(st.text(min_size=1, max_size=400))
def test_ids_made_from_any_claim_are_slugs(claim: str) -> None:
    card_id = scaffold.card_id_from(claim)
    assert SLUG.match(card_id) and len(card_id) <= 60


def test_ids_keep_the_meaningful_words() -> None:
    claim = "The magnesium in a glass of water is absorbed better than that in food"
    assert scaffold.card_id_from(claim) == "magnesium-glass-water-absorbed-better-food"
    assert scaffold.card_id_from("Magnésium réduit le stress") == "magnesium-reduit-le-stress"
    assert scaffold.card_id_from("研究") == "claim"


def test_new_form_and_new_article_scaffold_what_a_card_needs(tmp_path: Path) -> None:
    site = tmp_path / "site"
    made = evidence_cli("init", str(site), "--title", "T", "--outcome", "fatigue",
                        cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    form = new(site, "form", "--name", "Vitamin D3 (cholecalciferol)")
    assert form.returncode == 0, form.stderr
    assert form.stdout.strip() == "content/forms/vitamin-d3-cholecalciferol.yaml"
    article = new(site, "article", "--title", "Vitamin D: the fatigue cure?",
                  "--url", "https://example.org/vitamin-d-fatigue", "--id", "vd-fatigue-cure")
    assert article.returncode == 0, article.stderr
    assert article.stdout.strip() == "content/sources/vd-fatigue-cure.yaml"
    for path, schema_line in ((form.stdout.strip(), "form"), (article.stdout.strip(), "source")):
        text = (site / path).read_text()
        assert text.startswith(f"# yaml-language-server: $schema=../../schema/"
                               f"{schema_line}.schema.json\n"), text
        data, problems = load_yaml(text.encode(), path)
        assert problems == [], problems
    data, _ = load_yaml((site / article.stdout.strip()).read_bytes(), "a")
    assert data["url"] == "https://example.org/vitamin-d-fatigue" and data["site"] == "example.org"
    assert str(data["accessed"]) in (dt.date.today().isoformat(),)
    card = new(site, "--form", "vitamin-d3-cholecalciferol", "--article", "vd-fatigue-cure",
               "--claim", "Vitamin D3 ends fatigue.")
    assert card.returncode == 0, card.stderr
    check = evidence_cli("check", cwd=site)
    reported = [line for line in check.stdout.splitlines() if line.startswith("content/forms/")]
    assert reported and all(f"placeholder {PLACEHOLDER}" in line for line in reported), reported
    assert "content/sources/" not in check.stdout  # the article is whole: title, url, date
    # never overwritten
    again = new(site, "form", "--name", "Vitamin D3 (cholecalciferol)")
    assert again.returncode == 2 and "already exists; not overwritten" in again.stderr


def test_new_form_and_article_name_what_is_missing(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    result = new(tmp_path, "form")
    assert result.returncode == 2 and "missing --name" in result.stderr
    result = new(tmp_path, "article", "--title", "A title", "--url", "ftp://x")
    assert result.returncode == 2 and "--url: 'ftp://x' is not an http(s) address" in result.stderr
    assert not list(tmp_path.rglob("*.yaml"))


def test_unknown_form_or_article_says_how_to_make_one(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    result = new(tmp_path, "--form", "vitamin-d3", "--article", "a", "--claim", "C.")
    assert result.returncode == 2
    assert ("--form: unknown form 'vitamin-d3'; known: none (make it with "
            "`evidence new form --name \"…\"`)") in result.stderr
    assert "make it with `evidence new article --title" in result.stderr
    result = new(tmp_path, "--claim", "C.")
    assert "missing --form (no forms yet: make one with `evidence new form" in result.stderr


def test_a_card_naming_an_unknown_form_or_article_says_how_to_make_one(project: Path) -> None:
    edit(project, "form: magnesium-l-threonate", "form: vitamin-d3")
    edit(project, "source: mgt-effective-treatment", "source: zzz-unrelated")
    out = evidence_cli("check", cwd=project).stdout
    assert "form: unknown form 'vitamin-d3' (hint: make it with `evidence new form" in out
    assert "unknown source 'zzz-unrelated' (hint: make it with `evidence new article" in out


def test_new_honours_content_dir(project: Path) -> None:
    """With content_dir: cards-here, `evidence new` finds the forms and articles there and
    writes there (issue 26), and what it writes passes as far as its placeholders."""
    (project / "content").rename(project / "cards-here")
    text = (project / "mkdocs.yml").read_text()
    (project / "mkdocs.yml").write_text(
        text.replace("\n  - evidence:\n", "\n  - evidence:\n      content_dir: cards-here\n"))
    result = new(project, *FLAGS, "--claim", CLAIM)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"cards-here/cards/{CARD_ID}.yaml"
    assert (project / f"cards-here/cards/{CARD_ID}.yaml").is_file()
    form = new(project, "form", "--name", "Magnesium glycinate")
    assert form.returncode == 0, form.stderr
    assert form.stdout.strip() == "cards-here/forms/magnesium-glycinate.yaml"
    article = new(project, "article", "--title", "A page", "--url", "https://example.org/a")
    assert article.returncode == 0, article.stderr
    assert article.stdout.strip() == "cards-here/sources/page.yaml"
    assert not (project / "content").exists()

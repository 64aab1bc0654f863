"""`evidence check` and `evidence export` as a user runs them."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from tests.conftest import ROOT, evidence_cli


def test_check_clean_prints_one_line_summary(project: Path) -> None:
    result = evidence_cli("check", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "ok: 2 cards, 1 form, 1 article, 2 references; 0 warnings\n"


def test_check_prints_every_problem_and_exits_1(project: Path) -> None:
    card = project / "content/cards/mgt-fphl-trial.yaml"
    text = card.read_text().replace("verdict: not-supported", "verdict: maybe")
    card.write_text(text.replace("reviewer: Evidence team", "reviewer: [a, b]"))
    result = evidence_cli("check", cwd=project)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("content/cards/mgt-fphl-trial.yaml:35:10: verdict: 'maybe'")
    assert lines[1] == ("content/cards/mgt-fphl-trial.yaml:44:11: reviewer: "
                        "expected text, got a list")
    assert "2 problems, 0 warnings" in result.stderr
    assert "not cited by any card" not in result.stdout  # the broken card still cites them


def test_one_problem_is_one_problem(project: Path) -> None:
    card = project / "content/cards/mgt-fphl-trial.yaml"
    card.write_text(card.read_text().replace("verdict: not-supported", "verdict: maybe"))
    result = evidence_cli("check", cwd=project)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "1 problem, 0 warnings"
    assert "bib entry is not cited" not in result.stdout
    built = evidence_cli("build", "--out", "out", cwd=project)
    assert built.returncode != 0 and "(1 problem)" in built.stderr
    assert "(s)" not in built.stderr


def test_a_card_that_does_not_parse_leaves_no_bib_warnings(project: Path) -> None:
    card = project / "content/cards/mgt-fphl-trial.yaml"
    card.write_text(card.read_text() + "\n  bad: [indent\n")
    result = evidence_cli("check", cwd=project)
    assert result.returncode == 1
    assert "bib entry is not cited" not in result.stdout


def test_export_format(project: Path) -> None:
    result = evidence_cli("export", cwd=project)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"forms", "sources", "cards"}
    assert data["forms"] == [{"id": "magnesium-l-threonate", "name": "Magnesium L-threonate",
                              "url": "forms/magnesium-l-threonate/", "question": None,
                              "bottom_line": [], "instead": [], "changes": []}]
    assert data["sources"][0] == {"id": "mgt-effective-treatment",
                                  "title": "Magnesium L-Threonate Hair Loss: An Effective "
                                  "Treatment Option",
                                  "url": "https://healthverywell.com/news/4820.html"}
    card = data["cards"][0]
    assert set(card) == {"id", "form", "claim", "url", "citation_check", "verdict", "grade",
                         "appearances", "studies", "plain_title", "group", "question",
                         "also_forms", "verdict_label", "certainty_label", "changes"}
    assert (card["group"], card["question"], card["also_forms"]) == ("background", "mechanism",
                                                                    [])
    assert (card["id"], card["url"], card["citation_check"], card["verdict"], card["grade"]) == (
        "mgt-dkk1-dermal-papilla", "claims/mgt-dkk1-dermal-papilla/", "none",
        "partly-supported", "low")
    assert card["appearances"][0]["cited_as"] is None
    assert card["studies"][0] == {
        "key": "kwack2010preventable", "doi": "10.5483/BMBRep.2010.43.10.688",
        "pmid": "21034532", "title": card["studies"][0]["title"], "year": 2010,
        "design": "in-vitro", "directness": "indirect"}
    # A claim no study bears on has no GRADE level: null, not "very-low".
    assert (data["cards"][1]["grade"], data["cards"][1]["studies"]) == (None, [])


def test_export_refuses_bad_content(project: Path) -> None:
    (project / "content/forms/magnesium-l-threonate.yaml").write_text("id: [\n")
    result = evidence_cli("export", cwd=project)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "content/forms/magnesium-l-threonate.yaml:" in result.stderr


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    from generator.cli import COMMANDS

    for name in COMMANDS:
        result = evidence_cli(name, "--help", cwd=ROOT)
        assert result.returncode == 0 and "usage: evidence" in result.stdout, name
        assert f"evidence {name}" in readme, f"README does not mention `evidence {name}`"


def test_a_command_imports_only_its_own_module(project: Path) -> None:
    """`evidence check` starts in a fraction of a second (issue 26 §6: under 1 s at 1,000
    cards): the other commands' modules (the build's engines, the handouts' typesetting)
    are not imported, while `--root X COMMAND` and each command's --help still work."""
    code = ("import sys; from generator.cli import main; status = main(sys.argv[1:]); "
            "print(status, sorted(m for m in sys.modules if m.startswith('generator.cli.')))")
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", code, "--root", str(project), "check"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    status, modules = result.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "0", result.stderr
    from generator.cli import COMMANDS

    commands = {module for module, _ in COMMANDS.values()}
    assert sorted(commands & set(ast.literal_eval(modules))) == ["generator.cli.check"]
    full = evidence_cli("--help", cwd=ROOT).stdout
    assert all(name in full for name in ("check", "build", "init", "diff"))
    build_help = evidence_cli("--root", str(project), "build", "--help", cwd=ROOT).stdout
    assert "--engine" in build_help and "--base" not in build_help
    wrong = evidence_cli("chek", cwd=ROOT)
    assert wrong.returncode == 2 and "invalid choice: 'chek'" in wrong.stderr

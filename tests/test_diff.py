"""`evidence diff REV`: the reviewer's summary of what a change does to the evidence."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from generator.cli.diff import md
from tests.conftest import evidence_cli, make_project

DKK1 = "content/cards/mgt-dkk1-dermal-papilla.yaml"
FPHL = "content/cards/mgt-fphl-trial.yaml"


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org",
                             "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false",
                             *args], cwd=repo, capture_output=True, text=True, check=True)
    return result.stdout


def commit_all(repo: Path, message: str = "content") -> None:
    if not (repo / ".git").exists():
        git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_no_change(project: Path) -> None:
    commit_all(project)
    result = evidence_cli("diff", "HEAD", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ("## Evidence changes against `HEAD`\n\n"
                             "No change to cards, references, articles or forms.\n")


def test_added_removed_and_changed_cards(project: Path) -> None:
    commit_all(project)
    # Add a card (a copy of one with another id), remove one, change verdicts and a citation.
    new_card = project / "content/cards/mgt-dkk1-copy.yaml"
    shutil.copy(project / FPHL, new_card)
    edit(new_card, "id: mgt-fphl-trial", "id: mgt-dkk1-copy")
    edit(new_card, "claim: >-\n  A study", "claim: >-\n  Another | study")
    edit(project / DKK1, "verdict: partly-supported", "verdict: not-supported")
    edit(project / DKK1, "    cited_as: null\n    citation_check: none",
         "    cited_as: Kwack 2010\n    citation_check: verified\n"
         "    citation_note: The BMB Reports paper says this.")
    (project / FPHL).unlink()
    bib = project / "content/references.bib"
    bib.write_text(bib.read_text() + "\n@article{slutsky2010enhancement,\n"
                   "  author  = {Slutsky, Inna and Liu, Guosong},\n"
                   "  title   = {Enhancement of Learning and Memory by Elevating Brain "
                   "Magnesium},\n  journal = {Neuron},\n  year    = {2010},\n"
                   "  doi     = {10.1016/j.neuron.2009.12.026},\n  pmid    = {20152124}\n}\n")
    result = evidence_cli("diff", "HEAD", cwd=project)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "### Cards added (1)" in out
    assert ("| `mgt-dkk1-copy` | Another \\| study in the Journal of Cosmetic Dermatology found "
            "that magnesium L-threonate increased hair density and thickness in women with "
            "female pattern hair loss. | Not supported | No studies | Citation not found |") in out
    assert "### Cards removed (1)\n\n| card |" in out and "| `mgt-fphl-trial` |" in out
    assert ("- `mgt-dkk1-dermal-papilla`: verdict: Partly supported → **Not supported**; "
            "citation check: No citation given → **Citation verified**; "
            "also edited: appearances") in out
    assert ("- added `slutsky2010enhancement`: Enhancement of Learning and Memory by Elevating "
            "Brain Magnesium (2010); DOI `10.1016/j.neuron.2009.12.026`, PMID `20152124`") in out
    # identifiers as code: copied whole, and linked to no issue or commit


def test_certainty_and_studies_changes(project: Path) -> None:
    commit_all(project)
    card = project / DKK1
    edit(card, "compound: indirect", "compound: direct")  # moderate, less nothing: moderate
    text = card.read_text()
    start = text.index("background:\n")
    card.write_text(text[:start] + text[text.index("verdict:"):])
    out = evidence_cli("diff", "HEAD", cwd=project).stdout
    assert ("- `mgt-dkk1-dermal-papilla`: certainty: Low → **Moderate**; "
            "also edited: studies, background, downgrades") in out
    assert "### References" not in out  # the bib entry stays (unused: a warning)


def test_project_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    project = make_project(repo / "site-src")
    commit_all(repo)
    edit(project / DKK1, "verdict: partly-supported", "verdict: contradicted")
    result = evidence_cli("diff", "HEAD", cwd=project)
    assert "verdict: Partly supported → **Contradicted**" in result.stdout, result.stderr


def test_revision_without_content_lists_everything_as_added(project: Path) -> None:
    (project / "README.md").write_text("first\n")
    git(project, "init", "-q")
    git(project, "add", "README.md")
    git(project, "commit", "-q", "-m", "first")
    result = evidence_cli("diff", "HEAD", cwd=project)
    assert "### Cards added (2)" in result.stdout
    assert "in the content at" not in result.stdout


def test_changed_content_with_problems_is_flagged(project: Path) -> None:
    commit_all(project)
    edit(project / DKK1, "verdict: partly-supported", "verdict: partly")
    out = evidence_cli("diff", "HEAD", cwd=project).stdout
    assert "**1 problem** in the changed content" in out
    assert "### Cards removed (1)" in out  # the broken card is left out, and that shows


def test_bad_revision_and_no_repository(project: Path) -> None:
    result = evidence_cli("diff", "no-such-rev", cwd=project)
    assert result.returncode == 2 and "is not inside a git repository" in result.stderr
    commit_all(project)
    result = evidence_cli("diff", "no-such-rev", cwd=project)
    assert result.returncode == 2
    assert "evidence diff: 'no-such-rev' is not a git revision here" in result.stderr
    assert result.stdout == ""


def test_out_file(project: Path) -> None:
    commit_all(project)
    result = evidence_cli("diff", "HEAD", "--out", "summary.md", cwd=project)
    assert result.returncode == 0 and result.stdout == ""
    assert (project / "summary.md").read_text().startswith("## Evidence changes against")


def test_contributor_text_stays_text_and_mentions_no_one() -> None:
    assert md("a | b") == "a \\| b"
    assert md("*bold* _it_ `code` [link](x) ~s~ $x$") == (
        "\\*bold\\* \\_it\\_ \\`code\\` \\[link\\](x) \\~s\\~ \\$x\\$")
    assert "@\u200bsomeone" in md("ask @someone") and "@someone" not in md("ask @someone")
    assert md("two\nlines") == "two lines"


def test_plain_title_outcome_and_entry_type_changes_are_shown(project: Path) -> None:
    """The plain title is what a patient reads first on the handout: a reviewer must see it
    change, and see a claim move in or out of the claims about the main outcome."""
    card = project / FPHL
    edit(card, "claim: >-", "plain_title: No trial of it in women was found\nclaim: >-")
    commit_all(project)
    edit(card, "plain_title: No trial of it in women was found",
         "plain_title: A trial proved it regrows hair in women\ngroup: outcome")
    bib = project / "content/references.bib"
    edit(bib, "@article{kwack2010preventable,", "@misc{kwack2010preventable,")
    out = evidence_cli("diff", "HEAD", cwd=project).stdout
    assert ("- `mgt-fphl-trial`: plain title reworded (was: No trial of it in women was found); "
            "group: background → **outcome**") in out, out
    assert "references edited: `kwack2010preventable`" in out


def test_files_outside_the_content_are_listed_for_review(project: Path) -> None:
    """Pages, templates and configuration are published or run as they are: a reviewer must
    see that a pull request touches them, even when no card changes."""
    commit_all(project)
    about = project / "docs/about.md"
    about.write_text(about.read_text() + "\n<script>alert(1)</script>\n")
    (project / "site_overrides/new.html").write_text("<p>new</p>\n")
    (project / "content/cards/notes.txt").write_text("not content\n")
    out = evidence_cli("diff", "HEAD", cwd=project).stdout
    assert "No change to cards, references, articles or forms." in out
    assert "### Outside the content (2)" in out, out
    assert "- `docs/about.md`\n- `site_overrides/new.html`\n" in out
    assert "notes.txt" not in out

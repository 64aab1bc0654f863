"""CONTRIBUTING.md followed as a newcomer would, in a small real project with git."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

from generator.outputs.schemas import schema_files
from tests.conftest import ROOT, evidence_cli
from tests.test_diff import commit_all

GUIDE = ROOT / "CONTRIBUTING.md"


def bib_entry(key: str) -> str:
    """One entry of the real bibliography, copied as a contributor would copy it."""
    text = (ROOT / "content/references.bib").read_text()
    start = text.index(f"{{{key},")
    start = text.rindex("@", 0, start)
    return text[start:text.index("\n}\n", start) + 3]


def fill(text: str, values: list[str]) -> str:
    """Replace each TODO and the hint after it, in order, keeping comments: as by hand."""
    lines, todo = [], iter(values)
    for line in text.splitlines(keepends=True):
        match = re.match(r"^(?!\s*#)(.*?)TODO[^#\n]*?(\s+#.*)?(\n?)$", line)
        lines.append(f"{match[1]}{next(todo)}{match[2] or ''}{match[3]}" if match else line)
    assert next(todo, None) is None, "fewer placeholders than values"
    return "".join(lines)


def test_a_newcomer_adds_a_claim(project: Path) -> None:
    commit_all(project)  # the contributor's clone

    # Step 2: the command as CONTRIBUTING.md gives it.
    command = next(line.strip() for line in GUIDE.read_text().splitlines()
                   if line.strip().startswith("evidence new --form"))
    result = evidence_cli(*shlex.split(command)[1:], cwd=project)
    assert result.returncode == 0, result.stderr
    path = result.stdout.strip()
    assert re.fullmatch(r"content/cards/[a-z0-9-]+\.yaml", path)
    card = project / path
    card_id = card.stem

    # Before filling in, the checker refuses the card.
    refused = evidence_cli("check", cwd=project)
    assert refused.returncode == 1 and "still has the placeholder TODO" in refused.stdout

    # Step 3: the study, copied into references.bib. Step 4: the card filled in.
    bib = project / "content/references.bib"
    bib.write_text(bib.read_text() + "\n" + bib_entry("slutsky2010enhancement"))
    card.write_text(fill(card.read_text(), [
        "background",
        "Magnesium L-Threonate may also support neural plasticity and memory retention",
        "null",
        "none",
        "null",
        "slutsky2010enhancement",
        "animal",
        "young and aged rats",
        "Raising brain magnesium with magnesium L-threonate enhanced learning and working, "
        "short- and long-term memory in rats.",
        "indirect", "direct", "direct", "Rats, not people.",
        "partly-supported",
        "Shown in rats only; no human memory outcome on this card.",
        "effect",
        "A. Newcomer",
    ]))
    assert not [line for line in card.read_text().splitlines()
                if "TODO" in line and not line.startswith("#")]

    # Step 5: check, look, propose.
    checked = evidence_cli("check", cwd=project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.startswith("ok: 3 cards")

    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project,
                           capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
    page = (project / "site/claims" / card_id / "index.html").read_text()
    assert "Magnesium L-threonate improves learning and memory." in page
    assert "Enhancement of Learning and Memory by Elevating Brain Magnesium" in page
    assert "by A. Newcomer; literature searched up to" in " ".join(
        re.sub(r"<[^>]+>", " ", page).split())
    for name, text in schema_files().items():  # the schema is published with the site
        assert (project / "site/schema" / name).read_text() == text

    diff = evidence_cli("diff", "HEAD", cwd=project)
    assert diff.returncode == 0, diff.stderr
    assert "### Cards added (1)" in diff.stdout
    assert (f"| `{card_id}` | Magnesium L-threonate improves learning and memory. | "
            "Partly supported | Very low | No citation given |") in diff.stdout
    assert "- added `slutsky2010enhancement`: Enhancement of Learning and Memory" in diff.stdout

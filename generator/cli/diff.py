"""`evidence diff REV`: what the working tree changes in the evidence, for a reviewer.

The content at REV is extracted with `git archive` into a temporary folder and loaded like the
working tree; the two models are compared card by card. The output is Markdown (a pull-request
comment); contributors' text in it is escaped so that it stays text, mentions no one and
links no issue, pull request or commit.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from generator.core import vocab
from generator.core.load import CONTENT_DIR, load_evidence
from generator.core.model import Card, Change, Evidence
from generator.core.problems import errors_only, printable
from generator.counting import counted

# Inline Markdown that GitHub would act on inside a table cell or list item ($ is math).
_MD_SPECIAL = set("\\`*_[]<>|~&$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("rev", metavar="REV", help="git revision to compare with, "
                        "e.g. main or origin/main")
    parser.add_argument("--out", type=Path, help="write the Markdown to this file")


_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)", re.IGNORECASE)
# What GitHub turns into a link to an issue or a commit: #1 (owner/repo#1 too), GH-2, and a
# word of 7 to 40 hexadecimal digits (a commit hash). A zero-width space after # or GH-, or
# every 6 digits of the hash, keeps them text.
_REFERENCE = re.compile(r"(?<=#)(?=\d)|(?<=\bGH-)(?=\d)", re.IGNORECASE)
_HASH = re.compile(r"\b[0-9a-f]{7,40}\b", re.IGNORECASE)
_CODE = re.compile(r"[A-Za-z0-9_.:~^/-]+")


def md(text: object) -> str:
    """Contributors' text as Markdown that shows just that text, on one line, and pings and
    links no one (control characters shown escaped)."""
    flat = printable(" ".join(str(text).split()))
    out = "".join(f"\\{c}" if c in _MD_SPECIAL else c for c in flat)
    out = out.replace("@", "@\u200b")  # a zero-width space keeps @name from mentioning
    out = _REFERENCE.sub("\u200b", out)  # #1 and GH-2 from linking, and commit hashes
    out = _HASH.sub(lambda m: "\u200b".join(re.findall(".{1,6}", m.group())), out)
    return _AUTOLINK.sub("\u200b", out)  # and https://, www. from becoming links


def code(text: object) -> str:
    """An id, key or revision as inline code, or as escaped text if it could end the code
    span or become a link."""
    text = str(text)
    if _CODE.fullmatch(text) and "//" not in text and "www." not in text.lower():
        return f"`{text}`"
    return md(text)


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)


def old_evidence(root: Path, rev: str, tmp: Path, folder: str = CONTENT_DIR,
                 ) -> tuple[Evidence, int]:
    """The model at REV (and its number of errors); raises ValueError for a bad REV."""
    top = _git(root, "rev-parse", "--show-toplevel")
    if top.returncode:
        raise ValueError(f"{root} is not inside a git repository")
    if _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").returncode:
        raise ValueError(f"{rev!r} is not a git revision here")
    toplevel = Path(top.stdout.decode().strip())
    prefix = root.resolve().relative_to(toplevel.resolve()).as_posix()
    content = folder if prefix == "." else f"{prefix}/{folder}"
    if not _git(toplevel, "ls-tree", "-d", "--name-only", rev, content).stdout.strip():
        return Evidence(forms=(), sources=(), cards=()), 0  # no content yet at REV
    archive = _git(toplevel, "archive", "--format=tar", rev, content)
    if archive.returncode:
        raise ValueError(archive.stderr.decode(errors="replace").strip())
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(tmp, filter="data")  # "data": nothing outside tmp, no links out
    evidence, problems = load_evidence(tmp / prefix, folder)
    return evidence, len(errors_only(problems))


def files_outside(root: Path, rev: str, folder: str = CONTENT_DIR) -> list[str]:
    """The project's files, outside its content folder, that differ from REV or are new (not
    ignored): pages, templates, configuration, code."""
    changed = _git(root, "diff", "--name-only", "--relative", "-z", rev, "--").stdout
    new = _git(root, "ls-files", "--others", "--exclude-standard", "-z").stdout
    paths = {p.decode(errors="replace") for p in (changed + new).split(b"\0") if p}
    return sorted(p for p in paths if not p.startswith(f"{folder}/"))


@dataclass
class Changes:
    added: list[Card] = field(default_factory=list)
    removed: list[Card] = field(default_factory=list)
    changed: list[tuple[Card, list[str]]] = field(default_factory=list)
    refs_added: list[str] = field(default_factory=list)
    refs_removed: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)  # files outside the content folder

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.refs_added
                    or self.refs_removed or self.other)


def _label(kind: dict, value: str) -> str:
    found = kind.get(value, value)
    return found[0] if isinstance(found, tuple) else found


# Card fields shown on their own line above (grade: as certainty and downgrades); every
# other field that differs is listed under "also edited", so a new field is never missed.
_SHOWN_ABOVE = {"id", "path", "verdict", "grade", "claim", "plain_title", "group", "changes"}


def new_notes(old: tuple[Change, ...], new: tuple[Change, ...]) -> list[str]:
    """The change notes added since REV, as shown to the reviewer."""
    return [f"new note {n.date.isoformat()}: {md(n.note)}" for n in new if n not in old]


def _card_changes(old: Card, new: Card) -> list[str]:
    out = []
    for name, labels, old_value, new_value in (
        ("verdict", vocab.VERDICTS, old.verdict, new.verdict),
        ("certainty", vocab.CERTAINTY_LABELS, old.certainty, new.certainty),
        ("citation check", vocab.CITATION_CHECKS, old.citation_check, new.citation_check),
    ):
        if old_value != new_value:
            out.append(f"{name}: {_label(labels, old_value)} → **{_label(labels, new_value)}**")
    old_keys, new_keys = [s.key for s in old.studies], [s.key for s in new.studies]
    if old_keys != new_keys:
        plus = [k for k in new_keys if k not in old_keys]
        minus = [k for k in old_keys if k not in new_keys]
        parts = [f"+{code(k)}" for k in plus] + [f"−{code(k)}" for k in minus]
        out.append("studies: " + (", ".join(parts) if parts else "reordered"))
    for name, old_text, new_text in (("claim", old.claim, new.claim),
                                     ("plain title", old.plain_title, new.plain_title)):
        if old_text != new_text:
            out.append(f"{name} reworded (was: {md(old_text or '(none)')})")
    if old.group != new.group:  # where readers find it, and how its verdict is worded
        out.append(f"group: {old.group} → **{new.group}**")
    out += new_notes(old.changes, new.changes)
    rest = [f.name for f in dataclasses.fields(Card) if f.name not in _SHOWN_ABOVE
            and getattr(old, f.name) != getattr(new, f.name)
            and not (f.name == "studies" and old_keys != new_keys)]
    if old.grade.steps != new.grade.steps:
        rest.append("downgrades")
    if rest:
        out.append("also edited: " + ", ".join(n.replace("_", " ") for n in rest))
    return out


def compare(old: Evidence, new: Evidence) -> Changes:
    changes = Changes()
    old_cards = {c.id: c for c in old.cards}
    new_cards = {c.id: c for c in new.cards}
    changes.added = [c for i, c in new_cards.items() if i not in old_cards]
    changes.removed = [c for i, c in old_cards.items() if i not in new_cards]
    for card_id, card in new_cards.items():
        if card_id in old_cards:
            found = _card_changes(old_cards[card_id], card)
            if found:
                changes.changed.append((card, found))
    changes.refs_added = sorted(set(new.references) - set(old.references))
    changes.refs_removed = sorted(set(old.references) - set(new.references))
    changed_refs = sorted(k for k in set(old.references) & set(new.references)
                          if old.references[k].fields != new.references[k].fields
                          or old.references[k].authors != new.references[k].authors
                          or old.references[k].entry_type != new.references[k].entry_type
                          or old.references[k].editors != new.references[k].editors)
    if changed_refs:
        changes.other.append("references edited: " + ", ".join(map(code, changed_refs)))
    for kind, old_items, new_items in (("articles", old.sources, new.sources),
                                       ("forms", old.forms, new.forms)):
        before, after = {x.id: x for x in old_items}, {x.id: x for x in new_items}
        for verb, ids in (("added", after.keys() - before.keys()),
                          ("removed", before.keys() - after.keys()),
                          ("edited", {i for i in before.keys() & after.keys()
                                      if before[i] != after[i]})):
            if ids:
                changes.other.append(f"{kind} {verb}: " + ", ".join(map(code, sorted(ids))))
    before_forms = {f.id: f for f in old.forms}
    for form in new.forms:
        was = before_forms.get(form.id)
        changes.other += [f"form {code(form.id)}: {line}" for line in new_notes(
            was.changes if was else (), form.changes)]
    return changes


def _row(card: Card) -> str:
    return (f"| {code(card.id)} | {md(card.claim)} | {_label(vocab.VERDICTS, card.verdict)} | "
            f"{_label(vocab.CERTAINTY_LABELS, card.certainty)} | "
            f"{_label(vocab.CITATION_CHECKS, card.citation_check)} |")


def report(changes: Changes, rev: str, new: Evidence, old_errors: int = 0,
           new_errors: int = 0) -> str:
    lines = [f"## Evidence changes against {code(rev)}", ""]
    if new_errors:
        lines += [f"> **{counted(new_errors, 'problem')}** in the changed content: cards with "
                  "problems are left out below. Run `evidence check`.", ""]
    if old_errors:
        lines += [f"> {counted(old_errors, 'problem')} in the content at {code(rev)}: its cards "
                  "with problems are left out of the comparison.", ""]
    if changes.outside:
        lines += [f"### Outside the content ({len(changes.outside)})", "",
                  "Pages, templates, configuration and code: published or run as they are. "
                  "Review them as code.", "", *(f"- {code(p)}" for p in changes.outside), ""]
    if changes.empty:
        return "\n".join(lines + ["No change to cards, references, articles or forms.", ""])
    head = ["| card | claim | verdict | certainty | citation check |", "|---|---|---|---|---|"]
    for title, cards in (("Cards added", changes.added), ("Cards removed", changes.removed)):
        if cards:
            lines += [f"### {title} ({len(cards)})", "", *head, *map(_row, cards), ""]
    if changes.changed:
        lines += [f"### Cards changed ({len(changes.changed)})", ""]
        for card, found in changes.changed:
            lines.append(f"- {code(card.id)}: " + "; ".join(found))
        lines.append("")
    if changes.refs_added or changes.refs_removed:
        lines += ["### References", ""]
        for key in changes.refs_added:
            ref = new.references[key]
            ids = ", ".join(f"{n.upper()} {code(ref.get(n))}" for n in ("doi", "pmid", "pmcid")
                            if ref.get(n))
            lines.append(f"- added {code(key)}: {md(ref.title)} ({ref.year or 'no year'})"
                         + (f"; {ids}" if ids else ""))
        lines += [f"- removed {code(key)}" for key in changes.refs_removed]
        lines.append("")
    if changes.other:
        lines += ["### Other", "", *(f"- {line}" for line in changes.other), ""]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    root = args.project.root
    folder = args.project.settings.content_dir
    new, new_problems = load_evidence(root, folder)
    with tempfile.TemporaryDirectory(prefix="evidence-diff-") as tmp:
        try:
            old, old_errors = old_evidence(root, args.rev, Path(tmp), folder)
        except (ValueError, OSError, tarfile.TarError) as exc:
            print(printable(f"evidence diff: {exc}"), file=sys.stderr)
            return 2
    changes = compare(old, new)
    changes.outside = files_outside(root, args.rev, folder)
    text = report(changes, args.rev, new, old_errors, len(errors_only(new_problems)))
    if args.out:
        from generator.cli import write_out

        return write_out(args.out, text, "diff")
    else:
        sys.stdout.write(text)
    return 0

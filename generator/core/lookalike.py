"""Names that readers cannot tell apart: two forms, or two articles, whose names are the same
or only look the same (a Cyrillic "а" for a Latin "a", "I" for "l", another case, more spaces).

Two names look alike when their confusable skeletons (Unicode Technical Standard #39, section
4) are equal, case folded and with runs of spaces made one. The skeleton maps each
character to the prototype of its confusables class; the classes are Unicode's own
confusables.txt, as the `confusable-homoglyphs` package keeps it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from generator.core.problems import Problem

_LRM = "\u200e"  # the package keeps right-to-left characters between two of these


def _confusables(text: str) -> list[str]:
    """What confusables.txt pairs text with (both ways), without the package's LRM marks."""
    from confusable_homoglyphs.confusables import confusables_data  # 0.1 s: when needed

    found = confusables_data.get(text) or confusables_data.get(f"{_LRM}{text}{_LRM}") or []
    return [entry["c"].replace(_LRM, "") for entry in found]


def _prototype(char: str) -> str:
    """The prototype of char's confusables class. The package keeps confusables.txt's pairs
    (character → prototype) both ways: a character paired with several is a prototype; one
    paired with one alone maps to it, unless that one is paired with nothing else either (then
    either may stand for both: the smaller does)."""
    paired = _confusables(char)
    if len(paired) != 1:
        return char
    other = paired[0]
    if len(other) > 1 or len(_confusables(other)) > 1:
        return other
    return min(char, other)


def skeleton(text: str) -> str:
    """The UTS #39 skeleton of text."""
    text = unicodedata.normalize("NFD", text)
    for _ in range(4):  # a prototype of several characters may hold one to map again
        mapped = unicodedata.normalize("NFD", "".join(map(_prototype, text)))
        if mapped == text:
            break
        text = mapped
    return text


def _likeness(name: str) -> str:
    """Equal for names that look alike: the skeleton, in either case ("I" is confusable with
    "l", "i" is not), with runs of spaces made one."""
    return skeleton(skeleton(" ".join(name.split())).casefold())


def lookalike_names(named: Iterable[tuple[str, str, str, tuple[int, int]]], field: str,
                    kind: str) -> list[Problem]:
    """A problem for each (id, path, name, (line, column)) whose name looks like that of one
    before it in path order."""
    named = sorted(named, key=lambda n: n[1])
    if len(named) < 2:
        return []
    first: dict[str, tuple[str, str, int]] = {}
    problems = []
    for item_id, path, name, (line, column) in named:
        seen = first.setdefault(_likeness(name), (item_id, path, line))
        if seen[1] != path:
            problems.append(Problem(
                path, line, column, field,
                f"looks like the {field} of {kind} '{seen[0]}' ({seen[1]}:{seen[2]}); readers "
                "could not tell them apart", f"give each {kind} a {field} of its own"))
    return problems

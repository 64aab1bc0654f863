"""Problems found in content: collected, never raised one by one."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Characters that a terminal acts on or hides (escape codes, bidi overrides): shown escaped.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e"
                          "\u2060-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]")


def printable(text: str) -> str:
    """Text shown as it is, but characters that would act on a terminal shown escaped."""
    if text.isprintable():
        return text
    out = _UNPRINTABLE.sub(lambda m: ascii(m.group())[1:-1], text)
    return "".join(ch if ch.isprintable() or unicodedata.category(ch)[0] != "C"
                   else ascii(ch)[1:-1] for ch in out)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, located at path:line:column."""

    path: str
    line: int
    column: int
    field: str
    message: str
    hint: str = ""
    warning: bool = False

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.column}: {self.field or '-'}: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return printable(("warning: " if self.warning else "") + text)


def errors_only(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if not p.warning]

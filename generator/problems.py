"""Problems found in content: collected, never raised one by one."""

from __future__ import annotations

from dataclasses import dataclass


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
        return ("warning: " if self.warning else "") + text


class ContentError(Exception):
    """Raised by adapters when content has errors; carries every problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if not p.warning]
        super().__init__(
            f"{len(errors)} problem(s) in content:\n" + "\n".join(str(p) for p in errors)
        )


def errors_only(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if not p.warning]

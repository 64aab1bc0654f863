"""Read YAML keeping line numbers, refusing what PyYAML would silently accept.

Nodes are composed with the C loader where available and converted here, so that every
mapping and list remembers where each of its items stood, duplicate keys are errors,
anchors/aliases (alias bombs) are refused, and only plain YAML types come back.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_BYTES = 4 * 1024 * 1024  # no content file comes near this; a bigger one is an accident
_constructor = yaml.constructor.SafeConstructor()
_STR = "tag:yaml.org,2002:str"
_PLAIN_TAGS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


class MarkedDict(dict):
    """A dict that knows the (line, column) of itself, of each value and each key (1-based)."""

    line: int = 1
    column: int = 1
    marks: dict[str, tuple[int, int]]  # where each value starts
    key_marks: dict[str, tuple[int, int]]  # where each key starts

    def mark(self, key: str) -> tuple[int, int]:
        return self.marks.get(key, (self.line, self.column))

    def key_mark(self, key: str) -> tuple[int, int]:
        return self.key_marks.get(key, (self.line, self.column))


class MarkedList(list):
    """A list that knows the (line, column) of itself and of each item (1-based)."""

    line: int = 1
    column: int = 1
    marks: list[tuple[int, int]]

    def mark(self, index: int) -> tuple[int, int]:
        return self.marks[index] if index < len(self.marks) else (self.line, self.column)


class _Refused(Exception):
    def __init__(self, line: int, column: int, field: str, message: str):
        self.problem = (line, column, field, message)


def _where(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _convert(node: yaml.Node, seen: set[int], field: str) -> Any:
    if id(node) in seen:
        raise _Refused(*_where(node), field, "anchors and aliases (*name) are not allowed")
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        if node.tag != "tag:yaml.org,2002:map":
            raise _Refused(*_where(node), field, f"tag {node.tag!r} is not allowed")
        out = MarkedDict()
        out.line, out.column = _where(node)
        out.marks, out.key_marks = {}, {}
        for key_node, value_node in node.value:
            key = _convert(key_node, seen, field)
            if not isinstance(key, str):
                raise _Refused(*_where(key_node), field, "keys must be text")
            if key == "<<":
                raise _Refused(*_where(key_node), key, "merge keys (<<) are not allowed")
            if key in out:
                first = out.key_marks[key][0]
                raise _Refused(
                    *_where(key_node), key, f"duplicate key (first given on line {first})"
                )
            out.key_marks[key] = _where(key_node)
            out.marks[key] = _where(value_node)
            out[key] = _convert(value_node, seen, key)
        return out
    if isinstance(node, yaml.SequenceNode):
        if node.tag != "tag:yaml.org,2002:seq":
            raise _Refused(*_where(node), field, f"tag {node.tag!r} is not allowed")
        items = MarkedList()
        items.line, items.column = _where(node)
        items.marks = [_where(item) for item in node.value]
        items.extend(_convert(item, seen, field) for item in node.value)
        return items
    if node.tag == _STR:
        return node.value  # what SafeConstructor gives, without its bookkeeping
    if node.tag not in _PLAIN_TAGS:
        raise _Refused(*_where(node), field, f"tag {node.tag!r} is not allowed")
    try:
        value = _constructor.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        raise _Refused(*_where(node), field, f"cannot read value: {exc}") from None
    if isinstance(value, dt.datetime):
        raise _Refused(*_where(node), field, "give a date as YYYY-MM-DD, without a time")
    return value


@lru_cache(maxsize=8)
def _resolved(root: Path) -> Path:
    return root.resolve()


def read_content(path: Path, root: Path, rel: str) -> tuple[bytes | None, list[Problem]]:
    """A content file's bytes, refusing what is not a plain file inside the project."""
    def refuse(message: str) -> tuple[None, list[Problem]]:
        return None, [Problem(rel, 1, 1, "", message)]

    try:
        if not path.resolve().is_relative_to(_resolved(root)):
            return refuse("is a link to a file outside the project")
        if not path.is_file():
            return refuse("is not a regular file")
        if path.stat().st_size > MAX_BYTES:
            return refuse(f"is larger than {MAX_BYTES // (1024 * 1024)} MiB")
        return path.read_bytes(), []
    except (OSError, RuntimeError) as exc:  # unreadable, or a symlink loop
        return refuse(f"cannot be read: {getattr(exc, 'strerror', None) or exc}")


def _decode(data: bytes, path: str) -> tuple[str | None, Problem | None]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a UTF-8 byte-order mark is harmless: drop it
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, Problem(path, line, column, "", "file is not valid UTF-8 text")


def _first_alias(text: str) -> tuple[int, int] | None:
    """Where the first *alias stands (the composed node only knows its anchor)."""
    for event in yaml.parse(text, Loader=Loader):
        if isinstance(event, yaml.AliasEvent):
            return event.start_mark.line + 1, event.start_mark.column + 1
    return None


def _tab_indented(text: str, line: int) -> bool:
    lines = text.split("\n")
    row = lines[line - 1] if 0 < line <= len(lines) else ""
    return "\t" in row[: len(row) - len(row.lstrip())]


def load_yaml(data: bytes, path: str) -> tuple[Any, list[Problem]]:
    """Parse one YAML document; return (value or None, problems)."""
    text, problem = _decode(data, path)
    if text is None:
        return None, [problem] if problem else []
    try:
        node = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = exc.problem or exc.context or "invalid YAML"
        if _tab_indented(text, line) or ("\t" in text and "tab" in f"{reason} {exc}".lower()):
            reason = "tabs are not allowed for indentation; use spaces"  # C loader: no "tab"
        return None, [Problem(path, line, column, "", f"YAML syntax error: {reason}")]
    except yaml.YAMLError as exc:
        return None, [Problem(path, 1, 1, "", f"YAML error: {exc}")]
    if node is None:
        return None, [Problem(path, 1, 1, "", "file is empty")]
    try:
        value = _convert(node, set(), "")
        if value is None:  # `~`, `null`, a bare `---`: None must come with a problem
            return None, [Problem(path, *_where(node), "", "file holds no data (null)")]
        return value, []
    except _Refused as refused:
        line, column, field, message = refused.problem
        if message.startswith("anchors"):
            line, column = _first_alias(text) or (line, column)
        return None, [Problem(path, line, column, field, message)]
    except RecursionError:
        return None, [Problem(path, 1, 1, "", "structure is nested too deeply")]
    finally:
        _constructor.constructed_objects.clear()  # it would keep every node ever read

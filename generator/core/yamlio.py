"""Read content files (the one reader: every content file comes through read_content) and
YAML keeping line numbers, refusing what PyYAML would silently accept.

Nodes are composed with the C loader where available and converted here, so that every
mapping and list remembers where each of its items stood, duplicate keys are errors,
anchors/aliases (alias bombs) are refused, and only plain YAML types come back. Nesting
deeper than MAX_DEPTH is refused before composing (the C composer recurses, and crashes on
deep input); control characters and line breaks other than LF and CRLF are refused before
parsing, so that every line number is the one an editor shows.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from generator.core.problems import Problem

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_BYTES = 4 * 1024 * 1024  # no content file comes near this; a bigger one is an accident
MAX_DEPTH = 100  # lists and mappings within each other; a card needs 4
TOO_DEEP = (f"structure is nested too deeply (more than {MAX_DEPTH} lists or mappings within "
            "each other)")
# What YAML does not allow (control characters, surrogates), and line breaks that YAML and
# other tools count differently (a lone CR, NEL, the Unicode line and paragraph separators).
_BAD_CHARACTER = re.compile(
    "[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|\r(?!\n)")
# The same in UTF-8, found fast: bytes that are fine (all but C0 controls other than tab and
# LF, DEL and CR), and the encodings of the characters above U+007F that are not.
_FINE_BYTES = bytes(range(0x20, 0x7F)) + bytes(range(0x80, 0x100)) + b"\t\n"
_BAD_SEQUENCES = (b"\xe2\x80\xa8", b"\xe2\x80\xa9", b"\xef\xbf\xbe", b"\xef\xbf\xbf")
_C1 = re.compile(rb"\xc2[\x80-\x9f]")
# Nesting is checked on the parser's events before the C composer recurses, when the text
# could nest that deep: every list or mapping needs one of these characters.
_COLLECTION_CHARS = "[{-:?"
COMPOSE_SAFE = 300  # the C composer nests this deep even on a small thread stack (~256 B a level)
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


def _convert(node: yaml.Node, seen: set[int], field: str, depth: int,
             constructor: yaml.constructor.SafeConstructor) -> Any:
    if id(node) in seen:
        raise _Refused(*_where(node), field, "anchors and aliases (*name) are not allowed")
    seen.add(id(node))
    if node.tag == _STR and type(node) is yaml.ScalarNode:  # most nodes: checked first
        return node.value  # what SafeConstructor gives, without its bookkeeping
    if isinstance(node, yaml.CollectionNode) and depth >= MAX_DEPTH:
        raise _Refused(*_where(node), "", TOO_DEEP)
    if isinstance(node, yaml.MappingNode):
        if node.tag != "tag:yaml.org,2002:map":
            raise _Refused(*_where(node), field, f"tag {node.tag!r} is not allowed")
        out = MarkedDict()
        out.line, out.column = _where(node)
        out.marks, out.key_marks = {}, {}
        for key_node, value_node in node.value:
            key = _convert(key_node, seen, field, depth + 1, constructor)
            if not isinstance(key, str):
                raise _Refused(*_where(key_node), field, "keys must be text")
            if key == "<<":
                raise _Refused(*_where(key_node), key, "merge keys (<<) are not allowed")
            inner = f"{field}.{key}" if field else key  # studies[0].finding, as checks name it
            if key in out:
                first = out.key_marks[key][0]
                raise _Refused(
                    *_where(key_node), inner, f"duplicate key (first given on line {first})"
                )
            out.key_marks[key] = _where(key_node)
            out.marks[key] = _where(value_node)
            out[key] = _convert(value_node, seen, inner, depth + 1, constructor)
        return out
    if isinstance(node, yaml.SequenceNode):
        if node.tag != "tag:yaml.org,2002:seq":
            raise _Refused(*_where(node), field, f"tag {node.tag!r} is not allowed")
        items = MarkedList()
        items.line, items.column = _where(node)
        items.marks = [_where(item) for item in node.value]
        items.extend(_convert(item, seen, f"{field}[{i}]", depth + 1, constructor)
                     for i, item in enumerate(node.value))
        return items
    if node.tag not in _PLAIN_TAGS:
        raise _Refused(*_where(node), field, f"tag {node.tag!r} is not allowed")
    try:  # PyYAML's constructors raise what they meet (KeyError for !!bool maybe, …)
        value = constructor.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, OverflowError, LookupError, AttributeError,
            TypeError):
        kind = node.tag.rsplit(":", 1)[-1]
        raise _Refused(*_where(node), field, f"cannot read {node.value!r} as {kind}") from None
    if isinstance(value, dt.datetime):
        raise _Refused(*_where(node), field, "give a date as YYYY-MM-DD, without a time")
    return value


def read_content(path: Path, root: Path, rel: str) -> tuple[bytes | None, list[Problem]]:
    """A content file's bytes, refusing what is not a plain file inside the project or is
    larger than MAX_BYTES (checked on the open file: it cannot change in between). The root
    is resolved only when the file is not plainly inside it (a resolved path under root as
    written means root is resolved already: the adapters' is)."""
    def refuse(message: str) -> tuple[None, list[Problem]]:
        return None, [Problem(rel, 1, 1, "", message)]

    too_big = f"is larger than {MAX_BYTES // (1024 * 1024)} MiB"
    try:
        real = path.resolve()
        if not (real.is_relative_to(root) or real.is_relative_to(root.resolve())):
            return refuse("is a link to a file outside the project")
        if not path.is_file():
            return refuse("is not a regular file")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # never wait on a FIFO
        with os.fdopen(fd, "rb") as f:
            info = os.fstat(f.fileno())
            if not stat.S_ISREG(info.st_mode):
                return refuse("is not a regular file")
            if info.st_size > MAX_BYTES:
                return refuse(too_big)
            data = f.read(info.st_size + 1)  # (a buffer of MAX_BYTES each time is slow)
            if len(data) > info.st_size:  # it grew since: read on, up to the limit
                data += f.read(MAX_BYTES + 1 - len(data))
        return (refuse(too_big) if len(data) > MAX_BYTES else (data, []))
    except (OSError, RuntimeError) as exc:  # unreadable, or a symlink loop
        return refuse(f"cannot be read: {getattr(exc, 'strerror', None) or exc}")


def read_text(path: Path, root: Path, rel: str, yaml_rules: bool = True,
              ) -> tuple[str | None, list[Problem]]:
    """A content file as text (read_content, then decode_text; or, without yaml_rules, only
    UTF-8 decoding: the .bib, whose parser counts lines by LF and checks each field)."""
    data, problems = read_content(path, root, rel)
    if data is None:
        return None, problems
    text, problem = decode_text(data, rel) if yaml_rules else _decode(data, rel)
    return text, [problem] if problem else []


def decode_text(data: bytes, path: str) -> tuple[str | None, Problem | None]:
    """UTF-8 text (a byte-order mark dropped) holding no character that YAML refuses and no
    line break but LF and CRLF; else None and the problem, at its line and column."""
    text, problem = _decode(data, path)
    if text is None:
        return None, problem
    if not _may_hold_bad_characters(data):
        return text, None
    problem = bad_character(text, path)
    return (None, problem) if problem else (text, None)


def _may_hold_bad_characters(data: bytes) -> bool:
    """False where the UTF-8 surely holds none of _BAD_CHARACTER (CRLF files are looked at)."""
    return (bool(data.translate(None, _FINE_BYTES))
            or any(seq in data for seq in _BAD_SEQUENCES)
            or (b"\xc2" in data and _C1.search(data) is not None))


def bad_character(text: str, path: str) -> Problem | None:
    """The first character that YAML refuses or that would shift line numbers, if any."""
    bad = _BAD_CHARACTER.search(text)
    if bad is None:
        return None
    line = text.count("\n", 0, bad.start()) + 1
    column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
    char = bad.group()
    if char in "\r\x85\u2028\u2029":
        message = (f"file holds a line break other than LF or CRLF (U+{ord(char):04X}); "
                   "save the file with LF line ends")
    else:
        message = f"file holds a control character (U+{ord(char):04X}); remove it"
    return Problem(path, line, column, "", message)


def _too_deep(text: str) -> tuple[int, int] | None:
    """Where nesting first goes deeper than MAX_DEPTH, read from the parser's events (no
    recursion), or None. Text that cannot nest COMPOSE_SAFE deep is left to _convert."""
    if sum(map(text.count, _COLLECTION_CHARS)) < COMPOSE_SAFE:
        return None
    depth = 0
    for event in yaml.parse(text, Loader=Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return event.start_mark.line + 1, event.start_mark.column + 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


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
    text, problem = decode_text(data, path)
    if text is None:
        return None, [problem] if problem else []
    try:
        deep = _too_deep(text)
        if deep:
            return None, [Problem(path, *deep, "", TOO_DEEP)]
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
        value = _convert(node, set(), "", 0, yaml.constructor.SafeConstructor())
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

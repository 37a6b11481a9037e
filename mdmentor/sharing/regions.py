"""Where each field and list item of a record's front matter lies, line by line.

A merge that keeps what people wrote takes whole lines from the versions it merges, so
it needs, for every field and list item, the lines that hold it. The parser gives each
value's offsets (``load_yaml``'s spans); this module turns them into line regions:

- a field runs from its key's line to the line before the next key at its level;
- a list item runs from its dash's line to the line before the next dash;
- the last one of a level ends on the last line of its value, so comment and blank lines
  after it stay with the level above (the *tail*), and lines before the first one are
  the level's *head* (the key line of a nested level, or comments at the top).

Comments and blank lines between two fields belong to the field before them. Block
collections' own spans are not used for ends: the parser lets them run on over the next
comment, which is why every end is found from scalar and flow values instead.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from mdmentor.records.parsing import Document, FieldPath, Span


@dataclass(frozen=True)
class Side:
    """One version's front matter: its lines, its values and where each value is."""

    lines: tuple[str, ...]
    meta: dict[str, Any]
    spans: dict[FieldPath, Span]
    where: dict[FieldPath, int]

    @classmethod
    def of(cls, text: str, document: Document, spans: dict[FieldPath, Span]) -> Side:
        """The front matter of ``text``, parsed into ``document`` with ``spans`` recorded."""
        lines = tuple(text.split("\n")[1 : document.body_line - 2])
        where = {path: line - 2 for path, line in document.lines.items()}  # file line 2 is 0
        return cls(lines, document.meta, spans, where)

    @cached_property
    def text(self) -> str:
        """The front matter as one string: what the spans' offsets count in."""
        return "\n".join(self.lines)

    @cached_property
    def starts(self) -> tuple[int, ...]:
        """The offset of each line's first character."""
        offsets, at = [], 0
        for line in self.lines:
            offsets.append(at)
            at += len(line) + 1
        return tuple(offsets)

    def line_of(self, offset: int) -> int:
        """The line holding the character at ``offset``."""
        return bisect.bisect_right(self.starts, offset) - 1

    def value(self, path: FieldPath) -> Any:
        """The value at ``path``."""
        value: Any = self.meta
        for step in path:
            value = value[step]
        return value

    def is_flow(self, path: FieldPath) -> bool:
        """Whether the collection at ``path`` is written inline (``[a, b]``, ``{a: 1}``)."""
        start = self.spans[path][0]
        return self.text[start : start + 1] in ("[", "{")

    def is_block(self, path: FieldPath) -> bool:
        """Whether the value at ``path`` is a mapping or list written over lines of its own."""
        return (
            isinstance(self.value(path), dict | list)
            and path in self.spans
            and not self.is_flow(path)
        )

    def last_line(self, path: FieldPath) -> int:
        """The last line that holds any of the value at ``path`` (comments after it not)."""
        last = self.where.get(path, 0)
        size = len(path)
        for other, (start, end) in self.spans.items():
            if other[:size] != path or self.is_block(other):
                continue  # a block collection's span may run on over comments
            last = max(last, self.line_of(max(start, end - 1)))
        for other, line in self.where.items():
            if other[:size] == path:
                last = max(last, line)
        return last


def shift(lines: list[str], by: int) -> list[str]:
    """Lines moved right (or left) by ``by`` columns; blank lines stay as they are."""
    if by > 0:
        return [" " * by + line if line.strip() else line for line in lines]
    if by < 0:
        return [line[min(-by, len(line) - len(line.lstrip(" "))) :] for line in lines]
    return list(lines)


@dataclass(frozen=True)
class Part:
    """The lines of one version that hold a field or list item (or a level's head or tail).

    ``col`` is the column of its key or dash; ``blank`` lists the columns of the dashes of
    items around it that share its first line (``- id: A1``: the dash is the item's, not
    the ``id`` field's), which are read as spaces.
    """

    side: Side
    path: FieldPath
    first: int
    last: int
    col: int
    blank: tuple[int, ...] = ()

    @property
    def value(self) -> Any:
        """The value this part holds."""
        return self.side.value(self.path)

    @property
    def offset(self) -> int:
        """Where the part starts in its side's text."""
        return self.side.starts[self.first] if self.first < len(self.side.lines) else 0

    def raw(self) -> list[str]:
        """Its lines as written, with the dashes in ``blank`` read as spaces."""
        lines = list(self.side.lines[self.first : self.last])
        if lines and self.blank:
            lines[0] = _blanked(lines[0], self.blank)
        return lines

    def canon(self) -> str:
        """Its text moved to column 0: equal for two versions that differ only in indent."""
        return "\n".join(shift(self.raw(), -self.col))

    def render(self, col: int) -> list[str]:
        """Its lines, moved so that its key or dash is at ``col``."""
        return shift(self.raw(), col - self.col)

    def split(self) -> tuple[Part, Part]:
        """Its lines up to the end of its value, and the comment lines after that."""
        end = min(max(self.side.last_line(self.path) + 1, self.first + 1), self.last)
        value = Part(self.side, self.path, self.first, end, self.col, self.blank)
        return value, Part(self.side, self.path, end, self.last, self.col)


@dataclass(frozen=True)
class Layout:
    """A mapping or list written over lines: the lines before, each child, and after."""

    part: Part
    head: Part
    children: dict[str | int, Part]
    tail: Part

    @property
    def child_col(self) -> int:
        """The column of its keys or dashes."""
        return next(iter(self.children.values())).col


def layout(part: Part) -> Layout | None:
    """How the block mapping or list in ``part`` splits into lines, or None where it does
    not split cleanly (written inline, or two children sharing a line)."""
    side, path = part.side, part.path
    if not side.is_block(path) or not part.value:
        return None
    inner = (*part.blank, part.col) if path and isinstance(path[-1], int) else part.blank
    anchors = _anchors(part, inner)
    if anchors is None:
        return None
    starts = [line for _, line, _ in anchors]
    if starts != sorted(set(starts)) or starts[0] < part.first or starts[-1] >= part.last:
        return None
    last_col = anchors[-1][2]
    last = side.last_line(anchors[-1][0]) + 1
    ends = [*starts[1:], _comments_end(side, last, part.last, last_col)]
    if ends[-1] > part.last:
        return None
    children = {
        path_[-1]: Part(side, path_, start, end, col, inner if start == part.first else ())
        for (path_, start, col), end in zip(anchors, ends, strict=True)
    }
    head = Part(side, path, part.first, starts[0], part.col, part.blank)
    tail = Part(side, path, ends[-1], part.last, part.col)
    return Layout(part, head, children, tail)


def _comments_end(side: Side, line: int, stop: int, col: int) -> int:
    """Where the comment lines indented under a level's last child end, from ``line`` (at
    most ``stop``): they belong to it (``    # ask Sam`` under the last action), not to the
    level's tail."""
    end = line
    for number in range(line, stop):
        text = side.lines[number]
        if not text.strip():
            continue
        if not text.lstrip().startswith("#") or len(text) - len(text.lstrip()) <= col:
            break
        end = number + 1
    return end


def _anchors(part: Part, inner: tuple[int, ...]) -> list[tuple[FieldPath, int, int]] | None:
    """(path, first line, column) of each child of the block collection in ``part``."""
    side, path, value = part.side, part.path, part.value
    found = []
    if isinstance(value, dict):
        for key in value:
            line = side.where[(*path, key)]
            text = _blanked(side.lines[line], inner if line == part.first else ())
            col = len(text) - len(text.lstrip(" "))
            if not text[col:].startswith((str(key), '"', "'")):
                return None  # a complex key, or a key not at the start of its line
            found.append(((*path, key), line, col))
        return found
    for index in range(len(value)):
        dash = _dash_before(side, side.spans[(*path, index)][0])
        if dash is None:
            return None
        line = side.line_of(dash)
        found.append(((*path, index), line, dash - side.starts[line]))
    return found


def _dash_before(side: Side, offset: int) -> int | None:
    """The offset of the ``-`` that opens the list item whose value starts at ``offset``."""
    at = offset - 1
    while at >= 0 and side.text[at] in " \n":
        at -= 1
    return at if at >= 0 and side.text[at] == "-" else None


def _blanked(line: str, cols: tuple[int, ...]) -> str:
    """``line`` with the dashes at ``cols`` read as spaces."""
    chars = list(line)
    for col in cols:
        if col < len(chars) and chars[col] == "-":
            chars[col] = " "
    return "".join(chars)

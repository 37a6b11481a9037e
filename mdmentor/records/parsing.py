"""Strict parsing of records and config: the only module that reads YAML.

Records are edited by hand in any editor, so the parser refuses whatever would
make a record mean something other than what its author sees: no front matter,
duplicate keys, YAML tags and anchors, odd encodings. Scalars are resolved by a
small YAML 1.2-like rule set: only ``true``/``false`` are booleans, only plain
decimal numbers are numbers, and everything else (``1:30``, ``no``, ``0123``,
``2026-03-04``) stays a string for the schema to check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from mdmentor.errors import ParseError
from mdmentor.records import yaml_slips

FieldPath = tuple[str | int, ...]
#: A value's start and end offsets in the text it was read from.
Span = tuple[int, int]

_BOM = b"\xef\xbb\xbf"
_DELIMITER = "---"

_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT_RE = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT_RE = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\.[0-9]+(?:[eE][-+]?[0-9]+)?")

#: How deeply lists and fields may nest. A record needs four or five levels; a limit keeps
#: a hostile file (a thousand nested lists in 2 KB) from exhausting the stack anywhere.
MAX_DEPTH = 32


class _PurePythonParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    """PyYAML's own parser, where libyaml is missing (its messages differ, its marks agree)."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


_Parser: Any
try:  # libyaml's C parser, when PyYAML was built with it
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - exercised only where libyaml is missing
    _Parser = _PurePythonParser


def _resolve(value: str, plain: bool) -> Any:
    """A scalar's value by a short fixed list (YAML 1.2-like): quoted text is always text;
    plain text is null, a boolean, or a decimal number only when it is written as one."""
    if not plain:
        return value
    if value in _NULLS:
        return None
    if value in _BOOLS:
        return _BOOLS[value]
    if value[:1] in "-+0123456789":
        if _INT_RE.fullmatch(value):
            return int(value)
        if _FLOAT_RE.fullmatch(value):
            return float(value)
    return value


@dataclass(frozen=True)
class Document:
    """A parsed Markdown file: its front matter, body and where each field is."""

    meta: dict[str, Any]
    body: str
    lines: dict[FieldPath, int] = field(default_factory=dict)
    body_line: int = 1


_FENCE = re.compile(r"^ {0,3}(```|~~~)")


def find_conflict_markers(text: str) -> list[int]:
    """Lines where a git conflict block (``<<<<<<<``, ``=======``, ``>>>>>>>``) starts.

    Only whole-line markers forming a complete block count, outside fenced code: a
    Markdown heading underlined with ``=======`` or a code sample is not a conflict.
    """
    found = []
    start: int | None = None
    middle = False
    fenced = False
    for number, line in enumerate(text.split("\n"), start=1):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        if line.startswith("<<<<<<< ") or line == "<<<<<<<":
            start, middle = number, False
        elif start is not None and line.rstrip() == "=======":
            middle = True
        elif start is not None and middle and (line.startswith(">>>>>>> ") or line == ">>>>>>>"):
            found.append(start)
            start, middle = None, False
    return found


class _NoAliasDumper(yaml.SafeDumper):
    """Writes a value used twice out twice: our reader refuses anchors and aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    """Quote text that our reader would otherwise read as something else: PyYAML's YAML 1.1
    rules leave ``1.0e5`` plain, which our YAML 1.2-like rules read as a number."""
    if isinstance(_resolve(value, True), str):
        return dumper.represent_str(value)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="'")


_NoAliasDumper.add_representer(str, _represent_str)


def dump_document(meta: dict[str, Any], body: str) -> str:
    """Write front matter and body back as a record file (keys in their given order).

    Strings that could read back as anything else are quoted by PyYAML's safe dumper,
    whose YAML 1.1 rules quote every value our stricter reader would not keep as text.
    """
    return f"{_DELIMITER}\n{dump_fields(meta)}{_DELIMITER}\n{body}"


def dump_fields(fields: dict[str, Any]) -> str:
    """Front-matter lines for ``fields`` (keys in their given order), ending with a newline."""
    front = yaml.dump(
        fields,
        Dumper=_NoAliasDumper,
        sort_keys=False,
        width=100,
        default_flow_style=False,
        allow_unicode=True,
    )
    return front if front.endswith("\n") else front + "\n"


def line_at(lines: dict[FieldPath, int], path: FieldPath) -> int:
    """The line of the field at ``path``, or of its nearest parent (else 1)."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return 1


def decode_text(data: bytes) -> str:
    """Decode UTF-8 text as its author's editor meant it.

    Windows editors save CRLF line ends and often a byte-order mark; neither changes what
    a record says, so both are read as plain LF text (git stores records with LF). Bytes
    that are not UTF-8, and a carriage return on its own, are refused.
    """
    data = data.removeprefix(_BOM)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        bad = data[err.start : err.start + 1].hex()
        raise ParseError(
            f"not valid UTF-8 (byte 0x{bad}); save the file with UTF-8 encoding",
            line=line,
            code="not-utf8",
        ) from err
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        cr = text.find("\r")
        if cr != -1:
            raise ParseError(
                "a carriage return on its own (old Mac line ends); save the file with "
                "Windows or Unix line ends",
                line=text.count("\n", 0, cr) + 1,
                code="line-ends",
            )
    return text


def parse_document(text: str, *, spans: dict[FieldPath, Span] | None = None) -> Document:
    """Split ``text`` into front matter and body and parse the front matter strictly.

    With ``spans``, each value's offsets in the front matter (the text between the
    ``---`` lines) are recorded there, as ``load_yaml`` does.
    """
    if not text.strip():
        raise ParseError(
            "file is empty; a record starts with front matter between '---' lines",
            line=1,
            code="empty-file",
        )
    lines = text.split("\n")
    if lines[0].rstrip() != _DELIMITER:
        if find_conflict_markers(text)[:1] == [1]:  # versions a merge kept whole, side by side
            raise ParseError(
                "unresolved git merge conflict: the file holds each version whole between "
                "<<<<<<< and >>>>>>> lines; keep the version you want and delete the others "
                "and the marker lines",
                line=1,
                code="conflict-marker",
            )
        raise ParseError(
            "no front matter: a record must start with a line '---'",
            line=1,
            code="no-front-matter",
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() == _DELIMITER:
            end = index
            break
    else:
        raise ParseError(
            "front matter opened on line 1 is never closed with a line '---'",
            line=1,
            code="unclosed-front-matter",
        )
    markers = find_conflict_markers("\n".join(lines[: end + 1]))
    if markers:
        raise ParseError(
            "unresolved git merge conflict (<<<<<<< … >>>>>>>) in the front matter: keep the "
            "lines you want and delete the marker lines",
            line=markers[0],
            code="conflict-marker",
        )
    yaml_text = "\n".join(lines[1:end])
    if not yaml_text.strip():
        raise ParseError("front matter is empty", line=1, code="empty-front-matter")
    meta, where = load_yaml(yaml_text, first_line=2, spans=spans)
    if not isinstance(meta, dict):
        raise ParseError(
            "front matter must be a set of fields ('key: value' lines)", line=2, code="not-fields"
        )
    body = "\n".join(lines[end + 1 :])
    return Document(meta=meta, body=body, lines=where, body_line=end + 2)


@dataclass(slots=True)
class _Open:
    """A list or mapping being read: its value, its path, and the key waiting for a value."""

    value: Any
    path: FieldPath
    start: int
    is_map: bool
    key: str | None = None


_SCALAR = yaml.ScalarEvent
_MAP_START = yaml.MappingStartEvent
_SEQ_START = yaml.SequenceStartEvent
_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def load_yaml(
    text: str, *, first_line: int = 1, spans: dict[FieldPath, Span] | None = None
) -> tuple[Any, dict[FieldPath, int]]:
    """Parse one YAML document strictly; return the data and each field's line.

    Reads parser events one at a time, with no recursion, so nesting is limited by
    ``MAX_DEPTH`` and not by the stack. Tags, anchors and aliases are refused, and so are
    duplicate keys and keys that are not plain text. With ``spans``, each value's start
    and end offsets in ``text`` are recorded there too (for a merge that keeps the text).
    Every record of every command passes through here, so the loop is kept lean: event
    types compared by identity, no call per event for what is nearly always absent.
    """
    offset = first_line - 1
    where: dict[FieldPath, int] = {}
    parser: Any = None
    stack: list[_Open] = []
    root: Any = None
    documents = 0
    try:
        parser = _Parser(text)  # PyYAML's own reader checks the characters here
        get_event = parser.get_event
        while parser.check_event():
            event: Any = get_event()
            kind = type(event)
            if kind in _ENDS:
                done = stack.pop()
                if spans is not None:
                    spans[done.path] = (done.start, event.end_mark.index)
                if not stack:
                    root = done.value
                continue
            if kind is not _SCALAR and kind is not _MAP_START and kind is not _SEQ_START:
                if kind is yaml.DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        raise ParseError(
                            "more than one YAML document; remove the extra '---'",
                            line=event.start_mark.line + 1 + offset,
                            code="yaml-syntax",
                        )
                elif kind is yaml.AliasEvent:
                    _refuse_anchor_and_tag(event, event.start_mark.line + 1 + offset)
                continue
            line = event.start_mark.line + 1 + offset
            if event.anchor is not None or (event.tag is not None and event.tag != "!"):
                _refuse_anchor_and_tag(event, line)
            parent = stack[-1] if stack else None
            if parent is None:
                path: FieldPath = ()
            elif parent.is_map:
                if parent.key is None:  # this event is a key
                    parent.key = _key(event, parent, where, line)
                    continue
                path = (*parent.path, parent.key)  # its line is the key's, recorded already
            else:
                path = (*parent.path, len(parent.value))
                where[path] = line
            if kind is _SCALAR:
                value = _resolve(event.value, event.implicit[0])
                if spans is not None:
                    spans[path] = (event.start_mark.index, event.end_mark.index)
            else:
                if len(stack) >= MAX_DEPTH:
                    raise ParseError(
                        f"lists and fields nest more than {MAX_DEPTH} levels deep; "
                        "a record never needs that many",
                        line=line,
                        code="too-deep",
                    )
                is_map = kind is _MAP_START
                value = {} if is_map else []
                stack.append(_Open(value, path, event.start_mark.index, is_map))
            if parent is None:
                root = value
            elif parent.is_map:
                parent.value[parent.key] = value
                parent.key = None
            else:
                parent.value.append(value)
    except yaml.MarkedYAMLError as err:
        raise _syntax_error(err, text, first_line) from err
    except yaml.reader.ReaderError as err:
        raise _slip_error(
            yaml_slips.control_character(text, err.position, err.character), text, first_line
        ) from err
    except yaml.YAMLError as err:
        raise ParseError(
            f"YAML error: {_one_line(str(err))}", line=first_line, code="yaml-syntax"
        ) from err
    finally:
        if hasattr(parser, "dispose"):
            parser.dispose()
    return root, where


def _refuse_anchor_and_tag(event: Any, line: int) -> None:
    """Tags and anchors make YAML mean more than it shows: refuse them."""
    if isinstance(event, yaml.AliasEvent):
        raise ParseError(
            f"YAML alias '*{event.anchor}' is not allowed; write the value out (if it is "
            "text that starts with '*', put the whole text in double quotes)",
            line=line,
            code="yaml-anchor",
        )
    if event.anchor is not None:
        raise ParseError(
            f"YAML anchor '&{event.anchor}' is not allowed; write the value out (if it is "
            "text that starts with '&', put the whole text in double quotes)",
            line=line,
            code="yaml-anchor",
        )
    tag = event.tag
    if tag is not None and tag != "!":
        shown = tag.replace("tag:yaml.org,2002:", "!!")
        raise ParseError(
            f"YAML tag '{shown}' is not allowed; write a plain value", line=line, code="yaml-tag"
        )


def _key(event: Any, parent: _Open, where: dict[FieldPath, int], line: int) -> str:
    """A mapping key: plain text, not seen before in this mapping."""
    if not isinstance(event, yaml.ScalarEvent):
        raise ParseError("a field name must be plain text", line=line, code="bad-field-name")
    key = str(event.value)
    if key in parent.value:
        first = where[(*parent.path, key)]
        raise ParseError(
            f"duplicate field '{key}' (first on line {first})", line=line, code="duplicate-field"
        )
    where[(*parent.path, key)] = line
    return key


def _syntax_error(err: yaml.MarkedYAMLError, text: str, first_line: int) -> ParseError:
    """The parser's error as the slip it most likely is, in plain words, at its spot."""
    words = (err.problem or "invalid YAML") + (f" ({err.context})" if err.context else "")
    slip = yaml_slips.explain(
        text,
        problem=_spot(err.problem_mark),
        context=_spot(err.context_mark),
        parser_words=words,
        first_line=first_line,
    )
    return _slip_error(slip, text, first_line)


def _slip_error(slip: yaml_slips.Slip, text: str, first_line: int) -> ParseError:
    lines = text.split("\n")
    return ParseError(
        slip.message,
        line=slip.line + first_line,
        code=slip.code,
        column=slip.column + 1,
        line_text=lines[slip.line] if slip.line < len(lines) else "",
    )


def _spot(mark: Any) -> yaml_slips.Spot | None:
    return None if mark is None else (int(mark.line), int(mark.column))


def _one_line(text: str) -> str:
    return " ".join(text.split())

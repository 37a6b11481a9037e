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
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from mdmentor.errors import ParseError

#: Records larger than this are refused (a session note is a few kilobytes).
MAX_RECORD_BYTES = 1024 * 1024

FieldPath = tuple[str | int, ...]

_BOM = b"\xef\xbb\xbf"
_DELIMITER = "---"

_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_STR = "tag:yaml.org,2002:str"


_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT_RE = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT_RE = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\.[0-9]+(?:[eE][-+]?[0-9]+)?")


class _StrictResolver(yaml.resolver.BaseResolver):
    """Resolves plain scalars to null, bool, int or float by a short fixed list, else str."""

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """No path-based resolvers: nothing to track."""

    def ascend_resolver(self) -> None:
        """No path-based resolvers: nothing to track."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            if not implicit[0]:  # quoted: always a string
                return _STR
            if value in _NULLS:
                return _NULL
            if value in _BOOLS:
                return _BOOL
            if value[:1] in "-+0123456789":
                if _INT_RE.fullmatch(value):
                    return _INT
                if _FLOAT_RE.fullmatch(value):
                    return _FLOAT
            return _STR
        if kind is SequenceNode:
            return "tag:yaml.org,2002:seq"
        return "tag:yaml.org,2002:map"


try:  # libyaml's C parser, when PyYAML was built with it
    from yaml._yaml import CParser

    class _Loader(CParser, _StrictResolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _StrictResolver.__init__(self)

except ImportError:  # pragma: no cover - exercised only where libyaml is missing

    class _Loader(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        _StrictResolver,
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _StrictResolver.__init__(self)


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


def dump_document(meta: dict[str, Any], body: str) -> str:
    """Write front matter and body back as a record file (keys in their given order).

    Strings that could read back as anything else are quoted by PyYAML's safe dumper,
    whose YAML 1.1 rules quote every value our stricter reader would not keep as text.
    """
    from frontmatter.default_handlers import YAMLHandler

    front = YAMLHandler().export(meta, Dumper=_NoAliasDumper, sort_keys=False, width=100)
    return f"{_DELIMITER}\n{front}\n{_DELIMITER}\n{body}"


def line_at(lines: dict[FieldPath, int], path: FieldPath) -> int:
    """The line of the field at ``path``, or of its nearest parent (else 1)."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return 1


def read_bytes(path: Path, *, max_bytes: int = MAX_RECORD_BYTES) -> bytes:
    """The bytes of a record file, refusing one too large to be a record."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ParseError(
                f"file is {size:,} bytes; a record may be at most {max_bytes:,} bytes",
                path=path,
                line=1,
            )
        return path.read_bytes()
    except OSError as err:
        raise ParseError(f"cannot read file: {err.strerror}", path=path) from err


def decode_text(data: bytes) -> str:
    """Decode UTF-8 text, refusing a byte-order mark and CR line ends."""
    if data.startswith(_BOM):
        raise ParseError(
            "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM", line=1
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        bad = data[err.start : err.start + 1].hex()
        raise ParseError(
            f"not valid UTF-8 (byte 0x{bad}); save the file with UTF-8 encoding", line=line
        ) from err
    cr = text.find("\r")
    if cr != -1:
        raise ParseError(
            "Windows (CRLF) line ends; save the file with Unix (LF) line ends",
            line=text.count("\n", 0, cr) + 1,
        )
    return text


def parse_document(text: str) -> Document:
    """Split ``text`` into front matter and body and parse the front matter strictly."""
    if not text.strip():
        raise ParseError(
            "file is empty; a record starts with front matter between '---' lines", line=1
        )
    lines = text.split("\n")
    if lines[0].rstrip() != _DELIMITER:
        raise ParseError("no front matter: a record must start with a line '---'", line=1)
    for index in range(1, len(lines)):
        if lines[index].rstrip() == _DELIMITER:
            end = index
            break
    else:
        raise ParseError("front matter opened on line 1 is never closed with a line '---'", line=1)
    markers = find_conflict_markers("\n".join(lines[: end + 1]))
    if markers:
        raise ParseError(
            "unresolved git merge conflict (<<<<<<< … >>>>>>>) in the front matter: keep the "
            "lines you want and delete the marker lines",
            line=markers[0],
        )
    yaml_text = "\n".join(lines[1:end])
    if not yaml_text.strip():
        raise ParseError("front matter is empty", line=1)
    meta, where = load_yaml(yaml_text, first_line=2)
    if not isinstance(meta, dict):
        raise ParseError("front matter must be a set of fields ('key: value' lines)", line=2)
    body = "\n".join(lines[end + 1 :])
    return Document(meta=meta, body=body, lines=where, body_line=end + 2)


def load_yaml(text: str, *, first_line: int = 1) -> tuple[Any, dict[FieldPath, int]]:
    """Parse one YAML document strictly; return the data and each field's line."""
    offset = first_line - 1
    if any(char in text for char in "!&*"):
        _refuse_tags_and_anchors(text, offset)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as err:
        raise _syntax_error(err, offset) from err
    except yaml.YAMLError as err:
        raise ParseError(f"YAML error: {_one_line(str(err))}", line=first_line) from err
    finally:
        loader.dispose()
    where: dict[FieldPath, int] = {}
    if node is None:
        return None, where
    return _build(node, (), where, offset), where


def _refuse_tags_and_anchors(text: str, offset: int) -> None:
    """Tags and anchors make YAML mean more than it shows: refuse them."""
    loader = _Loader(text)
    try:
        while loader.check_event():
            event: Any = loader.get_event()
            line = event.start_mark.line + 1 + offset
            if isinstance(event, yaml.AliasEvent):
                raise ParseError(
                    f"YAML alias '*{event.anchor}' is not allowed; write the value out", line=line
                )
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                raise ParseError(
                    f"YAML anchor '&{anchor}' is not allowed; write the value out", line=line
                )
            tag = getattr(event, "tag", None)
            if tag is not None and tag != "!":
                shown = tag.replace("tag:yaml.org,2002:", "!!")
                raise ParseError(
                    f"YAML tag '{shown}' is not allowed; write a plain value", line=line
                )
    except yaml.MarkedYAMLError as err:
        raise _syntax_error(err, offset) from err
    except yaml.YAMLError as err:
        raise ParseError(f"YAML error: {_one_line(str(err))}", line=offset + 1) from err
    finally:
        loader.dispose()


def _syntax_error(err: yaml.MarkedYAMLError, offset: int) -> ParseError:
    mark = err.problem_mark or err.context_mark
    line = mark.line + 1 + offset if mark is not None else offset + 1
    problem = err.problem or "invalid YAML"
    context = f" ({err.context})" if err.context else ""
    return ParseError(f"YAML syntax error: {problem}{context}", line=line)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _build(node: Node, path: FieldPath, where: dict[FieldPath, int], offset: int) -> Any:
    """Turn a composed node into plain data, recording the line of every field."""
    if isinstance(node, ScalarNode):
        return _scalar(node)
    if isinstance(node, SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            where[(*path, index)] = item.start_mark.line + 1 + offset
            items.append(_build(item, (*path, index), where, offset))
        return items
    if isinstance(node, MappingNode):
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1 + offset
            if not isinstance(key_node, ScalarNode):
                raise ParseError("a field name must be plain text", line=line)
            key = str(key_node.value)
            if key in mapping:
                first = where[(*path, key)]
                raise ParseError(f"duplicate field '{key}' (first on line {first})", line=line)
            where[(*path, key)] = line
            mapping[key] = _build(value_node, (*path, key), where, offset)
        return mapping
    raise ParseError(
        "unsupported YAML node", line=node.start_mark.line + 1 + offset
    )  # pragma: no cover


def _scalar(node: ScalarNode) -> Any:
    value: str = node.value
    if node.tag == _NULL:
        return None
    if node.tag == _BOOL:
        return _BOOLS[value]
    if node.tag == _INT:
        return int(value)
    if node.tag == _FLOAT:
        return float(value)
    return value

"""The record model: record types, records and the problems found in them."""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass, field
from pathlib import Path
from typing import Any, Literal

from mdmentor.errors import ParseError
from mdmentor.records.codes import Code
from mdmentor.records.facts import RecordSpec, record_specs
from mdmentor.records.parsing import FieldPath, line_at

#: A kind of record: its name, folder and how its ids are made, as its schema says.
RecordType = RecordSpec

RECORD_TYPES: dict[str, RecordType] = {spec.name: spec for spec in record_specs()}
#: The statuses of an action still to be done.
OPEN_ACTIONS = ("open", "in-progress")
#: The statuses of a goal still being worked towards.
ACTIVE_GOALS = ("proposed", "active")

#: Other names people may type on the command line: the folder (``needs``), the name with
#: hyphens (``competency-assessment``) and its first word (``competency``).
TYPE_ALIASES = {
    alias: spec.name
    for spec in RECORD_TYPES.values()
    for alias in (spec.folder, spec.name.replace("_", "-"), spec.name.split("_")[0])
    if alias != spec.name
}

Severity = Literal["error", "warning"]


def format_field(path: FieldPath) -> str:
    """``('actions', 1, 'due')`` -> ``actions[1].due``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file: where it is, what kind of thing it is, and what it is.

    ``column`` (counted from 1) and ``line_text`` show the very spot on the line, where
    it is known (a YAML slip), so the line can be shown with a caret under it.
    """

    path: Path
    message: str
    line: int | None = None
    field: str | None = None
    severity: Severity = "error"
    _: KW_ONLY
    code: Code
    column: int | None = None
    line_text: str | None = None

    @classmethod
    def from_error(cls, path: Path, err: ParseError) -> Problem:
        """The problem a ParseError describes, in the file ``path``."""
        return cls(
            path,
            err.message,
            line=err.line,
            field=err.field,
            code=err.code,
            column=err.column,
            line_text=err.line_text,
        )

    def to_dict(self) -> dict[str, Any]:
        """A plain mapping for JSON output."""
        return {
            "path": str(self.path),
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "line_text": self.line_text,
        }


@dataclass
class Record:
    """A record read from the journal, with the line of every front-matter field."""

    path: Path
    type: RecordType
    meta: dict[str, Any]
    body: str
    lines: dict[FieldPath, int] = field(default_factory=dict)
    #: False when the front matter failed its schema; cross-record rules skip it.
    valid: bool = True
    #: The file line on which the body starts.
    body_line: int = 1
    #: Stored encrypted (``.md.age``).
    encrypted: bool = False
    #: Encrypted to keys this user does not hold: present, but unread.
    sealed: bool = False

    @property
    def id(self) -> str | None:
        """The record's id, when it has a usable one."""
        value = self.meta.get("id")
        return value if isinstance(value, str) else None

    @property
    def date(self) -> str | None:
        """The date the record is about (``date``, else ``created``)."""
        value = self.meta.get("date", self.meta.get("created"))
        return value if isinstance(value, str) else None

    def line_of(self, path: FieldPath) -> int:
        """The line of the field at ``path``, or of its nearest parent."""
        return line_at(self.lines, path)

    def problem(
        self, path: FieldPath, message: str, *, code: Code, severity: Severity = "error"
    ) -> Problem:
        """A problem located at the field ``path`` of this record."""
        return Problem(
            self.path,
            message,
            line=self.line_of(path),
            field=format_field(path) or None,
            severity=severity,
            code=code,
        )

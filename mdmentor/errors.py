"""The one exception tree: every failure mdmentor reports is an MdmentorError.

The core raises these; only the CLI turns them into messages and exit codes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mdmentor.records.codes import Code


class MdmentorError(Exception):
    """Something mdmentor could not do; the message says what and why."""

    exit_code = 1


class UsageError(MdmentorError):
    """The command was asked for something it cannot do as given."""

    exit_code = 2


class JournalNotFound(UsageError):
    """No mdmentor.yaml in this folder or any folder above it."""


class RecordNotFound(UsageError):
    """No record has the id that was asked for."""


class AlreadyExists(MdmentorError):
    """A file mdmentor would write is already there and is left as it is."""


class TemplateError(MdmentorError):
    """A Jinja template could not be loaded or rendered."""


class GitError(MdmentorError):
    """A git operation failed."""


class ConflictsFound(MdmentorError):
    """Records have merge conflicts that need a person to choose."""

    exit_code = 1


class Refused(MdmentorError):
    """mdmentor will not commit something (a key, a report, a plaintext private record)."""

    exit_code = 1


class UnsafeState(MdmentorError):
    """The repository is in a state where syncing could lose or tangle work."""

    exit_code = 3


class NetworkError(MdmentorError):
    """The remote could not be reached; local work is kept and not synced."""

    exit_code = 4


class LocatedError(MdmentorError):
    """An error in a file, at a line and field where known.

    ``column`` (from 1) and ``line_text`` show the spot on the line, where it is known.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.field = field

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        field = f"{self.field}: " if self.field else ""
        return f"{where}{field}{self.message}"


class ParseError(LocatedError):
    """A file is not a well-formed record (front matter, YAML, encoding)."""

    def __init__(
        self,
        message: str,
        *,
        code: Code,
        path: Path | None = None,
        line: int | None = None,
        field: str | None = None,
        column: int | None = None,
        line_text: str | None = None,
    ) -> None:
        super().__init__(message, path=path, line=line, field=field)
        #: The stable code of the problem (``yaml-syntax``, ``not-utf8``, …).
        self.code = code
        #: Where on the line, and the line itself, for a caret under the mistake.
        self.column = column
        self.line_text = line_text


class ConfigError(LocatedError):
    """mdmentor.yaml is missing, unreadable or invalid."""

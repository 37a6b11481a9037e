"""The one way mdmentor reads a file it takes from the journal.

Everyone who shares the journal can push any file to it, so every file in it is input
from someone else: a record, ``mdmentor.yaml``, a template, a criteria file,
``.gitattributes``. This module opens them all, and refuses what could make mdmentor read
something other than the file it asked for, or read without end:

- a symbolic link, at the file or at any folder between the journal's root and it (a link
  could point at a private key);
- anything that is not a regular file (a device, a pipe: ``/dev/zero`` never ends);
- a file larger than the limit, checked before reading and while reading;
- bytes that are not UTF-8.

Every refusal is a ``ParseError`` naming the file. The same limits apply to a version of
a file that comes from git rather than from the disk (``decode_blob``).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from mdmentor.errors import ParseError
from mdmentor.records.parsing import decode_text

#: Records larger than this are refused (a session note is a few kilobytes).
MAX_FILE_BYTES = 1024 * 1024

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # so a named pipe cannot block the open
_BINARY = getattr(os, "O_BINARY", 0)


def read_bytes(path: Path, *, root: Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the journal file ``path`` (inside ``root``), read with every check above."""
    refuse_links(path, root=root)
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _BINARY)
    except OSError as err:
        raise _unreadable(path, err) from err
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ParseError(
                "is not a regular file (a folder, device or pipe); mdmentor reads only files",
                path=path,
                code="not-a-file",
            )
        _check_size(path, info.st_size, max_bytes)
        chunks, size = [], 0
        while chunk := os.read(fd, 1024 * 1024):
            size += len(chunk)
            _check_size(path, size, max_bytes)  # the file may be growing as we read it
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as err:
        raise _unreadable(path, err) from err
    finally:
        os.close(fd)


def read_text(path: Path, *, root: Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The text of the journal file ``path``: ``read_bytes``, then strict UTF-8 decoding."""
    return decode_blob(read_bytes(path, root=root, max_bytes=max_bytes), path, max_bytes=max_bytes)


def decode_blob(data: bytes, path: Path | str, *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Text from bytes that came from the journal or its history, with the same limits."""
    shown = Path(path)
    _check_size(shown, len(data), max_bytes)
    try:
        return decode_text(data)
    except ParseError as err:
        raise ParseError(
            err.message, path=shown, line=err.line, field=err.field, code=err.code
        ) from err


def refuse_links(path: Path, *, root: Path) -> None:
    """Refuse ``path`` if it, or a folder between ``root`` and it, is a symbolic link."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        raise ParseError(
            f"is outside the journal at {root}", path=path, code="unreadable"
        ) from None
    current = root
    for part in parts:
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            return  # nothing there yet: a file about to be written
        except OSError as err:
            raise _unreadable(current, err) from err
        if stat.S_ISLNK(mode):
            raise ParseError(
                "is a symbolic link; mdmentor reads only real files in the journal "
                "(a link could point at a private file): replace it with the file itself",
                path=current,
                code="symlink",
            )


def _check_size(path: Path, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise ParseError(
            f"file is {size:,} bytes; a record may be at most {max_bytes:,} bytes",
            path=path,
            line=1,
            code="too-large",
        )


def _unreadable(path: Path, err: OSError) -> ParseError:
    if err.errno == errno.ELOOP:
        return ParseError(
            "is a symbolic link; mdmentor reads only real files", path=path, code="symlink"
        )
    if isinstance(err, PermissionError):
        return ParseError(
            "cannot be read: permission denied; check the file's permissions",
            path=path,
            code="unreadable",
        )
    return ParseError(f"cannot be read: {err.strerror or err}", path=path, code="unreadable")

"""Writing files so that a crash or a full disk never leaves half a record."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from mdmentor.errors import AlreadyExists, MdmentorError


def atomic_write(
    path: Path, text: str | bytes, *, overwrite: bool = False, root: Path | None = None
) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder.

    Without ``overwrite`` an existing file is never replaced, even one created
    between our check and our write. With ``root`` (the journal), a symbolic link at
    ``path`` or at any folder between ``root`` and it is refused, never followed.
    """
    if root is not None:
        from mdmentor.records.reading import refuse_links

        refuse_links(path, root=root)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(temp, _mode_for(path))
        data = text.encode("utf-8") if isinstance(text, str) else text
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(temp, path)
        else:
            try:
                os.link(temp, path)  # fails if path exists: no race with another writer
            except FileExistsError:
                raise AlreadyExists(f"{path} already exists; it was left as it is") from None
            os.unlink(temp)
    except OSError as err:
        raise MdmentorError(f"cannot write {path}: {err.strerror}") from err
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def _mode_for(path: Path) -> int:
    """Keep an existing file's mode; give a new one what an editor would (0666 less umask)."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask

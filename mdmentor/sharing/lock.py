"""One mdmentor at a time in a clone: a sync, or an edit writing its record back.

Two syncs at once in one clone tangle each other's commits and give misleading messages
("cannot lock ref", "nothing to commit"); an edit written back in the middle of a merge
could be overwritten. So each takes the clone's lock (``filelock``, which works the same
on Windows, macOS and Linux) and the second waits a little, then says plainly that one is
running. The lock notes who holds it and since when, so a sync that was killed (power
cut, ``kill -9``) is recognised by the next one, which finishes what it left.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from mdmentor.errors import UnsafeState

#: How long a second command waits for the first before it gives up.
WAIT_SECONDS = 15.0
#: The note, in the lock's folder, of who holds the lock.
NOTE = "running.json"


@dataclass(frozen=True)
class Holder:
    """Who last held the lock: the command, its process and when it started."""

    command: str
    pid: int
    started: str

    @property
    def alive(self) -> bool:
        """Whether that process still runs (a killed sync leaves its note behind)."""
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except (PermissionError, OSError):
            return True  # it exists but is not ours to signal
        return True


def _folder(git_dir: Path) -> Path:
    folder = git_dir / "mdmentor"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _holder(folder: Path) -> Holder | None:
    """Who the note in the lock's ``folder`` says holds the lock (None: no readable note)."""
    try:
        data = json.loads((folder / NOTE).read_text(encoding="utf-8"))
        return Holder(str(data["command"]), int(data["pid"]), str(data["started"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def left_behind(git_dir: Path) -> Holder | None:
    """The command that held the lock and died without releasing it, if any."""
    holder = _holder(git_dir / "mdmentor")
    return None if holder is None or holder.alive else holder


@contextmanager
def clone_lock(
    git_dir: Path, command: str, *, wait: float | None = None
) -> Iterator[Holder | None]:
    """Hold the clone's lock while the block runs; yield what a killed command left behind."""
    from filelock import FileLock, Timeout

    folder = _folder(git_dir)
    lock = FileLock(str(folder / "lock"))
    try:
        lock.acquire(timeout=WAIT_SECONDS if wait is None else wait)
    except Timeout:
        raise UnsafeState(
            f"another mdmentor command is running in this clone ({_describe(_holder(folder))}); "
            "wait for it to finish, then try again"
        ) from None
    note = folder / NOTE
    try:
        previous = left_behind(git_dir)
        started = datetime.now(UTC).isoformat(timespec="seconds")
        note.write_text(
            json.dumps({"command": command, "pid": os.getpid(), "started": started}),
            encoding="utf-8",
        )
        yield previous
        note.unlink(missing_ok=True)
    finally:
        lock.release()


def _describe(holder: Holder | None) -> str:
    if holder is None:
        return "it did not say which"
    return f"'{holder.command}', started {holder.started}"

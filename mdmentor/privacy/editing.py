"""``edit``: a safe round trip through a private draft, for plain and encrypted records alike.

A person's edit must never cost them a record. So the editor opens a draft in a private
folder of the user's own (never the shared /tmp, and never the journal, where sync could
pick it up), and the record is written back only when the draft is one mdmentor can read
back and find again:

- a draft that cannot be read (bytes that are not UTF-8) or that is no longer the same
  record (a YAML slip, a changed id or type) is kept, its path said, and ``edit ID`` again
  reopens it; the record is left as it was;
- if the record changed while the editor was open (the other person's edit arrived by
  sync), the two are merged field by field instead of one overwriting the other;
- a save that changes nothing writes nothing;
- the draft is removed when the record is written, and when mdmentor is stopped (Ctrl-C,
  the terminal closing): decrypted text is not left lying around.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mdmentor.errors import MdmentorError, ParseError, UnsafeState
from mdmentor.privacy.sealing import Sealer
from mdmentor.records.journal import record_text
from mdmentor.records.model import Record
from mdmentor.records.parsing import parse_document
from mdmentor.records.reading import read_text
from mdmentor.userdirs import drafts_dir


class DraftKept(MdmentorError):
    """The edit could not be written back; the draft is kept for the person to fix."""


@dataclass(frozen=True)
class EditResult:
    """What an edit did: wrote the record, found it unchanged, or merged a change made
    meanwhile (with conflicts left in the record, if any)."""

    written: Path | None
    merged: bool = False
    conflicts: tuple[str, ...] = ()


def draft_path(root: Path, record: Record) -> Path:
    """Where the draft of ``record`` lives: one per record, so ``edit ID`` finds it again."""
    journal = hashlib.sha256(str(root).encode("utf-8")).hexdigest()[:12]
    name = (record.id or record.path.name).replace("/", "_")
    return drafts_dir() / f"{journal}-{name}.md"


def edit_record(sealer: Sealer, record: Record, open_editor: Callable[[Path], None]) -> EditResult:
    """Open ``record`` in the person's editor through a private draft, then write it back."""
    root = sealer.journal.root
    draft = draft_path(root, record)
    base_file = draft.with_name(draft.name + ".base")
    opened = record_text(sealer.journal, record)
    if not draft.exists():
        _write_private(draft, opened)
        _write_private(base_file, opened)
    keep = False
    try:
        open_editor(draft)
        text = _read_draft(draft)
        base = _read_draft(base_file) if base_file.exists() else opened
        _check_same_record(record, text, draft)
        if text == base:
            return EditResult(written=None)
        result = EditResult(written=None)
        current = record_text(sealer.journal, record)
        if current != base:  # changed meanwhile: merge rather than overwrite
            from mdmentor.sharing.gitrepo import merge_file
            from mdmentor.sharing.merge import merge_texts

            merged = merge_texts(base, text, current, line_merge=merge_file)
            text = merged.text
            result = EditResult(None, merged=True, conflicts=tuple(merged.conflicts))
        with _clone_lock(root):
            written = sealer.store(record.type.name, record.path, text, overwrite=True)
        return EditResult(written, result.merged, result.conflicts)
    except DraftKept:
        keep = True
        raise
    except MdmentorError as err:
        keep = True
        raise DraftKept(
            f"{record.id or record.path.name} was not saved: {err}. Your edit is kept at "
            f"{draft}; fix what is said, then run 'mdmentor edit {record.id}' to reopen it"
        ) from err
    finally:
        if not keep:
            _remove(draft, base_file)


def _read_draft(draft: Path) -> str:
    try:
        return read_text(draft, root=draft.parent)
    except ParseError as err:
        raise DraftKept(
            f"your edit could not be read back ({err.message}), so the record was left as it "
            f"was. Your edit is kept at {draft}: save it again as UTF-8 text, then run "
            "'mdmentor edit' on the record again to reopen it"
        ) from err


def _check_same_record(record: Record, text: str, draft: Path) -> None:
    """The draft must still be the record it was, or show and edit could not find it."""
    try:
        meta = parse_document(text).meta
    except ParseError as err:
        where = f"line {err.line}: " if err.line else ""
        raise DraftKept(
            f"{record.id} was not saved: {where}{err.message}. Your edit is kept at {draft}; "
            f"run 'mdmentor edit {record.id}' to reopen it and fix that line"
        ) from err
    for key, want in (("id", record.id), ("type", record.type.name)):
        if want is not None and meta.get(key) != want:
            raise DraftKept(
                f"{record.id} was not saved: its {key} changed to {meta.get(key)!r}; a "
                f"record keeps its {key}. Your edit is kept at {draft}; run 'mdmentor edit "
                f"{record.id}' to reopen it and put back '{key}: {want}'"
            )


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)


def _remove(*paths: Path) -> None:
    for path in paths:
        if path.exists():
            path.unlink()


def _clone_lock(root: Path) -> AbstractContextManager[Any]:
    """The clone's lock while the record is written back, so a sync cannot interleave."""
    from mdmentor.sharing.gitrepo import Repository
    from mdmentor.sharing.lock import clone_lock

    try:
        repo = Repository(root)
    except UnsafeState:
        return nullcontext()  # a journal outside git: nobody to wait for
    return clone_lock(repo.git_dir, "edit")

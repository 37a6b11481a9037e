"""``history``: who changed a record and when, field by field (the "review and update" trail)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mdmentor.errors import ParseError
from mdmentor.privacy import crypto
from mdmentor.records.journal import Journal
from mdmentor.records.model import Record
from mdmentor.records.parsing import parse_document
from mdmentor.records.reading import decode_blob
from mdmentor.sharing.gitrepo import Repository
from mdmentor.sharing.sync import field_changes


@dataclass(frozen=True)
class Change:
    """One commit that touched a record, and what it changed in it."""

    sha: str
    date: str
    author: str
    changes: str


def record_history(journal: Journal, record: Record) -> list[Change]:
    """Every commit that changed ``record``, newest first, with a field-level summary."""
    repo = Repository(journal.root)
    rel = repo.relative(record.path)
    found = []
    for entry in repo.log_of(rel):
        parent, before_path = repo.parent_path(entry["sha"], entry["path"])
        after = _meta(repo.blob(entry["sha"], entry["path"]), entry["path"])
        before_data = repo.blob(parent, before_path) if parent else None
        before = _meta(before_data, before_path)
        if after is None:
            what = "changed (the file did not parse)"
        elif before is None:
            what = "fixed (it did not parse before)" if before_data is not None else "created"
        else:
            what = field_changes(before, after) or "notes updated"
            if before_path != entry["path"]:
                what = f"renamed from {before_path}; {what}"
        found.append(Change(entry["sha"][:10], entry["date"], entry["author"], what))
    return found


def _meta(data: bytes | None, path: str) -> dict[str, Any] | None:
    if data is None:
        return None
    if data.lstrip().startswith(crypto.ARMOR_HEADER):
        try:
            data = crypto.decrypt(data)
        except crypto.CannotDecrypt:
            return None
    try:
        return parse_document(decode_blob(data, path)).meta
    except ParseError:
        return None

"""``history``: who changed a record and when, field by field (the "review and update" trail)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mdmentor.errors import ParseError
from mdmentor.privacy import crypto
from mdmentor.records.journal import ENCRYPTED_SUFFIX, Journal
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
    """Every commit that changed ``record``, newest first, with a field-level summary.

    An encrypted record's history goes on past its encryption: the commits of the plain
    file it was before (``x.md`` became ``x.md.age``) are its history too.
    """
    repo = Repository(journal.root)
    rel = repo.relative(record.path)
    entries = repo.log_of(rel)
    if rel.endswith(ENCRYPTED_SUFFIX):
        seen = {e["sha"] for e in entries}
        plain = rel.removesuffix(".age")
        entries += [e for e in repo.log_of(plain) if e["sha"] not in seen and e["path"] == plain]
        entries.sort(key=lambda e: e["date"], reverse=True)
    found = []
    for entry in entries:
        parent, before_path = repo.parent_path(entry["sha"], entry["path"])
        before_data = repo.blob(parent, before_path) if parent else None
        encrypted_here = False
        if before_data is None and parent and entry["path"].endswith(ENCRYPTED_SUFFIX):
            plain_before = repo.blob(parent, entry["path"].removesuffix(".age"))
            if plain_before is not None:
                before_data, encrypted_here = plain_before, True
        after = _meta(repo.blob(entry["sha"], entry["path"]), entry["path"])
        before = _meta(before_data, before_path)
        if after is None:
            what = "changed (the file did not parse, or you cannot read it)"
        elif before is None:
            what = "fixed (it did not parse before)" if before_data is not None else "created"
        else:
            what = field_changes(before, after) or "notes updated"
            if encrypted_here:
                what = "encrypted" + ("" if what == "notes updated" else f"; {what}")
            elif before_path != entry["path"]:
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

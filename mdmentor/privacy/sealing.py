"""Writing and editing records that only some people may read.

Such a record is written straight to ``NAME.md.age``, encrypted to exactly its
readers' keys: its plaintext never lands in the journal folder. Editing decrypts
it into a private temporary folder outside the journal, and removes it after.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from mdmentor.errors import ParseError, UsageError
from mdmentor.fileio import atomic_write
from mdmentor.privacy import access, crypto
from mdmentor.records.journal import ENCRYPTED_SUFFIX, Journal
from mdmentor.records.model import Record
from mdmentor.records.parsing import decode_text, parse_document
from mdmentor.sharing.merge import MergeResult


def plain_path(path: Path) -> Path:
    """``x.md.age`` -> ``x.md``; a plain path is returned as it is."""
    return (
        path.with_name(path.name.removesuffix(".age"))
        if path.name.endswith(ENCRYPTED_SUFFIX)
        else path
    )


def store(
    journal: Journal,
    records: list[Record],
    type_name: str,
    path: Path,
    text: str,
    *,
    overwrite: bool = False,
) -> Path:
    """Write a record's ``text`` as plain Markdown or encrypted, as its readers require.

    ``path`` is the plain name (``x.md``); the path written is returned. A record
    whose readers changed is moved between ``x.md`` and ``x.md.age``.
    """
    plain = plain_path(path)
    sealed = plain.with_name(plain.name + ".age")
    try:
        meta = parse_document(text).meta
    except ParseError:
        meta = {}  # unreadable front matter: keep it as private as the record kind allows
    rules = access.access_rules(records)
    allowed = access.readers(journal.config, rules, type_name, meta)
    if access.must_encrypt(journal.config, allowed):
        target, other = sealed, plain
        keys = access.public_keys(allowed)
        mine = crypto.public_key()
        if len(allowed) == 1 and mine is not None and mine in keys:
            # Only its author may read it: a key of its own, which disposal can destroy.
            previous = sealed.read_bytes() if sealed.exists() else None
            data = crypto.encrypt_private(text, previous)
        else:
            data = crypto.encrypt(text, keys)
    else:
        target, data, other = plain, text.encode("utf-8"), sealed
    atomic_write(target, data, overwrite=overwrite)
    if overwrite and other.exists():
        other.unlink()
    return target


def edit(
    journal: Journal, records: list[Record], record: Record, open_editor: Callable[[Path], None]
) -> Path:
    """Let a person edit an encrypted record in their editor, then encrypt it again."""
    scratch = Path(tempfile.mkdtemp(prefix="mdmentor-edit-"))  # mode 0700, outside the journal
    try:
        working = scratch / plain_path(record.path).name
        fd = os.open(working, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(crypto.decrypt(record.path.read_bytes()))
        open_editor(working)
        text = decode_text(working.read_bytes())
        return store(journal, records, record.type.name, record.path, text, overwrite=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def resolve(journal: Journal, records: list[Record], record: Record) -> MergeResult:
    """Merge an encrypted record edited on both sides, decrypted, and encrypt the result."""
    from mdmentor.sharing.gitrepo import merge_file
    from mdmentor.sharing.merge import merge_texts
    from mdmentor.sharing.sync import BASE_SUFFIX, THEIRS_SUFFIX

    theirs_path = record.path.with_name(record.path.name + THEIRS_SUFFIX)
    base_path = record.path.with_name(record.path.name + BASE_SUFFIX)
    if not theirs_path.exists():
        raise UsageError(f"{record.id} has nothing to resolve")
    texts = [
        decode_text(crypto.decrypt(p.read_bytes())) if p.exists() else ""
        for p in (base_path, record.path, theirs_path)
    ]
    result = merge_texts(*texts, line_merge=merge_file)
    store(journal, records, record.type.name, record.path, result.text, overwrite=True)
    theirs_path.unlink()
    if base_path.exists():
        base_path.unlink()
    return result

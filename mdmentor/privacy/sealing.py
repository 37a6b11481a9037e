"""Writing and editing records that only some people may read.

Such a record is written straight to ``NAME.md.age``, encrypted to exactly its
readers' keys: its plaintext never lands in the journal folder. Editing decrypts
it into a private temporary folder outside the journal, and removes it after.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TypeVar

from mdmentor.errors import ParseError, UsageError
from mdmentor.fileio import atomic_write
from mdmentor.privacy import crypto
from mdmentor.privacy.policy import Access, load_access
from mdmentor.privacy.trust import Keyring, load_keyring
from mdmentor.records.journal import ENCRYPTED_SUFFIX, Journal, Person
from mdmentor.records.model import Record
from mdmentor.records.parsing import parse_document
from mdmentor.records.reading import decode_blob, read_bytes, read_text
from mdmentor.sharing.merge import MergeResult

AnyPath = TypeVar("AnyPath", bound=PurePath)


def plain_path(path: Path) -> Path:
    """``x.md.age`` -> ``x.md``; a plain path is returned as it is."""
    return (
        path.with_name(path.name.removesuffix(".age"))
        if path.name.endswith(ENCRYPTED_SUFFIX)
        else path
    )


@dataclass
class Sealer:
    """Writes records as their readers require, under the policy and keys this clone accepted."""

    journal: Journal
    access: Access
    keyring: Keyring
    #: The person using this clone, who is the author of a record that names none.
    writer: Person | None

    @classmethod
    def open(cls, journal: Journal, records: list[Record], writer: Person | None) -> Sealer:
        """A sealer for ``journal`` as its records now stand."""
        return cls(
            journal,
            load_access(journal.root, journal.config, records),
            load_keyring(journal.root, journal.config),
            writer,
        )

    def readers(self, type_name: str, text: str) -> list[Person]:
        """Who may read a record of ``type_name`` whose file holds ``text``."""
        try:
            meta = parse_document(text).meta
        except ParseError:
            meta = {}  # unreadable front matter: as private as the record kind allows
        return self.access.readers(type_name, meta, writer=self.writer)

    def must_encrypt(self, type_name: str, text: str) -> bool:
        """Whether a record with ``text`` may not be kept as plain text."""
        return self.access.must_encrypt(self.readers(type_name, text))

    def store(
        self,
        type_name: str,
        path: Path,
        text: str,
        *,
        overwrite: bool = False,
        to_plaintext: bool = False,
    ) -> Path:
        """Write a record's ``text`` as plain Markdown or encrypted, as its readers require.

        ``path`` is the plain name (``x.md``); the path written is returned. A record
        that is encrypted stays encrypted, to its readers now, unless ``to_plaintext``
        says its user confirmed that everyone may read it.
        """
        root = self.journal.root
        plain = plain_path(path)
        sealed = plain.with_name(plain.name + ".age")
        allowed = self.readers(type_name, text)
        was_sealed = os.path.lexists(sealed)
        if self.access.must_encrypt(allowed) or (was_sealed and not to_plaintext):
            target, other = sealed, plain
            if allowed == [self.writer] and crypto.public_key() is not None:
                # Only its author may read it: a key of its own, which disposal can destroy.
                previous = read_bytes(sealed, root=root) if was_sealed else None
                data = crypto.encrypt_private(text, previous)
                recipients = [OWN_KEY]
            else:
                recipients = self.keyring.keys_for(allowed)
                data = crypto.encrypt(text, recipients)
        else:
            target, data, other, recipients = plain, text.encode("utf-8"), sealed, []
        atomic_write(target, data, overwrite=overwrite, root=root)
        note = recipients_file(sealed)
        if recipients:
            atomic_write(
                note,
                _RECIPIENTS_HEADER + "".join(f"{k}\n" for k in recipients),
                overwrite=True,
                root=root,
            )
        elif os.path.lexists(note):
            note.unlink()
        if overwrite and os.path.lexists(other):
            other.unlink()
        return target


#: In a recipients file: the record is encrypted to a key of its own, held by its author.
OWN_KEY = "own-key"
_RECIPIENTS_HEADER = (
    "# The public keys this record is encrypted to, written by mdmentor so that anyone can\n"
    "# see which records need encrypting again after a key changes. Not secret.\n"
)


def recipients_file(sealed: AnyPath) -> AnyPath:
    """Beside ``x.md.age``, the hidden ``.x.md.age.keys`` listing the keys it is encrypted to.

    age keeps its recipients secret by design, so without this nobody could tell which
    records still need encrypting to a new device's key, or still open with a retired one.
    """
    return sealed.with_name(f".{sealed.name}.keys")


def read_recipients(sealed: Path, *, root: Path) -> list[str] | None:
    """The keys ``sealed`` was encrypted to, as its recipients file says (None: unknown)."""
    note = recipients_file(sealed)
    if not os.path.lexists(note):
        return None
    try:
        text = read_text(note, root=root, max_bytes=64 * 1024)
    except ParseError:
        return None
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def resolve(sealer: Sealer, record: Record) -> MergeResult:
    """Merge an encrypted record edited on both sides, decrypted, and encrypt the result."""
    from mdmentor.sharing.gitrepo import merge_file
    from mdmentor.sharing.merge import merge_texts
    from mdmentor.sharing.sync import BASE_SUFFIX, THEIRS_SUFFIX

    theirs_path = record.path.with_name(record.path.name + THEIRS_SUFFIX)
    base_path = record.path.with_name(record.path.name + BASE_SUFFIX)
    if not theirs_path.exists():
        raise UsageError(f"{record.id} has nothing to resolve")
    root = sealer.journal.root
    texts = [
        decode_blob(crypto.decrypt(read_bytes(p, root=root)), p) if os.path.lexists(p) else ""
        for p in (base_path, record.path, theirs_path)
    ]
    result = merge_texts(*texts, line_merge=merge_file)
    sealer.store(record.type.name, record.path, result.text, overwrite=True)
    theirs_path.unlink()
    if base_path.exists():
        base_path.unlink()
    return result

"""What mdmentor will not commit: the guard rails of every commit it makes.

No symbolic link, no private key, no rendered report, no plaintext record that its
readers require to be encrypted, and no file name holding a person's name. Every commit
mdmentor makes, its own ``.gitattributes`` and renumbering commits included, passes here.
"""

from __future__ import annotations

import os
from pathlib import Path

from mdmentor.errors import ParseError, Refused
from mdmentor.privacy import crypto
from mdmentor.privacy.policy import Access, load_access
from mdmentor.records.journal import (
    ENCRYPTED_SUFFIX,
    Journal,
    folder_type,
    load_records,
    words_of,
)
from mdmentor.records.parsing import parse_document
from mdmentor.records.reading import decode_blob, read_bytes
from mdmentor.sharing.gitrepo import Repository

#: Every report mdmentor writes carries this, so a report is recognised wherever it lands.
REPORT_MARKER = "mdmentor report: personal data"
_REPORT_SUFFIXES = (".html", ".htm", ".pdf")
#: Nothing that belongs in a journal is this large; a bigger file is refused, not read.
MAX_COMMITTED_BYTES = 8 * 1024 * 1024


def refusals(journal: Journal, paths: list[Path]) -> list[str]:
    """Why each of ``paths`` (about to be committed) must not be, one line each."""
    banned = journal.config.name_words()
    access: Access | None = None
    found = []
    for path in paths:
        shown = journal.relative(path)
        parts = {w for part in Path(shown).parts for w in _words(part)}
        if parts & banned:
            found.append(f"{shown}: the file name holds a person's name; rename the file")
        if not os.path.lexists(path):
            continue  # a deletion
        try:
            data = read_bytes(path, root=journal.root, max_bytes=MAX_COMMITTED_BYTES)
        except ParseError as err:
            found.append(f"{shown}: {err.message}")
            continue
        if crypto.looks_like_private_key(data):
            found.append(
                f"{shown}: holds a private key; remove the file and keep keys out of the journal"
            )
            continue
        if path.name.endswith(_REPORT_SUFFIXES) or REPORT_MARKER.encode() in data:
            found.append(
                f"{shown}: a rendered report holds personal data and stays out of "
                "the repository; move it out of the journal"
            )
            continue
        record_type = folder_type(Path(shown))
        if record_type is None or not path.name.endswith(".md"):
            continue
        if access is None:
            agreements, _ = load_records(journal, types=("agreement",))
            access = load_access(journal.root, journal.config, agreements)
        try:
            meta = parse_document(decode_blob(data, path)).meta
        except ParseError:
            meta = {}
        allowed = access.readers(record_type.name, meta)
        if access.must_encrypt(allowed):
            names = ", ".join(p.id for p in allowed) or "nobody"
            found.append(
                f"{shown}: only {names} may read it, so it must be encrypted; run "
                f"'mdmentor encrypt {shown}'"
            )
    return found


def refuse(journal: Journal, paths: list[Path]) -> None:
    """Raise Refused naming every file that must not be committed."""
    found = refusals(journal, paths)
    if found:
        raise Refused("not committed, nothing synced:\n  " + "\n  ".join(found))


def guarded_commit(
    journal: Journal, repo: Repository, paths: list[str], message: str, author: str | None
) -> bool:
    """Commit exactly ``paths``, every one of them past the guards first: the only way
    mdmentor commits, so no commit of its own skips them. False if they held nothing new."""
    refuse(journal, [repo.top / path for path in paths])
    return repo.commit(paths, message, author)


def _words(text: str) -> list[str]:
    return words_of(text.removesuffix(ENCRYPTED_SUFFIX).removesuffix(".md"))

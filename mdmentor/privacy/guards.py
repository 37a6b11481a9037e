"""What mdmentor will not commit: the guard rails of its own commit path.

No private key, no rendered report, no plaintext record that its readers
require to be encrypted, and no file name holding a person's name.
"""

from __future__ import annotations

from pathlib import Path

from mdmentor.errors import ParseError, Refused
from mdmentor.privacy import access, crypto
from mdmentor.records.journal import ENCRYPTED_SUFFIX, Journal, load_record
from mdmentor.records.model import RECORD_TYPES, Record
from mdmentor.records.parsing import decode_text, parse_document

#: Every report mdmentor writes carries this, so a report is recognised wherever it lands.
REPORT_MARKER = "mdmentor report: personal data"
_REPORT_SUFFIXES = (".html", ".htm", ".pdf")
_FOLDER_TYPES = {t.folder: t for t in RECORD_TYPES.values()}


def refusals(journal: Journal, paths: list[Path]) -> list[str]:
    """Why each of ``paths`` (about to be committed) must not be, one line each."""
    banned = journal.config.name_words()
    rules: dict[str, list[str]] | None = None
    found = []
    for path in paths:
        shown = journal.relative(path)
        parts = {w for part in Path(shown).parts for w in _words(part)}
        if parts & banned:
            found.append(f"{shown}: the file name holds a person's name; rename the file")
        if not path.is_file():
            continue
        head = path.read_bytes()[: 2 * 1024 * 1024]
        if crypto.looks_like_private_key(head):
            found.append(
                f"{shown}: holds a private key; remove the file and keep keys out of the journal"
            )
            continue
        if path.name.endswith(_REPORT_SUFFIXES) or REPORT_MARKER.encode() in head:
            found.append(
                f"{shown}: a rendered report holds personal data and stays out of "
                "the repository; move it out of the journal"
            )
            continue
        record_type = _FOLDER_TYPES.get(Path(shown).parts[0]) if Path(shown).parts else None
        if record_type is None or not path.name.endswith(".md"):
            continue
        if rules is None:
            rules = access.access_rules(_agreements(journal))
        try:
            meta = parse_document(decode_text(head)).meta
        except ParseError:
            meta = {}
        allowed = access.readers(journal.config, rules, record_type.name, meta)
        if access.must_encrypt(journal.config, allowed):
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


def _agreements(journal: Journal) -> list[Record]:
    """Only the agreements: sync should not read every record to find the access rules."""
    agreement = RECORD_TYPES["agreement"]
    folder = journal.root / agreement.folder
    found = []
    for path in sorted(folder.glob("*.md*")) if folder.is_dir() else []:
        if path.name.endswith((".md", ENCRYPTED_SUFFIX)):
            record, _ = load_record(path, agreement)
            if record is not None:
                found.append(record)
    return found


def _words(text: str) -> list[str]:
    from mdmentor.records.journal import words_of

    return words_of(text.removesuffix(ENCRYPTED_SUFFIX).removesuffix(".md"))

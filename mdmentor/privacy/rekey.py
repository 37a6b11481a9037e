"""Keys change (a new laptop, a lost phone): which records need encrypting again, and doing it.

An encrypted record is readable by the keys it was encrypted to when it was written. After
a reader adds a key for a new device, or retires a lost one, the records written before
are still encrypted to the old set. ``stale`` finds them (from each record's recipients
file, which anyone can read) and ``rekey`` encrypts every record this user can read to
exactly its current readers' accepted keys.

Retiring a key cannot undo the past: the versions of a record in git history, on the
server and in other clones stay readable with the retired key. Rekeying protects what is
written from now on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mdmentor.errors import MdmentorError
from mdmentor.privacy.sealing import OWN_KEY, Sealer, read_recipients
from mdmentor.privacy.trust import fingerprint
from mdmentor.records.journal import record_text
from mdmentor.records.model import Record


@dataclass(frozen=True)
class Stale:
    """An encrypted record whose keys are not its readers' keys now."""

    record: Record
    #: Keys of current readers it is not encrypted to: "person fingerprint".
    missing: tuple[str, ...] = ()
    #: Keys it is encrypted to that no current reader holds (retired or replaced).
    retired: tuple[str, ...] = ()
    #: It has no recipients file (written before mdmentor kept one): unknown.
    unknown: bool = False

    def describe(self) -> str:
        """What is wrong, in words, with the fix."""
        if self.unknown:
            what = "it was encrypted before mdmentor noted which keys it went to"
        else:
            parts = [f"not encrypted to {m}" for m in self.missing]
            parts += [f"still encrypted to a retired key {r}" for r in self.retired]
            what = "; ".join(parts)
        return f"{what}; run 'mdmentor rekey' to encrypt it to its readers' keys now"


def stale(sealer: Sealer, records: list[Record]) -> list[Stale]:
    """Every encrypted record this user can read whose keys differ from its readers' now."""
    found = []
    root = sealer.journal.root
    for record in records:
        if not record.encrypted or record.sealed:
            continue
        noted = read_recipients(record.path, root=root)
        readers = sealer.access.readers(record.type.name, record.meta, writer=sealer.writer)
        if noted is None:
            found.append(Stale(record, unknown=True))
            continue
        wanted = {key: p.id for p in readers for key in p.keys}
        if noted == [OWN_KEY]:  # a key of its own, held by its author alone
            if len(readers) > 1:  # ...but more people may read it now
                found.append(
                    Stale(
                        record, tuple(f"{pid}'s key {fingerprint(k)}" for k, pid in wanted.items())
                    )
                )
            continue
        missing = tuple(
            f"{pid}'s key {fingerprint(k)}" for k, pid in wanted.items() if k not in noted
        )
        retired = tuple(fingerprint(k) for k in noted if k not in wanted)
        if missing or retired:
            found.append(Stale(record, missing, retired))
    return found


@dataclass
class RekeyResult:
    """What rekey did: the records encrypted again, and those it could not, with why."""

    rewritten: list[Record] = field(default_factory=list)
    skipped: list[tuple[Record, str]] = field(default_factory=list)


def rekey(sealer: Sealer, records: list[Record]) -> RekeyResult:
    """Encrypt every stale record this user can read to its readers' accepted keys."""
    result = RekeyResult()
    for item in stale(sealer, records):
        record = item.record
        try:
            text = record_text(sealer.journal, record)
            sealer.store(record.type.name, record.path, text, overwrite=True)
        except MdmentorError as err:
            result.skipped.append((record, str(err)))
            continue
        result.rewritten.append(record)
    return result

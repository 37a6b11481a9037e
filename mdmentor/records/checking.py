"""``check``: every problem in a journal, collected for all files before reporting."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mdmentor.records.journal import (
    CONFIG_NAME,
    Journal,
    folder_type,
    load_records,
    read_config,
    unreadable_files,
)
from mdmentor.records.model import Problem, Record
from mdmentor.records.rules import check_rules


@dataclass
class CheckResult:
    """What ``check`` found: how many records it read and every problem."""

    records: int
    problems: list[Problem] = field(default_factory=list)
    #: Encrypted records this user holds no key for: counted, not checked.
    sealed: int = 0

    @property
    def errors(self) -> int:
        """How many problems are errors."""
        return sum(1 for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> int:
        """How many problems are warnings."""
        return sum(1 for p in self.problems if p.severity == "warning")

    @property
    def files_with_problems(self) -> int:
        """How many files have at least one problem."""
        return len({p.path for p in self.problems})


def check_journal(
    root: Path,
    *,
    only: Iterable[Path] = (),
    progress: Callable[[int, int], None] | None = None,
) -> CheckResult:
    """Check the journal at ``root``; with ``only``, report just those files and folders."""
    problems, config = read_config(root)
    if config is None:
        return CheckResult(records=0, problems=problems)
    journal = Journal(root=root, config=config)
    records, found = load_records(journal, progress=progress)
    problems.extend(found)
    unreadable = unreadable_files(records, found)
    broken = {t.name for p in unreadable if (t := folder_type(Path(journal.relative(p))))}
    problems.extend(check_rules(records, config, broken=broken))
    problems.extend(_encrypted_conflicts(records))
    problems.extend(_privacy(journal, records))
    scope = [_as_found(p) for p in only]
    if scope:
        problems = [p for p in problems if _within(p.path, scope)]
    problems.sort(key=lambda p: (str(p.path) != str(root / CONFIG_NAME), str(p.path), p.line or 0))
    sealed = sum(1 for r in records if r.sealed and (not scope or _within(r.path, scope)))
    counted = sum(1 for r in records if not r.sealed and (not scope or _within(r.path, scope)))
    counted += sum(1 for path in unreadable if not scope or _within(path, scope))
    return CheckResult(records=counted, problems=problems, sealed=sealed)


def _as_found(path: Path) -> Path:
    """``path`` as the journal's records are named: the folders above it resolved, as the
    journal's root is (a linked home or /tmp folder), but not the file or folder itself,
    so a symbolic link there is not followed."""
    absolute = Path(os.path.abspath(path))
    return absolute.parent.resolve() / absolute.name


def _within(path: Path, scope: list[Path]) -> bool:
    where = Path(os.path.abspath(path))  # lexically: a symbolic link is not followed
    return any(where == s or s in where.parents for s in scope)


def _encrypted_conflicts(records: list[Record]) -> list[Problem]:
    """Encrypted records that sync found edited on both sides (their copy kept beside ours)."""
    from mdmentor.sharing.sync import THEIRS_SUFFIX

    return [
        Problem(
            r.path,
            "encrypted record edited on both sides; run 'mdmentor resolve "
            f"{r.id or r.path.name}' to merge them",
            line=1,
            code="merge-conflict",
        )
        for r in records
        if r.encrypted and r.path.with_name(r.path.name + THEIRS_SUFFIX).exists()
    ]


def _privacy(journal: Journal, records: list[Record]) -> list[Problem]:
    """Once people have keys: plain records the policy keeps from someone, a policy or keys
    changed since this clone accepted them, and a key listed under two people."""
    from mdmentor.privacy.rekey import stale
    from mdmentor.privacy.sealing import Sealer
    from mdmentor.privacy.trust import duplicate_keys, fingerprint

    config = journal.config
    if not any(p.keys for p in config.people):
        return []
    config_path = journal.root / CONFIG_NAME
    found = [
        Problem(
            config_path,
            f"the key {fingerprint(key)} is listed under {' and '.join(owners)}; a key belongs "
            "to one person only: remove it from the one it does not belong to",
            field="people",
            code="shared-key",
        )
        for key, owners in duplicate_keys(config).items()
    ]
    sealer = Sealer.open(journal, records, None)
    access = sealer.access
    found += [
        Problem(
            config_path, change.describe(), field="people", severity="warning", code="key-changed"
        )
        for change in sealer.keyring.changes()
    ]
    if access.pending and access.proposed is not None:
        agreement = next((r for r in records if r.id == access.proposed.agreement), None)
        found.append(
            Problem(
                agreement.path if agreement else config_path,
                "who reads what and how long records are kept are not yet accepted on this "
                "machine; read and accept them with 'mdmentor accept'",
                line=1,
                severity="warning",
                code="not-accepted",
            )
        )
    found += [
        Problem(
            item.record.path, item.describe(), line=1, severity="warning", code="stale-encryption"
        )
        for item in stale(sealer, records)
    ]
    for record in records:
        if record.encrypted or record.sealed:
            continue
        allowed = access.readers(record.type.name, record.meta)
        if access.must_encrypt(allowed):
            names = ", ".join(p.id for p in allowed) or "nobody"
            found.append(
                Problem(
                    record.path,
                    f"only {names} may read it, so it should be encrypted; run "
                    f"'mdmentor encrypt {journal.relative(record.path)}'",
                    line=1,
                    severity="warning",
                    code="should-be-encrypted",
                )
            )
    return found

"""Retention: how long records are kept, which are due for disposal, and disposing of them.

The agreement sets a period per kind of record, counted from the end of the
relationship or from the record's own date. Disposal removes the files and
commits; rewriting history (git-filter-repo) removes them from every commit of
this repository. Nothing here claims to reach copies it cannot reach.
"""

from __future__ import annotations

import calendar
import os
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import PurePosixPath
from typing import Any

from mdmentor.errors import GitError, UnsafeState, UsageError
from mdmentor.fileio import atomic_write
from mdmentor.privacy.guards import guarded_commit
from mdmentor.privacy.policy import Policy, access_kind
from mdmentor.privacy.sealing import plain_path, recipients_file
from mdmentor.records.journal import Journal, Person, load_records
from mdmentor.records.model import RECORD_TYPES, Record
from mdmentor.records.reading import read_bytes
from mdmentor.records.scaffold import free_path, new_id
from mdmentor.sharing.gitrepo import Repository
from mdmentor.wording import period, plural


@dataclass(frozen=True)
class Disposal:
    """When one record is due for disposal, and why."""

    record: Record
    due: str | None
    basis: str


@dataclass
class Schedule:
    """Every record's disposal date, as far as it can be known today."""

    due: list[Disposal] = field(default_factory=list)
    later: list[Disposal] = field(default_factory=list)
    waiting: list[Disposal] = field(default_factory=list)
    unread: int = 0
    unassessed: int = 0
    disposal_method: str = ""


def _is_date(text: str | None) -> bool:
    try:
        return text is not None and Date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


def add_period(start: str, years: int = 0, months: int = 0) -> str:
    """``start`` plus whole years and months (the 29th of February and the 31st clamp)."""
    day = Date.fromisoformat(start)
    total = day.month - 1 + months + 12 * years
    year, month = day.year + total // 12, total % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    ).isoformat()


def schedule(terms: Policy, records: list[Record], today: str) -> Schedule:
    """Sort records into due now, due later, and waiting for the relationship to end, under
    the retention ``terms`` this clone accepted (never under terms just pushed)."""
    if not terms.retention:
        raise UsageError(
            f"the accepted agreement {terms.agreement} sets no retention terms, so nothing "
            "is due for disposal"
        )
    policy = terms.retention
    ended = terms.ended
    plan = Schedule(disposal_method=policy["disposal"])
    for record in records:
        if record.type.name == "disposal":
            continue  # the record of a disposal is kept: it holds no personal data
        if record.sealed:
            plan.unread += 1
            continue
        if not record.valid and not _is_date(record.date):
            plan.unassessed += 1  # a record with errors is still disposed of, if its date reads
            continue
        kind = access_kind(record.type.name, record.meta)
        rule: dict[str, Any] = policy.get("by_record", {}).get(kind, policy["keep_for"])
        length = period(rule.get("years", 0), rule.get("months", 0))
        if rule["from"] == "record-date":
            anchor, basis = record.date, f"{length} after its date"
        else:
            anchor, basis = ended, f"{length} after the relationship ended"
        if anchor is None:
            plan.waiting.append(Disposal(record, None, f"{length} after the relationship ends"))
            continue
        due = add_period(anchor, rule.get("years", 0), rule.get("months", 0))
        (plan.due if due <= today else plan.later).append(Disposal(record, due, basis))
    for group in (plan.due, plan.later):
        group.sort(key=lambda d: (d.due or "", d.record.path.as_posix()))
    return plan


def own_keys(journal: Journal, due: list[Disposal]) -> int:
    """How many of the due records are encrypted to a key of their own that this user holds,
    which disposal will destroy."""
    from mdmentor.privacy import crypto

    return sum(
        1
        for item in due
        if item.record.encrypted
        and crypto.holds_own_key(read_bytes(item.record.path, root=journal.root))
    )


@dataclass
class DisposalReport:
    """What disposal did, and what it could not do."""

    removed: list[str] = field(default_factory=list)
    #: The disposal record written (ids and object hashes, never content).
    record: str | None = None
    encrypted: int = 0
    #: Encrypted records whose own key this user held, and destroyed.
    shredded: int = 0
    rewritten: bool = False
    #: Paths removed from every commit by the history rewrite.
    purged: list[str] = field(default_factory=list)
    not_reached: list[str] = field(default_factory=list)


def dispose(
    journal: Journal,
    due: list[Disposal],
    *,
    rewrite_history: bool,
    today: str,
    method: str,
    by: Person | None = None,
) -> DisposalReport:
    """Remove the due records and write a disposal record (ids and git object hashes, never
    content), commit; with ``rewrite_history``, remove from every commit of this repository
    every path that ever held them (renames, the plain file before it was encrypted) and
    everything earlier disposals left in history, with mdmentor's own refs."""
    repo = Repository(journal.root)
    problem = repo.unsafe_state()
    if problem:
        raise UnsafeState(f"nothing disposed of: {problem}")
    report = DisposalReport()
    if due:
        _remove(journal, repo, due, report, today=today, method=method, by=by)
    if rewrite_history:
        held = {sha for sha in disposed_objects(journal) if repo.has_object(sha)}
        paths = repo.paths_holding(held)
        # ...and the list of keys beside each encrypted one, whose name tells its date and kind
        paths |= {str(recipients_file(PurePosixPath(p))) for p in paths if p.endswith(".md.age")}
        report.purged = sorted(paths)
        if report.purged:
            repo.drop_own_refs()
            repo.rewrite_without(report.purged)
            left = [sha for sha in held if repo.has_object(sha)]
            if left:
                raise GitError(
                    f"the history rewrite left {len(left)} disposed objects in this repository "
                    "(another branch or tag may hold them); nothing else was changed"
                )
            report.rewritten = True
    report.not_reached = _not_reached(report)
    return report


def _remove(
    journal: Journal,
    repo: Repository,
    due: list[Disposal],
    report: DisposalReport,
    *,
    today: str,
    method: str,
    by: Person | None,
) -> None:
    """Delete the due records' files and commit that with a disposal record."""
    from mdmentor import templating
    from mdmentor.privacy import crypto

    rels = [repo.relative_lexically(d.record.path) for d in due]
    names: set[str] = set()
    for rel in rels:  # every name each had, and the plain file before it was encrypted
        names |= repo.names_in_history(rel) | repo.names_in_history(rel.removesuffix(".age"))
    objects = sorted(repo.blobs_of(names))
    changed = []
    for item in due:
        path = item.record.path
        if item.record.encrypted:
            report.encrypted += 1
            report.shredded += crypto.shred(read_bytes(path, root=journal.root))
        for leftover in (path, recipients_file(path), plain_path(path)):
            if os.path.lexists(leftover):
                leftover.unlink()
                changed.append(repo.relative_lexically(leftover))
            elif repo.is_tracked(repo.relative_lexically(leftover)):
                changed.append(repo.relative_lexically(leftover))
    report.removed = rels
    disposal = RECORD_TYPES["disposal"]
    on = Date.fromisoformat(today)
    earlier, _ = load_records(journal, types=(disposal.name,))
    record_id = new_id(disposal, on, earlier)
    text = templating.render(
        "records/disposal.md",
        {
            "id": record_id,
            "date": today,
            "author": by,
            "disposed": sorted(d.record.id or journal.relative(d.record.path) for d in due),
            "objects": objects,
            "method": method,
            "history_rewritten": False,
            "keys_destroyed": report.shredded,
        },
        journal_root=journal.root,
    )
    target = free_path(journal, disposal, on, record_id, "disposal")
    atomic_write(target, text, root=journal.root)
    report.record = record_id
    count = len(due)
    guarded_commit(
        journal,
        repo,
        [*changed, repo.relative(target)],
        f"retention: disposed of {plural(count, 'record')} past "
        f"{'their' if count != 1 else 'its'} retention period ({record_id})",
        None,
    )


def disposed_objects(journal: Journal) -> set[str]:
    """Every git object the journal's disposal records list."""
    records, _ = load_records(journal, types=("disposal",))
    return {sha for r in records for sha in r.meta.get("objects", []) if isinstance(sha, str)}


def _not_reached(report: DisposalReport) -> list[str]:
    places = [
        "other clones of the repository (the mentee's, the supervisor's): each must sync, "
        "and after a history rewrite, clone afresh",
        "the server's copy of the history, until you replace it ('mdmentor sync "
        "--replace-shared-copy', which asks first)"
        if report.rewritten
        else "the server's copy of the history",
        "backups of any of these repositories",
        "reports and exports written from the journal before today",
    ]
    if report.encrypted > report.shredded:
        places.append(
            f"{report.encrypted - report.shredded} of the records were encrypted to their "
            "readers' own keys, not to a key of their own: copies of them in the places above "
            "stay readable to anyone holding one of those keys"
        )
    if not report.rewritten:
        places.insert(
            0,
            "this repository's own history: earlier commits still hold "
            "the records (use --rewrite-history to remove them)",
        )
    return places

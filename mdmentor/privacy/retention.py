"""Retention: how long records are kept, which are due for disposal, and disposing of them.

The agreement sets a period per kind of record, counted from the end of the
relationship or from the record's own date. Disposal removes the files and
commits; rewriting history (git-filter-repo) removes them from every commit of
this repository. Nothing here claims to reach copies it cannot reach.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date as Date
from typing import Any

from mdmentor.errors import UsageError
from mdmentor.privacy.guards import guarded_commit
from mdmentor.privacy.policy import Policy, access_kind
from mdmentor.records.journal import Journal
from mdmentor.records.model import Record
from mdmentor.records.reading import read_bytes
from mdmentor.sharing.gitrepo import Repository


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
        if record.sealed:
            plan.unread += 1
            continue
        if not record.valid and not _is_date(record.date):
            plan.unassessed += 1  # a record with errors is still disposed of, if its date reads
            continue
        kind = access_kind(record.type.name, record.meta)
        rule: dict[str, Any] = policy.get("by_record", {}).get(kind, policy["keep_for"])
        period = f"{rule.get('years', 0)} years {rule.get('months', 0)} months".replace(
            " 0 months", ""
        ).replace("0 years ", "")
        if rule["from"] == "record-date":
            anchor, basis = record.date, f"{period} after its date"
        else:
            anchor, basis = ended, f"{period} after the relationship ended"
        if anchor is None:
            plan.waiting.append(Disposal(record, None, f"{period} after the relationship ends"))
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
    encrypted: int = 0
    #: Encrypted records whose own key this user held, and destroyed.
    shredded: int = 0
    rewritten: bool = False
    not_reached: list[str] = field(default_factory=list)


def dispose(journal: Journal, due: list[Disposal], *, rewrite_history: bool) -> DisposalReport:
    """Remove the due records, commit (no personal data in the message), and optionally
    rewrite this repository's history without them."""
    repo = Repository(journal.root)
    problem = repo.unsafe_state()
    if problem:
        from mdmentor.errors import UnsafeState

        raise UnsafeState(f"nothing disposed of: {problem}")
    report = DisposalReport()
    paths = [repo.relative(d.record.path) for d in due]
    from mdmentor.privacy import crypto

    for item in due:
        if item.record.encrypted:
            report.encrypted += 1
            report.shredded += crypto.shred(read_bytes(item.record.path, root=journal.root))
        item.record.path.unlink()
    report.removed = paths
    if paths:
        guarded_commit(
            journal,
            repo,
            paths,
            f"retention: disposed of {len(paths)} record{'s' if len(paths) != 1 else ''} past "
            f"{'their' if len(paths) != 1 else 'its'} retention period",
            None,
        )
    if rewrite_history and paths:
        repo.rewrite_without(paths)
        report.rewritten = True
    report.not_reached = [
        "other clones of the repository (the mentee's, the supervisor's): each must sync, "
        "and after a history rewrite, clone afresh",
        "the server's copy of the history, until it receives a forced push"
        + (
            " ('git push --force' from here; mdmentor never force-pushes)"
            if report.rewritten
            else ""
        ),
        "backups of any of these repositories",
        "reports and exports written from the journal before today",
    ]
    if report.encrypted > report.shredded:
        report.not_reached.append(
            f"{report.encrypted - report.shredded} of the records were encrypted to their "
            "readers' own keys, not to a key of their own: copies of them in the places above "
            "stay readable to anyone holding one of those keys"
        )
    if not report.rewritten:
        report.not_reached.insert(
            0,
            "this repository's own history: earlier commits still hold "
            "the records (use --rewrite-history to remove them)",
        )
    return report

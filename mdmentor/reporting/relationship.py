"""The working relationship and what happened around it, for the reports: sessions missed or
moved, notes the mentee agreed, techniques used, disagreements worked through, the mentor's
feedback to the mentee, referrals, information shared, evaluations, employment outcomes.

Each comes from its own kind of record; like every part of a report, only from the records
every reader may read (the view is already restricted to them).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from mdmentor.records.facts import agreed_by
from mdmentor.records.model import Record
from mdmentor.reporting.view import JournalView, shift

#: The weeks after a job start at which sustainment is checked (seed 004).
SUSTAINMENT_WEEKS = (13, 26)


def relationship(view: JournalView, start: str, day: str) -> dict[str, Any]:
    """Everything about the working relationship from ``start`` to ``day``, as plain data."""
    sessions = view.sessions_between(start, day)
    techniques: Counter[str] = Counter(
        t["technique"] for s in sessions for t in s.meta.get("techniques", [])
    )
    return {
        "missed": [
            _fields(r, "kind reason by rescheduled_to")
            for r in view.dated_between("missed_session", start, day)
        ],
        "notes_agreed": sum(1 for s in sessions if _agreed_by_mentee(view, s.meta)),
        "sessions": len(sessions),
        "techniques": techniques.most_common(),
        "issues": [
            _fields(r, "kind description worked_through outcome status")
            for r in view.dated_between("issue", start, day)
        ],
        "mentor_feedback": [
            _fields(r, "mentee_response", lists="went_well even_better_if next_steps")
            for r in view.dated_between("feedback", start, day)
            if r.meta.get("kind") == "mentor-feedback"
        ],
        "referrals": [
            _fields(r, "kind service reason outcome")
            for r in view.dated_between("referral", start, day)
        ],
        "information_shared": [
            {
                **_fields(r, "kind what basis outcome"),
                "shared_with": [s.get("who") for s in r.meta.get("shared_with", [])],
                "mentee_told": _told(r.meta),
            }
            for r in view.dated_between("information_sharing", start, day)
        ],
        "replanned": [
            {"goal": g.id, **change}
            for g in view.of("goal")
            for change in g.meta.get("replanned", [])
            if start <= str(change.get("date", "")) <= day
        ],
    }


def _fields(record: Record, names: str, *, lists: str = "") -> dict[str, Any]:
    """A dated record's id, date and the fields ``names`` (``lists`` default to [])."""
    meta = record.meta
    return {
        "id": record.id,
        "date": meta["date"],
        **{name: meta.get(name) for name in names.split()},
        **{name: meta.get(name, []) for name in lists.split()},
    }


def _agreed_by_mentee(view: JournalView, meta: dict[str, Any]) -> bool:
    mentee = view.config.by_role("mentee")
    return mentee is not None and mentee.id in agreed_by(meta)


def evaluations(view: JournalView, start: str, day: str) -> list[dict[str, Any]]:
    """The evaluations of the mentoring: each expected outcome met or not. They are written
    at or after the end, so ``day`` is the day the report is read on, not the period's end."""
    return [
        {
            **_fields(r, "kind impact overall", lists="expected_outcomes"),
            "by": r.meta.get("author"),
        }
        for r in view.dated_between("evaluation", start, day)
    ]


def employment(view: JournalView, start: str, day: str) -> dict[str, Any] | None:
    """Employment outcomes: job starts, and whether people were in work at 13 and 26 weeks.
    Those checks may fall after the mentoring ends, so ``day`` is the day the report is
    read on, not the period's end."""
    records = [r for r in view.of("employment") if r.meta["date"] <= day]
    if not records:
        return None
    starts = []
    for record in records:
        checks = {c.get("week"): c for c in record.meta.get("sustainment", [])}
        starts.append(
            {
                "id": record.id,
                "date": record.meta["date"],
                "employer": record.meta.get("employer"),
                "job_title": record.meta.get("job_title"),
                "hours_per_week": record.meta.get("hours_per_week"),
                "adjustments": record.meta.get("adjustments", []),
                "left": record.meta.get("left"),
                "weeks": [
                    _sustainment(record.meta["date"], week, checks.get(week), day)
                    for week in SUSTAINMENT_WEEKS
                ],
            }
        )
    return {
        "starts": starts,
        "in_period": sum(1 for s in starts if start <= s["date"] <= day),
        "sustained": {
            week: sum(1 for s in starts for w in s["weeks"] if w["week"] == week and w["in_work"])
            for week in SUSTAINMENT_WEEKS
        },
        "due": {
            week: sum(1 for s in starts for w in s["weeks"] if w["week"] == week and w["is_due"])
            for week in SUSTAINMENT_WEEKS
        },
    }


def _sustainment(start: str, week: int, check: dict[str, Any] | None, day: str) -> dict[str, Any]:
    due = shift(start, 7 * week)
    checked = check.get("checked") if check else None
    return {
        "week": week,
        "due": due,
        "is_due": due <= day,
        "checked": checked if checked is not None and checked <= day else None,
        "in_work": bool(check and check.get("in_work")) and (checked or due) <= day,
    }


def _told(meta: dict[str, Any]) -> str | None:
    """When and how the mentee was told that information about them was shared."""
    told = meta.get("mentee_told")
    if isinstance(told, dict):
        how = f" ({str(told['how']).rstrip('.')})" if told.get("how") else ""
        return f"on {told.get('date', '?')}{how}"
    if meta.get("not_told_because"):
        return f"not told, because {meta['not_told_because']}"
    return None

"""The rules of each record type that look at one record: dates in order, ids unique."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date as Date
from datetime import timedelta

from mdmentor.records.model import Problem, Record
from mdmentor.records.rules.common import (
    Rule,
    not_after,
    not_before,
    unique,
    values_at,
)


def _goal_rules(record: Record) -> Iterator[Problem]:
    created, target = record.meta.get("created"), record.meta.get("target_date")
    if record.meta["status"] == "achieved" and "achieved" not in record.meta:
        yield record.problem(
            ("status",),
            "goal is achieved but has no 'achieved' date",
            code="missing-field",
            severity="warning",
        )
    yield from unique(record, "milestones", "id", "milestone")
    yield from unique(record, "progress", "id", "progress entry")
    yield from not_after(
        record,
        "milestones.*.due",
        target,
        "milestone due {value} is after the goal's target date {ceiling}",
    )
    for pattern in ("milestones.*.done", "achieved", "progress.*.date", "target_date"):
        yield from not_before(
            record, pattern, created, "{value} is before the goal was created ({floor})"
        )


def _session_rules(record: Record) -> Iterator[Problem]:
    date = record.meta["date"]
    yield from unique(record, "actions", "id", "action")
    for pattern in ("actions.*.done", "actions.*.due"):
        yield from not_before(record, pattern, date, "{value} is before the session ({floor})")
    next_date = record.meta.get("next_session", {}).get("date")
    if next_date is not None and next_date <= date:
        yield record.problem(
            ("next_session", "date"),
            f"next session {next_date} is not after this one ({date})",
            code="date-order",
        )
    for index, action in enumerate(record.meta.get("actions", [])):
        if action.get("done") and action["status"] not in ("done", "carried"):
            yield record.problem(
                ("actions", index, "status"),
                f"action has a done date but its status is '{action['status']}'",
                code="status-mismatch",
            )


def _agreement_rules(record: Record) -> Iterator[Problem]:
    meta = record.meta
    yield from not_before(
        record, "planned_end", meta["start"], "planned end {value} is before the start {floor}"
    )
    yield from not_before(record, "ended", meta["start"], "{value} is before the start {floor}")
    yield from not_before(
        record, "review_dates.*", meta["start"], "review {value} is before the start {floor}"
    )
    agreed = {entry["person"] for entry in meta.get("agreed_by", [])}
    missing = [meta[role] for role in ("mentor", "mentee") if meta[role] not in agreed]
    if missing:
        yield record.problem(
            ("agreed_by",),
            "not yet agreed by " + " and ".join(missing),
            code="not-agreed",
            severity="warning",
        )


def _review_rules(record: Record) -> Iterator[Problem]:
    meta = record.meta
    yield from unique(record, "evaluations", "goal", "goal")
    period = meta.get("period")
    if period and period["to"] < period["from"]:
        yield record.problem(
            ("period", "to"),
            f"period ends ({period['to']}) before it starts ({period['from']})",
            code="date-order",
        )
    yield from not_before(
        record,
        "support_plan.next_review",
        meta["date"],
        "next review {value} is before this review ({floor})",
    )


def _competency_rules(record: Record) -> Iterator[Problem]:
    scale = record.meta["scale"]
    yield from unique(record, "ratings", "competency", "competency")
    for where, rating in values_at(record.meta, "ratings.*.rating"):
        if not scale["min"] <= rating <= scale["max"]:
            yield record.problem(
                where,
                f"rating {rating} is outside the scale {scale['min']}-{scale['max']}",
                code="out-of-range",
            )


def _session_sign_off(record: Record) -> Iterator[Problem]:
    """Notes are agreed after the session they record."""
    yield from unique(record, "agreed_by", "person", "person")
    yield from not_before(
        record,
        "agreed_by.*.date",
        record.meta["date"],
        "notes agreed on {value}, before the session ({floor})",
    )


def _goal_replans(record: Record) -> Iterator[Problem]:
    """Each re-plan moves a date, and the latest one says what the date is now."""
    meta = record.meta
    yield from unique(record, "replanned", "id", "re-plan")
    yield from not_before(
        record,
        "replanned.*.date",
        meta.get("created"),
        "{value} is before the goal was created ({floor})",
    )
    due = {m["id"]: m["due"] for m in meta.get("milestones", [])}
    changes = list(enumerate(meta.get("replanned", [])))
    latest: dict[str | None, int] = {}  # the latest re-plan of each date, by date then order
    for index, change in sorted(changes, key=lambda pair: pair[1]["date"]):
        milestone = change.get("milestone")
        if change["from"] == change["to"]:
            yield record.problem(
                ("replanned", index, "to"),
                "moves nothing: 'from' and 'to' are the same date",
                code="invalid-value",
            )
        if milestone is None or milestone in due:
            latest[milestone] = index
        else:
            yield record.problem(
                ("replanned", index, "milestone"),
                f"no milestone {milestone} in this goal",
                code="missing-reference",
            )
    for milestone, index in latest.items():
        moved_to = meta["replanned"][index]["to"]
        now = meta["target_date"] if milestone is None else due[milestone]
        what = "the target date" if milestone is None else f"{milestone} is due"
        if moved_to != now:
            yield record.problem(
                ("replanned", index, "to"),
                f"the latest re-plan moves it to {moved_to}, but {what} {now}",
                code="status-mismatch",
            )


def _review_ending(record: Record) -> Iterator[Problem]:
    """Only a final review ends the relationship."""
    if "ending" in record.meta and record.meta["kind"] != "final":
        yield record.problem(
            ("ending",),
            f"only a final review records the ending, not a {record.meta['kind']} one",
            code="not-allowed",
        )


def _information_sharing_rules(record: Record) -> Iterator[Problem]:
    """Shared after it arose, with consent given before it was shared."""
    meta = record.meta
    for pattern in ("shared_with.*.date", "closed"):
        yield from not_before(
            record, pattern, meta["date"], "{value} is before the record's date ({floor})"
        )
    consent = meta.get("consent", {}).get("date")
    yield from not_before(
        record,
        "shared_with.*.date",
        consent,
        "shared on {value}, before consent was given ({floor})",
    )


def _referral_rules(record: Record) -> Iterator[Problem]:
    """Followed up after it was made, with consent given first."""
    yield from not_before(
        record,
        "follow_up",
        record.meta["date"],
        "follow-up {value} is before the referral ({floor})",
    )
    yield from not_after(
        record,
        "consent.date",
        record.meta["date"],
        "consent on {value} is after the referral ({ceiling})",
    )


def _missed_session_rules(record: Record) -> Iterator[Problem]:
    """A session moved to another day, with notice given by the day itself."""
    meta = record.meta
    if meta.get("rescheduled_to") == meta["date"]:
        yield record.problem(
            ("rescheduled_to",),
            "is the day it was planned for: it was not moved",
            code="invalid-value",
        )
    yield from not_after(
        record, "notice", meta["date"], "notice given on {value}, after the day ({ceiling})"
    )


def _issue_rules(record: Record) -> Iterator[Problem]:
    """Resolved and agreed after it came up."""
    for pattern in ("resolved", "agreed_by.*.date"):
        yield from not_before(
            record, pattern, record.meta["date"], "{value} is before it came up ({floor})"
        )


def _employment_rules(record: Record) -> Iterator[Problem]:
    """Sustainment checks fall due whole weeks after the start, and are done when due."""
    meta = record.meta
    start = meta["date"]
    yield from unique(record, "in_work_support", "id", "contact")
    yield from unique(record, "sustainment", "week", "week")
    for pattern in ("in_work_support.*.date", "left.date"):
        yield from not_before(record, pattern, start, "{value} is before the job started ({floor})")
    left = meta.get("left", {}).get("date")
    for index, check in enumerate(meta.get("sustainment", [])):
        due = (Date.fromisoformat(start) + timedelta(weeks=check["week"])).isoformat()
        if check["due"] != due:
            yield record.problem(
                ("sustainment", index, "due"),
                f"{check['week']} weeks after the start ({start}) is {due}, not {check['due']}",
                code="date-order",
            )
        checked = check.get("checked")
        if checked is not None and checked < due:
            yield record.problem(
                ("sustainment", index, "checked"),
                f"checked on {checked}, before the {check['week']} weeks were up ({due})",
                code="date-order",
            )
        if (
            left is not None
            and check.get("in_work") is True
            and checked is not None
            and checked > left
        ):
            yield record.problem(
                ("sustainment", index, "in_work"),
                f"in work at {checked}, but the job ended on {left}",
                code="status-mismatch",
            )


RECORD_RULES: dict[str, tuple[Rule, ...]] = {
    "goal": (_goal_rules, _goal_replans),
    "session": (_session_rules, _session_sign_off),
    "agreement": (_agreement_rules,),
    "review": (_review_rules, _review_ending),
    "competency_assessment": (_competency_rules,),
    "information_sharing": (_information_sharing_rules,),
    "referral": (_referral_rules,),
    "missed_session": (_missed_session_rules,),
    "issue": (_issue_rules,),
    "employment": (_employment_rules,),
}

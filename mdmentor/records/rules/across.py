"""Rules that look at several records at once: carried actions, agreements quoted, endings."""

from __future__ import annotations

import bisect
from collections.abc import Iterator

from mdmentor.records.facts import facts
from mdmentor.records.model import ACTIVE_GOALS, OPEN_ACTIONS, Problem, Record
from mdmentor.records.rules.common import (
    JournalRule,
    values_at,
)


def _carried_from_earlier(records: list[Record]) -> Iterator[Problem]:
    """Actions carried forward or reviewed come from earlier sessions, and say they were carried."""
    sessions: dict[str | None, Record] = {r.id: r for r in records if r.type.name == "session"}
    for session in sessions.values():
        yield from _carried_into(session, sessions)


def _carried_into(record: Record, sessions: dict[str | None, Record]) -> Iterator[Problem]:
    for pattern in ("actions.*.carried_from", "actions_reviewed.*.action"):
        for where, ref in values_at(record.meta, pattern):
            session_id, action_id = ref.split("/")
            source = sessions.get(session_id)
            if source is None:
                continue
            if source.meta["date"] >= record.meta["date"]:
                yield record.problem(
                    where, f"{ref} is not from an earlier session", code="date-order"
                )
            elif pattern.startswith("actions.*"):
                status = next(
                    (a["status"] for a in source.meta.get("actions", []) if a["id"] == action_id),
                    "carried",
                )
                if status != "carried":
                    yield record.problem(
                        where,
                        f"carries {ref} forward, but its status there is '{status}', not 'carried'",
                        code="status-mismatch",
                        severity="warning",
                    )


def _agreements(records: list[Record]) -> list[Record]:
    """The agreements, oldest first, for ``_in_force``."""
    return sorted((r for r in records if r.type.name == "agreement"), key=lambda r: r.meta["date"])


def _in_force(agreements: list[Record], on: str) -> Record | None:
    """The agreement in force on ``on`` (of ``agreements``, oldest first): the latest dated
    by then, else the first."""
    earlier = bisect.bisect_right([a.meta["date"] for a in agreements], on)
    if earlier:
        return agreements[earlier - 1]
    return agreements[0] if agreements else None


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


def _quotes_the_agreement(records: list[Record]) -> Iterator[Problem]:
    """A limit of confidentiality, an expected outcome: each as the agreement in force says it."""
    checks = (
        ("information_sharing", "limit", "confidentiality.limits.*", "limit of confidentiality"),
        ("evaluation", "expected_outcomes.*.outcome", "expected_outcomes.*", "expected outcome"),
    )
    agreements = _agreements(records)
    for type_name, pattern, source, what in checks:
        for record in (r for r in records if r.type.name == type_name):
            agreement = _in_force(agreements, record.meta["date"])
            if agreement is None:
                continue
            known = {_words(v) for _, v in values_at(agreement.meta, source) if isinstance(v, str)}
            for where, value in values_at(record.meta, pattern):
                if _words(value) not in known:
                    yield record.problem(
                        where,
                        f"is not a {what} in the agreement {agreement.id}; copy its words",
                        code="missing-reference",
                        severity="warning",
                    )


def _dated_after_their_session(records: list[Record]) -> Iterator[Problem]:
    """What a session led to comes after it (a reflection, what it reflects on); an issue is
    talked through after it came up."""
    sessions = {r.id: r.meta["date"] for r in records if r.type.name == "session"}
    for record in records:
        about = facts(record.type.name)
        if ("session", "session") in about.references:
            held = sessions.get(record.meta.get("session"))
            if held is not None and record.meta["date"] < held:
                verb = "reflects on" if record.type.name == "reflection" else "refers to"
                yield record.problem(
                    ("date",), f"is before the session it {verb} ({held})", code="date-order"
                )
        if record.type.name == "issue":
            for where, session_id in values_at(record.meta, "sessions.*"):
                held = sessions.get(session_id)
                if held is not None and held < record.meta["date"]:
                    yield record.problem(
                        where,
                        f"{session_id} is before the issue came up ({record.meta['date']})",
                        code="date-order",
                    )


def _missed_sessions_against_held(records: list[Record]) -> Iterator[Problem]:
    """A missed session was not also held; the session that replaced it is on the new date."""
    held = {r.meta["date"]: r.id for r in records if r.type.name == "session"}
    by_id = {r.id: r.meta["date"] for r in records if r.type.name == "session"}
    for record in (r for r in records if r.type.name == "missed_session"):
        meta = record.meta
        if meta["date"] in held and meta["kind"] != "rescheduled":
            yield record.problem(
                ("date",),
                f"a session was held that day ({held[meta['date']]})",
                code="status-mismatch",
                severity="warning",
            )
        replaced = by_id.get(meta.get("replaced_by"))
        if replaced is not None and meta.get("rescheduled_to") not in (None, replaced):
            yield record.problem(
                ("rescheduled_to",),
                f"{meta['replaced_by']} took its place on {replaced}, not {meta['rescheduled_to']}",
                code="status-mismatch",
                severity="warning",
            )


def _ending_accounts_for_everything(records: list[Record]) -> Iterator[Problem]:
    """At the end, the agreement says it ended, and every action and goal still open is
    closed or handed over to someone."""
    endings = [r for r in records if r.type.name == "review" and "ending" in r.meta]
    handed = {
        str(h.get("action") or h.get("goal"))
        for review in endings
        for h in review.meta["ending"].get("handover", [])
    }
    for review in endings:
        ending = review.meta["ending"]
        yield from _ended_in_agreement(review, records)
        for session in (r for r in records if r.type.name == "session"):
            if session.meta["date"] > ending["date"]:
                continue
            for action in session.meta.get("actions", []):
                ref = f"{session.id}/{action['id']}"
                if action["status"] in OPEN_ACTIONS:
                    listed = (
                        " (handed over here, so set its status to handed-over)"
                        if ref in handed
                        else ""
                    )
                    yield review.problem(
                        ("ending",),
                        f"{ref} is still {action['status']} at the end of the mentoring{listed}; "
                        "mark it done or dropped in its session, or hand it over",
                        code="status-mismatch",
                        severity="warning",
                    )
        for goal in (r for r in records if r.type.name == "goal"):
            if goal.meta["status"] in ACTIVE_GOALS and goal.id not in handed:
                yield review.problem(
                    ("ending",),
                    f"{goal.id} is still {goal.meta['status']} at the end of the mentoring; "
                    "give it its outcome, or hand it over in ending.handover",
                    code="status-mismatch",
                    severity="warning",
                )
    for session in (r for r in records if r.type.name == "session"):
        for index, action in enumerate(session.meta.get("actions", [])):
            if action["status"] == "handed-over" and f"{session.id}/{action['id']}" not in handed:
                yield session.problem(
                    ("actions", index, "status"),
                    "handed over, but no final review's ending.handover says to whom",
                    code="status-mismatch",
                    severity="warning",
                )


def _ended_in_agreement(review: Record, records: list[Record]) -> Iterator[Problem]:
    ended_on = review.meta["ending"]["date"]
    agreement = _in_force(_agreements(records), ended_on)
    if agreement is not None and agreement.meta.get("ended") != ended_on:
        said = agreement.meta.get("ended")
        now = f"says {said}" if said else "has no ended date"
        yield review.problem(
            ("ending", "date"),
            f"the mentoring ends on {ended_on}, but the agreement {agreement.id} {now}; "
            f"set ended: {ended_on} there (retention counts from it)",
            code="status-mismatch",
            severity="warning",
        )


JOURNAL_RULES: tuple[JournalRule, ...] = (
    _carried_from_earlier,
    _quotes_the_agreement,
    _dated_after_their_session,
    _missed_sessions_against_held,
    _ending_accounts_for_everything,
)

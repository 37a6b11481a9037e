"""Cross-record rules: what one file's schema cannot see on its own.

Ids are unique, references resolve, and dates that must be in order are. The
rules run only on records whose front matter passed its schema, so they can
trust the shape of the data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date as Date
from datetime import timedelta
from typing import Any

from mdmentor.records.facts import facts
from mdmentor.records.journal import Config, Person, words_of
from mdmentor.records.model import Problem, Record
from mdmentor.records.parsing import FieldPath

Rule = Callable[[Record], Iterator[Problem]]
#: A rule that looks at several records at once (valid records only).
JournalRule = Callable[[list[Record]], Iterator[Problem]]


def values_at(data: Any, pattern: str) -> Iterator[tuple[FieldPath, Any]]:
    """The values in ``data`` at a dotted ``pattern`` where ``*`` is any list item."""
    found: list[tuple[FieldPath, Any]] = [((), data)]
    for part in pattern.split("."):
        step: list[tuple[FieldPath, Any]] = []
        for where, value in found:
            if part == "*" and isinstance(value, list):
                step.extend(((*where, i), item) for i, item in enumerate(value))
            elif isinstance(value, dict) and part in value:
                step.append(((*where, part), value[part]))
        found = step
    yield from found


def check_rules(records: list[Record], config: Config) -> list[Problem]:
    """Every cross-record problem in ``records``."""
    problems = list(_duplicate_ids(records))
    known = _known_ids(records, config)
    sealed = {r.type.name for r in records if r.sealed}
    for record in records:
        problems.extend(_references(record, known, config, sealed))
    valid = [r for r in records if r.valid]
    for record in valid:
        problems.extend(_id_matches_date(record))
        for rule in _RULES.get(record.type.name, ()):
            problems.extend(rule(record))
    sessions = {r.id: r for r in valid if r.type.name == "session"}
    for record in valid:
        if record.type.name == "reflection" and record.meta.get("session") in sessions:
            session = sessions[record.meta["session"]]
            if record.meta["date"] < session.meta["date"]:
                problems.append(
                    record.problem(
                        ("date",),
                        f"is before the session it reflects on ({session.meta['date']})",
                        code="date-order",
                    )
                )
        if record.type.name == "session":
            problems.extend(_carried_from_earlier(record, sessions))
    for journal_rule in _JOURNAL_RULES:
        problems.extend(journal_rule(valid))
    return problems


def _duplicate_ids(records: list[Record]) -> Iterator[Problem]:
    first: dict[str, Record] = {}
    for record in records:
        if record.id is None:
            continue
        if record.id in first:
            other = first[record.id]
            yield record.problem(
                ("id",), f"id {record.id} is already used by {other.path.name}", code="duplicate-id"
            )
        else:
            first[record.id] = record


def _known_ids(records: list[Record], config: Config) -> dict[str, set[str]]:
    known: dict[str, set[str]] = {
        "person": {p.id for p in config.people},
        "competency": {c.id for c in config.competencies},
        "goal": {r.id for r in records if r.type.name == "goal" and r.id},
        "session": {r.id for r in records if r.type.name == "session" and r.id},
        "action": set(),
        "record": {r.id for r in records if r.id},
    }
    for record in records:
        if record.type.name == "session":
            known["action"].update(
                f"{record.id}/{action_id}"
                for _, action_id in values_at(record.meta, "actions.*.id")
            )
    return known


_KIND_WORDS = {
    "person": "no person '{}' in mdmentor.yaml",
    "competency": "no competency '{}' in the framework in mdmentor.yaml",
    "goal": "no goal {} in this journal",
    "session": "no session {} in this journal",
    "action": "no action {} in this journal",
    "record": "no record {} in this journal",
}


#: The record type that holds each kind of reference.
_HELD_IN = {"goal": "goal", "session": "session", "action": "session"}


def _references(
    record: Record, known: dict[str, set[str]], config: Config, sealed: set[str]
) -> Iterator[Problem]:
    about = facts(record.type.name)
    for pattern, kind in about.references:
        for where, value in values_at(record.meta, pattern):
            if not isinstance(value, str) or value in known[kind]:
                continue
            meant = _people_meant(value, config.people) if kind == "person" else []
            if meant:
                ids = " or ".join(f"'{person.id}'" for person in meant)
                message = f"'{value}' is not a person id; write {ids}"
                yield record.problem(where, message, code="person-name")
            elif _HELD_IN.get(kind) in sealed or (kind == "record" and sealed):
                # it may be in a record this user cannot read
                yield record.problem(
                    where,
                    _KIND_WORDS[kind].format(value) + " that you can read",
                    code="missing-reference",
                    severity="warning",
                )
            else:
                message = _KIND_WORDS[kind].format(value)
                if kind == "person":
                    message += f" (its people are {', '.join(p.id for p in config.people)})"
                yield record.problem(where, message, code="missing-reference")
    roles = dict(about.roles)
    of_kind = about.kind(record.meta.get(about.kind_field or ""))
    if of_kind is not None and of_kind.author_role and about.author:
        roles[about.author] = of_kind.author_role
    for key, role in roles.items():
        value = record.meta.get(key)
        person = config.person(value) if isinstance(value, str) else None
        if person is not None and person.role != role:
            yield record.problem(
                (key,), f"'{person.id}' is listed as {person.role}, not {role}", code="wrong-role"
            )


def _people_meant(value: str, people: tuple[Person, ...]) -> list[Person]:
    """The people ``value`` names by their name, part of it, email or id in other case."""
    words = set(words_of(value))
    if not words:
        return []
    folded = value.strip().casefold()
    return [
        person
        for person in people
        if folded in (person.id.casefold(), (person.email or "").casefold())
        or words <= set(words_of(person.name))
    ]


def _id_matches_date(record: Record) -> Iterator[Problem]:
    if not record.type.dated or record.id is None or record.date is None:
        return
    expected = f"{record.type.id_prefix}-{record.date}"
    if record.id != expected and not record.id.startswith(expected + "-"):
        yield record.problem(
            ("id",),
            f"id {record.id} does not match the record's date {record.date} (expected {expected})",
            code="id-mismatch",
        )


def _unique(record: Record, list_key: str, item_key: str, what: str) -> Iterator[Problem]:
    seen: set[Any] = set()
    for where, value in values_at(record.meta, f"{list_key}.*.{item_key}"):
        if value in seen:
            yield record.problem(where, f"{what} {value} appears twice", code="duplicate-entry")
        seen.add(value)


def _not_before(record: Record, pattern: str, floor: str | None, message: str) -> Iterator[Problem]:
    if floor is None:
        return
    for where, value in values_at(record.meta, pattern):
        if isinstance(value, str) and value < floor:
            yield record.problem(where, message.format(value=value, floor=floor), code="date-order")


def _not_after(
    record: Record, pattern: str, ceiling: str | None, message: str
) -> Iterator[Problem]:
    if ceiling is None:
        return
    for where, value in values_at(record.meta, pattern):
        if isinstance(value, str) and value > ceiling:
            yield record.problem(
                where, message.format(value=value, ceiling=ceiling), code="date-order"
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
    yield from _unique(record, "milestones", "id", "milestone")
    yield from _unique(record, "progress", "id", "progress entry")
    yield from _not_after(
        record,
        "milestones.*.due",
        target,
        "milestone due {value} is after the goal's target date {ceiling}",
    )
    for pattern in ("milestones.*.done", "achieved", "progress.*.date", "target_date"):
        yield from _not_before(
            record, pattern, created, "{value} is before the goal was created ({floor})"
        )


def _session_rules(record: Record) -> Iterator[Problem]:
    date = record.meta["date"]
    yield from _unique(record, "actions", "id", "action")
    for pattern in ("actions.*.done", "actions.*.due"):
        yield from _not_before(record, pattern, date, "{value} is before the session ({floor})")
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


def _carried_from_earlier(record: Record, sessions: dict[str | None, Record]) -> Iterator[Problem]:
    """Actions carried forward or reviewed come from earlier sessions, and say they were carried."""
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


def _agreement_rules(record: Record) -> Iterator[Problem]:
    meta = record.meta
    yield from _not_before(
        record, "planned_end", meta["start"], "planned end {value} is before the start {floor}"
    )
    yield from _not_before(record, "ended", meta["start"], "{value} is before the start {floor}")
    yield from _not_before(
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
    yield from _unique(record, "evaluations", "goal", "goal")
    period = meta.get("period")
    if period and period["to"] < period["from"]:
        yield record.problem(
            ("period", "to"),
            f"period ends ({period['to']}) before it starts ({period['from']})",
            code="date-order",
        )
    yield from _not_before(
        record,
        "support_plan.next_review",
        meta["date"],
        "next review {value} is before this review ({floor})",
    )


def _competency_rules(record: Record) -> Iterator[Problem]:
    scale = record.meta["scale"]
    yield from _unique(record, "ratings", "competency", "competency")
    for where, rating in values_at(record.meta, "ratings.*.rating"):
        if not scale["min"] <= rating <= scale["max"]:
            yield record.problem(
                where,
                f"rating {rating} is outside the scale {scale['min']}-{scale['max']}",
                code="out-of-range",
            )


# --- the kinds of record added for endings, information sharing and employment -----------


def _session_sign_off(record: Record) -> Iterator[Problem]:
    """Notes are agreed after the session they record."""
    yield from _unique(record, "agreed_by", "person", "person")
    yield from _not_before(
        record,
        "agreed_by.*.date",
        record.meta["date"],
        "notes agreed on {value}, before the session ({floor})",
    )


def _goal_replans(record: Record) -> Iterator[Problem]:
    """Each re-plan moves a date, and the latest one says what the date is now."""
    meta = record.meta
    yield from _unique(record, "replanned", "id", "re-plan")
    yield from _not_before(
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
        yield from _not_before(
            record, pattern, meta["date"], "{value} is before the record's date ({floor})"
        )
    consent = meta.get("consent", {}).get("date")
    yield from _not_before(
        record,
        "shared_with.*.date",
        consent,
        "shared on {value}, before consent was given ({floor})",
    )


def _referral_rules(record: Record) -> Iterator[Problem]:
    """Followed up after it was made, with consent given first."""
    yield from _not_before(
        record,
        "follow_up",
        record.meta["date"],
        "follow-up {value} is before the referral ({floor})",
    )
    yield from _not_after(
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
    yield from _not_after(
        record, "notice", meta["date"], "notice given on {value}, after the day ({ceiling})"
    )


def _issue_rules(record: Record) -> Iterator[Problem]:
    """Resolved and agreed after it came up."""
    for pattern in ("resolved", "agreed_by.*.date"):
        yield from _not_before(
            record, pattern, record.meta["date"], "{value} is before it came up ({floor})"
        )


def _employment_rules(record: Record) -> Iterator[Problem]:
    """Sustainment checks fall due whole weeks after the start, and are done when due."""
    meta = record.meta
    start = meta["date"]
    yield from _unique(record, "in_work_support", "id", "contact")
    yield from _unique(record, "sustainment", "week", "week")
    for pattern in ("in_work_support.*.date", "left.date"):
        yield from _not_before(
            record, pattern, start, "{value} is before the job started ({floor})"
        )
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


def _in_force(records: list[Record], on: str) -> Record | None:
    """The agreement in force on ``on``: the latest dated by then, else the first."""
    agreements = sorted(
        (r for r in records if r.type.name == "agreement"), key=lambda r: r.meta["date"]
    )
    earlier = [a for a in agreements if a.meta["date"] <= on]
    if earlier:
        return earlier[-1]
    return agreements[0] if agreements else None


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


def _quotes_the_agreement(records: list[Record]) -> Iterator[Problem]:
    """A limit of confidentiality, an expected outcome: each as the agreement in force says it."""
    checks = (
        ("information_sharing", "limit", "confidentiality.limits.*", "limit of confidentiality"),
        ("evaluation", "expected_outcomes.*.outcome", "expected_outcomes.*", "expected outcome"),
    )
    for type_name, pattern, source, what in checks:
        for record in (r for r in records if r.type.name == type_name):
            agreement = _in_force(records, record.meta["date"])
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
    """What a session led to comes after it; an issue is talked through after it came up.
    (A reflection has a rule of its own, with its own words.)"""
    sessions = {r.id: r.meta["date"] for r in records if r.type.name == "session"}
    for record in records:
        about = facts(record.type.name)
        if record.type.name != "reflection" and ("session", "session") in about.references:
            held = sessions.get(record.meta.get("session"))
            if held is not None and record.meta["date"] < held:
                yield record.problem(
                    ("date",), f"is before the session it refers to ({held})", code="date-order"
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


_STILL_OPEN = ("open", "in-progress")


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
                if action["status"] in _STILL_OPEN:
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
            if goal.meta["status"] in ("proposed", "active") and goal.id not in handed:
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
    agreement = _in_force(records, ended_on)
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


_JOURNAL_RULES: tuple[JournalRule, ...] = (
    _quotes_the_agreement,
    _dated_after_their_session,
    _missed_sessions_against_held,
    _ending_accounts_for_everything,
)


_RULES: dict[str, tuple[Rule, ...]] = {
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

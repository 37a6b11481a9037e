"""Cross-record rules: what one file's schema cannot see on its own.

Ids are unique, references resolve, and dates that must be in order are. The
rules run only on records whose front matter passed its schema, so they can
trust the shape of the data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from mdmentor.records.facts import facts
from mdmentor.records.journal import Config, Person, words_of
from mdmentor.records.model import Problem, Record
from mdmentor.records.parsing import FieldPath

Rule = Callable[[Record], Iterator[Problem]]


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
            elif _HELD_IN.get(kind) in sealed:  # it may be in a record this user cannot read
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


_RULES: dict[str, tuple[Rule, ...]] = {
    "goal": (_goal_rules,),
    "session": (_session_rules,),
    "agreement": (_agreement_rules,),
    "review": (_review_rules,),
    "competency_assessment": (_competency_rules,),
}

"""Ids are unique and match their dates; every reference names something that exists."""

from __future__ import annotations

from collections.abc import Iterator

from mdmentor.records.facts import facts
from mdmentor.records.journal import Config, Person, words_of
from mdmentor.records.model import Problem, Record
from mdmentor.records.rules.common import (
    values_at,
)


def duplicate_ids(records: list[Record]) -> Iterator[Problem]:
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


def known_ids(records: list[Record], config: Config) -> dict[str, set[str]]:
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


def references(
    record: Record,
    known: dict[str, set[str]],
    config: Config,
    sealed: set[str],
    broken: set[str] | frozenset[str] = frozenset(),
) -> Iterator[Problem]:
    about = facts(record.type.name)
    for pattern, kind in about.references:
        for where, value in values_at(record.meta, pattern):
            if not isinstance(value, str) or value in known[kind]:
                continue
            if _HELD_IN.get(kind) in broken or (kind == "record" and broken):
                continue  # it may be the record that could not be read, reported already
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


def id_matches_date(record: Record) -> Iterator[Problem]:
    if not record.type.dated or record.id is None or record.date is None:
        return
    expected = f"{record.type.id_prefix}-{record.date}"
    if record.id != expected and not record.id.startswith(expected + "-"):
        yield record.problem(
            ("id",),
            f"id {record.id} does not match the record's date {record.date} (expected {expected})",
            code="id-mismatch",
        )

"""Who may read which record, and how long records are kept: the policy, and accepting it.

The policy comes from the mentoring agreement, but the agreement is a file that anyone
who shares the journal can push. So:

- only a valid agreement agreed by every person it names (mentor, mentee, supervisor)
  proposes a policy; an invalid or half-agreed one never changes anything;
- a clone applies a policy only after its own user has accepted it (``mdmentor accept``);
  until then the policy accepted before stands, narrowed by the proposed one where that
  reads fewer people (fail closed); with none accepted, a record that not everyone may
  plainly read is written for its author alone;
- a mentor's reflective log and every ``visibility: private`` record are readable by
  their author only, whatever any agreement says; an entry of the log its author flags
  ``for_supervision`` is readable by the mentor's own supervisor too (the author's choice,
  made in the record itself);
- a kind of record whose schema says ``restricted`` (a safeguarding concern, information
  passed on) is its author's alone unless the accepted agreement's ``access`` lists it, and
  every agreement since does too: unlike other kinds, not being listed keeps it private.

A policy also holds each person's role as accepted, so a role changed or a person added
in ``mdmentor.yaml`` reads nothing more until accepted.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mdmentor.errors import UsageError
from mdmentor.privacy import local_state
from mdmentor.records.facts import agreed_by, facts
from mdmentor.records.journal import Config, Person
from mdmentor.records.model import RECORD_TYPES, Record
from mdmentor.wording import period


def restricted(kind: str) -> bool:
    """Whether records of ``kind`` are their author's alone unless an agreement lists them."""
    spec = RECORD_TYPES.get(kind)
    return spec is not None and spec.restricted


def access_kind(type_name: str, meta: dict[str, Any]) -> str:
    """The kind of record the agreement's ``access`` names: its type, or the name its
    schema gives its kind (a mentor's log is ``reflective_log``)."""
    about = facts(type_name)
    written = meta.get(about.kind_field) if about.kind_field else None
    kind = next((k for k in about.kinds if k.name == written), None)
    return kind.access if kind is not None and kind.access else type_name


@functools.cache
def author_only_kinds() -> frozenset[str]:
    """The access kinds that only their author ever reads, as the schemas say."""
    return frozenset(
        kind.access or name
        for name in RECORD_TYPES
        for kind in facts(name).kinds
        if kind.author_only
    )


@dataclass(frozen=True)
class Policy:
    """Who reads what and how long records are kept, as one agreement sets them."""

    agreement: str
    #: The agreement's date: agreements from then on may narrow what it allows.
    date: str
    #: Each person's role, by id, as mdmentor.yaml listed them when the policy was made.
    people: dict[str, str]
    #: Roles that may read each kind of record; a kind not listed is read by everyone.
    access: dict[str, list[str]] = field(default_factory=dict)
    retention: dict[str, Any] | None = None
    ended: str | None = None

    def to_json(self) -> dict[str, Any]:
        """A plain mapping, to remember it."""
        return {
            "agreement": self.agreement,
            "date": self.date,
            "people": dict(sorted(self.people.items())),
            "access": {k: sorted(v) for k, v in sorted(self.access.items())},
            "retention": self.retention,
            "ended": self.ended,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Policy:
        """The policy remembered as ``to_json`` wrote it."""
        return cls(
            agreement=str(data.get("agreement", "")),
            date=str(data.get("date", "")),
            people=dict(data.get("people", {})),
            access={k: list(v) for k, v in data.get("access", {}).items()},
            retention=data.get("retention"),
            ended=data.get("ended"),
        )

    @property
    def digest(self) -> str:
        """A short fingerprint of what the policy says (not of where it came from)."""
        text = json.dumps({**self.to_json(), "agreement": None, "date": None}, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]

    def reader_ids(self, kind: str) -> set[str]:
        """The ids of the people who may read a record of ``kind`` (besides its author)."""
        roles = self.access.get(kind)
        if roles is None and restricted(kind):
            return set()
        return {pid for pid, role in self.people.items() if roles is None or role in roles}


def proposed_policy(records: list[Record], config: Config) -> Policy | None:
    """The policy of the latest valid agreement that everyone it names has agreed to."""
    agreements = sorted(
        (r for r in records if r.type.name == "agreement" and r.valid and fully_agreed(r)),
        key=lambda r: (r.date or "", r.id or ""),
    )
    if not agreements:
        return None
    meta = agreements[-1].meta
    return Policy(
        agreement=str(meta["id"]),
        date=str(meta["date"]),
        people={p.id: p.role for p in config.people},
        access={k: list(v) for k, v in meta.get("access", {}).items()},
        retention=meta.get("retention"),
        ended=meta.get("ended"),
    )


def fully_agreed(record: Record) -> bool:
    """Whether every person a record names (by role) has agreed to it."""
    return bool(facts(record.type.name).parties(record.meta)) and not not_agreed_by(record)


def not_agreed_by(record: Record) -> list[str]:
    """The people a record names (by role) who have not agreed to it."""
    agreed = agreed_by(record.meta)
    return [pid for pid in facts(record.type.name).parties(record.meta) if pid not in agreed]


def why_nothing_proposed(records: list[Record]) -> str:
    """Why no agreement proposes a policy, in words."""
    agreements = sorted(
        (r for r in records if r.type.name == "agreement" and not r.sealed),
        key=lambda r: (r.date or "", r.id or ""),
    )
    if not agreements:
        return "the journal has no agreement yet, so nothing restricts who reads what"
    latest = agreements[-1]
    name = latest.id or latest.path.name
    if not latest.valid:
        return (
            f"the agreement {name} has errors ('mdmentor check' lists them), so it counts "
            "for nothing"
        )
    missing = not_agreed_by(latest)
    return f"the agreement {name} is not yet agreed by {', '.join(missing) or 'anyone'}"


@dataclass
class Access:
    """The policy this clone applies: the one accepted, the one proposed, and the limits
    every agreement since the accepted one sets, which only ever narrow it."""

    config: Config
    accepted: Policy | None
    proposed: Policy | None
    #: The ``access`` map of every agreement dated on or after the accepted one (of every
    #: agreement, where none was accepted), agreed or not, valid or not: fail closed.
    limits: list[dict[str, Any]] = field(default_factory=list)

    @property
    def pending(self) -> bool:
        """Whether a proposed policy differs from the accepted one (or none was accepted)."""
        if self.proposed is None:
            return False
        return self.accepted is None or self.proposed.digest != self.accepted.digest

    def readers(
        self, type_name: str, meta: dict[str, Any], *, writer: Person | None = None
    ) -> list[Person]:
        """The people who may read a record of ``type_name`` with front matter ``meta``.

        ``writer`` is the person writing it, who is its author where the record names none.
        """
        kind = access_kind(type_name, meta)
        if (
            kind in author_only_kinds()
            or meta.get("visibility") == "private"
            or (restricted(kind) and not self._listed(kind))
        ):
            readers = self._author(type_name, meta, writer)
            if kind == "reflective_log" and meta.get("for_supervision") is True:
                readers += self._mentor_supervisors()  # the author's own choice, in the record
            return readers
        everyone = {p.id for p in self.config.people}
        if self.accepted is None:
            if self._limited(kind, everyone) >= everyone:
                return list(self.config.people)  # no agreement keeps it from anyone
            return self._author(type_name, meta, writer)
        allowed = {  # a person added, or a role changed, since acceptance reads nothing more
            pid
            for pid in self.accepted.reader_ids(kind)
            if (person := self.config.person(pid)) and person.role == self.accepted.people[pid]
        }
        return [p for p in self.config.people if p.id in self._limited(kind, allowed)]

    def _listed(self, kind: str) -> bool:
        """Whether the accepted agreement, and every one since, lists ``kind`` in ``access``."""
        if self.accepted is None or kind not in self.accepted.access:
            return False
        return all(isinstance(access.get(kind), list) for access in self.limits)

    def _limited(self, kind: str, ids: set[str]) -> set[str]:
        """``ids`` less anyone an agreement in ``limits`` keeps from records of ``kind``."""
        for access in self.limits:
            roles = access.get(kind)
            if isinstance(roles, list):
                ids = {pid for pid in ids if (p := self.config.person(pid)) and p.role in roles}
        return ids

    def _mentor_supervisors(self) -> list[Person]:
        """The mentor's own supervisors, as accepted here (a role claimed since reads nothing)."""
        if self.accepted is None:
            return []
        return [
            p
            for p in self.config.people
            if p.role == "mentor_supervisor" and self.accepted.people.get(p.id) == p.role
        ]

    def _author(self, type_name: str, meta: dict[str, Any], writer: Person | None) -> list[Person]:
        named = meta.get(facts(type_name).author or "")
        author = self.config.person(named) if isinstance(named, str) else None
        found = author or writer or self.config.by_role("mentor")
        return [found] if found is not None else []

    def must_encrypt(self, allowed: list[Person]) -> bool:
        """Whether a record read by ``allowed`` must be encrypted: someone else has the files."""
        return {p.id for p in allowed} != {p.id for p in self.config.people}


def load_access(root: Path, config: Config, records: list[Record]) -> Access:
    """The policy this clone applies to the journal at ``root``."""
    state = local_state.load(root)
    accepted = Policy.from_json(state.policy) if state.policy else None
    since = accepted.date if accepted else ""
    limits = [
        r.meta["access"]
        for r in records
        if r.type.name == "agreement"
        and isinstance(r.meta.get("access"), dict)
        and str(r.meta.get("date", "9999")) >= since
    ]
    return Access(config, accepted, proposed_policy(records, config), limits)


def accept(root: Path, policy: Policy) -> None:
    """Remember ``policy`` as accepted by this clone's user."""
    state = local_state.load(root)
    state.policy = policy.to_json()
    local_state.save(state)


def differences(before: Policy | None, after: Policy) -> list[str]:
    """What accepting ``after`` changes, one line each, in words. With nothing accepted
    before, there is nothing to compare: the lines say what the terms are."""
    if before is None:
        lines = [
            f"the agreement {after.agreement} sets who reads what and how long records are kept"
        ]
        lines += [
            f"who reads {kind}: {_readers_text(after, kind)}"
            for kind in sorted(set(after.access) | set(RECORD_TYPES))
            if kind not in author_only_kinds()
        ]
        lines.append(f"retention: {_terms(after.retention)}")
        if after.ended:
            lines.append(f"relationship ended: {after.ended}")
        return lines
    lines = []
    if before.agreement != after.agreement:
        lines.append(f"agreement: {before.agreement} -> {after.agreement}")
    for pid in sorted(set(before.people) | set(after.people)):
        old, new = before.people.get(pid), after.people.get(pid)
        if old != new:
            lines.append(f"person {pid}: {old or '(not listed)'} -> {new or '(removed)'}")
    for kind in sorted(set(before.access) | set(after.access) | set(RECORD_TYPES)):
        if kind in author_only_kinds():
            continue  # read by its author only, whatever the agreement says
        old, new = _readers_text(before, kind), _readers_text(after, kind)
        if old != new:
            wider = " (wider)" if after.reader_ids(kind) - before.reader_ids(kind) else ""
            lines.append(f"who reads {kind}: {old} -> {new}{wider}")
    if before.retention != after.retention:
        lines.append(f"retention: {_terms(before.retention)} -> {_terms(after.retention)}")
    if before.ended != after.ended:
        lines.append(
            f"relationship ended: {before.ended or 'not yet'} -> {after.ended or 'not yet'}"
        )
    return lines


def _readers_text(policy: Policy, kind: str) -> str:
    """Who reads ``kind`` under ``policy``, in words."""
    if restricted(kind) and kind not in policy.access:
        return "its author only"
    return _names(policy.reader_ids(kind))


def _names(ids: set[str]) -> str:
    return ", ".join(sorted(ids)) or "nobody"


def _terms(retention: dict[str, Any] | None) -> str:
    if not retention:
        return "none"
    parts = [f"{_period(retention.get('keep_for', {}))}"]
    for kind, rule in sorted(retention.get("by_record", {}).items()):
        parts.append(f"{kind} {_period(rule)}")
    return "; ".join(parts)


def _period(rule: dict[str, Any]) -> str:
    length = period(rule.get("years", 0), rule.get("months", 0))
    return f"{length} from the {'record date' if rule.get('from') == 'record-date' else 'end'}"


def require_accepted(access: Access) -> Policy:
    """The accepted policy, or an error saying how to accept one."""
    if access.accepted is None:
        raise UsageError(
            "no policy has been accepted on this machine yet: run 'mdmentor accept' to read "
            "and accept the agreement's terms"
        )
    return access.accepted

"""``list`` and ``show``: finding records and summing each up in a line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mdmentor.errors import RecordNotFound
from mdmentor.records.facts import facts
from mdmentor.records.model import OPEN_ACTIONS, Record
from mdmentor.records.rules import values_at
from mdmentor.wording import plural


@dataclass(frozen=True)
class Filters:
    """What ``list`` narrows records down by; ``None`` means any."""

    type: str | None = None
    status: str | None = None
    since: str | None = None
    until: str | None = None
    person: str | None = None
    goal: str | None = None


def status_of(record: Record) -> str:
    """A record's status in one word: a goal's status, a session's open actions, a kind."""
    meta = record.meta
    name = record.type.name
    if name == "goal":
        return str(meta.get("status", ""))
    if name == "session":
        actions = meta.get("actions") or []
        open_count = sum(
            1 for a in actions if isinstance(a, dict) and a.get("status") in OPEN_ACTIONS
        )
        return f"{open_count} open" if open_count else "no open actions"
    if name == "agreement":
        return "ended" if meta.get("ended") else "active"
    for key in ("kind", "point"):
        if isinstance(meta.get(key), str):
            return str(meta[key])
    return ""


def title_of(record: Record) -> str:
    """A short description of a record, for one line of a listing."""
    meta = record.meta
    name = record.type.name
    if record.sealed:
        return "(encrypted: not to your key)"
    if name == "goal":
        return str(meta.get("title", ""))
    if name == "session":
        topics = meta.get("topics") or []
        head = f"{meta.get('mode', '')}, {meta.get('duration_minutes', '?')} min"
        return f"{head}: {'; '.join(str(t) for t in topics)}" if topics else head
    if name == "reflection":
        about = f" on {meta['session']}" if meta.get("session") else ""
        return f"{meta.get('kind', 'reflection')} by {meta.get('author', '?')}{about}"
    if name == "review":
        goals = [str(e.get("goal")) for e in meta.get("evaluations") or [] if isinstance(e, dict)]
        return f"{meta.get('kind', '')} review of {', '.join(goals)}"
    if name == "feedback":
        kind = str(meta.get("kind", ""))
        if kind == "mentee-feedback":
            return f"feedback from {meta.get('from', 'the mentee')} on the mentoring"
        return f"{kind} feedback about {meta.get('about', '?')}".strip()
    return record.type.label


def _mentions(record: Record, kind: str, value: str) -> bool:
    for pattern, ref_kind in facts(record.type.name).references:
        if ref_kind == kind and any(v == value for _, v in values_at(record.meta, pattern)):
            return True
    return False


def matches(record: Record, filters: Filters) -> bool:
    """Whether ``record`` passes every filter."""
    if filters.type and record.type.name != filters.type:
        return False
    if filters.status and status_of(record) != filters.status:
        return False
    when = record.date or ""
    if filters.since and when < filters.since:
        return False
    if filters.until and when > filters.until:
        return False
    if filters.person and not _mentions(record, "person", filters.person):
        return False
    return not (
        filters.goal and record.id != filters.goal and not _mentions(record, "goal", filters.goal)
    )


def select(records: list[Record], filters: Filters) -> list[Record]:
    """The records that pass ``filters``, oldest first."""
    chosen = [r for r in records if matches(r, filters)]
    return sorted(chosen, key=lambda r: (r.date or "", r.type.name, r.id or ""))


def row(record: Record, relative_path: str) -> dict[str, Any]:
    """One line of a listing, as plain data."""
    return {
        "id": record.id,
        "type": record.type.name,
        "date": record.date,
        "status": status_of(record),
        "title": title_of(record),
        "path": relative_path,
    }


def find(records: list[Record], record_id: str, *, unreadable: int = 0) -> Record:
    """The record with ``record_id``; ids are matched without regard to case. Where
    ``unreadable`` files could not be read, the error says it may be one of them."""
    wanted = record_id.strip().upper()
    for record in records:
        if record.id is not None and record.id.upper() == wanted:
            return record
    if unreadable:
        raise RecordNotFound(
            f"no record with id {record_id} that can be read; {plural(unreadable, 'file')} "
            "could not be read, and it may be one of them: run 'mdmentor check' to see why"
        )
    raise RecordNotFound(f"no record with id {record_id}")

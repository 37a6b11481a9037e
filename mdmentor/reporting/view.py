"""A read-only view of a journal's valid records, shaped for reports and the status view.

Reports only read records that passed their schema, so everything here can
trust the shape of the front matter. Records with errors are counted, not used.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import timedelta
from typing import Any

from mdmentor.records.journal import Config
from mdmentor.records.model import Record

#: Days between meetings for each agreed frequency ("monthly" is taken as 30 days).
FREQUENCY_DAYS = {
    "weekly": 7,
    "fortnightly": 14,
    "three-weekly": 21,
    "monthly": 30,
    "six-weekly": 42,
    "quarterly": 91,
}

OPEN_STATUSES = ("open", "in-progress")


def day(text: str) -> Date:
    """A YYYY-MM-DD string (already checked by the schema) as a date."""
    return Date.fromisoformat(text)


def days_between(first: str, second: str) -> int:
    """Whole days from ``first`` to ``second``."""
    return (day(second) - day(first)).days


def shift(text: str, days: int) -> str:
    """The date ``days`` after ``text``, as YYYY-MM-DD."""
    return (day(text) + timedelta(days=days)).isoformat()


@dataclass(frozen=True)
class ActionItem:
    """An action agreed in a session."""

    session_id: str
    session_date: str
    id: str
    text: str
    owner: str
    status: str
    due: str | None = None
    done: str | None = None
    carried_from: str | None = None
    goal: str | None = None

    @property
    def ref(self) -> str:
        """The action's journal-wide reference, e.g. ``S-2026-03-09/A1``."""
        return f"{self.session_id}/{self.id}"

    @property
    def is_open(self) -> bool:
        """Still to do (open or in progress)."""
        return self.status in OPEN_STATUSES

    def overdue_on(self, today: str) -> bool:
        """Open and past its due date on ``today``."""
        return self.is_open and self.due is not None and self.due < today


@dataclass(frozen=True)
class MilestoneItem:
    """A milestone of a goal."""

    goal_id: str
    goal_title: str
    id: str
    text: str
    due: str
    done: str | None = None

    def overdue_on(self, today: str) -> bool:
        """Not done and past its due date on ``today``."""
        return self.done is None and self.due < today


@dataclass
class JournalView:
    """The valid records of a journal, sorted by date, by type."""

    config: Config
    records: list[Record]
    skipped: int = 0
    #: Encrypted records this user holds no key for.
    sealed: int = 0
    by_type: dict[str, list[Record]] = field(default_factory=dict)

    @classmethod
    def build(cls, config: Config, records: list[Record], *, unreadable: int = 0) -> JournalView:
        """Keep the valid records; count the rest as skipped."""
        valid = [r for r in records if r.valid]
        sealed = sum(1 for r in records if r.sealed)
        view = cls(
            config=config,
            records=valid,
            sealed=sealed,
            skipped=len(records) - len(valid) - sealed + unreadable,
        )
        for record in sorted(valid, key=lambda r: (r.date or "", r.id or "")):
            view.by_type.setdefault(record.type.name, []).append(record)
        return view

    def of(self, type_name: str) -> list[Record]:
        """Records of one type, oldest first."""
        return self.by_type.get(type_name, [])

    def find(self, record_id: str) -> Record | None:
        """The record with ``record_id``, if valid and present."""
        return next((r for r in self.records if r.id == record_id), None)

    @property
    def agreement(self) -> Record | None:
        """The latest agreement."""
        agreements = self.of("agreement")
        return agreements[-1] if agreements else None

    @property
    def frequency_days(self) -> int | None:
        """Days between meetings: the latest support plan's frequency, else the agreement's."""
        reviews = [r for r in self.of("review") if "support_plan" in r.meta]
        if reviews:
            return FREQUENCY_DAYS[reviews[-1].meta["support_plan"]["meeting_frequency"]]
        if self.agreement is not None:
            return FREQUENCY_DAYS[self.agreement.meta["meeting_frequency"]]
        return None

    def goal_title(self, goal_id: str) -> str:
        """A goal's title, or its id where the goal is missing."""
        goal = self.find(goal_id)
        return str(goal.meta["title"]) if goal is not None else goal_id

    def person_name(self, person_id: str) -> str:
        """A person's name from mdmentor.yaml, or the id if unknown."""
        person = self.config.person(person_id)
        return person.name if person is not None else person_id

    def actions(self) -> list[ActionItem]:
        """Every action of every session, in session order."""
        items = []
        for session in self.of("session"):
            for action in session.meta.get("actions", []):
                items.append(
                    ActionItem(
                        session_id=session.id or "",
                        session_date=session.meta["date"],
                        id=action["id"],
                        text=action["text"],
                        owner=action["owner"],
                        status=action["status"],
                        due=action.get("due"),
                        done=action.get("done"),
                        carried_from=action.get("carried_from"),
                        goal=action.get("goal"),
                    )
                )
        return items

    def milestones(self) -> list[MilestoneItem]:
        """Every milestone of every goal, by due date."""
        return list(self._milestones)

    def milestones_of(self, goal_id: str) -> list[MilestoneItem]:
        """The milestones of one goal, by due date."""
        return list(self._milestones_by_goal.get(goal_id, []))

    def sessions_on(self, goal_id: str) -> list[Record]:
        """Sessions that discussed ``goal_id``, oldest first."""
        return list(self._sessions_by_goal.get(goal_id, []))

    @functools.cached_property
    def _sessions_by_goal(self) -> dict[str, list[Record]]:
        found: dict[str, list[Record]] = {}
        for session in self.of("session"):
            for goal_id in session.meta.get("goals", []):
                found.setdefault(goal_id, []).append(session)
        return found

    @functools.cached_property
    def _milestones_by_goal(self) -> dict[str, list[MilestoneItem]]:
        found: dict[str, list[MilestoneItem]] = {}
        for milestone in self._milestones:
            found.setdefault(milestone.goal_id, []).append(milestone)
        return found

    @functools.cached_property
    def _milestones(self) -> list[MilestoneItem]:
        items = [
            MilestoneItem(
                goal_id=goal.id or "",
                goal_title=goal.meta["title"],
                id=m["id"],
                text=m["text"],
                due=m["due"],
                done=m.get("done"),
            )
            for goal in self.of("goal")
            for m in goal.meta.get("milestones", [])
        ]
        return sorted(items, key=lambda m: (m.due, m.goal_id, m.id))

    def sessions_between(self, start: str, end: str) -> list[Record]:
        """Sessions dated from ``start`` to ``end`` inclusive."""
        return [s for s in self.of("session") if start <= s.meta["date"] <= end]

    def dated_between(self, type_name: str, start: str, end: str) -> list[Record]:
        """Records of ``type_name`` dated from ``start`` to ``end`` inclusive."""
        return [r for r in self.of(type_name) if start <= (r.date or "") <= end]


def meta(record: Record | None, key: str, default: Any = None) -> Any:
    """A front-matter value of a record that may be missing."""
    if record is None:
        return default
    return record.meta.get(key, default)

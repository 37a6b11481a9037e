"""A read-only view of a journal's valid records, shaped for reports and the status view.

Reports only read records that passed their schema, so everything here can
trust the shape of the front matter. Records with errors are counted, not used.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import timedelta
from typing import Any, NamedTuple

from mdmentor.records.journal import Config, Person
from mdmentor.records.model import OPEN_ACTIONS, Record

#: Days between meetings for each agreed frequency ("monthly" is taken as 30 days).
FREQUENCY_DAYS = {
    "weekly": 7,
    "fortnightly": 14,
    "three-weekly": 21,
    "monthly": 30,
    "six-weekly": 42,
    "quarterly": 91,
}


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
class ActionReview:
    """What a later session said about an action agreed earlier."""

    session_id: str
    date: str
    note: str | None = None
    #: The status that session gave it, where it gave one.
    status: str | None = None


@dataclass(frozen=True)
class ActionItem:
    """An action agreed in a session, with its status as the journal reads on one day.

    ``status`` is the action's latest state across the session that agreed it and every
    later session that reviewed it or carried it forward: an action carried into a later
    one is ``carried`` (its work goes on there), one a later session closed is closed.
    """

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
    #: The status written in the session that agreed it.
    agreed_status: str = "open"
    #: The later session that last changed its status (None: it stands as agreed).
    settled_in: str | None = None
    #: The later action that carries it forward.
    carried_to: str | None = None
    #: The status, and done date, at the end of its chain of carried actions.
    outcome: str = "open"
    outcome_done: str | None = None
    #: What later sessions said about it, oldest first.
    reviews: tuple[ActionReview, ...] = ()

    @property
    def ref(self) -> str:
        """The action's journal-wide reference, e.g. ``S-2026-03-09/A1``."""
        return f"{self.session_id}/{self.id}"

    @property
    def is_open(self) -> bool:
        """Still to do (open or in progress)."""
        return self.status in OPEN_ACTIONS

    def overdue_on(self, today: str) -> bool:
        """Open and past its due date on ``today``."""
        return self.is_open and self.due is not None and self.due < today

    def to_dict(self) -> dict[str, Any]:
        """Its fields as plain data (quicker than ``asdict`` for the thousands a report has)."""
        return {**vars(self), "reviews": [dict(vars(r)) for r in self.reviews]}


@dataclass(frozen=True)
class MilestoneItem:
    """A milestone of a goal."""

    goal_id: str
    goal_title: str
    id: str
    text: str
    due: str
    done: str | None = None

    def done_by(self, day: str) -> str | None:
        """When it was done, if it was by ``day``."""
        return self.done if self.done is not None and self.done <= day else None

    def overdue_on(self, today: str) -> bool:
        """Not done by ``today`` and past its due date."""
        return self.done_by(today) is None and self.due < today


@dataclass
class JournalView:
    """The valid records of a journal, sorted by date, by type.

    A view may be restricted to the records that everyone a report is for may read
    (``restricted``): then ``audience`` says who they are and ``withheld`` which valid
    records it keeps from them.
    """

    config: Config
    records: list[Record]
    skipped: int = 0
    #: Encrypted records this user holds no key for.
    sealed: int = 0
    by_type: dict[str, list[Record]] = field(default_factory=dict)
    #: Every record read, valid or not: the privacy policy reads every agreement.
    loaded: list[Record] = field(default_factory=list)
    #: The people a restricted view is for (None: not restricted).
    audience: tuple[Person, ...] | None = None
    #: The valid records kept from them.
    withheld: list[Record] = field(default_factory=list)
    _actions: dict[str, list[ActionItem]] = field(default_factory=dict, repr=False)

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
            loaded=records,
        )
        for record in sorted(valid, key=lambda r: (r.date or "", r.id or "")):
            view.by_type.setdefault(record.type.name, []).append(record)
        return view

    def restricted(
        self, keep: Callable[[Record], bool], audience: tuple[Person, ...]
    ) -> JournalView:
        """The same view holding only the records ``keep`` allows, for ``audience``."""
        kept = {id(r) for r in self.records if keep(r)}
        return JournalView(
            config=self.config,
            records=[r for r in self.records if id(r) in kept],
            skipped=self.skipped,
            sealed=self.sealed,
            by_type={
                name: [r for r in records if id(r) in kept]
                for name, records in self.by_type.items()
            },
            loaded=self.loaded,
            audience=audience,
            withheld=[r for r in self.records if id(r) not in kept],
        )

    def until(self, day: str) -> JournalView:
        """The journal as it stood on ``day``: no record dated after it, and a goal as it was
        then (not yet achieved, no progress entry from later). Reading a journal as of a day
        must not let a later record answer for it."""
        then: dict[int, Record] = {}  # each record kept, as it stood on the day
        for record in self.records:
            if (record.date or "") <= day:
                then[id(record)] = _goal_on(record, day) if record.type.name == "goal" else record
        return JournalView(
            config=self.config,
            records=[then[id(r)] for r in self.records if id(r) in then],
            skipped=self.skipped,
            sealed=self.sealed,
            by_type={
                name: [then[id(r)] for r in records if id(r) in then]
                for name, records in self.by_type.items()
            },
            loaded=self.loaded,
            audience=self.audience,
            withheld=self.withheld,
        )

    def of(self, type_name: str) -> list[Record]:
        """Records of one type, oldest first."""
        return self.by_type.get(type_name, [])

    def find(self, record_id: str) -> Record | None:
        """The record with ``record_id``, if valid and present."""
        return self._by_id.get(record_id)

    @functools.cached_property
    def _by_id(self) -> dict[str, Record]:
        found: dict[str, Record] = {}
        for record in self.records:
            if record.id is not None:
                found.setdefault(record.id, record)  # a duplicate id is check's to report
        return found

    @property
    def agreement(self) -> Record | None:
        """The latest agreement."""
        agreements = self.of("agreement")
        return agreements[-1] if agreements else None

    @property
    def ended(self) -> str | None:
        """When the relationship ended, if the agreement says it has."""
        value = meta(self.agreement, "ended")
        return value if isinstance(value, str) else None

    @functools.cached_property
    def ending(self) -> dict[str, Any] | None:
        """How the relationship ended: when (the agreement's ``ended``), and, as the final
        review records it (its ``ending``), whether as planned or early, why, who the mentee
        can turn to after, and what was handed over; None while it goes on."""
        if self.ended is None:
            return None
        finals = [r for r in self.of("review") if isinstance(r.meta.get("ending"), dict)]
        details = finals[-1].meta["ending"] if finals else meta(self.agreement, "ending")
        details = details if isinstance(details, dict) else {}
        return {
            "date": self.ended,
            "kind": details.get("kind"),
            "reason": details.get("reason"),
            "support_after": details.get("support_after", []),
            "handover": details.get("handover", []),
            "planned_end": meta(self.agreement, "planned_end"),
            "planned_sessions": meta(self.agreement, "planned_sessions"),
        }

    @functools.cached_property
    def handed_over(self) -> dict[str, str]:
        """The goals the ending handed over, with to whom: they go on after the mentoring,
        so nothing in them counts as 'not reached'."""
        ending = self.ending or {}
        return {
            str(h["goal"]): str(h.get("to", ""))
            for h in ending.get("handover", [])
            if isinstance(h, dict) and "goal" in h
        }

    def ended_by(self, day: str) -> bool:
        """Whether the relationship had ended by ``day``."""
        return self.ended is not None and self.ended <= day

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
        """A person's name from mdmentor.yaml, given their id or their role (as a handover's
        ``to`` may be); else the words given, unchanged."""
        person = self.config.person(person_id) or self.config.by_role(person_id)
        return person.name if person is not None else person_id

    def actions(self, as_of: str | None = None) -> list[ActionItem]:
        """Every action agreed in a session up to ``as_of`` (default: every session), in
        session order, each with its status as the journal reads on that day."""
        day = as_of or LAST_DAY
        if day not in self._actions:
            self._actions[day] = _actions_on(self.of("session"), day)
        return self._actions[day]

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


def last_progress(goal: Record) -> str | None:
    """The date of a goal's latest progress entry, if it has one."""
    return max((str(p["date"]) for p in goal.meta.get("progress", [])), default=None)


def last_activity(goal: Record) -> str:
    """When a goal last moved: its latest progress entry, else when it was created."""
    return max(str(goal.meta["created"]), last_progress(goal) or "")


LAST_DAY = "9999-12-31"


class _State(NamedTuple):
    """One state an action was given, and when: the latest one counts."""

    date: str
    #: Orders states given the same day: as agreed, then a review, then a carry.
    rank: int
    status: str
    done: str | None = None
    settled_in: str | None = None
    carried_to: str | None = None


def _actions_on(sessions: list[Record], day: str) -> list[ActionItem]:
    """The actions of ``sessions`` dated up to ``day``, each in its latest state on ``day``."""
    sessions = [s for s in sessions if s.meta["date"] <= day]
    agreed: dict[str, tuple[Record, dict[str, Any]]] = {}
    for session in sessions:
        for action in session.meta.get("actions", []):
            agreed.setdefault(f"{session.id}/{action['id']}", (session, action))
    latest = {ref: _as_agreed(session, action, day) for ref, (session, action) in agreed.items()}
    reviews: dict[str, list[ActionReview]] = {}

    def settle(ref: str, state: _State) -> None:
        source = agreed.get(ref)
        if source is None or source[0].id == state.settled_in:
            return  # not an action of an earlier session: check reports it
        if state.date >= source[0].meta["date"] and state[:2] >= latest[ref][:2]:
            latest[ref] = state

    for session in sessions:
        when = session.meta["date"]
        for entry in session.meta.get("actions_reviewed", []):
            status = entry.get("status")
            reviews.setdefault(entry["action"], []).append(
                ActionReview(session.id or "", when, entry.get("note"), status)
            )
            if status in ("open", "in-progress", "done", "dropped"):
                done = (entry.get("done") or when) if status == "done" else None
                settle(entry["action"], _State(when, 1, status, done, session.id))
        for action in session.meta.get("actions", []):
            if action.get("carried_from"):
                successor = f"{session.id}/{action['id']}"
                settle(
                    action["carried_from"],
                    _State(when, 2, "carried", None, session.id, carried_to=successor),
                )
    items = []
    for ref, (session, action) in agreed.items():
        state = latest[ref]
        outcome = _outcome(ref, latest)
        items.append(
            ActionItem(
                session_id=session.id or "",
                session_date=session.meta["date"],
                id=action["id"],
                text=action["text"],
                owner=action["owner"],
                status=state.status,
                due=action.get("due"),
                done=state.done,
                carried_from=action.get("carried_from"),
                goal=action.get("goal"),
                agreed_status=action["status"],
                settled_in=state.settled_in,
                carried_to=state.carried_to,
                outcome=outcome.status,
                outcome_done=outcome.done,
                reviews=tuple(reviews.get(ref, ())),
            )
        )
    return items


def _as_agreed(session: Record, action: dict[str, Any], day: str) -> _State:
    """An action's state as its own session wrote it, read on ``day``: done on a later
    day is not done yet, and carried with no later action carrying it is still to do."""
    status, done = action["status"], action.get("done")
    if status == "done" and done is not None and done <= day:
        return _State(done, 0, status, done)
    if status in ("done", "carried"):
        status = "open"
    return _State(session.meta["date"], 0, status)


def _outcome(ref: str, latest: dict[str, _State]) -> _State:
    """Where a chain of carried actions ends: the state of its last action (a chain that
    comes back on itself is still to do)."""
    seen = {ref}
    state = latest[ref]
    while state.carried_to in latest and state.carried_to not in seen:
        seen.add(state.carried_to)
        state = latest[state.carried_to]
    return state if state.status != "carried" else state._replace(status="open")


def meta(record: Record | None, key: str, default: Any = None) -> Any:
    """A front-matter value of a record that may be missing."""
    if record is None:
        return default
    return record.meta.get(key, default)


def _goal_on(goal: Record, day: str) -> Record:
    """A goal as it stood on ``day``: achieved later means not yet achieved then."""
    meta = goal.meta
    achieved = meta.get("achieved")
    later = [p for p in meta.get("progress", []) if str(p.get("date", "")) > day]
    if not later and not (isinstance(achieved, str) and achieved > day):
        return goal
    then = dict(meta)
    then["progress"] = [p for p in meta.get("progress", []) if p not in later]
    if isinstance(achieved, str) and achieved > day:
        del then["achieved"]
        then["status"] = "active"
    return dataclasses.replace(goal, meta=then)

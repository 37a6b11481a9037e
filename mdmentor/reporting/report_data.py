"""What each report says, computed into plain structures; the templates only lay it out.

Every builder reads a view already restricted to what the report's readers may read
(``audience``), and reads the journal as on one day, ``Period.as_of``: an action, a
milestone or an assessment dated later does not count yet. Once the relationship has
ended, reports summarise: nothing is overdue or missing, and what was still open is left
open at the end.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from mdmentor.records.model import ACTIVE_GOALS, Record
from mdmentor.reporting import relationship as around
from mdmentor.reporting.themes import top_words
from mdmentor.reporting.view import (
    ActionItem,
    JournalView,
    MilestoneItem,
    days_between,
    last_progress,
    meta,
    shift,
)

#: The parts of a needs assessment a report shows (its circumstances stay in the record).
NEEDS_FIELDS = ("strengths", "needs", "barriers", "learning_preferences", "adjustments")
#: The needs assessment's other parts, each as written (text, a list or a mapping).
NEEDS_DETAILS = ("circumstances", "my_plan", "assessment_tools", "job_match", "adapted_approach")
#: What a report says the agreement promised.
AGREEMENT_FIELDS = (
    "start",
    "planned_end",
    "planned_sessions",
    "meeting_frequency",
    "communication",
    "expected_outcomes",
    "boundaries",
    "review_dates",
    "policies",
    "confidentiality",
    "portfolio_use",
)
#: How many items of free text a report quotes where it quotes the latest.
LATEST = 6


@dataclass(frozen=True)
class Period:
    """The dates a report covers, inclusive, and the day it is read on."""

    start: str
    end: str
    today: str

    @property
    def as_of(self) -> str:
        """The day the report reads the journal as on: the period's end, or today if sooner."""
        return min(self.end, self.today)


def common(view: JournalView, kind: str, period: Period | None) -> dict[str, Any]:
    """What every report states: its kind, the journal, the period, and what it left out."""
    return {
        "kind": kind,
        "title": view.config.title,
        "period": None if period is None else {**asdict(period), "as_of": period.as_of},
        "skipped": view.skipped,
        "sealed": view.sealed,
    }


def default_period(view: JournalView, *, start: str | None, end: str | None, today: str) -> Period:
    """From the agreement's start (else the first record) to today, or to the end of the
    relationship once it has ended, unless given."""
    if start is None:
        first = [r.date for r in view.records if r.date]
        start = meta(view.agreement, "start") or (min(first) if first else today)
    if end is None:
        end = view.ended if view.ended is not None and view.ended_by(today) else today
    return Period(start=start, end=end, today=today)


def ending(view: JournalView, period: Period) -> dict[str, Any] | None:
    """How the relationship ended, once it had by the day the report reads the journal."""
    return view.ending if view.ended_by(period.as_of) else None


def cadence(view: JournalView, period: Period) -> dict[str, Any]:
    """Sessions held against the agreed frequency, and the gaps between them, up to the
    report's day or the end of the relationship, whichever came first."""
    interval = view.frequency_days
    until = min(period.as_of, view.ended or period.as_of)
    dates = [s.meta["date"] for s in view.sessions_between(period.start, period.end)]
    closed = view.ended_by(period.as_of)
    result: dict[str, Any] = {
        "frequency": meta(view.agreement, "meeting_frequency"),
        "interval_days": interval,
        "held": len(dates),
        "dates": dates,
        "until": until,
        "ended": closed,
        "expected": None,
        "missing": 0,
        "gaps": [],
    }
    if interval is None:
        return result
    span = days_between(period.start, until)
    expected = span // interval + 1 if span >= 0 else 0
    result["expected"] = expected
    # After the end nothing is missing any more: the report says what was held.
    result["missing"] = 0 if closed else max(0, expected - len(dates))
    # A gap is a stretch of more than a quarter interval longer than agreed with no
    # session: a fortnightly session a few days late is not a gap; a skipped one is.
    marks = [period.start, *(d for d in dates if d <= until), until]
    for before, after in itertools.pairwise(marks):
        gap = days_between(before, after)
        if gap > interval * 5 // 4:
            result["gaps"].append({"from": before, "to": after, "days": gap})
    return result


def action_summary(view: JournalView, period: Period) -> dict[str, Any]:
    """The actions agreed in the period, counted once each: an action carried forward is
    counted where it was carried to, and a dropped one is left out of the rate."""
    as_of = period.as_of
    closed = view.ended_by(as_of)
    agreed = agreed_in(view, period)
    counted = counted_once(agreed)
    done = [a for a in counted if a.status == "done"]
    still_open = sorted((a for a in counted if a.is_open), key=lambda a: (a.due or "9999", a.ref))
    dropped = sum(1 for a in counted if a.status == "dropped")
    to_do = len(counted) - dropped
    return {
        "agreed": len(agreed),
        "carried": len(agreed) - len(counted),
        "dropped": dropped,
        "handed_over": sum(1 for a in counted if a.status == "handed-over"),
        "counted": to_do,
        "done": len(done),
        "open": len(still_open),
        "rate": round(100 * len(done) / to_do) if to_do else None,
        "overdue": [] if closed else [action(a, as_of) for a in still_open if a.overdue_on(as_of)],
        "left_open": [action(a, as_of, closed=True) for a in still_open] if closed else [],
        "ended": closed,
    }


def agreed_in(view: JournalView, period: Period) -> list[ActionItem]:
    """The actions agreed in sessions of the period, as the journal reads on its day."""
    return [a for a in view.actions(period.as_of) if period.start <= a.session_date <= period.end]


def counted_once(actions: list[ActionItem]) -> list[ActionItem]:
    """``actions`` less those carried into a later one: each piece of work counts once."""
    return [a for a in actions if a.status != "carried"]


def action(item: ActionItem, as_of: str, *, closed: bool = False) -> dict[str, Any]:
    """An action as plain data, with whether (and how long) it is overdue on ``as_of``."""
    data = item.to_dict()
    overdue = not closed and item.overdue_on(as_of)
    data["ref"] = item.ref
    data["overdue"] = overdue
    data["days_overdue"] = days_between(item.due, as_of) if overdue and item.due else 0
    return data


def action_timeline(view: JournalView, period: Period) -> list[dict[str, Any]]:
    """Actions agreed and done so far, at each session of the period that agreed some and on
    the report's day: the same actions, counted the same way, as ``action_summary``."""
    counted = [a for a in counted_once(agreed_in(view, period)) if a.status != "dropped"]
    agreed_on = Counter(a.session_date for a in counted)
    done_on = sorted(a.done for a in counted if a.status == "done" and a.done)
    days = sorted(agreed_on)
    if days and days[-1] < period.as_of:
        days.append(period.as_of)
    points, agreed = [], 0
    for when in days:
        agreed += agreed_on[when]
        points.append({"date": when, "agreed": agreed, "done": bisect.bisect_right(done_on, when)})
    return points


def goal_summary(view: JournalView, goal: Record, period: Period) -> dict[str, Any]:
    """A goal with its SMART summary, milestones and progress in the period."""
    as_of = period.as_of
    closed = view.ended_by(as_of)
    milestones = [milestone(m, as_of, closed=closed) for m in view.milestones_of(goal.id or "")]
    progress = [p for p in goal.meta.get("progress", []) if period.start <= p["date"] <= as_of]
    done = sum(1 for m in milestones if m["done"])
    overdue = sum(1 for m in milestones if m["overdue"])
    return {
        "id": goal.id,
        "title": goal.meta["title"],
        "status": goal.meta["status"],
        "smart": {k: goal.meta[k] for k in ("specific", "measurable", "achievable", "relevant")},
        "target_date": goal.meta["target_date"],
        "achieved": goal.meta.get("achieved"),
        "indicators": goal.meta.get("indicators", []),
        "competencies": [_competency_name(view, c) for c in goal.meta.get("competencies", [])],
        "milestones": milestones,
        "milestones_done": done,
        "milestones_overdue": overdue,
        "milestones_due": len(milestones) - done - overdue,
        "progress": progress,
        "last_progress": last_progress(goal),
        "sessions": [s.id for s in view.sessions_on(goal.id or "")],
        "handed_over_to": view.handed_over.get(goal.id or "") if closed else None,
    }


def milestone(item: MilestoneItem, as_of: str, *, closed: bool = False) -> dict[str, Any]:
    """A milestone as the journal reads on ``as_of``: done later is not done yet, and once
    the relationship has ended nothing is overdue."""
    overdue = not closed and item.overdue_on(as_of)
    return {**vars(item), "done": item.done_by(as_of), "overdue": overdue}


def _competency_name(view: JournalView, competency_id: str) -> str:
    found = next((c for c in view.config.competencies if c.id == competency_id), None)
    return f"{competency_id} {found.name}" if found else competency_id


def competency_change(view: JournalView, period: Period) -> dict[str, Any] | None:
    """Ratings at the first assessment and the latest by the report's day, competency by
    competency (``single`` when there has been one assessment)."""
    assessments = [a for a in view.of("competency_assessment") if a.meta["date"] <= period.as_of]
    if not assessments:
        return None
    first, latest = assessments[0], assessments[-1]
    before = {r["competency"]: r for r in first.meta["ratings"]}
    after = {r["competency"]: r for r in latest.meta["ratings"]}
    rows = []
    for competency in view.config.competencies:
        if competency.id not in before and competency.id not in after:
            continue
        start = before.get(competency.id, {}).get("rating")
        now = after.get(competency.id, {}).get("rating")
        rows.append(
            {
                "id": competency.id,
                "name": competency.name,
                "area": competency.area,
                "first": start,
                "latest": now,
                "change": now - start if start is not None and now is not None else None,
                "development_need": after.get(competency.id, {}).get("development_need"),
            }
        )
    return {
        "first": {"id": first.id, "date": first.meta["date"], "point": first.meta["point"]},
        "latest": {"id": latest.id, "date": latest.meta["date"], "point": latest.meta["point"]},
        "single": first is latest,
        "scale": latest.meta["scale"],
        "rows": rows,
        "improved": sum(1 for r in rows if (r["change"] or 0) > 0),
    }


MENTEE_FEEDBACK = (
    "went_well",
    "even_better_if",
    "getting_out_of_it",
    "sharing",
    "feeling_pushed",
    "empowering",
    "mentor_response",
)


def feedback_summary(view: JournalView, period: Period) -> dict[str, Any]:
    """Feedback on the mentoring, and 180/360 feedback from others (with its responses)."""
    records = view.dated_between("feedback", period.start, period.as_of)
    return {
        "mentee": [
            {"id": r.id, "date": r.meta["date"], **{k: r.meta.get(k) for k in MENTEE_FEEDBACK}}
            for r in records
            if "responses" not in r.meta and r.meta.get("kind") != "mentor-feedback"
        ],
        "others": [
            {
                "id": r.id,
                "date": r.meta["date"],
                "kind": r.meta["kind"],
                "responses": r.meta["responses"],
            }
            for r in records
            if "responses" in r.meta
        ],
    }


def reflection_themes(view: JournalView, period: Period) -> dict[str, Any]:
    """What sessions and reflections keep coming back to: the most frequent words of the
    session topics and of the development areas, the mentee's and the mentor's apart."""
    reflections = view.dated_between("reflection", period.start, period.as_of)
    sessions = view.sessions_between(period.start, period.as_of)
    names = view.config.name_words()
    by_kind = {
        kind: [r for r in reflections if r.meta["kind"] == kind]
        for kind in ("mentee-reflection", "reflective-log")
    }
    areas = {
        kind: {
            "records": len(records),
            "themes": top_words((r.meta.get("development_areas", []) for r in records), names),
            "latest": [a for r in records for a in r.meta.get("development_areas", [])][-LATEST:],
        }
        for kind, records in by_kind.items()
    }
    return {
        "reflections": len(reflections),
        "by_mentee": len(by_kind["mentee-reflection"]),
        "by_mentor": len(by_kind["reflective-log"]),
        "mentee_areas": areas["mentee-reflection"],
        "mentor_areas": areas["reflective-log"],
        "sessions": len(sessions),
        "topics": top_words((s.meta.get("topics", []) for s in sessions), names),
    }


def achievements(view: JournalView, period: Period) -> list[dict[str, str]]:
    """What to celebrate: goals achieved, milestones reached, other achievements at reviews."""
    start, as_of = period.start, period.as_of
    found = []
    for goal in view.of("goal"):
        when = goal.meta.get("achieved")
        if goal.meta["status"] == "achieved" and when and start <= when <= as_of:
            found.append({"date": when, "what": f"Goal {goal.id} achieved: {goal.meta['title']}"})
    for item in view.milestones():
        if item.done and start <= item.done <= as_of:
            found.append(
                {"date": item.done, "what": f"{item.goal_id} milestone reached: {item.text}"}
            )
    for review in view.dated_between("review", start, as_of):
        for text in review.meta.get("other_achievements", []):
            found.append({"date": review.meta["date"], "what": text})
    return sorted(found, key=lambda a: a["date"])


def needs(view: JournalView, period: Period) -> dict[str, Any] | None:
    """The latest needs assessment by the report's day: strengths, needs, barriers,
    learning preferences and adjustments, and the goals it led to."""
    found = [r for r in view.of("needs_assessment") if r.meta["date"] <= period.as_of]
    if not found:
        return None
    record = found[-1]
    return {
        "id": record.id,
        "date": record.meta["date"],
        **{k: record.meta.get(k, []) for k in NEEDS_FIELDS},
        **{k: record.meta.get(k) for k in NEEDS_DETAILS},
        # A goal its readers may not read is named by its id alone.
        "goals": [
            {"id": g, "title": meta(view.find(g), "title")}
            for g in record.meta.get("leads_to_goals", [])
        ],
    }


def agreed_terms(view: JournalView) -> dict[str, Any] | None:
    """What the agreement promised: dates, frequency, communication, expected outcomes,
    review dates and professional boundaries."""
    agreement = view.agreement
    if agreement is None:
        return None
    return {"id": agreement.id, **{k: agreement.meta.get(k) for k in AGREEMENT_FIELDS}}


def progress(view: JournalView, period: Period) -> dict[str, Any]:
    """The progress report: goals, actions, sessions, reflections, feedback, competencies."""
    return {
        **common(view, "progress", period),
        "ending": ending(view, period),
        "agreement": agreed_terms(view),
        "needs": needs(view, period),
        "goals": [goal_summary(view, g, period) for g in view.of("goal")],
        "actions": action_summary(view, period),
        "action_timeline": action_timeline(view, period),
        "cadence": cadence(view, period),
        "themes": reflection_themes(view, period),
        "feedback": feedback_summary(view, period),
        "competencies": competency_change(view, period),
        "achievements": achievements(view, period),
        "relationship": around.relationship(view, period.start, period.as_of),
        "employment": around.employment(view, period.start, period.today),
    }


def review(view: JournalView, period: Period) -> dict[str, Any]:
    """The review report: each goal evaluated, the support plan, promises against practice,
    and the agreement's expected outcomes beside what happened."""
    held = [r for r in view.of("review") if r.meta["date"] <= period.as_of]
    in_period = [r for r in held if r.meta["date"] >= period.start]
    latest = (in_period or held)[-1] if held else None
    # A review's evidence is what was known on its day.
    evidence_until = latest.meta["date"] if latest is not None else period.as_of
    evaluations = {e["goal"]: e for e in meta(latest, "evaluations", [])}
    goals = []
    for goal in view.of("goal"):
        summary = goal_summary(view, goal, period)
        evaluation = evaluations.get(goal.id or "", {})
        summary["evaluation"] = evaluation
        summary["evidence"] = [
            *evaluation.get("evidence", []),
            *(
                f"Milestone reached {m.done}: {m.text}"
                for m in view.milestones_of(goal.id or "")
                if m.done is not None and m.done <= evidence_until
            ),
        ]
        summary["session_notes"] = [
            {"id": s.id, "date": s.meta["date"], "decisions": s.meta.get("decisions", [])}
            for s in view.sessions_on(goal.id or "")
            if period.start <= s.meta["date"] <= period.as_of
        ]
        goals.append(summary)
    sessions = view.sessions_between(period.start, period.as_of)
    return {
        **common(view, "review", period),
        "ending": ending(view, period),
        "review": None if latest is None else _review(latest),
        "goals": goals,
        "needs": needs(view, period),
        "agreement": agreed_terms(view),
        "happened": {
            "cadence": cadence(view, period),
            "modes": dict(Counter(s.meta["mode"] for s in sessions)),
            "reviews_held": [r.meta["date"] for r in held],
            "ended": view.ended if view.ended_by(period.as_of) else None,
        },
        "actions": action_summary(view, period),
        "evaluations": around.evaluations(view, period.start, period.today),
        "employment": around.employment(view, period.start, period.today),
        "relationship": around.relationship(view, period.start, period.as_of),
    }


def _review(record: Record) -> dict[str, Any]:
    keys = ("other_achievements", "lessons", "new_goals")
    return {
        "id": record.id,
        "date": record.meta["date"],
        "kind": record.meta["kind"],
        **{k: record.meta.get(k, []) for k in keys},
        "support_plan": record.meta.get("support_plan"),
        "agreed_by": record.meta.get("agreed_by", []),
    }


def prep(view: JournalView, period: Period) -> dict[str, Any]:
    """The sheet a mentor reads before the next session (after the end: what was left)."""
    as_of = period.as_of
    closed = view.ended_by(as_of)
    sessions = [s for s in view.of("session") if s.meta["date"] <= as_of]
    last = sessions[-1] if sessions else None
    since = sessions[-2].meta["date"] if len(sessions) > 1 else period.start
    actions = view.actions(as_of)
    soon = shift(as_of, 28)
    mentee_reflections = [
        r
        for r in view.of("reflection")
        if r.meta["kind"] == "mentee-reflection" and r.meta["date"] <= as_of
    ]
    still_open = sorted((a for a in actions if a.is_open), key=lambda a: (a.due or "9999", a.ref))
    return {
        **common(view, "prep", period),
        "ending": ending(view, period),
        "last_session": None if last is None else _last_session(last, actions),
        "open_actions": [action(a, as_of, closed=closed) for a in still_open],
        "completed_since": [
            action(a, as_of)
            for a in actions
            if a.status == "done" and a.done and since <= a.done <= as_of
        ],
        "completed_since_date": since,
        "coming_due": []
        if closed
        else [
            m
            for m in (milestone(item, as_of) for item in view.milestones() if item.due <= soon)
            if not m["done"]
        ],
        "goals_due": []
        if closed
        else [
            {"id": g.id, "title": g.meta["title"], "target_date": g.meta["target_date"]}
            for g in view.of("goal")
            if g.meta["status"] in ACTIVE_GOALS and g.meta["target_date"] <= soon
        ],
        "latest_reflection": None
        if not mentee_reflections
        else _reflection(mentee_reflections[-1]),
    }


def _last_session(session: Record, actions: list[ActionItem]) -> dict[str, Any]:
    """A session's notes, with what it said about the actions it looked back on."""
    texts = {a.ref: a.text for a in actions}
    return {
        "id": session.id,
        "date": session.meta["date"],
        "start_time": session.meta.get("start_time"),
        "duration_minutes": session.meta.get("duration_minutes"),
        "mode": session.meta.get("mode"),
        "approach": session.meta.get("approach"),
        "topics": session.meta.get("topics", []),
        "insights": session.meta.get("insights", []),
        "decisions": session.meta.get("decisions", []),
        "reviewed": [
            {
                "action": entry["action"],
                "text": texts.get(entry["action"]),
                "note": entry.get("note"),
                "status": entry.get("status"),
            }
            for entry in session.meta.get("actions_reviewed", [])
        ],
        "body": session.body,
        "next_session": session.meta.get("next_session"),
    }


def _reflection(record: Record) -> dict[str, Any]:
    keys = (
        *("session", "occasion", "went_well", "do_differently", "development_areas", "questions"),
        *("prompts", "patterns", "blind_spots", "boundaries", "supervision"),
    )
    return {
        "id": record.id,
        "date": record.meta["date"],
        "body": record.body,
        **{k: record.meta.get(k) for k in keys},
    }


#: The order of the actions report: overdue first, then what is still to do.
ACTION_ORDER = {
    "open": 1,
    "in-progress": 1,
    "done": 2,
    "handed-over": 3,
    "carried": 3,
    "dropped": 4,
}


def actions_report(view: JournalView, period: Period) -> dict[str, Any]:
    """Every action agreed in the period, overdue first, with the one set of counts."""
    as_of = period.as_of
    closed = view.ended_by(as_of)
    items = [action(a, as_of, closed=closed) for a in agreed_in(view, period)]
    items.sort(
        key=lambda a: (not a["overdue"], ACTION_ORDER[a["status"]], a["due"] or "9999", a["ref"])
    )
    return {
        **common(view, "actions", period),
        "ending": ending(view, period),
        "actions": items,
        "summary": action_summary(view, period),
    }


def supervision(view: JournalView, period: Period) -> dict[str, Any]:
    """The mentor's reflective-log entries flagged for supervision, with their sessions
    where every reader may read those too."""
    entries = []
    for record in view.dated_between("reflection", period.start, period.as_of):
        if record.meta["kind"] != "reflective-log" or not record.meta.get("for_supervision"):
            continue
        session = view.find(record.meta["session"]) if record.meta.get("session") else None
        entries.append(
            {
                **_reflection(record),
                "model": record.meta.get("model"),
                "session_record": None
                if session is None
                else {
                    "id": session.id,
                    "date": session.meta["date"],
                    "topics": session.meta.get("topics", []),
                    "mode": session.meta["mode"],
                },
            }
        )
    return {**common(view, "supervision", period), "entries": entries}

"""What each report says, computed into plain structures; the templates only lay it out."""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from mdmentor.records.model import Record
from mdmentor.reporting.view import ActionItem, JournalView, days_between, meta, shift


@dataclass(frozen=True)
class Period:
    """The dates a report covers, inclusive, and the day it is read on."""

    start: str
    end: str
    today: str


def common(view: JournalView, kind: str, period: Period | None) -> dict[str, Any]:
    """What every report states: its kind, the journal, the period, and what it left out."""
    return {
        "kind": kind,
        "title": view.config.title,
        "period": asdict(period) if period else None,
        "skipped": view.skipped,
        "sealed": view.sealed,
    }


def default_period(view: JournalView, *, start: str | None, end: str | None, today: str) -> Period:
    """From the agreement's start (else the first record) to today, unless given."""
    if start is None:
        first = [r.date for r in view.records if r.date]
        start = meta(view.agreement, "start") or (min(first) if first else today)
    return Period(start=start, end=end or today, today=today)


def cadence(view: JournalView, period: Period) -> dict[str, Any]:
    """Sessions held against the agreed frequency, and the gaps between them."""
    interval = view.frequency_days
    sessions = view.sessions_between(period.start, period.end)
    dates = [s.meta["date"] for s in sessions]
    result: dict[str, Any] = {
        "frequency": meta(view.agreement, "meeting_frequency"),
        "interval_days": interval,
        "held": len(dates),
        "dates": dates,
        "expected": None,
        "missing": 0,
        "gaps": [],
    }
    if interval is None:
        return result
    span = days_between(period.start, min(period.end, period.today))
    expected = span // interval + 1 if span >= 0 else 0
    result["expected"] = expected
    result["missing"] = max(0, expected - len(dates))
    # A gap is a stretch of more than a quarter interval longer than agreed with no
    # session: a fortnightly session a few days late is not a gap; a skipped one is.
    marks = [period.start, *dates, min(period.end, period.today)]
    for before, after in itertools.pairwise(marks):
        gap = days_between(before, after)
        if gap > interval * 5 // 4:
            result["gaps"].append({"from": before, "to": after, "days": gap})
    return result


def action_summary(actions: list[ActionItem], period: Period) -> dict[str, Any]:
    """Actions agreed in the period: how many, how many done, which are overdue."""
    agreed = [a for a in actions if period.start <= a.session_date <= period.end]
    counted = [a for a in agreed if a.status not in ("carried", "dropped")]
    done = [a for a in counted if a.status == "done"]
    as_of = min(period.end, period.today)
    overdue = sorted((a for a in actions if a.overdue_on(as_of)), key=lambda a: a.due or "")
    return {
        "agreed": len(agreed),
        "counted": len(counted),
        "done": len(done),
        "carried": sum(1 for a in agreed if a.status == "carried"),
        "dropped": sum(1 for a in agreed if a.status == "dropped"),
        "open": sum(1 for a in counted if a.is_open),
        "rate": round(100 * len(done) / len(counted)) if counted else None,
        "overdue": [_action(a, as_of) for a in overdue],
        "completed_in_period": sum(
            1 for a in actions if a.done and period.start <= a.done <= period.end
        ),
    }


def _action(action: ActionItem, today: str) -> dict[str, Any]:
    item = asdict(action)
    item["ref"] = action.ref
    item["overdue"] = action.overdue_on(today)
    item["days_overdue"] = days_between(action.due, today) if item["overdue"] and action.due else 0
    return item


def goal_summary(view: JournalView, goal: Record, period: Period) -> dict[str, Any]:
    """A goal with its SMART summary, milestones and progress in the period."""
    as_of = min(period.end, period.today)
    milestones = view.milestones_of(goal.id or "")
    progress = [p for p in goal.meta.get("progress", []) if period.start <= p["date"] <= period.end]
    sessions = [s.id for s in view.sessions_on(goal.id or "")]
    return {
        "id": goal.id,
        "title": goal.meta["title"],
        "status": goal.meta["status"],
        "smart": {k: goal.meta[k] for k in ("specific", "measurable", "achievable", "relevant")},
        "target_date": goal.meta["target_date"],
        "achieved": goal.meta.get("achieved"),
        "indicators": goal.meta.get("indicators", []),
        "competencies": [_competency_name(view, c) for c in goal.meta.get("competencies", [])],
        "milestones": [{**asdict(m), "overdue": m.overdue_on(as_of)} for m in milestones],
        "milestones_done": sum(1 for m in milestones if m.done),
        "milestones_overdue": sum(1 for m in milestones if m.overdue_on(as_of)),
        "milestones_due": sum(1 for m in milestones if not m.done and not m.overdue_on(as_of)),
        "progress": progress,
        "last_progress": max((p["date"] for p in goal.meta.get("progress", [])), default=None),
        "sessions": sessions,
    }


def _competency_name(view: JournalView, competency_id: str) -> str:
    found = next((c for c in view.config.competencies if c.id == competency_id), None)
    return f"{competency_id} {found.name}" if found else competency_id


def competency_change(view: JournalView) -> dict[str, Any] | None:
    """Ratings at the first assessment and the latest, competency by competency."""
    assessments = view.of("competency_assessment")
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
        "scale": latest.meta["scale"],
        "rows": rows,
        "improved": sum(1 for r in rows if (r["change"] or 0) > 0),
    }


def feedback_summary(view: JournalView, period: Period) -> dict[str, Any]:
    """Mentee feedback on the mentoring, and 180/360 feedback from others."""
    records = view.dated_between("feedback", period.start, period.end)
    mentee = [r for r in records if r.meta["kind"] == "mentee-feedback"]
    others = [r for r in records if r.meta["kind"] != "mentee-feedback"]
    return {
        "mentee": [
            {
                "id": r.id,
                "date": r.meta["date"],
                **{
                    k: r.meta.get(k)
                    for k in (
                        "went_well",
                        "even_better_if",
                        "getting_out_of_it",
                        "sharing",
                        "feeling_pushed",
                    )
                },
            }
            for r in mentee
        ],
        "others": [
            {
                "id": r.id,
                "date": r.meta["date"],
                "kind": r.meta["kind"],
                "responses": r.meta.get("responses", []),
            }
            for r in others
        ],
    }


def reflection_themes(view: JournalView, period: Period) -> dict[str, Any]:
    """What reflections in the period keep coming back to."""
    reflections = view.dated_between("reflection", period.start, period.end)
    areas: Counter[str] = Counter()
    for reflection in reflections:
        for area in reflection.meta.get("development_areas", []):
            areas[area.strip()] += 1
    topics: Counter[str] = Counter()
    for session in view.sessions_between(period.start, period.end):
        for topic in session.meta.get("topics", []):
            topics[topic.strip()] += 1
    return {
        "reflections": len(reflections),
        "by_mentee": sum(1 for r in reflections if r.meta["kind"] == "mentee-reflection"),
        "by_mentor": sum(1 for r in reflections if r.meta["kind"] == "reflective-log"),
        "development_areas": areas.most_common(8),
        "went_well": [w for r in reflections for w in r.meta.get("went_well", [])][-6:],
        "topics": topics.most_common(8),
    }


def achievements(view: JournalView, period: Period) -> list[dict[str, str]]:
    """What to celebrate: goals achieved, milestones reached, other achievements at reviews."""
    found = []
    for goal in view.of("goal"):
        when = goal.meta.get("achieved")
        if goal.meta["status"] == "achieved" and when and period.start <= when <= period.end:
            found.append({"date": when, "what": f"Goal {goal.id} achieved: {goal.meta['title']}"})
    for milestone in view.milestones():
        if milestone.done and period.start <= milestone.done <= period.end:
            found.append(
                {
                    "date": milestone.done,
                    "what": f"{milestone.goal_id} milestone reached: {milestone.text}",
                }
            )
    for review in view.dated_between("review", period.start, period.end):
        for item in review.meta.get("other_achievements", []):
            found.append({"date": review.meta["date"], "what": item})
    return sorted(found, key=lambda a: a["date"])


def progress(view: JournalView, period: Period) -> dict[str, Any]:
    """The progress report: goals, actions, sessions, reflections, feedback, competencies."""
    actions = view.actions()
    return {
        **common(view, "progress", period),
        "goals": [goal_summary(view, g, period) for g in view.of("goal")],
        "actions": action_summary(actions, period),
        "action_timeline": action_timeline(actions, period),
        "cadence": cadence(view, period),
        "themes": reflection_themes(view, period),
        "feedback": feedback_summary(view, period),
        "competencies": competency_change(view),
        "achievements": achievements(view, period),
    }


def action_timeline(actions: list[ActionItem], period: Period) -> list[dict[str, Any]]:
    """Cumulative actions agreed and done, at each session date in the period."""
    in_period = [a for a in actions if a.session_date >= period.start]
    agreed_on = Counter(
        a.session_date
        for a in in_period
        if a.session_date <= period.end and a.status not in ("carried", "dropped")
    )
    done_on = sorted(a.done for a in in_period if a.status == "done" and a.done)
    points, agreed = [], 0
    for when in sorted(agreed_on):
        agreed += agreed_on[when]
        points.append({"date": when, "agreed": agreed, "done": bisect.bisect_right(done_on, when)})
    return points


def review(view: JournalView, period: Period) -> dict[str, Any]:
    """The review report: each goal evaluated, the support plan, promises against practice."""
    reviews = view.dated_between("review", period.start, period.end) or view.of("review")
    latest = reviews[-1] if reviews else None
    evaluations = {e["goal"]: e for e in meta(latest, "evaluations", [])}
    goals = []
    for goal in view.of("goal"):
        summary = goal_summary(view, goal, period)
        evaluation = evaluations.get(goal.id or "", {})
        summary["evaluation"] = evaluation
        summary["evidence"] = [
            *evaluation.get("evidence", []),
            *(
                f"Milestone reached {m['done']}: {m['text']}"
                for m in summary["milestones"]
                if m["done"]
            ),
        ]
        summary["session_notes"] = [
            {"id": s.id, "date": s.meta["date"], "decisions": s.meta.get("decisions", [])}
            for s in view.sessions_on(goal.id or "")
            if period.start <= s.meta["date"] <= period.end
        ]
        goals.append(summary)
    agreement = view.agreement
    modes = Counter(s.meta["mode"] for s in view.sessions_between(period.start, period.end))
    return {
        **common(view, "review", period),
        "review": None
        if latest is None
        else {
            "id": latest.id,
            "date": latest.meta["date"],
            "kind": latest.meta["kind"],
            "other_achievements": latest.meta.get("other_achievements", []),
            "lessons": latest.meta.get("lessons", []),
            "new_goals": latest.meta.get("new_goals", []),
            "support_plan": latest.meta.get("support_plan"),
            "agreed_by": latest.meta.get("agreed_by", []),
        },
        "goals": goals,
        "promised": None
        if agreement is None
        else {
            "meeting_frequency": agreement.meta["meeting_frequency"],
            "communication": agreement.meta["communication"],
            "review_dates": agreement.meta.get("review_dates", []),
            "planned_end": agreement.meta.get("planned_end"),
        },
        "happened": {
            "cadence": cadence(view, period),
            "modes": dict(modes),
            "reviews_held": [r.meta["date"] for r in view.of("review")],
        },
        "actions": action_summary(view.actions(), period),
    }


def prep(view: JournalView, period: Period) -> dict[str, Any]:
    """The sheet a mentor reads before the next session."""
    today = period.today
    sessions = [s for s in view.of("session") if s.meta["date"] <= today]
    last = sessions[-1] if sessions else None
    previous_date = sessions[-2].meta["date"] if len(sessions) > 1 else None
    actions = view.actions()
    since = last.meta["date"] if last else period.start
    soon = shift(today, 28)
    mentee_reflections = [
        r
        for r in view.of("reflection")
        if r.meta["kind"] == "mentee-reflection" and r.meta["date"] <= today
    ]
    return {
        **common(view, "prep", period),
        "last_session": None
        if last is None
        else {
            "id": last.id,
            "date": last.meta["date"],
            "topics": last.meta.get("topics", []),
            "insights": last.meta.get("insights", []),
            "decisions": last.meta.get("decisions", []),
            "body": last.body,
            "next_session": last.meta.get("next_session"),
        },
        "open_actions": [
            _action(a, today)
            for a in sorted(
                (a for a in actions if a.is_open), key=lambda a: (a.due or "9999", a.ref)
            )
        ],
        "completed_since": [
            _action(a, today)
            for a in actions
            if a.status == "done" and a.done and a.done >= (previous_date or since)
        ],
        "completed_since_date": previous_date or since,
        "coming_due": [
            {**asdict(m), "overdue": m.overdue_on(today)}
            for m in view.milestones()
            if m.done is None and m.due <= soon
        ],
        "goals_due": [
            {"id": g.id, "title": g.meta["title"], "target_date": g.meta["target_date"]}
            for g in view.of("goal")
            if g.meta["status"] in ("proposed", "active") and g.meta["target_date"] <= soon
        ],
        "latest_reflection": None
        if not mentee_reflections
        else _reflection(mentee_reflections[-1]),
    }


def _reflection(record: Record) -> dict[str, Any]:
    keys = ("session", "went_well", "do_differently", "development_areas", "questions")
    return {
        "id": record.id,
        "date": record.meta["date"],
        "body": record.body,
        **{k: record.meta.get(k) for k in keys},
    }


def actions_report(view: JournalView, period: Period) -> dict[str, Any]:
    """Every action across sessions, overdue first."""
    today = min(period.end, period.today)
    items = [
        _action(a, today) for a in view.actions() if period.start <= a.session_date <= period.end
    ]
    order = {"open": 1, "in-progress": 1, "done": 2, "carried": 3, "dropped": 4}
    items.sort(key=lambda a: (not a["overdue"], order[a["status"]], a["due"] or "9999", a["ref"]))
    return {
        **common(view, "actions", period),
        "actions": items,
        "summary": action_summary(view.actions(), period),
    }


def supervision(view: JournalView, period: Period) -> dict[str, Any]:
    """The mentor's reflective-log entries flagged for supervision, with their sessions."""
    entries = []
    for record in view.dated_between("reflection", period.start, period.end):
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
    return {
        **common(view, "supervision", period),
        "entries": entries,
        "supervisor": view.config.by_role("supervisor"),
    }

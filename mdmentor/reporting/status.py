"""``status``: what needs attention today, computed as plain data."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from mdmentor.reporting.view import JournalView, days_between, meta, shift

MILESTONE_HORIZON_DAYS = 14
DEFAULT_STALE_WEEKS = 4


def status(view: JournalView, today: str) -> dict[str, Any]:
    """Next session, overdue actions, milestones due soon, review due, cadence, stale goals."""
    sessions = [s for s in view.of("session") if s.meta["date"] <= today]
    last = sessions[-1] if sessions else None
    planned = [
        s.meta["next_session"]["date"] for s in view.of("session") if "next_session" in s.meta
    ]
    upcoming = sorted(d for d in planned if d >= today)
    interval = view.frequency_days
    since_last = days_between(last.meta["date"], today) if last else None
    stale_weeks = int(view.config.settings.get("stale_goal_weeks", DEFAULT_STALE_WEEKS))
    stale_since = shift(today, -7 * stale_weeks)
    horizon = shift(today, MILESTONE_HORIZON_DAYS)
    overdue = [a for a in view.actions() if a.overdue_on(today)]
    return {
        "today": today,
        "title": view.config.title,
        "skipped": view.skipped,
        "sealed": view.sealed,
        "last_session": None if last is None else {"id": last.id, "date": last.meta["date"]},
        "next_session": upcoming[0] if upcoming else None,
        "days_since_last_session": since_last,
        "frequency": meta(view.agreement, "meeting_frequency"),
        "behind_frequency": (
            since_last - interval
            if since_last is not None
            and interval is not None
            and since_last > interval
            and not upcoming
            else 0
        ),
        "overdue_actions": [
            {**asdict(a), "ref": a.ref, "days_overdue": days_between(a.due or today, today)}
            for a in sorted(overdue, key=lambda a: a.due or "")
        ],
        "milestones_due": [
            {**asdict(m), "overdue": m.overdue_on(today)}
            for m in view.milestones()
            if m.done is None and m.due <= horizon
        ],
        "review": _review_due(view, today),
        "stale_goals": [
            {
                "id": g.id,
                "title": g.meta["title"],
                "last_progress": max((p["date"] for p in g.meta.get("progress", [])), default=None),
            }
            for g in view.of("goal")
            if g.meta["status"] == "active"
            and max((p["date"] for p in g.meta.get("progress", [])), default="") < stale_since
        ],
        "stale_weeks": stale_weeks,
    }


def _review_due(view: JournalView, today: str) -> dict[str, Any] | None:
    """The next review: from the latest support plan, else the agreement's review dates."""
    held = [r.meta["date"] for r in view.of("review")]
    planned = list(meta(view.agreement, "review_dates", []))
    reviews = view.of("review")
    if reviews and "support_plan" in reviews[-1].meta:
        planned.append(reviews[-1].meta["support_plan"]["next_review"])
    last_held = max(held, default="")
    due = sorted(d for d in set(planned) if d > last_held)
    if not due:
        return None
    return {"date": due[0], "days": days_between(today, due[0]), "overdue": due[0] < today}

"""``status``: what needs attention today, computed as plain data.

Once the relationship has ended, nothing needs attention any more: status summarises
the ending instead (no session is due or missing, nothing is overdue, and what was
still open is listed as left open at the end).
"""

from __future__ import annotations

from typing import Any

from mdmentor.reporting.report_data import action, milestone
from mdmentor.reporting.view import (
    JournalView,
    days_between,
    last_activity,
    last_progress,
    meta,
    shift,
)

MILESTONE_HORIZON_DAYS = 14
DEFAULT_STALE_WEEKS = 4


def status(view: JournalView, today: str) -> dict[str, Any]:
    """Next session, overdue actions, milestones due soon, review due, cadence, stale goals;
    after the relationship ended, how it ended and what was left open."""
    view = view.until(today)
    closed = view.ended_by(today)
    as_of = view.ended if closed and view.ended is not None else today
    sessions = view.of("session")
    last = sessions[-1] if sessions else None
    planned = [
        s.meta["next_session"]["date"] for s in view.of("session") if "next_session" in s.meta
    ]
    upcoming = [] if closed else sorted(d for d in planned if d >= today)
    interval = view.frequency_days
    since_last = days_between(last.meta["date"], today) if last else None
    stale_weeks = int(view.config.settings.get("stale_goal_weeks", DEFAULT_STALE_WEEKS))
    stale_since = shift(today, -7 * stale_weeks)
    horizon = shift(today, MILESTONE_HORIZON_DAYS)
    still_open = [a for a in view.actions(as_of) if a.is_open]
    milestones = [milestone(m, as_of, closed=closed) for m in view.milestones()]
    return {
        "today": today,
        "title": view.config.title,
        "skipped": view.skipped,
        "sealed": view.sealed,
        "ended": _ended(view, as_of) if closed else None,
        "last_session": None if last is None else {"id": last.id, "date": last.meta["date"]},
        "next_session": upcoming[0] if upcoming else None,
        "days_since_last_session": since_last,
        "frequency": meta(view.agreement, "meeting_frequency"),
        "behind_frequency": (
            since_last - interval
            if not closed
            and since_last is not None
            and interval is not None
            and since_last > interval
            and not upcoming
            else 0
        ),
        "overdue_actions": [
            action(a, today)
            for a in sorted(still_open, key=lambda a: (a.due or "", a.ref))
            if not closed and a.overdue_on(today)
        ],
        "left_open": [action(a, as_of, closed=True) for a in still_open] if closed else [],
        "milestones_due": []
        if closed
        else [m for m in milestones if not m["done"] and m["due"] <= horizon],
        "not_reached": [
            m for m in milestones if not m["done"] and m["goal_id"] not in view.handed_over
        ]
        if closed
        else [],
        "review": None if closed else _review_due(view, today),
        "stale_goals": []
        if closed
        else [
            {"id": g.id, "title": g.meta["title"], "last_progress": last_progress(g)}
            for g in view.of("goal")
            if g.meta["status"] == "active" and last_activity(g) < stale_since
        ],
        "stale_weeks": stale_weeks,
    }


def _ended(view: JournalView, as_of: str) -> dict[str, Any]:
    """How the relationship ended, how many sessions it had, and where each goal stood."""
    start = meta(view.agreement, "start") or as_of
    return {
        **(view.ending or {}),
        "start": start,
        "sessions": len(view.sessions_between(start, as_of)),
        "goals": [
            {
                "id": g.id,
                "title": g.meta["title"],
                "status": g.meta["status"],
                "handed_over_to": view.person_name(to)
                if (to := view.handed_over.get(g.id or ""))
                else None,
            }
            for g in view.of("goal")
        ],
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

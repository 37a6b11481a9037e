"""Small inline SVG charts for HTML reports, drawn from report data (no scripts, no network)."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from mdmentor.reporting.view import days_between

WIDTH = 640
LEFT = 110
RIGHT = 20
COLOURS = {"done": "#2e7d32", "overdue": "#c62828", "due": "#757575", "accent": "#1565c0"}


def _svg(height: int, body: list[str], label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-label="{escape(label, {chr(34): "&quot;"})}" '
        f'font-family="sans-serif" font-size="11">' + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, text: str, *, anchor: str = "start", fill: str = "#222") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}">{escape(text)}</text>'
    )


def _baseline(y: int) -> str:
    return (
        f'<line x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}" stroke="#bbb" stroke-width="2"/>'
    )


def _anchor(x: float) -> str:
    """Keep a label near either edge inside the chart."""
    if x > WIDTH - RIGHT - 60:
        return "end"
    return "start" if x < LEFT + 60 else "middle"


class _Axis:
    """Maps dates between ``start`` and ``end`` onto the chart's width."""

    def __init__(self, start: str, end: str) -> None:
        self.start = start
        self.span = max(1, days_between(start, end))

    def x(self, when: str) -> float:
        share = min(max(days_between(self.start, when) / self.span, 0.0), 1.0)
        return LEFT + share * (WIDTH - LEFT - RIGHT)


def milestone_timeline(goal: dict[str, Any], start: str, today: str) -> str:
    """A goal's milestones on a line from ``start`` to its target date."""
    dates = [start, goal["target_date"], today, *(m["due"] for m in goal["milestones"])]
    axis = _Axis(min(dates), max(dates))
    y = 30
    body = [
        _baseline(y),
        _text(LEFT - 8, y + 4, goal["id"], anchor="end"),
        f'<line x1="{axis.x(today):.1f}" y1="12" x2="{axis.x(today):.1f}" y2="48" '
        f'stroke="{COLOURS["accent"]}" stroke-dasharray="3 2"/>',
        _text(
            axis.x(today),
            60,
            f"today {today}",
            anchor=_anchor(axis.x(today)),
            fill=COLOURS["accent"],
        ),
        f'<rect x="{axis.x(goal["target_date"]) - 5:.1f}" y="{y - 5}" width="10" height="10" '
        f'fill="none" stroke="#222"><title>target {escape(goal["target_date"])}</title></rect>',
    ]
    for m in goal["milestones"]:
        state = "done" if m["done"] else "overdue" if m["overdue"] else "due"
        tip = f"{m['id']} {m['text']} (due {m['due']}{', done ' + m['done'] if m['done'] else ''})"
        body.append(
            f'<circle cx="{axis.x(m["due"]):.1f}" cy="{y}" r="6" fill="{COLOURS[state]}">'
            f"<title>{escape(tip)}</title></circle>"
        )
        body.append(_text(axis.x(m["due"]), y - 10, m["id"], anchor="middle"))
    return _svg(70, body, f"Milestones of {goal['id']}")


def session_cadence(cadence: dict[str, Any], start: str, end: str) -> str:
    """Session dates against the expected rhythm, with gaps shaded."""
    axis = _Axis(start, end)
    y = 30
    body = [
        _baseline(y),
        _text(LEFT - 8, y + 4, "sessions", anchor="end"),
    ]
    for gap in cadence["gaps"]:
        x1, x2 = axis.x(gap["from"]), axis.x(gap["to"])
        tip = escape(f"{gap['days']} days without a session")
        body.append(
            f'<rect x="{x1:.1f}" y="{y - 12}" width="{max(1.0, x2 - x1):.1f}" height="24" '
            f'fill="{COLOURS["overdue"]}" fill-opacity="0.15"><title>{tip}</title></rect>'
        )
    interval = cadence["interval_days"]
    if interval:
        for n in range(0, days_between(start, end) + 1, interval):
            x = LEFT + n / max(1, days_between(start, end)) * (WIDTH - LEFT - RIGHT)
            body.append(
                f'<line x1="{x:.1f}" y1="{y + 8}" x2="{x:.1f}" y2="{y + 14}" stroke="#999"/>'
            )
    for when in cadence["dates"]:
        body.append(
            f'<circle cx="{axis.x(when):.1f}" cy="{y}" r="5" fill="{COLOURS["done"]}">'
            f"<title>{escape(when)}</title></circle>"
        )
    body.append(_text(LEFT, 62, start))
    body.append(_text(WIDTH - RIGHT, 62, end, anchor="end"))
    return _svg(70, body, "Session dates against the agreed frequency")


def competency_bars(competencies: dict[str, Any]) -> str:
    """First and latest rating of each competency, as paired bars."""
    scale_max = max(1, competencies["scale"]["max"])
    rows = competencies["rows"]
    height = 30 + 26 * len(rows)
    left = LEFT + 80  # room for the competency names
    span = WIDTH - left - RIGHT - 40
    body = [
        f'<rect x="{left}" y="6" width="10" height="8" fill="#90a4ae"/>',
        _text(left + 14, 14, competencies["first"]["point"]),
        f'<rect x="{left + 90}" y="6" width="10" height="8" fill="{COLOURS["accent"]}"/>',
        _text(left + 104, 14, competencies["latest"]["point"]),
    ]
    for i, row in enumerate(rows):
        y = 26 + 26 * i
        label = f"{row['id']} {row['name']}"
        body.append(
            _text(left - 8, y + 12, label if len(label) <= 30 else label[:29] + "…", anchor="end")
        )
        for offset, key, colour in ((0, "first", "#90a4ae"), (10, "latest", COLOURS["accent"])):
            value = row[key] or 0
            width = span * value / scale_max
            body.append(
                f'<rect x="{left}" y="{y + offset}" width="{width:.1f}" height="9" '
                f'fill="{colour}"><title>{escape(f"{key}: {value}")}</title></rect>'
            )
        body.append(_text(left + span + 6, y + 14, f"{row['first']} → {row['latest']}"))
    return _svg(height, body, "Competency ratings, first and latest")


def action_completion(points: list[dict[str, Any]]) -> str:
    """Cumulative actions agreed and done, session by session."""
    if not points:
        return ""
    height, top, bottom = 160, 15, 130
    peak = max(1, max(p["agreed"] for p in points))
    axis = _Axis(points[0]["date"], points[-1]["date"])

    def line(key: str, colour: str) -> str:
        coords = " ".join(
            f"{axis.x(p['date']):.1f},{bottom - (bottom - top) * p[key] / peak:.1f}" for p in points
        )
        return f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>'

    body = [
        f'<line x1="{LEFT}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}" stroke="#bbb"/>',
        f'<line x1="{LEFT}" y1="{top}" x2="{LEFT}" y2="{bottom}" stroke="#bbb"/>',
        _text(LEFT - 6, top + 4, str(peak), anchor="end"),
        _text(LEFT - 6, bottom, "0", anchor="end"),
        line("agreed", "#90a4ae"),
        line("done", COLOURS["done"]),
        _text(LEFT + 4, height - 8, f"agreed ({points[-1]['agreed']})", fill="#607d8b"),
        _text(LEFT + 120, height - 8, f"done ({points[-1]['done']})", fill=COLOURS["done"]),
        _text(
            WIDTH - RIGHT, height - 8, f"{points[0]['date']} to {points[-1]['date']}", anchor="end"
        ),
    ]
    return _svg(height, body, "Actions agreed and done over time")

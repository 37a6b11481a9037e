"""Small inline SVG charts for HTML reports, drawn from report data (no scripts, no network).

The charts are printed and read on paper, so each says everything in ink: every mark and
band has a legend entry inside the SVG (tooltips are extras), timelines have a date axis,
marks that would overlap are stacked onto rows of their own, and names wrap instead of
being cut. Shapes differ as well as colours, so a black-and-white print still tells
done, due and overdue apart.
"""

from __future__ import annotations

from typing import Any

from mdmentor.reporting.svg import (
    INK,
    LEFT,
    LINE,
    RIGHT,
    WIDTH,
    DateAxis,
    fit_anchor,
    lanes,
    legend,
    lines,
    mark,
    svg,
    text,
    text_width,
    title,
    wrap,
)
from mdmentor.reporting.view import days_between, shift

COLOURS = {
    "done": "#2e7d32",
    "overdue": "#c62828",
    "due": "#757575",
    "accent": "#1565c0",
    "first": "#90a4ae",
}

# A ring for agreed around a dot for done: both stay visible where they coincide.
AGREED_DOT = '<circle r="4.5" fill="#fff" stroke="#607d8b" stroke-width="1.5"/>'
DONE_DOT = f'<circle r="2.5" fill="{COLOURS["done"]}"/>'
AGREED_LINE = f'stroke="{COLOURS["first"]}" stroke-width="2" stroke-dasharray="4 2"'
DONE_LINE = f'stroke="{COLOURS["done"]}" stroke-width="2"'


def _band(x: float, y: float, width: float, height: float) -> str:
    """A stretch without a session: shaded, and outlined for a black-and-white print."""
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" '
        f'fill="{COLOURS["overdue"]}" fill-opacity="0.18" stroke="{COLOURS["overdue"]}" '
        'stroke-dasharray="3 2"/>'
    )


#: The colour of each assessment's bars: the latest stands out.
SERIES = {"first": COLOURS["first"], "latest": COLOURS["accent"]}

#: Each mark's shape, centred on the origin.
SHAPES = {
    "done": f'<circle r="6" fill="{COLOURS["done"]}"/>',
    "due": f'<circle r="5" fill="#fff" stroke="{COLOURS["due"]}" stroke-width="2"/>',
    "overdue": f'<path d="M0,-7 L7,5 L-7,5 Z" fill="{COLOURS["overdue"]}"/>',
    "target": f'<rect x="-5" y="-5" width="10" height="10" fill="#fff" stroke="{INK}" '
    'stroke-width="1.5"/>',
    "today": f'<line x1="0" y1="-8" x2="0" y2="8" stroke="{COLOURS["accent"]}" '
    'stroke-width="1.5" stroke-dasharray="3 2"/>',
    "expected": f'<circle r="3.5" fill="#fff" stroke="{COLOURS["due"]}" stroke-width="1.5"/>',
    "gap": _band(-7, -6, 14, 12),
    "agreed": f'<line x1="-8" y1="0" x2="8" y2="0" {AGREED_LINE}/>{AGREED_DOT}',
    "completed": f'<line x1="-8" y1="0" x2="8" y2="0" {DONE_LINE}/>{DONE_DOT}',
    "first": f'<rect x="-7" y="-4" width="14" height="8" fill="{SERIES["first"]}"/>',
    "latest": f'<rect x="-7" y="-4" width="14" height="8" fill="{SERIES["latest"]}"/>',
}

MILESTONE_WORDS = {"done": "milestone done", "due": "milestone due", "overdue": "overdue"}

#: Vertical distance between stacked rows of marks and their labels.
ROW = 28


def _dashed(x: float, top: float, bottom: float) -> str:
    return (
        f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" '
        f'stroke="{COLOURS["accent"]}" stroke-width="1.5" stroke-dasharray="3 2"/>'
    )


def _room(x: float, words: str, mark_width: float) -> tuple[float, float]:
    """The left and right of a mark at ``x`` with its label above it, placed as drawn."""
    width = text_width(words)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[fit_anchor(x, width)]
    return min(left, x - mark_width / 2), max(left + width, x + mark_width / 2)


def milestone_timeline(goal: dict[str, Any], start: str, today: str) -> str:
    """A goal's milestones and target date on a dated line, and where today falls."""
    dates = [start, goal["target_date"], today, *(m["due"] for m in goal["milestones"])]
    axis = DateAxis(min(dates), max(dates))
    marks: list[tuple[str, str, str, str]] = []  # (day, kind, label, tooltip)
    for m in goal["milestones"]:
        state = "done" if m["done"] else "overdue" if m["overdue"] else "due"
        done = f", done {m['done']}" if m["done"] else ""
        marks.append((m["due"], state, m["id"], f"{m['id']} {m['text']} (due {m['due']}{done})"))
    marks.append((goal["target_date"], "target", "", f"target {goal['target_date']}"))
    rows = lanes([_room(axis.x(when), label, 14) for when, _, label, _ in marks])
    top = 16  # the baseline of the today label
    base = top + ROW + ROW * max(rows)
    now = axis.x(today)
    body = [
        *axis.draw(base, grid_top=top + 6),
        _dashed(now, top + 5, base + 7),
        text(
            now,
            top,
            f"today {today}",
            anchor=fit_anchor(now, text_width(f"today {today}")),
            fill=COLOURS["accent"],
        ),
    ]
    drawn = []
    for (when, kind, label, tip), row in zip(marks, rows, strict=True):
        x, y = axis.x(when), base - ROW * row
        if row:  # lifted off the line to keep clear of another: a leader line to its day
            body.append(
                f'<line x1="{x:.1f}" y1="{y + 6}" x2="{x:.1f}" y2="{base + 4}" stroke="#555" '
                'stroke-dasharray="1 2"/>'
            )
        drawn.append(mark(SHAPES[kind], x, y, kind, tip))
        if label:
            anchor = fit_anchor(x, text_width(label))
            drawn.append(text(x, y - 10, label, anchor=anchor, halo=True))
    body += drawn
    kinds = {kind for _, kind, _, _ in marks}
    entries = [(SHAPES[s], MILESTONE_WORDS[s]) for s in ("done", "due", "overdue") if s in kinds]
    entries += [(SHAPES["target"], "target date"), (SHAPES["today"], "today")]
    key, height = legend(entries, base + 40)
    return svg(base + 34 + height, body + key, f"Milestones of {goal['id']}")


def _middle(axis: DateAxis, gap: dict[str, Any]) -> float:
    return (axis.x(gap["from"]) + axis.x(gap["to"])) / 2


def _days(gap: dict[str, Any]) -> str:
    return f"{gap['days']} days"


def _gap(axis: DateAxis, gap: dict[str, Any], top: float, bottom: float, label: float) -> list[str]:
    """A stretch without a session as a band from ``top`` to ``bottom``, and how many
    days it lasted written above it, with its baseline at ``label``."""
    x1, x2 = axis.x(gap["from"]), axis.x(gap["to"])
    tip = f"{gap['days']} days without a session, {gap['from']} to {gap['to']}"
    words = _days(gap)
    anchor = fit_anchor(_middle(axis, gap), text_width(words))
    return [
        mark(_band(0, 0, max(1.0, x2 - x1), bottom - top), x1, top, "gap", tip),
        text(_middle(axis, gap), label, words, anchor=anchor, fill="#b71c1c"),
    ]


def _row(y: float, name: str) -> list[str]:
    """A faint line across the chart at ``y``, named at its left."""
    return [
        f'<line x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}" stroke="#ccc"/>',
        text(LEFT - 8, y + 4, name, anchor="end"),
    ]


def session_cadence(cadence: dict[str, Any], start: str, end: str) -> str:
    """Sessions held, sessions the agreed frequency expects, and the stretches longer than
    agreed without a session, on a dated line."""
    axis = DateAxis(start, end)
    interval = cadence["interval_days"]
    per_day = (axis.right - axis.left) / axis.span
    radius = max(2.5, min(5.0, interval * per_day / 2 - 1)) if interval else 5.0
    held = [axis.x(when) for when in cadence["dates"]]
    stack = lanes([(x - radius, x + radius) for x in held], gap=1)
    gaps = cadence["gaps"]
    gap_rows = lanes([_room(_middle(axis, g), _days(g), 0) for g in gaps])
    step = 2 * radius + 2
    band_top = 8 + (LINE + 1) * (max(gap_rows) + 1 if gaps else 0)
    row = band_top + 12 + step * max(stack, default=0)
    expected_row = row + 26 if interval else None
    bottom = (expected_row or row) + 18
    body = [*axis.draw(bottom, grid_top=band_top)]
    for gap, lane in zip(gaps, gap_rows, strict=True):
        body += _gap(axis, gap, band_top, row + 12, band_top - 4 - (LINE + 1) * lane)
    body += _row(row, "held")
    dot = f'<circle r="{radius:.1f}" fill="{COLOURS["done"]}"/>'
    for when, x, lane in zip(cadence["dates"], held, stack, strict=True):
        body.append(mark(dot, x, row - step * lane, "session", f"session {when}"))
    entries = [(dot, "session held")]
    if interval and expected_row is not None:
        body += _row(expected_row, "expected")
        for n in range(cadence["expected"] or 0):
            when = shift(start, n * interval)
            body.append(mark(SHAPES["expected"], axis.x(when), expected_row, "expected"))
        entries.append((SHAPES["expected"], f"session expected (every {interval} days)"))
    if gaps:
        entries.append((SHAPES["gap"], "longer than agreed without a session"))
    key, height = legend(entries, bottom + 40)
    return svg(bottom + 34 + height, body + key, "Session dates against the agreed frequency")


def _assessment(point: dict[str, Any]) -> str:
    return f"{point['point']} ({point['date']})"


def competency_caption(competencies: dict[str, Any]) -> str:
    """What the competency chart shows: one assessment, or the first and the latest."""
    first, latest = competencies["first"], competencies["latest"]
    if first["id"] == latest["id"]:
        return f"Competency ratings at {_assessment(first)}"
    return f"Competency ratings at {_assessment(first)} and {_assessment(latest)}"


def competency_bars(competencies: dict[str, Any]) -> str:
    """Each competency's rating at the first assessment and the latest, as paired bars
    (one bar when there has been one assessment), under its full name."""
    scale = competencies["scale"]
    most = max(1, scale["max"])
    single = competencies["first"]["id"] == competencies["latest"]["id"]
    series = [("latest", 12)] if single else [("first", 9), ("latest", 9)]
    left = 240
    span = WIDTH - left - RIGHT - 60
    body, legend_height = legend(
        [(SHAPES[key], _assessment(competencies[key])) for key, _ in series], 16, left=left
    )
    cursor = 16 + legend_height - 4
    grid_top = cursor
    for row in competencies["rows"]:
        names = wrap(f"{row['id']} {row['name']}", left - 20)
        block = sum(h for _, h in series) + 2 * (len(series) - 1)
        height = max(block, len(names) * LINE) + 10
        middle = cursor + height / 2
        body.append(lines(left - 10, middle + 4 - (len(names) - 1) * LINE / 2, names, anchor="end"))
        y = middle - block / 2
        for key, bar in series:
            value = row[key]
            if value is None:
                body.append(text(left + 4, y + bar - 1, "not rated", fill="#757575"))
            else:
                body.append(
                    f'<rect class="bar {key}" x="{left}" y="{y:.1f}" '
                    f'width="{span * value / most:.1f}" height="{bar}" '
                    f'fill="{SERIES[key]}">'
                    + title(f"{row['id']} at {competencies[key]['point']}: {value}")
                    + "</rect>"
                )
            y += bar + 2
        values = [("n/a" if row[key] is None else str(row[key])) for key, _ in series]
        body.append(text(left + span + 10, middle + 4, " → ".join(values)))
        cursor += height
    grid = []
    for value in range(scale.get("min", 0), most + 1):
        x = left + span * value / most
        grid.append(
            f'<line x1="{x:.1f}" y1="{grid_top:.1f}" x2="{x:.1f}" y2="{cursor:.1f}" '
            'stroke="#e4e4e4"/>'
        )
        grid.append(text(x, cursor + 14, str(value), anchor="middle", fill="#555"))
    grid.append(text(left - 10, cursor + 14, "rating", anchor="end", fill="#555"))
    body = grid + body
    return svg(cursor + 22, body, competency_caption(competencies))


def action_completion(points: list[dict[str, Any]]) -> str:
    """Cumulative actions agreed and done, session by session; a single session's point
    stands in the middle of a week."""
    if not points:
        return ""
    first, last = points[0]["date"], points[-1]["date"]
    pad = max(0, 7 - days_between(first, last)) // 2
    axis = DateAxis(shift(first, -pad), shift(last, pad))
    top, bottom = 12.0, 130.0
    peak: int = max(1, *(p["agreed"] for p in points), *(p["done"] for p in points))

    def y(value: int) -> float:
        return bottom - (bottom - top) * value / peak

    body = axis.draw(bottom)
    for value in sorted({0, peak // 2, peak}):
        body.append(
            f'<line x1="{LEFT}" y1="{y(value):.1f}" x2="{WIDTH - RIGHT}" y2="{y(value):.1f}" '
            'stroke="#e4e4e4"/>'
        )
        body.append(text(LEFT - 6, y(value) + 4, str(value), anchor="end", fill="#555"))
    body.append(f'<line x1="{LEFT}" y1="{top}" x2="{LEFT}" y2="{bottom}" stroke="#999"/>')
    styles = {"agreed": (AGREED_LINE, AGREED_DOT), "done": (DONE_LINE, DONE_DOT)}
    for key in ("agreed", "done"):
        coords = " ".join(f"{axis.x(p['date']):.1f},{y(p[key]):.1f}" for p in points)
        stroke, dot = styles[key]
        body.append(f'<polyline points="{coords}" fill="none" {stroke}/>')
        for p in points:
            tip = f"{p[key]} {key} by {p['date']}"
            body.append(mark(dot, axis.x(p["date"]), y(p[key]), key, tip))
    key_marks, height = legend(
        [
            (SHAPES["agreed"], f"actions agreed ({points[-1]['agreed']})"),
            (SHAPES["completed"], f"actions done ({points[-1]['done']})"),
        ],
        bottom + 40,
    )
    return svg(bottom + 34 + height, body + key_marks, "Actions agreed and done over time")

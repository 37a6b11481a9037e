"""Drawing parts for the report charts: escaped text, wrapped lines, legends, date axes,
and rows that keep marks apart. Pure functions from numbers and words to SVG text.

The charts are read on paper, where nothing can be hovered and nothing may be cut off,
so text widths are estimated here (there are no font metrics at hand), a little
generously; the browser test measures the charts with real fonts.
"""

from __future__ import annotations

import calendar
from datetime import timedelta
from xml.sax.saxutils import escape

from mdmentor.reporting.view import day, days_between

WIDTH = 640
LEFT = 110
RIGHT = 20
FONT = 11
LINE = 13
INK = "#222"

#: Months between date ticks, the fewest that keeps their labels apart.
MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60, 120)

_NARROW = frozenset("fijlrtI.,:;'!|()[]/- ")
_WIDE = frozenset("mwMW@%")


def text_width(text: str, size: float = FONT) -> float:
    """An estimate, a tenth on the wide side, of the width of ``text`` in a sans-serif
    font (as measured in Chromium with DejaVu Sans; Arial and Helvetica are narrower)."""
    ems = 0.0
    for char in text:
        if char in _NARROW:
            ems += 0.33
        elif char in _WIDE:
            ems += 0.92
        elif char.isupper():
            ems += 0.7
        elif char.isdigit():
            ems += 0.6
        else:
            ems += 0.57
    return ems * size


def wrap(text: str, width: float) -> list[str]:
    """``text`` in lines no wider than ``width``, broken between words; a word longer
    than a line is broken too, so that nothing is ever cut off."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if text_width(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while text_width(word) > width:
            cut = next((n for n in range(len(word) - 1, 1, -1) if text_width(word[:n]) <= width), 1)
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    return [*lines, line] if line or not lines else lines


def attr(text: str) -> str:
    """``text`` escaped for a double-quoted attribute."""
    return escape(text, {'"': "&quot;"})


def svg(height: float, body: list[str], label: str) -> str:
    """An inline SVG of the charts' width that scales to its container."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="100%" role="img" aria-label="{attr(label)}" '
        f'font-family="sans-serif" font-size="{FONT}">' + "".join(body) + "</svg>"
    )


def text(
    x: float,
    y: float,
    words: str,
    *,
    anchor: str = "start",
    fill: str = INK,
    halo: bool = False,
) -> str:
    """One line of text; a halo keeps it readable where a line runs behind it."""
    extra = ' stroke="#fff" stroke-width="3" paint-order="stroke"' if halo else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}"{extra}>'
        f"{escape(words)}</text>"
    )


def lines(x: float, y: float, rows: list[str], *, anchor: str = "start") -> str:
    """Several lines of text, the first with its baseline at ``y``."""
    spans = "".join(
        f'<tspan x="{x:.1f}" dy="{0 if n == 0 else LINE}">{escape(row)}</tspan>'
        for n, row in enumerate(rows)
    )
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{INK}">{spans}</text>'


def fit_anchor(x: float, width: float) -> str:
    """Centre a label of ``width`` on ``x`` unless that would run it off either edge."""
    if x + width / 2 > WIDTH - 2:
        return "end"
    return "start" if x - width / 2 < 2 else "middle"


def title(words: str) -> str:
    """A tooltip: an extra for screens, never the only place something is said."""
    return f"<title>{escape(words)}</title>"


def mark(shape: str, x: float, y: float, kind: str, tip: str = "") -> str:
    """A mark drawn from ``shape`` (centred on the origin) at (x, y), with its kind as a
    class and an optional tooltip."""
    return (
        f'<g class="mark {kind}" transform="translate({x:.1f},{y:.1f})">{shape}'
        + (title(tip) if tip else "")
        + "</g>"
    )


def legend(entries: list[tuple[str, str]], y: float, left: float = LEFT) -> tuple[list[str], float]:
    """Legend entries (a mark's shape, then what it means) in rows from ``y``, wrapping at
    the right edge; returns the drawing and the height it takes."""
    body = ['<g class="legend">']
    x, row = left, 0
    for shape, words in entries:
        width = 22 + text_width(words)
        if x + width > WIDTH - RIGHT and x > left:
            x, row = left, row + 1
        middle = y + row * (LINE + 6)
        body.append(f'<g transform="translate({x + 8:.1f},{middle - 4:.1f})">{shape}</g>')
        body.append(text(x + 20, middle, words))
        x += width + 16
    body.append("</g>")
    return body, (row + 1) * (LINE + 6)


def lanes(spans: list[tuple[float, float]], gap: float = 3.0) -> list[int]:
    """The row for each (left, right) span, lowest first, so that no two spans on one
    row come closer than ``gap``."""
    ends: list[float] = []
    rows = [0] * len(spans)
    for index in sorted(range(len(spans)), key=lambda i: spans[i]):
        left, right = spans[index]
        row = next((n for n, end in enumerate(ends) if end + gap <= left), len(ends))
        if row == len(ends):
            ends.append(right)
        else:
            ends[row] = right
        rows[index] = row
    return rows


class DateAxis:
    """Maps the days from ``start`` to ``end`` onto the width between ``left`` and ``right``,
    and draws them with ticks a reader can name: months, or weeks or days when short."""

    def __init__(self, start: str, end: str, left: float = LEFT, right: float = WIDTH - RIGHT):
        self.start, self.end = start, end
        self.left, self.right = left, right
        self.span = max(1, days_between(start, end))

    def x(self, when: str) -> float:
        """Where the day ``when`` is drawn (days outside the axis go to its ends)."""
        share = min(max(days_between(self.start, when) / self.span, 0.0), 1.0)
        return self.left + share * (self.right - self.left)

    def ticks(self) -> list[tuple[str, str]]:
        """(day, label) to mark: the first of each month, or of every few months or
        years, if that gives three marks or more, else every week or every day or two."""
        per_day = (self.right - self.left) / self.span
        step = next((s for s in MONTH_STEPS if s * 30.4 * per_day >= 58), MONTH_STEPS[-1])
        months = self._months(step)
        if len(months) >= 3:
            return months
        step = next((s for s in (1, 2, 7) if s * per_day >= 44), 14)
        first = day(self.start)
        if step >= 7:  # weeks start on Mondays
            first += timedelta(days=-first.weekday() % 7)
        ticks = []
        while first.isoformat() <= self.end:
            ticks.append((first.isoformat(), f"{first.day} {calendar.month_abbr[first.month]}"))
            first += timedelta(days=step)
        return ticks

    def _months(self, step: int) -> list[tuple[str, str]]:
        """The first days of every ``step`` months on the axis, named by month, with the
        year on the first and on January (by year alone for steps of a year or more)."""
        start = day(self.start)
        count = start.year * 12 + start.month - 1 + (start.day > 1)
        ticks: list[tuple[str, str]] = []
        while (when := f"{count // 12:04d}-{count % 12 + 1:02d}-01") <= self.end:
            if count % step == 0:
                year, name = count // 12, calendar.month_abbr[count % 12 + 1]
                if step >= 12:
                    label = str(year)
                elif not ticks or count % 12 == 0:
                    label = f"{name} {year}"
                else:
                    label = name
                ticks.append((when, label))
            count += 1
        return ticks

    def draw(self, y: float, grid_top: float | None = None) -> list[str]:
        """The axis line at ``y``, a tick and a label per tick day below it, and faint
        grid lines up to ``grid_top``; a label that would touch the one before is left out."""
        body = [
            f'<line class="axis" x1="{self.left}" y1="{y:.1f}" x2="{self.right}" '
            f'y2="{y:.1f}" stroke="#999"/>'
        ]
        last_right = -1.0
        for when, label in self.ticks():
            x = self.x(when)
            if grid_top is not None:
                body.append(
                    f'<line x1="{x:.1f}" y1="{grid_top:.1f}" x2="{x:.1f}" y2="{y:.1f}" '
                    f'stroke="#e4e4e4"/>'
                )
            body.append(
                f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x:.1f}" y2="{y + 5:.1f}" stroke="#999"/>'
            )
            width = text_width(label)
            anchor = fit_anchor(x, width)
            left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
            if left < last_right + 6:
                continue
            last_right = left + width
            body.append(
                f'<text class="tick" x="{x:.1f}" y="{y + 17:.1f}" text-anchor="{anchor}" '
                f'fill="#555">{escape(label)}</text>'
            )
        return body

"""Turning results into text for people (``text``, ``table``) or programs (``json``).

Reporters return strings; the CLI decides where they go.
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mdmentor.records.checking import CheckResult
from mdmentor.records.model import Problem
from mdmentor.wording import plural


def display_path(path: Path, cwd: Path | None = None) -> str:
    """``path`` relative to the current folder when it is below it, else absolute."""
    cwd = cwd or Path.cwd()
    try:
        return str(path.resolve().relative_to(cwd.resolve()))
    except ValueError:
        return str(path)


def problem_line(problem: Problem) -> str:
    """``path:line: field: message`` (``warning:`` marks a warning)."""
    where = display_path(problem.path)
    if problem.line:
        where += f":{problem.line}"
    field = f" {problem.field}:" if problem.field else ""
    level = " warning:" if problem.severity == "warning" else ""
    return f"{where}:{field}{level} {problem.message}"


#: How the offending line is shown under a problem: indented, so that the first line of
#: every problem is still ``path:line:`` for editors and grep.
_EXCERPT_INDENT = "    "
#: Longer lines are shown as a window around the spot.
_EXCERPT_WIDTH = 76


def excerpt_lines(problem: Problem) -> list[str]:
    """The offending line and a caret under the spot, where the problem knows them.

    A tab is shown as ``→`` (tabs are often the mistake, and show as nothing), and wide
    characters push the caret along by two, so it stays under the spot.
    """
    if problem.line_text is None:
        return []
    text = problem.line_text.replace("\t", "→")
    column = min(max((problem.column or 1) - 1, 0), len(text))
    start = max(0, min(column - _EXCERPT_WIDTH // 2, len(text) - _EXCERPT_WIDTH))
    shown = text[start : start + _EXCERPT_WIDTH]
    if start > 0:
        shown = "…" + shown[1:]
    if start + _EXCERPT_WIDTH < len(text):
        shown = shown[:-1] + "…"
    lines = [_EXCERPT_INDENT + shown.rstrip()]
    if problem.column is not None:
        lines.append(_EXCERPT_INDENT + " " * _width(shown[: column - start]) + "^")
    return lines


def _width(text: str) -> int:
    """How many columns ``text`` takes in a terminal."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def check_text(result: CheckResult) -> str:
    """Every problem: its ``path:line: field: message`` line, and the offending line with a
    caret under the spot where it is known; then a summary line."""
    lines = [line for p in result.problems for line in [problem_line(p), *excerpt_lines(p)]]
    summary = f"{plural(result.records, 'record')} checked: "
    if not result.problems:
        summary += "no problems"
    else:
        summary += (
            f"{plural(result.errors, 'error')}, {plural(result.warnings, 'warning')} "
            f"in {plural(result.files_with_problems, 'file')}"
        )
    if result.sealed:
        summary += (
            f"; {plural(result.sealed, 'encrypted record')} skipped (not encrypted to your key)"
        )
    return "\n".join([*lines, summary])


def check_json(result: CheckResult) -> str:
    """The result as a JSON document for scripts and editors."""
    return json.dumps(
        {
            "records": result.records,
            "errors": result.errors,
            "warnings": result.warnings,
            "sealed": result.sealed,
            "problems": [{**p.to_dict(), "path": display_path(p.path)} for p in result.problems],
        },
        indent=2,
        ensure_ascii=False,
    )


CHECK_REPORTERS: dict[str, Callable[[CheckResult], str]] = {"text": check_text, "json": check_json}


def table(rows: list[dict[str, Any]], columns: list[str]) -> str:
    """A plain text table, each column as wide as its widest cell."""
    if not rows:
        return ""
    width = _terminal_width()
    cells = [[str(row.get(c) or "") for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    lines = []
    for values in [[c.upper() for c in columns], *cells]:
        line = "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()
        lines.append(line if len(line) <= width else line[: width - 1] + "…")
    return "\n".join(lines)


def _terminal_width() -> int:
    try:
        return max(60, os.get_terminal_size().columns)
    except OSError:
        return 200


def status_text(data: dict[str, Any]) -> str:
    """The status view as a short terminal dashboard."""
    lines = [f"{data['title']} — status on {data['today']}", ""]
    if data["ended"]:
        return "\n".join([*lines, *_ended_text(data), *_left_out_text(data)])
    last = data["last_session"]
    lines.append(
        f"Last session:  {last['date']} ({last['id']})" if last else "Last session:  none yet"
    )
    lines.append(f"Next session:  {data['next_session'] or 'not planned'}")
    if data["behind_frequency"]:
        lines.append(
            f"Behind:        {data['days_since_last_session']} days since the last session; "
            f"{data['behind_frequency']} days past the agreed {data['frequency']} rhythm"
        )
    review = data["review"]
    if review:
        when = (
            f"{-review['days']} days overdue" if review["overdue"] else f"in {review['days']} days"
        )
        lines.append(f"Next review:   {review['date']} ({when})")
    lines.append("")
    overdue = data["overdue_actions"]
    lines.append(f"Overdue actions: {len(overdue)}")
    lines.extend(
        f"  {a['ref']}  {a['text']} ({a['owner']}, due {a['due']}, {a['days_overdue']} days)"
        for a in overdue
    )
    due = data["milestones_due"]
    lines.append(f"Milestones due in the next 14 days or overdue: {len(due)}")
    for m in due:
        late = ", overdue" if m["overdue"] else ""
        lines.append(f"  {m['goal_id']}/{m['id']}  {m['text']} (due {m['due']}{late})")
    stale = data["stale_goals"]
    lines.append(
        f"Active goals with no progress entry for {data['stale_weeks']} weeks: {len(stale)}"
    )
    lines.extend(
        f"  {g['id']}  {g['title']} (last entry {g['last_progress'] or 'never'})" for g in stale
    )
    return "\n".join([*lines, *_left_out_text(data)])


def _left_out_text(data: dict[str, Any]) -> list[str]:
    lines = []
    if data["skipped"]:
        lines.append(
            f"\n{plural(data['skipped'], 'record')} with errors left out; run 'mdmentor check'."
        )
    if data["sealed"]:
        lines.append(f"{plural(data['sealed'], 'encrypted record')} you hold no key for left out.")
    return lines


#: How the end of a relationship is described, by the agreement's ``ending.kind``.
ENDING_WORDS = {"planned": "as planned", "early": "early"}


def _ended_text(data: dict[str, Any]) -> list[str]:
    """After the end: how the relationship ended and what it left, with nothing to chase."""
    ended = data["ended"]
    how = ENDING_WORDS.get(ended.get("kind") or "", "")
    why = f": {' '.join(str(ended['reason']).split()).rstrip('.')}" if ended.get("reason") else ""
    planned = (
        f"; the planned end was {ended['planned_end']}"
        if ended.get("planned_end") and ended.get("kind") != "planned"
        else ""
    )
    lines = [
        f"The mentoring ended on {ended['date']}{' ' + how if how else ''}{why}{planned}.",
        f"Sessions:      {plural(ended['sessions'], 'session')} from {ended['start']} "
        f"to {ended['date']}",
        "Goals at the end: " + ("; ".join(_goal_at_end(g) for g in ended["goals"]) or "none"),
        "",
        f"Left open at the end: {plural(len(data['left_open']), 'action')}",
    ]
    lines.extend(
        f"  {a['ref']}  {a['text']} ({a['owner']}{', due ' + a['due'] if a['due'] else ''})"
        for a in data["left_open"]
    )
    lines.append(f"Milestones not reached by the end: {len(data['not_reached'])}")
    lines.extend(
        f"  {m['goal_id']}/{m['id']}  {m['text']} (due {m['due']})" for m in data["not_reached"]
    )
    return lines


def _goal_at_end(goal: dict[str, Any]) -> str:
    handed = goal.get("handed_over_to")
    return f"{goal['id']} {goal['status']}" + (f", handed over to {handed}" if handed else "")

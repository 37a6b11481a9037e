"""Turning results into text for people (``text``, ``table``) or programs (``json``).

Reporters return strings; the CLI decides where they go.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mdmentor.checking import CheckResult
from mdmentor.model import Problem


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


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def check_text(result: CheckResult) -> str:
    """Every problem on its own line, then a summary line."""
    lines = [problem_line(p) for p in result.problems]
    summary = f"{_plural(result.records, 'record')} checked: "
    if not result.problems:
        summary += "no problems"
    else:
        summary += (
            f"{_plural(result.errors, 'error')}, {_plural(result.warnings, 'warning')} "
            f"in {_plural(result.files_with_problems, 'file')}"
        )
    return "\n".join([*lines, summary])


def check_json(result: CheckResult) -> str:
    """The result as a JSON document for scripts and editors."""
    return json.dumps(
        {
            "records": result.records,
            "errors": result.errors,
            "warnings": result.warnings,
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

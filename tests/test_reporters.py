"""check's text output: each problem's first line is ``path:line: field: message``; where
the spot is known, the offending line follows, indented, with a caret under the spot."""

from __future__ import annotations

from pathlib import Path

from mdmentor.cli.reporters import excerpt_lines
from mdmentor.records.model import Problem

from .conftest import build_file_tree


def problem(line_text: str | None, column: int | None) -> Problem:
    return Problem(
        Path("x.md"), "m", line=3, code="yaml-syntax", line_text=line_text, column=column
    )


def test_the_caret_sits_under_the_spot() -> None:
    assert excerpt_lines(problem("title: 'Tomasz's handover'", 15)) == [
        "    title: 'Tomasz's handover'",
        "                  ^",
    ]


def test_a_tab_is_shown_and_the_caret_stays_under_the_spot() -> None:
    assert excerpt_lines(problem("\t- a", 1)) == ["    →- a", "    ^"]


def test_wide_characters_push_the_caret_along() -> None:
    assert excerpt_lines(problem("名前: 'a'b'", 7)) == ["    名前: 'a'b'", "            ^"]


def test_a_long_line_is_shown_around_the_spot() -> None:
    text = "note: " + "word " * 40 + "here: there " + "more " * 20
    column = text.index("here:") + 5
    shown, caret = excerpt_lines(problem(text, column))
    assert shown.startswith("    …") and shown.endswith("…") and len(shown) == 4 + 76
    assert shown[caret.index("^")] == ":"


def test_no_spot_no_excerpt() -> None:
    assert excerpt_lines(problem(None, None)) == []


def test_every_problem_still_starts_with_its_path_and_line(journal: Path, run) -> None:
    build_file_tree(
        journal,
        {
            "goals/G-002-a.md": "---\ntype: goal\ntitle: 'Tomasz's handover'\n---\n",
            "goals/G-003-b.md": "---\ntype: goal\ntitle:\tx\n\t- y\n---\n",
        },
    )
    result = run("check", cwd=journal)
    printed = result.stdout.splitlines()
    firsts = [line for line in printed[:-1] if not line.startswith("    ")]
    assert [line.split(":")[:2] for line in firsts] == [
        ["goals/G-002-a.md", "3"],
        ["goals/G-003-b.md", "4"],
    ]
    assert len(printed) == 1 + 2 * 3

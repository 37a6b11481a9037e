"""Problem codes: one published list, every code in it used, and on every problem."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import get_args

from mdmentor.records.codes import PROBLEM_CODES, Code

from .conftest import GOAL, MINIMAL_CONFIG, SESSION, agreement, build_file_tree

PACKAGE = Path(__file__).parent.parent / "mdmentor"


def test_the_published_codes_are_the_codes_the_type_allows() -> None:
    # mypy (strict) holds every code written in mdmentor/ to the Code type
    assert list(get_args(Code)) == list(PROBLEM_CODES)
    assert all(meaning.endswith(".") for meaning in PROBLEM_CODES.values())


def test_every_published_code_is_used_somewhere_in_mdmentor() -> None:
    written: set[str] = set()
    for module in PACKAGE.rglob("*.py"):
        if module.name == "codes.py":
            continue
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                written.add(node.value)
    assert sorted(set(PROBLEM_CODES) - written) == []


def test_every_problem_check_reports_has_a_published_code(tmp_path: Path, run) -> None:
    journal = build_file_tree(
        tmp_path / "journal",
        {
            "mdmentor.yaml": MINIMAL_CONFIG,
            "agreement/2026-03-02-agreement.md": agreement(agreed=("mentor",)),
            "goals/G-001-lead.md": GOAL.replace("owner: mentee", "owner: Ben Sample").replace(
                "target_date: 2026-06-30", "target_date: 30/06/2026"
            ),
            "sessions/2026/2026-03-09-first.md": SESSION.replace("mode: video", "mdoe: video"),
            "sessions/2026/2026-03-16-second.md": "---\ntype: session\ntitle: 'Tomasz's'\n---\n",
            "reviews/empty.md": "",
        },
    )
    result = run("check", "--format", "json", cwd=journal)
    assert result.exit_code == 1
    codes = {problem["code"] for problem in json.loads(result.stdout)["problems"]}
    assert codes <= set(PROBLEM_CODES)
    assert {
        "person-name",
        "date-format",
        "unknown-field",
        "yaml-quote",
        "empty-file",
    } <= codes
    assert "not-agreed" in codes  # a warning, with its code too

"""Problem codes: one published list, every code in it used, and check's JSON output
described by a schema that real output meets."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import get_args

from jsonschema import Draft202012Validator

from mdmentor.records.codes import PROBLEM_CODES, Code
from mdmentor.records.facts import record_specs
from mdmentor.records.validation import schema_names
from mdmentor.resources import data_dir

from .conftest import GOAL, MINIMAL_CONFIG, SESSION, agreement, build_file_tree

PACKAGE = Path(__file__).parent.parent / "mdmentor"


def output_schema() -> dict[str, object]:
    schema: dict[str, object] = json.loads(
        (data_dir("schemas") / "check-output.schema.json").read_text(encoding="utf-8")
    )
    return schema


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


def test_the_output_schema_lists_every_code_and_is_not_a_record_schema() -> None:
    schema = output_schema()
    Draft202012Validator.check_schema(schema)
    problem = schema["$defs"]["problem"]  # type: ignore[index]
    assert problem["properties"]["code"]["enum"] == list(PROBLEM_CODES)
    assert "check-output" not in schema_names()
    assert "check-output" not in {spec.name for spec in record_specs()}


def test_check_json_output_meets_its_schema(tmp_path: Path, run) -> None:
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
    data = json.loads(result.stdout)
    Draft202012Validator(output_schema()).validate(data)
    codes = {problem["code"] for problem in data["problems"]}
    assert {"person-name", "date-format", "unknown-field", "yaml-quote", "empty-file"} <= codes
    assert "not-agreed" in codes  # a warning, with its code too

"""check on bad input: one file per failure kind in tests/corpus/negative, each beside
NAME.expected.json. Every case must exit 1 and name the right file, line, field and code,
with no traceback, and leave the file as it was.

An expected file holds ``line``, ``field``, ``code`` and ``message``: part of the message,
or, with ``"exact": true``, the whole message of the only problem in the file (one
mistake, one problem), and in ``shown`` the lines check prints under it (the offending
line and a caret under the spot)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from .conftest import build_file_tree

CORPUS = Path(__file__).parent / "corpus" / "negative"
CASES = sorted(CORPUS.rglob("*.md"))


def expected_for(case: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(case.with_name(case.stem + ".expected.json").read_text())
    return data


def place(journal: Path, case: Path) -> Path:
    target = journal / case.relative_to(CORPUS)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(case, target)
    return target


def test_the_corpus_covers_every_failure_kind() -> None:
    assert len(CASES) >= 25
    folders = {case.relative_to(CORPUS).parts[0] for case in CASES}
    assert folders == {
        "agreement",
        "needs",
        "goals",
        "sessions",
        "reflections",
        "feedback",
        "competencies",
        "reviews",
    }


def test_every_yaml_slip_has_a_case_with_its_whole_message() -> None:
    exact = {expected_for(case)["code"] for case in CASES if expected_for(case).get("exact")}
    assert {
        "yaml-quote",
        "yaml-unclosed-quote",
        "yaml-colon",
        "yaml-tab",
        "yaml-space",
        "yaml-indent",
        "yaml-bracket",
        "yaml-special",
        "date-format",
        "person-name",
        "unknown-field",
    } <= exact


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.relative_to(CORPUS).as_posix())
def test_bad_record_is_reported_with_file_line_field_and_code(
    journal: Path, run, case: Path
) -> None:
    target = place(journal, case)
    before = target.read_bytes()
    expected = expected_for(case)
    name = case.relative_to(CORPUS).as_posix()
    result = run("check", cwd=journal)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    where = f"{name}:{expected['line']}:"
    field = expected["field"]
    prefix = f"{where} {field}: " if field else f"{where} "
    printed = result.stdout.splitlines()
    matching = [line for line in printed if line.startswith(prefix) and expected["message"] in line]
    assert matching, f"no line {prefix}…{expected['message']}… in:\n{result.stdout}"
    summary = printed[-1]
    assert "records checked:" in summary and " 0 errors" not in summary

    found = json.loads(run("check", "--format", "json", cwd=journal).stdout)["problems"]
    in_file = [p for p in found if p["path"] == name]
    assert any(
        (p["line"], p["field"], p["code"]) == (expected["line"], field, expected["code"])
        and expected["message"] in p["message"]
        for p in in_file
    ), in_file
    if expected.get("exact"):
        assert [p["message"] for p in in_file] == [expected["message"]]  # one mistake, one problem
        at = printed.index(prefix + expected["message"])
        shown = expected.get("shown", [])
        assert printed[at + 1 : at + 1 + len(shown)] == shown
    assert target.read_bytes() == before  # check never changes a file


def test_json_output_names_the_same_place(journal: Path, run) -> None:
    case = CORPUS / "goals/typo-stauts.md"
    place(journal, case)
    result = run("check", "--format", "json", cwd=journal)
    data = json.loads(result.stdout)
    assert result.exit_code == 1
    assert data["errors"] == 1 and data["records"] == 3
    assert data["problems"] == [
        {
            "path": "goals/typo-stauts.md",
            "line": 7,
            "column": None,
            "field": "stauts",
            "severity": "error",
            "code": "unknown-field",
            "message": "unknown field 'stauts' (did you mean 'status'?)",
            "line_text": None,
        },
    ]


def test_json_output_carries_the_spot_of_a_yaml_slip(journal: Path, run) -> None:
    place(journal, CORPUS / "goals/yaml-apostrophe-in-single-quotes.md")
    data = json.loads(run("check", "--format", "json", cwd=journal).stdout)
    [problem] = data["problems"]
    assert problem["code"] == "yaml-quote"
    assert (problem["line"], problem["column"]) == (5, 15)
    assert problem["line_text"] == "title: 'Tomasz's handover'"
    assert problem["line_text"][problem["column"] - 1] == "'"


def test_no_bad_file_hides_another(journal: Path, run) -> None:
    for case in CASES:
        place(journal, case)
    result = run("check", cwd=journal)
    assert result.exit_code == 1
    reported = {line.split(":", 1)[0] for line in result.stdout.splitlines()[:-1]}
    missing = [
        c.relative_to(CORPUS).as_posix()
        for c in CASES
        if c.relative_to(CORPUS).as_posix() not in reported
    ]
    assert missing == []
    assert "Traceback" not in result.output


def test_huge_file_is_refused_without_reading_it_all(journal: Path, run) -> None:
    body = "x" * 80 + "\n"
    build_file_tree(journal, {"sessions/2026/huge.md": "---\ntype: session\n---\n" + body * 14_000})
    result = run("check", cwd=journal)
    assert result.exit_code == 1
    assert (
        "sessions/2026/huge.md:1: file is 1,134,022 bytes; a record may be at most 1,048,576"
        in result.stdout
    )


def test_missing_path_is_a_usage_error(journal: Path, run) -> None:
    result = run("check", "no-such-folder", cwd=journal)
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_path_outside_any_journal_is_a_usage_error(tmp_path: Path, run) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    result = run("check", str(outside), cwd=tmp_path)
    assert result.exit_code == 2
    assert "no mdmentor.yaml in" in result.stderr


@pytest.mark.parametrize(
    "config, line, text",
    [
        (
            "mdmentor: 1\npeople:\n  - {id: mentor, name: Ann\n",
            3,
            "the set of fields that starts with { here is never closed",
        ),
        (
            "mdmentor: 1\npeople:\n  - {id: mentor, name: Ann, role: boss}\n",
            3,
            "people[0].role: 'boss' is not one of: mentor, mentee, supervisor",
        ),
        (
            "mdmentor: 1\npeople:\n  - {id: mentor, name: Ann, role: mentor}\n"
            "  - {id: mentor, name: Bea, role: mentee}\n",
            4,
            "people[1].id: person id 'mentor' is listed twice",
        ),
    ],
)
def test_broken_config_is_reported_with_file_and_line(
    journal: Path, run, config: str, line: int, text: str
) -> None:
    (journal / "mdmentor.yaml").write_text(config)
    result = run("check", cwd=journal)
    assert result.exit_code == 1
    assert f"mdmentor.yaml:{line}:" in result.stdout and text in result.stdout
    assert "Traceback" not in result.output
    other = run("list", cwd=journal)  # other commands refuse with the same one-line reason
    assert other.exit_code == 1 and f"mdmentor.yaml:{line}:" in other.stderr


def test_a_record_saved_by_a_windows_editor_checks_clean(journal: Path, run) -> None:
    goal = journal / "goals/G-001-lead-the-morning-handover.md"
    goal.write_bytes(b"\xef\xbb\xbf" + goal.read_bytes().replace(b"\n", b"\r\n"))
    result = run("check", cwd=journal)
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("2 records checked: no problems\n")

"""One mistake, one problem, naming the fix: a date written another way, a person named
where their id belongs, a misspelt field, a YAML slip that still parsed."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from mdmentor.records.checking import check_journal
from mdmentor.records.dates import iso_date
from mdmentor.records.validation import validate
from mdmentor.resources import example_journal

from .conftest import GOAL, SESSION, build_file_tree


def problems_in(root: Path, name: str) -> list[tuple[str | None, str, str]]:
    """(field, code, message) of every problem in the file called ``name``."""
    return [
        (p.field, p.code, p.message) for p in check_journal(root).problems if p.path.name == name
    ]


@pytest.mark.parametrize(
    "written, meant",
    [
        ("01/06/2026", "2026-06-01"),
        ("1/6/2026", "2026-06-01"),
        ("01-06-2026", "2026-06-01"),
        ("1.6.2026", "2026-06-01"),
        ("01/06/26", "2026-06-01"),
        ("1 June 2026", "2026-06-01"),
        ("1st June 2026", "2026-06-01"),
        ("1 Jun 2026", "2026-06-01"),
        ("Monday 1 June 2026", "2026-06-01"),
        ("June 1, 2026", "2026-06-01"),
        ("june 1 2026", "2026-06-01"),
        ("2026/06/01", "2026-06-01"),
        ("2026-6-1", "2026-06-01"),
        ("31/02/2026", None),  # no such day
        ("13 Smarch 2026", None),
        ("next week", None),
    ],
)
def test_a_date_written_another_way_is_read_back_day_first(written: str, meant: str | None) -> None:
    assert iso_date(written) == meant


@pytest.mark.parametrize("written", ["01/06/2026", "1/6/2026", "1 June 2026", "June 1, 2026"])
def test_a_date_in_another_shape_is_one_problem_that_names_the_iso_date(
    journal: Path, written: str
) -> None:
    goal = journal / "goals/G-001-lead-the-morning-handover.md"
    goal.write_text(GOAL.replace("target_date: 2026-06-30", f"target_date: {written}"))
    assert problems_in(journal, goal.name) == [
        (
            "target_date",
            "date-format",
            f"'{written}' is not a date written YYYY-MM-DD; write it as 2026-06-01",
        )
    ]


@pytest.mark.parametrize(
    "written, meant",
    [
        ("Ben Sample", "'mentee'"),
        ("Ben", "'mentee'"),
        ("ben sample", "'mentee'"),
        ("SAMPLE", "'mentee'"),
        ("ben@example.org", "'mentee'"),
        ("Mentee", "'mentee'"),
        ("Cara", "'supervisor'"),
    ],
)
def test_a_person_named_where_their_id_belongs_is_one_problem_that_names_the_id(
    journal: Path, written: str, meant: str
) -> None:
    goal = journal / "goals/G-001-lead-the-morning-handover.md"
    goal.write_text(GOAL.replace("owner: mentee", f"owner: {written}"))
    assert problems_in(journal, goal.name) == [
        ("owner", "person-name", f"'{written}' is not a person id; write {meant}")
    ]


@pytest.mark.parametrize("written", ['""', "'-'"])
def test_an_empty_or_wordless_person_names_nobody(journal: Path, written: str) -> None:
    goal = journal / "goals/G-001-lead-the-morning-handover.md"
    goal.write_text(GOAL.replace("owner: mentee", f"owner: {written}"))
    assert [code for _, code, _ in problems_in(journal, goal.name)] == ["missing-reference"]


def test_a_name_two_people_share_names_both_ids(journal: Path) -> None:
    config = journal / "mdmentor.yaml"
    config.write_text(config.read_text().replace("Cara Model", "Ben Model"))
    session = journal / "sessions/2026/2026-03-09-first-session.md"
    session.write_text(SESSION.replace("attendees: [mentor, mentee]", "attendees: [mentor, Ben]"))
    assert problems_in(journal, session.name) == [
        ("attendees[1]", "person-name", "'Ben' is not a person id; write 'mentee' or 'supervisor'")
    ]


def test_an_unknown_person_is_one_problem_that_lists_the_ids(journal: Path) -> None:
    session = journal / "sessions/2026/2026-03-09-first-session.md"
    session.write_text(SESSION.replace("attendees: [mentor, mentee]", "attendees: [mentor, Zoe]"))
    assert problems_in(journal, session.name) == [
        (
            "attendees[1]",
            "missing-reference",
            "no person 'Zoe' in mdmentor.yaml (its people are mentor, mentee, supervisor)",
        )
    ]


def test_a_goal_id_in_the_wrong_shape_is_one_problem(journal: Path) -> None:
    session = journal / "sessions/2026/2026-03-09-first-session.md"
    session.write_text(SESSION.replace("goals: [G-001]", "goals: [G-1]"))
    assert problems_in(journal, session.name) == [
        ("goals[0]", "missing-reference", "no goal G-1 in this journal")
    ]


def test_a_misspelt_field_is_not_also_missing() -> None:
    action = {"id": "A1", "text": "Read", "owner": "mentee", "staus": "done"}
    meta = {
        "type": "session",
        "id": "S-2026-03-09",
        "date": "2026-03-09",
        "mdoe": "video",
        "attendees": ["mentor"],
        "actions": [action],
    }
    assert validate(meta, "session") == [
        (("mdoe",), "unknown-field", "unknown field 'mdoe' (did you mean 'mode'?)"),
        (
            ("actions", 0, "staus"),
            "unknown-field",
            "unknown field 'staus' (did you mean 'status'?)",
        ),
    ]


def test_a_field_missing_with_no_near_spelling_is_still_missing() -> None:
    meta = {"type": "session", "id": "S-2026-03-09", "date": "2026-03-09", "colour": "red"}
    assert [(p.code, p.message) for p in validate(meta, "session")] == [
        ("missing-field", "missing required field 'attendees'"),
        ("missing-field", "missing required field 'mode'"),
        ("unknown-field", "unknown field 'colour'; put a team's own fields under 'extra:'"),
    ]


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (
            "topics: [Handover structure]",
            "topics: -Handover",
            (
                "topics",
                "yaml-space",
                "must be a list, not the text '-Handover'; put a space after the '-' of each "
                "list item",
            ),
        ),
        (
            "next_session:\n  date: 2026-03-23",
            "next_session: date:2026-03-23",
            (
                "next_session",
                "yaml-space",
                "must be a set of fields, not the text 'date:2026-03-23'; put a space after the "
                "':' of each field (date: 2026-03-23)",
            ),
        ),
        (
            "topics: [Handover structure]",
            "topics:\n  - Handover: who speaks first",
            (
                "topics[0]",
                "yaml-colon",
                "a colon followed by a space made this text look like a field; put the whole "
                'text in double quotes: "Handover: who speaks first"',
            ),
        ),
    ],
)
def test_a_yaml_slip_that_still_parsed_is_named(
    journal: Path, old: str, new: str, expected: tuple[str, str, str]
) -> None:
    session = journal / "sessions/2026/2026-03-09-first-session.md"
    assert old in SESSION
    session.write_text(SESSION.replace(old, new))
    assert problems_in(journal, session.name) == [expected]


def test_a_record_of_the_same_mistakes_reads_as_one_problem_each(journal: Path) -> None:
    goal = GOAL.replace("owner: mentee", "owner: Ben").replace(
        "target_date: 2026-06-30", "target_date: 30/06/2026"
    )
    build_file_tree(journal, {"goals/G-001-lead-the-morning-handover.md": goal})
    assert [code for _, code, _ in problems_in(journal, "G-001-lead-the-morning-handover.md")] == [
        "person-name",
        "date-format",
    ]


@pytest.mark.parametrize(
    ("damage", "code"),
    [
        (lambda text: text.replace("title: ", "title: 'Tomasz's ", 1), "yaml-quote"),
        (lambda text: text + "\xe9", "not-utf8"),  # saved as Latin-1
        (lambda text: text.replace("\n---\n", "\n", 1), "unclosed-front-matter"),
    ],
    ids=["yaml-slip", "not-utf8", "unclosed"],
)
def test_a_goal_that_cannot_be_read_is_one_problem_not_one_per_reference(
    tmp_path: Path, damage: Callable[[str], str], code: str
) -> None:
    root = tmp_path / "example"
    shutil.copytree(example_journal(), root)
    goal = root / "goals" / "G-001-lead-morning-handovers.md"
    text = goal.read_text(encoding="utf-8")
    goal.write_bytes(damage(text).encode("latin-1", errors="replace"))
    result = check_journal(root)
    assert [(p.path, p.code) for p in result.problems] == [(goal, code)]


def test_a_reference_to_a_missing_goal_is_still_reported_when_no_goal_is_broken(
    journal: Path,
) -> None:
    session = journal / "sessions" / "2026" / "2026-03-09-first-session.md"
    session.write_text(SESSION.replace("goals: [G-001]", "goals: [G-009]"), encoding="utf-8")
    messages = [p.message for p in check_journal(journal).problems]
    assert messages == ["no goal G-009 in this journal"]

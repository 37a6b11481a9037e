"""Cross-record rules, through the library: check_journal on journals built in tmp_path."""

from __future__ import annotations

from pathlib import Path

from mdmentor.records.checking import check_journal

from .conftest import SESSION, build_file_tree


def problems(root: Path) -> list[tuple[str, int | None, str | None, str, str]]:
    result = check_journal(root)
    return [(p.path.name, p.line, p.field, p.severity, p.message) for p in result.problems]


LATER = (
    SESSION.replace("S-2026-03-09", "S-2026-03-23")
    .replace("date: 2026-03-09", "date: 2026-03-23")
    .replace("2026-03-16", "2026-03-30")
    .replace("2026-03-15", "2026-03-29")
    .replace("  date: 2026-03-23\n---", "  date: 2026-04-06\n---")
)


def test_carried_action_must_be_marked_carried_where_it_came_from(journal: Path) -> None:
    later = LATER.replace(
        "    status: open\nnext", "    status: open\n    carried_from: S-2026-03-09/A2\nnext"
    )
    build_file_tree(journal, {"sessions/2026/2026-03-23-second.md": later})
    assert problems(journal) == [
        (
            "2026-03-23-second.md",
            23,
            "actions[1].carried_from",
            "warning",
            "carries S-2026-03-09/A2 forward, but its status there is 'open', not 'carried'",
        ),
    ]


def test_reviewed_action_must_come_from_an_earlier_session(journal: Path) -> None:
    earlier = SESSION.replace(
        "goals: [G-001]",
        "goals: [G-001]\nactions_reviewed:\n  - {action: S-2026-03-23/A1, note: looked at it}",
    )
    (journal / "sessions/2026/2026-03-09-first-session.md").write_text(earlier)
    build_file_tree(journal, {"sessions/2026/2026-03-23-second.md": LATER})
    assert problems(journal) == [
        (
            "2026-03-09-first-session.md",
            11,
            "actions_reviewed[0].action",
            "error",
            "S-2026-03-23/A1 is not from an earlier session",
        ),
    ]


def test_reflective_log_belongs_to_the_mentor(journal: Path) -> None:
    build_file_tree(
        journal,
        {
            "reflections/2026/2026-03-09-log.md": (
                "---\ntype: reflection\nid: R-2026-03-09-mentee\ndate: 2026-03-09\nauthor: mentee\n"
                "kind: reflective-log\nsession: S-2026-03-09\n---\n"
            )
        },
    )
    assert problems(journal) == [
        ("2026-03-09-log.md", 5, "author", "error", "'mentee' is listed as mentee, not mentor"),
    ]


def test_achieved_goal_without_date_is_a_warning_only(journal: Path) -> None:
    goal = journal / "goals/G-001-lead-the-morning-handover.md"
    goal.write_text(goal.read_text().replace("status: active", "status: achieved"))
    result = check_journal(journal)
    assert [(p.field, p.severity) for p in result.problems] == [("status", "warning")]
    assert result.errors == 0


def test_retention_by_record_only_takes_known_record_kinds(tmp_path: Path, run) -> None:
    run("init", str(tmp_path / "j"), "--mentor", "A", "--mentee", "B", cwd=tmp_path)
    agreement = next((tmp_path / "j/agreement").glob("*.md"))
    text = agreement.read_text().replace(
        "  disposal: >-",
        "  by_record:\n    reflective_logs: {years: 1, from: record-date}\n  disposal: >-",
    )
    agreement.write_text(text)
    found = [
        p for p in check_journal(tmp_path / "j").problems if p.field and "by_record" in p.field
    ]
    assert [(p.field, p.message) for p in found] == [
        (
            "retention.by_record.reflective_logs",
            "'reflective_logs' is not allowed here (allowed: "
            "agreement, needs_assessment, goal, session, reflection, reflective_log, feedback, "
            "competency_assessment, review, disposal, information_sharing, referral, "
            "missed_session, issue, evaluation, employment)",
        ),
    ]


def test_only_given_paths_are_reported_but_references_use_the_whole_journal(journal: Path) -> None:
    build_file_tree(journal, {"goals/G-002-bad.md": "no front matter\n"})
    session = journal / "sessions/2026/2026-03-09-first-session.md"
    result = check_journal(journal, only=[session])
    assert result.records == 1
    assert result.problems == []  # G-001 resolves though only the session was asked for
    whole = check_journal(journal)
    assert whole.records == 3 and whole.errors == 1


def test_unknown_field_suggests_only_a_close_name(journal: Path) -> None:
    session = journal / "sessions/2026/2026-03-09-first-session.md"
    session.write_text(session.read_text().replace("mode: video", "mode: video\nstauts: x"))
    goal = journal / "goals/G-001-lead-the-morning-handover.md"
    goal.write_text(goal.read_text().replace("status: active", "stauts: active\nstatus: active"))
    messages = {p.path.name: p.message for p in check_journal(journal).problems}
    assert messages["2026-03-09-first-session.md"] == (
        "unknown field 'stauts'; put a team's own fields under 'extra:'"
    )
    assert messages["G-001-lead-the-morning-handover.md"] == (
        "unknown field 'stauts' (did you mean 'status'?)"
    )


def test_a_reflection_dated_before_its_session_says_so_once(journal: Path) -> None:
    build_file_tree(
        journal,
        {
            "reflections/2026/2026-03-08-mentee.md": (
                "---\ntype: reflection\nid: R-2026-03-08-mentee\ndate: 2026-03-08\n"
                "author: mentee\nkind: mentee-reflection\nsession: S-2026-03-09\n---\n"
            )
        },
    )
    assert problems(journal) == [
        (
            "2026-03-08-mentee.md",
            4,
            "date",
            "error",
            "is before the session it reflects on (2026-03-09)",
        ),
    ]

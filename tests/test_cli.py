"""The commands as a user runs them: init, new, list, show, schema, help, journal discovery."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import click
import pytest

from mdmentor.cli import cli
from mdmentor.records.journal import CONFIG_NAME
from mdmentor.resources import example_journal

from .conftest import SESSION, build_file_tree

PLACEHOLDER_VALUES = [
    (r'"<YYYY-MM-DD[^"]*>"', "2099-06-30"),
    (r'"<HH:MM>"', '"10:00"'),
    (r'"<1-5>"', "3"),
    (r'"<achieved \| partly-achieved \| not-achieved \| in-progress>"', "in-progress"),
    (r"\"<(mentor|mentee)'s person id>\"", r"\1"),
    (r'"<your person id>"', "mentee"),
    (r'"<goal id>"', "G-001"),
    (r'"<met \| partly-met \| not-met>"', "partly-met"),
    (r'"<very-helpful \| helpful \| somewhat-helpful \| not-helpful>"', "helpful"),
    (r'"<hours a week>"', "16"),
    (r'"<a competency id[^"]*>"', "K1"),
    (r'"<[^"]*>"', '"Filled in"'),
]


def fill_placeholders(path: Path) -> None:
    """Do what a user does after 'new': replace every <placeholder> with a real value."""
    text = path.read_text(encoding="utf-8")
    for pattern, value in PLACEHOLDER_VALUES:
        text = re.sub(pattern, value, text)
    path.write_text(text, encoding="utf-8")


def test_every_command_has_help_text() -> None:
    assert cli.help
    for name, command in cli.commands.items():
        assert command.help, f"{name} has no help text"
        result = click.testing.CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0
        assert "Usage: " in result.output


def test_init_creates_journal_and_git_repo(tmp_path: Path, run) -> None:
    result = run(
        "init",
        str(tmp_path / "j"),
        "--mentor",
        "Ann Example",
        "--mentee",
        "Ben Sample",
        cwd=tmp_path,
    )
    assert result.exit_code == 0, result.output
    root = tmp_path / "j"
    assert (root / ".git").is_dir()
    config = (root / CONFIG_NAME).read_text()
    assert 'name: "Ann Example"' in config and 'name: "Ben Sample"' in config
    agreements = list((root / "agreement").glob("*.md"))
    assert len(agreements) == 1
    assert "/reports/" in (root / ".gitignore").read_text()
    assert "created j/mdmentor.yaml" in result.output
    assert "initialised a git repository" in result.output


def test_init_twice_keeps_every_file(tmp_path: Path, run) -> None:
    root = tmp_path / "j"
    run("init", str(root), cwd=tmp_path)
    (root / CONFIG_NAME).write_text((root / CONFIG_NAME).read_text() + "# my edit\n")
    result = run("init", str(root), cwd=tmp_path)
    assert result.exit_code == 0
    assert (root / CONFIG_NAME).read_text().endswith("# my edit\n")
    assert result.output.count("kept") == 4  # config, .gitignore, .gitattributes, agreement
    assert "Nothing to do" in result.output
    assert len(list((root / "agreement").glob("*.md"))) == 1


def test_init_inside_a_journal_is_refused(journal: Path, run) -> None:
    result = run("init", str(journal / "sub"), cwd=journal)
    assert result.exit_code == 2
    assert "is inside the journal" in result.output
    assert not (journal / "sub").exists()


def test_fresh_journal_fails_check_until_placeholders_are_filled(tmp_path: Path, run) -> None:
    root = tmp_path / "j"
    run("init", str(root), "--mentor", "Ann Example", "--mentee", "Ben Sample", cwd=tmp_path)
    result = run("check", cwd=root)
    assert result.exit_code == 1
    assert re.search(
        r"agreement/\S+\.md:\d+: planned_end: placeholder not filled in", result.output
    )
    agreement = next((root / "agreement").glob("*.md"))
    fill_placeholders(agreement)
    result = run("check", cwd=root)
    assert result.exit_code == 0, result.output
    # agreed by nobody yet: a warning, not an error
    assert "warning: not yet agreed by mentor and mentee" in result.output
    assert "1 record checked: 0 errors, 1 warning in 1 file" in result.output


def test_three_of_every_kind_on_one_day_get_ids_that_check_accepts(journal: Path, run) -> None:
    from mdmentor.records.facts import facts, record_specs

    made: list[str] = []
    creatable = [spec for spec in record_specs() if spec.new]
    for spec in creatable:
        kinds = [k.name for k in facts(spec.name).kinds] or [None]
        for kind in kinds:
            by = ["--by", "mentor"] if kind == "reflective-log" else ["--by", "mentee"]
            args = ["--kind", kind] if kind else []
            for _ in range(3):
                result = run(
                    "new", spec.name, "--date", "2026-03-30", "--no-edit", *args, *by, cwd=journal
                )
                assert result.exit_code == 0, result.output
                made.append(result.stdout.strip().splitlines()[-1])
    for path in made:
        fill_placeholders(journal / path) if not path.endswith(".age") else None
    check = run("check", "--format", "json", cwd=journal)
    import json

    problems = json.loads(check.stdout)["problems"]
    assert [p for p in problems if p["field"] == "id" or "id " in p["message"]] == []
    rows = json.loads(run("list", "--format", "json", cwd=journal).stdout)
    ids = [row["id"] for row in rows if row["path"] in made]
    expected = 3 * sum(max(1, len(facts(s.name).kinds)) for s in creatable)
    assert len(ids) == len(set(ids)) == len(made) == expected


@pytest.mark.parametrize(
    "record_type, extra",
    [
        ("agreement", []),
        ("needs", []),
        ("goal", ["--title", "Chair a team meeting"]),
        ("session", []),
        ("reflection", ["--by", "mentee"]),
        ("reflection", ["--by", "mentor"]),
        ("feedback", []),
        ("feedback", ["--kind", "360"]),
        ("feedback", ["--kind", "180-degree"]),
        ("competency", []),
        ("review", ["--kind", "final"]),
    ],
)
def test_new_record_passes_check_once_filled(
    journal: Path, run, record_type: str, extra: list[str]
) -> None:
    result = run("new", record_type, "--date", "2026-03-30", "--no-edit", *extra, cwd=journal)
    assert result.exit_code == 0, result.output
    path = journal / result.stdout.strip().splitlines()[-1]
    assert path.is_file()
    before = run("check", str(path), cwd=journal)
    assert before.exit_code == 1 and "placeholder not filled in" in before.output
    fill_placeholders(path)
    after = run("check", cwd=journal)
    assert "error" not in after.output.replace("0 errors", ""), after.output
    assert after.exit_code == 0


def test_new_session_lists_open_actions_and_prefills_them(journal: Path, run) -> None:
    result = run("new", "session", "--date", "2026-03-23", "--no-edit", cwd=journal)
    assert result.exit_code == 0
    assert "1 action still open from earlier sessions:" in result.stderr
    assert "S-2026-03-09/A2  Draft a handover checklist (mentee, due 2026-03-23)" in result.stderr
    path = journal / "sessions/2026/2026-03-23-session.md"
    text = path.read_text()
    assert "id: S-2026-03-23\n" in text
    assert "  - action: S-2026-03-09/A2" in text
    assert "S-2026-03-09/A1" not in text  # done actions are not carried
    assert "goals: [G-001]" in text


def test_new_review_has_one_evaluation_per_active_goal(journal: Path, run) -> None:
    build_file_tree(
        journal,
        {
            "goals/G-002-x.md": (journal / "goals/G-001-lead-the-morning-handover.md")
            .read_text()
            .replace("G-001", "G-002")
            .replace("status: active", "status: achieved")
        },
    )
    result = run("new", "review", "--date", "2026-05-01", "--no-edit", cwd=journal)
    text = (journal / "reviews/2026-05-01-review.md").read_text()
    assert result.exit_code == 0
    assert text.count("  - goal: ") == 1
    assert "  - goal: G-001  # Lead the morning handover" in text


def test_new_ids_never_collide(journal: Path, run) -> None:
    run("new", "session", "--date", "2026-03-09", "--no-edit", cwd=journal)
    text = (journal / "sessions/2026/2026-03-09-session.md").read_text()
    assert "id: S-2026-03-09-2\n" in text
    run("new", "goal", "--no-edit", "--date", "2026-03-10", cwd=journal)
    assert (journal / "goals/G-002-goal.md").is_file()
    run("new", "reflection", "--by", "mentor", "--date", "2026-03-09", "--no-edit", cwd=journal)
    log = (journal / "reflections/2026/2026-03-09-reflective-log.md").read_text()
    assert "id: R-2026-03-09-mentor\n" in log and "kind: reflective-log" in log
    assert "session: S-2026-03-09-2\n" in log  # the latest session on or before its date


def test_new_file_name_leaves_out_peoples_names(journal: Path, run) -> None:
    result = run(
        "new",
        "goal",
        "--title",
        "Help Ben Sample lead handovers",
        "--date",
        "2026-03-10",
        "--no-edit",
        cwd=journal,
    )
    assert result.stdout.strip() == "goals/G-002-help-lead-handovers.md"


def test_new_refuses_unknown_type_kind_and_person(journal: Path, run) -> None:
    assert run("new", "diary", "--no-edit", cwd=journal).exit_code == 2
    bad_kind = run("new", "review", "--kind", "annual", "--no-edit", cwd=journal)
    assert bad_kind.exit_code == 2 and "'annual' is not a kind of review" in bad_kind.output
    bad_person = run("new", "reflection", "--by", "zoe", "--no-edit", cwd=journal)
    assert bad_person.exit_code == 2 and "no person 'zoe'" in bad_person.output


def test_new_opens_editor(
    journal: Path, run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    script = (
        build_file_tree(tmp_path, {"ed.sh": '#!/bin/sh\necho edited-by-editor >> "$1"\n'}) / "ed.sh"
    )
    script.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(script))
    result = run("new", "goal", "--date", "2026-03-10", cwd=journal)
    assert result.exit_code == 0
    assert (journal / "goals/G-002-goal.md").read_text().endswith("edited-by-editor\n")


def test_journal_is_found_from_a_subfolder_option_and_env(
    journal: Path, run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("check", cwd=journal / "sessions/2026").exit_code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run("list", cwd=elsewhere)
    assert result.exit_code == 2 and "no mdmentor.yaml" in result.output
    assert run("--journal", str(journal), "list", cwd=elsewhere).exit_code == 0
    monkeypatch.setenv("MDMENTOR_JOURNAL", str(journal))
    assert "S-2026-03-09" in run("list", cwd=elsewhere).output


def test_list_filters(journal: Path, run) -> None:
    build_file_tree(
        journal,
        {
            "sessions/2026/2026-04-06-second.md": SESSION.replace("2026-03-09", "2026-04-06")
            .replace("2026-03-16", "2026-04-13")
            .replace("2026-03-15", "2026-04-10")
            .replace("2026-03-23", "2026-04-20")
            .replace("goals: [G-001]", "goals: []")
        },
    )

    def ids(*args: str) -> list[str]:
        result = run("list", *args, "--format", "json", cwd=journal)
        assert result.exit_code == 0, result.output
        return [row["id"] for row in json.loads(result.stdout)]

    assert ids() == ["G-001", "S-2026-03-09", "S-2026-04-06"]
    assert ids("session") == ["S-2026-03-09", "S-2026-04-06"]
    assert ids("session", "--since", "2026-04-01") == ["S-2026-04-06"]
    assert ids("--until", "2026-03-09") == ["G-001", "S-2026-03-09"]
    assert ids("--goal", "G-001") == ["G-001", "S-2026-03-09"]
    assert ids("--status", "active") == ["G-001"]
    assert ids("--person", "supervisor") == []
    assert ids("--person", "mentee") == ["G-001", "S-2026-03-09", "S-2026-04-06"]
    table = run("list", "session", cwd=journal).stdout.splitlines()
    assert table[0].split() == ["ID", "TYPE", "DATE", "STATUS", "TITLE"]
    assert table[1].startswith("S-2026-03-09  session  2026-03-09  1 open")


def test_show_prints_the_record(journal: Path, run) -> None:
    result = run("show", "s-2026-03-09", cwd=journal)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "# S-2026-03-09 · session · sessions/2026/2026-03-09-first-session.md"
    assert result.stdout.endswith(SESSION)
    missing = run("show", "G-404", cwd=journal)
    assert missing.exit_code == 2 and "no record with id G-404" in missing.output


def test_schema_lists_types_and_fields(run) -> None:
    names = run("schema").stdout.split()
    assert names == [
        "agreement",
        "competency_assessment",
        "config",
        "disposal",
        "employment",
        "evaluation",
        "evidence",
        "feedback",
        "goal",
        "information_sharing",
        "issue",
        "missed_session",
        "needs_assessment",
        "referral",
        "reflection",
        "review",
        "session",
    ]
    assert "* criteria[].text: text" in run("schema", "evidence").stdout
    fields = run("schema", "session").stdout
    assert "* date: date" in fields
    assert (
        "* actions[].status: open | in-progress | done | dropped | carried | handed-over" in fields
    )
    assert "  actions[].done: date or empty" in fields
    raw = json.loads(run("schema", "goal", "--json").stdout)
    assert raw["$id"] == "urn:mdmentor:schema:goal"


def test_version(run) -> None:
    assert run("--version").stdout.strip() == "mdmentor, version 0.1.0"


def test_a_disposal_record_is_not_made_by_new(journal: Path, run) -> None:
    result = run("new", "disposal", "--no-edit", cwd=journal)
    assert result.exit_code == 2
    assert "a disposal record is written by 'mdmentor retention --dispose'" in result.stderr


@pytest.mark.parametrize("encrypted", [False, True])
def test_accept_suggests_rekey_only_where_there_are_encrypted_records(
    tmp_path: Path, run, encrypted: bool
) -> None:
    root = tmp_path / "example"
    shutil.copytree(example_journal(), root)
    if encrypted:  # only its name matters: accept does not need to open it
        (root / "reflections" / "2026" / "2026-03-09-reflective-log.md.age").write_bytes(b"x")
    result = run("--journal", str(root), "accept", "--yes")
    assert result.exit_code == 0
    last = result.output.strip().splitlines()[-1]
    hint = (
        "; records are encrypted to the readers they give from now on (run 'mdmentor rekey' "
        "for those written before)"
    )
    assert last == "accepted the terms of AG-2026-06-01" + (hint if encrypted else "")


def test_a_first_acceptance_says_what_the_terms_are_not_a_change_from_nobody(
    tmp_path: Path, run
) -> None:
    root = tmp_path / "example"
    shutil.copytree(example_journal(), root)
    lines = run("--journal", str(root), "accept", "--yes").output.splitlines()
    assert "  - who reads session: mentee, mentor, supervisor" in lines
    assert "  - who reads needs_assessment: mentee, mentor" in lines
    assert "  - retention: 6 years from the end; reflective_log 2 years from the end" in lines
    assert "  - relationship ended: 2026-11-30" in lines
    assert not [line for line in lines if "->" in line or "nobody" in line]


def test_show_of_a_record_that_cannot_be_read_says_so_not_only_that_none_has_its_id(
    journal: Path, run
) -> None:
    goal = journal / "goals" / "G-001-lead-the-morning-handover.md"
    goal.write_bytes(goal.read_bytes() + b"\xe9")  # saved as Latin-1
    result = run("--journal", str(journal), "show", "G-001")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "mdmentor: no record with id G-001 that can be read; 1 file could not be read, and it "
        "may be one of them: run 'mdmentor check' to see why"
    )

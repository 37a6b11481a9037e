"""The field-level merge on its own, the merge driver, and conflict-marker detection.

tests/merge_cases/ holds one folder per shape of merge: ``base.md``, ``ours.md``,
``theirs.md`` and the ``expected.md`` the driver writes over ours, byte for byte. Where
the merge leaves conflicts, ``conflicts.json`` says which (``fields`` in entries, markers
in the ``notes``, or why both versions were kept whole, ``unmerged``); where it gave an
item of ours a new id, ``renumbered.json`` lists ``[list, old id, new id]``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mdmentor.cli import cli
from mdmentor.records.parsing import find_conflict_markers, parse_document
from mdmentor.sharing.gitrepo import merge_file
from mdmentor.sharing.merge import merge_files, merge_texts

from .conftest import build_file_tree
from .gitfixtures import Shared, edit, git, make_shared

CASES = sorted(p for p in (Path(__file__).parent / "merge_cases").iterdir() if p.is_dir())


def _expected_outcome(case: Path) -> tuple[dict[str, object], list[list[str]]]:
    conflicts = case / "conflicts.json"
    renumbered = case / "renumbered.json"
    return (
        json.loads(conflicts.read_text()) if conflicts.exists() else {},
        json.loads(renumbered.read_text()) if renumbered.exists() else [],
    )


@pytest.mark.parametrize("case", CASES, ids=[p.name for p in CASES])
def test_merge_case(case: Path) -> None:
    data, result = merge_files(
        case / "base.md", case / "ours.md", case / "theirs.md", line_merge=merge_file
    )
    conflicts, renumbered = _expected_outcome(case)
    assert data == (case / "expected.md").read_bytes()
    assert result.conflicts == conflicts.get("fields", [])
    assert result.body_conflict == conflicts.get("notes", False)
    assert result.unmerged == conflicts.get("unmerged")
    assert [[r.field, r.old, r.new] for r in result.renumbered] == renumbered
    assert not result.reformatted  # the last resort is never needed for these edits


@pytest.mark.parametrize("case", CASES, ids=[p.name for p in CASES])
def test_merge_driver_writes_the_case_and_exits_0_or_1(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git(tmp_path, "init", "-q")
    for name in ("base", "ours", "theirs"):
        shutil.copy(case / f"{name}.md", tmp_path / f".merge_file_{name}")
    monkeypatch.chdir(tmp_path)  # git runs its driver in the top folder of the work tree
    result = CliRunner().invoke(
        cli,
        ["merge-driver", ".merge_file_base", ".merge_file_ours", ".merge_file_theirs", "r.md"],
    )
    conflicts, renumbered = _expected_outcome(case)
    assert result.exit_code == (1 if conflicts else 0), result.output
    assert (tmp_path / ".merge_file_ours").read_bytes() == (case / "expected.md").read_bytes()
    note = tmp_path / ".git/mdmentor/renumbered-items.json"
    noted = json.loads(note.read_text()) if note.exists() else []
    assert [[n["field"], n["old"], n["new"]] for n in noted] == renumbered
    assert all(n["path"] == "r.md" for n in noted)


BASE = """\
---
type: goal
id: G-001
title: Lead handovers  # a comment the authors wrote
status: active
milestones:
  - {id: M1, text: Observe, due: 2026-03-31}
  - {id: M2, text: Lead one, due: 2026-04-30}
---
Body line one.

Body line two.
"""


def merged(ours: str, theirs: str, base: str = BASE):  # type: ignore[no-untyped-def]
    return merge_texts(base, ours, theirs, line_merge=merge_file)


def test_clean_line_merge_keeps_the_authors_layout_and_comments() -> None:
    ours = BASE.replace("status: active", "status: achieved")
    theirs = BASE.replace("Body line two.", "Body line two, edited.")
    result = merged(ours, theirs)
    assert result.clean
    assert "# a comment the authors wrote" in result.text
    assert "status: achieved" in result.text and "Body line two, edited." in result.text


def test_items_merge_by_id_even_where_lines_collide() -> None:
    ours = BASE.replace(
        "  - {id: M2, text: Lead one, due: 2026-04-30}",
        "  - {id: M2, text: Lead one, due: 2026-04-30, done: 2026-04-20}",
    )
    theirs = BASE.replace(
        "  - {id: M2, text: Lead one, due: 2026-04-30}",
        "  - {id: M2, text: Lead one, due: 2026-04-30}\n"
        "  - {id: M3, text: Lead five, due: 2026-05-30}",
    )
    result = merged(ours, theirs)
    assert result.clean, result.conflicts
    milestones = parse_document(result.text).meta["milestones"]
    assert [(m["id"], m.get("done")) for m in milestones] == [
        ("M1", None),
        ("M2", "2026-04-20"),
        ("M3", None),
    ]


def test_item_deleted_on_one_side_and_edited_on_the_other_is_a_conflict() -> None:
    ours = BASE.replace("  - {id: M1, text: Observe, due: 2026-03-31}\n", "")
    theirs = BASE.replace("text: Observe,", "text: Observe twice,")
    result = merged(ours, theirs)
    assert result.conflicts == ["milestones[0]"]
    meta = parse_document(result.text).meta
    assert meta["milestones"][0]["text"] == "Observe twice"  # the edit is kept
    assert meta["conflicts"][0]["ours"] == "(deleted)"


def test_both_added_the_same_new_file_differently() -> None:
    ours = BASE.replace("status: active", "status: proposed")
    result = merged(ours, BASE.replace("status: active", "status: dropped"), base="")
    assert result.conflicts == ["status"]


def test_an_unparseable_side_is_kept_whole_beside_ours_never_merged() -> None:
    broken = BASE.replace("status: active", "status: [active")
    theirs = BASE.replace("Body line one.", "Body line 1.")
    result = merged(broken, theirs)
    assert not result.clean
    assert result.unmerged == (
        "ours does not parse (line 5: the list that starts with [ here is never closed; "
        "end it with ] on the same line)"
    )
    assert result.text == (
        f"<<<<<<< ours (not merged: {result.unmerged})\n{broken}"
        f"||||||| base\n{BASE}=======\n{theirs}>>>>>>> theirs\n"
    )


def test_heading_underlines_and_code_blocks_are_not_conflicts(journal: Path, run) -> None:
    body = (
        "Title\n=======\n\n```text\n<<<<<<< ours\nexample\n=======\n>>>>>>> theirs\n```\n"
        "Another\n=======\n"
    )
    assert find_conflict_markers(body) == []
    real = "a\n<<<<<<< ours\nx\n=======\ny\n>>>>>>> theirs\n"
    assert find_conflict_markers(real) == [2]
    session = journal / "sessions/2026/2026-03-09-first-session.md"
    session.write_text(session.read_text() + body)
    assert run("check", cwd=journal).exit_code == 0
    build_file_tree(
        journal, {"sessions/2026/2026-03-09-first-session.md": session.read_text() + real}
    )
    result = run("check", cwd=journal)
    assert result.exit_code == 1
    assert "unresolved git merge conflict markers in the notes" in result.output


def test_a_value_used_twice_is_written_out_twice_not_as_a_yaml_alias() -> None:
    from mdmentor.records.parsing import dump_document

    shared = {"id": "M1", "text": "Observe"}
    text = dump_document({"type": "goal", "a": [shared], "b": shared}, "")
    assert "&id" not in text and "*id" not in text
    assert parse_document(text).meta["b"] == shared


def test_plain_markdown_without_front_matter_is_merged_by_lines_only() -> None:
    base = "# Notes\n\nOne.\n\nTwo.\n"
    result = merged("# Notes\n\nOne, edited.\n\nTwo.\n", "# Notes\n\nOne.\n\nTwo, edited.\n", base)
    assert result.clean and result.text == "# Notes\n\nOne, edited.\n\nTwo, edited.\n"


def test_a_version_over_the_size_limit_is_kept_whole_and_the_driver_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git(tmp_path, "init", "-q")
    big = BASE + "x" * (1024 * 1024) + "\n"
    build_file_tree(tmp_path, {"b": BASE, "o": BASE.replace("active", "achieved"), "t": big})
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["merge-driver", "b", "o", "t", "goals/G-001.md"])
    why = "theirs cannot be read (file is 1,048,808 bytes; a record may be at most 1,048,576 bytes)"
    assert result.exit_code == 1
    assert result.output == f"mdmentor: conflict in goals/G-001.md: {why}\n"
    written = (tmp_path / "o").read_text()
    assert written.startswith(f"<<<<<<< ours (not merged: {why})\n---\ntype: goal\n")
    assert written.endswith(f"||||||| base\n{BASE}=======\n{big}>>>>>>> theirs\n")
    assert written.count("status: achieved") == 1


# --- through sync, on real clones ----------------------------------------------------------

SESSION_PATH = "sessions/2026/2026-03-09-first-session.md"
NEXT_ACTION = "  - {{id: A3, text: {text}, owner: {owner}, status: open}}\nnext_session:"


@pytest.fixture
def shared(tmp_path: Path, journal: Path) -> Shared:
    return make_shared(tmp_path, journal)


def test_actions_both_added_as_a3_keep_both_and_our_references_follow(shared: Shared, run) -> None:
    mentor_file, mentee_file = shared.mentor / SESSION_PATH, shared.mentee / SESSION_PATH
    edit(mentor_file, "next_session:", NEXT_ACTION.format(text="Book the room", owner="mentor"))
    assert run("sync", cwd=shared.mentor).exit_code == 0
    pushed = git(shared.mentor, "rev-parse", "HEAD").strip()
    edit(
        mentee_file, "next_session:", NEXT_ACTION.format(text="Ask the night team", owner="mentee")
    )
    made = run("new", "session", "--date", "2026-03-23", "--no-edit", cwd=shared.mentee)
    assert made.exit_code == 0, made.output
    later = shared.mentee / "sessions/2026/2026-03-23-session.md"
    assert "  - action: S-2026-03-09/A3  # Ask the night team" in later.read_text()
    result = run("sync", cwd=shared.mentee)
    assert result.exit_code == 0, result.output
    assert "both sides added A3 to S-2026-03-09: yours is now A4\n" in result.output
    assert "pushed" in result.output
    assert (
        "    status: open\n  - {id: A3, text: Book the room, owner: mentor, status: open}\n"
        "  - {id: A4, text: Ask the night team, owner: mentee, status: open}\nnext_session:"
        in mentee_file.read_text()
    )
    assert "  - action: S-2026-03-09/A4  # Ask the night team" in later.read_text()
    assert "  - action: S-2026-03-09/A2  # Draft a handover checklist" in later.read_text()
    assert run("sync", cwd=shared.mentor).exit_code == 0
    # What the mentor sees change: one line added, nothing rewritten.
    assert git(shared.mentor, "diff", "--numstat", pushed, "HEAD", "--", SESSION_PATH) == (
        f"1\t0\t{SESSION_PATH}\n"
    )


def test_a_merge_rewrites_no_line_that_neither_side_changed(shared: Shared, run) -> None:
    mentor_file, mentee_file = shared.mentor / SESSION_PATH, shared.mentee / SESSION_PATH
    edit(mentor_file, "mode: video", "mode: 'phone'  # the room was booked")
    edit(mentor_file, "    status: open", "    status: open\n    # ask Sam for the template")
    assert run("sync", cwd=shared.mentor).exit_code == 0
    edit(mentee_file, "duration_minutes: 60", "duration_minutes: 75")
    edit(mentee_file, "next_session:\n", "# next time: the night team\nnext_session:\n")
    mine = mentee_file.read_text()
    result = run("sync", cwd=shared.mentee)
    assert result.exit_code == 0, result.output
    assert mentee_file.read_text() == mine.replace(
        "mode: video", "mode: 'phone'  # the room was booked"
    ).replace("    status: open\n", "    status: open\n    # ask Sam for the template\n")


def test_their_version_not_in_utf8_is_a_listed_conflict_and_nothing_is_pushed(
    shared: Shared, run
) -> None:
    mentor_file, mentee_file = shared.mentor / SESSION_PATH, shared.mentee / SESSION_PATH
    mentor_file.write_bytes(mentor_file.read_bytes().replace(b"Notes.", b"Met at the caf\xe9."))
    git(shared.mentor, "commit", "-qam", "saved in Latin-1 and pushed with plain git")
    git(shared.mentor, "push", "-q")
    pushed = shared.remote_head()
    edit(mentee_file, "duration_minutes: 60", "duration_minutes: 75")
    result = run("sync", cwd=shared.mentee)
    assert result.exit_code == 1
    assert (
        f"  {SESSION_PATH}: not valid UTF-8 (byte 0xe9); save the file with UTF-8 encoding\n"
        in result.stderr
    )
    assert "nothing was pushed" in result.stderr
    assert shared.remote_head() == pushed
    kept = mentee_file.read_bytes()
    assert kept.startswith(b"<<<<<<< ours (not merged: theirs cannot be read (line 26: not valid")
    assert b"duration_minutes: 75" in kept and b"Met at the caf\xe9." in kept
    assert run("sync", cwd=shared.mentee).exit_code == 1  # until someone resolves it
    assert shared.remote_head() == pushed


def test_their_version_that_does_not_parse_is_a_listed_conflict(shared: Shared, run) -> None:
    mentor_file, mentee_file = shared.mentor / SESSION_PATH, shared.mentee / SESSION_PATH
    edit(mentor_file, "mode: video", "mode: [video")
    git(shared.mentor, "commit", "-qam", "a typing slip, pushed with plain git")
    git(shared.mentor, "push", "-q")
    edit(mentee_file, "duration_minutes: 60", "duration_minutes: 75")
    result = run("sync", cwd=shared.mentee)
    assert result.exit_code == 1
    assert f"  {SESSION_PATH}: conflict markers from line 1\n" in result.stderr
    text = mentee_file.read_text()
    assert "duration_minutes: 75" in text and "mode: [video" in text


def test_a_record_saved_again_with_windows_line_ends_only_has_nothing_to_commit(
    shared: Shared, run
) -> None:
    path = shared.mentee / SESSION_PATH
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    result = run("sync", cwd=shared.mentee)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("nothing new to commit\n")
    assert git(shared.mentee, "rev-parse", "HEAD") == git(shared.remote, "rev-parse", "HEAD")


def test_a_record_deleted_on_one_side_and_edited_on_the_other_keeps_its_text(
    shared: Shared, run
) -> None:
    goal = "goals/G-001-lead-the-morning-handover.md"
    (shared.mentor / goal).unlink()
    edit(shared.mentor / SESSION_PATH, "goals: [G-001]", "goals: []")
    assert run("sync", cwd=shared.mentor).exit_code == 0
    edit(shared.mentee / goal, "status: active", "status: achieved  # at last!")
    edited = (shared.mentee / goal).read_text()
    result = run("sync", cwd=shared.mentee)
    assert result.exit_code == 1
    assert (shared.mentee / goal).read_text() == edited.replace(
        "competencies: [S1]\n",
        "competencies: [S1]\n"
        "conflicts:\n"
        "- field: (the whole record)\n"
        "  ours: edited\n"
        "  theirs: (deleted)\n"
        "  note: Kept the edited version. Delete the file to accept the deletion, or remove "
        "this entry to keep\n"
        "    it.\n",
    )


def test_with_conflicts_adds_to_the_entries_there_and_keeps_every_other_line() -> None:
    from mdmentor.sharing.merge import with_conflicts

    text = BASE.replace(
        "---\nBody",
        "conflicts:\n- {field: status, ours: active, theirs: achieved}\n# why\n---\nBody",
    )
    written = with_conflicts(text, [{"field": "title", "ours": "a", "theirs": "b"}])
    assert written == text.replace(
        "- {field: status, ours: active, theirs: achieved}\n",
        "- field: status\n  ours: active\n  theirs: achieved\n"
        "- field: title\n  ours: a\n  theirs: b\n",
    )

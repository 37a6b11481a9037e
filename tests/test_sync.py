"""sync, the merge driver, history and doctor, on real git: a bare remote and two clones."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mdmentor.records.parsing import parse_document

from .gitfixtures import Shared, edit, git, make_shared

SESSION = "sessions/2026/2026-03-09-first-session.md"
GOAL = "goals/G-001-lead-the-morning-handover.md"


@pytest.fixture
def shared(tmp_path: Path, journal: Path) -> Shared:
    return make_shared(tmp_path, journal)


def sync(run, clone: Path):  # type: ignore[no-untyped-def]
    return run("sync", cwd=clone)


def test_different_fields_edited_on_each_side_merge_cleanly(shared: Shared, run) -> None:
    edit(shared.mentor / SESSION, "duration_minutes: 60", "duration_minutes: 75")
    assert sync(run, shared.mentor).exit_code == 0
    edit(shared.mentee / SESSION, "    status: open", "    status: done\n    done: 2026-03-20")
    result = sync(run, shared.mentee)
    assert result.exit_code == 0, result.output
    assert "merged the remote's changes" in result.output
    assert "pushed" in result.output
    meta = parse_document((shared.mentee / SESSION).read_text()).meta
    assert meta["duration_minutes"] == 75
    assert meta["actions"][1]["status"] == "done" and meta["actions"][1]["done"] == "2026-03-20"
    assert sync(run, shared.mentor).exit_code == 0
    assert (shared.mentor / SESSION).read_text() == (shared.mentee / SESSION).read_text()
    assert run("check", cwd=shared.mentor).exit_code == 0


def test_commit_message_names_records_and_fields_not_notes(shared: Shared, run) -> None:
    edit(shared.mentor / SESSION, "    status: open", "    status: in-progress")
    edit(shared.mentor / SESSION, "Notes.", "Private words about the mentee.")
    result = sync(run, shared.mentor)
    assert "committed: session S-2026-03-09: actions: A2 updated" in result.output
    log = git(shared.mentor, "log", "-1", "--format=%an <%ae>%n%B")
    assert log.startswith(
        "Ann Example <ann@example.org>\nsession S-2026-03-09: actions: A2 updated"
    )
    assert "Private" not in log


def test_same_field_both_sides_is_a_conflict_keeping_both_values(shared: Shared, run) -> None:
    edit(shared.mentor / SESSION, "duration_minutes: 60", "duration_minutes: 75")
    assert sync(run, shared.mentor).exit_code == 0
    pushed = shared.remote_head()
    edit(shared.mentee / SESSION, "duration_minutes: 60", "duration_minutes: 45")
    result = sync(run, shared.mentee)
    assert result.exit_code == 1
    assert f"{SESSION}: fields: duration_minutes" in result.stderr
    assert "nothing was pushed" in result.stderr
    assert shared.remote_head() == pushed
    meta = parse_document((shared.mentee / SESSION).read_text()).meta
    assert meta["conflicts"] == [
        {"field": "duration_minutes", "base": 60, "ours": 45, "theirs": 75}
    ]
    check = run("check", cwd=shared.mentee)
    assert check.exit_code == 1
    assert (
        "conflicts[0]: unresolved merge conflict in 'duration_minutes': ours 45, theirs 75"
        in check.output
    )
    # Syncing again without resolving still pushes nothing.
    assert sync(run, shared.mentee).exit_code == 1
    assert shared.remote_head() == pushed
    # Resolve: keep 45, delete the entry; then sync pushes.
    text = (shared.mentee / SESSION).read_text()
    text = re.sub(r"conflicts:\n(- .*\n|  .*\n)+", "", text)
    (shared.mentee / SESSION).write_text(text)
    assert run("check", cwd=shared.mentee).exit_code == 0
    final = sync(run, shared.mentee)
    assert final.exit_code == 0, final.output
    assert shared.remote_head() != pushed


def test_both_add_actions_to_the_same_session(shared: Shared, run) -> None:
    new_action = "  - {{id: {id}, text: {text}, owner: {owner}, status: open}}\nnext_session:"
    edit(
        shared.mentor / SESSION,
        "next_session:",
        new_action.format(id="A3", text="Book the training room", owner="mentor"),
    )
    assert sync(run, shared.mentor).exit_code == 0
    edit(
        shared.mentee / SESSION,
        "next_session:",
        new_action.format(id="A4", text="Ask the night team", owner="mentee"),
    )
    assert sync(run, shared.mentee).exit_code == 0
    ids = [a["id"] for a in parse_document((shared.mentee / SESSION).read_text()).meta["actions"]]
    assert ids == ["A1", "A2", "A3", "A4"]  # theirs after the item it follows there


def test_deleted_on_one_side_edited_on_the_other_keeps_the_edit(shared: Shared, run) -> None:
    (shared.mentor / GOAL).unlink()
    edit(shared.mentor / SESSION, "goals: [G-001]", "goals: []")
    assert sync(run, shared.mentor).exit_code == 0
    edit(shared.mentee / GOAL, "status: active", "status: achieved\nachieved: 2026-04-01")
    result = sync(run, shared.mentee)
    assert result.exit_code == 1
    assert f"{GOAL}: fields: (the whole record)" in result.stderr
    meta = parse_document((shared.mentee / GOAL).read_text()).meta
    assert meta["status"] == "achieved"
    assert (
        meta["conflicts"][0]["ours"] == "edited" and meta["conflicts"][0]["theirs"] == "(deleted)"
    )


def test_both_create_records_the_same_day(shared: Shared, run) -> None:
    for clone, args in ((shared.mentor, ["--kind", "360"]), (shared.mentee, ["--by", "mentee"])):
        made = run("new", "feedback", "--date", "2026-03-09", "--no-edit", *args, cwd=clone)
        assert made.exit_code == 0, made.output
    assert sync(run, shared.mentor).exit_code == 0
    assert sync(run, shared.mentee).exit_code == 0
    files = sorted(p.name for p in (shared.mentee / "feedback/2026").glob("*.md"))
    assert files == ["2026-03-09-360-degree.md", "2026-03-09-mentee-feedback.md"]
    ids = sorted(
        parse_document(p.read_text()).meta["id"]
        for p in (shared.mentee / "feedback/2026").glob("*.md")
    )
    assert ids == ["F-2026-03-09-360", "F-2026-03-09-mentee"]


def test_body_edited_on_both_sides_puts_markers_in_the_body_only(shared: Shared, run) -> None:
    edit(shared.mentor / SESSION, "Notes.", "Notes from the mentor.")
    assert sync(run, shared.mentor).exit_code == 0
    edit(shared.mentee / SESSION, "Notes.", "Notes from the mentee.")
    result = sync(run, shared.mentee)
    assert result.exit_code == 1
    assert "conflict markers in the notes" in result.stderr
    text = (shared.mentee / SESSION).read_text()
    document = parse_document(text)  # the front matter still parses
    assert "conflicts" not in document.meta
    assert (
        "<<<<<<< ours\nNotes from the mentee.\n||||||| base\nNotes.\n=======\n"
        "Notes from the mentor.\n>>>>>>> theirs" in document.body
    )
    check = run("check", cwd=shared.mentee)
    assert "unresolved git merge conflict markers in the notes" in check.output


def test_offline_remote_keeps_the_local_commit(shared: Shared, run) -> None:
    shared.remote.rename(shared.remote.with_name("moved.git"))
    edit(shared.mentor / SESSION, "duration_minutes: 60", "duration_minutes: 70")
    result = sync(run, shared.mentor)
    assert result.exit_code == 4
    assert "not synced" in result.stderr
    assert (
        git(shared.mentor, "log", "-1", "--format=%s").strip()
        == "session S-2026-03-09: duration_minutes updated"
    )
    assert git(shared.mentor, "status", "--porcelain").strip() == ""


def test_merge_in_progress_is_refused(shared: Shared, run) -> None:
    edit(shared.mentor / SESSION, "Notes.", "Mentor notes.")
    git(shared.mentor, "commit", "-qam", "mentor")
    git(shared.mentor, "push", "-q")
    edit(shared.mentee / SESSION, "Notes.", "Mentee notes.")
    git(shared.mentee, "commit", "-qam", "mentee")
    git(shared.mentee, "fetch", "-q")
    subprocess_result = run_git_allowing_failure(shared.mentee, "merge", "origin/main")
    assert subprocess_result != 0
    before = (shared.mentee / SESSION).read_text()
    result = sync(run, shared.mentee)
    assert result.exit_code == 3
    assert "a merge is in progress" in result.stderr
    assert (shared.mentee / SESSION).read_text() == before


def run_git_allowing_failure(cwd: Path, *args: str) -> int:
    import subprocess

    # Run in a clone that never synced, so has no driver: plain git, plain conflict markers.
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False).returncode


def test_detached_head_is_refused(shared: Shared, run) -> None:
    git(shared.mentor, "checkout", "-q", "--detach")
    edit(shared.mentor / SESSION, "duration_minutes: 60", "duration_minutes: 70")
    result = sync(run, shared.mentor)
    assert result.exit_code == 3
    assert "HEAD is detached" in result.stderr
    assert "duration_minutes: 70" in (shared.mentor / SESSION).read_text()
    assert git(shared.mentor, "status", "--porcelain").strip() == f"M {SESSION}"


def test_stale_index_lock_is_refused(shared: Shared, run) -> None:
    (shared.mentor / ".git/index.lock").write_text("")
    result = sync(run, shared.mentor)
    assert result.exit_code == 3
    assert "index.lock exists" in result.stderr


def test_without_a_remote_sync_commits_locally(journal: Path, run) -> None:
    git(journal, "init", "-q", "-b", "main")
    result = sync(run, journal)
    assert result.exit_code == 0, result.output
    assert "local only" in result.output
    assert git(journal, "log", "--format=%s").splitlines() == [
        "mdmentor: merge records field by field",
        "sync: 3 files changed",
    ]
    assert git(journal, "config", "core.fsync").strip() == "committed"
    assert (
        git(journal, "config", "merge.mdmentor.driver")
        .strip()
        .endswith("-m mdmentor merge-driver %O %A %B %P")
    )
    assert (journal / ".gitattributes").read_text().splitlines()[-4:] == [
        "*.md merge=mdmentor",
        "*.md text eol=lf",
        "mdmentor.yaml text eol=lf",
        "*.md.age -text -diff merge=binary",
    ]


def test_plain_git_conflict_markers_are_detected(shared: Shared, run) -> None:
    edit(shared.mentor / SESSION, "duration_minutes: 60", "duration_minutes: 75")
    assert sync(run, shared.mentor).exit_code == 0
    edit(shared.mentee / SESSION, "duration_minutes: 60", "duration_minutes: 45")
    git(shared.mentee, "commit", "-qam", "mentee")
    git(shared.mentee, "fetch", "-q")
    assert run_git_allowing_failure(shared.mentee, "merge", "origin/main") != 0
    check = run("check", cwd=shared.mentee)
    assert check.exit_code == 1
    assert f"{SESSION}:6: unresolved git merge conflict" in check.output
    result = sync(run, shared.mentee)
    assert result.exit_code == 3
    assert "a merge is in progress" in result.stderr


def test_history_shows_who_changed_which_fields(shared: Shared, run) -> None:
    edit(shared.mentor / SESSION, "duration_minutes: 60", "duration_minutes: 75")
    sync(run, shared.mentor)
    sync(run, shared.mentee)
    edit(shared.mentee / SESSION, "    status: open", "    status: done\n    done: 2026-03-20")
    sync(run, shared.mentee)
    lines = run("history", "S-2026-03-09", cwd=shared.mentee).stdout.splitlines()
    assert len(lines) == 3
    assert lines[0].endswith("Ben Sample: actions: A2 updated")
    assert lines[1].endswith("Ann Example: duration_minutes updated")
    assert lines[2].endswith("Test: created")  # the first commit, made with plain git


def test_doctor_reports_what_to_fix(shared: Shared, run) -> None:
    result = run("doctor", cwd=shared.mentee)
    assert result.exit_code == 1
    assert "PROBLEM merge driver registered in this clone's git config" in result.output
    assert "PROBLEM core.fsync is set" in result.output
    assert "ok      remote 'origin' answers" in result.output
    sync(run, shared.mentee)
    git(shared.mentee, "config", "core.fsync", "committed")
    (shared.mentee / ".gitignore").write_text("/reports/\n*.html\n*.swp\n")
    result = run("doctor", cwd=shared.mentee)
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("0 problems found")
    from mdmentor.privacy import crypto

    crypto.record_keys_dir().mkdir(parents=True, exist_ok=True)
    (crypto.record_keys_dir() / "one.key").write_text("not used here\n")
    assert (
        f"keys of their own for 1 private record are in {crypto.record_keys_dir()}: back that "
        "folder up"
    ) in run("doctor", cwd=shared.mentee).output


def test_gitattributes_is_added_once_not_by_both_clones(shared: Shared, run) -> None:
    # A journal first shared with plain git, before any clone ran sync.
    git(shared.mentor, "rm", "-q", ".gitattributes")
    git(shared.mentor, "commit", "-qm", "no attributes")
    git(shared.mentor, "push", "-q")
    git(shared.mentee, "pull", "-q")
    assert sync(run, shared.mentor).exit_code == 0
    result = sync(run, shared.mentee)
    assert result.exit_code == 0, result.output
    assert "brought in the remote's changes (fast-forward)" in result.output
    assert (shared.mentee / ".gitattributes").read_text() == (
        shared.mentor / ".gitattributes"
    ).read_text()
    assert git(shared.mentee, "status", "--porcelain") == ""


def test_no_upstream_is_refused_and_the_commit_kept(journal: Path, tmp_path: Path, run) -> None:
    git(tmp_path, "init", "--bare", "-q", "-b", "main", str(tmp_path / "remote.git"))
    git(journal, "init", "-q", "-b", "main")
    git(journal, "remote", "add", "origin", str(tmp_path / "remote.git"))
    result = sync(run, journal)
    assert result.exit_code == 3
    assert "has no upstream; set it once with 'git push -u origin main'" in result.stderr
    assert git(journal, "log", "--format=%s").strip().startswith("sync: ")


def test_local_state_is_kept_before_integrating_and_only_then(shared: Shared, run) -> None:
    edit(shared.mentor / SESSION, "duration_minutes: 60", "duration_minutes: 75")
    assert sync(run, shared.mentor).exit_code == 0
    assert git(shared.mentor, "for-each-ref", "refs/mdmentor/") == ""  # nothing to integrate
    edit(shared.mentee / SESSION, "Notes.", "Mentee notes.")
    mine = git(shared.mentee, "rev-parse", "HEAD").strip()
    git(shared.mentee, "commit", "-qam", "mentee")
    mine = git(shared.mentee, "rev-parse", "HEAD").strip()
    assert sync(run, shared.mentee).exit_code == 0
    kept = git(shared.mentee, "for-each-ref", "--format=%(objectname)", "refs/mdmentor/").split()
    assert kept == [mine]


def test_goals_created_on_both_sides_keep_both_with_distinct_ids(shared: Shared, run) -> None:
    assert (
        run(
            "new",
            "goal",
            "--title",
            "Chair meetings",
            "--date",
            "2026-03-10",
            "--no-edit",
            cwd=shared.mentor,
        ).exit_code
        == 0
    )
    assert sync(run, shared.mentor).exit_code == 0
    assert (
        run(
            "new",
            "goal",
            "--title",
            "Plan the rota",
            "--date",
            "2026-03-10",
            "--no-edit",
            cwd=shared.mentee,
        ).exit_code
        == 0
    )
    assert (
        run("new", "session", "--date", "2026-03-23", "--no-edit", cwd=shared.mentee).exit_code == 0
    )
    mentee_session = shared.mentee / "sessions/2026/2026-03-23-session.md"
    assert "goals: [G-001, G-002]" in mentee_session.read_text()  # G-002: the mentee's own goal
    result = sync(run, shared.mentee)
    assert result.exit_code == 0, result.output
    assert (
        "both sides created G-002: yours is now G-003 (goals/G-003-plan-the-rota.md)"
        in result.output
    )
    goals = sorted(p.name for p in (shared.mentee / "goals").glob("*.md"))
    assert goals == [
        "G-001-lead-the-morning-handover.md",
        "G-002-chair-meetings.md",
        "G-003-plan-the-rota.md",
    ]
    assert "id: G-003\n" in (shared.mentee / "goals/G-003-plan-the-rota.md").read_text()
    assert "goals: [G-001, G-003]" in mentee_session.read_text()  # its reference followed
    assert sync(run, shared.mentor).exit_code == 0
    assert sorted(p.name for p in (shared.mentor / "goals").glob("*.md")) == goals
    assert "id G-002 is already used" not in run("check", cwd=shared.mentor).output


def test_next_free_id() -> None:
    from mdmentor.sharing.renumber import _next_free

    assert _next_free("G-002", {"G-001", "G-002", "G-009"}) == "G-010"
    assert _next_free("S-2026-03-09", {"S-2026-03-09", "S-2026-03-09-2"}) == "S-2026-03-09-3"

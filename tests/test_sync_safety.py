"""sync owns the clone while it runs: one at a time, saves made meanwhile are kept, Ctrl-C
stops it at once, and a sync killed at any stage is completed by the next one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from mdmentor.records.journal import open_journal
from mdmentor.sharing import lock
from mdmentor.sharing.sync import sync

from .lab import Lab, journal_files

SESSION_PATH = "sessions/2026/2026-03-09-first-session.md"
GOAL_PATH = "goals/G-001-lead-the-morning-handover.md"


@pytest.fixture
def lab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Lab:
    return Lab(tmp_path, monkeypatch, journal_files(None))


def edit_line(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def remote_text(lab: Lab, rel: str) -> str:
    return subprocess.run(
        ["git", "show", f"main:{rel}"], cwd=lab.remote, capture_output=True, text=True, check=True
    ).stdout


def test_a_second_sync_in_the_same_clone_says_one_is_running(
    lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lock, "WAIT_SECONDS", 0.5)
    edit_line(lab.path("mentor", SESSION_PATH), "Notes.", "Notes from the mentor.")
    paused, release = threading.Event(), threading.Event()

    def hold(stage: str) -> None:
        if stage == "fetched":
            paused.set()
            release.wait(10)

    with lab.as_person("mentor"):
        first = threading.Thread(
            target=sync, args=(open_journal(lab["mentor"].clone),), kwargs={"on_stage": hold}
        )
        first.start()
        assert paused.wait(10)
        second = lab.run("mentor", "sync")
        release.set()
        first.join(10)
    assert second.exit_code == 3
    assert second.stderr.startswith(
        "mdmentor: another mdmentor command is running in this clone ('sync', started "
    )
    assert "Notes from the mentor." in remote_text(lab, SESSION_PATH)  # the first one finished


@pytest.mark.parametrize("stage", ["committed", "fetched", "merged"])
def test_a_file_saved_while_sync_runs_is_kept_and_shared(lab: Lab, stage: str) -> None:
    edit_line(lab.path("mentee", SESSION_PATH), "Notes.", "Notes from the mentee.")
    lab.ok("mentee", "sync")
    edit_line(lab.path("mentor", GOAL_PATH), "status: active", "status: achieved")

    def save_meanwhile(now: str) -> None:
        if now == stage:
            edit_line(lab.path("mentor", GOAL_PATH), "Why this goal matters.", "Saved mid-sync.")

    with lab.as_person("mentor"):
        result = sync(open_journal(lab["mentor"].clone), on_stage=save_meanwhile)
    assert result.pushed
    assert result.saved_meanwhile == [GOAL_PATH]
    goal = remote_text(lab, GOAL_PATH)
    assert "status: achieved" in goal and "Saved mid-sync." in goal
    assert "Notes from the mentee." in lab.path("mentor", SESSION_PATH).read_text()
    assert lab.git("mentor", "status", "--porcelain") == ""


def sync_process(lab: Lab, who: str, **env: str) -> subprocess.Popen[str]:
    """``mdmentor sync`` as a separate process, as a person starts it from a terminal."""
    member = lab[who]
    return subprocess.Popen(
        [sys.executable, "-m", "mdmentor", "sync"],
        cwd=member.clone,
        env={**os.environ, **member.env(), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def test_ctrl_c_during_a_push_stops_within_two_seconds(lab: Lab) -> None:
    lab.git("mentor", "config", "protocol.ext.allow", "always")
    lab.git("mentor", "remote", "set-url", "--push", "origin", "ext::sleep 61")
    edit_line(lab.path("mentor", SESSION_PATH), "Notes.", "Notes to push.")
    process = sync_process(lab, "mentor")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        children = subprocess.run(
            ["pgrep", "-f", "sleep 61$"], capture_output=True, text=True, check=False
        ).stdout
        if children.strip():
            break
        time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("the push never started")
    started = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)  # Ctrl-C goes to the whole foreground group
    _, stderr = process.communicate(timeout=10)
    stopped = time.monotonic() - started
    subprocess.run(["pkill", "-f", "sleep 61$"], check=False)
    assert stopped < 2
    assert process.returncode == 130
    assert "Traceback" not in stderr
    assert "stopped; run the same command again to finish" in stderr
    lab.git("mentor", "remote", "set-url", "--push", "origin", str(lab.remote))
    lab.ok("mentor", "sync")
    assert "Notes to push." in remote_text(lab, SESSION_PATH)


@pytest.mark.parametrize("stage", ["committed", "fetched", "merge-driver", "merged", "pushing"])
def test_a_sync_killed_at_any_stage_is_completed_by_the_next(lab: Lab, stage: str) -> None:
    lab.ok("mentor", "sync")  # registers the merge driver in this clone
    edit_line(lab.path("mentee", SESSION_PATH), "Notes.", "Notes from the mentee.")
    lab.ok("mentee", "sync")
    edit_line(lab.path("mentor", SESSION_PATH), "duration_minutes: 60", "duration_minutes: 75")
    edit_line(lab.path("mentor", SESSION_PATH), "topics: [Handover structure]", "topics: [Rota]")
    edit_line(lab.path("mentor", GOAL_PATH), "status: active", "status: achieved")
    process = sync_process(lab, "mentor", MDMENTOR_FAILPOINT=stage)
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    result = lab.run("mentor", "sync")
    assert result.exit_code == 0, result.output
    session = remote_text(lab, SESSION_PATH)
    assert "Notes from the mentee." in session
    assert "duration_minutes: 75" in session and "topics: [Rota]" in session
    assert "status: achieved" in remote_text(lab, GOAL_PATH)
    assert lab.git("mentor", "status", "--porcelain") == ""
    lab.git("mentor", "fsck", "--no-progress")


def test_a_windows_clone_with_autocrlf_works(lab: Lab) -> None:
    windows = lab.tmp / "windows"
    with lab.as_person("mentee"):
        subprocess.run(
            ["git", "clone", "-q", "-c", "core.autocrlf=true", str(lab.remote), str(windows)],
            check=True,
        )
    session = windows / SESSION_PATH
    assert b"\r\n" not in session.read_bytes()  # .gitattributes keeps records LF anyway
    # Notepad saves the whole file with CRLF line ends.
    session.write_bytes(
        session.read_bytes().replace(b"Notes.", b"Notes from Windows.").replace(b"\n", b"\r\n")
    )
    lab["mentee"].clone = windows
    check = lab.run("mentee", "check")
    assert check.exit_code == 0, check.output
    lab.ok("mentee", "sync")
    shared = remote_text(lab, SESSION_PATH)
    assert "Notes from Windows." in shared and "\r" not in shared

"""Fits the tools and habits people already have: pre-commit, editors, platform folders,
Obsidian vaults, shell completion, plain wording."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import GOAL, MINIMAL_CONFIG, SESSION, build_file_tree

REPO = Path(__file__).resolve().parent.parent


def test_the_pre_commit_hook_runs_check_on_the_files_pre_commit_passes(tmp_path: Path, run) -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "mdmentor-check")
    assert hook["entry"] == "mdmentor check" and hook["language"] == "python"
    # A repository whose journal is one folder of it, beside other files.
    repo = build_file_tree(
        tmp_path / "repo",
        {
            "README.md": "# Our team\n",
            "mentoring/mdmentor.yaml": MINIMAL_CONFIG,
            "mentoring/goals/G-001-lead-the-morning-handover.md": GOAL,
            "mentoring/sessions/2026/2026-03-09-first-session.md": SESSION.replace(
                "duration_minutes: 60", "duration_minutes: sixty"
            ),
        },
    )

    staged = [
        p.relative_to(repo).as_posix()
        for p in sorted(repo.rglob("*"))
        if p.is_file() and re.search(hook["files"], p.name)
    ]
    assert "README.md" in staged and len(staged) == 4
    args = hook["entry"].split()[1:] + staged  # pre-commit appends the file names
    result = run(*args, cwd=repo)
    assert result.exit_code == 1
    assert (
        "mentoring/sessions/2026/2026-03-09-first-session.md:6: duration_minutes: must be a "
        "whole number, not the text 'sixty'"
    ) in result.stdout
    assert "skipped 1 path in no journal" in result.stderr
    fixed = repo / "mentoring/sessions/2026/2026-03-09-first-session.md"
    fixed.write_text(SESSION)
    assert run(*args, cwd=repo).exit_code == 0


def test_check_of_a_file_reached_through_a_linked_folder_still_checks_it(
    tmp_path: Path, run
) -> None:
    # A home or temporary folder that is a link (macOS's /tmp is): the root is resolved,
    # and the file named must still be found in it, not pass unchecked.
    build_file_tree(
        tmp_path / "real" / "journal",
        {
            "mdmentor.yaml": MINIMAL_CONFIG,
            "goals/G-001-lead-the-morning-handover.md": GOAL,
            "sessions/2026/2026-03-09-first-session.md": SESSION.replace(
                "duration_minutes: 60", "duration_minutes: sixty"
            ),
        },
    )
    (tmp_path / "via").symlink_to(tmp_path / "real")
    session = tmp_path / "via" / "journal" / "sessions" / "2026" / "2026-03-09-first-session.md"
    result = run("check", str(session))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "1 record checked: 1 error, 0 warnings in 1 file"


def test_a_missing_journal_folder_says_it_does_not_exist(tmp_path: Path, run) -> None:
    result = run("--journal", str(tmp_path / "nowhere"), "check")
    assert result.exit_code == 2
    assert f"mdmentor: {tmp_path / 'nowhere'} does not exist; check the folder's name" in (
        result.stderr
    )


def test_with_no_editor_set_and_no_terminal_new_does_not_open_one(
    journal: Path, run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    nano = bin_dir / "nano"
    nano.write_text('#!/bin/sh\ntouch "$1.opened"\n')
    nano.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    result = run("new", "session", "--date", "2026-03-30", cwd=journal)
    assert result.exit_code == 0
    assert "not opened: no terminal to open nano in: set the EDITOR environment variable" in (
        result.stderr
    )
    assert list(journal.rglob("*.opened")) == []
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    edited = run("edit", "S-2026-03-30", cwd=journal)
    assert edited.exit_code == 1
    assert "no editor found: set the EDITOR environment variable" in edited.stderr


def test_an_identity_in_the_old_config_folder_keeps_working(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import platformdirs

    from mdmentor.userdirs import config_dir

    legacy = tmp_path / "xdg" / "mdmentor"
    legacy.mkdir(parents=True)
    (legacy / "identity.txt").write_text("AGE-SECRET-KEY-1EXAMPLE\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    elsewhere = tmp_path / "Library" / "Application Support" / "mdmentor"
    monkeypatch.setattr(platformdirs, "user_config_dir", lambda *a, **k: str(elsewhere))
    assert config_dir() == legacy  # as on macOS or Windows, where 0.1 kept it here
    (legacy / "identity.txt").unlink()
    assert config_dir() == elsewhere


OBSIDIAN_SESSION = """\
---
type: session
id: S-2026-03-23
date: 2026-03-23
start_time: "10:00"
duration_minutes: 45
mode: video
attendees:
  - mentor
  - mentee
goals:
  - G-001
topics:
  - "Handover: what to cover"
insights:
decisions:
next_session:
tags:
  - mentoring
aliases:
cssclasses:
---
Notes written in Obsidian.
"""


def test_a_journal_works_as_an_obsidian_vault(journal: Path, run) -> None:
    build_file_tree(
        journal,
        {
            ".obsidian/app.json": "{}",
            ".obsidian/workspace.json": '{"main": {}}',
            ".obsidian/plugins/x/main.md": "not a record",
            "sessions/2026/2026-03-23-obsidian.md": OBSIDIAN_SESSION,
        },
    )
    result = run("check", cwd=journal)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("3 records checked: no problems")
    init = run("init", str(journal.parent / "vault"), "--mentor", "A B", "--mentee", "C D")
    assert init.exit_code == 0
    ignored = (journal.parent / "vault" / ".gitignore").read_text().splitlines()
    assert ".obsidian/" in ignored and ".trash/" in ignored


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_shell_completion_is_there_for_each_shell(shell: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mdmentor"],
        env={**os.environ, "_MDMENTOR_COMPLETE": f"{shell}_source"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert "_MDMENTOR_COMPLETE" in done.stdout and "mdmentor" in done.stdout


@pytest.mark.parametrize(
    ("items", "said"),
    [
        ([], ""),
        (["Helen"], "Helen"),
        (["Helen", "Tomasz"], "Helen and Tomasz"),
        (["Helen", "Tomasz", "Gillian"], "Helen, Tomasz and Gillian"),
    ],
)
def test_a_list_of_names_reads_as_a_sentence(items: list[str], said: str) -> None:
    from mdmentor.wording import and_list

    assert and_list(items) == said

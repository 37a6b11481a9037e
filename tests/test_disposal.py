"""Disposal stays done: a canary sentence is in no object of any clone after disposal with a
history rewrite, and no later sync brings it back."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest

from .conftest import SESSION, agreement
from .lab import EVERYONE, Lab, all_git_objects, git, journal_files

CANARY = "CANARY-disposal-5d21-said-in-confidence"
SESSION_PATH = "sessions/2026/2026-03-09-first-session.md"
RETENTION = (
    "  keep_for: {years: 6, from: relationship-end}\n"
    "  by_record:\n    session: {months: 1, from: record-date}\n"
)


def agreement_with(access: str, day: str = "2026-03-02") -> str:
    text = agreement(
        access=access,
        retention=RETENTION,
        extra="supervisor: supervisor\n",
        agreed=("mentor", "mentee", "supervisor"),
    )
    return text.replace("id: AG-2026-03-02\ndate: 2026-03-02", f"id: AG-{day}\ndate: {day}")


@pytest.fixture
def lab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Lab:
    files = journal_files(agreement_with(""), **{SESSION_PATH: SESSION + f"\n{CANARY}\n"})
    lab = Lab(tmp_path, monkeypatch, files, people=EVERYONE)
    lab.everyone_has_keys()
    return lab


def test_disposal_removes_every_version_and_the_shared_copy_is_replaced(lab: Lab) -> None:
    # The session was shared in plain text, then the agreement restricted sessions and the
    # mentor encrypted it: history holds both the .md and the .md.age.
    lab.write(
        "mentor",
        "agreement/2026-04-01-agreement.md",
        agreement_with("  session: [mentor, mentee]\n", day="2026-04-01"),
    )
    lab.ok("mentor", "accept", "--yes")
    lab.ok("mentor", "encrypt", SESSION_PATH)
    lab.ok("mentor", "sync")
    for who in ("mentee", "supervisor"):
        lab.ok(who, "sync")
        lab.ok(who, "accept", "--yes")
    goal = lab.path("mentee", "goals/G-001-lead-the-morning-handover.md")
    goal.write_text(goal.read_text().replace("status: active", "status: achieved"))
    lab.ok("mentee", "sync")
    lab.ok("mentor", "sync")  # integrates: a before-sync ref now holds the old state
    assert lab.git("mentor", "for-each-ref", "refs/mdmentor/")
    assert CANARY.encode() in all_git_objects(lab["mentor"].clone)

    done = lab.ok("mentor", "retention", "--dispose", "--rewrite-history", "--yes")
    assert f"disposal record D-{date.today().isoformat()}" in done.stdout
    assert "no disposed record is left in it" in done.stdout
    mentor = lab["mentor"].clone
    assert CANARY.encode() not in all_git_objects(mentor)
    assert lab.git("mentor", "for-each-ref", "refs/mdmentor/") == ""
    assert lab.git("mentor", "log", "--all", "--format=", "--name-only").count("first-session") == 0
    record = next((mentor / "disposals").glob("*.md")).read_text()
    assert "S-2026-03-09" in record and CANARY not in record and "first-session" not in record

    refused = lab.run("mentor", "sync")
    assert refused.exit_code == 1
    assert "the shared copy still holds records that were disposed of" in refused.stderr
    assert "--replace-shared-copy" in refused.stderr
    asked = lab.run("mentor", "sync", "--replace-shared-copy", input="n\n")
    assert asked.exit_code == 1 and CANARY.encode() in all_git_objects(lab.remote)
    lab.ok("mentor", "sync", "--replace-shared-copy", "--yes")
    git(lab.remote, "reflog", "expire", "--expire=now", "--all")
    git(lab.remote, "gc", "--quiet", "--prune=now")
    assert CANARY.encode() not in all_git_objects(lab.remote)

    # The mentee's clone still has the old history: its sync neither merges it back nor
    # pushes it, and says what to do.
    stale = lab.run("mentee", "sync")
    assert stale.exit_code == 1
    assert "this clone's history still holds records that were disposed of" in stale.stderr
    assert "Clone the journal afresh" in stale.stderr
    assert CANARY.encode() not in all_git_objects(lab.remote)
    fresh = lab.tmp / "mentee-again"
    with lab.as_person("mentee"):
        git(lab.tmp, "clone", "-q", str(lab.remote), str(fresh))
    assert CANARY.encode() not in all_git_objects(fresh)
    assert (
        subprocess.run(
            ["git", "log", "--format=%s"], cwd=fresh, capture_output=True, text=True, check=True
        ).stdout.count("start the journal")
        == 1
    )  # history is not listed twice


def test_a_later_rewrite_purges_what_a_plain_disposal_left_in_history(lab: Lab) -> None:
    plain = lab.ok("mentor", "retention", "--dispose", "--yes")
    assert "this repository's own history: earlier commits still hold the records" in plain.stdout
    assert CANARY.encode() in all_git_objects(lab["mentor"].clone)
    later = lab.ok("mentor", "retention", "--dispose", "--rewrite-history", "--yes")
    assert "Removed 1 path from every commit" in later.stdout
    assert CANARY.encode() not in all_git_objects(lab["mentor"].clone)
    again = lab.ok("mentor", "retention", "--dispose", "--rewrite-history", "--yes")
    assert "This repository's history holds nothing that was disposed of." in again.stdout

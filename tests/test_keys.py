"""New devices and lost keys, in the lab: add a key, retire one, rekey; and git identity."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mdmentor.privacy import crypto

from .conftest import agreement
from .lab import EVERYONE, Lab, journal_files

AGREEMENT = agreement(
    access="  session: [mentor, mentee]\n  reflective_log: [mentor]\n",
    extra="supervisor: supervisor\n",
    agreed=("mentor", "mentee", "supervisor"),
)


@pytest.fixture
def lab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Lab:
    lab = Lab(tmp_path, monkeypatch, journal_files(AGREEMENT), people=EVERYONE)
    lab.everyone_has_keys()
    for day in ("2026-03-09", "2026-03-23"):  # sessions for mentor and mentee only
        lab.ok("mentor", "new", "session", "--date", day, "--no-edit")
    lab.ok("mentor", "sync")
    lab.ok("mentee", "sync")
    return lab


def as_new_laptop(lab: Lab, tmp_path: Path, *args: str) -> object:
    """Run mdmentor as the mentee on a second device: another identity file."""
    os.environ["MDMENTOR_IDENTITY"] = str(tmp_path / "laptop-identity.txt")
    try:
        return lab.run("mentee", *args)
    finally:
        del os.environ["MDMENTOR_IDENTITY"]


def test_a_new_device_reads_the_old_records_once_they_are_rekeyed(lab: Lab, tmp_path: Path) -> None:
    assert as_new_laptop(lab, tmp_path, "keys", "init", "--as", "mentee").exit_code == 0
    lab.ok("mentee", "sync")
    before = as_new_laptop(lab, tmp_path, "check")
    assert "2 encrypted records skipped (not encrypted to your key)" in before.stdout
    synced = lab.ok("mentor", "sync")
    assert "mentee's keys changed in mdmentor.yaml (added " in synced.stdout
    check = lab.run("mentor", "check").stdout
    assert check.count("not encrypted to mentee's key ") == 2
    assert "run 'mdmentor rekey' to encrypt it to its readers' keys now" in check
    refused = lab.run("mentor", "rekey")  # the new key is not accepted yet
    assert refused.exit_code == 1 and "run 'mdmentor keys accept mentee'" in refused.stderr
    lab.ok("mentor", "keys", "accept", "mentee", "--yes")
    done = lab.ok("mentor", "rekey")
    assert "2 records encrypted again; run 'mdmentor sync' to share them" in done.stdout
    assert "not encrypted to" not in lab.run("mentor", "check").stdout
    assert "every encrypted record you can read" in lab.run("mentor", "doctor").stdout
    lab.ok("mentor", "sync")
    lab.ok("mentee", "sync")
    after = as_new_laptop(lab, tmp_path, "check")
    assert "skipped" not in after.stdout
    assert "S-2026-03-23" in as_new_laptop(lab, tmp_path, "show", "S-2026-03-23").stdout


def test_a_retired_key_no_longer_opens_what_is_written_after(lab: Lab, tmp_path: Path) -> None:
    old_identity = lab["mentee"].config_dir / "identity.txt"
    old_key = lab.ok("mentee", "keys", "show").stdout.strip()
    assert as_new_laptop(lab, tmp_path, "keys", "init", "--as", "mentee").exit_code == 0
    removed = lab.ok("mentee", "keys", "remove", old_key)
    assert "copies in git history stay readable with the retired key" in removed.stdout
    lab.ok("mentee", "sync")
    lab.ok("mentor", "sync")
    lab.ok("mentor", "keys", "accept", "mentee", "--yes")
    check = lab.run("mentor", "check").stdout
    assert check.count("still encrypted to a retired key") == 2
    lab.ok("mentor", "rekey")
    lab.ok("mentor", "sync")
    session = next(lab.path("mentor", "sessions/2026").glob("2026-03-23-*.md.age"))
    os.environ["MDMENTOR_IDENTITY"] = str(old_identity)
    try:
        with lab.as_person("mentee"), pytest.raises(crypto.CannotDecrypt):
            crypto.decrypt(session.read_bytes())
    finally:
        del os.environ["MDMENTOR_IDENTITY"]


def test_sync_commits_as_the_person_in_mdmentor_yaml_when_git_knows_no_one(lab: Lab) -> None:
    (lab["mentee"].home / ".gitconfig").write_text("[init]\n\tdefaultBranch = main\n")
    doctor = lab.run("mentee", "doctor")
    assert "PROBLEM git knows who you are" in doctor.stdout
    assert "run 'mdmentor sync --as PERSON'" in doctor.stdout
    session = lab.path("mentee", "goals/G-001-lead-the-morning-handover.md")
    session.write_text(session.read_text().replace("status: active", "status: achieved"))
    with lab.as_person("mentee"):
        os.environ.pop("MDMENTOR_PERSON", None)
        os.environ["MDMENTOR_IDENTITY"] = str(lab.tmp / "no-identity.txt")
        try:
            refused = lab.run("mentee", "sync")
        finally:
            del os.environ["MDMENTOR_IDENTITY"]
    assert refused.exit_code == 2 and "git does not know who you are" in refused.stderr
    lab.ok("mentee", "sync", "--as", "mentee")
    author = lab.git("mentee", "log", "-1", "--format=%an <%ae> / %cn <%ce>").strip()
    assert author == "Ben Sample <ben@example.org> / Ben Sample <ben@example.org>"
    # Without --as, the person whose key this is signs the commit.
    session.write_text(session.read_text().replace("status: achieved", "status: active"))
    lab.ok("mentee", "sync")
    author = lab.git("mentee", "log", "-1", "--format=%an <%ae>").strip()
    assert author == "Ben Sample <ben@example.org>"


def test_a_subject_access_export_says_what_it_left_out_and_who_can_export_it(
    lab: Lab, tmp_path: Path
) -> None:
    lab.ok("mentor", "new", "reflection", "--date", "2026-03-24", "--no-edit")
    lab.ok("mentor", "sync")
    lab.ok("supervisor", "sync")
    out = tmp_path / "sar"
    lab.ok("supervisor", "export", str(out), "--person", "mentee")
    index = (out / "index.md").read_text()
    assert "- goals/G-001-lead-the-morning-handover.md" in index
    assert "## Left out, and why" in index
    assert (
        "sessions/2026/2026-03-23-session.md.age: encrypted, and not to your key; mentee, "
        "mentor can open and export it"
    ) in index
    assert (
        "reflections/2026/2026-03-24-reflective-log.md.age: encrypted for its author alone; "
        "only its author can export it"
    ) in index


def test_history_goes_back_past_the_encryption(lab: Lab) -> None:
    goal = "goals/G-001-lead-the-morning-handover.md"
    path = lab.path("mentor", goal)
    path.write_text(path.read_text().replace("status: active", "status: achieved"))
    lab.ok("mentor", "sync")
    restricted = AGREEMENT.replace(
        "  session: [mentor, mentee]\n", "  session: [mentor, mentee]\n  goal: [mentor, mentee]\n"
    ).replace("id: AG-2026-03-02\ndate: 2026-03-02", "id: AG-2026-04-01\ndate: 2026-04-01")
    lab.write("mentor", "agreement/2026-04-01-agreement.md", restricted)
    lab.ok("mentor", "accept", "--yes")
    lab.ok("mentor", "encrypt", goal)
    lab.ok("mentor", "sync")
    lines = lab.ok("mentor", "history", "G-001").stdout.splitlines()
    assert [line.split(": ", 1)[1] for line in lines] == [
        "encrypted",
        "status updated",
        "created",
    ]

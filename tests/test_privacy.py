"""Confidentiality on real git: a bare remote and mentor, mentee and supervisor clones, each
with its own key; records the agreement keeps from someone are encrypted to the others."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import MINIMAL_CONFIG, agreement, build_file_tree
from .lab import (
    EVERYONE,
    FLAG_FOR_SUPERVISION,
    Lab,
    all_git_objects,
    git,
    journal_files,
    set_editor,
)

CANARY = "CANARY-7f3a-mentor-only"

AGREEMENT = agreement(
    extra="supervisor: supervisor\n",
    agreed=("mentor", "mentee", "supervisor"),
    access="  session: [mentor, mentee, supervisor]\n  review: [mentor, mentee, supervisor]\n"
    "  goal: [mentor, mentee]\n  reflection: [mentor, mentee]\n  reflective_log: [mentor]\n",
)

CONFIG = MINIMAL_CONFIG.replace(
    "  - {id: supervisor, name: Cara Model, role: supervisor}",
    "  - {id: supervisor, name: Cara Model, role: supervisor, email: cara@example.org}",
)


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Lab:
    lab = Lab(
        tmp_path,
        monkeypatch,
        journal_files(AGREEMENT, **{"mdmentor.yaml": CONFIG}),
        people=EVERYONE,
    )
    lab.everyone_has_keys()
    return lab


def write_mentor_log(team: Lab, tmp_path: Path) -> Path:
    set_editor(tmp_path, team.monkeypatch, f"printf '\\n{CANARY}\\n' >> \"$1\"")
    result = team.run("mentor", "new", "reflection", "--date", "2026-03-09")
    assert result.exit_code == 0, result.output
    path = team["mentor"].clone / result.stdout.strip()
    assert path.name == "2026-03-09-reflective-log.md.age"
    return path


def test_keys_init_keeps_the_identity_private_and_lists_the_public_key(team: Lab) -> None:
    identity_file = team["mentor"].config_dir / "identity.txt"
    assert identity_file.stat().st_mode & 0o777 == 0o600
    config = (team["mentee"].clone / "mdmentor.yaml").read_text()
    public = team.run("mentor", "keys", "show").stdout.strip()
    assert public.startswith("age1") and f"keys: [{public}]" in config
    assert "AGE-SECRET-KEY" not in config
    assert b"AGE-SECRET-KEY" not in all_git_objects(team.remote)


def test_mentor_only_log_is_encrypted_and_unreadable_to_others(team: Lab, tmp_path: Path) -> None:
    path = write_mentor_log(team, tmp_path)
    assert CANARY.encode() not in path.read_bytes()
    assert not path.with_name("2026-03-09-reflective-log.md").exists()
    shown = team.run("mentor", "show", "R-2026-03-09-mentor")
    assert CANARY in shown.stdout  # the mentor reads it transparently
    check = team.run("mentor", "check").output  # check reads it too (placeholders left to fill)
    assert (
        "reflections/2026/2026-03-09-reflective-log.md.age:10: went_well[0]: placeholder" in check
    )
    assert team.run("mentor", "sync").exit_code == 0
    assert CANARY.encode() not in all_git_objects(team.remote)
    assert CANARY.encode() not in all_git_objects(team["mentor"].clone)
    # The mentee has the file but cannot read it; mdmentor counts it and moves on.
    assert team.run("mentee", "sync").exit_code == 0
    mentee_copy = team["mentee"].clone / path.relative_to(team["mentor"].clone)
    assert mentee_copy.exists() and CANARY.encode() not in mentee_copy.read_bytes()
    check = team.run("mentee", "check")
    assert check.exit_code == 0, check.output
    assert "1 encrypted record skipped (not encrypted to your key)" in check.output
    assert team.run("mentee", "show", "R-2026-03-09-mentor").exit_code == 2
    report = team.run("mentee", "report", "progress", "--as-of", "2026-03-20")
    assert "> 1 encrypted record you hold no key for left out." in report.stdout
    assert CANARY not in report.stdout


def test_supervisor_reads_what_the_agreement_gives_and_nothing_else(team: Lab, run) -> None:
    assert (
        team.run(
            "mentor", "new", "goal", "--title", "Second goal", "--date", "2026-03-10", "--no-edit"
        ).exit_code
        == 0
    )
    assert team.run("mentor", "new", "session", "--date", "2026-03-23", "--no-edit").exit_code == 0
    mentor = team["mentor"].clone
    # Mentor and mentee only: encrypted, and named without its title.
    assert (mentor / "goals/G-002-goal.md.age").exists()
    assert (mentor / "sessions/2026/2026-03-23-session.md").exists()  # all three: plain
    team.run("mentor", "sync")
    team.run("supervisor", "sync")
    rows = json.loads(team.run("supervisor", "list", "--format", "json").stdout)
    assert [r["id"] for r in rows if r["type"] == "session"] == ["S-2026-03-09", "S-2026-03-23"]
    goals = [(r["id"], r["title"]) for r in rows if r["type"] == "goal"]
    # G-002 is encrypted to mentor and mentee; G-001 was shared in plain text before the
    # agreement restricted goals, and check now says it should be encrypted.
    assert goals == [(None, "(encrypted: not to your key)"), ("G-001", "Lead the morning handover")]
    check = team.run("mentor", "check").output
    assert (
        "goals/G-001-lead-the-morning-handover.md:1: warning: only mentor, mentee may read "
        "it, so it should be encrypted; run 'mdmentor encrypt"
    ) in check
    team.run("mentee", "sync")
    rows = json.loads(team.run("mentee", "list", "goal", "--format", "json").stdout)
    assert [r["id"] for r in rows] == ["G-001", "G-002"]


def test_plaintext_private_record_private_key_and_report_are_refused(team: Lab) -> None:
    mentor = team["mentor"].clone
    build_file_tree(
        mentor,
        {
            "reflections/2026/2026-03-09-log.md": (
                "---\ntype: reflection\nid: R-2026-03-09-mentor\ndate: 2026-03-09\nauthor: mentor\n"
                f"kind: reflective-log\n---\n{CANARY}\n"
            )
        },
    )
    before = git(mentor, "rev-parse", "HEAD")
    result = team.run("mentor", "sync")
    assert result.exit_code == 1
    assert (
        "reflections/2026/2026-03-09-log.md: only mentor may read it, so it must be "
        "encrypted; run 'mdmentor encrypt reflections/2026/2026-03-09-log.md'"
    ) in result.stderr
    assert git(mentor, "rev-parse", "HEAD") == before
    assert team.run("mentor", "encrypt", "reflections/2026/2026-03-09-log.md").exit_code == 0
    assert not (mentor / "reflections/2026/2026-03-09-log.md").exists()
    build_file_tree(
        mentor,
        {
            "sessions/2026/id_ed25519": "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n"
            "-----END OPENSSH PRIVATE KEY-----\n"
        },
    )
    result = team.run("mentor", "sync")
    assert (
        result.exit_code == 1 and "sessions/2026/id_ed25519: holds a private key" in result.stderr
    )
    (mentor / "sessions/2026/id_ed25519").unlink()
    assert team.run("mentor", "report", "progress", "-o", "goals/progress.md").exit_code == 0
    result = team.run("mentor", "sync")
    assert result.exit_code == 1 and "goals/progress.md: a rendered report" in result.stderr
    (mentor / "goals/progress.md").unlink()
    assert team.run("mentor", "sync").exit_code == 0
    assert CANARY.encode() not in all_git_objects(team.remote)


def test_concurrent_edits_of_an_encrypted_record_are_kept_and_resolved(
    team: Lab, tmp_path: Path
) -> None:
    team.run("mentor", "new", "goal", "--title", "Shared goal", "--date", "2026-03-10", "--no-edit")
    team.run("mentor", "sync")
    team.run("mentee", "sync")
    for who, old, new in (
        ("mentor", "status: proposed", "status: active"),
        ("mentee", "^relevant: .*", "relevant: Rota shows it"),
    ):
        set_editor(tmp_path, team.monkeypatch, f"sed -i 's/{old}/{new}/' \"$1\"")
        result = team.run(who, "edit", "G-002")
        assert result.exit_code == 0, result.output
    assert team.run("mentor", "sync").exit_code == 0
    result = team.run("mentee", "sync")
    assert result.exit_code == 1
    assert "encrypted and edited on both sides" in result.stderr
    assert "run 'mdmentor resolve G-002'" in team.run("mentee", "check").output
    resolved = team.run("mentee", "resolve", "G-002")
    assert resolved.exit_code == 0, resolved.output
    shown = team.run("mentee", "show", "G-002").stdout
    assert "status: active" in shown and "Rota shows it" in shown
    assert team.run("mentee", "sync").exit_code == 0


def test_before_anyone_has_a_key_a_private_record_stays_local(journal: Path, run) -> None:
    build_file_tree(journal, {"agreement/2026-03-02-agreement.md": AGREEMENT})
    git(journal, "init", "-q", "-b", "main")
    result = run(
        "new", "reflection", "--by", "mentor", "--date", "2026-03-09", "--no-edit", cwd=journal
    )
    assert result.exit_code == 0
    assert result.stdout.strip() == "reflections/2026/2026-03-09-reflective-log.md"
    assert (
        "warning: not encrypted yet: this record may be read only by mentor, so it is "
        "encrypted, but mentor has no key yet"
    ) in result.stderr
    refused = run("sync", cwd=journal)
    assert refused.exit_code == 1
    assert "2026-03-09-reflective-log.md: only mentor may read it" in refused.stderr
    assert git(journal, "rev-list", "--all") == ""  # nothing was committed


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen is not installed")
def test_an_ssh_key_serves_as_identity_and_recipient(
    journal: Path, tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = tmp_path / "id_ed25519"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "", "-f", str(key)], check=True
    )
    public = " ".join(key.with_suffix(".pub").read_text().split()[:2])
    config = journal / "mdmentor.yaml"
    config.write_text(
        config.read_text().replace(
            "role: mentor, email: ann@example.org}",
            f"role: mentor, email: ann@example.org, keys: [{public}]}}",
        )
    )
    build_file_tree(journal, {"agreement/2026-03-02-agreement.md": agreement()})
    monkeypatch.setenv("MDMENTOR_IDENTITY", str(key))
    result = run(
        "new", "reflection", "--by", "mentor", "--date", "2026-03-09", "--no-edit", cwd=journal
    )
    assert result.stdout.strip().endswith(".md.age")
    assert "kind: reflective-log" in run("show", "R-2026-03-09-mentor", cwd=journal).stdout


def test_disposal_destroys_the_own_key_of_a_record_only_its_author_reads(
    team: Lab, tmp_path: Path
) -> None:
    from mdmentor.privacy import crypto

    path = write_mentor_log(team, tmp_path)
    keys_dir = team["mentor"].config_dir / "identity-record-keys"
    mentor = team["mentor"].clone
    assert team.run("mentor", "sync").exit_code == 0
    committed = git(mentor, "show", f"HEAD:{path.relative_to(mentor).as_posix()}").encode()
    with team.as_person("mentor"):
        assert CANARY in crypto.decrypt(committed).decode()  # the mentor's own key opens it
    agreement_file = mentor / "agreement/2026-03-02-agreement.md"
    agreement_file.write_text(
        agreement_file.read_text().replace(
            "  keep_for: {years: 6, from: relationship-end}\n",
            "  keep_for: {years: 6, from: relationship-end}\n"
            "  by_record:\n    reflective_log: {months: 1, from: record-date}\n",
        )
    )
    # Shorter terms count only once the mentor has accepted them; then disposal asks.
    result = team.run("mentor", "retention", "--as-of", "2026-05-01", "--dispose")
    assert "Nothing is due" in result.stdout and path.exists()
    assert (
        "reflective_log 1 month from the record date" in team.ok("mentor", "accept", "--yes").stdout
    )
    result = team.run("mentor", "retention", "--as-of", "2026-05-01", "--dispose", input="n\n")
    assert result.exit_code == 1 and path.exists()  # said no: nothing happened
    assert "To destroy: the keys of 1 encrypted record that only their author" in result.stdout
    result = team.run("mentor", "retention", "--as-of", "2026-05-01", "--dispose", input="y\n")
    assert result.exit_code == 0, result.output
    assert "2026-04-09  R-2026-03-09-mentor" in result.stdout
    assert (
        "Destroyed the keys of 1 encrypted record that only their author could read"
        in result.stdout
    )
    assert not path.exists()
    assert list(keys_dir.glob("*.key")) == []
    # The ciphertext is still in history, on the server and in the other clones: unreadable now.
    with team.as_person("mentor"), pytest.raises(crypto.CannotDecrypt):
        crypto.decrypt(committed)
    assert committed in all_git_objects(team.remote)  # still there, and useless without the key


def test_history_of_an_encrypted_record_reads_each_version(team: Lab, tmp_path: Path) -> None:
    write_mentor_log(team, tmp_path)
    team.run("mentor", "sync")
    set_editor(tmp_path, team.monkeypatch, FLAG_FOR_SUPERVISION)
    assert team.run("mentor", "edit", "R-2026-03-09-mentor").exit_code == 0
    team.run("mentor", "sync")
    lines = team.run("mentor", "history", "R-2026-03-09-mentor").stdout.splitlines()
    assert [line.split(": ", 1)[1] for line in lines] == ["for_supervision updated", "created"]

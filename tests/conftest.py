"""Shared fixtures: isolated environment, file trees and small journals."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from mdmentor.cli import cli
from mdmentor.resources import example_journal

MINIMAL_CONFIG = """\
mdmentor: 1
title: Test journal
people:
  - {id: mentor, name: Ann Example, role: mentor, email: ann@example.org}
  - {id: mentee, name: Ben Sample, role: mentee, email: ben@example.org}
  - {id: supervisor, name: Cara Model, role: supervisor}
competencies:
  - {id: K1, area: knowledge, name: Safeguarding procedures}
  - {id: S1, area: skill, name: Leading a handover}
"""


def agreement(
    *,
    access: str = "  session: [mentor, mentee]\n  reflective_log: [mentor]\n",
    retention: str = "  keep_for: {years: 6, from: relationship-end}\n",
    extra: str = "",
    agreed: tuple[str, ...] = ("mentor", "mentee"),
) -> str:
    """An agreement from 2 March to 31 August 2026, agreed by mentor and mentee.

    ``access`` and ``retention`` are the indented lines under those keys; ``extra`` adds
    top-level lines (e.g. ``supervisor: supervisor``, ``ended: 2026-08-31``).
    """
    return (
        "---\ntype: agreement\nid: AG-2026-03-02\ndate: 2026-03-02\nmentor: mentor\n"
        f"mentee: mentee\n{extra}start: 2026-03-02\nplanned_end: 2026-08-31\n"
        "meeting_frequency: fortnightly\ncommunication: [in-person, video]\n"
        "review_dates: [2026-06-01]\nrecord_keeping: Shared private git repository.\n"
        "confidentiality:\n  terms: Between us.\n  limits: [Safeguarding concerns are reported.]\n"
        f"access:\n{access or '  {}'}\nretention:\n{retention}"
        "  disposal: Deleted from every copy.\n"
        "agreed_by:\n"
        + "".join(f"  - {{person: {who}, date: 2026-03-02}}\n" for who in agreed)
        + "---\n"
    )


GOAL = """\
---
type: goal
id: G-001
created: 2026-03-02
title: Lead the morning handover
owner: mentee
status: active
specific: Lead the morning handover on my unit
measurable: Lead five handovers with the checklist complete
achievable: With the mentor observing the first two
relevant: Needed for the senior carer role
target_date: 2026-06-30
milestones:
  - {id: M1, text: Observe two handovers, due: 2026-03-31, done: 2026-03-20}
  - {id: M2, text: Lead a handover with support, due: 2026-04-30}
progress:
  - {id: P1, date: 2026-03-20, by: mentee, note: Observed two handovers}
competencies: [S1]
---
Why this goal matters.
"""

SESSION = """\
---
type: session
id: S-2026-03-09
date: 2026-03-09
start_time: "14:00"
duration_minutes: 60
mode: video
attendees: [mentor, mentee]
goals: [G-001]
topics: [Handover structure]
actions:
  - id: A1
    text: Read the handover policy
    owner: mentee
    due: 2026-03-16
    status: done
    done: 2026-03-15
  - id: A2
    text: Draft a handover checklist
    owner: mentee
    due: 2026-03-23
    status: open
next_session:
  date: 2026-03-23
---
Notes.
"""


def accept_terms(root: Path) -> None:
    """Accept the journal's agreement on this machine, as its user would with ``accept``."""
    result = CliRunner().invoke(cli, ["--journal", str(root), "accept", "--yes"])
    assert result.exit_code == 0, result.output


def build_file_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``{relative path: text or bytes}`` under ``root``; return ``root``."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="\n")
    return root


@pytest.fixture(autouse=True)
def isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the real home folder, git identity and mdmentor settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    for key, value in {
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }.items():
        monkeypatch.setenv(key, value)
    for key in ("MDMENTOR_JOURNAL", "MDMENTOR_PERSON", "MDMENTOR_DEBUG", "EDITOR", "VISUAL"):
        monkeypatch.delenv(key, raising=False)


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    """A small valid journal: config, one goal, one session."""
    return build_file_tree(
        tmp_path / "journal",
        {
            "mdmentor.yaml": MINIMAL_CONFIG,
            "goals/G-001-lead-the-morning-handover.md": GOAL,
            "sessions/2026/2026-03-09-first-session.md": SESSION,
        },
    )


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Run ``mdmentor ARGS`` in folder ``cwd``; return the click Result."""

    def invoke(*args: str, cwd: Path | None = None, input: str | None = None) -> Result:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


#: People the example journal does not have, for reports written for them.
@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the example journal (with the mentor's own supervisor, and an assessor whom
    the agreement lets read itself, the goals and the reviews), its terms accepted on this
    machine."""
    root = tmp_path / "example"
    shutil.copytree(example_journal(), root)
    accept_terms(root)
    return root

"""The two-person lab: a bare remote and one clone per person, each with their own home
folder, git identity and key.

Every command runs as one person: with their home folder (so their identity, their
per-record keys and what their clone has accepted are theirs alone), in their clone.
Anyone may also act with plain git, as a careless or hostile person would.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from mdmentor.cli import cli
from mdmentor.sharing.sync import ATTRIBUTES_TEXT

from .conftest import GOAL, MINIMAL_CONFIG, SESSION, build_file_tree
from .gitfixtures import all_git_objects, git

__all__ = ["Lab", "all_git_objects", "git", "journal_files", "set_editor"]

EVERYONE = ("mentor", "mentee", "supervisor")
GOAL_PATH = "goals/G-001-lead-the-morning-handover.md"
SESSION_PATH = "sessions/2026/2026-03-09-first-session.md"


def journal_files(agreement: str | None, **more: str) -> dict[str, str | bytes]:
    """The lab's usual journal: the test config (mentor, mentee, supervisor), ``agreement``
    (if any), goal G-001 and session S-2026-03-09; ``more`` adds or replaces files."""
    files: dict[str, str | bytes] = {
        "mdmentor.yaml": MINIMAL_CONFIG,
        GOAL_PATH: GOAL,
        SESSION_PATH: SESSION,
    }
    if agreement is not None:
        files["agreement/2026-03-02-agreement.md"] = agreement
    files.update(more)
    return files


#: An editor stand-in's command: the mentor flags a reflective-log entry for supervision.
FLAG_FOR_SUPERVISION = "sed -i 's/^for_supervision: false/for_supervision: true/' \"$1\""

#: The test config without its supervisor: a journal of two.
TWO_PEOPLE_CONFIG = MINIMAL_CONFIG.replace(
    "  - {id: supervisor, name: Cara Model, role: supervisor}\n", ""
)


def set_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> Path:
    """Make $EDITOR a shell script (a real editor stand-in) running ``body`` on the file it
    is given, as ``$1``."""
    script = tmp_path / "editor.sh"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(script))
    return script


NAMES = {
    "mentor": ("Ann Example", "ann@example.org"),
    "mentee": ("Ben Sample", "ben@example.org"),
    "supervisor": ("Cara Model", "cara@example.org"),
}


@dataclass
class Member:
    """One person in the lab: their clone and their own home folder."""

    id: str
    name: str
    email: str
    clone: Path
    home: Path

    def env(self) -> dict[str, str]:
        """The environment this person's commands run in."""
        return {
            "HOME": str(self.home),
            "XDG_CONFIG_HOME": str(self.home / ".config"),
            "XDG_STATE_HOME": str(self.home / ".local/state"),
            "XDG_RUNTIME_DIR": str(self.home / ".run"),
            "GIT_CONFIG_GLOBAL": str(self.home / ".gitconfig"),
        }

    @property
    def config_dir(self) -> Path:
        """Where this person's identity and per-record keys are."""
        return self.home / ".config" / "mdmentor"


class Lab:
    """A journal shared through a bare remote by one clone per person."""

    def __init__(
        self,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        files: dict[str, str | bytes],
        people: tuple[str, ...] = ("mentor", "mentee"),
    ) -> None:
        self.tmp = tmp_path
        self.monkeypatch = monkeypatch
        self.remote = tmp_path / "remote.git"
        git(tmp_path, "init", "--bare", "-q", "-b", "main", str(self.remote))
        for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv("GIT_COMMITTER_EMAIL", raising=False)
        monkeypatch.delenv("MDMENTOR_IDENTITY", raising=False)
        self.people: dict[str, Member] = {}
        for index, who in enumerate(people):
            name, email = NAMES[who]
            member = Member(who, name, email, tmp_path / who, tmp_path / "homes" / who)
            (member.home / ".run").mkdir(parents=True, mode=0o700)
            (member.home / ".gitconfig").write_text(
                f"[user]\n\tname = {name}\n\temail = {email}\n[init]\n\tdefaultBranch = main\n"
            )
            self.people[who] = member
            if index == 0:
                build_file_tree(member.clone, {**files, ".gitattributes": ATTRIBUTES_TEXT})
                self.git(who, "init", "-q", "-b", "main")
                self.git(who, "add", "-A")
                self.git(who, "commit", "-q", "-m", "start the journal")
                self.git(who, "remote", "add", "origin", str(self.remote))
                self.git(who, "push", "-q", "-u", "origin", "main")
            else:
                with self.as_person(who):
                    git(tmp_path, "clone", "-q", str(self.remote), str(member.clone))

    def __getitem__(self, who: str) -> Member:
        return self.people[who]

    @contextmanager
    def as_person(self, who: str) -> Iterator[Member]:
        """Run what follows with ``who``'s home folder and settings."""
        member = self.people[who]
        saved = {key: os.environ.get(key) for key in member.env()}
        os.environ.update(member.env())
        try:
            yield member
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value

    def run(self, who: str, *args: str, input: str | None = None) -> Result:
        """Run ``mdmentor ARGS`` as ``who`` in their clone."""
        with self.as_person(who) as member:
            cwd = Path.cwd()
            os.chdir(member.clone)
            try:
                return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)
            finally:
                os.chdir(cwd)

    def ok(self, who: str, *args: str, input: str | None = None) -> Result:
        """Run a command that must succeed."""
        result = self.run(who, *args, input=input)
        assert result.exit_code == 0, f"{who}: mdmentor {' '.join(args)}:\n{result.output}"
        return result

    def git(self, who: str, *args: str, check: bool = True) -> str:
        """Run plain git as ``who`` in their clone."""
        with self.as_person(who) as member:
            return git(member.clone, *args, check=check)

    def path(self, who: str, rel: str) -> Path:
        """A file in ``who``'s clone."""
        return self.people[who].clone / rel

    def write(self, who: str, rel: str, text: str | bytes) -> Path:
        """Write a file in ``who``'s clone, as an editor would."""
        build_file_tree(self.people[who].clone, {rel: text})
        return self.path(who, rel)

    def push_plain(self, who: str, message: str) -> None:
        """Commit everything and push with plain git, as someone who ignores mdmentor would."""
        self.git(who, "add", "-A")
        self.git(who, "commit", "-q", "-m", message)
        self.git(who, "pull", "-q", "--no-rebase", "--no-edit", "origin", "main")
        self.git(who, "push", "-q", "origin", "main")

    def everyone_has_keys(self) -> None:
        """Each person makes a key and shares it; everyone accepts everyone's keys and the
        agreement's terms, as people who have met and compared fingerprints would."""
        for who in self.people:
            self.ok(who, "sync")
            self.ok(who, "keys", "init", "--as", who)
            self.ok(who, "sync")
        for who in self.people:
            self.ok(who, "sync")
            for other in self.people:
                if other != who:
                    self.ok(who, "keys", "accept", other, "--yes")
            if self.run(who, "accept", "--yes").exit_code not in (0, 1):
                raise AssertionError(f"{who} could not accept the agreement")

"""Real git repositories for tests: a bare remote and a mentor and a mentee clone."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from mdmentor.sharing.sync import ATTRIBUTES_TEXT


def git(cwd: Path, *args: str, check: bool = True) -> str:
    """Run git in ``cwd`` and return its output; fail the test if git fails (with ``check``)."""
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    assert done.returncode == 0 or not check, f"git {' '.join(args)} failed: {done.stderr}"
    return done.stdout


@dataclass
class Shared:
    """A journal shared through a bare remote by a mentor clone and a mentee clone."""

    remote: Path
    mentor: Path
    mentee: Path

    def remote_head(self) -> str:
        return git(self.remote, "rev-parse", "refs/heads/main").strip()


def make_shared(tmp_path: Path, journal: Path) -> Shared:
    """Publish ``journal`` to a bare remote from a mentor clone; clone it for the mentee."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--bare", "-q", "-b", "main", str(remote))
    mentor = tmp_path / "mentor"
    shutil.copytree(journal, mentor)
    (mentor / ".gitattributes").write_text(ATTRIBUTES_TEXT)  # as 'mdmentor init' writes it
    git(mentor, "init", "-q", "-b", "main")
    identity(mentor, "Ann Example", "ann@example.org")
    git(mentor, "add", "-A")
    git(mentor, "commit", "-q", "-m", "start the journal")
    git(mentor, "remote", "add", "origin", str(remote))
    git(mentor, "push", "-q", "-u", "origin", "main")
    mentee = tmp_path / "mentee"
    git(tmp_path, "clone", "-q", str(remote), str(mentee))
    identity(mentee, "Ben Sample", "ben@example.org")
    return Shared(remote, mentor, mentee)


def all_git_objects(repo: Path) -> bytes:
    """Every object in a repository, uncompressed: to prove something is in none of them."""
    return subprocess.run(
        ["git", "cat-file", "--batch-all-objects", "--batch"],
        cwd=repo,
        capture_output=True,
        check=True,
    ).stdout


def identity(clone: Path, name: str, email: str) -> None:
    git(clone, "config", "user.name", name)
    git(clone, "config", "user.email", email)


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` with ``new`` in a file, failing if ``old`` is not there."""
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))

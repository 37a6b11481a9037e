"""The one module that runs git (through GitPython; arguments as lists, never a shell).

mdmentor never runs ``reset --hard``, ``stash``, ``clean``, ``checkout --theirs`` or
a force push: whatever git holds stays reachable.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mdmentor.errors import GitError, NetworkError, UnsafeState

#: Fail fast instead of asking for a password or a host key: sync runs unattended.
NON_INTERACTIVE = {
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_ASKPASS": "",
    "SSH_ASKPASS": "",
    "GIT_SSH_COMMAND": "ssh -o BatchMode=yes -o ConnectTimeout=15",
}
NETWORK_TIMEOUT = 120


def _git() -> Any:
    import git

    return git


def is_inside_repo(path: Path) -> bool:
    """Whether ``path`` is inside a git work tree."""
    git = _git()
    try:
        git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return False
    return True


def git_email(path: Path) -> str | None:
    """The email git commits with in the repository holding ``path`` (None outside one)."""
    try:
        return Repository(path).config_get("user.email")
    except UnsafeState:
        return None


def init_repo(path: Path) -> None:
    """Create a git repository at ``path``."""
    git = _git()
    try:
        git.Repo.init(path)
    except git.GitError as err:
        raise GitError(f"git init failed in {path}: {err}") from err


def merge_file(base: str, ours: str, theirs: str) -> tuple[str, bool]:
    """Merge three texts by lines (``git merge-file --diff3``); return the text and
    whether it has conflicts (marked with git's usual markers)."""
    git = _git()
    with tempfile.TemporaryDirectory(prefix="mdmentor-merge-") as scratch:
        names = []
        for label, text in (("ours", ours), ("base", base), ("theirs", theirs)):
            path = Path(scratch) / label
            path.write_text(text, encoding="utf-8", newline="\n")
            names.append(str(path))
        status, merged, _ = git.Git(scratch).execute(
            [
                "git",
                "merge-file",
                "-p",
                "--diff3",
                "-L",
                "ours",
                "-L",
                "base",
                "-L",
                "theirs",
                *names,
            ],
            with_extended_output=True,
            with_exceptions=False,
            strip_newline_in_stdout=False,
        )
    if status < 0:
        raise GitError("git merge-file failed")
    return merged, status > 0


@dataclass(frozen=True)
class Unmerged:
    """A path git could not merge, and which sides still have it."""

    path: str
    in_ours: bool
    in_theirs: bool


class Repository:
    """A journal's git repository."""

    def __init__(self, root: Path) -> None:
        git = _git()
        try:
            self.repo = git.Repo(root, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError) as err:
            raise UnsafeState(
                f"{root} is not in a git repository; run 'git init' or clone the shared repository"
            ) from err
        self.top = Path(self.repo.working_tree_dir or root).resolve()
        self.git_dir = Path(self.repo.git_dir)

    def run(self, *args: str, network: bool = False, check: bool = True) -> str:
        """Run ``git ARGS`` in the work tree and return its output."""
        if network:
            done = self.network(*args)
            if done.returncode != 0:
                if not check:
                    return ""
                detail = " ".join((done.stderr or done.stdout).split())
                raise NetworkError(
                    f"not synced: git {args[0]} could not reach the remote ({detail})"
                )
            return done.stdout
        git = _git()
        try:
            output: str = self.repo.git.execute(["git", *args], strip_newline_in_stdout=False)
        except git.GitCommandError as err:
            if not check:
                return ""
            detail = " ".join(str(err.stderr or err.stdout or "").split()) or str(err)
            raise GitError(f"git {args[0]} failed: {detail}") from err
        return output

    def network(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run a git command that talks to the remote: never prompting, stopped after
        ``NETWORK_TIMEOUT`` seconds, and stopped at once by Ctrl-C (no thread is left
        waiting to time out, so the terminal is free straight away)."""
        env = {**os.environ, **NON_INTERACTIVE}
        process = subprocess.Popen(
            ["git", *args],
            cwd=self.top,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            stdout, stderr = process.communicate(timeout=NETWORK_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise NetworkError(
                f"not synced: git {args[0]} got no answer from the remote in "
                f"{NETWORK_TIMEOUT} seconds; your commit is kept"
            ) from None
        except BaseException:  # Ctrl-C, or the process being told to stop
            process.kill()
            process.wait()
            raise
        return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)

    def relative(self, path: Path) -> str:
        """``path`` relative to the top of the work tree, as git names it."""
        return path.resolve().relative_to(self.top).as_posix()

    def relative_lexically(self, path: Path) -> str:
        """Like ``relative``, without following a symbolic link at ``path`` itself."""
        return (path.parent.resolve() / path.name).relative_to(self.top).as_posix()

    # --- state -----------------------------------------------------------------------------

    def unsafe_state(self) -> str | None:
        """Why it is not safe to sync now, or None."""
        lock = self.git_dir / "index.lock"
        if lock.exists():
            return (
                f"{lock} exists: another git command is running, or one crashed. If none is "
                "running, delete that file and try again"
            )
        for name, command in (
            ("MERGE_HEAD", "merge"),
            ("CHERRY_PICK_HEAD", "cherry-pick"),
            ("REVERT_HEAD", "revert"),
        ):
            if (self.git_dir / name).exists():
                return (
                    f"a {command} is in progress; finish it (resolve, 'git add', 'git commit') "
                    f"or abandon it ('git {command} --abort') first"
                )
        if (self.git_dir / "rebase-merge").exists() or (self.git_dir / "rebase-apply").exists():
            return (
                "a rebase is in progress; finish it ('git rebase --continue') or abandon it "
                "('git rebase --abort') first"
            )
        if self.repo.head.is_detached:
            return (
                "HEAD is detached (not on a branch); switch to your branch, e.g. 'git switch main'"
            )
        unmerged = self.unmerged()
        if unmerged:
            return "unresolved conflicts in " + ", ".join(u.path for u in unmerged)
        return None

    def unmerged(self) -> list[Unmerged]:
        """Paths with unresolved conflicts in the index."""
        stages: dict[str, set[int]] = {}
        for line in self.run("ls-files", "-u", "-z").split("\0"):
            if line:
                info, path = line.split("\t", 1)
                stages.setdefault(path, set()).add(int(info.split()[2]))
        return [Unmerged(p, 2 in s, 3 in s) for p, s in sorted(stages.items())]

    def has_commits(self) -> bool:
        """Whether the current branch has any commit yet."""
        return bool(self.run("rev-parse", "--verify", "-q", "HEAD", check=False).strip())

    @property
    def branch(self) -> str:
        """The current branch's name."""
        return str(self.repo.active_branch.name)

    # --- reading ---------------------------------------------------------------------------

    def changed(self, pathspecs: list[str]) -> list[tuple[str, str]]:
        """(status, path) of every changed, new or deleted file under ``pathspecs``."""
        output = self.run(
            "status",
            "--porcelain=v1",
            "-z",
            "--untracked-files=all",
            "--no-renames",
            "--",
            *pathspecs,
        )
        return [(entry[:2], entry[3:]) for entry in output.split("\0") if entry]

    def blob(self, rev: str, path: str) -> bytes | None:
        """The bytes of ``path`` at ``rev`` (``:1``, ``:3`` for merge stages), or None."""
        git = _git()
        try:
            data = self.repo.git.execute(
                ["git", "cat-file", "blob", f"{rev}:{path}"],
                stdout_as_string=False,
                strip_newline_in_stdout=False,
            )
        except git.GitCommandError:
            return None
        return bytes(data)

    def links_in(self, rev: str) -> list[str]:
        """Paths that are symbolic links in the tree of ``rev``."""
        output = self.run("ls-tree", "-r", "-z", "--full-tree", rev)
        return [
            entry.split("\t", 1)[1]
            for entry in output.split("\0")
            if entry.startswith("120000 ") and "\t" in entry
        ]

    def rev(self, name: str) -> str | None:
        """The commit ``name`` points at, or None."""
        return (
            self.run("rev-parse", "--verify", "-q", f"{name}^{{commit}}", check=False).strip()
            or None
        )

    def changed_between(self, old: str, new: str) -> list[str]:
        """Paths that differ between two commits."""
        return [p for p in self.run("diff", "--name-only", "-z", old, new).split("\0") if p]

    def merge_base(self, one: str, other: str) -> str | None:
        """The best common ancestor of two commits, or None."""
        return self.run("merge-base", one, other, check=False).strip() or None

    def added_between(self, old: str, new: str) -> list[str]:
        """Paths added from ``old`` to ``new``."""
        output = self.run("diff", "--name-only", "--diff-filter=A", "-z", old, new)
        return [p for p in output.split("\0") if p]

    def is_tracked(self, path: str) -> bool:
        """Whether ``path`` is in the index."""
        return bool(self.run("ls-files", "--", path).strip())

    def tracked(self) -> list[str]:
        """Every path in the index."""
        return [p for p in self.run("ls-files", "-z").split("\0") if p]

    def log_of(self, path: str) -> list[dict[str, str]]:
        """Commits that touched ``path`` (following renames), newest first."""
        output = self.run(
            "log",
            "--follow",
            "--name-only",
            "-z",
            "--format=%x01%H%x00%an%x00%aI%x00%s",
            "--",
            path,
        )
        entries = []
        for chunk in output.split("\x01")[1:]:
            parts = [p.strip("\n") for p in chunk.split("\0")]
            sha, author, when, subject = parts[:4]
            name = next((p for p in parts[4:] if p), path)
            entries.append(
                {"sha": sha, "author": author, "date": when, "subject": subject, "path": name}
            )
        return entries

    def parent_path(self, sha: str, path: str) -> tuple[str | None, str]:
        """The first parent of ``sha`` and the name ``path`` had there (renames followed)."""
        parent = self.rev(f"{sha}^")
        if parent is None:
            return None, path
        renames = self.run("diff", "--name-status", "-M", "-z", parent, sha).split("\0")
        for index, item in enumerate(renames):
            if item.startswith("R") and index + 2 < len(renames) and renames[index + 2] == path:
                return parent, renames[index + 1]
        return parent, path

    # --- writing ---------------------------------------------------------------------------

    def commit(self, paths: list[str], message: str, author: str | None) -> bool:
        """Commit exactly ``paths`` (added, changed or deleted) with ``message``; False if,
        once staged, they hold no change (a file saved again with only CRLF line ends,
        which 'text eol=lf' turns back into what is committed)."""
        self.run("add", "-A", "--", *paths)
        if not self.run("diff", "--cached", "--name-only", "--", *paths).strip():
            return False
        args = ["commit", "--no-verify", "-q", "-m", message]
        if author:
            args += ["--author", author]
        self.run(*args, "--", *paths)
        return True

    def conclude_merge(self, paths: list[str], message: str) -> None:
        """Stage the given paths as they now are and commit the merge in progress."""
        if paths:
            self.run("add", "-A", "--", *paths)
        self.run("commit", "--no-verify", "-q", "-m", message)

    def keep(self, name: str, rev: str = "HEAD") -> None:
        """Point ``refs/mdmentor/NAME`` at ``rev`` so it stays reachable."""
        self.run("update-ref", f"refs/mdmentor/{name}", rev)

    def merge(self, ref: str, *, fast_forward_only: bool = False) -> bool:
        """Merge ``ref`` into the current branch; return False if it stopped on conflicts."""
        args = ["merge", "--ff-only", ref] if fast_forward_only else ["merge", "--no-edit", ref]
        git = _git()
        try:
            self.repo.git.execute(["git", *args])
        except git.GitCommandError as err:
            if (self.git_dir / "MERGE_HEAD").exists():
                return False
            detail = " ".join(str(err.stderr or err.stdout or "").split())
            raise GitError(f"git merge failed and changed nothing: {detail}") from err
        return True

    def names_in_history(self, path: str) -> set[str]:
        """Every name ``path`` had in any commit of any branch (renames followed)."""
        output = self.run("log", "--all", "--format=", "--name-only", "--follow", "--", path)
        return {line for line in output.splitlines() if line} | {path}

    def blobs_of(self, paths: set[str]) -> set[str]:
        """Every blob that any of ``paths`` held in any commit of any ref."""
        if not paths:
            return set()
        output = self.run("log", "--all", "--format=", "--raw", "--no-abbrev", "--", *sorted(paths))
        found = set()
        for line in output.splitlines():
            if line.startswith(":"):
                old, new = line.split()[2:4]
                found |= {h for h in (old, new) if h.strip("0")}
        return found

    def paths_holding(self, blobs: set[str]) -> set[str]:
        """Every path that held one of ``blobs`` in any commit of any ref."""
        if not blobs:
            return set()
        output = self.run("log", "--all", "--format=", "--raw", "--no-abbrev")
        found = set()
        for line in output.splitlines():
            if line.startswith(":") and "\t" in line:
                info, names = line.split("\t", 1)
                if {info.split()[2], info.split()[3]} & blobs:
                    found.update(names.split("\t"))
        return found

    def objects_between(self, include: str, exclude: str | None) -> set[str]:
        """The objects reachable from ``include`` and not from ``exclude``."""
        args = ["rev-list", "--objects", include] + (["--not", exclude] if exclude else [])
        return {line.split(" ", 1)[0] for line in self.run(*args).splitlines() if line}

    def has_object(self, sha: str) -> bool:
        """Whether the object store still holds ``sha``."""
        return bool(self.run("cat-file", "-t", sha, check=False).strip())

    def drop_own_refs(self) -> list[str]:
        """Delete mdmentor's own refs (``refs/mdmentor/…``): the states kept before syncs."""
        refs = self.run("for-each-ref", "--format=%(refname)", "refs/mdmentor/").split()
        for ref in refs:
            self.run("update-ref", "-d", ref)
        return refs

    def rewrite_without(self, paths: list[str]) -> None:
        """Remove ``paths`` from every commit of every ref (git-filter-repo), keeping the
        remote configured; reflogs are expired and old objects pruned."""
        import subprocess
        import sys

        args = [
            sys.executable,
            "-c",
            "import sys, git_filter_repo; sys.exit(git_filter_repo.main())",
            "--sensitive-data-removal",
            "--no-fetch",
            "--invert-paths",
            "--force",
            "--quiet",
        ]
        for path in paths:
            args += ["--path", path]
        done = subprocess.run(
            args,
            cwd=self.top,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, **NON_INTERACTIVE},
        )
        if done.returncode != 0:
            detail = " ".join((done.stderr or done.stdout).split())
            raise GitError(f"git filter-repo failed; history is unchanged: {detail}")

    # --- remotes ---------------------------------------------------------------------------

    def remotes(self) -> list[str]:
        """Names of the configured remotes."""
        return [r.name for r in self.repo.remotes]

    def upstream(self) -> tuple[str, str] | None:
        """(remote, branch) the current branch tracks, or None."""
        tracking = self.repo.active_branch.tracking_branch()
        if tracking is None:
            return None
        return str(tracking.remote_name), str(tracking.remote_head)

    def fetch(self, remote: str) -> None:
        """Fetch ``remote`` without ever prompting."""
        self.run("fetch", "--quiet", remote, network=True)

    def push(self, remote: str, branch: str, *, set_upstream: bool = False) -> bool:
        """Push the branch (never forced); return False if the remote moved on meanwhile."""
        args = ["push", "--quiet", "--porcelain"] + (["-u"] if set_upstream else [])
        done = self.network(*args, remote, f"HEAD:refs/heads/{branch}")
        if done.returncode == 0:
            return True
        text = f"{done.stdout} {done.stderr}"
        if "[rejected]" in text or "non-fast-forward" in text or "fetch first" in text:
            return False
        detail = " ".join(done.stderr.split())
        raise NetworkError(f"not synced: git push could not reach the remote ({detail})")

    def force_push(self, remote: str, branch: str, *, expected: str | None) -> None:
        """Replace the remote's branch with ours, but only if it is still at ``expected``
        (``--force-with-lease``): someone else's newer work is never thrown away."""
        lease = f"--force-with-lease=refs/heads/{branch}:{expected or ''}"
        done = self.network(
            "push", "--quiet", "--porcelain", lease, remote, f"HEAD:refs/heads/{branch}"
        )
        if done.returncode != 0:
            detail = " ".join((done.stderr or done.stdout).split())
            raise NetworkError(f"the shared copy was not replaced ({detail}); sync and try again")

    def files_in(self, rev: str, folder: str) -> list[str]:
        """The files under ``folder`` in the tree of ``rev``."""
        if self.rev(rev) is None:
            return []
        output = self.run("ls-tree", "-r", "-z", "--name-only", rev, "--", folder)
        return [p for p in output.split("\0") if p]

    def counts(self, ours: str, theirs: str) -> tuple[int, int]:
        """How many commits ``ours`` has that ``theirs`` lacks, and the other way round."""
        ahead, behind = self.run(
            "rev-list", "--left-right", "--count", f"{ours}...{theirs}"
        ).split()
        return int(ahead), int(behind)

    def reachable(self, remote: str) -> str | None:
        """None if ``remote`` answers, else why not."""
        try:
            self.run("ls-remote", "--heads", remote, network=True)
        except NetworkError as err:
            return str(err)
        return None

    # --- config ----------------------------------------------------------------------------

    def config_get(self, key: str) -> str | None:
        """A value of the repository's git config, or None."""
        return self.run("config", "--get", key, check=False).strip() or None

    def config_set(self, key: str, value: str) -> None:
        """Set a value in this clone's own (local) git config."""
        self.run("config", "--local", key, value)

    def fsck(self) -> str | None:
        """None if ``git fsck`` finds nothing wrong, else what it said."""
        git = _git()
        try:
            self.repo.git.execute(["git", "fsck", "--no-progress", "--no-dangling"])
        except git.GitCommandError as err:
            return " ".join(str(err.stderr or err.stdout).split())
        return None

    def has_identity(self) -> bool:
        """Whether git knows who commits: user.name and user.email, or the environment."""
        env = os.environ
        name = self.config_get("user.name") or env.get("GIT_COMMITTER_NAME")
        email = self.config_get("user.email") or env.get("GIT_COMMITTER_EMAIL")
        return bool(name and email)

    def commit_as(self, name: str, email: str | None) -> None:
        """Make every commit from here on (merges included) by ``name <email>``."""
        self.repo.git.update_environment(
            GIT_AUTHOR_NAME=name,
            GIT_AUTHOR_EMAIL=email or "",
            GIT_COMMITTER_NAME=name,
            GIT_COMMITTER_EMAIL=email or "",
        )

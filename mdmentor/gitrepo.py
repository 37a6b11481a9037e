"""The one module that runs git (through GitPython)."""

from __future__ import annotations

from pathlib import Path

from mdmentor.errors import GitError


def is_inside_repo(path: Path) -> bool:
    """Whether ``path`` is inside a git work tree."""
    import git

    try:
        git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return False
    return True


def init_repo(path: Path) -> None:
    """Create a git repository at ``path``."""
    import git

    try:
        git.Repo.init(path)
    except git.GitError as err:
        raise GitError(f"git init failed in {path}: {err}") from err

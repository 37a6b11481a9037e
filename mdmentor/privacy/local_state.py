"""What this clone's user has accepted, kept outside the repository.

Everyone who shares the journal can push any file to it, so nothing in the journal can
say what this machine trusts. The policy its user accepted (who reads what, how long
records are kept) and the keys it accepted for each person are kept in the user's own
state folder, one file per clone, which no push can reach, as ssh keeps known_hosts.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mdmentor.errors import UsageError
from mdmentor.fileio import atomic_write
from mdmentor.userdirs import state_dir


@dataclass
class LocalState:
    """One clone's acceptances."""

    path: Path
    root: str
    #: The policy accepted last (``Policy.to_json``), or None before the first acceptance.
    policy: dict[str, Any] | None = None
    #: Accepted public keys by person id; None until keys are first looked at (first use).
    keys: dict[str, list[str]] | None = None


def state_file(root: Path) -> Path:
    """Where the acceptances of the clone at ``root`` are kept."""
    digest = hashlib.sha256(str(root.resolve()).encode("utf-8")).hexdigest()[:20]
    return state_dir() / "journals" / f"{digest}.json"


def load(root: Path) -> LocalState:
    """This clone's acceptances (empty if it has none yet)."""
    path = state_file(root)
    state = LocalState(path=path, root=str(root.resolve()))
    if not path.exists():
        return state
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise UsageError(
            f"cannot read what this machine has accepted for the journal ({path}: {err}); "
            "move that file aside and accept the policy and keys again"
        ) from err
    state.policy = data.get("policy")
    state.keys = data.get("keys")
    return state


def save(state: LocalState) -> None:
    """Write this clone's acceptances (readable by its user only)."""
    state.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = {"root": state.root, "policy": state.policy, "keys": state.keys}
    atomic_write(state.path, json.dumps(data, indent=2, sort_keys=True) + "\n", overwrite=True)

"""The user's own folders, outside every journal: where keys and each clone's acceptances live.

platformdirs knows the right place on each system (``~/.config`` and ``~/.local/state`` on
Linux, ``~/Library/Application Support`` on macOS, ``%APPDATA%`` and ``%LOCALAPPDATA%`` on
Windows). mdmentor 0.1 kept the identity in ``~/.config/mdmentor`` on every system; an
identity already there keeps being used.
"""

from __future__ import annotations

import os
from pathlib import Path

APP = "mdmentor"


def config_dir() -> Path:
    """Where the user's identity (private key) and per-record keys are kept."""
    import platformdirs

    legacy = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / APP
    current = Path(platformdirs.user_config_dir(APP, appauthor=False, roaming=True))
    if not current.exists() and (legacy / "identity.txt").exists():
        return legacy
    return current


def state_dir() -> Path:
    """Where each clone's accepted policy and keys are remembered."""
    import platformdirs

    return Path(platformdirs.user_state_dir(APP, appauthor=False))


def drafts_dir() -> Path:
    """A private folder (mode 0700) for drafts being edited, which may hold decrypted text:
    the user's runtime folder where the system gives one (memory only, emptied at logout),
    else their state folder; never the shared temporary folder."""
    import platformdirs

    runtime = os.environ.get("XDG_RUNTIME_DIR")
    base = (
        Path(platformdirs.user_runtime_dir(APP, appauthor=False))
        if runtime and Path(runtime).is_dir()
        else state_dir()
    )
    folder = base / "drafts"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)
    return folder

"""The merge driver git runs for each record both sides changed (``mdmentor merge-driver``).

Git hands it three files and keeps whatever it leaves in OURS. It must never fail in a way
that lets git keep one side quietly: whatever goes wrong, OURS keeps both sides whole
between conflict markers, and the merge is reported as a conflict for sync to list.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

from mdmentor.fileio import atomic_write
from mdmentor.sharing.gitrepo import merge_file
from mdmentor.sharing.merge import keep_both_files, merge_files
from mdmentor.sharing.renumber import note_renumbered_items

#: For fault-injection tests only: ``MDMENTOR_FAILPOINT=STAGE`` kills sync (``kill -9``)
#: at that stage, ``merge-driver`` among them, to prove the next sync completes.
FAILPOINT_ENV = "MDMENTOR_FAILPOINT"


def merge_in_place(base: Path, ours: Path, theirs: Path, name: str | None) -> tuple[bool, str]:
    """Merge ``base``, ``ours`` and ``theirs`` into ``ours``, run in the work tree's top
    folder as git runs a driver. Returns whether the merge is clean, and a line saying what
    was left to resolve (empty when clean)."""
    if os.environ.get(FAILPOINT_ENV) == "merge-driver" and hasattr(os, "killpg"):
        os.killpg(os.getpgid(0), signal.SIGKILL)  # a power cut in the middle of a merge
    shown = name or str(ours)
    problem = ""
    try:
        data, result = merge_files(base, ours, theirs, line_merge=merge_file)
        if result.renumbered:
            note_renumbered_items(Path.cwd(), shown, result.renumbered)
        if not result.clean:
            where = ", ".join(result.conflicts) or result.unmerged or "the notes"
            problem = f"conflict in {shown}: {where}"
    except Exception as err:  # never let git keep one side quietly
        data = keep_both_files(base, ours, theirs, why=f"{err}")
        problem = f"could not merge {shown} ({err}); both sides are kept"
    try:
        atomic_write(ours.absolute(), data, overwrite=True, root=ours.absolute().parent)
    except Exception as err:
        problem = f"could not write the merge of {shown} ({err})"
    return not problem, problem

"""A random editor for two clones: edits and syncs in any order, then checks no edit was lost.

Used by tests/test_sync_property.py (a few dozen sequences) and by
benchmarks/bench_sync_fuzz.py (thousands). Every edit writes a unique token, so
"is this edit still here?" is a substring test. An edit may be overwritten only
by a later edit made where the earlier one was already visible; any other edit
must survive every sync in the clone where it was made: merged, or kept in a
``conflicts:`` entry or conflict markers. Zero silent losses.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule

from mdmentor.records.journal import open_journal
from mdmentor.records.parsing import decode_text, dump_document, parse_document
from mdmentor.sharing.sync import sync

from .conftest import GOAL, MINIMAL_CONFIG, SESSION, build_file_tree
from .gitfixtures import git, make_shared

SESSION_PATH = "sessions/2026/2026-03-09-first-session.md"
CLONES = ("mentor", "mentee")
EDITS = ("duration", "topics", "action_note", "body", "new_action")


@dataclass(frozen=True)
class Edit:
    """One saved edit: where, what field, the token written and the value it replaced."""

    clone: str
    kind: str
    token: str
    replaced: str | None


class TwoClones(RuleBasedStateMachine):
    """Random edit/sync sequences on a mentor clone and a mentee clone."""

    def __init__(self) -> None:
        super().__init__()
        for key, value in {
            "GIT_AUTHOR_NAME": "Fuzz",
            "GIT_AUTHOR_EMAIL": "fuzz@example.org",
            "GIT_COMMITTER_NAME": "Fuzz",
            "GIT_COMMITTER_EMAIL": "fuzz@example.org",
        }.items():
            os.environ.setdefault(key, value)
        self.scratch = Path(tempfile.mkdtemp(prefix="mdmentor-fuzz-"))
        journal = build_file_tree(
            self.scratch / "journal",
            {
                "mdmentor.yaml": MINIMAL_CONFIG,
                "goals/G-001-lead-the-morning-handover.md": GOAL,
                SESSION_PATH: SESSION,
            },
        )
        shared = make_shared(self.scratch, journal)
        self.remote = shared.remote
        self.roots = {"mentor": shared.mentor, "mentee": shared.mentee}
        self.edits: list[Edit] = []
        self.counter = itertools.count(1)

    def _file(self, clone: str) -> Path:
        return self.roots[clone] / SESSION_PATH

    @rule(clone=st.sampled_from(CLONES), kind=st.sampled_from(EDITS))
    def edit(self, clone: str, kind: str) -> None:
        path = self._file(clone)
        document = parse_document(decode_text(path.read_bytes()))
        meta, body = dict(document.meta), document.body
        n = next(self.counter)
        token = f"{clone}{n}x"
        replaced: str | None = None
        if kind == "duration":
            replaced = str(meta.get("duration_minutes"))
            token = str(1000 + n)
            meta["duration_minutes"] = int(token)
        elif kind == "topics":
            replaced = str(meta.get("topics", [""])[0])
            meta["topics"] = [token]
        elif kind == "action_note":
            actions = [dict(a) for a in meta["actions"]]
            replaced = str(actions[1].get("note"))
            actions[1]["note"] = token
            meta["actions"] = actions
        elif kind == "body":
            body = body + f"\n{token}\n"
        else:
            meta["actions"] = [
                *meta["actions"],
                {"id": f"A{100 + n}", "text": token, "owner": "mentee", "status": "open"},
            ]
        path.write_text(dump_document(meta, body), encoding="utf-8")
        self.edits.append(Edit(clone, kind, token, replaced))

    @rule(clone=st.sampled_from(CLONES))
    def sync(self, clone: str) -> None:
        sync(open_journal(self.roots[clone]))

    def teardown(self) -> None:
        try:
            for clone in ("mentor", "mentee", "mentor"):
                sync(open_journal(self.roots[clone]))
            check_no_silent_loss(self.edits, {c: self._file(c).read_text() for c in CLONES})
            for place in (*self.roots.values(), self.remote):
                git(place, "fsck", "--no-progress")
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)


def check_no_silent_loss(edits: list[Edit], final: dict[str, str]) -> None:
    """Every edit not knowingly overwritten is still in its clone's file."""
    overwritten = {e.replaced for e in edits if e.replaced}
    for edit in edits:
        if edit.token in overwritten:
            continue
        assert edit.token in final[edit.clone], f"lost {edit} in {edit.clone}:\n{final[edit.clone]}"

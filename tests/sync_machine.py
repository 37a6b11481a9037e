"""A random editor for two clones: edits and syncs in any order, then counts what was lost.

Used by tests/test_sync_property.py (a few dozen sequences, every count must be zero) and
by benchmarks/bench_sync_fuzz.py (a thousand or more, counted and printed).

Every edit changes the record's text in place, line by line, as a person in Notepad
would, so what is written is the author's own formatting: values in plain, single- or
double-quoted, folded (``>-``) or literal (``|``) style, comment lines and comments at
the end of a line, new actions (some under the same id as the other person's), removed
actions, saves with Windows line ends and saves in Latin-1, and saves made while a sync
runs (between its steps). Every edit writes a unique
token, so "is this edit still here?" is a substring test. What is counted:

- lost edits and dropped comments: an edit may be overwritten only by a later edit made
  where it was visible, or by a person resolving a conflict that showed it; any other
  must survive every sync in the clone where it was made;
- rewritten lines: at every merge sync makes, each line of the common version that
  neither side changed must come back in the merged file, in order, byte for byte;
- unlisted conflicts: after every sync, a record with a conflict of any kind (an entry,
  markers, bytes that are not UTF-8) must be listed in what sync returns;
- git fsck failures, in both clones and the remote.
"""

from __future__ import annotations

import difflib
import itertools
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule

from mdmentor.records.journal import open_journal
from mdmentor.records.parsing import find_conflict_markers
from mdmentor.sharing.sync import SyncResult, sync

from .conftest import GOAL, MINIMAL_CONFIG, build_file_tree
from .gitfixtures import git, make_shared

SESSION_PATH = "sessions/2026/2026-03-09-first-session.md"
CLONES = ("mentor", "mentee")
SESSION = """\
---
type: session
id: S-2026-03-09
date: 2026-03-09   # the day we met
start_time: "14:00"
duration_minutes: 60
mode: video
attendees: [mentor, mentee]
goals: [G-001]
topics:
  - Handover structure
insights:
  - >-
    Handovers go better when the night team
    writes the first draft.
decisions:
  - 'Keep going'
actions:
  - id: A1
    text: Read the handover policy
    owner: mentee
    due: 2026-03-16
    status: done
    done: '2026-03-15'
  - id: A2
    text: Draft a handover checklist
    owner: mentee
    due: 2026-03-23
    status: open
    note: "1.0e5"
next_session:
  date: 2026-03-23
---
Notes.
"""
EDITS = (
    "duration",
    "topic",
    "note",
    "body",
    "new_action",
    "next_action",
    "remove_action",
    "edit_last_action",
    "comment",
    "inline_comment",
    "item_comment",
    "line_ends",
    "latin1",
)
#: The points between sync's steps where a person may save (see sync's ``on_stage``).
STAGES = ("committed", "fetched", "merged", "pushing")
STYLES = ("plain", "single", "double", "folded", "literal")
TOKEN = re.compile(r"(?:mentor|mentee)\d+x")
TOP_KEY = re.compile(r"^[a-z_]+:")
ITEM = re.compile(r"^(\s*)- id: (A\d+)")
VALUE = re.compile(r"^(\s*(?:- )?(?:[a-z_]+:[ \t]*)?)(.*?)([ \t]+#.*)?$")


@dataclass(frozen=True)
class Edit:
    """One saved edit: where, what kind, the token written and the token it replaced."""

    clone: str
    kind: str
    token: str
    replaced: str | None = None

    @property
    def comment(self) -> bool:
        """Whether the edit added a comment."""
        return self.kind.endswith("comment")


@dataclass
class Tally:
    """What a run of sequences did and what it lost, each figure counted."""

    sequences: int = 0
    steps: int = 0
    edits: int = 0
    syncs: int = 0
    merges: int = 0
    record_merges: int = 0
    renumbered: int = 0
    conflicts_listed: int = 0
    not_utf8_listed: int = 0
    resolved: int = 0
    saves_during_sync: int = 0
    lost_edits: int = 0
    dropped_comments: int = 0
    rewritten_lines: int = 0
    unlisted_conflicts: int = 0
    fsck_failures: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        """Add another run's counts to these."""
        for name, value in vars(other).items():
            if name == "examples":
                self.examples += value[: max(0, 5 - len(self.examples))]
            else:
                setattr(self, name, getattr(self, name) + value)

    @property
    def failures(self) -> int:
        """Everything that must be zero."""
        return (
            self.lost_edits
            + self.dropped_comments
            + self.rewritten_lines
            + self.unlisted_conflicts
            + self.fsck_failures
        )


class TwoClones(RuleBasedStateMachine):
    """Random edit/sync sequences on a mentor clone and a mentee clone."""

    #: Fail at the first loss (for hypothesis to shrink), or only count (the benchmark).
    strict = True

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
        self.excused: set[str] = set()
        self.counter = itertools.count(1)
        self.tally = Tally(sequences=1)
        self.log: list[str] = []

    # --- reading and writing the record as an editor does ---------------------------------

    def _file(self, clone: str) -> Path:
        return self.roots[clone] / SESSION_PATH

    def _read(self, clone: str) -> tuple[list[str], str]:
        """The record's lines (any bytes kept) and the line end it was saved with."""
        data = self._file(clone).read_bytes()
        text = data.decode("utf-8", errors="surrogateescape").replace("\r\n", "\n")
        return text.split("\n"), "\r\n" if b"\r\n" in data else "\n"

    def _save(self, clone: str, lines: list[str], end: str) -> None:
        text = "\n".join(lines).replace("\n", end)
        self._file(clone).write_bytes(text.encode("utf-8", errors="surrogateescape"))

    # --- the rules -------------------------------------------------------------------------

    @rule(
        clone=st.sampled_from(CLONES),
        kind=st.sampled_from(EDITS),
        style=st.sampled_from(STYLES),
        where=st.integers(0, 1000),
        resolve_first=st.booleans(),
    )
    def edit(self, clone: str, kind: str, style: str, where: int, resolve_first: bool) -> None:
        self.tally.steps += 1
        self._edit(clone, kind, style, where, resolve_first)

    @rule(
        kinds=st.tuples(st.sampled_from(EDITS), st.sampled_from(EDITS)),
        style=st.sampled_from(STYLES),
        where=st.integers(0, 1000),
    )
    def both_edit_then_sync(self, kinds: tuple[str, str], style: str, where: int) -> None:
        """Both edit the record offline, then each syncs: the second sync merges."""
        self.tally.steps += 1
        for clone, kind in zip(CLONES, kinds, strict=True):
            self._edit(clone, kind, style, where, resolve_first=True)
        for clone in CLONES:
            self._sync(clone)

    @rule(style=st.sampled_from(STYLES), where=st.integers(0, 1000))
    def both_add_the_next_action(self, style: str, where: int) -> None:
        """Both add "the next action" offline, so both give it the same id; then sync."""
        self.both_edit_then_sync(("next_action", "next_action"), style, where)

    @rule(clone=st.sampled_from(CLONES))
    def sync(self, clone: str) -> None:
        self.tally.steps += 1
        self._sync(clone)

    @rule(
        clone=st.sampled_from(CLONES),
        stage=st.sampled_from(STAGES),
        kinds=st.tuples(st.sampled_from(EDITS), st.sampled_from(EDITS)),
        style=st.sampled_from(STYLES),
        where=st.integers(0, 1000),
    )
    def save_during_sync(
        self, clone: str, stage: str, kinds: tuple[str, str], style: str, where: int
    ) -> None:
        """The other person edits and syncs; this one edits, syncs, and saves again while
        that sync is at ``stage``: the save is committed, never overwritten."""
        self.tally.steps += 1
        other = next(c for c in CLONES if c != clone)
        self._edit(other, kinds[0], style, where, resolve_first=True)
        self._sync(other)
        self._edit(clone, kinds[1], style, where, resolve_first=True)

        def meanwhile(name: str) -> None:
            if name == stage:
                self.log.append(f"{clone}: saves while sync is at {stage!r}")
                edits = self.tally.edits
                self._edit(clone, kinds[1], style, where + 1, resolve_first=False)
                self.tally.saves_during_sync += self.tally.edits - edits

        self._sync(clone, on_stage=meanwhile)

    @rule(clone=st.sampled_from(CLONES))
    def resolve(self, clone: str) -> None:
        self.tally.steps += 1
        self._resolve(clone)

    def _edit(self, clone: str, kind: str, style: str, where: int, resolve_first: bool) -> None:
        """Make one edit in ``clone``'s record, as a person in a text editor would."""
        if _kept_whole(self._read(clone)[0]) or (resolve_first and self._conflicted(clone)[0]):
            self._resolve(clone)  # what sync asked the person to do before going on
        lines, end = self._read(clone)
        n = next(self.counter)
        token = f"{clone}{n}x"
        made = EDITORS[kind](lines, Ask(token, n, style, where))
        if made is None:
            return
        if kind == "remove_action" and made.replaced:
            self.excused.add(made.replaced)  # the person deleted it, having seen it
        self._save(clone, lines, made.end or end)
        self.log.append(f"{clone}: {kind} {made.token or token} ({style}, {where})")
        self.tally.edits += 1
        if made.writes_token:
            self.edits.append(Edit(clone, kind, made.token or token, made.replaced))

    def teardown(self) -> None:
        try:
            for clone in ("mentor", "mentee", "mentor"):
                self._sync(clone)
            self._count_losses()
            for place in (*self.roots.values(), self.remote):
                done = subprocess.run(
                    ["git", "fsck", "--no-progress"], cwd=place, capture_output=True, text=True
                )
                if done.returncode != 0:
                    self._fail("fsck_failures", 1, f"git fsck in {place}: {done.stderr}")
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)

    # --- syncing and checking --------------------------------------------------------------

    def _sync(self, clone: str, on_stage: Callable[[str], None] | None = None) -> None:
        self.log.append(f"{clone}: sync")
        result = sync(open_journal(self.roots[clone]), on_stage=on_stage)
        self.tally.syncs += 1
        self.tally.renumbered += sum(1 for r in result.renumbered if r.record is not None)
        if result.merged:
            self.tally.merges += 1
            self._check_merge(clone)
        self._check_listed(clone, result)

    def _conflicted(self, clone: str) -> tuple[bool, bool]:
        """Whether the record has a conflict of any kind, and whether it is not UTF-8."""
        data = self._file(clone).read_bytes()
        text = data.decode("utf-8", errors="surrogateescape")
        not_utf8 = text != data.decode("utf-8", errors="replace")
        marked = bool(find_conflict_markers(text)) or "\nconflicts:" in text
        return not_utf8 or marked, not_utf8

    def _check_listed(self, clone: str, result: SyncResult) -> None:
        """A record with a conflict of any kind is in what sync returns."""
        conflicted, not_utf8 = self._conflicted(clone)
        text = self._file(clone).read_bytes().decode("utf-8", errors="surrogateescape")
        listed = SESSION_PATH in [report.path for report in result.conflicts]
        if listed:
            self.tally.conflicts_listed += 1
            self.tally.not_utf8_listed += not_utf8
        elif conflicted:
            self._fail("unlisted_conflicts", 1, f"{clone}: a conflict sync did not list:\n{text}")

    def _check_merge(self, clone: str) -> None:
        """Every line neither side changed since their common version is in the merge."""
        root = self.roots[clone]
        merge = git(root, "rev-list", "--first-parent", "--merges", "-n1", "HEAD").strip()
        ours, theirs = (git(root, "rev-parse", f"{merge}^{n}").strip() for n in (1, 2))
        base = git(root, "merge-base", ours, theirs).strip()
        versions = [_blob(root, rev, SESSION_PATH) for rev in (base, ours, theirs, merge)]
        if any(v is None for v in versions):
            return
        base_lines, our_lines, their_lines, merged = (
            v.split("\n") for v in versions if v is not None
        )
        if our_lines != base_lines and their_lines != base_lines:
            self.tally.record_merges += 1
        untouched = _untouched(base_lines, our_lines, their_lines)
        missing = _missing(untouched, merged)
        if missing:
            self._fail(
                "rewritten_lines",
                len(missing),
                f"{clone}: lines neither side changed are gone: {missing}\n"
                + "\n".join(
                    f"--- {name}\n{v}"
                    for name, v in zip(("base", "ours", "theirs", "merged"), versions, strict=True)
                ),
            )

    def _count_losses(self) -> None:
        """Edits not knowingly overwritten are still in the file of their clone."""
        final = {c: self._read(c)[0] for c in CLONES}
        overwritten = {e.replaced for e in self.edits if e.replaced} | self.excused
        for edit in self.edits:
            if edit.token in overwritten or any(edit.token in line for line in final[edit.clone]):
                continue
            name = "dropped_comments" if edit.comment else "lost_edits"
            self._fail(name, 1, f"lost {edit} in {edit.clone}:\n" + "\n".join(final[edit.clone]))

    def _fail(self, name: str, count: int, example: str) -> None:
        setattr(self.tally, name, getattr(self.tally, name) + count)
        if len(self.tally.examples) < 5:
            self.tally.examples.append("\n".join(self.log) + "\n" + example)
        if self.strict:
            raise AssertionError(example)

    # --- resolving, as a person does -------------------------------------------------------

    def _resolve(self, clone: str) -> None:
        """Resolve what sync reported: keep ours where both versions were kept whole (and
        save it as UTF-8), keep both sides of marked notes, delete ``conflicts:`` entries
        having read them. Tokens only in what was deleted were seen, so are not losses."""
        lines, end = self._read(clone)
        before = "\n".join(lines)
        if _kept_whole(lines):
            ours_end = next(i for i, line in enumerate(lines) if line == "||||||| base")
            lines = [*lines[1:ours_end], ""]
        lines = _without_body_markers(lines)
        lines = _without_conflicts_entry(lines)
        after = "\n".join(lines).replace("\udce9", "é")  # the Latin-1 byte, as UTF-8
        if after == before:
            return
        self.tally.resolved += 1
        self.log.append(f"{clone}: resolve")
        self.excused |= {e.token for e in self.edits if e.token in before and e.token not in after}
        self._save(clone, after.split("\n"), end)


# --- edits: each changes the lines in place and says what it replaced ------------------------


@dataclass(frozen=True)
class Ask:
    """What an edit is asked to do: write ``token`` (the ``n``th edit), in ``style``, at
    the ``where``th place it could go."""

    token: str
    n: int
    style: str
    where: int


@dataclass(frozen=True)
class Made:
    """What an edit did: the token it wrote where not the one asked for, the token it
    replaced, and a new line end to save with."""

    replaced: str | None = None
    end: str | None = None
    writes_token: bool = True
    token: str | None = None


def _styled(token: str, style: str, indent: str) -> list[str]:
    """``token`` written as a value in a quoting or block style, after ``key: ``."""
    if style == "single":
        return [f"'{token}: in single quotes'"]
    if style == "double":
        return [f'"{token} said \\"yes\\""']
    if style == "folded":
        return [">-", f"{indent}  {token} wrote a longer note", f"{indent}  over two lines"]
    if style == "literal":
        return ["|", f"{indent}  {token} wrote", f"{indent}    an indented line"]
    return [f"{token} plain"]


def _front(lines: list[str]) -> int:
    """The index of the line that closes the front matter."""
    return next(i for i in range(1, len(lines)) if lines[i].rstrip() == "---")


def _top(lines: list[str], key: str) -> int | None:
    return next((i for i in range(1, _front(lines)) if lines[i].startswith(f"{key}:")), None)


def _block_end(lines: list[str], start: int) -> int:
    """Where the top-level field at ``start`` ends: the next top-level key or ``---``."""
    end = _front(lines)
    return next((i for i in range(start + 1, end) if TOP_KEY.match(lines[i])), end)


def _items(lines: list[str]) -> list[tuple[int, int, str]]:
    """(first line, end, id) of each action; an action's lines are its dash line and the
    lines indented under it that are not comments."""
    start = _top(lines, "actions")
    if start is None:
        return []
    found = []
    stop = _block_end(lines, start)
    for index in range(start + 1, stop):
        match = ITEM.match(lines[index])
        if match:
            end = index + 1
            col = len(match.group(1))
            while end < stop and _indent(lines[end]) > col and not _is_comment(lines[end]):
                end += 1
            found.append((index, end, match.group(2)))
    return found


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" ")) if line.strip() else 1000


def _is_comment(line: str) -> bool:
    return line.strip().startswith("#")


def _set_value(line: str, value: str) -> tuple[str, str | None]:
    """``line`` with its value replaced, any comment at its end kept; and the old token."""
    match = VALUE.match(line)
    assert match, line
    found = TOKEN.search(match.group(2))
    return match.group(1) + value + (match.group(3) or ""), found.group(0) if found else None


def edit_duration(lines: list[str], ask: Ask) -> Made | None:
    at = _top(lines, "duration_minutes")
    if at is None:
        return None
    number = str(1000 + ask.n)
    old = VALUE.match(lines[at])
    lines[at], _ = _set_value(lines[at], number)
    return Made(replaced=old.group(2) if old else None, token=number)


def edit_topic(lines: list[str], ask: Ask) -> Made | None:
    at = _top(lines, "topics")
    if at is None or not lines[at + 1].lstrip().startswith("- "):
        return None
    value = _styled(ask.token, ask.style if ask.style in ("single", "double") else "plain", "")[0]
    lines[at + 1], replaced = _set_value(lines[at + 1], value)
    return Made(replaced=replaced)


def edit_note(lines: list[str], ask: Ask) -> Made | None:
    """Write the note of action A2, replacing the one there (and its continuation lines)."""
    item = next(((s, e) for s, e, i in _items(lines) if i == "A2"), None)
    if item is None:
        return None
    start, end = item
    at = next((i for i in range(start, end) if lines[i].lstrip().startswith("note:")), None)
    replaced = None
    if at is None:
        at = end
    else:
        stop = at + 1
        while stop < end and _indent(lines[stop]) > _indent(lines[at]):
            stop += 1
        found = TOKEN.search("\n".join(lines[at:stop]))
        replaced = found.group(0) if found else None
        del lines[at:stop]
    value = _styled(ask.token, ask.style, "    ")
    lines[at:at] = [f"    note: {value[0]}", *value[1:]]
    return Made(replaced=replaced)


def edit_body(lines: list[str], ask: Ask) -> Made | None:
    lines.insert(len(lines) - 1 if lines[-1] == "" else len(lines), f"{ask.token} wrote this.")
    return Made()


def _add_action(lines: list[str], action_id: str, token: str) -> Made | None:
    start = _top(lines, "actions")
    if start is None:
        return None
    items = _items(lines)
    at = items[-1][1] if items else start + 1
    lines[at:at] = [
        f"  - id: {action_id}",
        f"    text: {token} agreed this",
        "    owner: mentee",
        "    status: open",
    ]
    return Made()


def edit_new_action(lines: list[str], ask: Ask) -> Made | None:
    return _add_action(lines, f"A{100 + ask.n}", ask.token)


def edit_next_action(lines: list[str], ask: Ask) -> Made | None:
    """Add "the next action", A(highest + 1): made offline on both sides, the ids collide."""
    numbers = [int(i[1:]) for _, _, i in _items(lines)]
    return _add_action(lines, f"A{max(numbers, default=0) + 1}", ask.token)


def edit_remove_action(lines: list[str], ask: Ask) -> Made | None:
    removable = [(s, e) for s, e, i in _items(lines) if i not in ("A1", "A2")]
    if not removable:
        return None
    start, end = removable[ask.where % len(removable)]
    found = TOKEN.search("\n".join(lines[start:end]))
    del lines[start:end]
    return Made(replaced=found.group(0) if found else None, writes_token=False)


def edit_last_action(lines: list[str], ask: Ask) -> Made | None:
    editable = [(s, e) for s, e, i in _items(lines) if i not in ("A1", "A2")]
    if not editable:
        return None
    start, end = editable[-1]
    at = next((i for i in range(start, end) if "text:" in lines[i]), None)
    if at is None:
        return None
    lines[at], replaced = _set_value(lines[at], f"{ask.token} changed this")
    return Made(replaced=replaced)


def edit_comment(lines: list[str], ask: Ask) -> Made | None:
    """A comment line before a top-level field."""
    keys = [i for i in range(1, _front(lines)) if TOP_KEY.match(lines[i])]
    at = keys[ask.where % len(keys)]
    lines[at:at] = [f"# {ask.token} explains the next field"]
    return Made()


def edit_inline_comment(lines: list[str], ask: Ask) -> Made | None:
    """A comment at the end of a top-level line with a plain value."""
    plain = [
        i
        for i in range(1, _front(lines))
        if TOP_KEY.match(lines[i])
        and lines[i].split(":", 1)[1].strip()
        and "#" not in lines[i]
        and not lines[i].rstrip().endswith((">-", "|"))
    ]
    if not plain:
        return None
    at = plain[ask.where % len(plain)]
    lines[at] += f"  # {ask.token} on this line"
    return Made()


def edit_item_comment(lines: list[str], ask: Ask) -> Made | None:
    """A comment line inside an action, under one of its fields."""
    items = _items(lines)
    if not items:
        return None
    _, end, _ = items[ask.where % len(items)]
    lines[end:end] = [f"    # {ask.token} about this action"]
    return Made()


def edit_line_ends(lines: list[str], ask: Ask) -> Made | None:
    """Save with Windows line ends (or back to Unix ones), as another editor would."""
    return Made(end="\r\n" if ask.where % 2 else "\n", writes_token=False)


def edit_latin1(lines: list[str], ask: Ask) -> Made | None:
    """A note saved by an editor in Latin-1: one byte that is not UTF-8."""
    at = len(lines) - 1 if lines[-1] == "" else len(lines)
    lines.insert(at, f"{ask.token} met at the caf\udce9.")
    return Made()


EDITORS = {
    "duration": edit_duration,
    "topic": edit_topic,
    "note": edit_note,
    "body": edit_body,
    "new_action": edit_new_action,
    "next_action": edit_next_action,
    "remove_action": edit_remove_action,
    "edit_last_action": edit_last_action,
    "comment": edit_comment,
    "inline_comment": edit_inline_comment,
    "item_comment": edit_item_comment,
    "line_ends": edit_line_ends,
    "latin1": edit_latin1,
}


# --- helpers for the checks --------------------------------------------------------------------


def _blob(root: Path, rev: str, path: str) -> str | None:
    done = subprocess.run(
        ["git", "cat-file", "blob", f"{rev}:{path}"], cwd=root, capture_output=True, check=False
    )
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", errors="surrogateescape").replace("\r\n", "\n")


def _untouched(base: list[str], ours: list[str], theirs: list[str]) -> list[str]:
    """The lines of ``base`` that neither side changed, in order.

    A line that both diffs keep counts, unless a side added or removed a copy of it: with
    two actions deleted, ``    status: open`` lines are all alike, and which copies a diff
    pairs up is a guess that says nothing about what was edited.
    """
    kept = _kept_lines(base, ours) & _kept_lines(base, theirs)
    return [
        line
        for index, line in enumerate(base)
        if index in kept and base.count(line) == ours.count(line) == theirs.count(line)
    ]


def _kept_lines(base: list[str], other: list[str]) -> set[int]:
    """The indices of the lines of ``base`` that ``other`` still has unchanged."""
    matcher = difflib.SequenceMatcher(None, base, other, autojunk=False)
    return {block.a + k for block in matcher.get_matching_blocks() for k in range(block.size)}


def _missing(lines: list[str], merged: list[str]) -> list[str]:
    """The ``lines`` that are not in ``merged`` in their order (none if all are)."""
    position = 0
    for line in lines:
        try:
            position = merged.index(line, position) + 1
        except ValueError:
            break
    else:
        return []
    matcher = difflib.SequenceMatcher(None, lines, merged, autojunk=False)
    matched = {block.a + k for block in matcher.get_matching_blocks() for k in range(block.size)}
    return [line for index, line in enumerate(lines) if index not in matched]


def _kept_whole(lines: list[str]) -> bool:
    """Whether both versions were kept whole between markers (nothing was merged)."""
    return bool(lines) and lines[0].startswith("<<<<<<< ours (not merged")


def _without_body_markers(lines: list[str]) -> list[str]:
    """Both sides of each marked block in the notes, without the markers and the base."""
    kept, in_base = [], False
    for line in lines:
        if line.startswith("<<<<<<< ") or line.startswith(">>>>>>> "):
            continue
        if line.startswith("||||||| "):
            in_base = True
            continue
        if line == "=======" and in_base:
            in_base = False
            continue
        if not in_base:
            kept.append(line)
    return kept


def _without_conflicts_entry(lines: list[str]) -> list[str]:
    start = _top(lines, "conflicts") if lines and lines[0] == "---" else None
    if start is None:
        return lines
    return lines[:start] + lines[_block_end(lines, start) :]

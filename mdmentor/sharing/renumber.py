"""Records and list items both sides created with the same id: keep both, give ours a new id.

Two people can each run ``mdmentor new goal`` offline and both get G-002, or each add
"the next action" to the same session and both call it A5. After a merge our addition
takes the next free id (G-003, A6), and the records we added in the same stretch that
refer to it follow; theirs keeps its id. Records are renumbered here, after the merge;
list items are renumbered by the merge driver, which notes them in the repository's git
folder (``note_renumbered_items``) for sync to report and to follow their references.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from mdmentor.errors import ParseError
from mdmentor.fileio import atomic_write
from mdmentor.records.parsing import parse_document
from mdmentor.records.reading import decode_blob, read_text
from mdmentor.sharing.gitrepo import Repository
from mdmentor.sharing.splice import RenumberedItem

#: Where the merge driver notes the items it renumbered, in the git folder (never shared).
ITEMS_NOTE = PurePosixPath("mdmentor", "renumbered-items.json")


@dataclass(frozen=True)
class Renumbered:
    """One record of ours, or one list item in a record, that took a new id."""

    old: str
    new: str
    path: str
    #: For a list item: the id of the record it is in.
    record: str | None = None

    def describe(self) -> str:
        """One line for the terminal."""
        if self.record is not None:
            return f"both sides added {self.old} to {self.record}: yours is now {self.new}"
        return f"both sides created {self.old}: yours is now {self.new} ({self.path})"


def renumber_collisions(repo: Repository, ours: str, theirs: str) -> list[Renumbered]:
    """After merging ``theirs`` into ``ours``, renumber records both added under one id,
    and report the items the merge driver renumbered.

    Only records we added since the common ancestor are changed, and only in files we
    added; nothing is committed here. Records are parsed only where an id can collide,
    so a merge that added nothing costs next to nothing in a large journal.
    """
    base = repo.merge_base(ours, theirs)
    items = _noted_items(repo)
    if base is None:
        return items
    our_added = [p for p in repo.added_between(base, ours) if p.endswith(".md")]
    done = _renumber_records(repo, base, theirs, our_added) if our_added else []
    our_added = [p for p in our_added if os.path.lexists(repo.top / p)]
    our_added += [r.path for r in done if r.path not in our_added]
    for item in items:
        _follow(repo, our_added, f"{item.record}/{item.old}", f"{item.record}/{item.new}")
    return done + items


def _renumber_records(
    repo: Repository, base: str, theirs: str, our_added: list[str]
) -> list[Renumbered]:
    """Give our added records whose id they also added the next free id."""
    their_added = [p for p in repo.added_between(base, theirs) if p.endswith(".md")]
    their_ids = {i for p in their_added if (i := _id_of(repo.blob(theirs, p)))}
    ours = {rel: old for rel in our_added if (old := _id_of(_read(repo, rel))) in their_ids}
    if not ours:
        return []
    # Ids collide only within a record type's folder (a year's folder, for dated ids).
    folders = {PurePosixPath(rel).parent for rel in ours}
    taken = {
        i
        for p in repo.tracked()
        if p.endswith(".md")
        and PurePosixPath(p).parent in folders
        and (i := _id_of(_read(repo, p)))
    }
    done = []
    paths = list(our_added)
    for rel, old in ours.items():
        new = _next_free(old, taken)
        taken.add(new)
        moved = _rename(repo, rel, old, new)
        paths = [moved if p == rel else p for p in paths]
        _follow(repo, [p for p in paths if p != moved], old, new)
        done.append(Renumbered(old, new, moved))
    return done


def _rename(repo: Repository, rel: str, old: str, new: str) -> str:
    """Write ``new`` as the id of our record at ``rel`` (and in its file name); return its
    path."""
    path = repo.top / rel
    text = re.sub(rf"(?m)^id:[ \t]*{re.escape(old)}[ \t]*$", f"id: {new}", _read(repo, rel) or "")
    if not path.name.startswith(old + "-"):
        atomic_write(path, text, overwrite=True, root=repo.top)
        return rel
    moved = path.with_name(new + path.name[len(old) :])
    atomic_write(moved, text, root=repo.top)
    path.unlink()
    return repo.relative(moved)


def _follow(repo: Repository, paths: list[str], old: str, new: str) -> None:
    """Make references to ``old`` in the files at ``paths`` name ``new``."""
    pattern = re.compile(rf"(?<![\w-]){re.escape(old)}(?![\w-])")
    for rel in paths:
        target = repo.top / rel
        if not os.path.lexists(target):
            continue
        before = _read(repo, rel)
        if before is None:
            continue
        after = pattern.sub(new, before)
        if after != before:
            atomic_write(target, after, overwrite=True, root=repo.top)


def _id_of(text: str | bytes | None) -> str | None:
    if text is None:
        return None
    try:
        if isinstance(text, bytes):
            text = decode_blob(text, "record")
        value = parse_document(text).meta.get("id")
    except ParseError:
        return None
    return value if isinstance(value, str) else None


def _next_free(old: str, taken: set[str]) -> str:
    numbered = re.fullmatch(r"([A-Z]+)-(\d+)", old)
    if numbered:
        prefix = numbered.group(1)
        numbers = [int(m.group(1)) for t in taken if (m := re.fullmatch(rf"{prefix}-(\d+)", t))]
        return f"{prefix}-{max(numbers, default=0) + 1:0{len(numbered.group(2))}d}"
    n = 2
    while f"{old}-{n}" in taken:
        n += 1
    return f"{old}-{n}"


def _read(repo: Repository, rel: str) -> str | None:
    try:
        return read_text(repo.top / rel, root=repo.top)
    except ParseError:
        return None


def note_renumbered_items(top: Path, path: str, items: list[RenumberedItem]) -> None:
    """Note, for sync, the items the merge driver renumbered in the record at ``path``."""
    repo = Repository(top)
    noted = _load_note(repo)
    noted += [
        {"path": path, "record": i.record, "field": i.field, "old": i.old, "new": i.new}
        for i in items
    ]
    atomic_write(repo.git_dir / ITEMS_NOTE, json.dumps(noted, indent=1), overwrite=True)


def forget_renumbered_items(repo: Repository) -> None:
    """Clear the note before a merge, so only that merge's items are reported."""
    note = repo.git_dir / ITEMS_NOTE
    if note.exists():
        note.unlink()


def _noted_items(repo: Repository) -> list[Renumbered]:
    """The items the merge driver renumbered in the merge just made (the note is cleared)."""
    noted = _load_note(repo)
    forget_renumbered_items(repo)
    return [
        Renumbered(str(n["old"]), str(n["new"]), str(n["path"]), record=str(n["record"]))
        for n in noted
        if isinstance(n, dict) and {"old", "new", "path", "record"} <= n.keys()
    ]


def _load_note(repo: Repository) -> list[Any]:
    note = repo.git_dir / ITEMS_NOTE
    if not note.exists():
        return []
    try:
        noted = json.loads(read_text(note, root=repo.git_dir))
    except (ParseError, ValueError):
        return []
    return noted if isinstance(noted, list) else []

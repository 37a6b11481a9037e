"""Records both sides created with the same id: keep both, give ours a new id.

Two people can each run ``mdmentor new goal`` offline and both get G-002. After a
merge, our newly added record takes the next free id; the records we added in
the same stretch that refer to it follow. Their record keeps its id.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from mdmentor.errors import ParseError
from mdmentor.fileio import atomic_write
from mdmentor.records.parsing import parse_document
from mdmentor.records.reading import decode_blob, read_text
from mdmentor.sharing.gitrepo import Repository


@dataclass(frozen=True)
class Renumbered:
    """One record of ours that took a new id."""

    old: str
    new: str
    path: str


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


def renumber_collisions(repo: Repository, ours: str, theirs: str) -> list[Renumbered]:
    """After merging ``theirs`` into ``ours``, renumber records both added under one id.

    Only plain records we added since the common ancestor are changed, and only in
    files we added; nothing is committed here.
    """
    base = repo.merge_base(ours, theirs)
    if base is None:
        return []
    our_added = [p for p in repo.added_between(base, ours) if p.endswith(".md")]
    their_ids = {i for p in repo.added_between(base, theirs) if (i := _id_of(repo.blob(theirs, p)))}
    taken = {i for p in repo.tracked() if p.endswith(".md") and (i := _id_of(_read(repo, p)))}
    done = []
    for rel in our_added:
        old = _id_of(_read(repo, rel))
        if old is None or old not in their_ids:
            continue
        new = _next_free(old, taken)
        taken.add(new)
        path = repo.top / rel
        text = re.sub(
            rf"(?m)^id:[ \t]*{re.escape(old)}[ \t]*$", f"id: {new}", _read(repo, rel) or ""
        )
        if path.name.startswith(old + "-"):
            moved = path.with_name(new + path.name[len(old) :])
            atomic_write(moved, text, root=repo.top)
            path.unlink()
            rel = repo.relative(moved)
        else:
            atomic_write(path, text, overwrite=True, root=repo.top)
        for other in our_added:
            target = repo.top / other
            if os.path.lexists(target) and other != rel:
                before = _read(repo, other) or ""
                after = re.sub(rf"(?<![\w-]){re.escape(old)}(?![\w-])", new, before)
                if after != before:
                    atomic_write(target, after, overwrite=True, root=repo.top)
        done.append(Renumbered(old, new, rel))
    return done


def _read(repo: Repository, rel: str) -> str | None:
    try:
        return read_text(repo.top / rel, root=repo.top)
    except ParseError:
        return None

"""Three-way merge of records, field by field: the heart of joint editing.

Front matter is merged key by key: a change on one side is taken; the same change
on both is taken once; different changes to one field, or a deletion against an
edit, are a conflict. Lists of items with ids (actions, milestones, progress
entries, evaluations) are merged item by item. A conflict keeps both values in a
``conflicts:`` entry, which is valid YAML that ``check`` reports until resolved.
The body is merged by lines (``git merge-file``), so git's markers only ever
appear below the front matter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mdmentor.errors import ParseError
from mdmentor.records.facts import Facts, facts
from mdmentor.records.model import format_field
from mdmentor.records.parsing import FieldPath, dump_document, parse_document

CONFLICTS_KEY = "conflicts"


class _Missing:
    """Stands for a key or item that is not there (deleted, or never added)."""

    def __repr__(self) -> str:
        return "<missing>"


MISSING: Any = _Missing()

LineMerge = Callable[[str, str, str], tuple[str, bool]]


@dataclass
class MergeResult:
    """A merged record: its text and the conflicts left in it."""

    text: str
    conflicts: list[str] = field(default_factory=list)
    body_conflict: bool = False
    fallback: bool = False

    @property
    def clean(self) -> bool:
        """No conflict of any kind."""
        return not self.conflicts and not self.body_conflict and not self.fallback


def merge_texts(base: str, ours: str, theirs: str, *, line_merge: LineMerge) -> MergeResult:
    """Merge three versions of a record file; ``line_merge(base, ours, theirs)`` merges
    plain text by lines and says whether it had conflicts."""
    if not any(text.startswith("---\n") for text in (base, ours, theirs)):
        merged, conflicted = line_merge(base, ours, theirs)  # plain Markdown, not a record
        return MergeResult(merged, body_conflict=conflicted)
    try:
        ours_doc, theirs_doc = parse_document(ours), parse_document(theirs)
        base_doc = parse_document(base) if base.strip() else None
    except ParseError:
        merged, conflicted = line_merge(base, ours, theirs)
        return MergeResult(merged, fallback=True, body_conflict=conflicted)
    base_meta = base_doc.meta if base_doc else {}
    conflicts: list[dict[str, Any]] = list(ours_doc.meta.get(CONFLICTS_KEY) or [])
    for entry in theirs_doc.meta.get(CONFLICTS_KEY) or []:
        if entry not in conflicts:
            conflicts.append(entry)
    found: list[dict[str, Any]] = []
    type_name = ours_doc.meta.get("type", theirs_doc.meta.get("type"))
    merger = _Merger(facts(type_name if isinstance(type_name, str) else ""), found)
    meta = merger.mapping(
        _without_conflicts(base_meta),
        _without_conflicts(ours_doc.meta),
        _without_conflicts(theirs_doc.meta),
        (),
    )
    body, body_conflict = line_merge(
        base_doc.body if base_doc else "", ours_doc.body, theirs_doc.body
    )
    conflicts.extend(found)
    if conflicts:
        meta[CONFLICTS_KEY] = conflicts
    # Where a plain line merge is clean and means the same, keep it: it keeps the
    # authors' comments, quoting and layout that writing the YAML anew would lose.
    whole, whole_conflicted = line_merge(base, ours, theirs)
    if not whole_conflicted and not found:
        try:
            if parse_document(whole).meta == meta:
                return MergeResult(whole)
        except ParseError:
            pass
    return MergeResult(
        dump_document(meta, body),
        conflicts=[str(c.get("field")) for c in found],
        body_conflict=body_conflict,
    )


def _without_conflicts(meta: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in meta.items() if k != CONFLICTS_KEY}


@dataclass
class _Merger:
    """Merges front matter of one record type, collecting the conflicts it finds."""

    about: Facts
    conflicts: list[dict[str, Any]]

    def value(self, base: Any, ours: Any, theirs: Any, path: FieldPath) -> Any:
        """Merge one value; record a conflict (and keep ours) where both changed it
        differently."""
        if ours == theirs:
            return ours
        if base == ours:
            return theirs
        if base == theirs:
            return ours
        if isinstance(ours, dict) and isinstance(theirs, dict):
            return self.mapping(base if isinstance(base, dict) else {}, ours, theirs, path)
        key = self.about.item_key(path)
        if (
            key
            and all(_is_item_list(v, key) for v in (ours, theirs))
            and (base is MISSING or _is_item_list(base, key))
        ):
            return self.items(base if base is not MISSING else [], ours, theirs, key, path)
        self.conflicts.append(
            {
                "field": format_field(path),
                "base": None if base is MISSING else base,
                "ours": "(deleted)" if ours is MISSING else ours,
                "theirs": "(deleted)" if theirs is MISSING else theirs,
            }
        )
        return ours if ours is not MISSING else theirs

    def mapping(
        self, base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any], path: FieldPath
    ) -> dict[str, Any]:
        """Merge mappings key by key, in our key order, then keys only they added."""
        merged: dict[str, Any] = {}
        for key in [*ours, *(k for k in theirs if k not in ours)]:
            value = self.value(
                base.get(key, MISSING),
                ours.get(key, MISSING),
                theirs.get(key, MISSING),
                (*path, key),
            )
            if value is not MISSING:
                merged[key] = value
        return merged

    def items(
        self,
        base: list[dict[str, Any]],
        ours: list[dict[str, Any]],
        theirs: list[dict[str, Any]],
        key: str,
        path: FieldPath,
    ) -> list[dict[str, Any]]:
        """Merge lists of items by their ids: ours in order, then items only they added."""
        by_id = [{item[key]: item for item in items} for items in (base, ours, theirs)]
        order = [item[key] for item in ours]
        previous = None
        for item in theirs:  # their items that we lack go after the item they follow there
            item_id = item[key]
            if item_id not in by_id[1]:
                order.insert(order.index(previous) + 1 if previous in order else 0, item_id)
            previous = item_id
        merged = []
        for index, item_id in enumerate(order):
            value = self.value(
                by_id[0].get(item_id, MISSING),
                by_id[1].get(item_id, MISSING),
                by_id[2].get(item_id, MISSING),
                (*path, index),
            )
            if value is not MISSING:
                merged.append(value)
        return merged


def _is_item_list(value: Any, key: str) -> bool:
    return isinstance(value, list) and all(isinstance(i, dict) and key in i for i in value)

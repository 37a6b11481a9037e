"""The field-by-field merge of front matter, spliced from the authors' own lines.

``Merger`` walks the three versions' layouts (``regions``) together. For each field, list
item, and the lines between them (a level's head and tail), it takes the side that changed
it, as that side wrote it. Where both changed one, it merges inside: a mapping key by key,
a list of items by their ids (the schema says which field is the id), an inline mapping
field by field, a scalar's line as three pieces (the key, the value, a comment after it),
and comment lines either side added are kept. What it cannot merge is a conflict: ours
stays in place, and both values go into an entry for the ``conflicts:`` field. Each step
returns the merged lines and the merged value together, so the caller can read the lines
back and check that they say exactly that value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mdmentor.records.facts import Facts
from mdmentor.records.model import format_field
from mdmentor.records.parsing import FieldPath, dump_fields
from mdmentor.sharing.regions import Layout, Part, Side, layout, shift

CONFLICTS_KEY = "conflicts"

LineMerge = Callable[[str, str, str], tuple[str, bool]]
#: What names a field (its key) or a list item (its id).
Key = str | int

_NUMBERED = re.compile(r"([A-Za-z]+)([0-9]+)")
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
#: The three versions a merge reads, in the order it takes them.
SIDES = ("base", "ours", "theirs")


class _Missing:
    """Stands for a key or item that is not there (deleted, or never added)."""

    def __repr__(self) -> str:
        return "<missing>"


MISSING: Any = _Missing()


@dataclass(frozen=True)
class RenumberedItem:
    """A list item we added that took a new id, because they added one under the same id."""

    record: str
    field: str
    old: str
    new: str


def entries_in(meta: dict[str, Any]) -> list[Any]:
    """The conflict entries already in a record's front matter."""
    value = meta.get(CONFLICTS_KEY)
    return [] if value is None else list(value) if isinstance(value, list) else [value]


def same_values(one: Any, other: Any) -> bool:
    """Equal and of the same types all the way down (``1 == True`` in Python, not here)."""
    if type(one) is not type(other):
        return False
    if isinstance(one, dict):
        return one.keys() == other.keys() and all(same_values(v, other[k]) for k, v in one.items())
    if isinstance(one, list):
        return len(one) == len(other) and all(map(same_values, one, other))
    return bool(one == other)


def _changed(base: Any, ours: Any, theirs: Any) -> str | None:
    """Which side to take when at most one changed: "ours", "theirs", or None (both)."""
    if ours == theirs or base == theirs:
        return "ours"
    if base == ours:
        return "theirs"
    return None


def _canon(part: Part | None) -> str | None:
    return None if part is None else part.canon()


def _value_of(part: Part | _Piece | None) -> Any:
    return MISSING if part is None else part.value


@dataclass(frozen=True)
class _Merged:
    """A merged field or item: its lines and its value."""

    lines: list[str]
    value: Any


@dataclass(frozen=True)
class _Piece:
    """A value's own text (without its key or comments), where it came from and its value."""

    text: str
    value: Any
    side: Side
    path: FieldPath


@dataclass
class _Plan:
    """How our items of a list go into the merge."""

    #: Our items' ids, in order, renumbered ones under their new id.
    order: list[Key] = field(default_factory=list)
    #: Ours to merge with theirs and the base, by id.
    mine: dict[Key, Part] = field(default_factory=dict)
    #: Ours already settled: renumbered, or kept beside a conflict entry.
    fixed: dict[Key, _Merged] = field(default_factory=dict)
    #: Their value for an id both added that cannot be renumbered.
    both_added: dict[Key, Any] = field(default_factory=dict)


def _take(part: Part | None, col: int) -> _Merged | None:
    return None if part is None else _Merged(part.render(col), part.value)


def _order(ours: list[Key], theirs: list[Key]) -> list[Key]:
    """Ours in order, then each of theirs we lack after the one it follows there."""
    order, have, at = list(ours), set(ours), 0
    for key in theirs:
        if key in have:
            at = order.index(key) + 1
        else:
            order.insert(at, key)
            have.add(key)
            at += 1
    return order


def _with_dash(lines: list[str], col: int) -> list[str]:
    """An item's lines with its dash at ``col`` on the first line (merging its fields
    reads the dash as a space)."""
    if not lines:
        return lines
    first = lines[0]
    if len(first) <= col:
        first = first.ljust(col) + "-"
    elif first[col] == " ":
        first = first[:col] + "-" + first[col + 1 :]
    return [first, *lines[1:]]


def _is_comment(line: str) -> bool:
    return line.strip().startswith("#")


@dataclass
class Merger:
    """Merges the front matter of one record type, collecting conflicts and new ids."""

    about: Facts
    record: str
    line_merge: LineMerge
    #: Take whole parts only: no piece-by-piece splices, no comment unions.
    careful: bool
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    renumbered: list[RenumberedItem] = field(default_factory=list)
    #: Where in the merged lines the conflicts entries go.
    conflicts_at: int | None = None

    def front(self, lb: Layout | None, lo: Layout, lt: Layout) -> tuple[list[str], dict[str, Any]]:
        """The merged front matter's lines and values, conflict entries included."""
        merged = self._mapping((), lb, lo, lt, 0)
        ours, theirs = entries_in(lo.part.side.meta), entries_in(lt.part.side.meta)
        entries = ours + [e for e in theirs if e not in ours] + self.conflicts
        meta = dict(merged.value)
        if not entries:
            return merged.lines, meta
        meta[CONFLICTS_KEY] = entries
        if same_values(entries, lo.part.side.meta.get(CONFLICTS_KEY)):
            block = lo.children[CONFLICTS_KEY].render(0)
        elif same_values(entries, lt.part.side.meta.get(CONFLICTS_KEY)):
            block = lt.children[CONFLICTS_KEY].render(0)
        else:
            block = dump_fields({CONFLICTS_KEY: entries}).splitlines()
        at = len(merged.lines) if self.conflicts_at is None else self.conflicts_at
        return merged.lines[:at] + block + merged.lines[at:], meta

    def part(
        self, path: FieldPath, b: Part | None, o: Part | None, t: Part | None, col: int
    ) -> _Merged | None:
        """Merge one field or item: the side that changed it, or both sides' changes."""
        side = _changed(_canon(b), _canon(o), _canon(t))
        if side is not None:
            return _take(o if side == "ours" else t, col)
        if o is None or t is None:
            self._conflict(path, _value_of(b), _value_of(o), _value_of(t))
            return _take(o or t, col)  # the edit stays; the entry records the deletion
        return self._both(path, b, o, t, col)

    def _both(self, path: FieldPath, b: Part | None, o: Part, t: Part, col: int) -> _Merged:
        """Both sides changed a field or item: merge inside it where its kind allows."""
        kind = type(o.value)
        lo, lt = layout(o), layout(t)
        if lo is not None and lt is not None and kind is type(t.value):
            lb = layout(b) if b is not None and type(b.value) is kind else None
            if b is None or type(b.value) is not kind or lb is not None:
                if kind is dict:
                    return self._mapping(path, lb, lo, lt, col)
                key = self.about.item_key(path)
                merged = self._items(path, key, lb, lo, lt, col) if key else None
                if merged is not None:
                    return merged
        return self._leaf(path, b, o, t, col)

    def _mapping(
        self, path: FieldPath, lb: Layout | None, lo: Layout, lt: Layout, col: int
    ) -> _Merged:
        """Merge a mapping key by key: ours in order, keys only they added after their
        neighbour."""
        base = lb.children if lb else {}
        child_col = lo.child_col + col - lo.part.col
        lines = self._segment(lb.head if lb else None, lo.head, lt.head, col)
        value: dict[Any, Any] = {}
        for key in _order(list(lo.children), list(lt.children)):
            if not path and key == CONFLICTS_KEY:
                self.conflicts_at = len(lines)  # entries are gathered from both sides last
                continue
            merged = self.part(
                (*path, str(key)),
                base.get(key),
                lo.children.get(key),
                lt.children.get(key),
                child_col,
            )
            if merged is not None:
                lines += merged.lines
                value[key] = merged.value
        if not path and self.conflicts_at is None:
            self.conflicts_at = len(lines)
        lines += self._segment(lb.tail if lb else None, lo.tail, lt.tail, col)
        return _Merged(lines, value)

    def _items(
        self, path: FieldPath, key: str, lb: Layout | None, lo: Layout, lt: Layout, col: int
    ) -> _Merged | None:
        """Merge a list of items by their ids (None if it is not a list of such items)."""
        found = [_by_id(layout_, key) if layout_ else {} for layout_ in (lb, lo, lt)]
        if any(f is None for f in found):
            return None
        base, ours, theirs = (f for f in found if f is not None)
        twice = _used_twice(key, (lb, lo, lt))
        if twice is not None:
            self._conflict(
                path, _value_of(lb.part if lb else None), lo.part.value, lt.part.value, note=twice
            )
            return _take(lo.part, col)
        item_col = lo.child_col + col - lo.part.col
        plan = self._plan(path, key, base, ours, theirs, item_col)
        lines = self._segment(lb.head if lb else None, lo.head, lt.head, col)
        values: list[Any] = []
        for item_id in _order(plan.order, list(theirs)):
            at = (*path, len(values))
            merged = plan.fixed.get(item_id) or self.part(
                at, base.get(item_id), plan.mine.get(item_id), theirs.get(item_id), item_col
            )
            if item_id in plan.both_added:
                note = _both_added(key, item_id)
                theirs_value = plan.both_added[item_id]
                self._conflict(at, MISSING, ours[item_id].value, theirs_value, note=note)
            if merged is not None:
                lines += _with_dash(merged.lines, item_col)
                values.append(merged.value)
        lines += self._segment(lb.tail if lb else None, lo.tail, lt.tail, col)
        return _Merged(lines, values)

    def _plan(
        self,
        path: FieldPath,
        key: str,
        base: dict[Key, Part],
        ours: dict[Key, Part],
        theirs: dict[Key, Part],
        col: int,
    ) -> _Plan:
        """Our items in order, where each we added under an id they also added (with other
        content) takes the next free id, or, in a list keyed by a reference, is a conflict."""
        plan = _Plan()
        taken = set(base) | set(ours) | set(theirs)
        for item_id, part in ours.items():
            other = theirs.get(item_id)
            if other is None or item_id in base or same_values(part.value, other.value):
                plan.mine[item_id] = part
            elif (new := _next_id(item_id, taken) if key == "id" else None) is not None:
                taken.add(new)
                plan.fixed[new] = _renamed(part, key, new, col)
                self.renumbered.append(
                    RenumberedItem(self.record, format_field(path), str(item_id), new)
                )
                item_id = new
            else:  # a second item for one goal or competency: a person chooses
                plan.fixed[item_id] = _Merged(part.render(col), part.value)
                plan.both_added[item_id] = other.value
            plan.order.append(item_id)
        return plan

    def _leaf(self, path: FieldPath, b: Part | None, o: Part, t: Part, col: int) -> _Merged:
        """Both sides changed a value that is not merged inside: its own lines by the
        values, and the comment lines after it by lines."""
        (vb, tb), (vo, to), (vt, tt) = (p.split() if p else (None, None) for p in (b, o, t))
        assert vo is not None and vt is not None and to is not None and tt is not None
        merged = self._leaf_value(path, vb, vo, vt, col)
        return _Merged(merged.lines + self._segment(tb, to, tt, col), merged.value)

    def _leaf_value(self, path: FieldPath, b: Part | None, o: Part, t: Part, col: int) -> _Merged:
        """A value both sides changed: piece by piece where it can, else the side whose
        value wins, else ours and a conflict entry."""
        if not self.careful:
            spliced = self._splice(path, b, o, t, col)
            if spliced is not None:
                return spliced
        vb = _value_of(b)
        if same_values(o.value, t.value) or same_values(vb, t.value):
            wanted, source = o.value, o
        elif same_values(vb, o.value):
            wanted, source = t.value, t
        else:
            self._conflict(path, vb, o.value, t.value)
            return _Merged(o.render(col), o.value)
        if not self.careful:  # one side changed the value, the other only its layout
            text, conflicted = self.line_merge(_canon(b) or "", o.canon(), t.canon())
            if not conflicted:
                return _Merged(shift(text.removesuffix("\n").split("\n"), col), wanted)
        return _Merged(source.render(col), wanted)

    def _splice(
        self, path: FieldPath, b: Part | None, o: Part, t: Part, col: int
    ) -> _Merged | None:
        """Merge a scalar or inline value's line in three pieces: the key before it, the
        value itself, and what follows it on its last line (a comment)."""
        present = [p for p in (b, o, t) if p is not None]
        if any(p.col != o.col or p.side.is_block(p.path) for p in present):
            return None
        pieces = [_cut(p) if p is not None else None for p in (b, o, t)]
        before = _pick(*(p[0] if p else None for p in pieces))
        value = self._value(path, *(p[1] if p else None for p in pieces))
        after = _comments(*(p[2] if p else None for p in pieces))
        assert value is not None  # both sides have it
        text = (before or "") + value.text + (after or "")
        return _Merged(shift(text.split("\n"), col - o.col), value.value)

    def _value(
        self, path: FieldPath, b: _Piece | None, o: _Piece | None, t: _Piece | None
    ) -> _Piece | None:
        """One value's text: the side that changed it, or inline mappings merged key by
        key, or ours and a conflict entry."""
        side = _changed(*(p.text if p else None for p in (b, o, t)))
        if side is not None:
            return o if side == "ours" else t
        if o is None or t is None:
            self._conflict(path, _value_of(b), _value_of(o), _value_of(t))
            return o or t
        if same_values(o.value, t.value) or (b is not None and same_values(b.value, t.value)):
            return o
        if b is not None and same_values(b.value, o.value):
            return t
        merged = self._inline(path, b, o, t)
        if merged is not None:
            return merged
        self._conflict(path, _value_of(b), o.value, t.value)
        return o

    def _inline(self, path: FieldPath, b: _Piece | None, o: _Piece, t: _Piece) -> _Piece | None:
        """Merge inline mappings (``{id: M2, text: …}``) key by key, each value as its side
        wrote it; None unless all are one-line mappings with plain keys."""
        pieces = [p for p in (b, o, t) if p is not None]
        if not all(_inline_mapping(p) for p in pieces):
            return None
        fields = [_fields(p) if p else {} for p in (b, o, t)]
        written, value = [], {}
        for key in _order(list(fields[1]), list(fields[2])):
            merged = self._value((*path, str(key)), *(f.get(key) for f in fields))
            if merged is not None:
                written.append(f"{key}: {merged.text}")
                value[key] = merged.value
        opening, closing = ("{ ", " }") if o.text.startswith("{ ") else ("{", "}")
        return _Piece(opening + ", ".join(written) + closing, value, o.side, o.path)

    def _segment(self, b: Part | None, o: Part, t: Part, col: int) -> list[str]:
        """Lines between fields (a key line, comments, blank lines): the side that changed
        them, or ours and the comment lines only theirs added."""
        side = _changed(_canon(b), o.canon(), t.canon())
        if side == "theirs":
            return t.render(col)
        ours = o.render(col)
        if side == "ours" or self.careful:
            return ours
        known = set(ours) | set(b.render(col) if b else ())
        return ours + [line for line in t.render(col) if _is_comment(line) and line not in known]

    def _conflict(
        self, path: FieldPath, base: Any, ours: Any, theirs: Any, *, note: str | None = None
    ) -> None:
        entry = {
            "field": format_field(path),
            "base": None if base is MISSING else base,
            "ours": "(deleted)" if ours is MISSING else ours,
            "theirs": "(deleted)" if theirs is MISSING else theirs,
        }
        if note:
            entry["note"] = note
        self.conflicts.append(entry)


def _pick(base: str | None, ours: str | None, theirs: str | None) -> str | None:
    """The side that changed a piece of text; ours where both did."""
    return theirs if _changed(base, ours, theirs) == "theirs" else ours


def _comments(base: str | None, ours: str | None, theirs: str | None) -> str | None:
    """What follows a value on its line: the side that changed it; where both added a
    comment there, ours and then theirs (``  # ours  # theirs`` is one comment)."""
    chosen = _pick(base, ours, theirs)
    if _changed(base, ours, theirs) is not None or ours is None or theirs is None:
        return chosen
    if all(not p.strip() or p.strip().startswith("#") for p in (ours, theirs)):
        return ours + theirs if theirs.strip() not in ours else ours
    return chosen


def _cut(part: Part) -> tuple[str, _Piece, str]:
    """A part's text before its value, the value, and the rest."""
    start, end = part.side.spans[part.path]
    text = "\n".join(part.raw())
    at, stop = start - part.offset, min(end - part.offset, len(text))
    piece = _Piece(text[at:stop], part.value, part.side, part.path)
    return text[:at], piece, text[stop:]


def _inline_mapping(piece: _Piece) -> bool:
    return (
        isinstance(piece.value, dict)
        and piece.text.startswith("{")
        and "\n" not in piece.text
        and all(isinstance(k, str) and _PLAIN_KEY.fullmatch(k) for k in piece.value)
    )


def _fields(piece: _Piece) -> dict[Key, _Piece]:
    """Each key's value in an inline mapping, as written."""
    found: dict[Key, _Piece] = {}
    for key in piece.value:
        path = (*piece.path, key)
        start, end = piece.side.spans[path]
        found[key] = _Piece(piece.side.text[start:end], piece.value[key], piece.side, path)
    return found


def _by_id(list_layout: Layout, key: str) -> dict[Key, Part] | None:
    """The items of a list by their ``key``; None if it is not a list of such items."""
    found: dict[Key, Part] = {}
    for part in list_layout.children.values():
        item = part.value
        if not isinstance(item, dict) or not isinstance(item.get(key), str | int):
            return None
        found.setdefault(item[key], part)
    return found


def _used_twice(key: str, layouts: tuple[Layout | None, ...]) -> str | None:
    """A note naming an id that two items of one version share, or None."""
    for name, list_layout in zip(SIDES, layouts, strict=True):
        if list_layout is None:
            continue
        seen: set[Any] = set()
        for part in list_layout.children.values():
            item_id = part.value[key]
            if item_id in seen:
                return (
                    f"two items in {name} have {key} {item_id}, so the items cannot be "
                    f"matched up: ours is kept above and theirs is here; keep the items you "
                    f"want, give each its own {key}, and delete this entry"
                )
            seen.add(item_id)
    return None


def _both_added(key: str, item_id: Key) -> str:
    return (
        f"both sides added an item for {key} {item_id}: ours is kept above; keep the one "
        "you want (or combine them) and delete this entry"
    )


def _next_id(old: Key, taken: set[Key]) -> str | None:
    """The next free id after the highest with ``old``'s letters (A5 -> A7 if A6 is
    taken), keeping its digits' width; None if ``old`` is not letters and a number."""
    match = _NUMBERED.fullmatch(old) if isinstance(old, str) else None
    if match is None:
        return None
    prefix, digits = match.groups()
    numbers = [
        int(m.group(2))
        for other in taken
        if isinstance(other, str) and (m := _NUMBERED.fullmatch(other)) and m.group(1) == prefix
    ]
    return f"{prefix}{max(numbers) + 1:0{len(digits)}d}"


def _renamed(part: Part, key: str, new: str, col: int) -> _Merged:
    """An item's lines and value with its ``key`` written as ``new`` (quoting kept)."""
    start, end = part.side.spans[(*part.path, key)]
    text = "\n".join(part.raw())
    at, stop = start - part.offset, end - part.offset
    written = text[at:stop].replace(str(part.value[key]), new, 1)
    lines = shift((text[:at] + written + text[stop:]).split("\n"), col - part.col)
    return _Merged(lines, {**part.value, key: new})

"""Three-way merge of records that keeps every edit and every byte people wrote.

The merged record is our version's text with only the parts that changed replaced by
the other version's own text. Front matter is merged field by field and list item by
list item (``regions`` says which lines hold each one):

- a field or item changed on one side is taken as that side wrote it; one changed the
  same way on both is taken once;
- different changes to one value, or a deletion against an edit, are a conflict: ours
  stays in place and both values go into a ``conflicts:`` entry, valid YAML that
  ``check`` reports until someone resolves it;
- items both sides added under one id are both kept: ours takes the next free id (A5
  becomes A6) and ``renumbered`` says so. Lists keyed by a reference (an evaluation of
  a goal) cannot renumber, so two different additions there are a conflict, and so is an
  id used twice in one version;
- lines that neither side changed come back byte for byte: comments, quoting, indents,
  block scalars, blank lines, key order. Comment lines either side added are kept.

The body is merged by lines (``git merge-file``), so git's markers only ever appear below
the front matter. A version that cannot be decoded or parsed is never merged and never
dropped: both sides are kept whole between conflict markers for a person to choose.

Why source positions and whole lines rather than ruamel.yaml's round trip: a round trip
re-emits every line from its own model (it re-indents lists to one style per file, can
refold long and folded text, and ties comments to nodes, so they move or vanish with
them), it would be a second YAML reader beside the strict one whose scalar rules decide
what a value *is*, and a new dependency. Taking lines from the authors' own files keeps
untouched lines by construction, and every merged front matter is read back with the
strict reader and compared with the merged values before it is used. Writing the whole
front matter anew (``dump_document``) stays only as a last resort when that check fails.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from mdmentor.errors import ParseError
from mdmentor.records.facts import facts
from mdmentor.records.parsing import FieldPath, Span, dump_document, dump_fields, parse_document
from mdmentor.records.reading import decode_blob, read_bytes
from mdmentor.sharing.regions import Layout, Part, Side, layout
from mdmentor.sharing.splice import (
    CONFLICTS_KEY,
    SIDES,
    LineMerge,
    Merger,
    RenumberedItem,
    entries_in,
    same_values,
)

#: A version the driver could not even read within the usual limit is still kept whole.
UNMERGED_MAX_BYTES = 64 * 1024 * 1024


@dataclass
class MergeResult:
    """A merged record: its text and what a person needs to know about it."""

    text: str
    conflicts: list[str] = field(default_factory=list)
    body_conflict: bool = False
    #: Why the versions were kept whole between conflict markers instead of merged.
    unmerged: str | None = None
    renumbered: list[RenumberedItem] = field(default_factory=list)
    #: The front matter had to be written anew (the last resort): formatting was lost.
    reformatted: bool = False

    @property
    def clean(self) -> bool:
        """No conflict of any kind."""
        return not self.conflicts and not self.body_conflict and self.unmerged is None


def merge_texts(base: str, ours: str, theirs: str, *, line_merge: LineMerge) -> MergeResult:
    """Merge three versions of a record file; ``line_merge(base, ours, theirs)`` merges
    plain text by lines and says whether it had conflicts."""
    if ours == theirs or base == theirs:
        return MergeResult(ours)
    if base == ours:
        return MergeResult(theirs)
    if not any(text.startswith("---\n") for text in (base, ours, theirs)):
        merged, conflicted = line_merge(base, ours, theirs)  # plain Markdown, not a record
        return MergeResult(merged, body_conflict=conflicted)
    texts = (base, ours, theirs)
    records: list[_Record | None] = []
    for name, text in zip(SIDES, texts, strict=True):
        try:
            records.append(_Record.read(text) if text.strip() or name != "base" else None)
        except ParseError as err:
            return _kept_whole(texts, f"{name} does not parse (line {err.line}: {err.message})")
    b, o, t = records
    assert o is not None and t is not None  # only the base of two additions is empty
    if o.layout is None or t.layout is None or (b is not None and b.layout is None):
        return _kept_whole(texts, "the front matter is not a list of 'key: value' lines")
    return _merge_records(texts, b, o, t, line_merge)


def merge_files(
    base: Path, ours: Path, theirs: Path, *, line_merge: LineMerge
) -> tuple[bytes, MergeResult]:
    """Merge the three files git gives its driver; return the bytes to write over ``ours``.

    The result keeps our file's line ends (CRLF stays CRLF) and byte-order mark. A
    version that is not UTF-8 is not merged: both are kept whole between markers.
    """
    data = []
    for name, path in zip(SIDES, (base, ours, theirs), strict=True):
        try:
            data.append(read_bytes(path.absolute(), root=path.absolute().parent))
        except ParseError as err:  # too large, or not a file: keep what can be read
            why = f"{name} cannot be read ({err.message})"
            return _unmerged(keep_both_files(base, ours, theirs, why=why), why)
    try:
        texts = [decode_blob(raw, name) for raw, name in zip(data, SIDES, strict=True)]
    except ParseError as err:
        why = f"{err.path} cannot be read (line {err.line}: {err.message})"
        return _unmerged(keep_both(*data, why=why), why)
    result = merge_texts(*texts, line_merge=line_merge)
    return _as_written(result.text, like=data[1]), result


def _unmerged(kept: bytes, why: str) -> tuple[bytes, MergeResult]:
    return kept, MergeResult(kept.decode("utf-8", errors="replace"), unmerged=why)


def _kept_whole(texts: tuple[str, str, str], why: str) -> MergeResult:
    """The three versions kept whole between markers, because ``why``."""
    return MergeResult(keep_both(*(t.encode() for t in texts), why=why).decode(), unmerged=why)


def keep_both_files(base: Path, ours: Path, theirs: Path, *, why: str) -> bytes:
    """``keep_both`` for three files that could not be merged at all; never raises, so a
    failure of any kind still leaves git a file that lists as a conflict."""
    data = []
    for path in (base, ours, theirs):
        try:
            data.append(
                read_bytes(
                    path.absolute(), root=path.absolute().parent, max_bytes=UNMERGED_MAX_BYTES
                )
            )
        except ParseError as err:
            data.append(f"(this version could not be read: {err.message})\n".encode())
    return keep_both(*data, why=why)


def keep_both(base: bytes, ours: bytes, theirs: bytes, *, why: str) -> bytes:
    """All three versions whole, between git's conflict markers, as bytes as they were."""
    end = b"\r\n" if b"\r\n" in ours else b"\n"
    label = " ".join(why.split()).encode("utf-8", errors="replace")

    def block(data: bytes) -> bytes:
        return data if not data or data.endswith(b"\n") else data + end

    return b"".join(
        (
            b"<<<<<<< ours (not merged: " + label + b")" + end,
            block(ours),
            b"||||||| base" + end,
            block(base),
            b"=======" + end,
            block(theirs),
            b">>>>>>> theirs" + end,
        )
    )


def with_conflicts(text: str, entries: list[dict[str, Any]]) -> str:
    """The record ``text`` with ``entries`` added to its ``conflicts:``, every other line
    as it was; raises ParseError if it does not parse."""
    record = _Record.read(text)
    root = record.layout
    if root is None:
        return dump_document(
            {**record.side.meta, CONFLICTS_KEY: entries_in(record.side.meta) + entries}, record.body
        )
    block = dump_fields({CONFLICTS_KEY: entries_in(record.side.meta) + entries}).splitlines()
    lines = list(record.side.lines)
    present = root.children.get(CONFLICTS_KEY)
    if present is None:
        at = root.tail.first
        lines[at:at] = block
    else:
        value, _ = present.split()
        lines[value.first : value.last] = block
    return _assemble(record, lines, record.body)


def _as_written(text: str, *, like: bytes) -> bytes:
    """``text`` as bytes with the line ends and byte-order mark of the file ``like``."""
    data = text.encode("utf-8")
    if b"\r\n" in like:
        data = data.replace(b"\n", b"\r\n")
    return codecs.BOM_UTF8 + data if like.startswith(codecs.BOM_UTF8) else data


@dataclass(frozen=True)
class _Record:
    """A record file split for merging: its front matter and the lines around it."""

    side: Side
    opening: str
    closing: str
    body: str
    #: A line end follows the closing ``---``.
    ended: bool

    @classmethod
    def read(cls, text: str) -> _Record:
        """Parse ``text`` strictly, keeping where every value is."""
        spans: dict[FieldPath, Span] = {}
        document = parse_document(text, spans=spans)
        lines = text.split("\n")
        end = document.body_line - 2
        side = Side.of(text, document, spans)
        return cls(side, lines[0], lines[end], document.body, end + 1 < len(lines))

    @cached_property
    def layout(self) -> Layout | None:
        """The front matter's top level, split into its fields (None where it does not
        split into lines, as a front matter written inline would not)."""
        return layout(Part(self.side, (), 0, len(self.side.lines), 0))


def _merge_records(
    texts: tuple[str, str, str], b: _Record | None, o: _Record, t: _Record, line_merge: LineMerge
) -> MergeResult:
    """Merge two parsed records (and their base), keeping their text; see the docstring."""
    type_name = o.side.meta.get("type", t.side.meta.get("type"))
    record_id = o.side.meta.get("id", t.side.meta.get("id"))
    about = facts(type_name if isinstance(type_name, str) else "")
    body, body_conflict = line_merge(b.body if b else "", o.body, t.body)
    lo, lt = o.layout, t.layout
    assert lo is not None and lt is not None  # merge_texts keeps them whole otherwise
    for careful in (False, True):  # the second time, whole parts only: no comment unions
        merger = Merger(about, str(record_id or ""), line_merge, careful)
        lines, meta = merger.front(b.layout if b else None, lo, lt)
        text = _assemble(o, lines, body)
        if _reads_as(text, meta):
            return _result(text, merger, body_conflict)
    # Last resort, for what the checks above found no way to splice: write it anew.
    text = dump_document(meta, body)
    if not _reads_as(text, meta):
        return _kept_whole(texts, "the merged front matter did not read back as merged")
    return _result(text, merger, body_conflict, reformatted=True)


def _result(
    text: str, merger: Merger, body_conflict: bool, *, reformatted: bool = False
) -> MergeResult:
    return MergeResult(
        text,
        conflicts=[str(entry["field"]) for entry in merger.conflicts],
        body_conflict=body_conflict,
        renumbered=merger.renumbered,
        reformatted=reformatted,
    )


def _assemble(record: _Record, front: list[str], body: str) -> str:
    """A record file from our delimiter lines, the merged front matter and body."""
    head = "\n".join([record.opening, *front, record.closing])
    return head + ("\n" + body if body or record.ended else "")


def _reads_as(text: str, meta: dict[str, Any]) -> bool:
    """Whether ``text`` reads back, strictly, as exactly ``meta``."""
    try:
        return same_values(parse_document(text).meta, meta)
    except ParseError:
        return False

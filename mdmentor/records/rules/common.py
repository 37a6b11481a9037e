"""What the rules share: types, a dotted-path walker, and the usual checks on one record."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from mdmentor.records.model import Problem, Record
from mdmentor.records.parsing import FieldPath

Rule = Callable[[Record], Iterator[Problem]]


#: A rule that looks at several records at once (valid records only).
JournalRule = Callable[[list[Record]], Iterator[Problem]]


def values_at(data: Any, pattern: str) -> Iterator[tuple[FieldPath, Any]]:
    """The values in ``data`` at a dotted ``pattern`` where ``*`` is any list item."""
    found: list[tuple[FieldPath, Any]] = [((), data)]
    for part in pattern.split("."):
        step: list[tuple[FieldPath, Any]] = []
        for where, value in found:
            if part == "*" and isinstance(value, list):
                step.extend(((*where, i), item) for i, item in enumerate(value))
            elif isinstance(value, dict) and part in value:
                step.append(((*where, part), value[part]))
        found = step
    yield from found


def unique(record: Record, list_key: str, item_key: str, what: str) -> Iterator[Problem]:
    seen: set[Any] = set()
    for where, value in values_at(record.meta, f"{list_key}.*.{item_key}"):
        if value in seen:
            yield record.problem(where, f"{what} {value} appears twice", code="duplicate-entry")
        seen.add(value)


def not_before(record: Record, pattern: str, floor: str | None, message: str) -> Iterator[Problem]:
    if floor is None:
        return
    for where, value in values_at(record.meta, pattern):
        if isinstance(value, str) and value < floor:
            yield record.problem(where, message.format(value=value, floor=floor), code="date-order")


def not_after(record: Record, pattern: str, ceiling: str | None, message: str) -> Iterator[Problem]:
    if ceiling is None:
        return
    for where, value in values_at(record.meta, pattern):
        if isinstance(value, str) and value > ceiling:
            yield record.problem(
                where, message.format(value=value, ceiling=ceiling), code="date-order"
            )

"""What the rules share: types, a dotted-path walker, and the usual checks on one record."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from mdmentor.records.model import Problem, Record
from mdmentor.records.parsing import FieldPath

Rule = Callable[[Record], Iterator[Problem]]


#: A rule that looks at several records at once (valid records only).
JournalRule = Callable[[list[Record]], Iterator[Problem]]


#: ``name[key=value]`` in a pattern: the items of the list ``name`` whose ``key`` is ``value``.
ITEMS_WHERE = re.compile(r"(?P<name>[A-Za-z_][\w]*)\[(?P<key>[A-Za-z_]\w*)=(?P<value>[^\]]*)\]")


def values_at(
    data: Any, pattern: str, *, missing_last: bool = False
) -> Iterator[tuple[FieldPath, Any]]:
    """The values in ``data`` at a dotted ``pattern``, each with where it is: ``*`` is any
    list item, ``name[key=value]`` the items of the list ``name`` whose ``key`` is
    ``value``. With ``missing_last``, a last field that is not there is there as None."""
    found: list[tuple[FieldPath, Any]] = [((), data)]
    parts = pattern.split(".")
    for index, part in enumerate(parts):
        last = missing_last and index == len(parts) - 1
        selected = ITEMS_WHERE.fullmatch(part)
        step: list[tuple[FieldPath, Any]] = []
        for where, value in found:
            if part == "*" and isinstance(value, list):
                step.extend(((*where, i), item) for i, item in enumerate(value))
            elif selected and isinstance(value, dict):
                items = value.get(selected["name"])
                for i, item in enumerate(items if isinstance(items, list) else []):
                    if (
                        isinstance(item, dict)
                        and str(item.get(selected["key"])) == selected["value"]
                    ):
                        step.append(((*where, selected["name"], i), item))
            elif isinstance(value, dict) and (part in value or last):
                step.append(((*where, part), value.get(part)))
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

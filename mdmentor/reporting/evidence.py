"""Portfolio evidence: which records show each point of a qualification's assessment criteria.

A criteria file (``templates/evidence/NAME.yaml``) lists each criterion's points word for
word from the qualification, and for each point the records that can show it, as rules:

- ``record``: a record type; ``field``: the field that shows the point, quoted in the report;
- ``when``: conditions the record must also meet, each one of:

  - ``filled: PATH`` (or a list): there, not empty, and no ``<placeholder>``; a path with
    ``*`` is filled when it has items and every item's value is filled;
  - ``equals: {PATH: VALUE}``, ``one_of: {PATH: [VALUES]}``: every value at PATH is it;
  - ``contains: {PATH: VALUE}``: some value at PATH is VALUE, holds it, or (text) says it;
  - ``at_least: {PATH: N}``: the list at PATH has N items or more;
  - ``agreed_by_everyone: PARTIES``: everyone the record names in a role (``named``), or
    everyone listed at PARTIES (``attendees``), has an entry in ``agreed_by``;
  - ``model_stages: PATH``: PATH names a recognised model (not ``other``) and every stage
    of that model is filled.

A path is dotted; ``*`` is every item of a list, and ``name[key=value]`` the items of the
list ``name`` whose ``key`` is ``value`` (``techniques[technique=active-listening].note``).

A point is shown when one of its ``shown_by`` rules finds a record (``needs: all``: when
every rule does); ``also`` lists supporting records that decide nothing. A point shown by
no record is a gap, with what would show it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mdmentor import templating
from mdmentor.errors import ConfigError, ParseError
from mdmentor.records import validation
from mdmentor.records.facts import agreed_by, facts
from mdmentor.records.journal import find_placeholders
from mdmentor.records.model import RECORD_TYPES, Record, format_field
from mdmentor.records.parsing import FieldPath, line_at, load_yaml
from mdmentor.records.rules.common import ITEMS_WHERE, values_at
from mdmentor.reporting.report_data import common
from mdmentor.reporting.view import JournalView

DEFAULT_CRITERIA = "unit-435"

#: The longest quote from a record, in characters.
QUOTE_LENGTH = 160


def load_criteria(name: str, journal_root: Path | None) -> dict[str, Any]:
    """The criteria file ``templates/evidence/NAME.yaml`` (the journal's own copy first)."""
    try:
        text, path = templating.read_template(f"evidence/{name}.yaml", journal_root)
    except ParseError as err:
        raise ConfigError(err.message, path=err.path, line=err.line) from err
    try:
        data, lines = load_yaml(text)
    except ParseError as err:
        raise ConfigError(err.message, path=path, line=err.line) from err
    if not isinstance(data, dict):
        raise ConfigError("must be a set of fields ('key: value' lines)", path=path, line=1)
    problems = validation.validate(data, "evidence")
    problems += list(_unknown_records_and_fields(data))
    if problems:
        where, _, message = problems[0]
        raise ConfigError(message, path=path, line=line_at(lines, where), field=format_field(where))
    return data


def _unknown_records_and_fields(data: dict[str, Any]) -> Iterator[validation.SchemaError]:
    """Rules that name a record type or a field the schemas do not have."""
    for c, criterion in enumerate(data["criteria"]):
        for p, point in enumerate(criterion["points"]):
            for list_key in ("shown_by", "also"):
                for r, rule in enumerate(point.get(list_key, [])):
                    where: FieldPath = ("criteria", c, "points", p, list_key, r)
                    if rule["record"] not in RECORD_TYPES:
                        known = ", ".join(RECORD_TYPES)
                        message = f"no record type '{rule['record']}' (types: {known})"
                        yield validation.SchemaError((*where, "record"), "not-allowed", message)
                        continue
                    fields = validation.bundled_schema(rule["record"])["properties"]
                    first = _segment_name(rule["field"].split(".")[0])
                    if first not in fields:
                        message = f"a {rule['record']} has no field '{first}'"
                        yield validation.SchemaError((*where, "field"), "unknown-field", message)


def evidence(view: JournalView, criteria: dict[str, Any], root: Path) -> dict[str, Any]:
    """Each point of each criterion with the records and fields that show it, and the gaps.

    Only the records of ``view`` are looked at, quoted or counted: restricted to what the
    report's readers may read, it holds nothing else.
    """
    rows = []
    for criterion in criteria["criteria"]:
        points = [_point(point, view.by_type, root) for point in criterion["points"]]
        rows.append(
            {
                **{key: criterion.get(key) for key in ("id", "outcome", "text", "note")},
                "points": points,
                "shown": sum(1 for point in points if point["shown"]),
                "total": len(points),
            }
        )
    gaps = [
        {"criterion": row["id"], "point": point["name"], "missing": point["missing"]}
        for row in rows
        for point in row["points"]
        if not point["shown"]
    ]
    return {
        **common(view, "evidence", None),
        "qualification": criteria["qualification"],
        "unit": criteria["unit"],
        "source": criteria.get("source"),
        "criteria": rows,
        "shown": sum(row["shown"] for row in rows),
        "points": sum(row["total"] for row in rows),
        "gaps": gaps,
    }


def _point(point: dict[str, Any], by_type: dict[str, list[Record]], root: Path) -> dict[str, Any]:
    shown_by = [_found(rule, by_type, root) for rule in point["shown_by"]]
    matched = [bool(found["records"]) for found in shown_by]
    shown = all(matched) if point.get("needs") == "all" else any(matched)
    missing = (
        []
        if shown
        else [rule["why"] for rule, ok in zip(point["shown_by"], matched, strict=True) if not ok]
    )
    return {
        "name": point["name"],
        "text": point["text"],
        "needs": point.get("needs", "any"),
        "shown": shown,
        "evidence": [found for found in shown_by if found["records"]],
        "also": [
            found
            for found in (_found(rule, by_type, root) for rule in point.get("also", []))
            if found["records"]
        ],
        "missing": missing,
        "gap": None if shown else point.get("gap"),
    }


def _found(rule: dict[str, Any], by_type: dict[str, list[Record]], root: Path) -> dict[str, Any]:
    """The records a rule finds, each with the exact field that shows it and a quote."""
    found = []
    for record in by_type.get(rule["record"], []):
        if not all(_holds(record, condition) for condition in rule.get("when", [])):
            continue
        shown = [
            (where, value) for where, value in resolve(record.meta, rule["field"]) if filled(value)
        ]
        if not shown:
            continue
        where, value = shown[-1]
        found.append(
            {
                "id": record.id,
                "type": record.type.label,
                "date": record.date,
                "path": record.path.relative_to(root).as_posix(),
                "field": format_field(where),
                "quote": quote(value),
            }
        )
    return {"why": rule["why"], "record": rule["record"], "records": found}


# --- the rule language ---------------------------------------------------------------------


def resolve(data: Any, path: str) -> list[tuple[FieldPath, Any]]:
    """The values at a dotted ``path`` of a criteria file, each with where it is (see
    ``values_at``); a missing last field is None, so that ``filled`` can say it is not."""
    return list(values_at(data, path, missing_last=True))


def filled(value: Any) -> bool:
    """There, not empty, and no template placeholder left in it: every item of a list
    filled, and some field of a set of fields."""
    if value is None or value in ("", [], {}) or any(True for _ in find_placeholders(value)):
        return False
    if isinstance(value, list):
        return all(filled(item) for item in value)
    if isinstance(value, dict):
        return any(filled(item) for item in value.values())
    return True


def _holds(record: Record, condition: dict[str, Any]) -> bool:
    [(test, argument)] = condition.items()
    meta = record.meta
    if test == "filled":
        paths = argument if isinstance(argument, list) else [argument]
        return all(_all_filled(resolve(meta, path)) for path in paths)
    if test == "agreed_by_everyone":
        return _agreed_by_everyone(record, str(argument))
    if test == "model_stages":
        found = resolve(meta, str(argument))
        return bool(found) and all(_model_filled(record, value) for _, value in found)
    for path, wanted in argument.items():
        values = [value for _, value in resolve(meta, path)]
        if not _compare(test, values, wanted):
            return False
    return True


def _all_filled(found: list[tuple[FieldPath, Any]]) -> bool:
    return bool(found) and all(filled(value) for _, value in found)


def _compare(test: str, values: list[Any], wanted: Any) -> bool:
    present = [v for v in values if v is not None]
    if test == "equals":
        return bool(present) and all(v == wanted for v in present)
    if test == "one_of":
        return bool(present) and all(v in wanted for v in present)
    if test == "contains":
        return any(_contains(v, wanted) for v in present)
    if test == "at_least":
        one_list = len(present) == 1 and isinstance(present[0], list)
        count = len(present[0]) if one_list else sum(1 for v in present if filled(v))
        return count >= int(wanted)
    raise ConfigError(f"no condition '{test}' in a criteria file")


def _contains(value: Any, wanted: Any) -> bool:
    if value == wanted:
        return True
    if isinstance(value, list):
        return wanted in value
    return isinstance(value, str) and str(wanted).casefold() in value.casefold()


def _agreed_by_everyone(record: Record, parties: str) -> bool:
    """Everyone the record names as a party has signed ``agreed_by``."""
    if parties == "named":
        named: list[Any] = facts(record.type.name).parties(record.meta)
    else:
        named = [value for _, value in resolve(record.meta, parties)]
        named = [p for v in named for p in (v if isinstance(v, list) else [v])]
    people = {p for p in named if isinstance(p, str)}
    return bool(people) and people <= agreed_by(record.meta)


def _model_filled(record: Record, value: Any) -> bool:
    """A recognised model is named, and every one of its stages is filled in."""
    if not isinstance(value, dict):
        return False
    stages = facts(record.type.name).models.get(str(value.get("name")), ())
    return bool(stages) and all(filled(value.get(stage.name)) for stage in stages)


def quote(value: Any, limit: int = QUOTE_LENGTH) -> str:
    """A short quote of a field's value, on one line, cut at a word with an ellipsis."""
    text = _plain(value)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def _plain(value: Any, depth: int = 0) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_plain(item, depth + 1)}" for key, item in value.items())
    if isinstance(value, list):
        return (" / " if depth == 0 else ", ").join(_plain(item, depth + 1) for item in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return " ".join(str(value).split())


def _segment_name(segment: str) -> str:
    selected = ITEMS_WHERE.fullmatch(segment)
    return selected["name"] if selected else segment

"""JSON Schema validation: the schemas in ``schemas/`` are the single source of truth.

Each error jsonschema reports is turned into a message a person can act on, at
the path of the field it concerns, so the CLI can point at the file and line.
"""

from __future__ import annotations

import difflib
import functools
import json
from collections.abc import Iterator
from typing import Any, NamedTuple

from mdmentor.records.codes import Code
from mdmentor.records.parsing import FieldPath
from mdmentor.resources import data_dir

_COMMON = "urn:mdmentor:schema:common"

#: What a value of each pattern looks like, for messages.
_PATTERN_HINTS = {
    "date": "a date written YYYY-MM-DD",
    "time": "a time written HH:MM (24-hour)",
    "personId": "a person id from mdmentor.yaml (lower case, e.g. 'mentee')",
    "goalId": "a goal id such as G-001",
    "sessionId": "a session id such as S-2026-03-04",
    "actionRef": "an action reference such as S-2026-03-04/A1",
    "competencyId": "a competency id such as K1",
}

#: The code of a value that breaks each pattern (any other: ``wrong-format``).
_PATTERN_CODES: dict[str, Code] = {"date": "date-format", "time": "time-format"}

_TYPE_NAMES = {
    "string": "text",
    "array": "a list",
    "object": "a set of fields",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "empty",
}


class SchemaError(NamedTuple):
    """One way a value breaks its schema: where, what kind of problem, and in words."""

    path: FieldPath
    code: Code
    message: str


def schema_names() -> list[str]:
    """Names of the bundled schemas (record types plus ``config``)."""
    return sorted(
        p.name.removesuffix(".schema.json")
        for p in data_dir("schemas").glob("*.schema.json")
        if p.name != "common.schema.json"
    )


@functools.cache
def load_schema(name: str) -> dict[str, Any]:
    """The JSON Schema called ``name`` (a record type, ``config`` or ``common``)."""
    path = data_dir("schemas") / f"{name}.schema.json"
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


@functools.cache
def bundled_schema(name: str) -> dict[str, Any]:
    """Schema ``name`` with every reference to the shared definitions written out in place.

    The schemas have no recursion, so this is always possible, and it spares both
    validators a reference lookup for every field of every record.
    """
    defs: dict[str, Any] = load_schema("common")["$defs"]

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith((_COMMON + "#/$defs/", "#/$defs/")):
                rest = {k: v for k, v in node.items() if k != "$ref"}
                return inline({**defs[ref.rsplit("/", 1)[1]], **rest})
            return {key: inline(value) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(item) for item in node]
        return node

    bundled: dict[str, Any] = inline(load_schema(name))
    return bundled


@functools.cache
def _fast_validator(name: str) -> Any:
    """jsonschema-rs: a yes/no answer in microseconds, for the many records that are fine."""
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator(bundled_schema(name), validate_formats=True)


@functools.cache
def _explaining_validator(name: str) -> Any:
    """jsonschema: slower, but every error with its path and context, to explain."""
    from jsonschema import Draft202012Validator, FormatChecker

    return Draft202012Validator(bundled_schema(name), format_checker=FormatChecker(["date"]))


@functools.cache
def _hints() -> dict[str, str]:
    defs = load_schema("common")["$defs"]
    return {defs[name]["pattern"]: hint for name, hint in _PATTERN_HINTS.items()}


@functools.cache
def _pattern_codes() -> dict[str, Code]:
    defs = load_schema("common")["$defs"]
    return {defs[name]["pattern"]: code for name, code in _PATTERN_CODES.items()}


def validate(data: dict[str, Any], schema: str) -> list[SchemaError]:
    """Every way ``data`` breaks ``schema``."""
    if _fast_validator(schema).is_valid(data):
        return []
    found: set[SchemaError] = set()
    for error in _explaining_validator(schema).iter_errors(data):
        found.update(_explain(error))
    return sorted(found, key=lambda p: (len(p.path), [str(part) for part in p.path], p.message))


def _explain(error: Any) -> Iterator[SchemaError]:
    path: FieldPath = tuple(error.absolute_path)
    kind = error.validator
    value = error.instance
    spec = error.validator_value
    if "propertyNames" in error.schema_path and isinstance(value, str):
        allowed = f" (allowed: {', '.join(map(str, spec))})" if kind == "enum" else ""
        message = f"'{value}' is not allowed here{allowed}"
        yield SchemaError((*path, value), "unknown-field", message)
    elif kind == "additionalProperties" and isinstance(value, dict):
        known = set(error.schema.get("properties", {}))
        for key in value:
            if key not in known:
                message = _unknown_field(key, known, top_level=not path)
                yield SchemaError((*path, key), "unknown-field", message)
    elif kind == "required":
        missing = [key for key in spec if isinstance(value, dict) and key not in value]
        for key in missing:
            yield SchemaError(path, "missing-field", f"missing required field '{key}'")
    elif kind in ("anyOf", "oneOf"):
        yield _any_of(error, spec)
    elif kind == "enum":
        choices = ", ".join(str(v) for v in spec)
        yield SchemaError(path, "not-allowed", f"{_show(value)} is not one of: {choices}")
    elif kind == "const":
        yield SchemaError(path, "not-allowed", f"must be {_show(spec)}, not {_show(value)}")
    elif kind == "type":
        wanted = spec if isinstance(spec, list) else [spec]
        names = " or ".join(_TYPE_NAMES.get(str(t), str(t)) for t in wanted)
        yield SchemaError(path, "wrong-type", f"must be {names}, not {_describe(value)}")
    elif kind == "pattern":
        hint = _hints().get(spec)
        code = _pattern_codes().get(spec, "wrong-format")
        message = (
            f"{_show(value)} is not {hint}" if hint else f"{_show(value)} does not match {spec}"
        )
        yield SchemaError(path, code, message)
    elif kind == "format":
        yield SchemaError(path, "not-a-date", f"{_show(value)} is not a real calendar date")
    elif kind in ("minItems", "minLength") and spec == 1:
        yield SchemaError(path, "empty", "must not be empty")
    elif kind == "uniqueItems":
        yield SchemaError(path, "duplicate-entry", "lists the same entry twice")
    elif kind == "minimum":
        yield SchemaError(path, "out-of-range", f"must be at least {spec}, not {value}")
    elif kind == "maximum":
        yield SchemaError(path, "out-of-range", f"must be at most {spec}, not {value}")
    else:
        yield SchemaError(path, "invalid-value", error.message)


def _any_of(error: Any, spec: list[dict[str, Any]]) -> SchemaError:
    path: FieldPath = tuple(error.absolute_path)
    if all(set(option) == {"required"} for option in spec):
        names = [name for option in spec for name in option["required"]]
        return SchemaError(path, "missing-field", "needs one of these fields: " + ", ".join(names))
    from jsonschema.exceptions import best_match

    best = best_match(error.context) if error.context else None
    if best is not None:
        for explained in _explain(best):
            return SchemaError(path, explained.code, explained.message)
    return SchemaError(path, "invalid-value", "is not a valid value here")


def _unknown_field(key: str, known: set[str], *, top_level: bool) -> str:
    close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.7)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    where = "; put a team's own fields under 'extra:'" if top_level and not close else ""
    return f"unknown field '{key}'{hint}{where}"


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    return json.dumps(value)


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if value is None:
        return "empty"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    return "a set of fields"


def field_docs(name: str) -> list[tuple[str, bool, str, str]]:
    """The fields of schema ``name``: (dotted name, required, kind, description)."""
    schema = bundled_schema(name)
    docs: list[tuple[str, bool, str, str]] = []
    _collect_fields(schema, "", docs, depth=0)
    return docs


def _collect_fields(
    schema: dict[str, Any], prefix: str, docs: list[tuple[str, bool, str, str]], *, depth: int
) -> None:
    required = set(schema.get("required", []))
    for key, spec in schema.get("properties", {}).items():
        kind = _kind(spec)
        docs.append((prefix + key, key in required, kind, spec.get("description", "")))
        resolved = spec
        items = resolved.get("items", {}) if resolved.get("type") == "array" else resolved
        if depth < 2 and items.get("type") == "object" and "properties" in items:
            suffix = "[]." if resolved.get("type") == "array" else "."
            _collect_fields(items, prefix + key + suffix, docs, depth=depth + 1)


def _kind(spec: dict[str, Any]) -> str:
    if "const" in spec:
        return json.dumps(spec["const"])
    if "enum" in spec:
        return " | ".join(str(v) for v in spec["enum"])
    if spec.get("format") == "date":
        return "date"
    if "pattern" in spec and spec["pattern"] in _hints():
        return _hints()[spec["pattern"]]
    kind = spec.get("type")
    if kind == "array":
        return f"list of {_kind(spec.get('items', {}))}"
    if isinstance(kind, str):
        return _TYPE_NAMES.get(kind, kind)
    if "anyOf" in spec:
        return " or ".join(_kind(option) for option in spec["anyOf"])
    return "value"

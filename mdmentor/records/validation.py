"""JSON Schema validation: the schemas in ``schemas/`` are the single source of truth.

Each error jsonschema reports is turned into a message a person can act on, at
the path of the field it concerns, so the CLI can point at the file and line.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from mdmentor.records.codes import Code
from mdmentor.records.dates import iso_date
from mdmentor.records.parsing import FieldPath
from mdmentor.records.yaml_slips import quoted
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

#: Schemas that describe mdmentor's own output, not a file people write.
_OUTPUT_SCHEMAS = ("check-output",)

_ISO_DATE_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_FIELD_WITHOUT_SPACE = re.compile(r"([A-Za-z_][\w-]*):(\S.*)")


class SchemaError(NamedTuple):
    """One way a value breaks its schema: where, what kind of problem, and in words."""

    path: FieldPath
    code: Code
    message: str


def schema_names() -> list[str]:
    """Names of the bundled schemas of files people write: record types, ``config`` and
    ``evidence`` (not ``common``, the shared definitions, nor the output schemas)."""
    names = (p.name.removesuffix(".schema.json") for p in data_dir("schemas").glob("*.schema.json"))
    return sorted(name for name in names if name != "common" and name not in _OUTPUT_SCHEMAS)


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
    """Every way ``data`` breaks ``schema``, one problem for each mistake.

    In a record, a reference that does not look like an id is left to the cross-record
    rules, which know what exists and say so once (``rules.check_rules``).
    """
    if _fast_validator(schema).is_valid(data):
        return []
    errors = list(_explaining_validator(schema).iter_errors(data))
    if "x-mdmentor-record" in bundled_schema(schema):
        errors = [e for e in errors if not (e.validator == "pattern" and _is_reference(e))]
    misspelt = _misspellings(errors)
    found = {problem for error in errors for problem in _explain(error, misspelt)}
    return sorted(found, key=lambda p: (len(p.path), [str(part) for part in p.path], p.message))


def _is_reference(error: Any) -> bool:
    return "x-mdmentor-ref" in error.schema


def _misspellings(errors: list[Any]) -> set[tuple[FieldPath, str]]:
    """(object path, field) for each required field that an unknown field misspells: the
    unknown field's message says "did you mean", so the field is not also missing."""
    found: set[tuple[FieldPath, str]] = set()
    for error in errors:
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = set(error.schema.get("properties", {}))
            for key in error.instance:
                meant = _meant(key, known) if key not in known else None
                if meant is not None:
                    found.add((tuple(error.absolute_path), meant))
    return found


def _explain(error: Any, misspelt: set[tuple[FieldPath, str]]) -> Iterator[SchemaError]:
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
            if (path, key) not in misspelt:
                yield SchemaError(path, "missing-field", f"missing required field '{key}'")
    elif kind in ("anyOf", "oneOf"):
        yield _any_of(error, spec, misspelt)
    elif kind == "enum":
        choices = ", ".join(str(v) for v in spec)
        yield SchemaError(path, "not-allowed", f"{_show(value)} is not one of: {choices}")
    elif kind == "const":
        yield SchemaError(path, "not-allowed", f"must be {_show(spec)}, not {_show(value)}")
    elif kind == "type":
        yield _wrong_type(path, value, spec if isinstance(spec, list) else [spec])
    elif kind == "pattern":
        yield _pattern(path, value, spec)
    elif kind == "format":
        if _ISO_DATE_SHAPE.fullmatch(str(value)):  # any other shape: its pattern says so
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


def _any_of(
    error: Any, spec: list[dict[str, Any]], misspelt: set[tuple[FieldPath, str]]
) -> SchemaError:
    path: FieldPath = tuple(error.absolute_path)
    if all(set(option) == {"required"} for option in spec):
        names = [name for option in spec for name in option["required"]]
        return SchemaError(path, "missing-field", "needs one of these fields: " + ", ".join(names))
    from jsonschema.exceptions import relevance

    for best in sorted(error.context, key=relevance, reverse=True):
        for explained in _explain(best, misspelt):
            return SchemaError(path, explained.code, explained.message)
    return SchemaError(path, "invalid-value", "is not a valid value here")


def _wrong_type(path: FieldPath, value: Any, wanted: list[str]) -> SchemaError:
    """``must be a list, not …``; with the fix, where a YAML slip made the wrong type."""
    names = " or ".join(_TYPE_NAMES.get(str(t), str(t)) for t in wanted)
    message = f"must be {names}, not {_describe(value)}"
    if isinstance(value, str) and "array" in wanted and re.match(r"-[^\s-]", value):
        return SchemaError(
            path, "yaml-space", f"{message}; put a space after the '-' of each list item"
        )
    field = _FIELD_WITHOUT_SPACE.fullmatch(value) if isinstance(value, str) else None
    if field is not None and "object" in wanted:
        return SchemaError(
            path,
            "yaml-space",
            f"{message}; put a space after the ':' of each field ({field[1]}: {field[2]})",
        )
    if "string" in wanted and isinstance(value, dict) and len(value) == 1:
        [(key, inner)] = value.items()
        if inner is None or isinstance(inner, (str, int, float)):
            text = f"{key}: {_plain(inner)}".rstrip()
            return SchemaError(
                path,
                "yaml-colon",
                "a colon followed by a space made this text look like a field; put the whole "
                f"text in double quotes: {quoted(text)}",
            )
    return SchemaError(path, "wrong-type", message)


def _pattern(path: FieldPath, value: Any, pattern: str) -> SchemaError:
    hint = _hints().get(pattern)
    code = _pattern_codes().get(pattern, "wrong-format")
    if hint is None:
        return SchemaError(path, code, f"{_show(value)} does not match {pattern}")
    message = f"{_show(value)} is not {hint}"
    meant = iso_date(value) if code == "date-format" and isinstance(value, str) else None
    if meant is not None:
        message += f"; write it as {meant}"
    return SchemaError(path, code, message)


def _meant(key: str, known: set[str]) -> str | None:
    """The known field ``key`` is most likely a misspelling of, if any."""
    close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.7)
    return close[0] if close else None


def _unknown_field(key: str, known: set[str], *, top_level: bool) -> str:
    meant = _meant(key, known)
    hint = f" (did you mean '{meant}'?)" if meant else ""
    where = "; put a team's own fields under 'extra:'" if top_level and not meant else ""
    return f"unknown field '{key}'{hint}{where}"


def _plain(value: Any) -> str:
    """A scalar as its author most likely typed it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


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

"""What the schemas say about a record beyond its fields, read from ``x-mdmentor-…`` keywords.

The schemas are the single source of truth, so the facts that code needs about a record
type live in them too, and a new kind of record is a schema and a template with no
Python table to edit:

- ``x-mdmentor-record`` (top level): the folder, id prefix, label, whether ids and file
  names come from the date (``dated``) and files go in a folder per year (``by_year``), and
  whether only its author reads it unless the agreement's access lists it (``restricted``);
- ``x-mdmentor-item-key`` (on a list of items): the field that identifies each item, so
  lists merge item by item;
- ``x-mdmentor-ref`` (on a value, usually through a shared definition): the kind of thing
  it names (``person``, ``goal``, ``session``, ``action``, ``competency``);
- ``x-mdmentor-author`` (on a field): the person who wrote the record;
- ``x-mdmentor-role`` (on a field): the role the person named there must have;
- ``x-mdmentor-kind`` (on the field that says which kind of record it is): per kind, the
  role of its author (``author-role``), the suffix of its id (``id-suffix``), the name an
  agreement's ``access`` gives it where that is not the record type's (``access``), and
  whether only its author ever reads it, whatever an agreement says (``author-only``);
- ``x-mdmentor-model`` (on a field naming a model, such as a session's ``approach``): the
  models it may name are its ``name`` values, and each model's stages are the
  ``properties`` of the ``then`` branch for that name, in order, with their descriptions.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from mdmentor.records.validation import bundled_schema, schema_names


@dataclass(frozen=True)
class KindFacts:
    """One kind of a record type (a reflective log, a 360-degree feedback)."""

    name: str
    author_role: str | None = None
    id_suffix: str | None = None
    #: The name an agreement's ``access`` knows it by, where not the record type's.
    access: str | None = None
    #: Only its author ever reads it, whatever an agreement says (a mentor's log).
    author_only: bool = False


@dataclass(frozen=True)
class Stage:
    """One stage of a model (GROW's ``reality``), with what to write there."""

    name: str
    prompt: str


@dataclass(frozen=True)
class Facts:
    """Everything the schema of one record type says beyond the shape of its fields."""

    #: (dotted pattern, kind of thing named): ``actions.*.owner`` names a person.
    references: tuple[tuple[str, str], ...] = ()
    #: The field that identifies the items of each list, by the list's path.
    item_keys: dict[tuple[str, ...], str] = field(default_factory=dict)
    #: The field naming the record's author, if it has one.
    author: str | None = None
    #: Fields that must name a person with a given role: field -> role.
    roles: dict[str, str] = field(default_factory=dict)
    #: The field that holds the record's kind (``kind``, or ``point`` for assessments).
    kind_field: str | None = None
    #: The kinds, in the schema's order; the first is the default.
    kinds: tuple[KindFacts, ...] = ()
    #: The field that names a model (a session's ``approach``, a reflection's ``model``).
    model_field: str | None = None
    #: Each model that field may name, with its stages in order (``other`` has none).
    models: dict[str, tuple[Stage, ...]] = field(default_factory=dict)

    def item_key(self, path: tuple[str | int, ...]) -> str | None:
        """The field identifying the items of the list at ``path`` (indices ignored)."""
        return self.item_keys.get(tuple(p for p in path if isinstance(p, str)))

    def parties(self, meta: dict[str, Any]) -> list[str]:
        """The ids of the people a record names in its role fields, in the schema's order."""
        return [v for key in self.roles if isinstance(v := meta.get(key), str)]

    def kind(self, name: str | None) -> KindFacts | None:
        """The kind called ``name``, also by its id suffix (``360`` for ``360-degree``)."""
        return next((k for k in self.kinds if name in (k.name, k.id_suffix)), None)

    def model(self, name: str) -> str | None:
        """The model called ``name``, in any case (``grow`` for ``GROW``)."""
        return next((m for m in self.models if m.casefold() == name.casefold()), None)


@dataclass(frozen=True)
class RecordSpec:
    """Where a record type lives and how its ids are made (``x-mdmentor-record``)."""

    name: str
    folder: str
    id_prefix: str
    label: str
    dated: bool = True
    by_year: bool = False
    #: Whether people create it with ``mdmentor new`` (else: the command that writes it).
    new: bool = True
    written_by: str | None = None
    #: The label for several, where it is not the label and an s.
    plural: str | None = None

    def count(self, number: int) -> str:
        """``1 goal``, ``2 goals``, ``3 issues in the relationship``."""
        return f"{number} {self.label if number == 1 else self.plural or self.label + 's'}"

    #: Read by its author alone unless the accepted agreement's ``access`` lists it.
    restricted: bool = False


def agreed_by(meta: dict[str, Any]) -> set[str]:
    """The ids of the people who signed a record's ``agreed_by``."""
    entries = meta.get("agreed_by", [])
    return {
        e["person"] for e in entries if isinstance(e, dict) and isinstance(e.get("person"), str)
    }


@functools.cache
def record_specs() -> tuple[RecordSpec, ...]:
    """Every record type that a schema declares, in the order of the schema names."""
    specs = []
    for name in schema_names():
        spec = bundled_schema(name).get("x-mdmentor-record")
        if isinstance(spec, dict):
            specs.append(RecordSpec(name=name, **spec))
    return tuple(specs)


@functools.cache
def facts(type_name: str) -> Facts:
    """The facts the schema of ``type_name`` holds (none for an unknown type)."""
    if type_name not in {spec.name for spec in record_specs()}:
        return Facts()
    schema = bundled_schema(type_name)
    references: list[tuple[str, str]] = []
    item_keys: dict[tuple[str, ...], str] = {}
    for path, node in _walk(schema, ()):
        names = tuple(p for p in path if p != "*")
        kind = node.get("x-mdmentor-ref")
        if isinstance(kind, str) and (".".join(path), kind) not in references:
            references.append((".".join(path), kind))
        if isinstance(node.get("x-mdmentor-item-key"), str):
            item_keys[names] = node["x-mdmentor-item-key"]
    properties: dict[str, Any] = schema.get("properties", {})
    author = next((k for k, v in properties.items() if v.get("x-mdmentor-author")), None)
    roles = {k: v["x-mdmentor-role"] for k, v in properties.items() if "x-mdmentor-role" in v}
    kind_field = next((k for k, v in properties.items() if "x-mdmentor-kind" in v), None)
    kinds: tuple[KindFacts, ...] = ()
    if kind_field is not None:
        spec = properties[kind_field]
        extra = spec["x-mdmentor-kind"]
        kinds = tuple(
            KindFacts(
                name,
                author_role=extra.get(name, {}).get("author-role"),
                id_suffix=extra.get(name, {}).get("id-suffix"),
                access=extra.get(name, {}).get("access"),
                author_only=extra.get(name, {}).get("author-only", False),
            )
            for name in spec.get("enum", ())
        )
    model_field = next((k for k, v in properties.items() if v.get("x-mdmentor-model")), None)
    return Facts(
        references=tuple(references),
        item_keys=item_keys,
        author=author,
        roles=roles,
        kind_field=kind_field,
        kinds=kinds,
        model_field=model_field,
        models=_models(properties[model_field]) if model_field else {},
    )


def _models(spec: dict[str, Any]) -> dict[str, tuple[Stage, ...]]:
    """Each name a model field allows, with the stages its ``if name … then`` branch lists."""
    stages: dict[str, tuple[Stage, ...]] = {}
    for branch in spec.get("allOf", []):
        name = branch.get("if", {}).get("properties", {}).get("name", {}).get("const")
        if isinstance(name, str):
            listed = branch.get("then", {}).get("properties", {})
            stages[name] = tuple(Stage(k, str(v.get("description", k))) for k, v in listed.items())
    return {name: stages.get(name, ()) for name in spec["properties"]["name"]["enum"]}


def _walk(node: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    """Every sub-schema with the dotted path of the values it describes (``*``: list items)."""
    if not isinstance(node, dict):
        return
    yield path, node
    for key, child in node.get("properties", {}).items():
        yield from _walk(child, (*path, key))
    if "items" in node:
        yield from _walk(node["items"], (*path, "*"))
    for keyword in ("anyOf", "oneOf", "allOf"):
        for option in node.get(keyword, []):
            yield from _walk(option, path)

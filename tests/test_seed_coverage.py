"""The 99 things the source texts ask to be recorded: each has a field in a schema, is laid
out by 'mdmentor new', and is filled in an example journal (tests/coverage/seed_items.yaml).

The report column of that table is data for the reports to be checked against; it is not
checked here.
"""

from __future__ import annotations

import functools
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from mdmentor.cli import cli
from mdmentor.records.parsing import parse_document
from mdmentor.records.validation import bundled_schema
from mdmentor.reporting.evidence import filled
from mdmentor.resources import data_dir

from .conftest import GOAL, MINIMAL_CONFIG, SESSION, agreement, build_file_tree

ITEMS: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "coverage" / "seed_items.yaml").read_text(encoding="utf-8")
)
REPORTS = {"progress", "review", "prep", "actions", "supervision", "evidence", "status"}
#: How many items must have all three: a field, a scaffold in 'new', and an example filling it.
AT_LEAST = 85


def test_the_table_lists_each_item_once_with_a_report_to_show_it() -> None:
    assert [item["n"] for item in ITEMS] == list(range(1, 100))
    for item in ITEMS:
        assert item["report"] in REPORTS or item["report"] is None, item["n"]
        if not (item["field"] and item["new"] and item["example"]):
            assert item.get("note"), f"item {item['n']} is not covered and says not why"


def schema_has(dotted: str) -> bool:
    """Whether the schema of TYPE has the field at ``path`` (list items implicit)."""
    type_name, _, path = dotted.partition(".")
    node = bundled_schema(type_name)
    for part in path.split("."):
        while node.get("type") == "array" and "items" in node:
            node = node["items"]
        found = node.get("properties", {}).get(part)
        if found is None:  # a model's stages live in its if/then branches
            branches = [b.get("then", {}) for b in node.get("allOf", [])]
            found = next(
                (b["properties"][part] for b in branches if part in b.get("properties", {})), None
            )
        if found is None:
            return False
        node = found
    return True


def reach(data: Any, path: list[str]) -> list[Any]:
    """The values at ``path`` in ``data``; list items implicit (every item looked at)."""
    values = [data]
    for part in path:
        step = []
        for value in values:
            items = value if isinstance(value, list) else [value]
            step.extend(item[part] for item in items if isinstance(item, dict) and part in item)
        values = step
    return values


def scaffolds(meta: dict[str, Any], path: list[str]) -> bool:
    """The rendered record has the field, or the empty list that holds its items."""
    value: Any = meta
    for part in path:
        if isinstance(value, list):
            if not value:
                return True  # an empty list, laid out for its items to be added
            value = value[0]
        if not isinstance(value, dict) or part not in value:
            return False
        value = value[part]
    return True


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The front matter 'new' writes for a command, made once per command."""
    root = build_file_tree(
        tmp_path_factory.mktemp("coverage") / "journal",
        {
            "mdmentor.yaml": MINIMAL_CONFIG,
            "agreement/2026-03-02-agreement.md": agreement(extra="supervisor: supervisor\n"),
            "goals/G-001-lead-the-morning-handover.md": GOAL,
            "sessions/2026/2026-03-09-first-session.md": SESSION,  # one open action
        },
    )

    @functools.cache
    def render(command: str) -> dict[str, Any]:
        if command == "init":
            target = root.parent / "fresh"
            result = CliRunner().invoke(cli, ["init", str(target)], catch_exceptions=False)
            assert result.exit_code == 0, result.output
            loaded: dict[str, Any] = yaml.safe_load((target / "mdmentor.yaml").read_text())
            return {"config": loaded}
        args = ["--journal", str(root), "new", *shlex.split(command), "--no-edit"]
        result = CliRunner().invoke(cli, [*args, "--date", "2026-03-30"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        path = root / result.stdout.strip().splitlines()[-1]
        return parse_document(path.read_text(encoding="utf-8")).meta

    return render


def example_has(item: dict[str, Any]) -> bool:
    text = (data_dir("examples") / item["example"]).read_text(encoding="utf-8")
    if item["example"].endswith("mdmentor.yaml"):
        meta = yaml.safe_load(text)
    else:
        meta = parse_document(text).meta
    values = reach(meta, item["field"].split(".")[1:])
    if "value" in item:
        return item["value"] in values
    return any(filled(value) for value in values)


def covered(item: dict[str, Any], scaffolded: Any) -> dict[str, bool]:
    """Which of the three columns hold for ``item``."""
    field = item["field"]
    path = field.split(".")[1:]
    in_new = False
    if item["new"]:
        meta = scaffolded(item["new"])
        in_new = scaffolds(meta["config"] if field.startswith("config.") else meta, path)
    return {
        "schema": bool(field) and schema_has(field),
        "new": in_new,
        "example": bool(item["example"]) and example_has(item),
    }


@pytest.mark.parametrize("item", ITEMS, ids=lambda item: f"{item['n']:02d}")
def test_each_column_the_table_claims_holds(item: dict[str, Any], scaffolded: Any) -> None:
    found = covered(item, scaffolded)
    assert found["schema"], f"{item['field']} is not in its schema"
    assert found["new"] == bool(item["new"]), (
        f"'new {item['new']}' does not lay out {item['field']}"
    )
    assert found["example"] == bool(item["example"]), (
        f"{item['example']} does not fill {item['field']}"
    )


def test_at_least_85_items_are_held_scaffolded_and_filled(scaffolded: Any) -> None:
    complete = [item["n"] for item in ITEMS if all(covered(item, scaffolded).values())]
    assert len(complete) >= AT_LEAST, f"only {len(complete)} items are covered"

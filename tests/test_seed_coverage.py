"""The 99 things the source texts ask to be recorded: each has a field in a schema, is laid
out by 'mdmentor new', is filled in an example journal, and appears in a report written for
its reader (tests/coverage/seed_items.yaml).

A report shows an item when the text the example wrote there (its first 40 characters,
spaces as they come), or the words the table says it ``shows``, is in the Markdown report
of that kind, written ``for`` the readers named (default: everyone the agreement names)
and read ``as_of`` a day (default: after the example's end).
"""

from __future__ import annotations

import functools
import shlex
import shutil
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

from .conftest import GOAL, MINIMAL_CONFIG, SESSION, accept_terms, agreement, build_file_tree

ITEMS: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "coverage" / "seed_items.yaml").read_text(encoding="utf-8")
)
REPORTS = {"progress", "review", "prep", "actions", "supervision", "evidence", "status"}
#: How many items must have all four: a field, a scaffold in 'new', an example filling it,
#: and a report showing it to its reader.
AT_LEAST = 85
#: The day reports are read on, unless an item says otherwise: after both examples' ends.
AFTER_THE_END = "2026-12-31"
#: The first characters of a value that a report must hold.
QUOTED = 40


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


def example_values(item: dict[str, Any]) -> list[Any]:
    """The values the example journal writes at the item's field."""
    text = (data_dir("examples") / item["example"]).read_text(encoding="utf-8")
    if item["example"].endswith("mdmentor.yaml"):
        meta = yaml.safe_load(text)
    else:
        meta = parse_document(text).meta
    return reach(meta, item["field"].split(".")[1:])


def example_has(item: dict[str, Any]) -> bool:
    values = example_values(item)
    if "value" in item:
        return item["value"] in values
    return any(filled(value) for value in values)


def _words(value: Any) -> list[str]:
    """Every text, number or date in ``value``, spaces made single."""
    if isinstance(value, list):
        return [w for v in value for w in _words(v)]
    if isinstance(value, dict):
        return [w for v in value.values() for w in _words(v)]
    if value is None or isinstance(value, bool):
        return []
    return [" ".join(str(value).split())]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The text of a report of the example journals, made once per kind, reader and day."""
    root = tmp_path_factory.mktemp("coverage-reports") / "examples"
    shutil.copytree(data_dir("examples"), root)

    @functools.cache
    def render(journal: str, kind: str, readers: str | None, as_of: str) -> str:
        # Each test has a home folder of its own, so the terms are accepted in this one.
        accept_terms(root / journal)
        args = ["--journal", str(root / journal)]
        if kind == "status":
            args += ["status", "--as-of", as_of]
        else:
            args += ["report", kind, "--as-of", as_of, *(["--for", readers] if readers else [])]
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return " ".join(result.output.split())

    return render


def report_shows(item: dict[str, Any], reports: Any) -> bool:
    """Whether the item's report, for its readers, holds what the example wrote there."""
    if not (item["report"] and item["example"]):
        return False
    journal = item["example"].split("/")[0]
    day = str(item.get("as_of", AFTER_THE_END))
    text = reports(journal, item["report"], item.get("for"), day)
    if "shows" in item:
        wanted = [item["shows"]]
    else:
        wanted = [w[:QUOTED] for w in _words(example_values(item))]
    return any(w and w in text for w in wanted)


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
def test_each_column_the_table_claims_holds(
    item: dict[str, Any], scaffolded: Any, reports: Any
) -> None:
    found = covered(item, scaffolded)
    assert found["schema"], f"{item['field']} is not in its schema"
    assert found["new"] == bool(item["new"]), (
        f"'new {item['new']}' does not lay out {item['field']}"
    )
    assert found["example"] == bool(item["example"]), (
        f"{item['example']} does not fill {item['field']}"
    )
    if item["report"] and item["example"]:
        assert report_shows(item, reports), (
            f"'report {item['report']}' for {item.get('for') or 'everyone'} does not show "
            f"{item['field']} from {item['example']}"
        )


def test_at_least_85_items_are_held_scaffolded_filled_and_reported(
    scaffolded: Any, reports: Any
) -> None:
    complete = [
        item["n"]
        for item in ITEMS
        if all(covered(item, scaffolded).values()) and report_shows(item, reports)
    ]
    assert len(complete) >= AT_LEAST, f"only {len(complete)} items are covered"


def test_a_report_that_leaves_the_field_out_is_caught(reports: Any) -> None:
    item = next(i for i in ITEMS if i["field"] == "needs_assessment.strengths")
    assert report_shows(item, reports)
    # The same strengths, asked of a report for the line manager, whom the policy keeps
    # from the needs assessment: the check must fail there.
    assert not report_shows({**item, "for": "supervisor"}, reports)

"""The field-level merge on its own, and conflict-marker detection."""

from __future__ import annotations

from pathlib import Path

from mdmentor.records.parsing import find_conflict_markers, parse_document
from mdmentor.sharing.gitrepo import merge_file
from mdmentor.sharing.merge import merge_texts

from .conftest import build_file_tree

BASE = """\
---
type: goal
id: G-001
title: Lead handovers  # a comment the authors wrote
status: active
milestones:
  - {id: M1, text: Observe, due: 2026-03-31}
  - {id: M2, text: Lead one, due: 2026-04-30}
---
Body line one.

Body line two.
"""


def merged(ours: str, theirs: str, base: str = BASE):  # type: ignore[no-untyped-def]
    return merge_texts(base, ours, theirs, line_merge=merge_file)


def test_clean_line_merge_keeps_the_authors_layout_and_comments() -> None:
    ours = BASE.replace("status: active", "status: achieved")
    theirs = BASE.replace("Body line two.", "Body line two, edited.")
    result = merged(ours, theirs)
    assert result.clean
    assert "# a comment the authors wrote" in result.text
    assert "status: achieved" in result.text and "Body line two, edited." in result.text


def test_items_merge_by_id_even_where_lines_collide() -> None:
    ours = BASE.replace(
        "  - {id: M2, text: Lead one, due: 2026-04-30}",
        "  - {id: M2, text: Lead one, due: 2026-04-30, done: 2026-04-20}",
    )
    theirs = BASE.replace(
        "  - {id: M2, text: Lead one, due: 2026-04-30}",
        "  - {id: M2, text: Lead one, due: 2026-04-30}\n"
        "  - {id: M3, text: Lead five, due: 2026-05-30}",
    )
    result = merged(ours, theirs)
    assert result.clean, result.conflicts
    milestones = parse_document(result.text).meta["milestones"]
    assert [(m["id"], m.get("done")) for m in milestones] == [
        ("M1", None),
        ("M2", "2026-04-20"),
        ("M3", None),
    ]


def test_item_deleted_on_one_side_and_edited_on_the_other_is_a_conflict() -> None:
    ours = BASE.replace("  - {id: M1, text: Observe, due: 2026-03-31}\n", "")
    theirs = BASE.replace("text: Observe,", "text: Observe twice,")
    result = merged(ours, theirs)
    assert result.conflicts == ["milestones[0]"]
    meta = parse_document(result.text).meta
    assert meta["milestones"][0]["text"] == "Observe twice"  # the edit is kept
    assert meta["conflicts"][0]["ours"] == "(deleted)"


def test_both_added_the_same_new_file_differently() -> None:
    ours = BASE.replace("status: active", "status: proposed")
    result = merged(ours, BASE.replace("status: active", "status: dropped"), base="")
    assert result.conflicts == ["status"]


def test_unparseable_side_falls_back_to_a_line_merge_and_reports_a_conflict() -> None:
    broken = BASE.replace("status: active", "status: [active")
    result = merged(broken, BASE.replace("Body line one.", "Body line 1."))
    assert result.fallback and not result.clean
    assert "status: [active" in result.text and "Body line 1." in result.text


def test_heading_underlines_and_code_blocks_are_not_conflicts(journal: Path, run) -> None:
    body = (
        "Title\n=======\n\n```text\n<<<<<<< ours\nexample\n=======\n>>>>>>> theirs\n```\n"
        "Another\n=======\n"
    )
    assert find_conflict_markers(body) == []
    real = "a\n<<<<<<< ours\nx\n=======\ny\n>>>>>>> theirs\n"
    assert find_conflict_markers(real) == [2]
    session = journal / "sessions/2026/2026-03-09-first-session.md"
    session.write_text(session.read_text() + body)
    assert run("check", cwd=journal).exit_code == 0
    build_file_tree(
        journal, {"sessions/2026/2026-03-09-first-session.md": session.read_text() + real}
    )
    result = run("check", cwd=journal)
    assert result.exit_code == 1
    assert "unresolved git merge conflict markers in the notes" in result.output


def test_a_value_used_twice_is_written_out_twice_not_as_a_yaml_alias() -> None:
    from mdmentor.records.parsing import dump_document

    shared = {"id": "M1", "text": "Observe"}
    text = dump_document({"type": "goal", "a": [shared], "b": shared}, "")
    assert "&id" not in text and "*id" not in text
    assert parse_document(text).meta["b"] == shared


def test_plain_markdown_without_front_matter_is_merged_by_lines_only() -> None:
    base = "# Notes\n\nOne.\n\nTwo.\n"
    result = merged("# Notes\n\nOne, edited.\n\nTwo.\n", "# Notes\n\nOne.\n\nTwo, edited.\n", base)
    assert result.clean and result.text == "# Notes\n\nOne, edited.\n\nTwo, edited.\n"

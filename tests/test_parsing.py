"""The strict parser on its own: what stays text, what is typed, where each field is."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdmentor.errors import ParseError
from mdmentor.records.parsing import (
    decode_text,
    dump_document,
    find_conflict_markers,
    parse_document,
)


@pytest.mark.parametrize(
    "written",
    [
        "1:30",
        "no",
        "on",
        "yes",
        "0123",
        "2026-03-04",
        "1e3",
        ".5",
        "~x",
        "14:00",
        "+",
        "0x1F",
        "1_000",
    ],
)
def test_what_a_person_wrote_stays_text(written: str) -> None:
    assert parse_document(f"---\nvalue: {written}\n---\n").meta == {"value": written}


@pytest.mark.parametrize(
    "written, value",
    [
        ("true", True),
        ("False", False),
        ("42", 42),
        ("-3", -3),
        ("2.5", 2.5),
        ("null", None),
        ("~", None),
        ("", None),
        ('"42"', "42"),
        ("'true'", "true"),
    ],
)
def test_plain_booleans_numbers_and_nulls_are_typed(written: str, value: object) -> None:
    assert parse_document(f"---\nvalue: {written}\n---\n").meta == {"value": value}


def test_lines_of_nested_fields_and_list_items_and_the_body() -> None:
    document = parse_document(
        "---\ntype: session\nactions:\n  - id: A1\n    due: 2026-03-16\n  - id: A2\n"
        "next_session:\n  date: 2026-03-23\n---\n# Notes\n\nText.\n"
    )
    assert document.lines[("actions", 0)] == 4
    assert document.lines[("actions", 0, "due")] == 5
    assert document.lines[("actions", 1, "id")] == 6
    assert document.lines[("next_session", "date")] == 8
    assert document.body_line == 10
    assert document.body == "# Notes\n\nText.\n"


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("", 1, "file is empty"),
        ("notes\n", 1, "no front matter"),
        ("---\na: 1\n", 1, "never closed"),
        ("---\na: 1\na: 2\n---\n", 3, "duplicate field 'a' (first on line 2)"),
        ("---\na: [1\n---\n", 2, "the list that starts with [ here is never closed"),
        ("---\na: !!int 1\n---\n", 2, "YAML tag '!!int'"),
        ("---\na: &x 1\n---\n", 2, "YAML anchor '&x'"),
        ("---\n? [a, b]\n: 1\n---\n", 2, "a field name must be plain text"),
    ],
)
def test_parse_errors_carry_their_line(text: str, line: int, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_document(text)
    assert caught.value.line == line
    assert message in caught.value.message


@pytest.mark.parametrize(
    "data, line, message",
    [
        (b"---\n\na: caf\xe9\n", 3, "byte 0xe9"),
        (b"---\na: 1\rb: 2\n", 2, "a carriage return on its own"),
    ],
)
def test_decoding_refuses_bad_bytes_and_lone_carriage_returns(
    data: bytes, line: int, message: str
) -> None:
    with pytest.raises(ParseError) as caught:
        decode_text(data)
    assert caught.value.line == line and message in caught.value.message


def test_windows_line_ends_and_a_byte_order_mark_read_as_plain_text() -> None:
    assert decode_text(b"\xef\xbb\xbf---\r\na: 1\r\n---\r\nNotes\r\n") == "---\na: 1\n---\nNotes\n"


def test_conflict_markers_count_only_as_a_whole_block_outside_code() -> None:
    assert find_conflict_markers("Heading\n=======\n") == []
    assert find_conflict_markers("```\n<<<<<<< a\nx\n=======\ny\n>>>>>>> b\n```\n") == []
    assert find_conflict_markers("<<<<<<< a\nx\n") == []
    assert find_conflict_markers(
        "t\n<<<<<<< ours\nx\n||||||| base\n=======\ny\n>>>>>>> theirs\n"
    ) == [2]


def test_dump_document_round_trips_what_the_parser_keeps_as_text() -> None:
    meta = {
        "type": "session",
        "time": "1:30",
        "answer": "no",
        "code": "0123",
        "date": "2026-03-04",
        "done": True,
        "count": 5,
        "empty": None,
        "actions": [{"id": "A1", "text": "line one\nline two"}],
    }
    text = dump_document(meta, "Body.\n")
    document = parse_document(text)
    assert document.meta == meta
    assert document.body == "Body.\n"
    assert list(document.meta) == list(meta)  # key order kept


def test_a_file_a_merge_kept_whole_reads_as_a_conflict_not_as_no_front_matter() -> None:
    kept = Path(__file__).parent / "merge_cases" / "unparseable-theirs" / "expected.md"
    with pytest.raises(ParseError) as caught:
        parse_document(kept.read_text(encoding="utf-8"))
    assert (caught.value.line, caught.value.code) == (1, "conflict-marker")
    assert caught.value.message.startswith("unresolved git merge conflict: the file holds")

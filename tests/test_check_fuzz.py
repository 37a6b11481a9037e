"""Never a traceback, on any input: check a journal whose session file is arbitrary bytes,
or a valid record with random damage, and expect problems, never an exception."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mdmentor.records.checking import check_journal

from .conftest import GOAL, MINIMAL_CONFIG, SESSION, build_file_tree

YAMLISH = st.text(
    alphabet=st.sampled_from(list("-:[]{}!&*#|>'\"\n\t ,?%@`~ab01\r\ufeff\x00é")), max_size=200
)


def damaged(text: str, cuts: list[tuple[int, str]]) -> str:
    for position, insert in cuts:
        at = position % (len(text) + 1)
        text = text[:at] + insert + text[at + 1 :]
    return text


def check_with_session(content: bytes) -> None:
    root = Path(tempfile.mkdtemp(prefix="mdmentor-fuzz-"))
    try:
        build_file_tree(
            root,
            {
                "mdmentor.yaml": MINIMAL_CONFIG,
                "goals/G-001-goal.md": GOAL,
                "sessions/2026/2026-03-09-session.md": content,
            },
        )
        result = check_journal(root)
        assert result.records == 2
        for problem in result.problems:
            assert problem.message and (problem.line is None or problem.line >= 1)
    finally:
        shutil.rmtree(root)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_raise(content: bytes) -> None:
    check_with_session(b"---\n" + content)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(st.integers(min_value=0, max_value=600), YAMLISH), max_size=4))
def test_damaged_records_never_raise(cuts: list[tuple[int, str]]) -> None:
    check_with_session(damaged(SESSION, cuts).encode("utf-8", errors="surrogatepass"))


JSONISH = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.sampled_from(
        [
            "",
            "G-001",
            "S-2026-03-09",
            "S-2026-03-09/A1",
            "mentee",
            "2026-02-30",
            "2026-03-10",
            "done",
            "open",
            "<x>",
            "K1",
        ]
    ),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "text",
                    "owner",
                    "status",
                    "due",
                    "done",
                    "goal",
                    "date",
                    "name",
                    "carried_from",
                    "action",
                    "note",
                ]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)
FIELDS = [
    "id",
    "date",
    "mode",
    "attendees",
    "goals",
    "actions",
    "actions_reviewed",
    "next_session",
    "approach",
    "duration_minutes",
    "topics",
    "conflicts",
    "visibility",
]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.sampled_from(["session", "goal", "review", "agreement", "reflection"]),
    st.dictionaries(
        st.sampled_from(
            [
                *FIELDS,
                "status",
                "milestones",
                "progress",
                "evaluations",
                "support_plan",
                "start",
                "access",
                "retention",
                "agreed_by",
                "session",
                "kind",
                "author",
                "target_date",
                "created",
            ]
        ),
        JSONISH,
        max_size=8,
    ),
)
def test_any_shape_of_front_matter_never_raises(record_type: str, meta: dict[str, object]) -> None:
    from mdmentor.records.parsing import dump_document

    folder = {
        "session": "sessions/2026",
        "goal": "goals",
        "review": "reviews",
        "agreement": "agreement",
        "reflection": "reflections/2026",
    }[record_type]
    root = Path(tempfile.mkdtemp(prefix="mdmentor-fuzz-"))
    try:
        build_file_tree(
            root,
            {
                "mdmentor.yaml": MINIMAL_CONFIG,
                "sessions/2026/2026-03-09-first.md": SESSION,
                f"{folder}/2026-03-10-fuzz.md": dump_document({"type": record_type, **meta}, "x\n"),
            },
        )
        result = check_journal(root)
        assert result.records == 2
    finally:
        shutil.rmtree(root)

"""The evidence report: each point of each criterion shown by a record's field, or a gap."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mdmentor.errors import ConfigError
from mdmentor.records.journal import load_records, open_journal
from mdmentor.reporting.evidence import evidence, filled, load_criteria, quote, resolve
from mdmentor.reporting.view import JournalView
from mdmentor.resources import example_journal

from .conftest import GOAL, MINIMAL_CONFIG, SESSION, agreement, build_file_tree

GOLDEN = Path(__file__).parent / "golden"
EXAMPLE = example_journal()

GROW = (
    "approach:\n  name: GROW\n  goal: Lead a handover.\n  reality: Never led one.\n"
    "  options: Shadow first; lead with support.\n  will: Shadow two by Friday.\n"
)
OTHER = "approach:\n  name: other\n  model: Contracting\n  notes: No model this time.\n"


def build(root: Path, files: dict[str, str]) -> dict:
    """The evidence data of a journal of ``files`` (with the shared config), Unit 435."""
    build_file_tree(root, {"mdmentor.yaml": MINIMAL_CONFIG, **files})
    journal = open_journal(root)
    records, _ = load_records(journal)
    view = JournalView.build(journal.config, records)
    return evidence(view, load_criteria("unit-435", root), root)


def point(data: dict, criterion: str, name: str) -> dict:
    row = next(c for c in data["criteria"] if c["id"] == criterion)
    return next(p for p in row["points"] if p["name"] == name)


def session_with(extra: str) -> str:
    return SESSION.replace("goals: [G-001]\n", f"goals: [G-001]\n{extra}")


# --- the rule language -------------------------------------------------------------------


def test_paths_reach_items_by_star_and_by_a_filter() -> None:
    meta = {
        "actions": [
            {"id": "A1", "owner": "mentor", "status": "done"},
            {"id": "A2", "owner": "mentee"},
        ]
    }
    assert resolve(meta, "actions.*.status") == [
        (("actions", 0, "status"), "done"),
        (("actions", 1, "status"), None),
    ]
    assert resolve(meta, "actions[owner=mentee].id") == [(("actions", 1, "id"), "A2")]
    assert resolve(meta, "support_plan.focus") == []
    assert not filled("<a topic discussed>") and not filled([]) and not filled({"a": None})
    assert filled(["Handovers"]) and not filled(["Handovers", "<another>"])


def test_a_quote_is_one_short_line() -> None:
    assert (
        quote({"name": "GROW", "goal": "Lead\na handover."}) == "name: GROW; goal: Lead a handover."
    )
    assert quote(["one", "two"]) == "one / two"
    long = quote("word " * 60)
    assert len(long) <= 160 and long.endswith("word…")


def test_a_session_with_approach_other_does_not_show_a_recognised_model(tmp_path: Path) -> None:
    other = build(tmp_path / "a", {"sessions/2026/s.md": session_with(OTHER)})
    assert not point(other, "5.2", "Goal-Oriented Approach")["evidence"]
    grow = build(tmp_path / "b", {"sessions/2026/s.md": session_with(GROW)})
    found = point(grow, "5.2", "Goal-Oriented Approach")["evidence"][0]["records"][0]
    assert (found["id"], found["field"], found["quote"]) == (
        "S-2026-03-09",
        "approach.goal",
        "Lead a handover.",
    )
    half = build(
        tmp_path / "c",
        {"sessions/2026/s.md": session_with(GROW.replace("  will: Shadow two by Friday.\n", ""))},
    )
    assert not point(half, "5.2", "Goal-Oriented Approach")["evidence"]


def test_a_sign_off_by_the_mentor_alone_is_not_agreed(tmp_path: Path) -> None:
    alone = build(tmp_path / "a", {"agreement/a.md": agreement(agreed=("mentor",))})
    assert not point(alone, "4.3", "Documentation Method")["shown"]
    assert not point(alone, "4.3", "Access to Records")["shown"]
    both = build(tmp_path / "b", {"agreement/a.md": agreement()})
    assert point(both, "4.3", "Documentation Method")["shown"]
    assert point(both, "4.3", "Access to Records")["evidence"][0]["records"][0]["field"] == (
        "access"
    )
    # With a supervisor named in it, the agreement needs the supervisor's sign-off too.
    three = build(tmp_path / "c", {"agreement/a.md": agreement(extra="supervisor: supervisor\n")})
    assert not point(three, "4.3", "Documentation Method")["shown"]


def test_session_notes_are_agreed_only_when_everyone_who_attended_signed(tmp_path: Path) -> None:
    reviewed = "actions_reviewed:\n  - {action: S-2026-03-02/A1, note: Done on time.}\n"
    earlier = SESSION.replace("2026-03-09", "2026-03-02").replace("2026-03-23", "2026-03-09")
    mentor_only = "agreed_by:\n  - {person: mentor, date: 2026-03-10}\n"
    files = {"sessions/2026/a.md": earlier, "goals/g.md": GOAL}
    one = build(
        tmp_path / "a", {**files, "sessions/2026/b.md": session_with(reviewed + mentor_only)}
    )
    assert not point(one, "4.3", "Review and Update")["shown"]
    assert point(one, "4.3", "Review and Update")["missing"] == [
        "Session notes checked and agreed by everyone who attended."
    ]
    both = mentor_only + "  - {person: mentee, date: 2026-03-11}\n"
    two = build(tmp_path / "b", {**files, "sessions/2026/b.md": session_with(reviewed + both)})
    assert point(two, "4.3", "Review and Update")["shown"]


def test_each_technique_needs_its_own_record_and_field(tmp_path: Path) -> None:
    techniques = (
        "techniques:\n"
        "  - {technique: active-listening, note: Summarised his words back before options.}\n"
    )
    data = build(tmp_path, {"sessions/2026/s.md": session_with(techniques)})
    listening = point(data, "5.2", "Active Listening")
    assert listening["shown"]
    found = listening["evidence"][0]["records"][0]
    assert (found["field"], found["quote"]) == (
        "techniques[0].note",
        "Summarised his words back before options.",
    )
    assert not point(data, "5.2", "Respect and Empathy")["shown"]  # another technique's note


def test_totals_count_points_shown_not_criteria_with_some_evidence(tmp_path: Path) -> None:
    data = build(tmp_path, {"agreement/a.md": agreement(), "goals/g.md": GOAL})
    assert (data["points"], [c["total"] for c in data["criteria"]]) == (27, [8, 11, 8])
    shown = {c["id"]: c["shown"] for c in data["criteria"]}
    assert shown == {"4.3": 3, "5.2": 0, "6.3": 0}
    assert data["shown"] == 3
    assert len(data["gaps"]) == 24
    assert data["criteria"][1]["outcome"] == "5. Be able to mentor in social care"


def test_the_report_says_points_shown_and_lists_the_gaps(tmp_path: Path, run) -> None:
    root = build_file_tree(
        tmp_path / "j",
        {"mdmentor.yaml": MINIMAL_CONFIG, "agreement/a.md": agreement(), "goals/g.md": GOAL},
    )
    text = run("report", "evidence", cwd=root).stdout
    assert "Points shown: 3 of 27 (4.3: 3 of 8; 5.2: 0 of 11; 6.3: 0 of 8)." in text
    assert "criteria have evidence" not in text
    assert "## Learning outcome 5. Be able to mentor in social care\n" in text
    assert "#### Resolving Conflicts: not yet shown\n" in text
    assert (
        "- Gap: any of these would show it:\n"
        "  - A disagreement or conflict worked through to an agreed outcome.\n"
    ) in text


def test_only_the_records_it_is_given_are_used(tmp_path: Path) -> None:
    root = build_file_tree(
        tmp_path / "j", {"mdmentor.yaml": MINIMAL_CONFIG, "agreement/a.md": agreement()}
    )
    journal = open_journal(root)
    records, _ = load_records(journal)
    view = JournalView.build(journal.config, records)
    criteria = load_criteria("unit-435", root)
    assert evidence(view, criteria, root)["shown"] == 3
    assert evidence(view.restricted(lambda r: False, ()), criteria, root)["shown"] == 0


def test_a_criteria_file_naming_a_field_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    root = build_file_tree(
        tmp_path / "j",
        {
            "mdmentor.yaml": MINIMAL_CONFIG,
            "templates/evidence/mine.yaml": (
                "qualification: Q\nunit: U\ncriteria:\n  - id: '1'\n    text: T\n    points:\n"
                "      - name: N\n        text: T\n        shown_by:\n"
                "          - {record: session, field: aproach.goal, why: W}\n"
            ),
        },
    )
    with pytest.raises(ConfigError) as raised:
        load_criteria("mine", root)
    assert "a session has no field 'aproach'" in str(raised.value)
    assert raised.value.field == "criteria[0].points[0].shown_by[0].field"


def test_the_ilm_topic_is_a_second_criteria_set() -> None:
    criteria = load_criteria("ilm-l3-monitoring", None)
    assert criteria["qualification"] == "ILM Level 3 Award in Effective Mentoring"
    assert [len(c["points"]) for c in criteria["criteria"]] == [8, 6]


# --- the example journal, at its end -----------------------------------------------------


def example_evidence(criteria: str = "unit-435") -> dict:
    journal = open_journal(EXAMPLE)
    records, _ = load_records(journal)
    view = JournalView.build(journal.config, records)
    return evidence(view, load_criteria(criteria, EXAMPLE), EXAMPLE)


#: For each technique of 5.2, the first record and exact field that shows it in the example.
TECHNIQUES = {
    "Effective Communication": ("AG-2026-06-01", "communication"),
    "Active Listening": ("S-2026-09-14", "approach.listening"),
    "Regular Meetings": ("AG-2026-06-01", "meeting_frequency"),
    "Respect and Empathy": ("S-2026-06-01", "techniques[1].note"),
    "Goal-Oriented Approach": ("S-2026-06-15", "approach.goal"),
    "Mutual Trust": ("AG-2026-06-01", "confidentiality.terms"),
    "Positive Reinforcement": ("F-2026-09-28-mentor", "went_well"),
    "Constructive Feedback": ("F-2026-09-28-mentor", "next_steps"),
    "Encourage Independence": ("S-2026-06-29", "techniques[1].note"),
    "Flexibility": ("F-2026-08-31-mentee", "mentor_response"),
    "Resolving Conflicts": ("I-2026-06-01", "worked_through"),
}


def test_each_technique_of_5_2_is_shown_by_a_record_field_and_quote() -> None:
    row = next(c for c in example_evidence()["criteria"] if c["id"] == "5.2")
    assert [p["name"] for p in row["points"]] == list(TECHNIQUES)
    for found in row["points"]:
        assert found["shown"], found["name"]
        first = found["evidence"][0]["records"][0]
        assert (first["id"], first["field"]) == TECHNIQUES[found["name"]]
        assert first["quote"] and len(first["quote"]) <= 160
    approach = point(example_evidence(), "5.2", "Goal-Oriented Approach")["evidence"][0]
    assert "S-2026-06-01" not in [r["id"] for r in approach["records"]]  # approach: other


def test_the_example_shows_every_point_honestly_counted() -> None:
    data = example_evidence()
    assert (data["shown"], data["points"], data["gaps"]) == (27, 27, [])
    ilm = example_evidence("ilm-l3-monitoring")
    assert (ilm["shown"], ilm["points"]) == (14, 14)


def test_the_example_evidence_report_matches_its_golden_file(run, example: Path) -> None:
    text = run("--journal", str(example), "report", "evidence").stdout
    golden = GOLDEN / "example-evidence.md"
    if os.environ.get("MDMENTOR_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")

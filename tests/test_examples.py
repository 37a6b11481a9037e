"""The bundled example journals: each checks clean and runs to its ending."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdmentor.records.checking import check_journal
from mdmentor.records.journal import load_records, open_journal
from mdmentor.records.model import Record
from mdmentor.resources import data_dir

EXAMPLES = sorted(p for p in data_dir("examples").iterdir() if (p / "mdmentor.yaml").is_file())


def records_of(root: Path) -> list[Record]:
    records, problems = load_records(open_journal(root))
    assert problems == []
    return records


def test_there_is_an_example_for_social_care_and_for_employment_support() -> None:
    assert [p.name for p in EXAMPLES] == ["adult-social-care", "employment-support"]


@pytest.mark.parametrize("root", EXAMPLES, ids=lambda p: p.name)
def test_the_example_checks_clean(root: Path, run) -> None:
    result = run("--journal", str(root), "check")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("records checked: no problems")
    assert check_journal(root).problems == []


@pytest.mark.parametrize("root", EXAMPLES, ids=lambda p: p.name)
def test_the_example_reaches_its_ending(root: Path) -> None:
    records = records_of(root)
    [agreement] = [r for r in records if r.type.name == "agreement"]
    finals = [r for r in records if r.type.name == "review" and "ending" in r.meta]
    assert [r.meta["kind"] for r in finals] == ["final"]
    ending = finals[0].meta["ending"]
    assert agreement.meta["ended"] == ending["date"]
    assert ending["kind"] in ("planned", "early") and ending["reason"]
    handed = {h.get("action") or h.get("goal") for h in ending.get("handover", [])}
    for session in (r for r in records if r.type.name == "session"):
        for action in session.meta.get("actions", []):
            ref = f"{session.id}/{action['id']}"
            assert action["status"] not in ("open", "in-progress"), ref
            assert action["status"] != "handed-over" or ref in handed, ref
    for goal in (r for r in records if r.type.name == "goal"):
        assert goal.meta["status"] not in ("proposed", "active") or goal.id in handed, goal.id
    kinds = {(r.type.name, r.meta.get("kind") or r.meta.get("point")) for r in records}
    for done_at_the_end in [
        ("competency_assessment", "final"),
        ("feedback", "mentee-feedback"),
        ("evaluation", "mentee-evaluation"),
        ("evaluation", "mentor-evaluation"),
        ("reflection", "mentee-reflection"),
    ]:
        assert done_at_the_end in kinds
    assert any(r.type.name == "reflection" and r.meta.get("occasion") == "end" for r in records)


def test_the_employment_example_checks_sustainment_at_13_and_26_weeks() -> None:
    records = records_of(data_dir("examples") / "employment-support")
    [job] = [r for r in records if r.type.name == "employment"]
    checks = {c["week"]: c for c in job.meta["sustainment"]}
    assert sorted(checks) == [13, 26]
    assert all(c["in_work"] and c["checked"] >= c["due"] for c in checks.values())
    needs = next(r for r in records if r.type.name == "needs_assessment")
    assert any(row["barrier"] for row in needs.meta["job_match"])
    assert any("Autistic" in p for p in needs.meta["learning_preferences"])
    models = {
        (r.type.name, (r.meta.get("approach") or r.meta.get("model") or {}).get("name"))
        for r in records
    }
    assert {("session", "GROW"), ("session", "CLEAR"), ("session", "OSKAR")} <= models
    assert {("reflection", "Gibbs"), ("reflection", "Kolb")} <= models

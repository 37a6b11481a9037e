"""The figures reports and status state: one status per action, everywhere; themes counted;
one set of action counts per report; evidence up to the review's day; staleness from a
goal's creation; and, after the relationship ended, a summary with nothing overdue."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mdmentor.records.journal import Config, load_records, open_journal
from mdmentor.records.model import RECORD_TYPES, Record
from mdmentor.reporting.reports import build_report
from mdmentor.reporting.view import JournalView

from .conftest import MINIMAL_CONFIG, accept_terms, agreement, build_file_tree

AS_OF = "2026-11-24"


def data(root: Path, kind: str, today: str, **options: str | tuple[str, ...]) -> dict:
    journal = open_journal(root)
    records, _ = load_records(journal)
    view = JournalView.build(journal.config, records)
    return build_report(journal, view, kind, today=today, **options)  # type: ignore[arg-type]


def report(run, root: Path, kind: str, today: str, *options: str) -> str:
    result = run("--journal", str(root), "report", kind, "--as-of", today, *options)
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def status(run, root: Path, today: str) -> dict:
    result = run("--journal", str(root), "status", "--as-of", today, "--format", "json")
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def session(day: str, actions: str = "", extra: str = "", topics: str = "[Handovers]") -> str:
    return (
        f"---\ntype: session\nid: S-{day}\ndate: {day}\nmode: video\nattendees: [mentor, mentee]\n"
        f"topics: {topics}\n{extra}" + (f"actions:\n{actions}" if actions else "") + "---\nNotes.\n"
    )


def journal(tmp_path: Path, files: dict[str, str]) -> Path:
    """A journal with the test config and agreement (accepted) and ``files``."""
    root = build_file_tree(
        tmp_path / "journal",
        {
            "mdmentor.yaml": MINIMAL_CONFIG,
            "agreement/2026-03-02-agreement.md": agreement(),
            **files,
        },
    )
    accept_terms(root)
    return root


# An action closed later is closed everywhere.


@pytest.fixture
def carried(tmp_path: Path) -> Path:
    """A1 carried into a later action (its own session never updated) and done there; A2
    looked at later, with no status given, so still open."""
    return journal(
        tmp_path,
        {
            "sessions/2026/2026-03-02-first.md": session(
                "2026-03-02",
                "  - {id: A1, text: Draft, owner: mentee, due: 2026-03-09, status: open}\n"
                "  - {id: A2, text: Book, owner: mentee, due: 2026-03-09, status: open}\n",
            ),
            "sessions/2026/2026-03-16-second.md": session(
                "2026-03-16",
                "  - {id: A1, text: Finish the sheet, owner: mentee, due: 2026-03-23,"
                " status: done, done: 2026-03-20, carried_from: S-2026-03-02/A1}\n",
                extra="actions_reviewed:\n  - {action: S-2026-03-02/A2, note: Not booked yet}\n",
            ),
        },
    )


def test_an_action_carried_and_done_later_is_nowhere_open_or_overdue(carried: Path, run) -> None:
    today = "2026-04-01"
    progress = data(carried, "progress", today)["actions"]
    assert (progress["agreed"], progress["carried"], progress["counted"]) == (3, 1, 2)
    assert (progress["done"], progress["open"]) == (1, 1)
    assert [a["ref"] for a in progress["overdue"]] == ["S-2026-03-02/A2"]
    actions = {a["ref"]: a for a in data(carried, "actions", today)["actions"]}
    first = actions["S-2026-03-02/A1"]
    assert (first["status"], first["overdue"], first["carried_to"]) == (
        "carried",
        False,
        "S-2026-03-16/A1",
    )
    assert (first["outcome"], first["outcome_done"]) == ("done", "2026-03-20")
    assert [r["note"] for r in actions["S-2026-03-02/A2"]["reviews"]] == ["Not booked yet"]
    prep = data(carried, "prep", today)
    assert [a["ref"] for a in prep["open_actions"]] == ["S-2026-03-02/A2"]
    assert [a["ref"] for a in status(run, carried, today)["overdue_actions"]] == ["S-2026-03-02/A2"]
    text = report(run, carried, "actions", today)
    assert "| S-2026-03-02/A1 | carried to S-2026-03-16/A1, done 2026-03-20 |" in text
    assert text.count("OVERDUE") == 1


def sessions_view(*metas: dict) -> JournalView:
    """A view of sessions written as front matter, read as valid (a review entry's
    ``status`` is not in the session schema yet; the view reads it where it is given)."""
    records = [
        Record(Path(f"{m['id']}.md"), RECORD_TYPES["session"], {"type": "session", **m}, "")
        for m in metas
    ]
    return JournalView.build(Config(title="t", people=()), records)


def test_a_later_session_that_closes_an_action_closes_it_from_that_day() -> None:
    view = sessions_view(
        {
            "id": "S-2026-03-02",
            "date": "2026-03-02",
            "actions": [
                {"id": "A1", "text": "x", "owner": "mentee", "due": "2026-03-09", "status": "open"}
            ],
        },
        {
            "id": "S-2026-03-16",
            "date": "2026-03-16",
            "actions_reviewed": [
                {"action": "S-2026-03-02/A1", "status": "done", "done": "2026-03-12", "note": "Yes"}
            ],
        },
    )
    [before] = view.actions("2026-03-10")
    assert before.status == "open" and before.overdue_on("2026-03-10")
    [after] = view.actions("2026-04-01")
    assert (after.status, after.done, after.settled_in) == ("done", "2026-03-12", "S-2026-03-16")
    assert not after.overdue_on("2026-04-01")
    assert [(r.session_id, r.note) for r in after.reviews] == [("S-2026-03-16", "Yes")]


def test_a_chain_of_carried_actions_ends_where_the_last_one_does() -> None:
    def step(day: str, source: str | None, status: str, done: str | None = None) -> dict:
        action = {"id": "A1", "text": "x", "owner": "mentee", "status": status}
        action |= {"carried_from": source} if source else {}
        action |= {"done": done} if done else {}
        return {"id": f"S-{day}", "date": day, "actions": [action]}

    view = sessions_view(
        step("2026-03-02", None, "carried"),
        step("2026-03-16", "S-2026-03-02/A1", "carried"),
        step("2026-03-30", "S-2026-03-16/A1", "done", "2026-04-02"),
    )
    first, second, last = view.actions("2026-04-10")
    assert (first.status, first.carried_to, first.outcome) == ("carried", "S-2026-03-16/A1", "done")
    assert (second.status, second.outcome_done) == ("carried", "2026-04-02")
    assert last.status == "done"
    # Read before the last session: the second action is still to do, and so is the chain.
    first, second = view.actions("2026-03-20")
    assert (first.outcome, second.status) == ("open", "open")


def test_a_loop_of_carried_actions_is_still_to_do() -> None:
    view = sessions_view(
        {
            "id": "S-2026-03-02",
            "date": "2026-03-02",
            "actions": [
                {"id": "A1", "text": "x", "owner": "m", "status": "carried"},
                {"id": "A2", "text": "y", "owner": "m", "status": "carried"},
            ],
        },
        {
            "id": "S-2026-03-16",
            "date": "2026-03-16",
            "actions": [
                {
                    "id": "A1",
                    "text": "x",
                    "owner": "m",
                    "status": "open",
                    "carried_from": "S-2026-03-02/A1",
                }
            ],
        },
    )
    first, second, third = view.actions()
    assert (first.status, first.outcome) == ("carried", "open")
    assert second.status == "open"  # marked carried, but no later action carries it
    assert third.status == "open"


# Themes are counted.


def test_themes_are_the_most_frequent_words_with_counts_not_the_first_items(
    tmp_path: Path, run
) -> None:
    topics = [
        "[Agreement and confidentiality, Setting goals]",
        "[Rota pressure, Handover sheet]",
        "[Rota pressure again, Delegation]",
        "[Handover timing, Rota pressure]",
    ]
    root = journal(
        tmp_path,
        {
            f"sessions/2026/2026-03-{day:02d}-s.md": session(f"2026-03-{day:02d}", topics=topic)
            for day, topic in zip((2, 9, 16, 23), topics, strict=True)
        },
    )
    themes = data(root, "progress", "2026-04-01")["themes"]
    assert themes["topics"] == [("pressure", 3), ("rota", 3), ("handover", 2)]
    text = report(run, root, "progress", "2026-04-01")
    assert "Session topics (4 sessions): pressure (3), rota (3), handover (2).\n" in text


# One set of action counts per report.


def test_a_report_states_one_set_of_action_counts(example: Path, run) -> None:
    progress = report(run, example, "progress", AS_OF, "--for", "mentor,mentee")
    assert (
        "- Actions: 32 of 34 actions done (94%), 2 open, 0 overdue; 4 more carried forward "
        "into later actions and counted there\n"
    ) in progress
    assert (
        "34 actions to do from the period: 32 done, 2 open; 4 more carried forward into later "
        "actions and counted there.\n"
    ) in progress
    assert not re.search(r"\b38\b", progress)  # 34 to do and 4 carried: never 38 "agreed"
    actions = report(run, example, "actions", AS_OF, "--for", "mentor,mentee")
    assert "- Actions: 32 of 34 actions done (94%), 2 open, 0 overdue;" in actions
    statuses = [row.split(" | ")[1] for row in actions.splitlines() if row.startswith("| S-")]
    assert statuses.count("done") == 32 and statuses.count("open") == 2
    review = report(run, example, "review", AS_OF, "--for", "mentor,mentee")
    assert "| actions | | 32 of 34 done, 2 open (0 overdue) |" in review
    assert status(run, example, AS_OF)["overdue_actions"] == []


def test_the_actions_chart_counts_what_the_summary_counts(example: Path) -> None:
    for end in ("2026-08-31", None):
        period = {"end": end} if end else {}
        report_data = data(example, "progress", AS_OF, **period)
        points, summary = report_data["action_timeline"], report_data["actions"]
        assert all(p["done"] <= p["agreed"] for p in points)
        assert (points[-1]["agreed"], points[-1]["done"]) == (summary["counted"], summary["done"])
        assert points[-1]["date"] == report_data["period"]["as_of"]


# A review's evidence stops at the review's date.


def test_review_evidence_is_what_was_known_on_the_reviews_day(example: Path) -> None:
    review = data(example, "review", AS_OF)
    assert review["review"]["date"] == "2026-08-31"
    evidence = {g["id"]: " ".join(g["evidence"]) for g in review["goals"]}
    assert "Milestone reached 2026-07-16" in evidence["G-002"]
    assert "2026-10-05" not in evidence["G-002"]  # M2 was reached after the review
    assert "2026-10-08" not in evidence["G-003"]


# Staleness counts from the later of a goal's creation and its last progress entry.


def goal(number: int, created: str, progress: str = "") -> str:
    return (
        f"---\ntype: goal\nid: G-00{number}\ncreated: {created}\ntitle: Goal {number}\n"
        "owner: mentee\nstatus: active\nspecific: s\nmeasurable: m\nachievable: a\nrelevant: r\n"
        f"target_date: 2026-12-31\n{progress}---\n"
    )


def test_a_new_goal_is_not_stale(tmp_path: Path, run) -> None:
    root = journal(
        tmp_path,
        {
            "goals/G-001-new.md": goal(1, "2026-05-01"),
            "goals/G-002-old.md": goal(2, "2026-03-02"),
            "goals/G-003-moving.md": goal(
                3, "2026-03-02", "progress:\n  - {id: P1, date: 2026-04-25, note: Started}\n"
            ),
        },
    )
    assert [g["id"] for g in status(run, root, "2026-05-01")["stale_goals"]] == ["G-002"]


# One competency assessment is not a change from itself.


def test_one_competency_assessment_is_not_shown_as_a_change(tmp_path: Path, run) -> None:
    root = journal(
        tmp_path,
        {
            "competencies/2026-03-02-baseline.md": (
                "---\ntype: competency_assessment\nid: C-2026-03-02\ndate: 2026-03-02\n"
                "person: mentee\nassessed_by: [mentor]\npoint: baseline\nscale: {min: 1, max: 5}\n"
                "ratings:\n  - {competency: K1, rating: 2}\n  - {competency: S1, rating: 3}\n---\n"
            )
        },
    )
    text = report(run, root, "progress", "2026-04-01")
    assert "One assessment so far: baseline (2026-03-02).\n" in text
    assert "| K1 Safeguarding procedures | knowledge | 2 |\n" in text
    assert "to baseline" not in text


# After the end: a summary, with nothing overdue or missing.


@pytest.fixture
def ended(example: Path) -> Path:
    """The example journal, its agreement recording that the relationship ended."""
    [path] = (example / "agreement").glob("*.md")
    assert "\nended: 2026-11-30\n" in path.read_text(encoding="utf-8")  # it runs to its end
    return example


def test_status_after_the_end_summarises_instead_of_asking(ended: Path, run) -> None:
    found = status(run, ended, "2027-03-01")
    assert found["ended"]["date"] == "2026-11-30" and found["ended"]["sessions"] == 13
    assert found["overdue_actions"] == [] and found["behind_frequency"] == 0
    assert found["milestones_due"] == [] and found["stale_goals"] == []
    assert found["review"] is None and found["next_session"] is None
    assert [a["ref"] for a in found["left_open"]] == ["S-2026-11-30/A1"]
    assert found["not_reached"] == []  # G-003's last step and G-004 were handed over
    text = run("--journal", str(ended), "status", "--as-of", "2027-03-01").stdout
    assert "The mentoring ended on 2026-11-30 as planned: The agreed six months are over." in text
    assert "Left open at the end: 1 action\n  S-2026-11-30/A1  Write up the final review" in text
    assert "Behind" not in text and "overdue" not in text.lower()


@pytest.mark.parametrize("kind", ["progress", "review", "prep", "actions"])
def test_reports_after_the_end_have_nothing_overdue_or_missing(ended: Path, run, kind: str) -> None:
    text = report(run, ended, kind, "2027-03-01", "--for", "mentor,mentee")
    assert "The mentoring ended on 2026-11-30, as planned: The agreed six months are over." in text
    # mdmentor's own words; the notes quoted may say "missing" in their own sense
    assert "overdue" not in text.lower() and "missing against" not in text
    assert "left open at the end" in text.lower()
    if kind != "prep":
        assert "to 2026-11-30" in text  # the period stops at the end


def test_the_progress_report_after_the_end(ended: Path, run) -> None:
    text = report(run, ended, "progress", "2027-03-01", "--for", "mentor,mentee")
    assert (
        "- Sessions held: 13 from 2026-06-01 to the end on 2026-11-30; the agreed fortnightly "
        "frequency meant 14\n"
    ) in text
    assert "- Actions: 34 of 36 actions done (94%), 1 left open at the end, 1 handed over;" in text
    assert "Milestones: 3 done, 1 handed over to Gillian (line manager)" in text
    assert "(due 2026-10-31, handed over)" in text
    assert "After the mentoring, the mentee can turn to:\n- Gillian, his line manager" in text


def test_how_it_ended_comes_from_the_agreement_where_it_says() -> None:
    meta = {
        "type": "agreement",
        "id": "AG-2026-06-01",
        "date": "2026-06-01",
        "start": "2026-06-01",
        "planned_end": "2026-11-30",
        "ended": "2026-10-01",
        "ending": {"kind": "early", "reason": "Tomasz moved to another home."},
    }
    record = Record(Path("a.md"), RECORD_TYPES["agreement"], meta, "")
    view = JournalView.build(Config(title="t", people=()), [record])
    assert view.ending == {
        "date": "2026-10-01",
        "kind": "early",
        "reason": "Tomasz moved to another home.",
        "support_after": [],
        "handover": [],
        "planned_end": "2026-11-30",
        "planned_sessions": None,
    }
    assert view.ended_by("2026-10-01") and not view.ended_by("2026-09-30")

"""Reports and status: the numbers they state, on the example journal and on small journals."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from mdmentor.records.journal import load_records, open_journal
from mdmentor.reporting.reports import build_report
from mdmentor.reporting.view import JournalView
from mdmentor.resources import example_journal

from .conftest import MINIMAL_CONFIG, accept_terms, agreement, build_file_tree

EXAMPLE = example_journal()
AS_OF = "2026-11-24"
GOLDEN = Path(__file__).parent / "golden"

AGREEMENT = agreement()

GOAL = """\
---
type: goal
id: G-001
created: 2026-03-02
title: Lead the morning handover
owner: mentee
status: active
specific: Lead the handover
measurable: Five handovers
achievable: With support
relevant: Senior carer role
target_date: 2026-06-30
milestones:
  - {id: M1, text: Observe two handovers, due: 2026-03-31, done: 2026-03-20}
  - {id: M2, text: Lead a handover with support, due: 2026-04-30}
  - {id: M3, text: Lead five handovers, due: 2026-05-20}
progress:
  - {id: P1, date: 2026-03-20, by: mentee, note: Observed two handovers}
competencies: [S1]
---
"""


def session(day: str, actions: str, body: str = "Notes.") -> str:
    return (
        f"---\ntype: session\nid: S-{day}\ndate: {day}\nmode: video\nattendees: [mentor, mentee]\n"
        f"goals: [G-001]\ntopics: [Handovers]\nactions:\n{actions}---\n{body}\n"
    )


def action(n: int, due: str, status: str = "open", done: str | None = None) -> str:
    line = f"  - {{id: A{n}, text: Action {n}, owner: mentee, due: {due}, status: {status}"
    return line + (f", done: {done}}}\n" if done else "}\n")


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """Fortnightly from 2 March; three sessions, one six-week gap; five actions, three done;
    its agreement accepted on this machine."""
    root = build_file_tree(
        tmp_path / "small",
        {
            "mdmentor.yaml": MINIMAL_CONFIG,
            "agreement/2026-03-02-agreement.md": AGREEMENT,
            "goals/G-001-handover.md": GOAL,
            "sessions/2026/2026-03-02-first.md": session(
                "2026-03-02",
                action(1, "2026-03-09", "done", "2026-03-08")
                + action(2, "2026-03-13", "done", "2026-03-12"),
            ),
            "sessions/2026/2026-03-16-second.md": session(
                "2026-03-16",
                action(1, "2026-03-30", "done", "2026-04-01") + action(2, "2026-04-10"),
            ),
            "sessions/2026/2026-04-27-third.md": session(
                "2026-04-27",
                action(1, "2026-06-01"),
                body="Notes with <script>document.title='PWNED'</script> and "
                "<img src=x onerror=\"document.title='PWNED'\"> in them.",
            ),
        },
    )
    accept_terms(root)
    return root


def data(
    root: Path, kind: str, today: str, *, readers: tuple[str, ...] = (), **period: str
) -> dict:
    journal = open_journal(root)
    records, _ = load_records(journal)
    view = JournalView.build(journal.config, records)
    return build_report(journal, view, kind, today=today, readers=readers, **period)


def test_small_journal_progress_numbers(small: Path) -> None:
    report = data(small, "progress", "2026-05-11")
    assert report["period"] == {
        "start": "2026-03-02",
        "end": "2026-05-11",
        "today": "2026-05-11",
        "as_of": "2026-05-11",
    }
    cadence = report["cadence"]
    assert (cadence["held"], cadence["expected"], cadence["missing"]) == (3, 6, 3)
    assert cadence["gaps"] == [{"from": "2026-03-16", "to": "2026-04-27", "days": 42}]
    actions = report["actions"]
    assert (actions["agreed"], actions["done"], actions["open"], actions["rate"]) == (5, 3, 2, 60)
    assert [a["ref"] for a in actions["overdue"]] == ["S-2026-03-16/A2"]
    assert actions["overdue"][0]["days_overdue"] == 31
    goal = report["goals"][0]
    assert (goal["milestones_done"], goal["milestones_due"], goal["milestones_overdue"]) == (
        1,
        1,
        1,
    )
    assert [a["what"] for a in report["achievements"]] == [
        "G-001 milestone reached: Observe two handovers"
    ]


def test_small_journal_progress_markdown_says_it(small: Path, run) -> None:
    result = run("report", "progress", "--as-of", "2026-05-11", cwd=small)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert (
        "- Sessions held: 3 of 6 expected (fortnightly); 3 sessions missing against fortnightly"
        in text
    )
    assert "- Actions: 3 of 5 actions done (60%), 2 open, 1 overdue" in text
    assert "| S-2026-03-16/A2 | Action 2 | Ben Sample | 2026-04-10 | 31 |" in text
    assert "- Gap: 42 days without a session, 2026-03-16 to 2026-04-27" in text
    assert "- [ ] M2 Lead a handover with support (due 2026-04-30, **overdue**)" in text


def test_period_options_narrow_the_report(small: Path) -> None:
    report = data(small, "progress", "2026-05-11", start="2026-03-10", end="2026-03-31")
    assert report["cadence"]["held"] == 1
    assert report["actions"]["agreed"] == 2
    # Read as on the period's last day: A1 (due 30 March) was done on 1 April, so on
    # 31 March it was a day overdue; A2 fell due after the period ended.
    assert [(a["ref"], a["days_overdue"]) for a in report["actions"]["overdue"]] == [
        ("S-2026-03-16/A1", 1)
    ]
    assert report["actions"]["done"] == 0


def test_progress_markdown_matches_golden_file(small: Path, run) -> None:
    text = run("report", "progress", "--as-of", "2026-05-11", cwd=small).stdout
    golden = GOLDEN / "small-progress.md"
    if os.environ.get("MDMENTOR_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", ["review", "prep", "actions", "supervision", "evidence"])
def test_other_markdown_reports_match_golden_files(small: Path, run, kind: str) -> None:
    text = run("report", kind, "--as-of", "2026-05-11", cwd=small).stdout
    golden = GOLDEN / f"small-{kind}.md"
    if os.environ.get("MDMENTOR_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_example_progress_numbers(example: Path) -> None:
    report = data(example, "progress", AS_OF, readers=("mentor",))
    assert (report["cadence"]["held"], report["cadence"]["expected"]) == (12, 13)
    assert [g["from"] for g in report["cadence"]["gaps"]] == ["2026-07-27", "2026-10-12"]
    actions = report["actions"]
    assert (actions["done"], actions["counted"], actions["rate"], actions["carried"]) == (
        32,
        34,
        94,
        4,
    )
    assert [a["ref"] for a in actions["overdue"]] == []
    # As the journal read on 24 November: G-002 was achieved on the 25th, G-004 set on the
    # 30th. (G-003's status says no when it changed, so it reads as it is now.)
    assert [(g["id"], g["status"]) for g in report["goals"]] == [
        ("G-001", "achieved"),
        ("G-002", "active"),
        ("G-003", "partly-achieved"),
    ]
    g3 = report["goals"][2]
    assert [m["id"] for m in g3["milestones"] if m["overdue"]] == ["M3"]
    comp = report["competencies"]
    assert (comp["first"]["point"], comp["latest"]["point"], comp["improved"]) == (
        "baseline",
        "mid-way",
        5,
    )
    s1 = next(r for r in comp["rows"] if r["id"] == "S1")
    assert (s1["first"], s1["latest"], s1["change"]) == (2, 4, 2)
    assert report["themes"]["by_mentee"] == 5 and report["themes"]["by_mentor"] == 4
    assert len(report["feedback"]["others"][0]["responses"]) == 4


def test_example_review_prep_supervision_evidence(example: Path) -> None:
    review = data(example, "review", AS_OF)
    assert review["review"]["id"] == "RV-2026-08-31"
    assert review["review"]["support_plan"]["next_review"] == "2026-11-30"
    assert [g["evaluation"].get("outcome") for g in review["goals"]] == [
        "achieved",
        "in-progress",
        "in-progress",
    ]
    assert review["agreement"]["review_dates"] == ["2026-08-31", "2026-11-30"]
    assert review["happened"]["reviews_held"] == ["2026-08-31"]
    prep = data(example, "prep", AS_OF, readers=("mentor", "mentee"))
    assert prep["last_session"]["id"] == "S-2026-11-16"
    assert [a["ref"] for a in prep["open_actions"]] == ["S-2026-11-16/A2", "S-2026-11-16/A3"]
    assert prep["completed_since_date"] == "2026-11-02"
    assert prep["latest_reflection"]["id"] == "R-2026-11-16-mentee"
    supervision = data(example, "supervision", AS_OF)
    assert [e["id"] for e in supervision["entries"]] == [
        "R-2026-07-14-mentor",
        "R-2026-09-15-mentor",
    ]
    # For the mentor and her own supervisor, who may not read the sessions: the entry names
    # its session, and the session's own notes stay out.
    assert [p["id"] for p in supervision["audience"]["people"]] == ["mentor", "mentor-supervisor"]
    assert supervision["entries"][0]["session"] == "S-2026-07-13"
    assert supervision["entries"][0]["session_record"] is None
    for_mentor = data(example, "supervision", AS_OF, readers=("mentor",))
    assert for_mentor["entries"][0]["session_record"]["id"] == "S-2026-07-13"
    evidence = data(example, "evidence", AS_OF, readers=("mentor", "mentee"))
    assert [c["id"] for c in evidence["criteria"]] == ["4.3", "5.2", "6.3"]
    assert evidence["gaps"] == [] and evidence["shown"] == evidence["points"] == 27


def test_status_on_the_example_journal(run) -> None:
    result = run("--journal", str(EXAMPLE), "status", "--as-of", AS_OF, "--format", "json")
    status = json.loads(result.stdout)
    assert status["next_session"] == "2026-11-30"
    assert [a["ref"] for a in status["overdue_actions"]] == []
    assert [(m["goal_id"], m["id"], m["overdue"]) for m in status["milestones_due"]] == [
        ("G-003", "M3", True),
        ("G-003", "M4", False),
        ("G-002", "M3", False),
    ]
    assert status["review"] == {"date": "2026-11-30", "days": 6, "overdue": False}
    assert status["stale_goals"] == []
    text = run("--journal", str(EXAMPLE), "status", "--as-of", AS_OF).stdout
    assert "Next session:  2026-11-30" in text
    assert "Overdue actions: 0\n" in text


def test_status_flags_a_journal_behind_its_frequency(small: Path, run) -> None:
    status = json.loads(
        run("status", "--as-of", "2026-05-25", "--format", "json", cwd=small).stdout
    )
    assert status["days_since_last_session"] == 28
    assert status["behind_frequency"] == 14
    assert status["next_session"] is None
    assert [g["id"] for g in status["stale_goals"]] == ["G-001"]  # last progress 20 March
    assert status["review"] == {"date": "2026-06-01", "days": 7, "overdue": False}
    text = run("status", "--as-of", "2026-05-25", cwd=small).stdout
    assert (
        "Behind:        28 days since the last session; 14 days past the agreed fortnightly" in text
    )


def test_html_report_is_self_contained_and_shows_note_html_as_text(small: Path, run) -> None:
    result = run("report", "prep", "--format", "html", "--as-of", "2026-05-11", cwd=small)
    assert result.exit_code == 0
    assert result.stdout.strip() == "wrote prep.html"
    html = (small / "prep.html").read_text()
    assert "&lt;script&gt;document.title=" in html
    assert "<script" not in html and "<img" not in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html


def test_html_progress_report_has_charts(small: Path, run, tmp_path: Path) -> None:
    out = tmp_path / "out" / "progress.html"
    result = run(
        "report", "progress", "--format", "html", "-o", str(out), "--as-of", "2026-05-11", cwd=small
    )
    assert result.exit_code == 0
    html = out.read_text()
    assert html.count("<svg") == 3  # cadence, actions over time, one goal (no ratings yet)
    assert 'aria-label="Session dates against the agreed frequency"' in html
    assert 'aria-label="Milestones of G-001"' in html
    assert html.index("<h1>") < html.index("<svg") < html.index("<h2>Summary</h2>")


def test_journal_template_override_is_used(small: Path, run) -> None:
    build_file_tree(
        small, {"templates/reports/actions.md": "Our own: {{ report.actions | length }} actions\n"}
    )
    out = run("report", "actions", cwd=small).stdout
    assert out == (
        "<!-- mdmentor report: personal data; keep it out of the journal "
        "repository -->\nOur own: 5 actions\n"
    )


def test_template_errors_name_the_template_and_line(small: Path, run) -> None:
    build_file_tree(
        small, {"templates/reports/actions.md": "line one\n\n{{ report.nothing_here }}\n"}
    )
    result = run("report", "actions", cwd=small)
    assert result.exit_code == 1
    assert "mdmentor: templates/reports/actions.md:3: " in result.stderr
    assert "nothing_here" in result.stderr
    build_file_tree(small, {"templates/reports/actions.md": "{% if %}\n"})
    result = run("report", "actions", cwd=small)
    assert result.exit_code == 1
    assert "mdmentor: templates/reports/actions.md:1: template syntax error" in result.stderr


def test_reports_skip_records_with_errors_and_say_so(small: Path, run) -> None:
    build_file_tree(small, {"sessions/2026/2026-05-04-broken.md": "---\ntype: session\n---\n"})
    text = run("report", "progress", "--as-of", "2026-05-11", cwd=small).stdout
    assert "> 1 record with errors left out; run `mdmentor check`." in text
    assert "Sessions held: 3 of 6" in text


def test_report_refuses_a_backwards_period(small: Path, run) -> None:
    result = run("report", "progress", "--from", "2026-05-01", "--to", "2026-04-01", cwd=small)
    assert result.exit_code == 2
    assert "the period ends (2026-04-01) before it starts (2026-05-01)" in result.stderr

"""The working relationship in the reports: sessions missed or moved, the mentor's feedback,
information shared, evaluations, employment outcomes and what was handed over at the end.
Each from the example journals or a small journal, each only for the readers allowed it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mdmentor.resources import data_dir

from .conftest import GOAL, MINIMAL_CONFIG, SESSION, accept_terms, agreement, build_file_tree

EMPLOYMENT = "employment/2026-04-13-stock-assistant.md"


@pytest.fixture
def employment(tmp_path: Path) -> Path:
    """A copy of the employment-support example, its terms accepted on this machine."""
    root = tmp_path / "employment-support"
    shutil.copytree(data_dir("examples") / "employment-support", root)
    accept_terms(root)
    return root


def report(run, root: Path, kind: str, *options: str) -> str:
    result = run("--journal", str(root), "report", kind, *options)
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def section(text: str, title: str) -> str:
    """The lines under ``### title`` (or ``## title``) up to the next heading."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip("#").strip() == title)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("#")), len(lines))
    return "\n".join(lines[start + 1 : end]).strip()


def job_start(text: str) -> str:
    """The one job start in an employment outcomes section (its adjustments follow it)."""
    (line,) = [line for line in text.splitlines() if line.startswith("- ")]
    return line


def test_employment_outcomes_count_the_13_and_26_week_checks(employment: Path, run) -> None:
    text = section(report(run, employment, "progress"), "Employment outcomes")
    assert text.splitlines()[0] == (
        "1 job start; in work at 13 weeks: 1 of 1 due; at 26 weeks: 1 of 1 due."
    )
    assert job_start(text) == (
        "- 2026-04-13: Stock assistant at Millbrook Garden Centre, 20 hours a week; "
        "13 weeks (2026-07-13): in work; 26 weeks (2026-10-12): in work"
    )
    assert "  - Adjustment: A written task list for each shift, in a fixed place by the stock " in (
        text
    )


def test_a_check_not_yet_due_is_not_counted(employment: Path, run) -> None:
    text = section(
        report(run, employment, "progress", "--as-of", "2026-08-01"), "Employment outcomes"
    )
    assert text.splitlines()[0] == (
        "1 job start; in work at 13 weeks: 1 of 1 due; at 26 weeks: 0 of 0 due."
    )
    assert job_start(text).endswith(
        "13 weeks (2026-07-13): in work; 26 weeks (2026-10-12): not due yet"
    )


def test_someone_out_of_work_at_26_weeks_is_not_counted_as_sustained(employment: Path, run) -> None:
    path = employment / EMPLOYMENT
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("    hours_per_week: 24\n", "").replace(
            "in_work: true\n    evidence: "
            "Confirmed by the manager by phone; Sam showed his September",
            "in_work: false\n"
            "    evidence: Confirmed by the manager by phone; Sam showed his September",
        ),
        encoding="utf-8",
    )
    assert run("--journal", str(employment), "check").exit_code == 0
    out = section(report(run, employment, "progress"), "Employment outcomes")
    assert out.splitlines()[0] == (
        "1 job start; in work at 13 weeks: 1 of 1 due; at 26 weeks: 0 of 1 due."
    )
    assert job_start(out).endswith("26 weeks (2026-10-12): not in work")


def test_missed_sessions_say_who_why_and_when_they_moved_to(example: Path, run) -> None:
    text = section(
        report(run, example, "progress", "--as-of", "2026-11-24"), "Sessions kept, missed or moved"
    )
    assert text.splitlines() == [
        "The mentee agreed the notes of 12 of 12 sessions.",
        "",
        "- 2026-08-10: session cancelled by Tomasz Wilk: Tomasz was on annual leave from 3 to "
        "14 August, booked before the mentoring began.",
        "- 2026-10-26: session rescheduled by Tomasz Wilk, moved to 2026-11-02: CQC arrived at "
        "Larchfield House for an unannounced inspection that morning, and Tomasz was senior on "
        "shift.",
    ]


def test_the_mentors_feedback_is_its_own_section_not_the_mentees(example: Path, run) -> None:
    text = report(run, example, "progress", "--as-of", "2026-11-24")
    mentors = section(text, "The mentor's feedback to the mentee")
    assert mentors.splitlines()[0] == "2026-09-28:"
    assert "- Next step: Use the planner for conversations three to six" in mentors
    assert "2026-09-28" not in section(text, "Feedback")


def test_information_shared_shows_only_to_readers_the_agreement_allows(example: Path, run) -> None:
    title = "Concerns raised and information shared"
    shared = report(run, example, "progress", "--as-of", "2026-11-24")
    assert section(shared, title).startswith("- 2026-10-12 (safeguarding concern")
    assert "The mentee was told on 2026-10-12" in section(shared, title)
    for_assessor = report(run, example, "progress", "--as-of", "2026-11-24", "--for", "assessor")
    assert title not in for_assessor
    assert "Resident E" not in for_assessor
    assert "2 information-sharing records" in for_assessor.split("\n\n")[3]


def test_evaluations_written_after_the_end_are_in_the_review(employment: Path, run) -> None:
    text = section(report(run, employment, "review"), "Evaluations of the mentoring")
    assert "The mentee's evaluation, 2026-10-26:" in text
    assert "The mentor's evaluation, 2026-10-28:" in text
    assert text.count("- Met: Sam travels to and from work on his own.") == 2


REVIEW = """\
---
type: review
id: RV-2026-08-31
date: 2026-08-31
kind: final
attendees: [mentor, mentee]
evaluations:
  - goal: G-001
    outcome: partly-achieved
    evidence: [Led two handovers with support.]
    next: continue
ending:
  date: 2026-08-31
  kind: planned
  reason: The agreed six months are over.
  support_after:
    - Cara, the unit manager, at monthly supervision.
  handover:
    - {goal: G-001, to: supervisor, note: Cara observes the last three handovers.}
    - {action: S-2026-03-09/A2, to: supervisor}
---
"""


@pytest.fixture
def handed_over(tmp_path: Path) -> Path:
    """A journal that ended with goal G-001 and action A2 handed over to the supervisor."""
    root = build_file_tree(
        tmp_path / "journal",
        {
            "mdmentor.yaml": MINIMAL_CONFIG,
            "agreement/2026-03-02-agreement.md": agreement(
                extra="supervisor: supervisor\nended: 2026-08-31\n",
                access="  session: [mentor, mentee, supervisor]\n"
                "  goal: [mentor, mentee, supervisor]\n"
                "  review: [mentor, mentee, supervisor]\n",
                agreed=("mentor", "mentee", "supervisor"),
            ),
            "goals/G-001.md": GOAL,
            "sessions/2026-03-09.md": SESSION.replace("status: open", "status: handed-over"),
            "reviews/2026-08-31-final.md": REVIEW,
        },
    )
    accept_terms(root)
    return root


def test_what_was_handed_over_is_not_counted_as_left_undone(handed_over: Path, run) -> None:
    assert run("--journal", str(handed_over), "check").exit_code == 0
    progress = report(run, handed_over, "progress", "--as-of", "2026-09-01")
    assert "- Actions: 1 of 2 actions done (50%), 0 left open at the end, 1 handed over" in progress
    assert "Milestones: 1 done, 1 handed over to Cara Model." in progress
    assert (
        "Handed over at the end:\n- G-001 to Cara Model: Cara observes the last three "
        "handovers.\n- S-2026-03-09/A2 to Cara Model" in progress
    )
    status = run("--journal", str(handed_over), "status", "--as-of", "2026-09-01").stdout
    assert "Goals at the end: G-001 active, handed over to Cara Model" in status
    assert "Milestones not reached by the end: 0" in status

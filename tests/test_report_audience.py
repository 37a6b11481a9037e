"""Reports written for someone: each holds only what every one of its readers may read, and
says whom it is for and what it left out. Golden reports of the example journal, one per
report and audience, show what each reader gets."""

from __future__ import annotations

import html
import os
from pathlib import Path

import pytest

from mdmentor.records.parsing import parse_document
from mdmentor.resources import example_journal

from .conftest import GOAL, MINIMAL_CONFIG, SESSION, accept_terms, agreement, build_file_tree
from .lab import Lab

AS_OF = "2026-11-24"
GOLDEN = Path(__file__).parent / "golden" / "example"

#: Each audience and the reports written for it in the golden files.
AUDIENCES = {
    "mentor-mentee": ("mentor,mentee", ("progress", "review", "prep", "actions")),
    "mentee": ("mentee", ("progress", "review", "prep", "actions", "supervision")),
    "supervisor": ("supervisor", ("progress", "review", "actions")),
    "assessor": ("assessor", ("progress", "review")),
    "mentor-and-her-supervisor": (None, ("supervision",)),  # supervision's own default
}
CASES = [(audience, kind) for audience, (_, kinds) in AUDIENCES.items() for kind in kinds]


def report(run, root: Path, kind: str, *options: str) -> str:
    result = run("--journal", str(root), "report", kind, "--as-of", AS_OF, *options)
    assert result.exit_code == 0, result.output
    return str(result.stdout)


@pytest.mark.parametrize(("audience", "kind"), CASES)
def test_example_reports_match_golden_files(example: Path, run, audience: str, kind: str) -> None:
    readers = AUDIENCES[audience][0]
    text = report(run, example, kind, *(["--for", readers] if readers else []))
    golden = GOLDEN / f"{kind}-for-{audience}.md"
    if os.environ.get("MDMENTOR_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def log_sentences() -> list[str]:
    """Every sentence of the example mentor's reflective log: its fields and its notes."""
    found: list[str] = []

    def collect(value: object) -> None:
        if isinstance(value, str) and len(value) > 25:
            found.append(" ".join(value.split()))
        elif isinstance(value, list):
            for item in value:
                collect(item)
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)

    for path in (example_journal() / "reflections").rglob("*.md"):
        document = parse_document(path.read_text(encoding="utf-8"))
        if document.meta["kind"] == "reflective-log":
            collect({k: v for k, v in document.meta.items() if k not in ("id", "session")})
            found += [line for line in document.body.splitlines() if len(line) > 40]
    assert len(found) > 30
    return found


@pytest.mark.parametrize(
    ("kind", "readers"),
    [
        *(
            (kind, readers)
            for kind in ("progress", "review", "prep", "actions")
            for readers in [(), ("--for", "mentee"), ("--for", "mentee,supervisor")]
        ),
        ("supervision", ("--for", "mentee")),
        ("supervision", ("--for", "mentor,mentee")),
    ],
)
def test_no_sentence_of_the_mentors_log_reaches_the_mentee(
    example: Path, run, tmp_path: Path, kind: str, readers: tuple[str, ...]
) -> None:
    markdown = " ".join(report(run, example, kind, *readers).split())
    out = tmp_path / "report.html"
    report(run, example, kind, *readers, "--format", "html", "-o", str(out))
    page = " ".join(out.read_text(encoding="utf-8").split())
    for sentence in log_sentences():
        assert sentence not in markdown
        assert html.escape(sentence, quote=False) not in page
        assert html.escape(sentence).replace("&#x27;", "'") not in page


def test_the_top_says_whom_the_report_is_for_and_what_it_left_out(example: Path, run) -> None:
    text = report(run, example, "progress", "--for", "mentee")
    assert (
        "Written for Tomasz Wilk (mentee), from only the records they may read.\n\n"
        "> Left out for privacy, because not everyone this report is for may read them: "
        "4 entries of the mentor's reflective log.\n"
    ) in text
    shared = report(run, example, "progress")
    assert (
        "Written for Helen Ashdown (mentor), Tomasz Wilk (mentee) and Gillian Marchbank "
        "(supervisor), from only the records every one of them may read.\n\n"
        "> Left out for privacy, because not everyone this report is for may read them: "
        "6 reflections, 4 entries of the mentor's reflective log, 2 issues in the relationship, "
        "2 referrals or signposting and 1 needs assessment.\n"
    ) in shared
    assert "Development areas in the mentee's reflections" not in shared
    assert "## Needs assessment" not in shared


def test_records_left_out_for_privacy_errors_and_keys_are_told_apart(example: Path, run) -> None:
    build_file_tree(example, {"sessions/2026/2026-11-20-broken.md": "---\ntype: session\n---\n"})
    text = report(run, example, "progress", "--for", "mentee")
    assert "> Left out for privacy, because not everyone" in text
    assert "> 1 record with errors left out; run `mdmentor check`." in text


def test_without_accepted_terms_restricted_records_stay_out_and_it_says_why(run) -> None:
    text = report(run, example_journal(), "progress", "--for", "mentor,mentee")
    # Sessions are for mentor, mentee and the line manager, not for everyone mdmentor.yaml
    # lists (the mentor's own supervisor and the assessor): without accepted terms, each is
    # its writer's alone, and a report for two people holds none of them.
    assert "13 sessions, 6 reflections, 4 feedback records, 4 goals" in text
    assert "No terms of the agreement have been accepted on this machine" in text
    assert "run `mdmentor accept`" in text


def test_supervision_is_for_the_mentor_and_her_own_supervisor(example: Path, run) -> None:
    text = report(run, example, "supervision")
    assert (
        "Written for Helen Ashdown (mentor) and Priya Natarajan (the mentor's supervisor)"
    ) in text
    assert "2 reflective-log entries flagged for supervision" in text
    assert "Gillian Marchbank (supervisor)" not in text
    for_line_manager = report(run, example, "supervision", "--for", "supervisor")
    assert "0 reflective-log entries flagged for supervision" in for_line_manager
    assert "4 entries of the mentor's reflective log" in for_line_manager


def test_the_needs_assessment_and_the_agreement_reach_those_who_may_read_them(
    example: Path, run
) -> None:
    both = report(run, example, "progress", "--for", "mentor", "--for", "mentee")
    assert "## Needs assessment (NA-2026-06-01, 2026-06-01)" in both
    assert "Adjustments agreed:\n\n- Session notes kept short" in both
    assert "Expected outcomes:\n\n- Tomasz leads shift handovers" in both
    assert "Professional boundaries:\n\n- Helen is not Tomasz's line manager" in both
    review = report(run, example, "review", "--for", "mentor,mentee")
    assert "## Needs assessment" in review
    assert "## Expected outcomes, and what happened" in review
    assert "set side by side here rather than matched" in review
    manager = report(run, example, "review", "--for", "supervisor")
    assert "## Needs assessment" not in manager and "Adjustments agreed" not in manager
    assert "## Expected outcomes, and what happened" in manager


def test_an_assessor_reads_only_what_the_agreement_gives_assessors(example: Path, run) -> None:
    text = report(run, example, "progress", "--for", "assessor")
    assert "Written for Owen Pryce (assessor)" in text
    assert "- Sessions and actions: not counted here, since 13 session records are left" in text
    assert "### G-001 Lead the morning handover clearly and confidently" in text
    assert "## Feedback" in text and "360-degree feedback" not in text


@pytest.mark.parametrize(
    ("readers", "message"),
    [
        ("nobody", "'nobody' is neither a person nor a role in mdmentor.yaml; the people are"),
        ("assessor", "nobody in mdmentor.yaml has the role 'assessor'"),
        (",", "--for names nobody: give a person id or a role"),
    ],
)
def test_for_names_people_or_roles_in_the_journal(
    journal: Path, run, readers: str, message: str
) -> None:
    result = run("--journal", str(journal), "report", "progress", "--for", readers)
    assert result.exit_code == 2
    assert message in result.stderr


def test_for_takes_a_role_as_everyone_with_it(example: Path, run) -> None:
    text = report(run, example, "actions", "--for", "mentee,mentor_supervisor")
    assert "Written for Tomasz Wilk (mentee) and Priya Natarajan (the mentor's supervisor)" in text
    assert "> Left out for privacy, because not everyone this report is for may read them: " in text
    assert "13 sessions and 4 goals" in text


def test_a_goal_its_readers_may_not_read_is_named_by_its_id_alone(tmp_path: Path, run) -> None:
    root = build_file_tree(
        tmp_path / "journal",
        {
            "mdmentor.yaml": MINIMAL_CONFIG,
            "agreement/2026-03-02-agreement.md": agreement(
                access="  needs_assessment: [mentor, mentee]\n  goal: [mentor]\n"
            ),
            "needs/2026-03-02-needs.md": (
                "---\ntype: needs_assessment\nid: NA-2026-03-02\ndate: 2026-03-02\n"
                "mentee: mentee\nstrengths: [Calm]\nneeds: [Confidence]\n"
                "leads_to_goals: [G-001]\n---\n"
            ),
            "goals/G-001-handover.md": GOAL,
        },
    )
    accept_terms(root)
    text = report(run, root, "progress", "--for", "mentor,mentee")
    assert "It led to the goals G-001.\n" in text
    assert "Lead the morning handover" not in text
    assert (
        "Left out for privacy, because not everyone this report is for may read them: 1 goal."
        in text
    )


MENTOR_LOG = (
    "---\ntype: reflection\nid: R-2026-03-09-mentor\ndate: 2026-03-09\nauthor: mentor\n"
    "kind: reflective-log\nsession: S-2026-03-09\n"
    "development_areas: [CANARY-log-area staying out of his reports]\n---\n"
    "CANARY-log-notes about how the session went.\n"
)


def test_what_the_other_clone_pushes_does_not_put_the_log_in_the_mentees_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The mentee pushes, with plain git, an agreement that gives him the mentor's log and a
    journal config that calls him a mentor; the mentor syncs and writes his report."""
    lab = Lab(
        tmp_path,
        monkeypatch,
        {
            "mdmentor.yaml": MINIMAL_CONFIG,
            "agreement/2026-03-02-agreement.md": agreement(
                access="  reflection: [mentor, mentee]\n  reflective_log: [mentor]\n"
            ),
            "goals/G-001-handover.md": GOAL,
            "sessions/2026/2026-03-09-first-session.md": SESSION,
            "reflections/2026/2026-03-09-log.md": MENTOR_LOG,
        },
    )
    lab.ok("mentor", "accept", "--yes")
    lab.ok("mentee", "sync")
    widened = agreement(
        access="  reflection: [mentor, mentee]\n  reflective_log: [mentor, mentee]\n"
    ).replace("access:\n", "access:\n  session: [mentor, mentee]\n", 1)
    lab.write("mentee", "agreement/2026-03-02-agreement.md", widened)
    config = lab.path("mentee", "mdmentor.yaml").read_text(encoding="utf-8")
    lab.write(
        "mentee",
        "mdmentor.yaml",
        config.replace("Ben Sample, role: mentee", "Ben Sample, role: mentor"),
    )
    lab.push_plain("mentee", "widen who reads the log")
    lab.run("mentor", "sync")
    arrived = lab.path("mentor", "mdmentor.yaml").read_text(encoding="utf-8")
    assert "Ben Sample, role: mentor" in arrived
    assert "reflective_log: [mentor, mentee]" in lab.path(
        "mentor", "agreement/2026-03-02-agreement.md"
    ).read_text(encoding="utf-8")
    for readers in ("mentee", "mentor,mentee"):
        for kind in ("progress", "prep", "supervision"):
            text = lab.run(
                "mentor", "report", kind, "--for", readers, "--as-of", "2026-03-20"
            ).output
            assert "CANARY" not in text
    assert "CANARY-log-area" in lab.ok("mentor", "report", "progress", "--for", "mentor").stdout

"""The kinds of record for endings, information sharing, referrals, missed sessions, issues,
evaluations and employment: each is a schema and a template, with its rules and its readers."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdmentor.privacy.policy import Access, Policy, differences
from mdmentor.records.checking import check_journal
from mdmentor.records.facts import facts
from mdmentor.records.journal import read_config

from .conftest import agreement, build_file_tree
from .test_cli import fill_placeholders

AGREED = agreement(access="  session: [mentor, mentee]\n  reflective_log: [mentor]\n")


def problems(root: Path) -> list[tuple[str, str | None, str, str]]:
    """(file, field, severity, message) of every problem check finds."""
    return [(p.path.name, p.field, p.severity, p.message) for p in check_journal(root).problems]


def record(type_name: str, fields: str, body: str = "Notes.") -> str:
    return f"---\ntype: {type_name}\n{fields}---\n{body}\n"


# --- each kind: its template passes check once filled, and its own rule --------------------

NEW = [
    ("information-sharing", []),
    ("information-sharing", ["--kind", "information-shared"]),
    ("referral", []),
    ("referral", ["--kind", "referral"]),
    ("missed", []),
    ("missed", ["--kind", "cancelled"]),
    ("issue", []),
    ("evaluation", ["--by", "mentee"]),
    ("evaluation", ["--by", "mentor"]),
    ("employment", []),
    ("feedback", ["--kind", "mentor-feedback"]),
    ("review", ["--kind", "final"]),
]


@pytest.mark.parametrize("record_type, extra", NEW)
def test_each_new_kind_is_scaffolded_and_passes_check_once_filled(
    journal: Path, run, record_type: str, extra: list[str]
) -> None:
    build_file_tree(journal, {"agreement/2026-03-02-agreement.md": AGREED})
    made = run("new", record_type, "--date", "2026-03-30", "--no-edit", *extra, cwd=journal)
    assert made.exit_code == 0, made.output
    path = journal / made.stdout.strip().splitlines()[-1]
    assert run("check", str(path), cwd=journal).exit_code == 1  # placeholders left
    fill_placeholders(path)
    errors = [p for p in problems(journal) if p[2] == "error"]
    assert errors == []


def test_information_sharing_is_dated_in_order_and_quotes_the_agreements_limit(
    journal: Path,
) -> None:
    shared = record(
        "information_sharing",
        "id: IS-2026-03-10\ndate: 2026-03-10\nkind: safeguarding-concern\nrecorded_by: mentor\n"
        "session: S-2026-03-09\nwhat: A resident's call bell kept out of reach at night.\n"
        "basis: confidentiality-limit\nlimit: Safeguarding concerns are reported to the police.\n"
        "mentee_told: {date: 2026-03-09, how: In the session.}\n"
        "shared_with:\n  - {who: Registered manager, by: mentor, date: 2026-03-09, how: phone}\n",
    )
    build_file_tree(
        journal,
        {"agreement/2026-03-02-agreement.md": AGREED, "information-sharing/a.md": shared},
    )
    assert problems(journal) == [
        (
            "a.md",
            "limit",
            "warning",
            "is not a limit of confidentiality in the agreement AG-2026-03-02; copy its words",
        ),
        (
            "a.md",
            "shared_with[0].date",
            "error",
            "2026-03-09 is before the record's date (2026-03-10)",
        ),
    ]


def test_a_referral_needs_consent_given_before_it_is_made(journal: Path) -> None:
    referral = record(
        "referral",
        "id: RF-2026-03-10\ndate: 2026-03-10\nkind: referral\nby: mentor\nperson: mentee\n"
        "service: Occupational health\nreason: Back pain at work.\n"
        "shared: The mentee's name and the reason.\nconsent: {person: mentee, date: 2026-03-11}\n"
        "follow_up: 2026-03-01\n",
    )
    build_file_tree(journal, {"referrals/a.md": referral})
    assert problems(journal) == [
        (
            "a.md",
            "consent.date",
            "error",
            "consent on 2026-03-11 is after the referral (2026-03-10)",
        ),
        ("a.md", "follow_up", "error", "follow-up 2026-03-01 is before the referral (2026-03-10)"),
    ]


def test_a_missed_session_gives_its_reason_and_was_not_also_held(journal: Path) -> None:
    moved = record(
        "missed_session",
        "id: MS-2026-03-09\ndate: 2026-03-09\nkind: cancelled\nby: mentee\nreason: Annual leave.\n"
        "notice: 2026-03-10\n",
    )
    no_reason = record("missed_session", "id: MS-2026-03-23\ndate: 2026-03-23\nkind: rescheduled\n")
    build_file_tree(journal, {"missed-sessions/a.md": moved, "missed-sessions/b.md": no_reason})
    assert problems(journal) == [
        ("a.md", "date", "warning", "a session was held that day (S-2026-03-09)"),
        ("a.md", "notice", "error", "notice given on 2026-03-10, after the day (2026-03-09)"),
        ("b.md", None, "error", "missing required field 'reason'"),
        ("b.md", None, "error", "missing required field 'rescheduled_to'"),
    ]


def test_an_issue_is_resolved_after_it_came_up_in_sessions_since(journal: Path) -> None:
    issue = record(
        "issue",
        "id: I-2026-03-20\ndate: 2026-03-20\nkind: disagreement\nrecorded_by: mentor\n"
        "parties: [mentor, mentee]\nsessions: [S-2026-03-09]\n"
        "description: We rated a competency differently.\nworked_through: [Talked it through.]\n"
        "outcome: Agreed on 2.\nstatus: resolved\nresolved: 2026-03-19\n",
    )
    build_file_tree(journal, {"issues/a.md": issue})
    assert problems(journal) == [
        ("a.md", "sessions[0]", "error", "S-2026-03-09 is before the issue came up (2026-03-20)"),
        ("a.md", "resolved", "error", "2026-03-19 is before it came up (2026-03-20)"),
    ]


def test_an_evaluation_quotes_the_outcomes_the_agreement_expected(journal: Path) -> None:
    expects = AGREED.replace(
        "review_dates:", "expected_outcomes: [Leads handovers.]\nreview_dates:"
    )
    evaluation = record(
        "evaluation",
        "id: EV-2026-08-31-mentee\ndate: 2026-08-31\nauthor: mentee\nkind: mentee-evaluation\n"
        "expected_outcomes:\n  - {outcome: Leads handovers., met: met}\n"
        "  - {outcome: Runs the home., met: not-met}\n",
    )
    build_file_tree(
        journal,
        {"agreement/2026-03-02-agreement.md": expects, "evaluations/a.md": evaluation},
    )
    assert problems(journal) == [
        (
            "a.md",
            "expected_outcomes[1].outcome",
            "warning",
            "is not a expected outcome in the agreement AG-2026-03-02; copy its words",
        ),
    ]


def test_sustainment_checks_fall_due_whole_weeks_after_the_start(journal: Path) -> None:
    job = record(
        "employment",
        "id: E-2026-04-13\ndate: 2026-04-13\nperson: mentee\nemployer: A garden centre\n"
        "job_title: Stock assistant\nhours_per_week: 20\n"
        "in_work_support:\n  - {id: W1, date: 2026-04-10, with: person, note: Call.}\n"
        "left: {date: 2026-08-01, reason: Moved away.}\n"
        "sustainment:\n"
        "  - {week: 13, due: 2026-07-13, checked: 2026-07-10, in_work: true}\n"
        "  - {week: 26, due: 2026-10-13, checked: 2026-10-12, in_work: true}\n",
    )
    build_file_tree(journal, {"employment/a.md": job})
    assert problems(journal) == [
        (
            "a.md",
            "in_work_support[0].date",
            "error",
            "2026-04-10 is before the job started (2026-04-13)",
        ),
        (
            "a.md",
            "sustainment[0].checked",
            "error",
            "checked on 2026-07-10, before the 13 weeks were up (2026-07-13)",
        ),
        (
            "a.md",
            "sustainment[1].due",
            "error",
            "26 weeks after the start (2026-04-13) is 2026-10-12, not 2026-10-13",
        ),
        (
            "a.md",
            "sustainment[1].in_work",
            "error",
            "in work at 2026-10-12, but the job ended on 2026-08-01",
        ),
    ]


def test_a_replanned_date_keeps_the_old_one_and_says_what_it_is_now(journal: Path) -> None:
    goal = (journal / "goals/G-001-lead-the-morning-handover.md").read_text()
    replanned = goal.replace(
        "competencies: [S1]",
        "replanned:\n"
        "  - {id: R1, date: 2026-04-20, milestone: M2, from: 2026-04-20, to: 2026-05-15,"
        " reason: Annual leave.}\n"
        "  - {id: R2, date: 2026-04-20, from: 2026-05-31, to: 2026-06-30, reason: Sickness.}\n"
        "  - {id: R3, date: 2026-04-21, milestone: M9, from: 2026-04-01, to: 2026-04-02,"
        " reason: Typo.}\n"
        "competencies: [S1]",
    )
    (journal / "goals/G-001-lead-the-morning-handover.md").write_text(replanned)
    assert problems(journal) == [
        (
            "G-001-lead-the-morning-handover.md",
            "replanned[0].to",
            "error",
            "the latest re-plan moves it to 2026-05-15, but M2 is due 2026-04-30",
        ),
        (
            "G-001-lead-the-morning-handover.md",
            "replanned[2].milestone",
            "error",
            "no milestone M9 in this goal",
        ),
    ]


def test_session_notes_are_agreed_after_the_session(journal: Path) -> None:
    session = journal / "sessions/2026/2026-03-09-first-session.md"
    session.write_text(
        session.read_text().replace(
            "next_session:", "agreed_by:\n  - {person: mentee, date: 2026-03-08}\nnext_session:"
        )
    )
    assert problems(journal) == [
        (
            "2026-03-09-first-session.md",
            "agreed_by[0].date",
            "error",
            "notes agreed on 2026-03-08, before the session (2026-03-09)",
        ),
    ]


# --- the ending --------------------------------------------------------------------------

FINAL = record(
    "review",
    "id: RV-2026-08-31\ndate: 2026-08-31\nkind: final\nattendees: [mentor, mentee]\n"
    "evaluations:\n  - {goal: G-001, outcome: partly-achieved, next: hand-over}\n"
    "ending:\n  date: 2026-08-31\n  kind: planned\n  reason: The agreed six months are over.\n"
    "  handover:\n    - {goal: G-001, to: The mentee's line manager, in supervision}\n",
)


def test_the_ending_accounts_for_every_open_action_and_sets_ended(journal: Path) -> None:
    build_file_tree(
        journal,
        {"agreement/2026-03-02-agreement.md": AGREED, "reviews/2026-08-31-final.md": FINAL},
    )
    assert problems(journal) == [
        (
            "2026-08-31-final.md",
            "ending",
            "warning",
            "S-2026-03-09/A2 is still open at the end of the mentoring; mark it done or dropped "
            "in its session, or hand it over",
        ),
        (
            "2026-08-31-final.md",
            "ending.date",
            "warning",
            "the mentoring ends on 2026-08-31, but the agreement AG-2026-03-02 has no ended date; "
            "set ended: 2026-08-31 there (retention counts from it)",
        ),
    ]
    session = journal / "sessions/2026/2026-03-09-first-session.md"
    session.write_text(session.read_text().replace("status: open", "status: handed-over"))
    assert (
        "2026-03-09-first-session.md",
        "actions[1].status",
        "warning",
        "handed over, but no final review's ending.handover says to whom",
    ) in problems(journal)
    (journal / "reviews/2026-08-31-final.md").write_text(
        FINAL.replace(
            "  handover:\n",
            "  handover:\n    - {action: S-2026-03-09/A2, to: The mentee, with their manager}\n",
        )
    )
    (journal / "agreement/2026-03-02-agreement.md").write_text(
        AGREED.replace("planned_end: 2026-08-31", "planned_end: 2026-08-31\nended: 2026-08-31")
    )
    assert problems(journal) == []


def test_only_a_final_review_records_the_ending(journal: Path) -> None:
    build_file_tree(
        journal, {"reviews/2026-08-31-mid.md": FINAL.replace("kind: final", "kind: mid-way")}
    )
    assert (
        "2026-08-31-mid.md",
        "ending",
        "error",
        "only a final review records the ending, not a mid-way one",
    ) in problems(journal)


def test_new_final_review_prefills_the_ending_with_what_is_open(journal: Path, run) -> None:
    build_file_tree(journal, {"agreement/2026-03-02-agreement.md": AGREED})
    made = run("new", "review", "--kind", "final", "--date", "2026-08-24", "--no-edit", cwd=journal)
    assert "1 action still open from earlier sessions:" in made.stderr
    text = (journal / made.stdout.strip()).read_text()
    assert "  - goal: G-001  # Lead the morning handover (active)\n" in text
    assert "    next: hand-over\n" in text
    assert "  # The agreement planned the end for 2026-08-31.\n  date: 2026-08-24\n" in text
    assert "  kind: early\n" in text  # a week before the planned end
    assert "    - action: S-2026-03-09/A2  # Draft a handover checklist (mentee)\n" in text
    assert "    - goal: G-001  # Lead the morning handover\n" in text


# --- models in new -----------------------------------------------------------------------

MODELS = [
    ("session", "grow", "approach", "GROW", ["goal", "reality", "options", "will"]),
    (
        "session",
        "CLEAR",
        "approach",
        "CLEAR",
        ["contracting", "listening", "exploring", "action", "review"],
    ),
    (
        "session",
        "oskar",
        "approach",
        "OSKAR",
        ["outcome", "scaling", "know_how", "affirm_action", "review"],
    ),
    (
        "reflection",
        "gibbs",
        "model",
        "Gibbs",
        ["description", "feelings", "evaluation", "analysis", "conclusion", "action_plan"],
    ),
    (
        "reflection",
        "kolb",
        "model",
        "Kolb",
        [
            "concrete_experience",
            "reflective_observation",
            "abstract_conceptualisation",
            "active_experimentation",
        ],
    ),
    (
        "reflection",
        "johns",
        "model",
        "Johns",
        ["description", "reflection", "influencing_factors", "alternative_strategies", "learning"],
    ),
]


@pytest.mark.parametrize("record_type, option, field, name, stages", MODELS)
def test_new_lays_out_every_stage_of_the_model(
    journal: Path, run, record_type: str, option: str, field: str, name: str, stages: list[str]
) -> None:
    made = run(
        "new",
        record_type,
        "--model",
        option,
        "--by",
        "mentee",
        "--date",
        "2026-03-30",
        "--no-edit",
        cwd=journal,
    )
    assert made.exit_code == 0, made.output
    path = journal / made.stdout.strip().splitlines()[-1]
    text = path.read_text()
    block = text.split(f"\n{field}:\n", 1)[1]
    written = [line.split(":")[0].strip() for line in block.splitlines()[: len(stages) + 1]]
    assert written == ["name", *stages]
    assert f"  name: {name}\n" in text
    assert [s.name for s in facts(record_type).models[name]] == stages
    fill_placeholders(path)
    assert [p for p in problems(journal) if p[2] == "error"] == []


def test_new_refuses_a_model_the_type_does_not_have(journal: Path, run) -> None:
    wrong = run("new", "session", "--model", "gibbs", "--no-edit", cwd=journal)
    assert wrong.exit_code == 2
    assert "'gibbs' is not a model for a session; models: GROW, CLEAR, OSKAR" in wrong.output
    none = run("new", "goal", "--model", "grow", "--no-edit", cwd=journal)
    assert none.exit_code == 2 and "a goal has no model to lay out" in none.output


# --- who reads them ----------------------------------------------------------------------

CONFIG = """\
mdmentor: 1
title: Test
people:
  - {id: mentor, name: Ann Example, role: mentor}
  - {id: mentee, name: Ben Sample, role: mentee}
  - {id: supervisor, name: Cara Model, role: supervisor}
"""


def access_under(tmp_path: Path, access: dict[str, list[str]] | None) -> Access:
    _, config = read_config(build_file_tree(tmp_path / "j", {"mdmentor.yaml": CONFIG}))
    assert config is not None
    people = {p.id: p.role for p in config.people}
    accepted = None if access is None else Policy("AG-1", "2026-03-02", people, access)
    return Access(config, accepted, accepted, [access] if access is not None else [])


def ids(access: Access, type_name: str, meta: dict[str, str]) -> list[str]:
    return [p.id for p in access.readers(type_name, meta)]


SAFEGUARDING = {"recorded_by": "mentor", "kind": "safeguarding-concern"}


def test_information_sharing_is_for_its_author_unless_the_agreement_lists_it(
    tmp_path: Path,
) -> None:
    assert ids(access_under(tmp_path / "a", None), "information_sharing", SAFEGUARDING) == [
        "mentor"
    ]
    unlisted = access_under(tmp_path / "b", {"session": ["mentor", "mentee"]})
    assert ids(unlisted, "information_sharing", SAFEGUARDING) == ["mentor"]
    assert ids(unlisted, "referral", {"by": "mentor"}) == ["mentor", "mentee", "supervisor"]
    listed = access_under(tmp_path / "c", {"information_sharing": ["mentor", "supervisor"]})
    assert ids(listed, "information_sharing", SAFEGUARDING) == ["mentor", "supervisor"]
    assert ids(listed, "information_sharing", {**SAFEGUARDING, "visibility": "private"}) == [
        "mentor"
    ]


def test_a_later_agreement_that_drops_the_row_keeps_it_to_its_author(tmp_path: Path) -> None:
    access = access_under(tmp_path, {"information_sharing": ["mentor", "supervisor"]})
    access.limits.append({"session": ["mentor", "mentee"]})  # a newer agreement, not accepted
    assert ids(access, "information_sharing", SAFEGUARDING) == ["mentor"]


def test_accepting_says_who_reads_a_restricted_kind(tmp_path: Path) -> None:
    people = {"mentor": "mentor", "mentee": "mentee", "supervisor": "supervisor"}
    before = Policy("AG-1", "2026-03-02", people, {"session": ["mentor", "mentee"]})
    after = Policy("AG-2", "2026-04-01", people, {"information_sharing": ["mentor", "supervisor"]})
    assert "who reads information_sharing: its author only -> mentor, supervisor (wider)" in (
        differences(before, after)
    )


def test_a_safeguarding_record_is_encrypted_to_its_author_alone_on_real_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from .lab import Lab, all_git_objects
    from .test_privacy import AGREEMENT, CONFIG

    lab = Lab(
        tmp_path,
        monkeypatch,
        {"mdmentor.yaml": CONFIG, "agreement/2026-03-02-agreement.md": AGREEMENT},
        people=("mentor", "mentee", "supervisor"),
    )
    lab.everyone_has_keys()  # the accepted agreement does not list information_sharing
    secret = "CANARY-resident-E-call-bell"
    editor = tmp_path / "editor.sh"
    editor.write_text(f"#!/bin/sh\nprintf '\\n{secret}\\n' >> \"$1\"\n")
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    made = lab.ok("mentor", "new", "information-sharing", "--date", "2026-03-10")
    assert made.stdout.strip() == "information-sharing/2026-03-10-information-sharing-record.md.age"
    lab.ok("mentor", "sync")
    assert secret.encode() not in all_git_objects(lab.remote)
    assert secret in lab.ok("mentor", "show", "IS-2026-03-10").stdout
    for other in ("mentee", "supervisor"):
        lab.ok(other, "sync")
        assert lab.run(other, "show", "IS-2026-03-10").exit_code == 2

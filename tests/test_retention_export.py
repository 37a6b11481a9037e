"""Retention and disposal (with and without rewriting history), and exports."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from mdmentor.privacy.retention import add_period
from mdmentor.resources import example_journal

from .conftest import agreement
from .gitfixtures import Shared, all_git_objects, git, make_shared

CANARY = "CANARY-retention-9c1e"
SESSION_PATH = "sessions/2026/2026-03-09-first-session.md"

AGREEMENT = agreement(
    extra="ended: 2026-08-31\n",
    access="",
    retention="  keep_for: {years: 6, from: relationship-end}\n"
    "  by_record:\n    session: {months: 6, from: record-date}\n",
)


@pytest.fixture
def shared(tmp_path: Path, journal: Path, run) -> Shared:  # type: ignore[no-untyped-def]
    (journal / "agreement").mkdir()
    (journal / "agreement/2026-03-02-agreement.md").write_text(AGREEMENT)
    session = journal / SESSION_PATH
    session.write_text(session.read_text() + f"\n{CANARY}\n")
    shared = make_shared(tmp_path, journal)
    assert run("accept", "--yes", cwd=shared.mentor).exit_code == 0
    return shared


def test_add_period_clamps_month_ends() -> None:
    assert add_period("2026-08-31", months=18) == "2028-02-29"
    assert add_period("2024-02-29", years=1) == "2025-02-28"
    assert add_period("2026-03-09", years=6) == "2032-03-09"


def test_retention_lists_what_is_due_and_when(shared: Shared, run) -> None:
    result = run("retention", "--as-of", "2026-10-01", cwd=shared.mentor)
    assert result.exit_code == 0
    assert "Due for disposal: 1\n  2026-09-09  S-2026-03-09  " + SESSION_PATH in result.stdout
    assert "(6 months after its date)" in result.stdout
    assert "Due later: 2\n  2032-08-31  AG-2026-03-02" in result.stdout
    assert "Agreed disposal: Deleted from every copy." in result.stdout


def test_dispose_without_rewrite_says_history_still_holds_it(shared: Shared, run) -> None:
    result = run("retention", "--as-of", "2026-10-01", "--dispose", "--yes", cwd=shared.mentor)
    assert result.exit_code == 0, result.output
    assert not (shared.mentor / SESSION_PATH).exists()
    assert git(shared.mentor, "log", "-1", "--format=%B").strip() == (
        f"retention: disposed of 1 record past its retention period (D-{date.today()})"
    )
    assert "this repository's own history: earlier commits still hold the records" in result.stdout
    assert CANARY.encode() in all_git_objects(shared.mentor)  # it never claims more than it did


def test_dispose_with_rewrite_removes_it_from_every_object(shared: Shared, run) -> None:
    result = run(
        "retention",
        "--as-of",
        "2026-10-01",
        "--dispose",
        "--rewrite-history",
        "--yes",
        cwd=shared.mentor,
    )
    assert result.exit_code == 0, result.output
    assert "Removed 1 path from every commit of this repository" in result.stdout
    assert "the server's copy of the history, until you replace it" in result.stdout
    assert CANARY.encode() not in all_git_objects(shared.mentor)
    assert CANARY.encode() in all_git_objects(shared.remote)  # not pushed: nothing claims otherwise
    git(shared.mentor, "remote", "-v")  # the remote is still configured
    git(shared.mentor, "push", "--force", "origin", "main")
    git(shared.remote, "reflog", "expire", "--expire=now", "--all")
    git(shared.remote, "gc", "--quiet", "--prune=now")
    assert CANARY.encode() not in all_git_objects(shared.remote)


def test_dispose_refuses_a_day_in_the_future_and_asks_first(shared: Shared, run) -> None:
    result = run("retention", "--as-of", "2099-01-01", "--dispose", cwd=shared.mentor)
    assert result.exit_code == 2 and "--as-of 2099-01-01 is in the future" in result.stderr
    listed = run("retention", "--as-of", "2099-01-01", cwd=shared.mentor)  # planning is fine
    assert listed.exit_code == 0 and "Due for disposal: 3" in listed.stdout
    result = run("retention", "--dispose", cwd=shared.mentor, input="n\n")
    assert "To remove: 1 record." in result.stdout and "Dispose of them now? [y/N]" in result.stdout
    assert result.exit_code == 1 and (shared.mentor / SESSION_PATH).exists()


def test_retention_applies_only_accepted_terms(shared: Shared, run) -> None:
    agreement_file = shared.mentee / "agreement/2026-03-02-agreement.md"
    agreement_file.write_text(
        agreement_file.read_text().replace(
            "keep_for: {years: 6,", "keep_for: {years: 0, months: 1,"
        )
    )
    git(shared.mentee, "commit", "-qam", "shorter")
    git(shared.mentee, "push", "-q")
    assert run("sync", cwd=shared.mentor).exit_code == 0
    result = run("retention", "--as-of", "2026-10-01", cwd=shared.mentor)
    assert "Due for disposal: 1\n" in result.stdout  # still 6 years for the agreement itself
    assert "Newer terms wait for your acceptance" in result.stdout


def test_rewrite_history_needs_dispose(shared: Shared, run) -> None:
    result = run("retention", "--rewrite-history", cwd=shared.mentor)
    assert result.exit_code == 2 and "--rewrite-history goes with --dispose" in result.stderr


def name_parts(config_text: str) -> list[str]:
    names = re.findall(r"name: (.+)", config_text.split("competencies:")[0])
    emails = re.findall(r"email: (\S+)", config_text)
    parts = {p for n in names for p in n.split() if len(p) > 1} | set(emails)
    parts |= {"Larchfield House", "Oakhill Lodge"}
    return sorted(parts)


def test_anonymised_export_leaves_no_name_or_email(tmp_path: Path, run) -> None:
    out = tmp_path / "portfolio"
    result = run(
        "--journal",
        str(example_journal()),
        "export",
        str(out),
        "--anonymise",
        "--record",
        "AG-2026-06-01",
        "--record",
        "NA-2026-06-01",
        "--record",
        "RV-2026-08-31",
        "--record",
        "S-2026-09-14",
        "--shift-days",
        "7",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("wrote 4 files")
    config = (example_journal() / "mdmentor.yaml").read_text()
    names = name_parts(config)
    assert "Tomasz" in names and "tomasz.wilk@example.org" in names
    for path in out.rglob("*"):
        if path.is_file():
            text = path.read_text() + path.name
            for name in names:
                assert name.lower() not in text.lower(), f"{name} survives in {path}"
    review = (out / "reviews/2026-09-07-mid-way-review.md").read_text()
    assert "id: RV-2026-09-07" in review  # ids shift with the dates, so references still match
    assert "Mentee" in review and "the care home" in review


def test_export_refuses_a_folder_inside_the_journal(journal: Path, run) -> None:
    result = run("export", str(journal / "out"), "--person", "mentee", cwd=journal)
    assert result.exit_code == 2 and "is inside the journal" in result.stderr


def test_person_export_holds_every_record_about_them(journal: Path, tmp_path: Path, run) -> None:
    out = tmp_path / "sar"
    result = run("export", str(out), "--person", "mentee", cwd=journal)
    assert result.exit_code == 0, result.output
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.md"))
    assert files == [
        "goals/G-001-lead-the-morning-handover.md",
        "index.md",
        "sessions/2026/2026-03-09-first-session.md",
    ]
    index = (out / "index.md").read_text()
    assert index.startswith("# Records held about Ben Sample (mentee)")
    assert "email ben@example.org" in index
    assert (
        run("export", str(tmp_path / "none"), "--person", "supervisor", cwd=journal).exit_code == 0
    )
    assert sorted(p.name for p in (tmp_path / "none").rglob("*.md")) == ["index.md"]

"""edit never costs a record: a real editor stand-in (a script as $EDITOR) saves CRLF, a BOM,
bad bytes and YAML slips, is killed with each signal, and races a sync."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import agreement
from .lab import TWO_PEOPLE_CONFIG, Lab, journal_files, set_editor

SESSION_PATH = "sessions/2026/2026-03-09-first-session.md"
LOG_ID = "R-2026-03-09-mentor"


@pytest.fixture
def lab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Lab:
    files = journal_files(agreement(), **{"mdmentor.yaml": TWO_PEOPLE_CONFIG})
    lab = Lab(tmp_path, monkeypatch, files)
    lab.everyone_has_keys()
    set_editor(tmp_path, monkeypatch, 'printf "\\nFirst thoughts.\\n" >> "$1"')
    lab.ok("mentor", "new", "reflection", "--date", "2026-03-09")
    return lab


def drafts(lab: Lab, who: str = "mentor") -> list[Path]:
    folder = lab[who].home / ".run" / "mdmentor" / "drafts"
    return sorted(folder.glob("*")) if folder.exists() else []


def log_text(lab: Lab) -> str:
    return lab.ok("mentor", "show", LOG_ID).stdout


@pytest.mark.parametrize(
    "saving",
    [
        "sed -i 's/$/\\r/' \"$1\"",  # Notepad's CRLF line ends
        'printf \'\\357\\273\\277\' > "$1.b" && cat "$1" >> "$1.b" && mv "$1.b" "$1"',
    ],
    ids=["crlf", "byte-order-mark"],
)
def test_what_windows_editors_save_is_saved(
    lab: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, saving: str
) -> None:
    set_editor(tmp_path, monkeypatch, f'printf "\\nA Windows edit.\\n" >> "$1"\n{saving}')
    result = lab.run("mentor", "edit", LOG_ID)
    assert result.exit_code == 0, result.output
    assert f"{LOG_ID}: saved" in result.stderr
    text = log_text(lab)
    assert "A Windows edit." in text and "First thoughts." in text
    assert drafts(lab) == []


@pytest.mark.parametrize(
    "slip, said",
    [
        ("printf 'caf\\351\\n' >> \"$1\"", "could not be read back (not valid UTF-8 (byte 0xe9)"),
        (
            'sed -i \'s/^  - "<what went well>"/\\t- "<what went well>"/\' "$1"',
            "was not saved: line 10",
        ),
        ("sed -i 's/^id: R-2026-03-09-mentor/id: R-2026-03-10-mentor/' \"$1\"", "its id changed"),
    ],
    ids=["bad-byte", "yaml-tab", "changed-id"],
)
def test_a_draft_that_cannot_be_saved_is_kept_and_reopened(
    lab: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, slip: str, said: str
) -> None:
    record = next(lab.path("mentor", "reflections/2026").glob("*.md.age"))
    before = record.read_bytes()
    set_editor(tmp_path, monkeypatch, f'printf "\\nMy careful words.\\n" >> "$1"\n{slip}')
    result = lab.run("mentor", "edit", LOG_ID)
    assert result.exit_code == 1
    assert said in result.stderr
    kept = drafts(lab)
    assert len(kept) == 2 and str(kept[0]) in result.stderr  # the draft and what it began from
    assert oct(kept[0].stat().st_mode & 0o777) == "0o600"
    assert oct(kept[0].parent.stat().st_mode & 0o777) == "0o700"
    assert record.read_bytes() == before  # the record is as it was: show and edit find it
    assert "My careful words." not in log_text(lab)
    # Reopening gives the same draft back; fixing it saves the careful words.
    fix = (
        'iconv -f latin1 -t utf-8 "$1" > "$1.x" && mv "$1.x" "$1"; '
        'sed -i \'s/^\\t- "<what went well>"/  - "<what went well>"/; '
        's/^id: R-2026-03-10-mentor/id: R-2026-03-09-mentor/\' "$1"'
    )
    set_editor(tmp_path, monkeypatch, f'grep -q "My careful words." "$1" || exit 3\n{fix}')
    again = lab.run("mentor", "edit", LOG_ID)
    assert again.exit_code == 0, again.output
    assert "My careful words." in log_text(lab)
    assert drafts(lab) == []


def test_an_unchanged_save_changes_nothing(
    lab: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lab.ok("mentor", "sync")
    record = next(lab.path("mentor", "reflections/2026").glob("*.md.age"))
    before = record.read_bytes()
    set_editor(tmp_path, monkeypatch, "true")
    result = lab.ok("mentor", "edit", LOG_ID)
    assert f"{LOG_ID}: no change" in result.stderr
    assert record.read_bytes() == before
    assert lab.git("mentor", "status", "--porcelain") == ""


def test_an_edit_that_arrives_while_the_editor_is_open_is_merged(
    lab: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lab.ok("mentor", "sync")
    lab.ok("mentee", "sync")
    session = lab.path("mentee", SESSION_PATH)
    session.write_text(session.read_text().replace("duration_minutes: 60", "duration_minutes: 75"))
    lab.ok("mentee", "sync")
    # While the mentor's editor is open, their sync brings the mentee's edit in.
    sync = f"{sys.executable} -m mdmentor sync >/dev/null"
    set_editor(
        tmp_path,
        monkeypatch,
        f"{sync}\nsed -i 's/^topics: \\[Handover structure\\]/topics: [Rota]/' \"$1\"",
    )
    result = lab.run("mentor", "edit", "S-2026-03-09")
    assert result.exit_code == 0, result.output
    assert "merged with the change that arrived while you edited it" in result.stderr
    text = lab.path("mentor", SESSION_PATH).read_text()
    assert "duration_minutes: 75" in text and "topics: [Rota]" in text


@pytest.mark.parametrize(
    "stop",
    ["kill -TERM 0", "kill -HUP 0", "kill -INT 0", "kill -KILL $$"],
    ids=["sigterm", "sighup", "sigint", "editor-sigkill"],
)
def test_a_stopped_edit_leaves_no_decrypted_text_behind(
    lab: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stop: str
) -> None:
    record = next(lab.path("mentor", "reflections/2026").glob("*.md.age"))
    before = record.read_bytes()
    script = set_editor(tmp_path, monkeypatch, f'printf "\\nHalf a thought.\\n" >> "$1"\n{stop}')
    member = lab["mentor"]
    done = subprocess.run(
        [sys.executable, "-m", "mdmentor", "edit", LOG_ID],
        cwd=member.clone,
        env={**os.environ, **member.env(), "EDITOR": str(script)},
        capture_output=True,
        text=True,
        start_new_session=True,  # "kill 0" reaches mdmentor, the editor and nothing else
        timeout=60,
        check=False,
    )
    assert done.returncode not in (0, -signal.SIGKILL), done
    assert "Traceback" not in done.stderr
    assert drafts(lab) == []
    assert record.read_bytes() == before
    scratch = [p for p in Path("/tmp").glob("mdmentor-edit-*/*") if p.is_file()]
    assert not any("Half a thought." in p.read_text(errors="replace") for p in scratch)

"""The shared repository is untrusted input: one test per attack, in the two-person lab.

The mentee pushes with plain git whatever a distrustful partner might; the mentor runs only
routine commands (sync, report, new, edit, retention). Each test checks that nothing ran,
that no secret reached the remote, that the mentor's log stays theirs alone, and that the
mentor was told.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from .conftest import MINIMAL_CONFIG, agreement, build_file_tree
from .lab import EVERYONE, FLAG_FOR_SUPERVISION, Lab, all_git_objects, journal_files, set_editor

CANARY = "CANARY-log-4b2e-for-the-mentor-only"
SECRET_KEY = b"AGE-SECRET-KEY-"

AGREEMENT = agreement(
    access="  session: [mentor, mentee]\n  goal: [mentor, mentee]\n  reflective_log: [mentor]\n",
    extra="supervisor: supervisor\n",
    agreed=("mentor", "mentee", "supervisor"),
)
LATER = "id: AG-2026-03-02\ndate: 2026-03-02"


@pytest.fixture
def lab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Lab:
    lab = Lab(tmp_path, monkeypatch, journal_files(AGREEMENT), people=EVERYONE)
    lab.everyone_has_keys()
    return lab


def editor_appending(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """An editor stand-in that adds ``text`` to the notes of whatever it opens."""
    set_editor(tmp_path, monkeypatch, f"printf '\\n{text}\\n' >> \"$1\"")


def write_log(lab: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, day: str) -> Path:
    """The mentor writes a reflective log holding the canary, and syncs it."""
    editor_appending(tmp_path, monkeypatch, CANARY)
    made = lab.ok("mentor", "new", "reflection", "--date", day)
    lab.ok("mentor", "sync")
    return lab.path("mentor", made.stdout.strip())


def assert_log_is_the_mentors_alone(lab: Lab, log_id: str) -> None:
    """The mentor reads the log; the mentee, with everything the remote holds, cannot."""
    assert CANARY in lab.ok("mentor", "show", log_id).stdout
    assert CANARY.encode() not in all_git_objects(lab.remote)
    lab.ok("mentee", "sync")
    shown = lab.run("mentee", "show", log_id)
    assert shown.exit_code == 2 and CANARY not in shown.output


# --- 1. code from a template ---------------------------------------------------------------

PAYLOADS = [
    "{{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "{{ joiner.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "{{ lipsum.__globals__['os'].popen('touch MARKER').read() }}",
    "{{ namespace.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "{{ self.__init__.__globals__.__builtins__.__import__('os').popen('touch MARKER') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ report | attr('__class__') | attr('__mro__') }}",
    "{{ '{0.__class__.__mro__}'.format(report) }}",
    "{{ '%s' | format(report.__class__) }}",
    "{{ name.__globals__['__builtins__'] }}",
    "{{ charts.session_cadence.__globals__ }}",
    "{{ report.update({'x': 1}) }}",
    "{% set x = 'a' * 1000000000 %}",
    "{{ range(10) }}",
    "{% include '../../../etc/passwd' %}",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_template_is_data_not_code(journal: Path, run, payload: str) -> None:
    build_file_tree(journal, {"templates/reports/prep.md": f"# Prep\n\n{payload}\n"})
    result = run("report", "prep", "--as-of", "2026-03-20", cwd=journal)
    assert result.exit_code == 1, result.output
    assert not (journal / "MARKER").exists()
    line = result.stderr.strip()
    assert line.startswith("mdmentor: templates/reports/prep.md:3: ") or line.startswith(
        "mdmentor: no template"
    ), line
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("template", "why"),
    [
        (
            "{% for a in 'x' * 90000 %}{% for b in 'y' * 90000 %}{% endfor %}{% endfor %}",
            "still not done after 1 seconds, so it was stopped (a template that loops too long)",
        ),
        (
            "{% macro down(n) %}{{ down(n + 1) }}{% endmacro %}{{ down(0) }}",
            "stopped: the template calls itself too deeply",
        ),
    ],
    ids=["loops-for-ever", "calls-itself"],
)
def test_a_template_that_never_ends_is_stopped_and_named(
    journal: Path, run, monkeypatch: pytest.MonkeyPatch, template: str, why: str
) -> None:
    from mdmentor import templating

    monkeypatch.setattr(templating, "MAX_RENDER_SECONDS", 1)
    build_file_tree(journal, {"templates/reports/prep.md": f"# Prep\n\n{template}\n"})
    result = run("report", "prep", "--as-of", "2026-03-20", cwd=journal)
    assert result.exit_code == 1, result.output
    assert result.stderr.strip() == (
        f"mdmentor: templates/reports/prep.md:3: {why}. templates/reports/prep.md is the "
        "journal's own template: delete it to use mdmentor's own"
    )


def test_a_pushed_template_runs_nothing_on_the_other_machine(
    lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = lab.tmp / "MARKER"
    payload = f"{{{{ cycler.__init__.__globals__.os.popen('touch {marker}').read() }}}}\n"
    lab.write("mentee", "templates/records/session.md", payload)
    lab.write("mentee", "templates/reports/prep.md", payload)
    lab.push_plain("mentee", "nicer templates")
    lab.ok("mentor", "sync")
    made = lab.run("mentor", "new", "session", "--no-edit")
    assert made.exit_code == 1
    assert made.stderr.startswith("mdmentor: templates/records/session.md:1: ")
    assert "refused: access to attribute '__init__'" in made.stderr
    report = lab.run("mentor", "report", "prep")
    assert report.exit_code == 1 and "templates/reports/prep.md:1: " in report.stderr
    assert not marker.exists()


# --- 2. a symbolic link carrying the key out -----------------------------------------------


@pytest.mark.parametrize(
    "target", ["identity.txt", "identity-record-keys/index.json", "identity-record-keys"]
)
def test_a_symbolic_link_never_carries_a_private_file_out(
    lab: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    write_log(lab, tmp_path, monkeypatch, "2026-03-09")
    victim_file = lab["mentor"].config_dir / target
    assert victim_file.exists()
    attributes = lab.path("mentee", ".gitattributes")
    attributes.unlink()
    attributes.symlink_to(victim_file)
    lab.push_plain("mentee", "tidy attributes")
    before = lab.git("mentor", "rev-parse", "HEAD")
    result = lab.run("mentor", "sync")
    assert result.exit_code == 1
    assert "the shared copy holds a symbolic link (.gitattributes)" in result.stderr
    assert lab.git("mentor", "rev-parse", "HEAD") == before  # nothing was brought in
    assert not lab.path("mentor", ".gitattributes").is_symlink()
    # Even pulled in with plain git, the link is refused, never read or committed.
    lab.git("mentor", "pull", "-q", "--no-rebase", "--no-edit")
    assert lab.path("mentor", ".gitattributes").is_symlink()
    result = lab.run("mentor", "sync")
    assert result.exit_code == 1
    assert "not synced: .gitattributes is a symbolic link" in result.stderr
    assert SECRET_KEY not in all_git_objects(lab.remote)
    assert b'"' not in all_git_objects(lab.remote).split(b"identity-record-keys")[0][-1:]
    check = lab.run("mentor", "check")
    assert "Traceback" not in check.output


def test_a_broken_config_pushed_is_not_brought_in_so_its_repair_still_can_be(lab: Lab) -> None:
    config = lab.path("mentee", "mdmentor.yaml")
    good = config.read_text(encoding="utf-8")
    config.write_text(good + "extra: " + "[" * 1000 + "]" * 1000 + "\n", encoding="utf-8")
    lab.push_plain("mentee", "tidy the config")
    before = lab.git("mentor", "rev-parse", "HEAD")
    result = lab.run("mentor", "sync")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "mdmentor: not synced: the shared copy's mdmentor.yaml cannot be used (line "
    )
    assert "ask whoever changed it to fix it, then sync again" in result.stderr
    assert lab.git("mentor", "rev-parse", "HEAD") == before  # nothing was brought in
    assert lab.run("mentor", "check").exit_code == 0  # the mentor's journal still works
    config.write_text(good, encoding="utf-8")  # the mentee puts it right
    lab.push_plain("mentee", "put the config back")
    assert lab.run("mentor", "sync").exit_code == 0


def test_a_record_that_is_a_link_is_reported_not_read(lab: Lab) -> None:
    link = lab.path("mentor", "sessions/2026/2026-03-23-zero.md")
    link.symlink_to("/dev/zero")
    result = lab.run("mentor", "check")
    assert result.exit_code == 1
    assert (
        "sessions/2026/2026-03-23-zero.md: is a symbolic link; mdmentor reads only real files"
        in result.stdout
    )
    assert "4 records checked" in result.stdout  # the others are still checked
    for command in (["list"], ["status"], ["report", "progress"]):
        done = lab.run("mentor", *command)
        assert "Traceback" not in done.output and done.exit_code in (0, 1), done.output
    assert lab.run("mentor", "sync").exit_code == 1


# --- 3. access fails closed ----------------------------------------------------------------


def agreement_from_mentee(access: str, agreed: tuple[str, ...], extra: str = "") -> str:
    text = agreement(access=access, agreed=agreed, extra=extra)
    return text.replace(LATER, "id: AG-2026-04-01\ndate: 2026-04-01")


def test_an_agreement_written_by_one_person_widens_nothing(
    lab: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    widened = "  session: [mentor, mentee]\n  reflective_log: [mentor, mentee]\n"
    lab.write(
        "mentee",
        "agreement/2026-04-01-agreement.md",
        agreement_from_mentee(widened, agreed=("mentee",)),
    )
    lab.push_plain("mentee", "updated agreement")
    log = write_log(lab, tmp_path, monkeypatch, "2026-04-02")
    assert log.name.endswith(".md.age")
    assert_log_is_the_mentors_alone(lab, "R-2026-04-02-mentor")


def test_a_log_stays_its_authors_even_under_an_agreement_everyone_seems_to_sign(
    lab: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    widened = "  goal: [mentor, mentee]\n  reflective_log: [mentor, mentee]\n"
    lab.write(
        "mentee",
        "agreement/2026-04-01-agreement.md",
        agreement_from_mentee(widened, agreed=("mentor", "mentee")),
    )
    lab.push_plain("mentee", "updated agreement")
    synced = lab.ok("mentor", "sync")
    assert "waiting for you: new terms in AG-2026-04-01 wait for your acceptance" in synced.stdout
    assert (
        "who reads session: mentee, mentor -> mentee, mentor, supervisor (wider)" in synced.stdout
    )
    before = lab.run("mentor", "new", "session", "--date", "2026-04-06", "--no-edit")
    assert before.stdout.strip().endswith(".md.age")  # not yet for the supervisor
    lab.ok("mentor", "accept", "--yes")
    write_log(lab, tmp_path, monkeypatch, "2026-04-02")
    assert_log_is_the_mentors_alone(lab, "R-2026-04-02-mentor")


def test_an_invalid_agreement_never_means_plain_text(
    lab: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = agreement_from_mentee("  session: [mentor, mentee]\n", agreed=("mentor", "mentee"))
    lab.write(
        "mentee",
        "agreement/2026-04-01-agreement.md",
        broken.replace("mentor: mentor\n", "mentor: mentor\nsurprise: yes\n"),
    )
    lab.push_plain("mentee", "agreement with a typo")
    log = write_log(lab, tmp_path, monkeypatch, "2026-04-02")
    assert log.name.endswith(".md.age")
    assert_log_is_the_mentors_alone(lab, "R-2026-04-02-mentor")


def test_with_no_policy_accepted_a_restricted_record_is_for_its_author(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        "mdmentor.yaml": MINIMAL_CONFIG,
        "agreement/2026-03-02-agreement.md": agreement(
            extra="supervisor: supervisor\n", agreed=("mentor", "mentee", "supervisor")
        ),
    }
    lab = Lab(tmp_path, monkeypatch, files, people=EVERYONE)
    for who in lab.people:
        lab.ok(who, "sync")
        lab.ok(who, "keys", "init", "--as", who)
        lab.ok(who, "sync")
    lab.ok("mentor", "sync")
    for other in ("mentee", "supervisor"):
        lab.ok("mentor", "keys", "accept", other, "--yes")
    # The agreement keeps sessions from the supervisor, but the mentor has not accepted it.
    made = lab.ok("mentor", "new", "session", "--date", "2026-03-23", "--no-edit")
    lab.ok("mentor", "sync")
    lab.ok("mentee", "sync")
    assert lab.run("mentee", "show", "S-2026-03-23").exit_code == 2  # the mentor's alone
    assert made.stdout.strip().endswith(".md.age")
    check = lab.run("mentor", "check").stdout
    assert "not yet accepted on this machine; read and accept them with 'mdmentor accept'" in (
        check
    )


# --- 4. keys are not taken on trust --------------------------------------------------------


def listed_key(lab: Lab, who: str) -> str:
    return lab.ok(who, "keys", "show").stdout.strip()


def test_a_swapped_key_is_not_used(
    lab: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mentor_key, mentee_key = listed_key(lab, "mentor"), listed_key(lab, "mentee")
    config = lab.path("mentee", "mdmentor.yaml")
    config.write_text(config.read_text().replace(mentor_key, mentee_key))
    lab.push_plain("mentee", "fix keys")
    synced = lab.ok("mentor", "sync")
    assert "waiting for you: mentor's keys changed in mdmentor.yaml" in synced.stdout
    refused = lab.run("mentor", "new", "session", "--no-edit")  # for mentor and mentee
    assert refused.exit_code == 2
    assert "not encrypted: the key " in refused.stderr
    assert "is listed under mentor and mentee" in refused.stderr
    assert len(list(lab.path("mentor", "sessions").rglob("*.md*"))) == 1  # nothing written
    check = lab.run("mentor", "check")
    assert check.exit_code == 1 and "is listed under mentor and mentee" in check.stdout
    # The mentor's own log does not depend on the listed key: still the mentor's alone.
    write_log(lab, tmp_path, monkeypatch, "2026-04-02")
    assert_log_is_the_mentors_alone(lab, "R-2026-04-02-mentor")


def test_a_key_added_under_someone_else_waits_for_acceptance(lab: Lab) -> None:
    mentee_key = listed_key(lab, "mentee")
    config = lab.path("mentee", "mdmentor.yaml")
    config.write_text(
        config.read_text().replace(
            "  - {id: mentee, name: Ben Sample",
            "  - {id: helper, name: Dee Extra, role: supervisor, keys: ["
            + mentee_key
            + "]}\n  - {id: mentee, name: Ben Sample",
        )
    )
    lab.push_plain("mentee", "add a helper")
    synced = lab.ok("mentor", "sync")
    assert "helper's keys changed in mdmentor.yaml" in synced.stdout
    refused = lab.run("mentor", "keys", "accept", "helper", "--yes")
    assert refused.exit_code == 2 and "is listed under helper and mentee" in refused.stderr


def test_a_new_key_is_used_only_after_its_fingerprint_is_accepted(lab: Lab, tmp_path: Path) -> None:
    other = tmp_path / "other-identity.txt"
    with lab.as_person("mentee"):
        os.environ["MDMENTOR_IDENTITY"] = str(other)
        try:
            lab.ok("mentee", "keys", "init")  # a second key for the mentee: a new laptop
        finally:
            del os.environ["MDMENTOR_IDENTITY"]
    lab.ok("mentee", "sync")
    synced = lab.ok("mentor", "sync")
    assert "mentee's keys changed in mdmentor.yaml (added " in synced.stdout
    refused = lab.run("mentor", "new", "goal", "--no-edit")
    assert refused.exit_code == 2 and "run 'mdmentor keys accept mentee'" in refused.stderr
    shown = lab.run("mentor", "keys", "accept", "mentee", input="y\n")
    assert shown.exit_code == 0 and "new key for mentee: " in shown.stdout
    made = lab.ok("mentor", "new", "goal", "--no-edit")
    assert made.stdout.strip() == "goals/G-002-goal.md.age"


# --- 5. retention is not cut from outside --------------------------------------------------


def test_shorter_retention_pushed_by_the_other_person_destroys_nothing(
    lab: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = write_log(lab, tmp_path, monkeypatch, "2026-03-09")
    keys = sorted((lab["mentor"].config_dir / "identity-record-keys").glob("*.key"))
    assert len(keys) == 1
    path = lab.path("mentee", "agreement/2026-03-02-agreement.md")
    path.write_text(
        path.read_text().replace(
            "retention:\n",
            "retention:\n  by_record:\n    reflective_log: {months: 1, from: record-date}\n",
        )
    )
    lab.push_plain("mentee", "tidy retention")
    lab.ok("mentor", "sync")
    result = lab.ok("mentor", "retention", "--dispose", "--yes")
    assert "Nothing is due: nothing disposed of." in result.stdout
    assert "Newer terms wait for your acceptance" in result.stdout
    assert log.exists() and keys[0].exists()


# --- 6. a title never leaks ----------------------------------------------------------------


def test_a_private_title_goes_into_no_file_name_and_no_commit(lab: Lab) -> None:
    made = lab.ok("mentor", "new", "reflection", "--title", "Alcohol relapse worries", "--no-edit")
    assert made.stdout.strip().endswith("-reflective-log.md.age")
    lab.ok("mentor", "sync")
    names = lab.git("mentor", "log", "--all", "--name-only", "--format=%B")
    assert "alcohol" not in names.lower() and "relapse" not in names.lower()
    assert b"relapse" not in all_git_objects(lab.remote).lower()


# --- 7. hostile shapes ---------------------------------------------------------------------


def test_deep_nesting_is_one_line_naming_the_file_for_every_command(lab: Lab) -> None:
    deep = "---\ntype: session\nid: S-2026-03-23\ndate: 2026-03-23\ntopics: "
    lab.write(
        "mentee", "sessions/2026/2026-03-23-deep.md", deep + "[" * 1000 + "]" * 1000 + "\n---\n"
    )
    lab.write(
        "mentee",
        "sessions/2026/2026-03-24-deeper.md",
        deep.replace("23", "24") + "\n" + "- " * 1000 + "x\n---\n",
    )
    lab.push_plain("mentee", "deep")
    synced = lab.run("mentor", "sync")
    assert synced.exit_code == 0, synced.output
    for command in (["check"], ["list"], ["status"], ["report", "progress"], ["sync"]):
        done = lab.run("mentor", *command)
        assert "Traceback" not in done.output and "internal error" not in done.output, done.output
        assert "RecursionError" not in done.output
    check = lab.run("mentor", "check")
    assert check.exit_code == 1
    assert "sessions/2026/2026-03-23-deep.md:5:" in check.stdout
    assert (
        "sessions/2026/2026-03-24-deeper.md:6: lists and fields nest more than 32" in check.stdout
    )
    assert "5 records checked" in check.stdout


def test_a_fifo_is_not_read(journal: Path, run) -> None:
    os.mkfifo(journal / "sessions/2026/2026-03-30-pipe.md")
    result = run("check", cwd=journal)
    assert result.exit_code == 1
    assert "2026-03-30-pipe.md: is not a regular file" in result.stdout


def test_an_unreadable_folder_is_reported_not_skipped(journal: Path) -> None:
    work = Path(tempfile.mkdtemp())
    try:
        os.chmod(work, 0o755)
        copy = work / "journal"
        shutil.copytree(journal, copy)
        for path in (copy, *copy.rglob("*")):
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        blocked = copy / "sessions/2026"
        os.chmod(blocked, 0o000)
        command = [sys.executable, "-m", "mdmentor", "--journal", str(copy), "check"]
        if os.geteuid() == 0:  # root reads everything: check as nobody, as a user would be
            if shutil.which("setpriv") is None:
                pytest.skip("running as root without setpriv to drop to another user")
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        env = {**os.environ, "HOME": str(work), "XDG_CONFIG_HOME": str(work / ".config")}
        env["XDG_STATE_HOME"] = str(work / ".state")
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        if "Permission denied" in done.stderr and "python" in done.stderr.lower():
            pytest.skip(f"the other user cannot run this Python: {done.stderr.strip()}")
        assert done.returncode == 1, done.stdout + done.stderr
        assert (
            "sessions/2026: folder cannot be read: permission denied, so its records were "
            "not checked"
        ) in done.stdout
        assert "Traceback" not in done.stderr
    finally:
        os.chmod(work / "journal/sessions/2026", 0o755)
        shutil.rmtree(work, ignore_errors=True)


def test_an_encrypted_record_turns_plain_only_when_its_user_says_so(
    lab: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lab.ok("mentor", "new", "goal", "--date", "2026-03-10", "--no-edit")
    wider = agreement(
        access="  reflective_log: [mentor]\n",
        extra="supervisor: supervisor\n",
        agreed=("mentor", "mentee", "supervisor"),
    ).replace(LATER, "id: AG-2026-04-01\ndate: 2026-04-01")
    lab.write("mentor", "agreement/2026-04-01-agreement.md", wider)
    lab.ok("mentor", "accept", "--yes")  # now everyone may read goals
    editor_appending(tmp_path, monkeypatch, "More notes.")
    lab.ok("mentor", "edit", "G-002")
    assert lab.path("mentor", "goals/G-002-goal.md.age").exists()  # still encrypted
    refused = lab.run("mentor", "decrypt", "G-002", input="n\n")
    assert refused.exit_code == 1 and lab.path("mentor", "goals/G-002-goal.md.age").exists()
    done = lab.ok("mentor", "decrypt", "G-002", "--yes")
    assert done.stdout.strip() == "G-002 is plain text now: goals/G-002-goal.md"
    assert "More notes." in lab.path("mentor", "goals/G-002-goal.md").read_text()
    assert not lab.path("mentor", "goals/G-002-goal.md.age").exists()
    log = write_log(lab, tmp_path, monkeypatch, "2026-04-02")
    kept = lab.run("mentor", "decrypt", "R-2026-04-02-mentor", "--yes")
    assert kept.exit_code == 2 and "stays encrypted: only mentor may read it" in kept.stderr
    assert log.exists()


def test_a_log_entry_flagged_for_supervision_is_for_the_mentors_own_supervisor_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyrage

    coach_key = str(pyrage.x25519.Identity.generate().to_public())
    config = MINIMAL_CONFIG.replace(
        "  - {id: supervisor, name: Cara Model, role: supervisor}",
        "  - {id: supervisor, name: Cara Model, role: supervisor}\n"
        f"  - {{id: coach, name: Dee Extra, role: mentor_supervisor, keys: [{coach_key}]}}",
    )
    files = {"mdmentor.yaml": config, "agreement/2026-03-02-agreement.md": AGREEMENT}
    lab = Lab(tmp_path, monkeypatch, files, people=EVERYONE)
    lab.everyone_has_keys()
    editor_appending(tmp_path, monkeypatch, CANARY)
    log = lab.path(
        "mentor", lab.ok("mentor", "new", "reflection", "--date", "2026-03-09").stdout.strip()
    )
    keys_file = log.with_name(f".{log.name}.keys")
    assert keys_file.read_text().splitlines()[-1] == "own-key"  # the mentor's alone
    set_editor(tmp_path, monkeypatch, FLAG_FOR_SUPERVISION)
    lab.ok("mentor", "edit", "R-2026-03-09-mentor")
    mentor_key = lab.ok("mentor", "keys", "show").stdout.strip()
    listed = [line for line in keys_file.read_text().splitlines() if not line.startswith("#")]
    assert listed == [mentor_key, coach_key]  # the author, and the mentor's own supervisor
    # A person who only claims the role in mdmentor.yaml is not given the entry.
    claimed = lab.path("mentee", "mdmentor.yaml")
    claimed.write_text(claimed.read_text().replace("role: mentee,", "role: mentor_supervisor,"))
    lab.push_plain("mentee", "role")
    lab.ok("mentor", "sync")
    editor_appending(tmp_path, monkeypatch, "More.")
    lab.ok("mentor", "edit", "R-2026-03-09-mentor")
    listed = [line for line in keys_file.read_text().splitlines() if not line.startswith("#")]
    assert listed == [mentor_key, coach_key]
    lab.ok("mentor", "sync")
    lab.ok("mentee", "sync")
    assert lab.run("mentee", "show", "R-2026-03-09-mentor").exit_code == 2

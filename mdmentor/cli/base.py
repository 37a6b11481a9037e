"""The command line's shared parts: the group, its error handling, and helpers.

Click only: commands parse options, call the core and print what it returns.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date as Date
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from mdmentor import __version__
from mdmentor.errors import MdmentorError
from mdmentor.wording import plural as plural  # the command modules use it from here

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Failure(click.ClickException):
    """An MdmentorError on its way to the terminal, with its exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click declares it on the class

    def show(self, file: Any = None) -> None:
        click.echo(f"mdmentor: {self.format_message()}", err=True)


class Group(click.Group):
    """Turns library errors into one-line messages instead of tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MdmentorError as err:
            raise Failure(str(err), err.exit_code) from err
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("\nmdmentor: stopped; run the same command again to finish", err=True)
            ctx.exit(130)
        except BrokenPipeError:  # output piped into a program that stopped reading (| head)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(1)
        except Exception as err:  # last resort: never show a traceback to a user
            if os.environ.get("MDMENTOR_DEBUG"):
                raise
            raise Failure(
                f"internal error: {err!r} (set MDMENTOR_DEBUG=1 to see details; please report it)",
                3,
            ) from err


class IsoDate(click.ParamType):  # type: ignore[type-arg]
    """A date written YYYY-MM-DD."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Date:
        if isinstance(value, Date):
            return value
        try:
            return Date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date written YYYY-MM-DD", param, ctx)


ISO_DATE = IsoDate()


def journal_root(ctx: click.Context, start: Path | None = None) -> Path:
    from mdmentor.records.journal import resolve_root

    explicit: Path | None = ctx.obj.get("journal") if ctx.obj else None
    return resolve_root(explicit, start)


def journal_of(ctx: click.Context) -> Any:
    from mdmentor.records.journal import open_journal

    return open_journal(journal_root(ctx))


def record_of(ctx: click.Context, record_id: str) -> tuple[Any, list[Any], Any]:
    """The journal, all its records, and the one with ``record_id``."""
    from mdmentor.records.journal import load_records, unreadable_files
    from mdmentor.records.listing import find

    journal = journal_of(ctx)
    records, problems = load_records(journal)
    unreadable = len(unreadable_files(records, problems))
    return journal, records, find(records, record_id, unreadable=unreadable)


#: Journals smaller than this load too quickly for a progress bar to help.
PROGRESS_THRESHOLD = 500


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress callback drawing a bar on a terminal; None when output is piped."""
    if not sys.stderr.isatty():
        yield None
        return
    bars: list[Any] = []

    def update(done: int, total: int) -> None:
        if total < PROGRESS_THRESHOLD:
            return
        if not bars:
            bars.append(click.progressbar(length=total, label=label, file=sys.stderr))
            bars[0].__enter__()
        bars[0].update(done - bars[0].pos)

    try:
        yield update
    finally:
        if bars:
            bars[0].__exit__(None, None, None)


def view_of(journal: Any) -> Any:
    """The journal's valid records as a report view, with a progress bar on a terminal."""
    from mdmentor.records.journal import load_records, unreadable_files
    from mdmentor.reporting.view import JournalView

    with progress_bar("Reading records") as progress:
        records, problems = load_records(journal, progress=progress)
    unreadable = len(unreadable_files(records, problems))
    return JournalView.build(journal.config, records, unreadable=unreadable)


@click.group(cls=Group, context_settings=CONTEXT)
@click.version_option(__version__, prog_name="mdmentor")
@click.option(
    "--journal",
    "-j",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="MDMENTOR_JOURNAL",
    help="The journal folder (default: found from the current folder upwards; "
    "or set MDMENTOR_JOURNAL).",
)
@click.pass_context
def cli(ctx: click.Context, journal: Path | None) -> None:
    """Mentoring records kept as Markdown files with YAML front matter.

    A journal is a folder with mdmentor.yaml at its root and one folder per
    record type. Edit records in any text editor; run 'mdmentor check' before
    you share them.

    Exit codes: 0 all well, 1 problems found or the command failed, 2 usage error;
    sync also uses 3 (unsafe repository state) and 4 (remote not reachable).
    """
    ctx.ensure_object(dict)
    ctx.obj["journal"] = journal


PERSON_ENV = "MDMENTOR_PERSON"
F = TypeVar("F", bound=Callable[..., Any])


def person_option(*declarations: str, help: str) -> Callable[[F], F]:
    """An option that names a person by their id in mdmentor.yaml; when it is not given,
    MDMENTOR_PERSON gives it."""
    return click.option(*declarations, envvar=PERSON_ENV, help=help)


def whoami(journal: Any, person_id: str | None) -> Any:
    """The person using this clone: --as / MDMENTOR_PERSON, else the one whose key this
    user holds, else the one whose email git is using."""
    from mdmentor.privacy import crypto
    from mdmentor.privacy.trust import local_person
    from mdmentor.sharing.gitrepo import git_email

    return local_person(
        journal.config,
        explicit=person_id,
        my_key=crypto.public_key(),
        email=git_email(journal.root),
    )


def sealer_of(journal: Any, records: list[Any], person_id: str | None = None) -> Any:
    """What writes records encrypted or plain, for the person using this clone."""
    from mdmentor.privacy.sealing import Sealer

    return Sealer.open(journal, records, whoami(journal, person_id or os.environ.get(PERSON_ENV)))


EDITOR_HINT = (
    "set the EDITOR environment variable to your editor's command (for example nano, or "
    "notepad on Windows), or open the file in your editor yourself"
)


def choose_editor() -> tuple[str | None, bool]:
    """The editor to open, and whether the person chose it (VISUAL or EDITOR); else a
    friendly one that is installed: notepad on Windows, nano elsewhere (never vi)."""
    import shutil

    for name in ("VISUAL", "EDITOR"):
        if os.environ.get(name):
            return os.environ[name], True
    if sys.platform.startswith("win"):
        return "notepad", False
    return ("nano" if shutil.which("nano") else None), False


def why_no_editor() -> str | None:
    """Why no editor can be opened here (none found; no terminal for a terminal editor)."""
    editor, chosen = choose_editor()
    if editor is None:
        return f"no editor found: {EDITOR_HINT}"
    if not chosen and not sys.platform.startswith("win"):
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            return f"no terminal to open {editor} in: {EDITOR_HINT}"
    return None


def open_editor(path: Path) -> None:
    """Open ``path`` in the person's editor and wait for it to close."""
    reason = why_no_editor()
    if reason is not None:
        raise Failure(f"{reason} ({path})", 1)
    editor, _ = choose_editor()
    try:
        click.edit(filename=str(path), editor=editor)
    except click.ClickException as err:
        raise Failure(f"{err.format_message()}; the file is at {path}", 1) from err


def edit_record(journal: Any, records: list[Any], record: Any) -> None:
    """Open ``record`` (one of the journal's ``records``) in the person's editor through a
    private draft, and write it back."""
    from mdmentor.privacy.editing import edit_record as edit_safely

    result = edit_safely(sealer_of(journal, records), record, open_editor)
    name = record.id or journal.relative(record.path)
    if result.written is None:
        click.echo(f"{name}: no change", err=True)
    elif result.conflicts:
        click.echo(
            f"{name} changed while you edited it (the other person's edit arrived); both "
            f"edits are kept, with conflicts in {', '.join(result.conflicts)}: run 'mdmentor "
            f"edit {name}' to choose",
            err=True,
        )
    elif result.merged:
        click.echo(
            f"{name}: saved, merged with the change that arrived while you edited it", err=True
        )
    else:
        click.echo(f"{name}: saved", err=True)


def _stop(signum: int, frame: Any) -> None:
    """Being told to stop (the terminal closed, a shutdown) unwinds like Ctrl-C, so every
    ``finally`` runs: a decrypted draft is removed, a lock released."""
    raise KeyboardInterrupt


def main() -> NoReturn:
    """Entry point of the ``mdmentor`` command."""
    import signal

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _stop)
    cli.main(prog_name="mdmentor")
    sys.exit(0)  # pragma: no cover - cli.main always exits

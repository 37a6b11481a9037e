"""The command line: click only. Every command parses its options, calls the core and
prints what it returns; the core never prints or exits.

Exit codes: 0 all well, 1 problems found (or the command failed), 2 usage error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date as Date
from pathlib import Path
from typing import Any, NoReturn

import click

from mdmentor import __version__
from mdmentor.errors import MdmentorError

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


def _journal_root(ctx: click.Context, start: Path | None = None) -> Path:
    from mdmentor.journal import resolve_root

    explicit: Path | None = ctx.obj.get("journal") if ctx.obj else None
    return resolve_root(explicit, start)


def _open(ctx: click.Context) -> Any:
    from mdmentor.journal import open_journal

    return open_journal(_journal_root(ctx))


def _record(ctx: click.Context, record_id: str) -> tuple[Any, list[Any], Any]:
    """The journal, all its records, and the one with ``record_id``."""
    from mdmentor.journal import load_records
    from mdmentor.listing import find

    journal = _open(ctx)
    records, _ = load_records(journal)
    return journal, records, find(records, record_id)


#: Journals smaller than this load too quickly for a progress bar to help.
PROGRESS_THRESHOLD = 500


@contextmanager
def _progress_bar(label: str) -> Iterator[Callable[[int, int], None] | None]:
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


def _view(journal: Any) -> Any:
    """The journal's valid records as a report view, with a progress bar on a terminal."""
    from mdmentor.journal import load_records
    from mdmentor.view import JournalView

    with _progress_bar("Reading records") as progress:
        records, problems = load_records(journal, progress=progress)
    unreadable = len({p.path for p in problems} - {r.path for r in records})
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

    Exit codes: 0 all well, 1 problems found or the command failed, 2 usage error.
    """
    ctx.ensure_object(dict)
    ctx.obj["journal"] = journal


@cli.command()
@click.argument(
    "directory", required=False, default=".", type=click.Path(file_okay=False, path_type=Path)
)
@click.option(
    "--title", default="Mentoring journal", show_default=True, help="The journal's title."
)
@click.option("--mentor", help="The mentor's name (else a placeholder to fill in).")
@click.option("--mentee", help="The mentee's name (else a placeholder to fill in).")
@click.option("--supervisor", help="The supervisor's name, if there is one.")
def init(
    directory: Path, title: str, mentor: str | None, mentee: str | None, supervisor: str | None
) -> None:
    """Start a journal in DIRECTORY (default: here).

    Writes mdmentor.yaml, a first agreement and .gitignore, and runs 'git init'
    unless the folder is already in a git repository. Existing files are never
    overwritten, so it is safe to run twice.
    """
    from mdmentor.reporters import display_path
    from mdmentor.scaffold import init_journal

    result = init_journal(
        directory, title=title, mentor=mentor, mentee=mentee, supervisor=supervisor
    )
    for path in result.created:
        click.echo(f"created {display_path(path)}")
    for path in result.kept:
        click.echo(f"kept    {display_path(path)} (already there)")
    if result.git_initialised:
        click.echo(f"initialised a git repository in {display_path(directory.resolve())}")
    if result.created:
        click.echo("Next: fill in the <placeholders>, then run 'mdmentor check'.")
    else:
        click.echo("Nothing to do: this folder is already a journal.")


@cli.command()
@click.argument("record_type", metavar="TYPE")
@click.option("--date", "on", type=ISO_DATE, help="The record's date (default: today).")
@click.option("--title", help="A title; also names the file (people's names are left out).")
@click.option(
    "--by",
    "author",
    envvar="MDMENTOR_PERSON",
    help="Your person id from mdmentor.yaml (or set MDMENTOR_PERSON).",
)
@click.option(
    "--kind",
    help="reflection: mentee-reflection|reflective-log; "
    "feedback: mentee-feedback|360-degree|180-degree; "
    "review: mid-way|final|periodic; competency: baseline|mid-way|final|other.",
)
@click.option(
    "--edit/--no-edit", default=True, help="Open the new record in $EDITOR (default: yes)."
)
@click.pass_context
def new(
    ctx: click.Context,
    record_type: str,
    on: Date | None,
    title: str | None,
    author: str | None,
    kind: str | None,
    edit: bool,
) -> None:
    """Create a record of TYPE from its template and print its path.

    TYPE is one of: agreement, needs, goal, session, reflection, feedback,
    competency, review. A new session lists the actions still open from earlier
    sessions; a new review has an evaluation ready for each active goal.
    """
    from mdmentor.reporters import display_path
    from mdmentor.scaffold import new_record

    journal = _open(ctx)
    made = new_record(
        journal, record_type, on=on or Date.today(), title=title, author=author, kind=kind
    )
    if made.open_actions:
        count = len(made.open_actions)
        click.echo(
            f"{count} action{'s' if count != 1 else ''} still open from earlier sessions:", err=True
        )
        for action in made.open_actions:
            due = f", due {action.due}" if action.due else ""
            click.echo(f"  {action.ref}  {action.text} ({action.owner}{due})", err=True)
    click.echo(display_path(made.path))
    if made.encrypted:
        click.echo("(encrypted: only the readers the agreement allows can open it)", err=True)
    if edit:
        _edit(journal, made.path)


def _open_editor(path: Path) -> None:
    try:
        click.edit(filename=str(path))
    except click.ClickException as err:
        raise Failure(f"{err.format_message()}; the record is at {path}", 1) from err


def _edit(journal: Any, path: Path) -> None:
    """Open a record in $EDITOR; an encrypted one through a private decrypted copy."""
    from mdmentor.journal import ENCRYPTED_SUFFIX, load_records
    from mdmentor.sealing import edit as edit_sealed

    if not path.name.endswith(ENCRYPTED_SUFFIX):
        _open_editor(path)
        return
    records, _ = load_records(journal)
    record = next(r for r in records if r.path == path)
    edit_sealed(journal, records, record, _open_editor)


@cli.command()
@click.argument("record_id", metavar="ID")
@click.pass_context
def edit(ctx: click.Context, record_id: str) -> None:
    """Open the record ID in $EDITOR.

    An encrypted record is decrypted into a private temporary folder outside the
    journal, opened there, encrypted again to its readers, and the copy removed.
    """
    from mdmentor.errors import UsageError

    journal, _, record = _record(ctx, record_id)
    if record.sealed:
        raise UsageError(f"{record_id} is encrypted and not to your key")
    _edit(journal, record.path)


@cli.command()
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.pass_context
def encrypt(ctx: click.Context, paths: tuple[Path, ...]) -> None:
    """Encrypt plaintext records that the agreement lets only some people read.

    Each PATH becomes PATH.age, encrypted to exactly its readers' keys, and the
    plaintext file is removed. Records everyone may read are left as they are.
    """
    from mdmentor.journal import load_records
    from mdmentor.reporters import display_path
    from mdmentor.sealing import store

    journal = _open(ctx)
    records, _ = load_records(journal)
    by_path = {r.path.resolve(): r for r in records}
    for path in paths:
        record = by_path.get(path.resolve())
        if record is None or record.encrypted:
            click.echo(f"skipped {display_path(path)}: not a readable plaintext record", err=True)
            continue
        written = store(
            journal,
            records,
            record.type.name,
            record.path,
            record.path.read_text(encoding="utf-8"),
            overwrite=True,
        )
        if written == record.path:
            click.echo(f"left {display_path(path)}: everyone in mdmentor.yaml may read it")
        else:
            click.echo(f"encrypted {display_path(written)}")


@cli.command()
@click.argument("record_id", metavar="ID")
@click.pass_context
def resolve(ctx: click.Context, record_id: str) -> None:
    """Merge an encrypted record that was edited on both sides.

    sync keeps the other side beside it (NAME.md.age.theirs); this decrypts both,
    merges them field by field, encrypts the result and removes the copy. Fields
    changed differently on both sides are left in a 'conflicts:' entry: finish
    with 'mdmentor edit ID', then sync.
    """
    from mdmentor.sealing import resolve as resolve_sealed

    journal, records, record = _record(ctx, record_id)
    result = resolve_sealed(journal, records, record)
    if result.clean:
        click.echo(f"merged {record_id}: no conflicts left; run 'mdmentor sync'")
    else:
        where = ", ".join(result.conflicts) or "the notes"
        click.echo(
            f"merged {record_id} with conflicts in {where}: run 'mdmentor edit "
            f"{record_id}' to choose, then sync",
            err=True,
        )
        ctx.exit(1)


@cli.command()
@click.option("--as-of", type=ISO_DATE, help="Judge what is due as on this day (default: today).")
@click.option("--dispose", is_flag=True, help="Remove the records that are due, and commit.")
@click.option(
    "--rewrite-history",
    is_flag=True,
    help="With --dispose: also remove them from every commit (git-filter-repo).",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation of --rewrite-history.")
@click.pass_context
def retention(
    ctx: click.Context, as_of: Date | None, dispose: bool, rewrite_history: bool, yes: bool
) -> None:
    """List the records due for disposal under the agreement's retention terms.

    With --dispose, remove them and commit (the message names no one). With
    --rewrite-history as well, remove them from this repository's whole history,
    then say exactly what that cannot reach: other clones, the server's copy until
    a forced push, backups, exported reports.
    """
    from mdmentor.errors import UsageError
    from mdmentor.journal import load_records
    from mdmentor.retention import dispose as run_dispose
    from mdmentor.retention import schedule

    journal = _open(ctx)
    records, _ = load_records(journal)
    today = (as_of or Date.today()).isoformat()
    plan = schedule(records, today)
    for title, group in (("Due for disposal", plan.due), ("Due later", plan.later)):
        click.echo(f"{title}: {len(group)}")
        for item in group:
            click.echo(
                f"  {item.due}  {item.record.id}  {journal.relative(item.record.path)} "
                f"({item.basis})"
            )
    if plan.waiting:
        click.echo(
            f"Kept until the relationship ends, then for the agreed period: {len(plan.waiting)}"
        )
    if plan.unread:
        click.echo(f"{plan.unread} encrypted records you hold no key for were not assessed")
    click.echo(f"Agreed disposal: {plan.disposal_method}")
    if rewrite_history and not dispose:
        raise UsageError("--rewrite-history goes with --dispose")
    if not dispose:
        return
    if not plan.due:
        click.echo("Nothing is due: nothing disposed of.")
        return
    if rewrite_history and not yes:
        click.confirm(
            f"Rewrite every commit of this repository to remove {len(plan.due)} "
            "records? Other clones will have to clone afresh",
            abort=True,
        )
    report = run_dispose(journal, plan.due, rewrite_history=rewrite_history)
    click.echo(
        f"Removed {len(report.removed)} records and committed"
        + (", and removed them from this repository's history" if report.rewritten else "")
        + "."
    )
    click.echo("Not reached by this, so still holding them:")
    for place in report.not_reached:
        click.echo(f"  - {place}")


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--anonymise",
    is_flag=True,
    help="Portfolio evidence: names, emails and identifiers replaced by role labels.",
)
@click.option(
    "--record",
    "ids",
    multiple=True,
    help="With --anonymise: a record to export (repeat; default: the agreement, "
    "needs assessments and reviews).",
)
@click.option("--shift-days", type=int, default=0, help="With --anonymise: move every date.")
@click.option(
    "--person", "person_id", help="Everything held about this person (a subject access request)."
)
@click.pass_context
def export(
    ctx: click.Context,
    directory: Path,
    anonymise: bool,
    ids: tuple[str, ...],
    shift_days: int,
    person_id: str | None,
) -> None:
    """Export records into DIRECTORY, a new folder outside the journal.

    --anonymise writes portfolio evidence in which every person in mdmentor.yaml
    is a role label (Mentor, Mentee, Supervisor) in the front matter and the
    notes, and settings.identifiers are replaced too. --person ID writes every
    record that names that person, decrypted where you may read them, with an
    index.
    """
    from mdmentor.errors import UsageError
    from mdmentor.export import export_anonymised, export_person
    from mdmentor.journal import load_records
    from mdmentor.reporters import display_path

    if anonymise == bool(person_id):
        raise UsageError("choose one: --anonymise or --person ID")
    journal = _open(ctx)
    records, _ = load_records(journal)
    if anonymise:
        result = export_anonymised(
            journal, records, directory, ids=list(ids), shift_days=shift_days
        )
    else:
        result = export_person(journal, records, directory, str(person_id))
    click.echo(f"wrote {len(result.written)} files to {display_path(directory.resolve())}")
    if result.unreadable:
        click.echo(
            f"{len(result.unreadable)} encrypted records you hold no key for were left out",
            err=True,
        )


@cli.group()
def keys() -> None:
    """Your encryption key: records only some people may read are encrypted to theirs."""


@keys.command("init")
@click.option(
    "--as",
    "person_id",
    envvar="MDMENTOR_PERSON",
    help="Your person id in mdmentor.yaml (or set MDMENTOR_PERSON).",
)
@click.pass_context
def keys_init(ctx: click.Context, person_id: str | None) -> None:
    """Create your identity (private key) in your user config folder, mode 0600, never in
    the journal, and list its public key under your entry in mdmentor.yaml.

    Set MDMENTOR_IDENTITY to keep the identity elsewhere (or to use an SSH key).
    """
    from mdmentor import crypto
    from mdmentor.errors import UsageError
    from mdmentor.journal import add_person_key

    journal = _open(ctx)
    person = _whoami(journal, person_id)
    if person is None:
        raise UsageError("say who you are: mdmentor keys init --as PERSON")
    public = crypto.public_key() or crypto.create_identity()
    click.echo(f"your identity: {crypto.identity_path()} (keep it private; back it up safely)")
    click.echo(f"your public key: {public}")
    if add_person_key(journal.root, person.id, public):
        click.echo(f"listed it under {person.id} in mdmentor.yaml; run 'mdmentor sync' to share it")
    else:
        click.echo(f"{person.id} in mdmentor.yaml already lists it")


@keys.command("show")
def keys_show() -> None:
    """Print your public key."""
    from mdmentor import crypto
    from mdmentor.errors import UsageError

    public = crypto.public_key()
    if public is None:
        raise UsageError(f"no identity at {crypto.identity_path()}; run 'mdmentor keys init'")
    click.echo(public)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for scripts and editors.",
)
@click.pass_context
def check(ctx: click.Context, paths: tuple[Path, ...], fmt: str) -> None:
    """Check records against their schemas and each other.

    With no PATHS, checks the whole journal. PATHS may be a journal folder, or
    files and folders inside one (all records are read, so references resolve,
    but only problems in PATHS are reported). Prints 'path:line: field: message'
    for each problem, then a summary. Exit 0 when there are no errors (warnings
    allowed), 1 when there are.
    """
    from mdmentor.checking import CheckResult, check_journal
    from mdmentor.reporters import CHECK_REPORTERS

    groups: dict[Path, list[Path]] = {}
    for path in paths or (None,):
        start = None if path is None else (path if path.is_dir() else path.parent)
        root = _journal_root(ctx, start)
        scope = groups.setdefault(root, [])
        if path is not None and path.resolve() != root:
            scope.append(path)
    total = CheckResult(records=0)
    for root, scope in groups.items():
        with _progress_bar("Checking records") as progress:
            result = check_journal(root, only=scope, progress=progress)
        total.records += result.records
        total.sealed += result.sealed
        total.problems.extend(result.problems)
    click.echo(CHECK_REPORTERS[fmt](total))
    ctx.exit(1 if total.errors else 0)


@cli.command("list")
@click.argument("record_type", metavar="[TYPE]", required=False)
@click.option(
    "--status", help="Only records with this status (a goal's status, a review's kind, ...)."
)
@click.option("--since", type=ISO_DATE, help="Only records dated on or after this date.")
@click.option("--until", type=ISO_DATE, help="Only records dated on or before this date.")
@click.option("--person", help="Only records that name this person id.")
@click.option("--goal", help="Only records about this goal id.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_context
def list_(
    ctx: click.Context,
    record_type: str | None,
    status: str | None,
    since: Date | None,
    until: Date | None,
    person: str | None,
    goal: str | None,
    fmt: str,
) -> None:
    """List records, oldest first, optionally of one TYPE."""
    import json

    from mdmentor.journal import load_records
    from mdmentor.listing import Filters, row, select
    from mdmentor.reporters import table
    from mdmentor.scaffold import record_type as find_type

    journal = _open(ctx)
    filters = Filters(
        type=find_type(record_type).name if record_type else None,
        status=status,
        since=since.isoformat() if since else None,
        until=until.isoformat() if until else None,
        person=person,
        goal=goal.upper() if goal else None,
    )
    records, problems = load_records(journal)
    rows = [row(r, journal.relative(r.path)) for r in select(records, filters)]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif rows:
        click.echo(table(rows, ["id", "type", "date", "status", "title"]))
    else:
        click.echo("no records match", err=True)
    unreadable = len({p.path for p in problems} - {r.path for r in records})
    if unreadable:
        click.echo(f"{unreadable} files could not be read; run 'mdmentor check'", err=True)


@cli.command()
@click.argument("record_id", metavar="ID")
@click.pass_context
def show(ctx: click.Context, record_id: str) -> None:
    """Print the record with ID (e.g. G-001, S-2026-03-04), headed by its path."""
    from mdmentor.journal import record_text

    journal, _, record = _record(ctx, record_id)
    click.echo(f"# {record.id} · {record.type.label} · {journal.relative(record.path)}")
    click.echo(record_text(record), nl=False)


@cli.command()
@click.argument("record_type", metavar="[TYPE]", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the JSON Schema itself.")
def schema(record_type: str | None, as_json: bool) -> None:
    """Print the fields of a record TYPE (or of 'config', mdmentor.yaml, or 'evidence',
    a criteria file); with no TYPE, list them."""
    import json

    from mdmentor.scaffold import record_type as find_type
    from mdmentor.validation import field_docs, load_schema, schema_names

    if record_type is None:
        click.echo("\n".join(schema_names()))
        return
    name = record_type if record_type in ("config", "evidence") else find_type(record_type).name
    if as_json:
        click.echo(json.dumps(load_schema(name), indent=2, ensure_ascii=False))
        return
    for field, required, kind, description in field_docs(name):
        mark = "*" if required else " "
        click.echo(f"{mark} {field}: {kind}")
        if description:
            click.echo(f"      {description}")
    click.echo("(* required)")


@cli.command()
@click.argument(
    "kind", type=click.Choice(["progress", "review", "prep", "actions", "supervision", "evidence"])
)
@click.option(
    "--from", "start", type=ISO_DATE, help="Start of the period (default: the agreement's start)."
)
@click.option("--to", "end", type=ISO_DATE, help="End of the period (default: today).")
@click.option("--as-of", type=ISO_DATE, help="Read the journal as on this day (default: today).")
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), default="md", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here (default: Markdown to the terminal, HTML to KIND.html here).",
)
@click.pass_context
def report(
    ctx: click.Context,
    kind: str,
    start: Date | None,
    end: Date | None,
    as_of: Date | None,
    fmt: str,
    output: Path | None,
) -> None:
    """Write a report of KIND from the journal.

    \b
    progress     goals, milestones, actions, sessions against the agreed
                 frequency, reflections, feedback, competencies, achievements
    review       each goal evaluated with its evidence, the ongoing support
                 plan, and what the agreement promised against what happened
    prep         the sheet to read before the next session
    actions      every action, overdue first
    supervision  reflective-log entries flagged for supervision
    evidence     assessment criteria (Unit 435 by default) and the records
                 that evidence them

    HTML reports are one self-contained file with charts, fit to print to PDF.
    A journal overrides any template with its own templates/reports/KIND.FORMAT.
    """
    from mdmentor.fileio import atomic_write
    from mdmentor.reporters import display_path
    from mdmentor.reports import build_report, render_report

    journal = _open(ctx)
    view = _view(journal)
    today = (as_of or Date.today()).isoformat()
    data = build_report(
        journal,
        view,
        kind,
        start=start.isoformat() if start else None,
        end=end.isoformat() if end else None,
        today=today,
    )
    text = render_report(journal, view, data, fmt)
    if output is None and fmt == "md":
        click.echo(text, nl=False)
        return
    target = output or Path(f"{kind}.html")
    atomic_write(target, text, overwrite=True)
    click.echo(f"wrote {display_path(target)}")


def _whoami(journal: Any, person_id: str | None) -> Any:
    """The person syncing: --as / MDMENTOR_PERSON, else the one whose email git is using."""
    from mdmentor.errors import UsageError
    from mdmentor.gitrepo import Repository

    if person_id:
        person = journal.config.person(person_id)
        if person is None:
            raise UsageError(f"no person '{person_id}' in mdmentor.yaml")
        return person
    _, email = Repository(journal.root).identity()
    return next((p for p in journal.config.people if p.email and p.email == email), None)


@cli.command()
@click.option(
    "--as",
    "person_id",
    envvar="MDMENTOR_PERSON",
    help="Your person id from mdmentor.yaml: the commit's author (or set MDMENTOR_PERSON; "
    "default: the person whose email git uses).",
)
@click.pass_context
def sync(ctx: click.Context, person_id: str | None) -> None:
    """Share the journal: commit changed records, fetch, merge, push.

    Commits only the journal's record files and its own files, by path, with a
    message that names the records and fields changed (no notes text). Then
    fetches; if the remote moved on, fast-forwards or merges (never rebases),
    merging records field by field. The state before integrating stays
    reachable under refs/mdmentor/before-sync/. Conflicts are written into the
    records (a 'conflicts:' entry, or markers in the notes), listed here, and
    nothing is pushed until they are resolved.

    \b
    Exit codes:
      0  synced (or committed, where there is no remote)
      1  needs your attention: conflicts to resolve, listed above
      3  unsafe state: a merge or rebase in progress, unresolved conflicts,
         a detached HEAD, a stale index.lock, or no upstream; nothing changed
      4  network: the remote could not be reached; your commit is kept, not synced
    """
    from mdmentor.sync import sync as run_sync

    journal = _open(ctx)
    result = run_sync(journal, person=_whoami(journal, person_id))
    if result.committed:
        click.echo(f"committed: {result.committed.splitlines()[0]}")
    else:
        click.echo("nothing new to commit")
    if result.local_only:
        click.echo("local only: this repository has no remote, so nothing was shared")
    if result.fast_forwarded:
        click.echo("brought in the remote's changes (fast-forward)")
    if result.merged:
        click.echo("merged the remote's changes")
    if result.conflicts:
        click.echo(
            f"{len(result.conflicts)} record(s) need your attention; nothing was pushed:", err=True
        )
        for report in result.conflicts:
            click.echo(f"  {report.describe()}", err=True)
        click.echo(
            "Edit each record, keep the values you want, delete the 'conflicts:' entry "
            "or the marker lines, check with 'mdmentor check', then sync again.",
            err=True,
        )
        ctx.exit(1)
    if result.pushed:
        click.echo("pushed: the journal is in sync")
    elif result.fetched:
        click.echo("the journal is in sync: nothing to push")


@cli.command("merge-driver", hidden=True)
@click.argument("base", type=click.Path(path_type=Path))
@click.argument("ours", type=click.Path(path_type=Path))
@click.argument("theirs", type=click.Path(path_type=Path))
@click.argument("name", required=False)
@click.pass_context
def merge_driver(
    ctx: click.Context, base: Path, ours: Path, theirs: Path, name: str | None
) -> None:
    """Git merge driver for records (run by git, registered by 'mdmentor sync').

    Merges BASE, OURS and THEIRS field by field and writes the result to OURS;
    exits 0 when clean and 1 when conflicts are left in the record.
    """
    from mdmentor.gitrepo import merge_file
    from mdmentor.merge import merge_texts

    texts = [p.read_bytes().decode("utf-8", errors="surrogateescape") for p in (base, ours, theirs)]
    try:
        result = merge_texts(*texts, line_merge=merge_file)
        text, clean = result.text, result.clean
        if not clean:
            where = ", ".join(result.conflicts) or (
                "the notes" if result.body_conflict else "the file"
            )
            click.echo(f"mdmentor: conflict in {name or ours}: {where}", err=True)
    except Exception as err:  # never leave git without a merged file
        text, _ = merge_file(*texts)
        clean = False
        click.echo(f"mdmentor: merged {name or ours} by lines ({err!r})", err=True)
    ours.write_bytes(text.encode("utf-8", errors="surrogateescape"))
    ctx.exit(0 if clean else 1)


@cli.command()
@click.argument("record_id", metavar="ID")
@click.pass_context
def history(ctx: click.Context, record_id: str) -> None:
    """Who changed the record ID and when, with the fields and actions each commit changed."""
    from mdmentor.history import record_history

    journal, _, record = _record(ctx, record_id)
    changes = record_history(journal, record)
    if not changes:
        click.echo(f"{record.id} has no history yet: it has never been committed")
    for change in changes:
        click.echo(
            f"{change.date[:16].replace('T', ' ')}  {change.sha}  {change.author}: {change.changes}"
        )


@cli.command()
@click.pass_context
def doctor(ctx: click.Context) -> None:
    """Check that this clone is set up to share the journal safely, and say what to fix.

    Looks at the merge driver, .gitattributes, .gitignore, core.fsync, merges or
    rebases in progress, the remote and upstream, and 'git fsck'. Exit 1 if
    anything needs fixing.
    """
    from mdmentor.doctor import diagnose

    findings = diagnose(_open(ctx))
    for finding in findings:
        mark = "ok     " if finding.ok else "PROBLEM"
        click.echo(f"{mark} {finding.what}")
        if not finding.ok and finding.fix:
            click.echo(f"        fix: {finding.fix}")
    problems = sum(1 for f in findings if not f.ok)
    click.echo(f"{problems} problem{'s' if problems != 1 else ''} found")
    ctx.exit(1 if problems else 0)


@cli.command()
@click.option("--as-of", type=ISO_DATE, help="Read the journal as on this day (default: today).")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_context
def status(ctx: click.Context, as_of: Date | None, fmt: str) -> None:
    """What needs attention: next session, overdue actions, milestones due in the
    next 14 days, the next review, sessions behind the agreed frequency, and goals
    with no progress entry for a while (settings.stale_goal_weeks, default 4)."""
    import json

    from mdmentor.reporters import status_text
    from mdmentor.status import status as build_status

    journal = _open(ctx)
    data = build_status(_view(journal), (as_of or Date.today()).isoformat())
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        click.echo(status_text(data))


def main() -> NoReturn:
    """Entry point of the ``mdmentor`` command."""
    cli.main(prog_name="mdmentor")
    sys.exit(0)  # pragma: no cover - cli.main always exits

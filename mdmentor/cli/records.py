"""Commands for the records themselves: init, new, edit, check, list, show, schema."""

from __future__ import annotations

from datetime import date as Date
from pathlib import Path

import click

from mdmentor.cli.base import (
    ISO_DATE,
    cli,
    edit_record,
    journal_of,
    journal_root,
    person_option,
    plural,
    progress_bar,
    record_of,
    whoami,
    why_no_editor,
)


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
    from mdmentor.cli.reporters import display_path
    from mdmentor.records.scaffold import init_journal

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
@person_option("--by", "author", help="Your person id from mdmentor.yaml (or set MDMENTOR_PERSON).")
@click.option(
    "--kind",
    help="Which kind of the record type, e.g. review: mid-way|final|periodic "
    "('mdmentor schema TYPE' lists them).",
)
@click.option(
    "--model",
    help="Lay out the stages of a model: session: grow|clear|oskar; reflection: gibbs|kolb|johns.",
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
    model: str | None,
    edit: bool,
) -> None:
    """Create a record of TYPE from its template and print its path.

    TYPE is a record type ('mdmentor schema' lists them): agreement, needs, goal,
    session, reflection, feedback, competency, review, and more. A new session
    lists the actions still open from earlier sessions; a new review has an
    evaluation ready for each active goal, and a final one the ending, with the
    open actions and goals to close or hand over.
    """
    from mdmentor.cli.reporters import display_path
    from mdmentor.records.journal import load_records
    from mdmentor.records.scaffold import new_record

    journal = journal_of(ctx)
    made = new_record(
        journal,
        record_type,
        on=on or Date.today(),
        title=title,
        author=author,
        kind=kind,
        model=model,
        writer=whoami(journal, author),
    )
    if made.open_actions:
        count = plural(len(made.open_actions), "action")
        click.echo(f"{count} still open from earlier sessions:", err=True)
        for action in made.open_actions:
            due = f", due {action.due}" if action.due else ""
            click.echo(f"  {action.ref}  {action.text} ({action.owner}{due})", err=True)
    click.echo(display_path(made.path))
    if made.warning:
        click.echo(f"warning: {made.warning}", err=True)
    if made.encrypted:
        click.echo("(encrypted: only the readers the agreement allows can open it)", err=True)
    if edit:
        reason = why_no_editor()
        if reason is None:
            records, _ = load_records(journal)  # with the record just written
            edit_record(journal, records, next(r for r in records if r.path == made.path))
        else:
            click.echo(f"not opened: {reason}", err=True)


@cli.command()
@click.argument("record_id", metavar="ID")
@click.pass_context
def edit(ctx: click.Context, record_id: str) -> None:
    """Open the record ID in your editor, safely.

    The record opens as a draft in a private folder of yours (decrypted, if it is
    encrypted), and is written back (encrypted again to its readers) only if it is
    still the same record. A slip keeps the draft: run 'edit ID' again to reopen it.
    A change that arrived meanwhile is merged; a save that changes nothing writes
    nothing. The editor is VISUAL or EDITOR, else nano (Notepad on Windows).
    """
    from mdmentor.errors import UsageError

    journal, records, record = record_of(ctx, record_id)
    if record.sealed:
        raise UsageError(f"{record_id} is encrypted and not to your key")
    edit_record(journal, records, record)


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

    With no PATHS, checks the whole journal. PATHS may be journal folders, or
    files and folders inside journals (all records are read, so references
    resolve, but only problems in PATHS are reported); paths in no journal are
    skipped, so the pre-commit hook can pass every changed file. Prints
    'path:line: field: message' for each problem, then a summary. Exit 0 when
    there are no errors (warnings allowed), 1 when there are.
    """
    from mdmentor.cli.reporters import CHECK_REPORTERS
    from mdmentor.records.checking import CheckResult, check_journal
    from mdmentor.records.journal import journals_of

    if not paths or (ctx.obj or {}).get("journal"):
        root = journal_root(ctx)
        groups = {root: [p for p in paths if p.resolve() != root]}
    else:
        groups, outside = journals_of(list(paths))
        if not groups:
            journal_root(ctx, paths[0] if paths[0].is_dir() else paths[0].parent)  # says why
        if outside:
            click.echo(f"skipped {plural(len(outside), 'path')} in no journal", err=True)
    total = CheckResult(records=0)
    for root, scope in groups.items():
        with progress_bar("Checking records") as progress:
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

    from mdmentor.cli.reporters import table
    from mdmentor.records.journal import load_records, unreadable_files
    from mdmentor.records.listing import Filters, row, select
    from mdmentor.records.scaffold import record_type as find_type

    journal = journal_of(ctx)
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
    unreadable = len(unreadable_files(records, problems))
    if unreadable:
        click.echo(
            f"{plural(unreadable, 'file')} could not be read; run 'mdmentor check'", err=True
        )


@cli.command()
@click.argument("record_id", metavar="ID")
@click.pass_context
def show(ctx: click.Context, record_id: str) -> None:
    """Print the record with ID, headed by its path: G-001, S-2026-03-04, ..."""
    from mdmentor.records.journal import record_text

    journal, _, record = record_of(ctx, record_id)
    click.echo(f"# {record.id} · {record.type.label} · {journal.relative(record.path)}")
    click.echo(record_text(journal, record), nl=False)


@cli.command()
@click.argument("record_type", metavar="[TYPE]", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the JSON Schema itself.")
def schema(record_type: str | None, as_json: bool) -> None:
    """Print the fields of a record TYPE (or of 'config', mdmentor.yaml, or 'evidence',
    a criteria file); with no TYPE, list them."""
    import json

    from mdmentor.records.scaffold import record_type as find_type
    from mdmentor.records.validation import field_docs, load_schema, schema_names

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

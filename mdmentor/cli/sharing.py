"""Commands for sharing through git: sync, the merge driver, history, doctor."""

from __future__ import annotations

from pathlib import Path

import click

from mdmentor.cli.base import (
    cli,
    journal_of,
    person_option,
    plural,
    record_of,
    whoami,
)


@cli.command()
@person_option(
    "--as",
    "person_id",
    help="Your person id from mdmentor.yaml: the commit's author (or set MDMENTOR_PERSON; "
    "default: the person whose email git uses).",
)
@click.option(
    "--replace-shared-copy",
    is_flag=True,
    help="After 'retention --dispose --rewrite-history': replace the server's history with "
    "this clone's (asks first); everyone else then clones afresh.",
)
@click.option("--yes", is_flag=True, help="With --replace-shared-copy: do not ask.")
@click.pass_context
def sync(ctx: click.Context, person_id: str | None, replace_shared_copy: bool, yes: bool) -> None:
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
    from mdmentor.sharing.sync import sync as run_sync

    journal = journal_of(ctx)
    if replace_shared_copy and not yes:
        click.confirm(
            "Replace the shared copy's history with this clone's? Records disposed of leave "
            "the server; everyone else must then clone the journal afresh",
            abort=True,
        )
    result = run_sync(
        journal, person=whoami(journal, person_id), replace_shared_copy=replace_shared_copy
    )
    if result.replaced:
        click.echo(
            "replaced the shared copy with this clone's history; everyone else now clones "
            "the journal afresh (their next sync tells them)"
        )
        return
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
    for item in result.renumbered:
        click.echo(item.describe())
    if result.saved_meanwhile:
        click.echo("saved while syncing, and committed too: " + ", ".join(result.saved_meanwhile))
    for line in result.waiting:
        click.echo(f"waiting for you: {line}")
    if result.conflicts:
        count = len(result.conflicts)
        click.echo(
            f"{plural(count, 'record')} need{'s' if count == 1 else ''} your attention; "
            "nothing was pushed:",
            err=True,
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
    exits 0 when clean and 1 when conflicts are left in the record, and never
    anything else: whatever goes wrong, OURS then keeps both sides whole between
    conflict markers, so sync lists it and pushes nothing until it is resolved.
    """
    from mdmentor.sharing.driver import merge_in_place

    clean, problem = merge_in_place(base, ours, theirs, name)
    if problem:
        click.echo(f"mdmentor: {problem}", err=True)
    ctx.exit(0 if clean else 1)


@cli.command()
@click.argument("record_id", metavar="ID")
@click.pass_context
def history(ctx: click.Context, record_id: str) -> None:
    """Who changed the record ID and when, with the fields and actions each commit changed."""
    from mdmentor.sharing.history import record_history

    journal, _, record = record_of(ctx, record_id)
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
    from mdmentor.sharing.doctor import diagnose

    findings = diagnose(journal_of(ctx))
    for finding in findings:
        mark = "ok     " if finding.ok else "PROBLEM"
        click.echo(f"{mark} {finding.what}")
        if not finding.ok and finding.fix:
            click.echo(f"        fix: {finding.fix}")
    problems = sum(1 for f in findings if not f.ok)
    click.echo(f"{problems} problem{'s' if problems != 1 else ''} found")
    ctx.exit(1 if problems else 0)

"""Commands that read the journal as a whole: report, status."""

from __future__ import annotations

from datetime import date as Date
from pathlib import Path

import click

from mdmentor.cli.base import (
    ISO_DATE,
    cli,
    journal_of,
    view_of,
)


@cli.command()
@click.argument(
    "kind", type=click.Choice(["progress", "review", "prep", "actions", "supervision", "evidence"])
)
@click.option(
    "--from", "start", type=ISO_DATE, help="Start of the period (default: the agreement's start)."
)
@click.option("--to", "end", type=ISO_DATE, help="End of the period (default: today).")
@click.option("--as-of", type=ISO_DATE, help="Read the journal as on this day (default: today).")
@click.option(
    "--for",
    "readers",
    multiple=True,
    metavar="PERSON|ROLE",
    help="Whom the report is for: person ids or roles, repeated or comma-separated "
    "(default: everyone the agreement names; supervision: the mentor and the mentor's "
    "supervisor). It holds only what every one of them may read.",
)
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
    readers: tuple[str, ...],
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

    Every report is written for someone (--for) and says at its top whom, and
    how many records it left out because not all of them may read them.
    After the agreement's end date, reports summarise the relationship.
    HTML reports are one self-contained file with charts, fit to print to PDF.
    A journal overrides any template with its own templates/reports/KIND.FORMAT.
    """
    from mdmentor.cli.reporters import display_path
    from mdmentor.fileio import atomic_write
    from mdmentor.reporting.reports import build_report, render_report

    journal = journal_of(ctx)
    view = view_of(journal)
    today = (as_of or Date.today()).isoformat()
    data = build_report(
        journal,
        view,
        kind,
        start=start.isoformat() if start else None,
        end=end.isoformat() if end else None,
        today=today,
        readers=readers,
    )
    text = render_report(journal, view, data, fmt)
    if output is None and fmt == "md":
        click.echo(text, nl=False)
        return
    target = output or Path(f"{kind}.html")
    atomic_write(target, text, overwrite=True)
    click.echo(f"wrote {display_path(target)}")


@cli.command()
@click.option("--as-of", type=ISO_DATE, help="Read the journal as on this day (default: today).")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_context
def status(ctx: click.Context, as_of: Date | None, fmt: str) -> None:
    """What needs attention: next session, overdue actions, milestones due in the
    next 14 days, the next review, sessions behind the agreed frequency, and goals
    with no progress entry for a while (settings.stale_goal_weeks, default 4).
    After the agreement's end date: how it ended and what was left open."""
    import json

    from mdmentor.cli.reporters import status_text
    from mdmentor.reporting.status import status as build_status

    journal = journal_of(ctx)
    data = build_status(view_of(journal), (as_of or Date.today()).isoformat())
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        click.echo(status_text(data))

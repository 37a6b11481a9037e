"""``report``: build a report's data from the journal and lay it out with its template."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from mdmentor import templating
from mdmentor.errors import UsageError
from mdmentor.privacy.guards import REPORT_MARKER
from mdmentor.privacy.policy import load_access
from mdmentor.records.journal import Journal
from mdmentor.reporting import audience, charts, report_data
from mdmentor.reporting.evidence import DEFAULT_CRITERIA, evidence, load_criteria
from mdmentor.reporting.report_data import Period
from mdmentor.reporting.view import JournalView

Builder = Callable[[JournalView, Period], dict[str, Any]]

_BUILDERS: dict[str, Builder] = {
    "progress": report_data.progress,
    "review": report_data.review,
    "prep": report_data.prep,
    "actions": report_data.actions_report,
    "supervision": report_data.supervision,
}

KINDS = (*_BUILDERS, "evidence")

#: The chart functions a report layout may call, by name: functions, never the module.
CHARTS: dict[str, Callable[..., str]] = {
    "session_cadence": charts.session_cadence,
    "action_completion": charts.action_completion,
    "milestone_timeline": charts.milestone_timeline,
    "competency_bars": charts.competency_bars,
    "competency_caption": charts.competency_caption,
}
FORMATS = ("md", "html")


def build_report(
    journal: Journal,
    view: JournalView,
    kind: str,
    *,
    start: str | None = None,
    end: str | None = None,
    today: str,
    readers: Sequence[str] = (),
) -> dict[str, Any]:
    """The data of report ``kind`` over a period (default: the agreement's start to today),
    for the people ``readers`` names (person ids or roles; default: ``audience.default``),
    from only the records every one of them may read under the terms accepted here."""
    if kind not in KINDS:
        raise UsageError(f"no report '{kind}'; choose from: {', '.join(KINDS)}")
    access = load_access(journal.root, journal.config, view.loaded)
    shown = audience.for_report(kind, view, access, readers)
    if kind == "evidence":
        name = str(journal.config.settings.get("evidence", DEFAULT_CRITERIA))
        data = evidence(shown.until(today), load_criteria(name, journal.root), journal.root)
    else:
        period = report_data.default_period(shown, start=start, end=end, today=today)
        if period.end < period.start:
            raise UsageError(f"the period ends ({period.end}) before it starts ({period.start})")
        # A period given by --to is read as the journal stood on its last day; the default
        # period of an ended relationship is read as today, since what is written after the
        # end (the evaluations, a signed final review) is about it.
        read_on = period.today if end is None else period.as_of
        data = _BUILDERS[kind](shown.until(read_on), period)
    return {**data, "audience": audience.describe(kind, shown, access)}


def render_report(journal: Journal, view: JournalView, data: dict[str, Any], fmt: str) -> str:
    """Lay out report ``data``: Markdown from ``reports/KIND.md``; HTML is that Markdown
    rendered (raw HTML in notes shown as text) inside ``reports/KIND.html`` if the journal
    has one, else ``reports/report.html``, with the charts."""
    if fmt not in FORMATS:
        raise UsageError(f"no format '{fmt}'; choose from: {', '.join(FORMATS)}")
    context: dict[str, Any] = {
        "report": data,
        "name": lambda person_id: view.person_name(str(person_id)),
        "charts": CHARTS,
        "marker": REPORT_MARKER,
    }
    kind = data["kind"]
    text = templating.render(f"reports/{kind}.md", context, journal_root=journal.root)
    if fmt == "md":
        return f"<!-- {REPORT_MARKER}; keep it out of the journal repository -->\n{text}"
    from markupsafe import Markup

    from mdmentor.reporting.markdown_html import to_html

    layout = f"reports/{kind}.html"
    if not templating.exists(layout, journal.root):
        layout = "reports/report.html"
    # The charts go after the title and period, before the first section.
    head, mark, rest = to_html(text).partition("<h2>")
    context["head"], context["body"] = Markup(head), Markup(mark + rest)
    return templating.render(layout, context, journal_root=journal.root, autoescape=True)

"""The report charts, read as SVG: what a person finds in ink on a printed page."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import combinations, pairwise
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mdmentor.records.journal import load_records, open_journal
from mdmentor.reporting import charts
from mdmentor.reporting.reports import build_report
from mdmentor.reporting.svg import LEFT, RIGHT, WIDTH, DateAxis, text_width, wrap
from mdmentor.reporting.view import JournalView, shift

from .conftest import GOAL, MINIMAL_CONFIG, agreement, build_file_tree

SVG = "{http://www.w3.org/2000/svg}"


#: The example's goals on 20 November (G-004 is set at the end).
GOALS = range(3)


@pytest.fixture
def report(example: Path) -> dict[str, Any]:
    """The example's progress report on 20 November, for everyone its agreement names (its
    terms accepted, so the records they may read are in it)."""
    journal = open_journal(example)
    records, _ = load_records(journal)
    view = JournalView.build(journal.config, records)
    return build_report(journal, view, "progress", today="2026-11-20")


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def words(element: ET.Element) -> str:
    return "".join(element.itertext())


def legend(svg: str) -> list[str]:
    """The words of the legend entries."""
    key = parse(svg).find(f"{SVG}g[@class='legend']")
    assert key is not None, "the chart has no legend"
    return [words(t) for t in key.iter(f"{SVG}text")]


def marks(svg: str, kind: str | None = None) -> list[tuple[str, float, float]]:
    """(kind, x, y) of each mark drawn, read off its translate()."""
    found = []
    for group in parse(svg).iter(f"{SVG}g"):
        classes = (group.get("class") or "").split()
        if classes[:1] == ["mark"] and (kind is None or kind in classes):
            x, y = group.get("transform", "").removeprefix("translate(").rstrip(")").split(",")
            found.append((classes[1], float(x), float(y)))
    return found


def label_spans(svg: str) -> list[tuple[str, float, float, float]]:
    """(words, left, right, baseline) of each one-line label, by its estimated width."""
    spans = []
    for label in parse(svg).iter(f"{SVG}text"):
        if label.find(f"{SVG}tspan") is None:
            x, width = float(label.get("x", 0)), text_width(words(label))
            left = {"start": x, "middle": x - width / 2, "end": x - width}[
                label.get("text-anchor", "")
            ]
            spans.append((words(label), left, left + width, float(label.get("y", 0))))
    return spans


def tick_labels(svg: str) -> list[str]:
    return [words(t) for t in parse(svg).iter(f"{SVG}text") if t.get("class") == "tick"]


def milestone(mid: str, due: str, *, done: str | None = None, overdue: bool = False) -> dict:
    return {"id": mid, "text": f"Milestone {mid}", "due": due, "done": done, "overdue": overdue}


def goal(*milestones: dict, target: str = "2026-11-30", title: str = "A goal") -> dict:
    return {"id": "G-001", "title": title, "target_date": target, "milestones": list(milestones)}


def assessment(aid: str, day: str, point: str) -> dict:
    return {"id": aid, "date": day, "point": point}


def competencies(first: dict, latest: dict, rows: list[dict]) -> dict:
    return {"first": first, "latest": latest, "scale": {"min": 1, "max": 5}, "rows": rows}


# Legends: every kind of mark drawn has its words in the SVG, not only in a tooltip.

MILESTONE_LEGEND = {
    "done": "milestone done",
    "due": "milestone due",
    "overdue": "overdue",
    "target": "target date",
}


@pytest.mark.parametrize("index", GOALS)
def test_every_milestone_mark_has_a_legend_entry(report: dict[str, Any], index: int) -> None:
    chart = charts.milestone_timeline(report["goals"][index], "2026-06-01", "2026-11-20")
    kinds = {kind for kind, _, _ in marks(chart)}
    assert "target" in kinds
    assert ("done" in kinds) == bool(report["goals"][index]["milestones_done"])
    assert {MILESTONE_LEGEND[k] for k in kinds} <= set(legend(chart))
    assert "today" in legend(chart)
    assert "today 2026-11-20" in [words(t) for t in parse(chart).iter(f"{SVG}text")]


def test_the_overdue_milestone_of_the_example_is_in_the_legend(report: dict[str, Any]) -> None:
    overdue = [g for g in report["goals"] if g["milestones_overdue"]]
    chart = charts.milestone_timeline(overdue[0], "2026-06-01", "2026-11-20")
    assert marks(chart, "overdue")
    assert "overdue" in legend(chart)


def test_sessions_chart_has_a_legend_for_dots_rings_and_gap_bands(report: dict[str, Any]) -> None:
    cadence = report["cadence"]
    chart = charts.session_cadence(cadence, "2026-06-01", "2026-11-20")
    assert len(marks(chart, "session")) == cadence["held"] == 12
    assert len(marks(chart, "expected")) == cadence["expected"] == 13
    assert len(marks(chart, "gap")) == len(cadence["gaps"]) == 2
    assert legend(chart) == [
        "session held",
        "session expected (every 14 days)",
        "longer than agreed without a session",
    ]
    texts = [words(t) for t in parse(chart).iter(f"{SVG}text")]
    assert texts.count("21 days") == 2  # each band says how long it lasted, in ink


def test_sessions_chart_without_frequency_or_gaps_has_no_legend_for_them() -> None:
    cadence = {"interval_days": None, "expected": None, "dates": ["2026-06-03"], "gaps": []}
    chart = charts.session_cadence(cadence, "2026-06-01", "2026-06-30")
    assert legend(chart) == ["session held"]
    assert not marks(chart, "expected") and not marks(chart, "gap")


def test_actions_chart_has_a_legend_for_both_lines(report: dict[str, Any]) -> None:
    chart = charts.action_completion(report["action_timeline"])
    assert legend(chart) == ["actions agreed (34)", "actions done (32)"]


# Date axes: ticks a reader can name, for short and long stretches alike.


@pytest.mark.parametrize(
    ("start", "end", "labels"),
    [
        ("2026-06-01", "2026-11-20", ["Jun 2026", "Jul", "Aug", "Sep", "Oct", "Nov"]),
        ("2026-11-15", "2027-03-10", ["Dec 2026", "Jan 2027", "Feb", "Mar"]),
        (
            "2026-01-01",
            "2027-12-12",
            ["Jan 2026", "Apr", "Jul", "Oct", "Jan 2027", "Apr", "Jul", "Oct"],
        ),
        (
            "2026-06-01",
            "2026-07-20",
            ["1 Jun", "8 Jun", "15 Jun", "22 Jun", "29 Jun", "6 Jul", "13 Jul", "20 Jul"],
        ),
        ("2026-06-01", "2026-06-04", ["1 Jun", "2 Jun", "3 Jun", "4 Jun"]),
        ("2020-01-01", "2040-01-01", ["2020", "2025", "2030", "2035", "2040"]),
    ],
)
def test_date_axis_ticks(start: str, end: str, labels: list[str]) -> None:
    assert [label for _, label in DateAxis(start, end).ticks()] == labels


def test_timelines_carry_month_ticks(report: dict[str, Any]) -> None:
    sessions = charts.session_cadence(report["cadence"], "2026-06-01", "2026-11-20")
    assert tick_labels(sessions) == ["Jun 2026", "Jul", "Aug", "Sep", "Oct", "Nov"]
    g002 = charts.milestone_timeline(report["goals"][1], "2026-06-01", "2026-11-20")
    assert tick_labels(g002) == ["Jun 2026", "Jul", "Aug", "Sep", "Oct", "Nov"]


def test_tick_labels_stay_apart_and_inside() -> None:
    for start, end in [("2026-01-01", "2027-12-12"), ("2026-06-01", "2026-07-20")]:
        chart = charts.milestone_timeline(goal(target=end), start, start)
        ticks = set(tick_labels(chart))
        spans = [(left, right) for words, left, right, _ in label_spans(chart) if words in ticks]
        assert len(spans) > 6
        assert all(left >= 0 and right <= WIDTH for left, right in spans)
        assert all(a[1] < b[0] for a, b in pairwise(spans))


# Marks on one row never touch: today and target on one day, milestones days apart.


def assert_apart(chart: str, least: float = 12) -> None:
    """No two marks on one row closer than ``least``, no two labels on one line overlapping,
    and every label inside the chart."""
    for (k1, x1, y1), (k2, x2, y2) in combinations(marks(chart), 2):
        assert y1 != y2 or abs(x1 - x2) >= least, f"{k1} and {k2} overlap at x={x1:.0f}, {x2:.0f}"
    labels = label_spans(chart)
    for (w1, left1, right1, y1), (w2, left2, right2, y2) in combinations(labels, 2):
        assert y1 != y2 or right1 <= left2 or right2 <= left1, f"{w1!r} overlaps {w2!r}"
    assert all(left >= 0 and right <= WIDTH for _, left, right, _ in labels)


def test_target_and_milestone_on_one_day_are_stacked() -> None:
    chart = charts.milestone_timeline(
        goal(milestone("M1", "2026-11-30"), target="2026-11-30"), "2026-06-01", "2026-11-30"
    )
    (_, x1, y1), (_, x2, y2) = marks(chart, "due") + marks(chart, "target")
    assert x1 == x2 and y1 != y2
    assert_apart(chart)


def test_close_milestones_are_stacked_with_their_labels_apart() -> None:
    chart = charts.milestone_timeline(
        goal(
            milestone("M1", "2026-06-10", done="2026-06-09"),
            milestone("M2", "2026-06-11", overdue=True),
            milestone("M3", "2026-06-12", overdue=True),
            milestone("M4", "2026-06-12", overdue=True),
            target="2026-09-01",
        ),
        "2026-06-01",
        "2026-09-01",
    )
    assert len({y for _, _, y in marks(chart)}) == 4
    assert_apart(chart)
    assert sorted(w for w, *_ in label_spans(chart) if w.startswith("M")) == [
        "M1",
        "M2",
        "M3",
        "M4",
    ]


@given(
    dues=st.lists(st.integers(min_value=0, max_value=200), min_size=1, max_size=12),
    target=st.integers(min_value=0, max_value=200),
    today=st.integers(min_value=0, max_value=200),
)
def test_no_two_milestone_marks_touch_on_one_row(dues: list[int], target: int, today: int) -> None:
    start = "2026-06-01"
    chart = charts.milestone_timeline(
        goal(
            *(milestone(f"M{n + 1}", shift(start, d)) for n, d in enumerate(dues)),
            target=shift(start, target),
        ),
        start,
        shift(start, today),
    )
    assert_apart(chart)
    assert len(marks(chart)) == len(dues) + 1


def test_sessions_a_day_apart_are_stacked() -> None:
    cadence = {
        "interval_days": 7,
        "expected": 53,
        "dates": ["2026-03-02", "2026-03-03", "2026-03-03", "2026-03-10"],
        "gaps": [],
    }
    chart = charts.session_cadence(cadence, "2026-01-01", "2026-12-31")
    assert len(marks(chart, "session")) == 4
    assert_apart(chart.replace('class="mark expected"', 'class="other"'), least=5)


# Competencies: full names, one series for one assessment.

LONG_NAME = "Safeguarding adults and the Mental Capacity Act 2005 in everyday practice on shift"


def competency_rows(*names: str) -> list[dict]:
    return [
        {"id": f"K{n}", "name": name, "first": 2, "latest": 3} for n, name in enumerate(names, 1)
    ]


def name_lines(chart: str) -> list[list[str]]:
    """The lines of each multi-part label (a <text> of <tspan>s)."""
    return [
        [words(span) for span in t.iter(f"{SVG}tspan")]
        for t in parse(chart).iter(f"{SVG}text")
        if t.find(f"{SVG}tspan") is not None
    ]


def test_competency_names_are_whole_and_wrapped() -> None:
    chart = charts.competency_bars(
        competencies(
            assessment("C-1", "2026-06-01", "baseline"),
            assessment("C-2", "2026-08-31", "mid-way"),
            competency_rows(LONG_NAME, "Leading handovers"),
        )
    )
    long, short = name_lines(chart)
    assert " ".join(long) == f"K1 {LONG_NAME}" and len(long) > 1
    assert short == ["K2 Leading handovers"]
    assert all(text_width(line) <= 220 for line in long)


def test_example_competency_names_are_never_cut(report: dict[str, Any]) -> None:
    chart = charts.competency_bars(report["competencies"])
    shown = [" ".join(lines) for lines in name_lines(chart)]
    assert shown == [f"{r['id']} {r['name']}" for r in report["competencies"]["rows"]]
    assert "…" not in chart


def test_a_word_longer_than_a_line_is_broken_not_cut() -> None:
    word = "Supercalifragilisticexpialidociousness" * 2
    lines = wrap(f"K1 {word}", 120)
    assert "".join(lines).replace("K1", "") == word
    assert all(text_width(line) <= 120 for line in lines)


def test_one_assessment_is_one_series() -> None:
    baseline = assessment("C-2026-06-01", "2026-06-01", "baseline")
    data = competencies(baseline, baseline, competency_rows("Safeguarding", "Handovers"))
    chart = charts.competency_bars(data)
    bars = list(parse(chart).iter(f"{SVG}rect"))
    assert [b.get("class") for b in bars if b.get("class")] == ["bar latest", "bar latest"]
    assert legend(chart) == ["baseline (2026-06-01)"]
    assert charts.competency_caption(data) == "Competency ratings at baseline (2026-06-01)"
    assert "baseline and baseline" not in chart
    assert "→" not in chart


def test_two_assessments_are_two_series(report: dict[str, Any]) -> None:
    data = report["competencies"]
    chart = charts.competency_bars(data)
    classes = [b.get("class") for b in parse(chart).iter(f"{SVG}rect") if b.get("class")]
    assert classes.count("bar first") == classes.count("bar latest") == len(data["rows"])
    assert legend(chart) == ["baseline (2026-06-01)", "mid-way (2026-08-31)"]
    assert charts.competency_caption(data) == (
        "Competency ratings at baseline (2026-06-01) and mid-way (2026-08-31)"
    )


# Actions: drawn when every action falls on one day.


def test_actions_on_one_day_are_drawn_in_the_middle() -> None:
    chart = charts.action_completion([{"date": "2026-06-01", "agreed": 5, "done": 3}])
    agreed, done = marks(chart, "agreed"), marks(chart, "done")
    assert len(agreed) == len(done) == 1
    middle = (LEFT + WIDTH - RIGHT) / 2
    assert abs(agreed[0][1] - middle) < 20 and agreed[0][1] == done[0][1]
    assert agreed[0][2] < done[0][2]  # 5 agreed stands higher than 3 done
    assert "1 Jun" in tick_labels(chart)
    assert legend(chart) == ["actions agreed (5)", "actions done (3)"]


def test_actions_all_done_on_one_day_show_both_marks() -> None:
    chart = charts.action_completion([{"date": "2026-06-01", "agreed": 4, "done": 4}])
    assert len(marks(chart, "agreed")) == len(marks(chart, "done")) == 1


def test_actions_chart_spans_its_points(report: dict[str, Any]) -> None:
    points = report["action_timeline"]
    xs = [x for _, x, _ in marks(charts.action_completion(points), "done")]
    assert len(xs) == len(points) and xs == sorted(xs)
    assert xs[0] == LEFT and xs[-1] == WIDTH - RIGHT


def test_no_actions_no_chart() -> None:
    assert charts.action_completion([]) == ""


# Text is text: escaped everywhere, whatever a record says.

HOSTILE = '<script>alert(1)</script> & "quotes"'


def test_hostile_words_stay_text_in_every_chart() -> None:
    hostile_goal = goal(
        {"id": "M1", "text": HOSTILE, "due": "2026-07-01", "done": None, "overdue": True},
        title=HOSTILE,
    )
    drawn = [
        charts.milestone_timeline(hostile_goal, "2026-06-01", "2026-08-01"),
        charts.competency_bars(
            competencies(
                assessment("C-1", "2026-06-01", HOSTILE),
                assessment("C-2", "2026-08-01", "later"),
                competency_rows(HOSTILE),
            )
        ),
    ]
    for chart in drawn:
        assert "<script" not in chart
        assert HOSTILE in "".join(parse(chart).itertext())


def test_goal_title_with_a_script_stays_text_in_the_html_report(tmp_path: Path, run) -> None:
    hostile = GOAL.replace(
        "title: Lead the morning handover", "title: Handover <script>alert('x')</script> tricks"
    ).replace("text: Lead a handover with support", "text: <script>alert('y')</script> now")
    root = build_file_tree(
        tmp_path / "journal",
        {
            "mdmentor.yaml": MINIMAL_CONFIG,
            "agreement/2026-03-02-agreement.md": agreement(),
            "goals/G-001-handover.md": hostile,
        },
    )
    result = run("report", "progress", "--format", "html", "--as-of", "2026-05-11", cwd=root)
    assert result.exit_code == 0, result.output
    html = (root / "progress.html").read_text()
    assert "<script" not in html
    assert (
        "G-001 Handover &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; tricks: milestones" in html
    )
    assert "<title>M2 &lt;script&gt;alert('y')&lt;/script&gt; now (due 2026-04-30)</title>" in html
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';' in html

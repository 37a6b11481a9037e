"""The HTML report in a real browser: headless Chromium (Debian's chromium package).

Skipped, with the reason, where Chromium is not installed; .ci/run installs it.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from mdmentor.records.journal import load_records, open_journal
from mdmentor.reporting import charts
from mdmentor.reporting.reports import build_report
from mdmentor.reporting.view import JournalView

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (apt-get install chromium); .ci/run installs it",
)

HOSTILE_NOTE = (
    "Notes <script>document.title='PWNED'</script> and "
    "<img src=x onerror=\"document.title='PWNED'\"> [link](javascript:alert(1))\n"
)


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[bytes]:
    """Run headless Chromium with no network chatter, as the workplace notes advise."""
    assert CHROMIUM is not None
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            *args,
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )


def png_rows(path: Path) -> list[bytes]:
    """The rows of an 8-bit RGB or RGBA PNG (as Chromium writes them), as RGB bytes."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert depth == 8 and colour in (2, 6), "not an 8-bit RGB(A) PNG"
    size = 3 if colour == 2 else 4
    position, chunks = 8, []
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        if kind == b"IDAT":
            chunks.append(data[position + 8 : position + 8 + length])
        position += 12 + length
    raw, stride = zlib.decompress(b"".join(chunks)), width * size
    rows, above = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride) if kind else ():  # undo the row's filter, byte by byte
            left = line[i - size] if i >= size else 0
            corner = above[i - size] if i >= size else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + above[i]) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + above[i]) // 2) & 255
            else:
                guess = left + above[i] - corner
                nearest = min(
                    (abs(guess - left), 0), (abs(guess - above[i]), 1), (abs(guess - corner), 2)
                )
                line[i] = (line[i] + (left, above[i], corner)[nearest[1]]) & 255
        rows.append(
            bytes(line) if size == 3 else bytes(line[n] for n in range(stride) if n % 4 != 3)
        )
        above = line
    return rows


def is_band(red: int, green: int, blue: int) -> bool:
    """The light red of a gap band, #c62828 at 18% on white, in the chart or its legend
    (exactly: the edges of red text are other shades of it)."""
    return abs(red - 245) <= 1 and abs(green - 216) <= 1 and abs(blue - 216) <= 1


def report_html(tmp_path: Path, run, example: Path, kind: str) -> Path:
    """The example journal's ``kind`` report as HTML, its terms accepted, as of a fixed day."""
    report = tmp_path / f"{kind}.html"
    result = run(
        "--journal",
        str(example),
        "report",
        kind,
        "--format",
        "html",
        "-o",
        str(report),
        "--as-of",
        "2026-11-24",
    )
    assert result.exit_code == 0
    return report


def test_example_progress_report_renders_non_blank(tmp_path: Path, run, example: Path) -> None:
    shot = tmp_path / "shot.png"
    chromium(
        "--window-size=1000,1400",
        f"--screenshot={shot}",
        report_html(tmp_path, run, example, "progress").as_uri(),
        profile=tmp_path / "profile",
    )
    rows = png_rows(shot)
    assert len(rows) == 1400 and len(rows[0]) == 3000
    ink = sum(1 for row in rows[::4] for value in row[::21] if value < 200)
    assert ink > len(rows[::4]) * len(rows[0][::21]) // 100, "the screenshot is (nearly) blank"


@pytest.mark.parametrize("kind", ["progress", "review"])
def test_gap_bands_have_their_legend_in_ink(tmp_path: Path, run, example: Path, kind: str) -> None:
    """On paper only ink counts: the light red of the gap bands shows twice in the
    sessions chart, wide in the bands and small in the legend beneath them."""
    shot = tmp_path / "shot.png"
    chromium(
        "--window-size=1000,700",
        f"--screenshot={shot}",
        report_html(tmp_path, run, example, kind).as_uri(),
        profile=tmp_path / "profile",
    )
    shaded = [
        [x for x in range(0, len(row), 3) if is_band(*row[x : x + 3])] for row in png_rows(shot)
    ]
    runs: list[list[int]] = []  # stretches of rows with band colour (a line may cross one)
    for y, found in enumerate(shaded):
        if found and runs and runs[-1][-1] >= y - 3:
            runs[-1].append(y)
        elif found:
            runs.append([y])
    assert len(runs) == 2, f"band colour in {len(runs)} places, not two (bands and legend)"
    bands, key = ({x // 3 for y in stretch for x in shaded[y]} for stretch in runs)
    assert len(bands) > 100, "the gap bands are missing"
    assert 10 < len(key) < 30, "the legend's sample of a band is missing"
    assert max(key) < min(bands), "the legend sits at the left, under the chart"


CHART_CHECK = """
<pre id="problems"></pre>
<script>
const problems = [];
const apart = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) < 1
    || Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) < 1;
for (const figure of document.querySelectorAll("figure")) {
  const name = figure.querySelector("figcaption").textContent;
  const svg = figure.querySelector("svg"), frame = svg.getBoundingClientRect();
  const texts = [...svg.querySelectorAll("text")];
  const shapes = [...svg.querySelectorAll("g.mark, rect.bar, g.legend > g")];
  texts.forEach((text, n) => {
    const box = text.getBoundingClientRect();
    if (box.left < frame.left || box.right > frame.right || box.top < frame.top
        || box.bottom > frame.bottom) problems.push(`${name}: "${text.textContent}" is cut off`);
    for (const other of [...texts.slice(n + 1), ...shapes]) {
      if (!apart(box, other.getBoundingClientRect())) {
        const what = other.textContent || other.getAttribute("class") || other.innerHTML;
        problems.push(`${name}: "${text.textContent}" overlaps ${what}`);
      }
    }
  });
}
document.getElementById("problems").textContent = JSON.stringify(problems);
</script>
"""


def chart_cases(example: Path) -> list[tuple[str, str]]:
    """(caption, svg): the example journal's charts and the shapes that used to go wrong."""
    journal = open_journal(example)
    records, _ = load_records(journal)
    report = build_report(
        journal, JournalView.build(journal.config, records), "progress", today="2026-11-24"
    )
    start, today = report["period"]["start"], report["period"]["today"]
    cases = [
        ("sessions", charts.session_cadence(report["cadence"], start, today)),
        ("actions", charts.action_completion(report["action_timeline"])),
        ("competencies", charts.competency_bars(report["competencies"])),
        *((g["id"], charts.milestone_timeline(g, start, today)) for g in report["goals"]),
    ]
    crowded = {
        "id": "G-009",
        "target_date": "2026-07-01",
        "milestones": [
            {"id": f"M{n}", "text": "x", "due": f"2026-06-{d:02d}", "done": None, "overdue": True}
            for n, d in enumerate((10, 11, 11, 12, 30), 1)
        ],
    }
    name = "Safeguarding adults and the Mental Capacity Act 2005 in everyday practice " * 2
    baseline = {"id": "C-1", "date": "2026-06-01", "point": "baseline"}
    ratings = [
        {"id": "K1", "name": name, "first": 2, "latest": 2},
        {"id": "K2", "name": "Supercalifragilisticexpialidociousness" * 2, "first": 1, "latest": 1},
    ]
    weekly = {
        "interval_days": 7,
        "expected": 53,
        "dates": [f"2026-{m:02d}-{d:02d}" for m in range(1, 13) for d in (1, 8, 9, 20)],
        "gaps": [{"from": "2026-01-20", "to": "2026-02-01", "days": 12}],
    }
    return [
        *cases,
        ("crowded milestones", charts.milestone_timeline(crowded, "2026-06-01", "2026-07-01")),
        (
            "one assessment, long names",
            charts.competency_bars(
                {"first": baseline, "latest": baseline, "scale": {"max": 5}, "rows": ratings}
            ),
        ),
        (
            "actions on one day",
            charts.action_completion([{"date": "2026-06-01", "agreed": 3, "done": 3}]),
        ),
        ("weekly for a year", charts.session_cadence(weekly, "2026-01-01", "2026-12-31")),
    ]


@pytest.mark.parametrize("width", [1000, 700])
def test_chart_text_is_never_cut_off_nor_overlapping(
    tmp_path: Path, example: Path, width: int
) -> None:
    """Measured with the browser's own fonts, not the estimates the charts are laid out by."""
    page = tmp_path / "charts.html"
    figures = "".join(
        f"<figure><figcaption>{caption}</figcaption>{svg}</figure>"
        for caption, svg in chart_cases(example)
    )
    page.write_text(
        f'<!DOCTYPE html><meta charset="utf-8"><body style="max-width:52rem">{figures}{CHART_CHECK}'
    )
    dom = chromium(
        f"--window-size={width},1000", "--dump-dom", page.as_uri(), profile=tmp_path / "profile"
    ).stdout.decode()
    found = re.search(r'<pre id="problems">(.*?)</pre>', dom)
    assert found, "the check did not run"
    assert json.loads(html.unescape(found.group(1))) == []


def test_script_in_a_note_does_not_run(journal: Path, tmp_path: Path, run) -> None:
    session = journal / "sessions/2026/2026-03-09-first-session.md"
    session.write_text(session.read_text() + HOSTILE_NOTE)
    report = tmp_path / "prep.html"
    result = run(
        "report",
        "prep",
        "--format",
        "html",
        "-o",
        str(report),
        "--as-of",
        "2026-03-10",
        cwd=journal,
    )
    assert result.exit_code == 0
    dom = chromium("--dump-dom", report.as_uri(), profile=tmp_path / "profile").stdout.decode()
    assert "<title>Prep report: Test journal</title>" in dom
    assert "PWNED</title>" not in dom
    assert "&lt;script&gt;document.title='PWNED'&lt;/script&gt;" in dom
    assert 'onerror="document.title' not in dom.replace('&lt;img src=x onerror="document.title', "")
    assert 'href="javascript:' not in dom

"""Time ``mdmentor check`` and every report, Markdown and HTML, on synthetic journals.

    python benchmarks/bench_report.py [--records 10000 50000] [--runs 5] [--kinds progress …]

For each size it builds a journal with synthetic.build (sessions with actions and notes,
goals, reflections, an agreement) and adds a mentor's reflective-log entry flagged for
supervision for one session in twenty, so that ``report supervision`` has entries to find.
Each command runs in a fresh process: once to warm the file cache, then ``--runs`` times,
the commands taking turns. It prints the median wall-clock time, the fastest and slowest
run, the peak memory of the process, and the median as a multiple of ``check`` on the
same journal.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import build

KINDS = ("progress", "review", "prep", "actions", "supervision", "evidence")
#: One session in this many gets a reflective-log entry flagged for supervision.
LOG_EVERY = 20

LOG = """\
---
type: reflection
id: R-{day}-mentor
date: {day}
author: mentor
kind: reflective-log
session: S-{day}
went_well:
  - Listening first
do_differently:
  - Leave more silence
development_areas:
  - Asking rather than telling
for_supervision: true
---

What I noticed about my own practice in this session.
"""


def add_supervision_logs(root: Path) -> int:
    """A mentor's log entry, flagged for supervision, for one session in ``LOG_EVERY``."""
    sessions = sorted((root / "sessions").rglob("*-session.md"))
    for path in sessions[::LOG_EVERY]:
        day = path.name[:10]
        target = root / "reflections" / day[:4] / f"{day}-mentor-log.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(LOG.format(day=day))
    return len(sessions[::LOG_EVERY])


def run_once(args: list[str]) -> tuple[float, int, int]:
    """Run mdmentor once: seconds, peak memory in bytes, exit status."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "mdmentor", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss * 1024, process.returncode


def bench(records: int, runs: int, kinds: list[str], scratch: Path) -> None:
    """Build a journal of about ``records`` records and time check and each report on it.

    Every command is warmed up once, then the commands take turns, run after run, so
    that whatever else the machine is doing weighs on all of them alike."""
    root = scratch / f"journal-{records}"
    root.mkdir()
    logs = records * 3 // 4 // LOG_EVERY  # sessions are about three records in four
    build(root, records - logs)
    add_supervision_logs(root)
    files = list(root.rglob("*.md"))
    size = sum(p.stat().st_size for p in files)
    print(f"journal: {len(files):,} records, {size / 1e6:.1f} MB; median of {runs} runs")
    journal = ["--journal", str(root)]
    commands = {"check": [*journal, "check"]}
    for kind in kinds:
        report = [*journal, "report", kind, "--as-of", "2030-01-01"]
        commands[f"report {kind} (md)"] = [*report, "-o", str(scratch / "report.md")]
        commands[f"report {kind} (html)"] = [
            *report,
            "--format",
            "html",
            "-o",
            str(scratch / "report.html"),
        ]
    for args in commands.values():
        run_once(args)
    results: dict[str, list[tuple[float, int, int]]] = {label: [] for label in commands}
    for _ in range(runs):
        for label, args in commands.items():
            results[label].append(run_once(args))
    check = statistics.median(seconds for seconds, _, _ in results["check"])
    print(f"  {'command':<28} {'median':>9}  {'(min-max)':<11}  {'peak':>9}  {'/check':>6}")
    for label, found in results.items():
        times = [seconds for seconds, _, _ in found]
        median = statistics.median(times)
        peak = max(memory for _, memory, _ in found)
        failed = sorted({code for _, _, code in found if code not in (0, 1)})
        print(
            f"  {label:<28} {median:7.2f} s  ({min(times):.2f}-{max(times):.2f})"
            f"  {peak / 2**20:7.0f} MB  {median / check:5.2f}x"
            + (f"  exit {failed}" if failed else ""),
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS))
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        for records in options.records:
            bench(records, options.runs, options.kinds, Path(scratch))


if __name__ == "__main__":
    main()

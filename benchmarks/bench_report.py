"""Time ``mdmentor report progress --format html`` on a synthetic journal.

    python benchmarks/bench_report.py [--records N]

Builds N records (default 10,000) with synthetic.build, then runs the report in a
fresh process (cold) and prints the wall-clock time and the size of the HTML.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import build


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=10_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "journal"
        root.mkdir()
        build(root, options.records)
        out = Path(scratch) / "progress.html"
        print(f"journal: {sum(1 for _ in root.rglob('*.md'))} records")
        for kind in ("progress", "actions"):
            start = time.perf_counter()
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "mdmentor",
                    "--journal",
                    str(root),
                    "report",
                    kind,
                    "--format",
                    "html",
                    "-o",
                    str(out),
                    "--as-of",
                    "2030-01-01",
                ],
                capture_output=True,
                text=True,
            )
            seconds = time.perf_counter() - start
            size = out.stat().st_size if out.exists() else 0
            print(
                f"mdmentor report {kind} --format html: {seconds:.2f} s "
                f"(exit {done.returncode}, {size / 1e6:.1f} MB){' ' + done.stderr.strip() if done.returncode else ''}"
            )


if __name__ == "__main__":
    main()

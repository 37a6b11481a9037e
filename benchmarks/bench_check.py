"""Time ``mdmentor check`` and ``mdmentor list`` on a synthetic journal.

    python benchmarks/bench_check.py [--records N] [--keep DIR]

Generates N records (default 10,000: sessions with actions and a few hundred
words of notes, plus goals and reflections), then runs each command in a fresh
process (cold: nothing imported or cached) and prints the wall-clock times,
and the time of ``mdmentor --help``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import build


def timed(*args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "mdmentor", *args], capture_output=True, text=True)
    if done.returncode not in (0, 1) or not done.stdout.strip():
        sys.exit(
            f"mdmentor {' '.join(args[:1])} did not run with {sys.executable}:\n"
            f"{done.stderr.strip()}\nRun the benchmark with the Python of the virtual "
            "environment mdmentor is installed in: .venv/bin/python benchmarks/bench_check.py"
        )
    return time.perf_counter() - start, done


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="Build the journal here and keep it.")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = options.keep or Path(scratch) / "journal"
        root.mkdir(parents=True, exist_ok=True)
        build(root, options.records)
        count = sum(1 for _ in root.rglob("*.md"))
        size = sum(p.stat().st_size for p in root.rglob("*.md"))
        print(f"journal: {count} records, {size / 1e6:.1f} MB")
        seconds, done = timed("--help")
        print(f"mdmentor --help: {seconds * 1000:.0f} ms")
        seconds, done = timed("--journal", str(root), "check")
        print(
            f"mdmentor check: {seconds:.2f} s (exit {done.returncode}; {done.stdout.strip().splitlines()[-1]})"
        )
        seconds, done = timed("--journal", str(root), "list", "--format", "json")
        print(f"mdmentor list: {seconds:.2f} s (exit {done.returncode})")


if __name__ == "__main__":
    main()

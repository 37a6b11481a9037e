"""Time ``mdmentor sync`` of one changed record in a journal of N records.

    python benchmarks/bench_sync.py [--records N] [--rounds R]

Builds a journal (default 10,000 records) with synthetic.build, publishes it to a
local bare remote, clones it twice, then times in fresh processes:
  1. sync of one changed record (commit, fetch, push);
  2. sync on the other clone, which is behind (fast-forward);
  3. sync where both clones changed the same record in different fields
     (a merge through the field-level driver).
Steps 1 and 3 are repeated R times (default 5) on different records; the medians, and
how many times slower the merging sync is than the plain one, are printed last.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import build


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def timed_sync(clone: Path) -> tuple[float, str]:
    """Run ``mdmentor sync`` in a fresh process; its seconds and a line saying how it went."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mdmentor", "--journal", str(clone), "sync"],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    last = (done.stdout.strip().splitlines() or [""])[-1]
    if done.returncode != 0:
        raise SystemExit(f"sync failed in {clone} (exit {done.returncode}):\n{done.stderr}")
    return seconds, f"{seconds:.2f} s (exit {done.returncode}: {last})"


def replace_in(path: Path, old: str, new: str) -> None:
    """Edit one line of a record as a person would, in place."""
    text = path.read_text()
    if old not in text:
        raise SystemExit(f"{old!r} is not in {path}")
    path.write_text(text.replace(old, new, 1))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    env_identity = ("-c", "user.name=Bench", "-c", "user.email=bench@example.org")
    with tempfile.TemporaryDirectory() as scratch:
        top = Path(scratch)
        remote, first, second = top / "remote.git", top / "mentor", top / "mentee"
        first.mkdir()
        build(first, options.records)
        git(top, "init", "-q", "--bare", "-b", "main", str(remote))
        git(first, "init", "-q", "-b", "main")
        git(first, "add", "-A")
        git(first, *env_identity, "commit", "-q", "-m", "start")
        git(first, "remote", "add", "origin", str(remote))
        git(first, "push", "-q", "-u", "origin", "main")
        git(top, "clone", "-q", str(remote), str(second))
        for clone in (first, second):
            git(clone, "config", "user.name", "Bench")
            git(clone, "config", "user.email", "bench@example.org")
        print(f"journal: {sum(1 for _ in first.rglob('*.md'))} records")
        print(f"first sync (registers the driver, commits .gitattributes): {timed_sync(first)[1]}")
        print(f"catch-up on the other clone: {timed_sync(second)[1]}")
        sessions = sorted((first / "sessions").rglob("*.md"))
        plain, merging = [], []
        for round_ in range(options.rounds):
            rel = sessions[round_ * 7 % len(sessions)].relative_to(first)
            replace_in(first / rel, "duration_minutes: 60", "duration_minutes: 75")
            seconds, line = timed_sync(first)
            plain.append(seconds)
            print(f"round {round_ + 1}: sync of one changed record: {line}")
            print(f"round {round_ + 1}: fast-forward on the other clone: {timed_sync(second)[1]}")
            replace_in(first / rel, "mode: video", "mode: phone")
            replace_in(second / rel, 'start_time: "14:00"', 'start_time: "15:00"')
            print(
                f"round {round_ + 1}: sync of one changed record (mentor): {timed_sync(first)[1]}"
            )
            seconds, line = timed_sync(second)
            merging.append(seconds)
            print(f"round {round_ + 1}: sync with a field-level merge (mentee): {line}")
            timed_sync(first)  # the mentor takes the merge, ready for the next round
        plain_s, merging_s = statistics.median(plain), statistics.median(merging)
        print(
            f"median of {options.rounds} rounds: plain sync {plain_s:.2f} s, merging sync "
            f"{merging_s:.2f} s ({merging_s / plain_s:.1f}x)"
        )


if __name__ == "__main__":
    main()

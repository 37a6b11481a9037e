"""Time ``mdmentor sync`` of one changed record in a journal of N records.

    python benchmarks/bench_sync.py [--records N]

Builds a journal (default 10,000 records) with synthetic.build, publishes it to a
local bare remote, clones it twice, then times in fresh processes:
  1. sync of one changed record (commit, fetch, push);
  2. sync on the other clone, which is behind (fast-forward);
  3. sync where both clones changed the same record in different fields
     (a merge through the field-level driver).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import build


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def timed_sync(clone: Path) -> str:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mdmentor", "--journal", str(clone), "sync"],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    last = (done.stdout.strip().splitlines() or [""])[-1]
    return f"{seconds:.2f} s (exit {done.returncode}: {last})"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=10_000)
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
        print(f"first sync (registers the driver, commits .gitattributes): {timed_sync(first)}")
        print(f"catch-up on the other clone: {timed_sync(second)}")
        session = next((first / "sessions").rglob("*.md"))
        rel = session.relative_to(first)
        session.write_text(
            session.read_text().replace("duration_minutes: 60", "duration_minutes: 75")
        )
        print(f"sync of one changed record: {timed_sync(first)}")
        print(f"fast-forward on the other clone: {timed_sync(second)}")
        mine, theirs = first / rel, second / rel
        mine.write_text(mine.read_text().replace("mode: video", "mode: phone"))
        theirs.write_text(theirs.read_text().replace('start_time: "14:00"', 'start_time: "15:00"'))
        print(f"sync of one changed record (mentor): {timed_sync(first)}")
        print(f"sync with a field-level merge (mentee): {timed_sync(second)}")


if __name__ == "__main__":
    main()

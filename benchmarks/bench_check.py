"""Time ``mdmentor check`` and ``mdmentor list`` on a synthetic journal.

    python benchmarks/bench_check.py [--records N] [--keep DIR]

Generates N records (default 10,000: sessions with actions and a few hundred
words of notes, plus goals and reflections), then runs each command in a fresh
process (cold: nothing imported or cached) and prints the wall-clock times,
and the time of ``mdmentor --help``.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

WORDS = (
    "resident handover care plan team shift medication review safeguarding family "
    "meeting confidence feedback rota supervision training record practice support "
    "listening options reality goal will agreed progress reflect learning"
).split()

CONFIG = """\
mdmentor: 1
title: Benchmark journal
people:
  - {id: mentor, name: Ann Example, role: mentor}
  - {id: mentee, name: Ben Sample, role: mentee}
competencies:
  - {id: K1, area: knowledge, name: Safeguarding}
  - {id: S1, area: skill, name: Handover}
"""


def prose(rng: random.Random, words: int) -> str:
    """Paragraphs of filler session notes."""
    chosen = [rng.choice(WORDS) for _ in range(words)]
    return "\n\n".join(" ".join(chosen[i : i + 60]).capitalize() + "." for i in range(0, words, 60))


def session(day: date, goals: int, rng: random.Random) -> str:
    actions = "\n".join(
        f"  - id: A{n}\n    text: {rng.choice(WORDS)} {rng.choice(WORDS)} follow-up\n"
        f"    owner: mentee\n    due: {day + timedelta(days=14)}\n"
        + (
            f"    status: done\n    done: {day + timedelta(days=7)}"
            if n % 2
            else "    status: open"
        )
        for n in range(1, 4)
    )
    return (
        f'---\ntype: session\nid: S-{day}\ndate: {day}\nstart_time: "14:00"\nduration_minutes: 60\n'
        f"mode: video\nattendees: [mentor, mentee]\ngoals: [G-{rng.randint(1, goals):03d}]\n"
        f"topics:\n  - {rng.choice(WORDS)}\n  - {rng.choice(WORDS)}\n"
        f"approach:\n  name: GROW\n  goal: {rng.choice(WORDS)}\n  reality: {rng.choice(WORDS)}\n"
        f"insights:\n  - {rng.choice(WORDS)} matters\ndecisions:\n  - keep going\n"
        f"actions:\n{actions}\nnext_session:\n  date: {day + timedelta(days=14)}\n---\n\n"
        f"# Notes\n\n{prose(rng, 300)}\n"
    )


def goal(number: int, rng: random.Random) -> str:
    return (
        f"---\ntype: goal\nid: G-{number:03d}\ncreated: 2000-01-01\ntitle: Goal {number}\nowner: mentee\n"
        f"status: active\nspecific: {rng.choice(WORDS)}\nmeasurable: {rng.choice(WORDS)}\n"
        f"achievable: yes\nrelevant: role\ntarget_date: 2099-12-31\nmilestones:\n"
        f"  - {{id: M1, text: first step, due: 2099-06-30}}\nprogress:\n"
        f"  - {{id: P1, date: 2000-02-01, by: mentee, note: started}}\ncompetencies: [S1]\n---\n\n"
        f"{prose(rng, 120)}\n"
    )


def reflection(day: date, rng: random.Random) -> str:
    return (
        f"---\ntype: reflection\nid: R-{day}-mentee\ndate: {day}\nauthor: mentee\n"
        f"kind: mentee-reflection\nsession: S-{day}\nwent_well:\n  - {rng.choice(WORDS)}\n"
        f"do_differently:\n  - {rng.choice(WORDS)}\nfor_supervision: false\n---\n\n{prose(rng, 200)}\n"
    )


def build(root: Path, records: int) -> None:
    """Write a journal of about ``records`` records under ``root``."""
    rng = random.Random(4)
    (root / "mdmentor.yaml").write_text(CONFIG)
    goals = max(1, records // 100)
    for number in range(1, goals + 1):
        path = root / "goals" / f"G-{number:03d}-goal.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(goal(number, rng))
    remaining = records - goals
    sessions = remaining * 3 // 4
    day = date(2000, 1, 3)
    for n in range(remaining):
        current = day + timedelta(days=n if n < sessions else n - sessions)
        if n < sessions:
            path = root / "sessions" / str(current.year) / f"{current}-session.md"
            text = session(current, goals, rng)
        else:
            path = root / "reflections" / str(current.year) / f"{current}-reflection.md"
            text = reflection(current, rng)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def timed(*args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "mdmentor", *args], capture_output=True, text=True)
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

"""A synthetic journal for benchmarks: sessions with actions and a few hundred words of
notes, goals with milestones and progress, reflections, and an agreement."""

from __future__ import annotations

import random
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


AGREEMENT = """\
---
type: agreement
id: AG-2000-01-03
date: 2000-01-03
mentor: mentor
mentee: mentee
start: 2000-01-03
planned_end: 2099-12-31
meeting_frequency: weekly
communication: [video]
confidentiality: {terms: Between us., limits: [Safeguarding.]}
access: {session: [mentor, mentee]}
retention: {keep_for: {years: 6, from: relationship-end}, disposal: Deleted.}
agreed_by: [{person: mentor, date: 2000-01-03}, {person: mentee, date: 2000-01-03}]
---
"""


def build(root: Path, records: int) -> None:
    """Write a journal of about ``records`` records under ``root``."""
    rng = random.Random(4)
    (root / "mdmentor.yaml").write_text(CONFIG)
    (root / "agreement").mkdir(parents=True, exist_ok=True)
    (root / "agreement" / "2000-01-03-agreement.md").write_text(AGREEMENT)
    records -= 1  # the agreement
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

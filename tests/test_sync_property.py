"""Property: random edit/sync sequences on two clones never lose an edit silently.

Runs 25 sequences of up to 10 steps here (about half a minute);
benchmarks/bench_sync_fuzz.py runs the same machine 1,000 times or more.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

from .sync_machine import TwoClones

SEQUENCES = 25

TestTwoClones = TwoClones.TestCase
TestTwoClones.settings = settings(
    max_examples=SEQUENCES,
    stateful_step_count=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)

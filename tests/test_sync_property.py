"""Property: random edit/sync sequences on two clones lose nothing and rewrite nothing.

Runs 25 sequences of up to 10 steps here (about a minute): no edit or comment lost, no
line that neither side changed rewritten by a merge, every conflict (a version not in
UTF-8 among them) listed by sync, git fsck clean. benchmarks/bench_sync_fuzz.py runs the
same machine 1,000 times or more and prints the counts.
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

"""Run the two-clone edit/sync state machine many times and count what was lost.

    python benchmarks/bench_sync_fuzz.py [--sequences 1000] [--steps 10]

Each sequence builds a bare remote and two clones, makes random edits (in place, in the
authors' own formatting) and syncs on both, syncs both at the end (tests/sync_machine.py),
and counts: edits lost, comments dropped, lines that neither side changed but a merge
rewrote, conflicts that sync did not list, and git fsck failures. Every figure printed
is counted, not assumed; the run goes on past a failure and prints the first few. Exit
status 1 if any of those counts is not zero.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from tests.sync_machine import Tally, TwoClones


def run(sequences: int, steps: int) -> Tally:
    """Run the machine ``sequences`` times, counting instead of stopping at a failure."""
    total = Tally()

    class Counted(TwoClones):
        strict = False

        def teardown(self) -> None:
            try:
                super().teardown()
            finally:
                total.add(self.tally)

    run_state_machine_as_test(
        Counted,
        settings=settings(
            max_examples=sequences,
            stateful_step_count=steps,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        ),
    )
    return total


def report(total: Tally, steps: int, seconds: float) -> str:
    """The counts, one figure a line."""
    return "\n".join(
        [
            f"{total.sequences} sequences of up to {steps} steps: {total.steps} steps, "
            f"{total.edits} edits, {total.syncs} syncs",
            f"merges: {total.merges} ({total.record_merges} of a record both sides had "
            f"edited); items renumbered: {total.renumbered}",
            f"syncs that listed a conflict: {total.conflicts_listed} "
            f"({total.not_utf8_listed} of a record not in UTF-8); "
            f"conflicts resolved by hand: {total.resolved}; "
            f"saves made while a sync ran: {total.saves_during_sync}",
            f"lost edits: {total.lost_edits}",
            f"dropped comments: {total.dropped_comments}",
            f"rewritten untouched lines: {total.rewritten_lines}",
            f"conflicts sync did not list: {total.unlisted_conflicts}",
            f"git fsck failures: {total.fsck_failures}",
            f"({seconds:.0f} s, {seconds / max(total.sequences, 1):.2f} s a sequence)",
            *(f"\nfailure:\n{example}" for example in total.examples),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sequences", type=int, default=1000)
    parser.add_argument("--steps", type=int, default=10)
    options = parser.parse_args()
    start = time.perf_counter()
    total = run(options.sequences, options.steps)
    print(report(total, options.steps, time.perf_counter() - start))
    sys.exit(1 if total.failures else 0)


if __name__ == "__main__":
    main()

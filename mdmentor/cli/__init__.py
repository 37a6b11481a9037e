"""The command line: click only. Every command parses its options, calls the core and
prints what it returns; the core never prints or exits.

Exit codes: 0 all well, 1 problems found (or the command failed), 2 usage error;
sync adds 3 (unsafe state) and 4 (network).
"""

from mdmentor.cli import privacy, records, reporting, sharing  # noqa: F401  (registers commands)
from mdmentor.cli.base import cli, main

__all__ = ["cli", "main"]

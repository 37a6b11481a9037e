"""Cross-record rules: what one file's schema cannot see on its own.

Ids are unique, references resolve, and dates that must be in order are. The
rules run only on records whose front matter passed its schema, so they can
trust the shape of the data: ``references`` (ids and what they name),
``per_record`` (each type's own rules), ``across`` (rules over several records).
"""

from __future__ import annotations

from mdmentor.records.journal import Config
from mdmentor.records.model import Problem, Record
from mdmentor.records.rules.across import JOURNAL_RULES
from mdmentor.records.rules.common import values_at
from mdmentor.records.rules.per_record import RECORD_RULES
from mdmentor.records.rules.references import (
    duplicate_ids,
    id_matches_date,
    known_ids,
    references,
)

__all__ = ["check_rules", "values_at"]


def check_rules(
    records: list[Record], config: Config, *, broken: set[str] | frozenset[str] = frozenset()
) -> list[Problem]:
    """Every cross-record problem in ``records``. ``broken`` names the types of records
    that could not be read at all (each already reported): a reference to one of those
    types is not reported missing, since it may well be the broken record, and one mistake
    should give one problem."""
    problems = list(duplicate_ids(records))
    known = known_ids(records, config)
    sealed = {r.type.name for r in records if r.sealed}
    for record in records:
        problems.extend(references(record, known, config, sealed, broken))
    valid = [r for r in records if r.valid]
    for record in valid:
        problems.extend(id_matches_date(record))
        for rule in RECORD_RULES.get(record.type.name, ()):
            problems.extend(rule(record))
    for journal_rule in JOURNAL_RULES:
        problems.extend(journal_rule(valid))
    return problems

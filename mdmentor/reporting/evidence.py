"""Portfolio evidence: which records evidence each assessment criterion of a qualification."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mdmentor import templating
from mdmentor.errors import ConfigError, ParseError
from mdmentor.records import validation
from mdmentor.records.model import format_field
from mdmentor.records.parsing import line_at, load_yaml
from mdmentor.reporting.report_data import common
from mdmentor.reporting.view import JournalView

DEFAULT_CRITERIA = "unit-435"


def load_criteria(name: str, journal_root: Path | None) -> dict[str, Any]:
    """The criteria file ``templates/evidence/NAME.yaml`` (the journal's own copy first)."""
    try:
        text, path = templating.read_template(f"evidence/{name}.yaml", journal_root)
    except ParseError as err:
        raise ConfigError(err.message, path=err.path, line=err.line) from err
    try:
        data, lines = load_yaml(text)
    except ParseError as err:
        raise ConfigError(err.message, path=path, line=err.line) from err
    if not isinstance(data, dict):
        raise ConfigError("must be a set of fields ('key: value' lines)", path=path, line=1)
    problems = validation.validate(data, "evidence")
    if problems:
        where, _, message = problems[0]
        raise ConfigError(message, path=path, line=line_at(lines, where), field=format_field(where))
    return data


def _matches(meta: dict[str, Any], rule: dict[str, Any]) -> bool:
    if any(meta.get(key) in (None, "", [], {}) for key in rule.get("fields", [])):
        return False
    return all(meta.get(key) == value for key, value in rule.get("where", {}).items())


def evidence(view: JournalView, criteria: dict[str, Any], root: Path) -> dict[str, Any]:
    """Each criterion with the records that evidence it, and those with none yet."""
    rows = []
    for criterion in criteria["criteria"]:
        found = []
        for rule in criterion["evidenced_by"]:
            records = [r for r in view.of(rule["record"]) if _matches(r.meta, rule)]
            if records:
                found.append(
                    {
                        "why": rule.get("why", ""),
                        "records": [
                            {
                                "id": r.id,
                                "date": r.date,
                                "type": r.type.label,
                                "path": r.path.relative_to(root).as_posix(),
                            }
                            for r in records
                        ],
                    }
                )
        rows.append({**{k: criterion.get(k) for k in ("id", "outcome", "text")}, "evidence": found})
    return {
        **common(view, "evidence", None),
        "qualification": criteria["qualification"],
        "unit": criteria["unit"],
        "criteria": rows,
        "missing": [r for r in rows if not r["evidence"]],
    }

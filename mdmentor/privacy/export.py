"""Exports: anonymised portfolio evidence, and everything held about one person.

An anonymised export replaces every configured person's name, email and other
configured identifiers with role labels, in the front matter and in free text,
and can shift every date by a fixed number of days (ids, which hold dates,
shift with them, so references still match).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import timedelta
from pathlib import Path

from mdmentor.errors import UsageError
from mdmentor.fileio import atomic_write
from mdmentor.records.journal import CONFIG_NAME, Config, Journal, record_text
from mdmentor.records.listing import Filters, find, matches
from mdmentor.records.model import Record

#: What an anonymised export holds when no records are named: the portfolio examples.
DEFAULT_TYPES = ("agreement", "needs_assessment", "review")

_DATE = re.compile(r"(?<![0-9])([0-9]{4})-([0-9]{2})-([0-9]{2})(?![0-9])")


@dataclass
class ExportResult:
    """What was written, and what could not be."""

    written: list[Path] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)


def _outside(journal: Journal, target: Path) -> Path:
    target = target.resolve()
    if target == journal.root or journal.root in target.parents:
        raise UsageError(
            f"{target} is inside the journal; an export holds personal data and goes outside it"
        )
    if target.exists() and any(target.iterdir()):
        raise UsageError(f"{target} is not empty; choose a new folder")
    return target


def replacements(config: Config) -> list[tuple[re.Pattern[str], str]]:
    """Patterns for every name, name part, email and configured identifier, longest first."""
    pairs: dict[str, str] = {}
    for person in config.people:
        label = person.role.capitalize()
        if person.email:
            pairs[person.email] = f"[{label}'s email]"
        pairs[person.name] = label
        for part in person.name.split():
            if len(part.strip(".")) > 1:
                pairs.setdefault(part.strip(".,"), label)
    for item in config.settings.get("identifiers", []):
        pairs[item["text"]] = item["label"]
    ordered = sorted(pairs, key=len, reverse=True)
    return [
        (re.compile(rf"(?<![\w@.]){re.escape(text)}(?![\w@])", re.IGNORECASE), pairs[text])
        for text in ordered
    ]


def anonymise_text(
    text: str, patterns: list[tuple[re.Pattern[str], str]], shift_days: int = 0
) -> str:
    """``text`` with names replaced by role labels and every date moved by ``shift_days``."""
    for pattern, label in patterns:
        text = pattern.sub(label, text)
    if shift_days:

        def move(match: re.Match[str]) -> str:
            try:
                day = Date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return match[0]
            return (day + timedelta(days=shift_days)).isoformat()

        text = _DATE.sub(move, text)
    return text


def export_anonymised(
    journal: Journal, records: list[Record], target: Path, *, ids: list[str], shift_days: int = 0
) -> ExportResult:
    """Write anonymised copies of the chosen records (default: agreement, needs, reviews)."""
    target = _outside(journal, target)
    chosen = (
        [find(records, i) for i in ids]
        if ids
        else [r for r in records if r.type.name in DEFAULT_TYPES and r.valid]
    )
    if not chosen:
        raise UsageError("no records to export; name them with --record ID")
    patterns = replacements(journal.config)
    result = ExportResult()
    for record in chosen:
        if record.sealed:
            result.unreadable.append(journal.relative(record.path))
            continue
        rel = anonymise_text(
            journal.relative(record.path).removesuffix(".age"), patterns, shift_days
        )
        path = target / rel
        atomic_write(path, anonymise_text(record_text(journal, record), patterns, shift_days))
        result.written.append(path)
    return result


def export_person(
    journal: Journal, records: list[Record], target: Path, person_id: str
) -> ExportResult:
    """Everything the journal holds about one person (a subject access request)."""
    person = journal.config.person(person_id)
    if person is None:
        raise UsageError(f"no person '{person_id}' in {CONFIG_NAME}")
    target = _outside(journal, target)
    result = ExportResult()
    about = Filters(person=person_id)
    for record in records:
        if record.sealed:
            result.unreadable.append(journal.relative(record.path))
            continue
        if not matches(record, about):
            continue
        path = target / journal.relative(record.path).removesuffix(".age")
        atomic_write(path, record_text(journal, record))
        result.written.append(path)
    lines = [
        f"# Records held about {person.name} ({person.role})",
        "",
        f"From the journal '{journal.config.title}'. Listed in mdmentor.yaml as: id "
        f"{person.id}, name {person.name}, role {person.role}"
        + (f", email {person.email}" if person.email else "")
        + ".",
        "",
    ]
    lines += [f"- {p.relative_to(target).as_posix()}" for p in result.written]
    if result.unreadable:
        lines += [
            "",
            "Encrypted records the person running this export could not read "
            "(ask their readers to export them):",
            "",
        ]
        lines += [f"- {name}" for name in result.unreadable]
    index = target / "index.md"
    atomic_write(index, "\n".join(lines) + "\n")
    result.written.append(index)
    return result

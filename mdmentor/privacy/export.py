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
from mdmentor.records.model import Problem, Record

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
    journal: Journal,
    records: list[Record],
    target: Path,
    person_id: str,
    problems: list[Problem] | None = None,
) -> ExportResult:
    """Everything the journal holds about one person (a subject access request): every
    record that refers to them or names them in its text, decrypted where this user may
    read it; and, in the index, every record that may hold something about them but was
    left out, with why and who can export it."""
    person = journal.config.person(person_id)
    if person is None:
        raise UsageError(f"no person '{person_id}' in {CONFIG_NAME}")
    target = _outside(journal, target)
    result = ExportResult()
    about = Filters(person=person_id)
    named = _name_pattern(person.name)
    left_out: list[tuple[str, str]] = []
    for record in records:
        shown = journal.relative(record.path)
        if record.sealed:
            result.unreadable.append(shown)
            left_out.append((shown, _why_sealed(journal, record)))
            continue
        text = record_text(journal, record)
        if not matches(record, about) and not named.search(text):
            continue
        path = target / shown.removesuffix(".age")
        atomic_write(path, text)
        result.written.append(path)
    readable = {r.path for r in records}
    for problem in problems or []:
        if problem.path not in readable and problem.path.name.endswith((".md", ".age")):
            left_out.append(
                (journal.relative(problem.path), f"could not be read: {problem.message}")
            )
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
    if left_out:
        lines += [
            "",
            "## Left out, and why",
            "",
            "These records may hold something about them, but are not in this export. Ask "
            "the people named to export them, so the answer to the request is complete.",
            "",
        ]
        lines += [f"- {name}: {why}" for name, why in sorted(set(left_out))]
    index = target / "index.md"
    atomic_write(index, "\n".join(lines) + "\n")
    result.written.append(index)
    return result


def _name_pattern(name: str) -> re.Pattern[str]:
    """The person's full name, or the first word of it, as a whole word, in any case."""
    parts = [re.escape(name)] + [re.escape(w) for w in name.split()[:1] if len(w) > 2]
    return re.compile(rf"(?<![\w]){'|'.join(parts)}(?![\w])", re.IGNORECASE)


def _why_sealed(journal: Journal, record: Record) -> str:
    """Why an encrypted record was left out, and who can open it (from its list of keys)."""
    from mdmentor.privacy.sealing import OWN_KEY, read_recipients

    keys = read_recipients(record.path, root=journal.root) or []
    owners = sorted({p.id for p in journal.config.people for key in p.keys if key in keys})
    if keys == [OWN_KEY]:
        return "encrypted for its author alone; only its author can export it"
    if owners:
        return f"encrypted, and not to your key; {', '.join(owners)} can open and export it"
    return "encrypted, and not to your key; its readers can export it"

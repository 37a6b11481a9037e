"""Creating things: a new journal (``init``) and new records (``new``)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path
from typing import Any

from mdmentor import templating
from mdmentor.errors import UsageError
from mdmentor.fileio import atomic_write
from mdmentor.records.facts import KindFacts, facts
from mdmentor.records.journal import CONFIG_NAME, Journal, Person, load_records, words_of
from mdmentor.records.model import (
    ACTIVE_GOALS,
    OPEN_ACTIONS,
    RECORD_TYPES,
    TYPE_ALIASES,
    Record,
    RecordType,
)
from mdmentor.sharing import gitrepo


@dataclass
class InitResult:
    """What ``init`` did: files written, files left alone, whether it ran git init."""

    created: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    git_initialised: bool = False


@dataclass(frozen=True)
class OpenAction:
    """An action from an earlier session that is not yet done."""

    ref: str
    text: str
    owner: str
    due: str | None


@dataclass
class NewRecord:
    """A record ``new`` wrote, and the open actions it carried into it."""

    path: Path
    id: str
    open_actions: list[OpenAction] = field(default_factory=list)
    encrypted: bool = False
    warning: str | None = None


def record_type(name: str) -> RecordType:
    """The record type called ``name`` (or one of its short aliases)."""
    key = TYPE_ALIASES.get(name, name.replace("-", "_"))
    if key not in RECORD_TYPES:
        raise UsageError(f"no record type '{name}'; choose from: {', '.join(RECORD_TYPES)}")
    return RECORD_TYPES[key]


def init_journal(
    target: Path,
    *,
    title: str,
    mentor: str | None = None,
    mentee: str | None = None,
    supervisor: str | None = None,
    today: Date | None = None,
) -> InitResult:
    """Create a journal in ``target``: config, first agreement, .gitignore, git repo.

    Existing files are never overwritten, so running it twice is safe.
    """
    target = target.resolve()
    for folder in target.parents:
        if (folder / CONFIG_NAME).is_file():
            raise UsageError(f"{target} is inside the journal at {folder}; choose another folder")
    result = InitResult()
    config = templating.render(
        "journal/mdmentor.yaml",
        {
            "title": title,
            "mentor": mentor or "<mentor's name>",
            "mentee": mentee or "<mentee's name>",
            "supervisor": supervisor,
        },
    )
    _write_new(target / CONFIG_NAME, config, result)
    _write_new(target / ".gitignore", templating.render("journal/gitignore", {}), result)
    agreement_dir = target / RECORD_TYPES["agreement"].folder
    existing = sorted(agreement_dir.glob("*.md")) if agreement_dir.is_dir() else []
    if existing:
        result.kept.extend(existing)
    else:
        on = (today or Date.today()).isoformat()
        people = _people_by_role(mentor, mentee, supervisor)
        text = templating.render("records/agreement.md", {"id": f"AG-{on}", "date": on, **people})
        _write_new(agreement_dir / f"{on}-mentoring-agreement.md", text, result)
    if not gitrepo.is_inside_repo(target):
        gitrepo.init_repo(target)
        result.git_initialised = True
    from mdmentor.sharing.sync import ATTRIBUTES_TEXT, configure_clone

    _write_new(target / ".gitattributes", ATTRIBUTES_TEXT, result)
    configure_clone(gitrepo.Repository(target))
    return result


def _people_by_role(
    mentor: str | None, mentee: str | None, supervisor: str | None
) -> dict[str, Person | None]:
    return {
        "mentor": Person("mentor", mentor or "", "mentor"),
        "mentee": Person("mentee", mentee or "", "mentee"),
        "supervisor": Person("supervisor", supervisor, "supervisor") if supervisor else None,
    }


def _write_new(path: Path, text: str, result: InitResult) -> None:
    if os.path.lexists(path):
        result.kept.append(path)
        return
    atomic_write(path, text)
    result.created.append(path)


def new_record(
    journal: Journal,
    type_name: str,
    *,
    on: Date,
    title: str | None = None,
    author: str | None = None,
    kind: str | None = None,
    model: str | None = None,
    writer: Person | None = None,
) -> NewRecord:
    """Scaffold a record of ``type_name`` from its template and write it.

    ``author`` is the person the record is by (``--by``); ``writer`` the person using
    this clone, who writes it where the record names no author. ``model`` (``--model``)
    names a model whose stages the record lays out: GROW for a session, Gibbs for a
    reflection.
    """
    rtype = record_type(type_name)
    if not rtype.new:
        raise UsageError(f"a {rtype.label} is written by '{rtype.written_by}', not by 'new'")
    config = journal.config
    by = config.require_person(author) if author else writer  # you, unless you say who
    chosen = _kind(rtype, kind, by)
    stages = _model(rtype, model)
    records, _ = load_records(journal)
    record_id = new_id(rtype, on, records, suffix=(chosen.id_suffix or "") if chosen else "")
    open_actions = _open_actions(records, before=on.isoformat())
    mentor, mentee = config.by_role("mentor"), config.by_role("mentee")
    context: dict[str, Any] = {
        "id": record_id,
        "date": on.isoformat(),
        "title": title,
        "kind": chosen.name if chosen else None,
        "mentor": mentor,
        "mentee": mentee,
        "supervisor": config.by_role("supervisor"),
        "author": by,
        "attendees": [p.id for p in (mentor, mentee) if p is not None],
        "goals": _active_goals(records),
        "all_goals": _all_goals(records),
        "open_actions": open_actions,
        "competencies": config.competencies,
        "last_session": _last_session(records, on.isoformat()),
        "agreement": _latest_agreement(records),
        "model": stages,
    }
    text = templating.render(f"records/{rtype.name}.md", context, journal_root=journal.root)
    from mdmentor.privacy.sealing import Sealer
    from mdmentor.privacy.trust import MissingKeys

    sealer = Sealer.open(journal, records, by or writer)
    private = sealer.must_encrypt(rtype.name, text)
    # A record that not everyone may read is named by its date and kind only: its title
    # could say what it is about, and file names are seen by everyone with the files.
    slug = _slug(None if private else title, rtype, chosen, journal)
    path = free_path(journal, rtype, on, record_id, slug)
    warning = None
    try:
        written = sealer.store(rtype.name, path, text)
    except MissingKeys as err:
        # Let people work before everyone has a key: the file stays on this machine, and
        # sync refuses to commit it until it is encrypted ('mdmentor encrypt').
        atomic_write(path, text, root=journal.root)
        written, warning = path, f"not encrypted yet: {err}; sync will not share it until then"
    return NewRecord(
        path=written,
        id=record_id,
        open_actions=[a for a in open_actions if a.ref in text],  # those the record lists
        encrypted=written != path,
        warning=warning,
    )


def _kind(rtype: RecordType, name: str | None, by: Person | None) -> KindFacts | None:
    """The kind asked for (or its short form), else the one its author's role writes, else
    the schema's first."""
    kinds = facts(rtype.name).kinds
    if name is not None:
        found = facts(rtype.name).kind(name)
        if found is None:
            choices = ", ".join(k.name for k in kinds) if kinds else "none"
            raise UsageError(f"'{name}' is not a kind of {rtype.label}; kinds: {choices}")
        return found
    by_role = [k for k in kinds if by is not None and k.author_role == by.role]
    return next(iter(by_role or kinds), None)


def _model(rtype: RecordType, name: str | None) -> dict[str, Any] | None:
    """The model ``name`` (any case) with its stages, as the record type's schema lists them."""
    if name is None:
        return None
    about = facts(rtype.name)
    choices = [m for m, stages in about.models.items() if stages]
    if not choices:
        raise UsageError(f"a {rtype.label} has no model to lay out (--model)")
    found = about.model(name)
    if found not in choices:
        raise UsageError(
            f"'{name}' is not a model for a {rtype.label}; models: {', '.join(choices)}"
        )
    return {"name": found, "stages": about.models[found]}


def new_id(rtype: RecordType, on: Date, records: list[Record], *, suffix: str = "") -> str:
    """The next free id of ``rtype`` on day ``on`` (G-004; R-2026-11-24-mentee-2)."""
    taken = {r.id for r in records if r.id}
    if not rtype.dated:
        prefix = re.escape(rtype.id_prefix)
        numbers = [
            int(m.group(1))
            for r in records
            if r.id and (m := re.fullmatch(rf"{prefix}-(\d+)", r.id))
        ]
        return f"{rtype.id_prefix}-{max(numbers, default=0) + 1:03d}"
    base = f"{rtype.id_prefix}-{on.isoformat()}" + (f"-{suffix}" if suffix else "")
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _open_actions(records: list[Record], *, before: str) -> list[OpenAction]:
    """Actions still open in sessions before ``before``; records with errors count too."""
    found = []
    for record in records:
        if record.type.name != "session" or not record.id or (record.date or before) >= before:
            continue
        for action in record.meta.get("actions") or []:
            if (
                isinstance(action, dict)
                and action.get("status") in OPEN_ACTIONS
                and action.get("id")
            ):
                due = action.get("due")
                found.append(
                    OpenAction(
                        f"{record.id}/{action['id']}",
                        str(action.get("text", "")),
                        str(action.get("owner", "")),
                        due if isinstance(due, str) else None,
                    )
                )
    return sorted(found, key=lambda a: (a.due or "9999", a.ref))


def _active_goals(records: list[Record]) -> list[dict[str, str]]:
    return [goal for goal in _all_goals(records) if goal["status"] in ACTIVE_GOALS]


def _all_goals(records: list[Record]) -> list[dict[str, str]]:
    goals = sorted((r for r in records if r.type.name == "goal" and r.id), key=lambda g: g.id or "")
    return [
        {
            "id": g.id or "",
            "title": str(g.meta.get("title", "")),
            "status": str(g.meta.get("status", "")),
        }
        for g in goals
    ]


def _latest_agreement(records: list[Record]) -> dict[str, Any] | None:
    """The front matter of the latest agreement (what ``new`` can fill in from it)."""
    agreements = [r for r in records if r.type.name == "agreement" and r.valid]
    if not agreements:
        return None
    latest = max(agreements, key=lambda r: (r.date or "", r.id or ""))
    return dict(latest.meta)


def _last_session(records: list[Record], on: str) -> str | None:
    dates = [
        (r.date, r.id)
        for r in records
        if r.type.name == "session" and r.id and r.date and r.date <= on
    ]
    return max(dates)[1] if dates else None


def _slug(title: str | None, rtype: RecordType, kind: KindFacts | None, journal: Journal) -> str:
    """A short file-name slug that never holds a person's name: the title's words, else the
    kind where kinds tell records apart in their ids (``reflective-log``), else the label."""
    banned = journal.config.name_words()
    words = [w for w in words_of(title or "") if w not in banned][:6]
    default = kind.name if kind is not None and kind.id_suffix else rtype.label
    return "-".join(words) or "-".join(words_of(default))


def free_path(journal: Journal, rtype: RecordType, on: Date, record_id: str, slug: str) -> Path:
    """Where a new record of ``rtype`` goes: a file name no record has (encrypted or not)."""
    folder = journal.root / rtype.folder
    if rtype.by_year:
        folder = folder / f"{on.year:04d}"
    stem = f"{record_id}-{slug}" if not rtype.dated else f"{on.isoformat()}-{slug}"
    path, n = folder / f"{stem}.md", 2
    while path.exists() or path.with_name(path.name + ".age").exists():
        path, n = folder / f"{stem}-{n}.md", n + 1
    return path

"""Creating things: a new journal (``init``) and new records (``new``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path
from typing import Any

from mdmentor import templating
from mdmentor.errors import UsageError
from mdmentor.fileio import atomic_write
from mdmentor.records.journal import CONFIG_NAME, Journal, Person, load_records, words_of
from mdmentor.records.model import RECORD_TYPES, TYPE_ALIASES, Record, RecordType
from mdmentor.sharing import gitrepo

#: The kinds each record type can be created as, the first being the default.
KINDS: dict[str, tuple[str, ...]] = {
    "reflection": ("mentee-reflection", "reflective-log"),
    "feedback": ("mentee-feedback", "360-degree", "180-degree"),
    "review": ("mid-way", "final", "periodic"),
    "competency_assessment": ("baseline", "mid-way", "final", "other"),
}

#: Short forms people type for a kind.
KIND_ALIASES = {"360": "360-degree", "180": "180-degree"}

_OPEN = ("open", "in-progress")
_ACTIVE_GOALS = ("proposed", "active")


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
    if path.exists():
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
) -> NewRecord:
    """Scaffold a record of ``type_name`` from its template and write it."""
    rtype = record_type(type_name)
    config = journal.config
    kinds = KINDS.get(rtype.name, ())
    kind = KIND_ALIASES.get(kind, kind) if kind else None
    by = config.person(author) if author else None
    if author and by is None:
        raise UsageError(f"no person '{author}' in {CONFIG_NAME}")
    if kind is None and kinds:
        kind = (
            "reflective-log"
            if rtype.name == "reflection" and by and by.role == "mentor"
            else kinds[0]
        )
    if kind is not None and kind not in kinds:
        choices = ", ".join(kinds) if kinds else "none"
        raise UsageError(f"'{kind}' is not a kind of {rtype.label}; kinds: {choices}")
    records, _ = load_records(journal)
    record_id = _new_id(rtype, on, records, suffix=_id_suffix(rtype.name, by, kind))
    open_actions = _open_actions(records, before=on.isoformat())
    mentor, mentee = config.by_role("mentor"), config.by_role("mentee")
    context: dict[str, Any] = {
        "id": record_id,
        "date": on.isoformat(),
        "title": title,
        "kind": kind,
        "mentor": mentor,
        "mentee": mentee,
        "supervisor": config.by_role("supervisor"),
        "author": by,
        "attendees": [p.id for p in (mentor, mentee) if p is not None],
        "goals": _active_goals(records),
        "open_actions": open_actions if rtype.name == "session" else [],
        "competencies": config.competencies,
        "last_session": _last_session(records, on.isoformat()),
    }
    text = templating.render(f"records/{rtype.name}.md", context, journal_root=journal.root)
    path = _free_path(journal, rtype, on, record_id, _slug(title, rtype, kind, journal))
    from mdmentor.privacy import sealing
    from mdmentor.privacy.access import MissingKeys

    warning = None
    try:
        written = sealing.store(journal, records, rtype.name, path, text)
    except MissingKeys as err:
        # Let people work before everyone has a key: the file stays on this machine, and
        # sync refuses to commit it until it is encrypted ('mdmentor encrypt').
        atomic_write(path, text)
        written, warning = path, f"not encrypted yet: {err}; sync will not share it until then"
    return NewRecord(
        path=written,
        id=record_id,
        open_actions=context["open_actions"],
        encrypted=written != path,
        warning=warning,
    )


def _id_suffix(type_name: str, by: Person | None, kind: str | None) -> str:
    if type_name == "reflection" and by is not None:
        return by.role
    if type_name == "feedback" and kind:
        return "mentee" if kind == "mentee-feedback" else kind.removesuffix("-degree")
    return ""


def _new_id(rtype: RecordType, on: Date, records: list[Record], *, suffix: str = "") -> str:
    taken = {r.id for r in records if r.id}
    if not rtype.dated:
        numbers = [
            int(m.group(1)) for r in records if r.id and (m := re.fullmatch(r"G-(\d+)", r.id))
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
            if isinstance(action, dict) and action.get("status") in _OPEN and action.get("id"):
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
    goals = [
        r
        for r in records
        if r.type.name == "goal" and r.id and r.meta.get("status") in _ACTIVE_GOALS
    ]
    return [
        {"id": g.id or "", "title": str(g.meta.get("title", ""))}
        for g in sorted(goals, key=lambda g: g.id or "")
    ]


def _last_session(records: list[Record], on: str) -> str | None:
    dates = [
        (r.date, r.id)
        for r in records
        if r.type.name == "session" and r.id and r.date and r.date <= on
    ]
    return max(dates)[1] if dates else None


def _slug(title: str | None, rtype: RecordType, kind: str | None, journal: Journal) -> str:
    """A short file-name slug that never holds a person's name."""
    banned = journal.config.name_words()
    words = [w for w in words_of(title or "") if w not in banned][:6]
    default = kind if rtype.name in ("reflection", "feedback") and kind else rtype.label
    return "-".join(words) or "-".join(words_of(default or rtype.name))


def _free_path(journal: Journal, rtype: RecordType, on: Date, record_id: str, slug: str) -> Path:
    folder = journal.root / rtype.folder
    if rtype.by_year:
        folder = folder / f"{on.year:04d}"
    stem = f"{record_id}-{slug}" if not rtype.dated else f"{on.isoformat()}-{slug}"
    path, n = folder / f"{stem}.md", 2
    while path.exists() or path.with_name(path.name + ".age").exists():
        path, n = folder / f"{stem}-{n}.md", n + 1
    return path

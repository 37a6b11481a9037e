"""The journal on disk: finding it, its config, and reading its records.

A journal is a folder with ``mdmentor.yaml`` at its root. Records live in one
folder per record type; the folder, not the file name, says what a file should
be, so a record can be renamed freely but not filed under the wrong type.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mdmentor.errors import ConfigError, JournalNotFound, ParseError, UsageError
from mdmentor.records import validation
from mdmentor.records.codes import Code
from mdmentor.records.model import RECORD_TYPES, Problem, Record, RecordType, format_field
from mdmentor.records.parsing import (
    FieldPath,
    find_conflict_markers,
    line_at,
    load_yaml,
    parse_document,
)
from mdmentor.records.reading import MAX_FILE_BYTES, decode_blob, read_bytes, read_text

CONFIG_NAME = "mdmentor.yaml"
#: Records that only some people may read are kept encrypted, as ``NAME.md.age``.
ENCRYPTED_SUFFIX = ".md.age"
JOURNAL_ENV = "MDMENTOR_JOURNAL"

_FOLDER_TYPES = {t.folder: t for t in RECORD_TYPES.values()}


@dataclass(frozen=True)
class Person:
    """Someone in the mentoring relationship, as listed in mdmentor.yaml."""

    id: str
    name: str
    role: str
    email: str | None = None
    keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class Competency:
    """One competency of the journal's framework."""

    id: str
    area: str
    name: str


@dataclass(frozen=True)
class Config:
    """The journal's settings from mdmentor.yaml."""

    title: str
    people: tuple[Person, ...]
    competencies: tuple[Competency, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)

    def person(self, person_id: str) -> Person | None:
        """The person with ``person_id``, if listed."""
        return next((p for p in self.people if p.id == person_id), None)

    def require_person(self, person_id: str) -> Person:
        """The person with ``person_id``; a UsageError that lists the people if none is."""
        person = self.person(person_id)
        if person is None:
            known = ", ".join(p.id for p in self.people)
            raise UsageError(f"no person '{person_id}' in {CONFIG_NAME}; the people are: {known}")
        return person

    def name_words(self) -> set[str]:
        """The words of every person's name and email name: never to appear in a file name."""
        words: set[str] = set()
        for person in self.people:
            words.update(w for w in words_of(person.name) if len(w) > 1)
            if person.email:
                words.update(w for w in words_of(person.email.split("@")[0]) if len(w) > 1)
        return words

    def by_role(self, role: str) -> Person | None:
        """The first person with ``role`` (mentor, mentee or supervisor)."""
        return next((p for p in self.people if p.role == role), None)


@dataclass(frozen=True)
class Journal:
    """A journal folder and its config."""

    root: Path
    config: Config

    @property
    def max_record_bytes(self) -> int:
        """The largest record file accepted."""
        return int(self.config.settings.get("max_record_bytes", MAX_FILE_BYTES))

    def relative(self, path: Path) -> str:
        """``path`` relative to the journal root, with forward slashes."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


def add_person_key(root: Path, person_id: str, key: str) -> bool:
    """List ``key`` under the person's ``keys:`` in mdmentor.yaml; False if already there."""
    keys = _listed_keys(root, person_id)
    if key in keys:
        return False
    set_person_keys(root, person_id, [*keys, key])
    return True


def remove_person_key(root: Path, person_id: str, key: str) -> bool:
    """Take ``key`` off the person's ``keys:`` in mdmentor.yaml; False if it was not there."""
    keys = _listed_keys(root, person_id)
    if key not in keys:
        return False
    set_person_keys(root, person_id, [k for k in keys if k != key])
    return True


def _listed_keys(root: Path, person_id: str) -> list[str]:
    return list(open_journal(root).config.require_person(person_id).keys)


def set_person_keys(root: Path, person_id: str, keys: list[str]) -> None:
    """Write ``keys`` as the person's ``keys:`` list in mdmentor.yaml.

    Only that list's own text changes (or one ``keys:`` is added to the person's entry),
    so every other line, comment and layout of the file stays as it was written.
    """
    from mdmentor.fileio import atomic_write

    path = root / CONFIG_NAME
    text = read_text(path, root=root)
    spans: dict[FieldPath, tuple[int, int]] = {}
    data, lines = load_yaml(text, spans=spans)
    people = data.get("people", []) if isinstance(data, dict) else []
    index = next((i for i, p in enumerate(people) if p.get("id") == person_id), None)
    if index is None:
        raise UsageError(f"no person '{person_id}' in {CONFIG_NAME}")
    flow = f"[{', '.join(keys)}]"
    where = ("people", index, "keys")
    if where in spans:
        start, end = spans[where]  # a flow list ends at its ']'
        if text[start] != "[":
            # A block list: from its key's line to its last item, written as one flow list.
            end = _content_end(spans, where)
            start = _line_start_of_row(text, lines[where] - 1)
            row = text[start : text.find("\n", start)]
            flow = f"{row[: len(row) - len(row.lstrip(' '))]}keys: {flow}"
        new = text[:start] + flow + text[end:]
    else:
        entry_start, entry_end = spans[("people", index)]
        if text[entry_start] == "{":  # a one-line entry: {id: mentee, name: …}
            close = text.rindex("}", entry_start, entry_end)
            new = text[:close].rstrip() + f", keys: {flow}" + text[close:]
        else:
            row = text.split("\n")[lines[("people", index, "id")] - 1]
            column = len(row) - len(row.lstrip(" -"))  # where the entry's keys start
            line_end = text.find("\n", _content_end(spans, ("people", index)))
            line_end = len(text) if line_end == -1 else line_end
            new = text[:line_end] + "\n" + " " * column + f"keys: {flow}" + text[line_end:]
    atomic_write(path, new, overwrite=True, root=root)
    problems, _ = read_config(root)
    if any(p.severity == "error" for p in problems):
        atomic_write(path, text, overwrite=True, root=root)  # put it back exactly as it was
        raise UsageError(
            f"could not change the keys in {CONFIG_NAME} by itself: set {person_id}'s entry "
            f"to read 'keys: {flow}' in {path}, then run the command again"
        )


def _content_end(spans: dict[FieldPath, tuple[int, int]], path: FieldPath) -> int:
    """Where the value at ``path`` really ends: a block list or mapping's span runs on over
    the comments and blank lines after it, which belong to what follows."""
    inner = [
        end for key, (_, end) in spans.items() if len(key) > len(path) and key[: len(path)] == path
    ]
    return max(inner, default=spans[path][1])


def _line_start_of_row(text: str, row: int) -> int:
    offset = 0
    for _ in range(row):
        offset = text.index("\n", offset) + 1
    return offset


def words_of(text: str) -> list[str]:
    """Lower-case ASCII words of ``text`` (accents dropped), for file names and name checks."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return [w for w in re.split(r"[^a-z0-9]+", plain) if w]


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` that holds mdmentor.yaml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise JournalNotFound(
        f"no {CONFIG_NAME} in {start} or any folder above it; "
        "run 'mdmentor init' or pass --journal PATH"
    )


def journals_of(paths: list[Path]) -> tuple[dict[Path, list[Path]], list[Path]]:
    """The journals that ``paths`` (files or folders) are in, each with the paths in it, and
    the paths in no journal at all (a pre-commit hook passes every file changed in the
    repository, and a journal may be one folder of it)."""
    groups: dict[Path, list[Path]] = {}
    outside: list[Path] = []
    for path in paths:
        try:
            root = find_root(path if path.is_dir() else path.parent)
        except JournalNotFound:
            outside.append(path)
            continue
        scope = groups.setdefault(root, [])
        if path.resolve() != root:
            scope.append(path)
    return groups, outside


def resolve_root(explicit: Path | None, start: Path | None = None) -> Path:
    """The journal root: ``--journal``/``$MDMENTOR_JOURNAL``, else found from ``start``."""
    if explicit is not None:
        explicit = explicit.resolve()
        if not explicit.exists():
            raise JournalNotFound(f"{explicit} does not exist; check the folder's name")
        if not (explicit / CONFIG_NAME).is_file():
            raise JournalNotFound(
                f"{explicit} is not a journal: it has no {CONFIG_NAME} "
                "(run 'mdmentor init' there to start one)"
            )
        return explicit
    return find_root(start or Path.cwd())


def open_journal(root: Path) -> Journal:
    """Open the journal at ``root``; raise ConfigError if its config is unusable."""
    problems, config = read_config(root)
    errors = [p for p in problems if p.severity == "error"]
    if errors or config is None:
        first = errors[0]
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        raise ConfigError(first.message + more, path=first.path, line=first.line, field=first.field)
    return Journal(root=root, config=config)


def read_config(root: Path) -> tuple[list[Problem], Config | None]:
    """Parse and validate mdmentor.yaml; return its problems and, if usable, the config."""
    path = root / CONFIG_NAME
    try:
        text = read_text(path, root=root)
    except ParseError as err:
        return [Problem.from_error(path, err)], None
    return config_from_text(text, path)


def config_from_text(text: str, path: Path) -> tuple[list[Problem], Config | None]:
    """Parse and validate the text of mdmentor.yaml (at ``path``, for the messages)."""
    try:
        data, lines = load_yaml(text)
    except ParseError as err:
        return [Problem.from_error(path, err)], None
    if not isinstance(data, dict):
        message = "must be a set of fields ('key: value' lines)"
        return [Problem(path, message, line=1, code="not-fields")], None
    problems = [
        Problem(
            path, message, line=line_at(lines, where), field=format_field(where) or None, code=code
        )
        for where, code, message in validation.validate(data, "config")
    ]
    if problems:
        return problems, None
    people = tuple(
        Person(
            id=p["id"],
            name=p["name"],
            role=p["role"],
            email=p.get("email"),
            keys=tuple(p.get("keys", ())),
        )
        for p in data["people"]
    )
    seen: set[str] = set()
    for index, person in enumerate(people):
        if person.id in seen:
            where = ("people", index, "id")
            problems.append(
                Problem(
                    path,
                    f"person id '{person.id}' is listed twice",
                    line=line_at(lines, where),
                    field=format_field(where),
                    code="duplicate-id",
                )
            )
        seen.add(person.id)
    competencies = tuple(
        Competency(id=c["id"], area=c["area"], name=c["name"]) for c in data.get("competencies", [])
    )
    config = Config(
        title=data.get("title", "Mentoring journal"),
        people=people,
        competencies=competencies,
        settings=dict(data.get("settings", {})),
    )
    return problems, config


def folder_type(relative: Path) -> RecordType | None:
    """The record type that a path inside the journal (relative to its root) holds, by the
    folder it is in; None outside the record folders."""
    return _FOLDER_TYPES.get(relative.parts[0]) if relative.parts else None


def record_paths(
    root: Path, problems: list[Problem], types: tuple[str, ...] | None = None
) -> list[tuple[Path, RecordType]]:
    """Every record file in the journal, with the type its folder says it holds.

    Symbolic links are listed too (never followed), so that reading them reports them;
    a folder that cannot be read is added to ``problems`` rather than skipped in silence.
    """
    found: list[tuple[Path, RecordType]] = []

    def unreadable(err: OSError) -> None:
        where = Path(err.filename) if err.filename else root
        problems.append(Problem(where, _unreadable_folder(err), code="unreadable"))

    for folder, record_type in _FOLDER_TYPES.items():
        if types is not None and record_type.name not in types:
            continue
        base = root / folder
        if not os.path.lexists(base):
            continue
        if base.is_symlink() or not base.is_dir():
            found.append((base, record_type))  # reading it says what is wrong
            continue
        for dirpath, dirnames, filenames in os.walk(base, onerror=unreadable):
            here = Path(dirpath)
            links = [d for d in dirnames if (here / d).is_symlink()]
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in links)
            for name in sorted([*filenames, *links]):
                record = name.endswith((".md", ENCRYPTED_SUFFIX)) and not name.startswith(".")
                if record or name in links:
                    found.append((here / name, record_type))
    return found


def _unreadable_folder(err: OSError) -> str:
    if isinstance(err, PermissionError):
        return "folder cannot be read: permission denied, so its records were not checked"
    return f"folder cannot be read ({err.strerror or err}), so its records were not checked"


def load_record(
    path: Path, record_type: RecordType, *, root: Path, max_bytes: int = MAX_FILE_BYTES
) -> tuple[Record | None, list[Problem]]:
    """Read one record (decrypting it where it is encrypted) and check it against its schema."""
    encrypted = path.name.endswith(ENCRYPTED_SUFFIX)
    try:
        data = read_bytes(path, root=root, max_bytes=max_bytes)
        if encrypted:
            from mdmentor.privacy import crypto

            try:
                data = crypto.decrypt(data)
            except crypto.CannotDecrypt:
                return Record(path, record_type, {}, "", valid=False, sealed=True), []
        document = parse_document(decode_blob(data, path, max_bytes=max_bytes))
    except ParseError as err:
        return None, [Problem.from_error(path, err)]
    record = Record(
        path,
        record_type,
        without_empty(document.meta),
        document.body,
        document.lines,
        body_line=document.body_line,
        encrypted=encrypted,
    )
    declared = document.meta.get("type")
    if declared != record_type.name:
        if declared is None:
            message = (
                f"missing required field 'type' (this folder holds '{record_type.name}' records)"
            )
        else:
            message = (
                f"{declared!r} record in {record_type.folder}/, which holds "
                f"'{record_type.name}' records; fix the type or move the file"
            )
        record.valid = False
        code: Code = "missing-field" if declared is None else "wrong-folder"
        return record, [
            record.problem(("type",) if declared is not None else (), message, code=code)
        ]
    problems = [*_conflicts(record)]
    problems += [
        record.problem(where, message, code=found)
        for where, found, message in _schema_problems(record)
    ]
    record.valid = not problems
    return record, problems


def without_empty(value: Any) -> Any:
    """``value`` with every field left empty (``key:`` and nothing after it) taken out.

    Obsidian's property editor, and people tidying a template, leave fields empty; an empty
    field says the same as a missing one, and the schema should not call it the wrong type.
    """
    if isinstance(value, dict):
        return {k: without_empty(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_empty(v) for v in value]
    return value


def _conflicts(record: Record) -> Iterator[Problem]:
    """Merge conflicts left in a record: a ``conflicts:`` entry, or git's markers in its notes."""
    entries = record.meta.get("conflicts")
    if isinstance(entries, list):
        for index, entry in enumerate(entries):
            if isinstance(entry, dict):
                what = entry.get("note") or (
                    f"ours {_short(entry.get('ours'))}, theirs {_short(entry.get('theirs'))}"
                )
                yield record.problem(
                    ("conflicts", index),
                    f"unresolved merge conflict in '{entry.get('field')}': {what}; keep the "
                    "value you want and delete this entry",
                    code="merge-conflict",
                )
    elif entries is not None:
        yield record.problem(
            ("conflicts",), "unresolved merge conflict entry", code="merge-conflict"
        )
    for offset in find_conflict_markers(record.body):
        yield Problem(
            record.path,
            "unresolved git merge conflict markers in the notes; keep "
            "the text you want and delete the marker lines",
            line=record.body_line + offset - 1,
            code="conflict-marker",
        )


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _schema_problems(record: Record) -> list[tuple[tuple[str | int, ...], Code, str]]:
    meta = {k: v for k, v in record.meta.items() if k != "conflicts"}
    placeholders = list(find_placeholders(meta))
    found: list[tuple[tuple[str | int, ...], Code, str]] = [
        (where, "placeholder", "placeholder not filled in: " + text) for where, text in placeholders
    ]
    hidden = {where for where, _ in placeholders}
    for where, code, message in validation.validate(meta, record.type.name):
        if not any(where[: len(h)] == h for h in hidden):
            found.append((where, code, message))
    return found


def find_placeholders(
    value: Any, where: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Template placeholders (``<like this>``) still left in a record's fields."""
    if isinstance(value, str):
        if value.startswith("<") and value.endswith(">") and "\n" not in value:
            yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from find_placeholders(item, (*where, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from find_placeholders(item, (*where, index))


def record_text(journal: Journal, record: Record) -> str:
    """The text of a record as its author wrote it, decrypted where it is encrypted."""
    data = read_bytes(record.path, root=journal.root, max_bytes=journal.max_record_bytes)
    if record.encrypted:
        from mdmentor.privacy import crypto

        data = crypto.decrypt(data)
    return decode_blob(data, record.path, max_bytes=journal.max_record_bytes)


def unreadable_files(records: list[Record], problems: list[Problem]) -> set[Path]:
    """The files ``load_records`` could not read at all: a problem, and no record."""
    return {p.path for p in problems} - {r.path for r in records}


def load_records(
    journal: Journal,
    *,
    progress: Callable[[int, int], None] | None = None,
    types: tuple[str, ...] | None = None,
) -> tuple[list[Record], list[Problem]]:
    """Every record of the journal (or of the given ``types``), and every problem met
    reading them.

    ``progress(done, total)`` is called as records are read, for a progress bar.
    """
    records: list[Record] = []
    problems: list[Problem] = []
    paths = record_paths(journal.root, problems, types)
    for done, (path, record_type) in enumerate(paths, start=1):
        if progress is not None:
            progress(done, len(paths))
        record, found = load_record(
            path, record_type, root=journal.root, max_bytes=journal.max_record_bytes
        )
        if record is not None:
            records.append(record)
        problems.extend(found)
    return records, problems

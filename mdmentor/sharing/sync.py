"""``sync``: commit the journal's changed records, integrate the remote's, push.

Behind → fast-forward; diverged → merge (never rebase) with the field-level merge
driver. Before integrating, the local state is kept reachable under
``refs/mdmentor/``. Conflicts are committed as data (a ``conflicts:`` entry or body
markers) and nothing is pushed until they are resolved.
"""

from __future__ import annotations

import json
import shlex
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mdmentor.errors import ParseError, UnsafeState
from mdmentor.fileio import atomic_write
from mdmentor.privacy import guards
from mdmentor.records.facts import facts
from mdmentor.records.journal import CONFIG_NAME, ENCRYPTED_SUFFIX, Journal, Person
from mdmentor.records.model import RECORD_TYPES
from mdmentor.records.parsing import (
    decode_text,
    dump_document,
    find_conflict_markers,
    parse_document,
)
from mdmentor.sharing.gitrepo import Repository, Unmerged
from mdmentor.sharing.merge import CONFLICTS_KEY
from mdmentor.sharing.renumber import Renumbered, renumber_collisions

DRIVER_NAME = "mdmentor"
ATTRIBUTES_LINE = "*.md merge=mdmentor"
#: Encrypted records cannot be merged by lines: git keeps ours, sync keeps theirs beside it.
ENCRYPTED_ATTRIBUTES_LINE = "*.md.age -text -diff merge=binary"
ATTRIBUTES_TEXT = (
    "# Written by mdmentor: merge records field by field ('mdmentor sync' registers the driver).\n"
    f"{ATTRIBUTES_LINE}\n{ENCRYPTED_ATTRIBUTES_LINE}\n"
)
#: Where sync keeps the other side (and the common base) of an encrypted record edited twice.
THEIRS_SUFFIX = ".theirs"
BASE_SUFFIX = ".base"
_JOURNAL_FILES = (CONFIG_NAME, ".gitattributes", ".gitignore", "templates")
_PUSH_TRIES = 3


@dataclass
class ConflictReport:
    """A record that needs a person to resolve a conflict."""

    path: str
    fields: list[str] = field(default_factory=list)
    body: bool = False
    unreadable: str | None = None

    def describe(self) -> str:
        """One line for the terminal."""
        parts = [f"fields: {', '.join(self.fields)}"] if self.fields else []
        if self.body:
            parts.append("conflict markers in the notes")
        if self.unreadable:
            parts.append(self.unreadable)
        return f"{self.path}: {'; '.join(parts)}"


@dataclass
class SyncResult:
    """What a sync did."""

    committed: str | None = None
    local_only: bool = False
    fetched: bool = False
    fast_forwarded: bool = False
    merged: bool = False
    pushed: bool = False
    kept: str | None = None
    conflicts: list[ConflictReport] = field(default_factory=list)
    renumbered: list[Renumbered] = field(default_factory=list)


def driver_command() -> str:
    """The command git runs to merge a record (this Python, so it works without PATH)."""
    return f"{shlex.quote(sys.executable)} -m mdmentor merge-driver %O %A %B %P"


def configure_clone(repo: Repository) -> bool:
    """Set this clone up for the journal; True if it changed anything.

    Registers the merge driver (git does not carry driver definitions from clone to
    clone, so each clone needs this) and asks git to fsync what it commits, so a
    crash cannot leave a corrupt record history.
    """
    changed = False
    for key, value in (
        (f"merge.{DRIVER_NAME}.name", "mdmentor field-level record merge"),
        (f"merge.{DRIVER_NAME}.driver", driver_command()),
        ("core.fsync", "committed"),
    ):
        if repo.config_get(key) is None or (
            key.startswith("merge.") and repo.config_get(key) != value
        ):
            repo.config_set(key, value)
            changed = True
    return changed


def ensure_attributes(root: Path) -> bool:
    """Make sure ``.gitattributes`` sends records to the driver; True if it was written."""
    path = root / ".gitattributes"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    missing = [
        line
        for line in (ATTRIBUTES_LINE, ENCRYPTED_ATTRIBUTES_LINE)
        if line not in text.splitlines()
    ]
    if not missing:
        return False
    if not text:
        atomic_write(path, ATTRIBUTES_TEXT, overwrite=True)
        return True
    if not text.endswith("\n"):
        text += "\n"
    atomic_write(path, text + "\n".join(missing) + "\n", overwrite=True)
    return True


def sync(journal: Journal, *, person: Person | None = None) -> SyncResult:
    """Commit changed records, fetch, integrate, push; see the module docstring."""
    repo = Repository(journal.root)
    problem = repo.unsafe_state()
    if problem:
        raise UnsafeState(f"not synced: {problem}")
    configure_clone(repo)
    result = SyncResult()
    specs = journal_pathspecs(journal, repo)
    changed = [path for _, path in repo.changed(specs)]
    guards.refuse(journal, [repo.top / path for path in changed])
    if changed:
        result.committed = describe_changes(repo, changed)
        repo.commit(changed, result.committed, _author(person))
    touched = set(changed)
    upstream = repo.upstream()
    if upstream is None:
        remotes = repo.remotes()
        if not remotes:
            _commit_attributes(journal, repo, person)
            result.local_only = True
            result.conflicts = _open_conflicts(journal, repo, touched)
            return result
        raise UnsafeState(
            f"not synced: branch '{repo.branch}' has no upstream; set it once with "
            f"'git push -u {remotes[0]} {repo.branch}' (your commit is kept)"
        )
    remote, branch = upstream
    for _ in range(_PUSH_TRIES):
        repo.fetch(remote)
        result.fetched = True
        touched |= _integrate(journal, repo, f"{remote}/{branch}", result)
        result.conflicts = _open_conflicts(journal, repo, touched)
        if result.conflicts:
            return result
        # Only now, having seen the remote's .gitattributes, add the line if it is missing.
        _commit_attributes(journal, repo, person)
        if repo.rev(f"{remote}/{branch}") is not None:
            ahead, _ = repo.counts("HEAD", f"{remote}/{branch}")
            if ahead == 0:
                return result
        if repo.push(remote, branch):
            result.pushed = True
            return result
    raise UnsafeState("not synced: the remote kept changing while pushing; run sync again")


def _commit_attributes(journal: Journal, repo: Repository, person: Person | None) -> None:
    if ensure_attributes(journal.root):
        path = repo.relative(journal.root / ".gitattributes")
        repo.commit([path], "mdmentor: merge records field by field", _author(person))


def journal_pathspecs(journal: Journal, repo: Repository) -> list[str]:
    """The paths sync commits: the record folders and the journal's own files."""
    names = [t.folder for t in RECORD_TYPES.values()] + list(_JOURNAL_FILES)
    return [
        repo.relative(journal.root / name) if journal.root != repo.top else name for name in names
    ]


def _author(person: Person | None) -> str | None:
    if person is None or not person.email:
        return None
    return f"{person.name} <{person.email}>"


def _integrate(journal: Journal, repo: Repository, upstream: str, result: SyncResult) -> set[str]:
    """Bring the upstream's commits in; return the paths that changed."""
    if repo.rev(upstream) is None:
        return set()
    head = repo.rev("HEAD")
    if head is None:  # a clone with no commit of its own yet: nothing can conflict
        repo.merge(upstream, fast_forward_only=True)
        result.fast_forwarded = True
        return set()
    ahead, behind = repo.counts("HEAD", upstream)
    if behind == 0:
        return set()
    # Keep what we had reachable, so any integration can be undone.
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    repo.keep(f"before-sync/{stamp}")
    result.kept = f"refs/mdmentor/before-sync/{stamp}"
    if ahead == 0:
        repo.merge(upstream, fast_forward_only=True)
        result.fast_forwarded = True
    else:
        if not repo.merge(upstream):
            _conclude_conflicted_merge(journal, repo)
        result.merged = True
        result.renumbered = renumber_collisions(repo, head, upstream)
        if result.renumbered:
            paths = [path for _, path in repo.changed(journal_pathspecs(journal, repo))]
            names = ", ".join(f"{r.old} is now {r.new}" for r in result.renumbered)
            repo.commit(paths, f"sync: both sides created the same id; {names}", None)
    return set(repo.changed_between(head, "HEAD"))


def _conclude_conflicted_merge(journal: Journal, repo: Repository) -> None:
    """Turn what git could not merge into records that keep both sides, and commit."""
    unmerged = repo.unmerged()
    staged = [u.path for u in unmerged]
    for item in unmerged:
        path = repo.top / item.path
        if item.path.endswith(ENCRYPTED_SUFFIX) and item.in_ours and item.in_theirs:
            staged += _keep_both_encrypted(repo, item.path)
        elif path.exists() and not (item.in_ours and item.in_theirs):
            _mark_deleted_against_edited(path, item)
    names = ", ".join(_record_name(repo.top / u.path) for u in unmerged)
    repo.conclude_merge(staged, f"sync: merge with conflicts in {names}")


def _keep_both_encrypted(repo: Repository, rel: str) -> list[str]:
    """Keep their version (and the base) of an encrypted record beside ours, for 'resolve'."""
    written = []
    for stage, suffix in ((":3", THEIRS_SUFFIX), (":1", BASE_SUFFIX)):
        text = repo.show(stage, rel)
        if text is not None:
            atomic_write(repo.top / (rel + suffix), text, overwrite=True)
            written.append(rel + suffix)
    return written


def _mark_deleted_against_edited(path: Path, item: Unmerged) -> None:
    """One side deleted the record, the other edited it: keep the edit, say so in the record."""
    try:
        document = parse_document(decode_text(path.read_bytes()))
    except ParseError:
        return  # check reports the file as it is; nothing is lost
    entry = {
        "field": "(the whole record)",
        "ours": "edited" if item.in_ours else "(deleted)",
        "theirs": "edited" if item.in_theirs else "(deleted)",
        "note": "Kept the edited version. Delete the file to accept the deletion, or remove "
        "this entry to keep it.",
    }
    meta = dict(document.meta)
    meta[CONFLICTS_KEY] = [*(meta.get(CONFLICTS_KEY) or []), entry]
    atomic_write(path, dump_document(meta, document.body), overwrite=True)


def _record_name(path: Path) -> str:
    try:
        meta = parse_document(decode_text(path.read_bytes())).meta
        return f"{meta.get('type', 'record')} {meta.get('id', path.name)}"
    except (ParseError, OSError):
        return path.name


def _state_file(repo: Repository) -> Path:
    return repo.git_dir / "mdmentor" / "conflicts.json"


def _open_conflicts(journal: Journal, repo: Repository, touched: set[str]) -> list[ConflictReport]:
    """Conflicts still in records: those found before, and any in files just changed."""
    state = _state_file(repo)
    known = set(json.loads(state.read_text())) if state.exists() else set()
    reports = []
    for rel in sorted(known | {p for p in touched if p.endswith((".md", ENCRYPTED_SUFFIX))}):
        report = conflict_in(repo.top / rel, rel)
        if report is not None:
            reports.append(report)
    state.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(state, json.dumps([r.path for r in reports]), overwrite=True)
    return reports


def conflict_in(path: Path, shown: str) -> ConflictReport | None:
    """What is unresolved in one record file, or None."""
    if not path.is_file():
        return None
    if path.name.endswith(ENCRYPTED_SUFFIX):
        if path.with_name(path.name + THEIRS_SUFFIX).exists():
            return ConflictReport(
                shown, unreadable="encrypted and edited on both sides: run 'mdmentor resolve' on it"
            )
        return None
    try:
        text = decode_text(path.read_bytes())
    except ParseError:
        return None
    markers = find_conflict_markers(text)
    try:
        document = parse_document(text)
    except ParseError as err:
        if markers:
            return ConflictReport(shown, unreadable=f"conflict markers from line {markers[0]}")
        return (
            ConflictReport(shown, unreadable=f"does not parse: {err.message}")
            if "<<<" in text
            else None
        )
    entries = document.meta.get(CONFLICTS_KEY) or []
    fields = [str(e.get("field")) if isinstance(e, dict) else "?" for e in entries]
    if fields or markers:
        return ConflictReport(shown, fields=fields, body=bool(markers))
    return None


def describe_changes(repo: Repository, paths: list[str]) -> str:
    """A commit message naming the records changed and which fields: no free text."""
    lines = [_describe_one(repo, path) for path in sorted(paths)]
    if len(lines) == 1:
        return lines[0]
    return f"sync: {len(lines)} files changed\n\n" + "\n".join(lines)


def _describe_one(repo: Repository, rel: str) -> str:
    path = repo.top / rel
    now = _meta_of(path.read_bytes() if path.is_file() else None)
    before_text = repo.show("HEAD", rel) if repo.has_commits() else None
    before = _meta_of(before_text.encode() if before_text is not None else None)
    meta = now if now is not None else before
    if meta is None or "type" not in meta:
        what = f"{Path(rel).name}"
        if not path.exists():
            return f"{what}: removed"
        return f"{what}: {'added' if before_text is None else 'updated'}"
    label = f"{meta.get('type')} {meta.get('id', Path(rel).name)}"
    if not path.exists():
        return f"{label}: removed"
    if before_text is None:
        return f"{label}: added"
    if before is None or now is None:
        return f"{label}: updated"
    return f"{label}: {field_changes(before, now) or 'notes updated'}"


def _meta_of(data: bytes | None) -> dict[str, Any] | None:
    if data is None:
        return None
    try:
        return parse_document(decode_text(data)).meta
    except ParseError:
        return None


def field_changes(before: dict[str, Any], after: dict[str, Any]) -> str:
    """Which fields changed between two versions, in words: ``status, actions updated``."""
    added = [k for k in after if k not in before]
    removed = [k for k in before if k not in after]
    changed = [k for k in after if k in before and after[k] != before[k]]
    about = facts(str(after.get("type", before.get("type", ""))))
    parts = []
    for key in changed:
        item_key = about.item_key((key,))
        if item_key and isinstance(before[key], list) and isinstance(after[key], list):
            parts.append(_item_changes(key, item_key, before[key], after[key]))
        else:
            parts.append(f"{key} updated")
    parts += [f"{k} added" for k in added] + [f"{k} removed" for k in removed]
    return "; ".join(parts)


def _item_changes(key: str, item_key: str, before: list[Any], after: list[Any]) -> str:
    old = {i.get(item_key): i for i in before if isinstance(i, dict)}
    new = {i.get(item_key): i for i in after if isinstance(i, dict)}
    words = []
    added = [str(i) for i in new if i not in old]
    removed = [str(i) for i in old if i not in new]
    changed = [str(i) for i in new if i in old and new[i] != old[i]]
    if added:
        words.append(f"{', '.join(added)} added")
    if changed:
        words.append(f"{', '.join(changed)} updated")
    if removed:
        words.append(f"{', '.join(removed)} removed")
    return f"{key}: {', '.join(words) or 'reordered'}"

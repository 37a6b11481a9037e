"""``sync``: commit the journal's changed records, integrate the remote's, push.

Behind → fast-forward; diverged → merge (never rebase) with the field-level merge
driver. Before integrating, the local state is kept reachable under
``refs/mdmentor/``. Conflicts are committed as data (a ``conflicts:`` entry or body
markers) and nothing is pushed until they are resolved.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mdmentor.errors import ParseError, Refused, UnsafeState, UsageError
from mdmentor.fileio import atomic_write
from mdmentor.privacy import guards
from mdmentor.records.facts import facts
from mdmentor.records.journal import (
    CONFIG_NAME,
    ENCRYPTED_SUFFIX,
    Journal,
    Person,
    config_from_text,
)
from mdmentor.records.model import RECORD_TYPES, Problem
from mdmentor.records.parsing import find_conflict_markers, parse_document
from mdmentor.records.reading import decode_blob, read_bytes, read_text
from mdmentor.sharing.driver import FAILPOINT_ENV
from mdmentor.sharing.gitrepo import Repository, Unmerged
from mdmentor.sharing.lock import Holder, clone_lock
from mdmentor.sharing.merge import with_conflicts
from mdmentor.sharing.renumber import Renumbered, forget_renumbered_items, renumber_collisions
from mdmentor.sharing.splice import CONFLICTS_KEY

DRIVER_NAME = "mdmentor"
ATTRIBUTES_LINE = "*.md merge=mdmentor"
#: Encrypted records cannot be merged by lines: git keeps ours, sync keeps theirs beside it.
ENCRYPTED_ATTRIBUTES_LINE = "*.md.age -text -diff merge=binary"
#: Records and the config have LF line ends in every clone, whatever ``core.autocrlf`` says
#: (Git for Windows turns it on): what one clone writes, the other reads byte for byte.
LINE_END_LINES = ("*.md text eol=lf", "mdmentor.yaml text eol=lf")
ATTRIBUTE_LINES = (ATTRIBUTES_LINE, *LINE_END_LINES, ENCRYPTED_ATTRIBUTES_LINE)
ATTRIBUTES_TEXT = (
    "# Written by mdmentor: merge records field by field ('mdmentor sync' registers the driver)\n"
    "# and keep LF line ends in every clone.\n" + "".join(f"{line}\n" for line in ATTRIBUTE_LINES)
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
    #: Changes of policy or keys that arrived and wait for this clone's acceptance.
    waiting: list[str] = field(default_factory=list)
    #: Files saved while sync ran: committed (and shared) too, never overwritten.
    saved_meanwhile: list[str] = field(default_factory=list)
    #: The server's branch was replaced by this clone's (after a disposal).
    replaced: bool = False


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


def missing_attributes(text: str) -> list[str]:
    """The lines mdmentor needs that the ``.gitattributes`` holding ``text`` lacks."""
    return [line for line in ATTRIBUTE_LINES if line not in text.splitlines()]


def ensure_attributes(root: Path) -> bool:
    """Make sure ``.gitattributes`` sends records to the driver; True if it was written."""
    path = root / ".gitattributes"
    text = read_text(path, root=root) if os.path.lexists(path) else ""
    missing = missing_attributes(text)
    if not missing:
        return False
    if not text:
        atomic_write(path, ATTRIBUTES_TEXT, overwrite=True, root=root)
        return True
    if not text.endswith("\n"):
        text += "\n"
    atomic_write(path, text + "\n".join(missing) + "\n", overwrite=True, root=root)
    return True


Stage = Callable[[str], None]


def sync(
    journal: Journal,
    *,
    person: Person | None = None,
    on_stage: Stage | None = None,
    replace_shared_copy: bool = False,
) -> SyncResult:
    """Commit changed records, fetch, integrate, push; see the module docstring.

    ``on_stage(name)`` is called between the steps (``committed``, ``fetched``,
    ``merged``, ``pushing``), for tests that act meanwhile as a person would. With
    ``replace_shared_copy`` (after disposing of records with a history rewrite, and only
    when the person confirmed it), the server's branch is replaced by this clone's.
    """
    repo = Repository(journal.root)
    with clone_lock(repo.git_dir, "sync") as killed:
        if killed is not None:
            _finish_killed_sync(repo, killed)
        problem = repo.unsafe_state()
        if problem:
            raise UnsafeState(f"not synced: {problem}")
        configure_clone(repo)
        if not repo.has_identity():
            if person is None:
                raise UsageError(
                    "not synced: git does not know who you are. Say who you are with "
                    "'mdmentor sync --as PERSON' (your name and email are taken from "
                    "mdmentor.yaml), or tell git once: git config --global user.name "
                    '"Your Name"; git config --global user.email you@example.org'
                )
            repo.commit_as(person.name, person.email)
        return _sync(journal, repo, person, on_stage or (lambda stage: None), replace_shared_copy)


def _sync(
    journal: Journal,
    repo: Repository,
    person: Person | None,
    on_stage: Stage,
    replace_shared_copy: bool,
) -> SyncResult:
    result = SyncResult()
    _refuse_links(journal, repo)
    touched = set(_commit_changes(journal, repo, person, result))
    _stage("committed", on_stage)
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
        _stage("fetched", on_stage)
        _refuse_incoming_links(journal, repo, f"{remote}/{branch}")
        _refuse_broken_config(journal, repo, f"{remote}/{branch}")
        if replace_shared_copy:
            _replace_shared_copy(journal, repo, remote, branch, result)
            return result
        _refuse_disposed(journal, repo, f"{remote}/{branch}")
        touched |= set(_commit_changes(journal, repo, person, result))  # saved meanwhile
        touched |= _integrate(journal, repo, f"{remote}/{branch}", result)
        _stage("merged", on_stage)
        if touched:
            result.waiting = waiting_acceptance(journal.root)
        result.conflicts = _open_conflicts(journal, repo, touched)
        if result.conflicts:
            return result
        # Only now, having seen the remote's .gitattributes, add the line if it is missing.
        _commit_attributes(journal, repo, person)
        touched |= set(_commit_changes(journal, repo, person, result))  # saved meanwhile
        if repo.rev(f"{remote}/{branch}") is not None:
            ahead, _ = repo.counts("HEAD", f"{remote}/{branch}")
            if ahead == 0:
                return result
        _stage("pushing", on_stage)
        if repo.push(remote, branch):
            result.pushed = True
            return result
    raise UnsafeState("not synced: the remote kept changing while pushing; run sync again")


def _commit_changes(
    journal: Journal, repo: Repository, person: Person | None, result: SyncResult
) -> list[str]:
    """Commit every changed journal file; the first time, what the person changed; later,
    what they saved while sync ran, which is never overwritten or left behind."""
    changed = [path for _, path in repo.changed(journal_pathspecs(journal, repo))]
    if not changed:
        return []
    message = describe_changes(repo, changed)
    if not _commit(journal, repo, changed, message, person):
        return []  # saved again with only CRLF line ends: nothing new to commit
    if result.committed is None:
        result.committed = message
    else:
        result.saved_meanwhile += changed
    return changed


def _stage(name: str, on_stage: Stage) -> None:
    if os.environ.get(FAILPOINT_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
    on_stage(name)


def _finish_killed_sync(repo: Repository, killed: Holder) -> None:
    """Tidy what a sync that was killed left: git's lock file, if it is newer than that
    sync's start, and a merge that sync began (undone, to be done again now)."""
    lock = repo.git_dir / "index.lock"
    started = datetime.fromisoformat(killed.started).timestamp()
    if lock.exists() and lock.stat().st_mtime >= started - 1:
        lock.unlink()
    marker = _merging_marker(repo)
    if marker.exists():
        merge_head = repo.git_dir / "MERGE_HEAD"
        if merge_head.exists() and merge_head.read_text().strip() == marker.read_text().strip():
            repo.run("merge", "--abort")
        marker.unlink()
        for scratch in repo.top.glob(".merge_file_*"):  # git's copies for the merge driver
            if scratch.is_file() and scratch.stat().st_mtime >= started - 1:
                scratch.unlink()


def _merging_marker(repo: Repository) -> Path:
    """Notes the commit sync is merging, so a merge left by a killed sync is known as ours."""
    return repo.git_dir / "mdmentor" / "merging"


def _commit_attributes(journal: Journal, repo: Repository, person: Person | None) -> None:
    if ensure_attributes(journal.root):
        path = repo.relative(journal.root / ".gitattributes")
        _commit(journal, repo, [path], "mdmentor: merge records field by field", person)


def _commit(
    journal: Journal, repo: Repository, paths: list[str], message: str, person: Person | None
) -> bool:
    """Commit ``paths`` as ``person``, past the guards; False if they held nothing to commit."""
    return guards.guarded_commit(journal, repo, paths, message, _author(person))


def _refuse_links(journal: Journal, repo: Repository) -> None:
    """Refuse to sync while a symbolic link is anywhere in the journal."""
    links = sorted(repo.relative_lexically(p) for p in _links_under(journal.root))
    if repo.has_commits():
        links += [p for p in _in_journal(journal, repo, repo.links_in("HEAD")) if p not in links]
    if links:
        raise Refused(
            "not synced: "
            + ", ".join(links)
            + (" is a symbolic link" if len(links) == 1 else " are symbolic links")
            + "; mdmentor never reads or shares links (one could point at a private file on "
            "this computer). Replace each with the file itself, or delete it, and sync again"
        )


def _links_under(root: Path) -> list[Path]:
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = [d for d in dirnames if d != ".git"]
        found += [here / n for n in (*dirnames, *filenames) if (here / n).is_symlink()]
    return found


def _refuse_disposed(journal: Journal, repo: Repository, upstream: str) -> None:
    """Refuse to bring back, or to share, a history that holds records disposed of."""
    if repo.rev(upstream) is None or repo.rev("HEAD") is None:
        return
    disposed = _disposed_objects(journal, repo, upstream)
    if not disposed:
        return
    if repo.objects_between(upstream, "HEAD") & disposed:
        raise Refused(
            "not synced: the shared copy still holds records that were disposed of under the "
            "retention terms (the disposal records in disposals/ list them). Replace it with "
            "this clone's history: 'mdmentor sync --replace-shared-copy' (it asks first); "
            "then everyone else clones the journal afresh"
        )
    if repo.objects_between("HEAD", upstream) & disposed:
        raise Refused(
            "not synced: this clone's history still holds records that were disposed of "
            "under the retention terms (see disposals/). Clone the journal afresh into a new "
            "folder ('git clone' of the shared copy), copy across any record you changed "
            "since your last sync, and work there"
        )


def _disposed_objects(journal: Journal, repo: Repository, upstream: str) -> set[str]:
    """Every object the disposal records list, here and in the shared copy."""
    from mdmentor.privacy.retention import disposed_objects

    found = disposed_objects(journal)
    folder = repo.relative(journal.root / RECORD_TYPES["disposal"].folder)
    for rel in repo.files_in(upstream, folder):
        data = repo.blob(upstream, rel)
        meta = _meta_of(data)
        if meta is not None and isinstance(meta.get("objects"), list):
            found |= {sha for sha in meta["objects"] if isinstance(sha, str)}
    return found


def _replace_shared_copy(
    journal: Journal, repo: Repository, remote: str, branch: str, result: SyncResult
) -> None:
    """Replace the server's branch with this clone's, after a disposal rewrote history."""
    upstream = f"{remote}/{branch}"
    head = repo.rev("HEAD")
    disposed = _disposed_objects(journal, repo, upstream)
    if head is None or not disposed:
        raise UsageError(
            "--replace-shared-copy is for after 'retention --dispose --rewrite-history': "
            "this journal has no disposal record, so the shared copy is not replaced"
        )
    if repo.objects_between("HEAD", None) & disposed:
        raise Refused("not replaced: this clone's own history still holds disposed records")
    repo.force_push(remote, branch, expected=repo.rev(upstream))
    result.pushed = result.replaced = True


def _in_journal(journal: Journal, repo: Repository, paths: list[str]) -> list[str]:
    """The ``paths`` (as git names them) that lie in the journal's folder."""
    if journal.root == repo.top:
        return paths
    prefix = repo.relative(journal.root) + "/"
    return [p for p in paths if p.startswith(prefix)]


def _refuse_incoming_links(journal: Journal, repo: Repository, upstream: str) -> None:
    """Refuse to bring in a shared copy that holds a symbolic link anywhere."""
    if repo.rev(upstream) is None:
        return
    links = _in_journal(journal, repo, repo.links_in(upstream))
    if links:
        raise Refused(
            f"not synced: the shared copy holds a symbolic link ({', '.join(links)}), which "
            "could make mdmentor read a private file on this computer, so nothing was brought "
            "in. Ask whoever added it to delete it, then sync again (your own work is "
            "committed and kept)"
        )


def _refuse_broken_config(journal: Journal, repo: Repository, upstream: str) -> None:
    """Refuse to bring in a shared copy whose mdmentor.yaml cannot be used: every command
    would then stop on it, sync included, and its repair could not be fetched."""
    path = journal.root / CONFIG_NAME
    name = repo.relative_lexically(path)
    data = repo.blob(upstream, name) if repo.rev(upstream) is not None else None
    if data is None or data == repo.blob("HEAD", name):
        return  # nothing new (a shared copy without it is refused by reading it, below)
    try:
        problems, _ = config_from_text(decode_blob(data, path), path)
    except ParseError as err:
        problems = [Problem.from_error(path, err)]
    if problems:
        first = problems[0]
        where = f" (line {first.line})" if first.line else ""
        what = f"{first.field}: {first.message}" if first.field else first.message
        raise Refused(
            f"not synced: the shared copy's {CONFIG_NAME} cannot be used{where}: "
            f"{what}. Nothing was brought in, so yours still works: ask whoever "
            "changed it to fix it, then sync again (your own work is committed and kept)"
        )


def waiting_acceptance(root: Path) -> list[str]:
    """A line for each change of policy or keys that waits for this clone's acceptance."""
    from mdmentor.privacy.policy import differences, load_access
    from mdmentor.privacy.trust import load_keyring
    from mdmentor.records.journal import load_records, open_journal

    journal = open_journal(root)  # mdmentor.yaml may just have changed
    lines = [change.describe() for change in load_keyring(root, journal.config).changes()]
    agreements, _ = load_records(journal, types=("agreement",))
    access = load_access(root, journal.config, agreements)
    if access.pending and access.proposed is not None:
        changes = "; ".join(differences(access.accepted, access.proposed))
        lines.append(
            f"new terms in {access.proposed.agreement} wait for your acceptance ({changes}): "
            "read them with 'mdmentor accept'"
        )
    return lines


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
        marker = _merging_marker(repo)
        marker.write_text(str(repo.rev(upstream)), encoding="utf-8")
        forget_renumbered_items(repo)  # the merge driver notes the items it renumbers
        if not repo.merge(upstream):
            _conclude_conflicted_merge(journal, repo)
        marker.unlink()
        result.merged = True
        result.renumbered = renumber_collisions(repo, head, upstream)
        if result.renumbered:
            paths = [path for _, path in repo.changed(journal_pathspecs(journal, repo))]
            names = ", ".join(f"{r.old} is now {r.new}" for r in result.renumbered)
            if paths:  # items renumbered by the merge itself are in its commit already
                _commit(
                    journal, repo, paths, f"sync: both sides created the same id; {names}", None
                )
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
            _mark_deleted_against_edited(repo, path, item)
    names = ", ".join(_record_name(repo, repo.top / u.path) for u in unmerged)
    repo.conclude_merge(staged, f"sync: merge with conflicts in {names}")


def _keep_both_encrypted(repo: Repository, rel: str) -> list[str]:
    """Keep their version (and the base) of an encrypted record beside ours, for 'resolve'."""
    written = []
    for stage, suffix in ((":3", THEIRS_SUFFIX), (":1", BASE_SUFFIX)):
        data = repo.blob(stage, rel)
        if data is not None:
            atomic_write(repo.top / (rel + suffix), data, overwrite=True, root=repo.top)
            written.append(rel + suffix)
    return written


def _mark_deleted_against_edited(repo: Repository, path: Path, item: Unmerged) -> None:
    """One side deleted the record, the other edited it: keep the edit, say so in the record."""
    entry = {
        "field": "(the whole record)",
        "ours": "edited" if item.in_ours else "(deleted)",
        "theirs": "edited" if item.in_theirs else "(deleted)",
        "note": "Kept the edited version. Delete the file to accept the deletion, or remove "
        "this entry to keep it.",
    }
    try:
        text = with_conflicts(read_text(path, root=repo.top), [entry])
    except ParseError:
        return  # check reports the file as it is; nothing is lost
    atomic_write(path, text, overwrite=True, root=repo.top)


def _record_name(repo: Repository, path: Path) -> str:
    try:
        meta = parse_document(read_text(path, root=repo.top)).meta
        return f"{meta.get('type', 'record')} {meta.get('id', path.name)}"
    except ParseError:
        return path.name


def _state_file(repo: Repository) -> Path:
    return repo.git_dir / "mdmentor" / "conflicts.json"


def _open_conflicts(journal: Journal, repo: Repository, touched: set[str]) -> list[ConflictReport]:
    """Conflicts still in records: those found before, and any in files just changed."""
    state = _state_file(repo)
    known = set(json.loads(state.read_text())) if state.exists() else set()
    reports = []
    for rel in sorted(known | {p for p in touched if p.endswith((".md", ENCRYPTED_SUFFIX))}):
        report = conflict_in(repo.top / rel, rel, root=repo.top)
        if report is not None:
            reports.append(report)
    state.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(state, json.dumps([r.path for r in reports]), overwrite=True)
    return reports


def conflict_in(path: Path, shown: str, *, root: Path) -> ConflictReport | None:
    """What is unresolved in one record file, or None."""
    if not os.path.lexists(path):
        return None
    if path.name.endswith(ENCRYPTED_SUFFIX):
        if os.path.lexists(path.with_name(path.name + THEIRS_SUFFIX)):
            return ConflictReport(
                shown, unreadable="encrypted and edited on both sides: run 'mdmentor resolve' on it"
            )
        return None
    try:
        text = read_text(path, root=root)
    except ParseError as err:
        return ConflictReport(shown, unreadable=err.message)
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
    exists = os.path.lexists(path)
    now = _meta_of(_read_or_none(path, repo.top) if exists else None)
    before_data = repo.blob("HEAD", rel) if repo.has_commits() else None
    before = _meta_of(before_data)
    meta = now if now is not None else before
    if meta is None or "type" not in meta:
        what = f"{Path(rel).name}"
        if not exists:
            return f"{what}: removed"
        return f"{what}: {'added' if before_data is None else 'updated'}"
    label = f"{meta.get('type')} {meta.get('id', Path(rel).name)}"
    if not exists:
        return f"{label}: removed"
    if before_data is None:
        return f"{label}: added"
    if before is None or now is None:
        return f"{label}: updated"
    return f"{label}: {field_changes(before, now) or 'notes updated'}"


def _read_or_none(path: Path, root: Path) -> bytes | None:
    try:
        return read_bytes(path, root=root)
    except ParseError:
        return None


def _meta_of(data: bytes | None) -> dict[str, Any] | None:
    """The front matter of a record's bytes, or None where it has none we can read (an
    encrypted record's is never read here: a commit message must not depend on it)."""
    if data is None:
        return None
    try:
        return parse_document(decode_blob(data, "record")).meta
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

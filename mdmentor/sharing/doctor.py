"""``doctor``: is this clone set up to share the journal safely? Says what to fix."""

from __future__ import annotations

import os
from dataclasses import dataclass

from mdmentor.errors import ParseError
from mdmentor.records.journal import Journal
from mdmentor.records.reading import read_text
from mdmentor.sharing.gitrepo import Repository
from mdmentor.sharing.sync import (
    ATTRIBUTES_LINE,
    DRIVER_NAME,
    driver_command,
    missing_attributes,
)
from mdmentor.wording import plural

_IGNORED = ("/reports/", "*.html", "*.swp")


@dataclass(frozen=True)
class Finding:
    """One check: whether it passed, what it looked at, and how to fix it if not."""

    ok: bool
    what: str
    fix: str = ""


def diagnose(journal: Journal) -> list[Finding]:
    """Run every check on the journal's repository."""
    repo = Repository(journal.root)
    findings = []
    driver = repo.config_get(f"merge.{DRIVER_NAME}.driver")
    findings.append(
        Finding(
            driver == driver_command(),
            "merge driver registered in this clone's git config",
            "run 'mdmentor sync' (or 'mdmentor init') to register it"
            if driver is None
            else f"it runs '{driver}'; run 'mdmentor sync' to point it at this mdmentor",
        )
    )
    findings.append(
        Finding(
            not missing_attributes(_journal_file(journal, ".gitattributes")),
            f".gitattributes sends records to the driver ({ATTRIBUTES_LINE}) and keeps LF "
            "line ends",
            "run 'mdmentor sync' to add the line and commit it",
        )
    )
    text = _journal_file(journal, ".gitignore")
    missing = [p for p in _IGNORED if p not in text.splitlines()]
    findings.append(
        Finding(
            not missing,
            ".gitignore keeps reports and editor swap files out of git",
            f"add these lines to .gitignore: {', '.join(missing)}",
        )
    )
    fsync = repo.config_get("core.fsync")
    findings.append(
        Finding(
            fsync is not None,
            "core.fsync is set, so a crash cannot corrupt commits",
            "run 'git config core.fsync committed'",
        )
    )
    findings.append(
        Finding(
            repo.has_identity(),
            "git knows who you are (user.name and user.email), to sign your commits",
            "run 'mdmentor sync --as PERSON' (your name and email come from mdmentor.yaml), "
            'or tell git once: git config --global user.name "Your Name"; '
            "git config --global user.email you@example.org",
        )
    )
    state = repo.unsafe_state()
    findings.append(Finding(state is None, "no merge, rebase or lock in the way", state or ""))
    upstream = repo.upstream() if not repo.repo.head.is_detached else None
    remotes = repo.remotes()
    if not remotes:
        findings.append(
            Finding(
                False,
                "a remote to share the journal through",
                f"add one: 'git remote add origin URL', then 'git push -u origin {repo.branch}'",
            )
        )
    else:
        remote = upstream[0] if upstream else remotes[0]
        trouble = repo.reachable(remote)
        findings.append(Finding(trouble is None, f"remote '{remote}' answers", trouble or ""))
        findings.append(
            Finding(
                upstream is not None,
                "the branch tracks an upstream branch",
                f"run 'git push -u {remote} {repo.branch}'",
            )
        )
    from mdmentor.privacy import crypto

    own_keys = len(list(crypto.record_keys_dir().glob("*.key")))
    if own_keys:
        findings.append(
            Finding(
                True,
                f"keys of their own for {plural(own_keys, 'private record')} are in "
                f"{crypto.record_keys_dir()}: back that folder up with your identity, or those "
                "records cannot be opened again",
            )
        )
    findings.append(_encryption(journal))
    broken = repo.fsck()
    findings.append(Finding(broken is None, "git fsck finds nothing wrong", broken or ""))
    return findings


def _journal_file(journal: Journal, name: str) -> str:
    """The text of one of the journal's own files, read like any other ("" if unreadable)."""
    path = journal.root / name
    try:
        return read_text(path, root=journal.root) if os.path.lexists(path) else ""
    except ParseError:
        return ""


def _encryption(journal: Journal) -> Finding:
    """Whether every encrypted record you can read opens with exactly its readers' keys."""
    from mdmentor.privacy.rekey import stale
    from mdmentor.privacy.sealing import Sealer
    from mdmentor.records.journal import load_records

    records, _ = load_records(journal)
    found = stale(Sealer.open(journal, records, None), records)
    names = ", ".join(item.record.id or journal.relative(item.record.path) for item in found)
    return Finding(
        not found,
        "every encrypted record you can read is encrypted to its readers' keys now",
        f"{len(found)} {'is' if len(found) == 1 else 'are'} not ({names}): run 'mdmentor rekey'",
    )

"""Who may read which record: the agreement's access rules, narrowed by ``visibility``.

A record that not everyone in mdmentor.yaml may read is kept encrypted to exactly
its readers' keys, so cloning the repository does not mean reading it.
"""

from __future__ import annotations

from typing import Any

from mdmentor.errors import UsageError
from mdmentor.records.facts import facts
from mdmentor.records.journal import Config, Person
from mdmentor.records.model import Record


class MissingKeys(UsageError):
    """A record must be encrypted, but one of its readers has no key to encrypt to."""


def access_kind(type_name: str, meta: dict[str, Any]) -> str:
    """The kind of record the agreement's ``access`` names (a mentor's log is its own kind)."""
    if type_name == "reflection" and meta.get("kind") == "reflective-log":
        return "reflective_log"
    return type_name


def access_rules(records: list[Record]) -> dict[str, list[str]]:
    """The ``access`` map of the latest readable agreement (empty: no restriction)."""
    agreements = sorted(
        (r for r in records if r.type.name == "agreement" and r.valid), key=lambda r: r.date or ""
    )
    return dict(agreements[-1].meta.get("access", {})) if agreements else {}


def readers(
    config: Config, rules: dict[str, list[str]], type_name: str, meta: dict[str, Any]
) -> list[Person]:
    """The people who may read a record of ``type_name`` with front matter ``meta``."""
    roles = rules.get(access_kind(type_name, meta))
    people = [p for p in config.people if roles is None or p.role in roles]
    if meta.get("visibility") == "private":
        author = meta.get(facts(type_name).author or "")
        mentor = config.by_role("mentor")
        wanted = author if isinstance(author, str) else (mentor.id if mentor else None)
        people = [p for p in people if p.id == wanted]
    return people


def must_encrypt(config: Config, allowed: list[Person]) -> bool:
    """Whether a record must be encrypted: someone with access to the repository may not read it."""
    return {p.id for p in allowed} != {p.id for p in config.people}


def public_keys(allowed: list[Person]) -> list[str]:
    """Every key of every reader; an error names a reader who has none yet."""
    missing = [p.id for p in allowed if not p.keys]
    if missing:
        raise MissingKeys(
            f"this record may be read only by {', '.join(p.id for p in allowed)}, so it is "
            f"encrypted, but {', '.join(missing)} has no key yet: they run 'mdmentor keys init'"
        )
    return [key for person in allowed for key in person.keys]

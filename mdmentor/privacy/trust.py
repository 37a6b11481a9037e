"""Which public keys this clone trusts for each person: trust on first use, as ssh's known_hosts.

People list their public keys in ``mdmentor.yaml``, which anyone sharing the journal can
push. A key swapped there would make the next private record readable by the wrong
person. So each clone remembers the keys its user accepted for each person, outside the
repository; the first time it looks, it takes the keys listed then. After that a key that
is added, changed or removed is not used until the user accepts it (``mdmentor keys
accept PERSON``, after checking the fingerprint with that person): until then mdmentor
refuses to encrypt to that person and says why. A key listed under two people is never
used.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from mdmentor.errors import UsageError
from mdmentor.privacy import local_state
from mdmentor.records.journal import Config, Person, add_person_key, open_journal


class MissingKeys(UsageError):
    """A record must be encrypted, but one of its readers has no key to encrypt to."""


class KeysNotAccepted(UsageError):
    """A reader's keys changed in mdmentor.yaml since this clone's user accepted them."""


def fingerprint(key: str) -> str:
    """A short fingerprint of a public key, to read out and compare with its owner."""
    digest = hashlib.sha256(key.strip().encode("ascii", "replace")).hexdigest()[:20].upper()
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))


@dataclass(frozen=True)
class KeyChange:
    """A person whose listed keys differ from the ones accepted here."""

    person: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    def describe(self) -> str:
        """One line for the terminal."""
        parts = [f"added {fingerprint(k)}" for k in self.added]
        parts += [f"removed {fingerprint(k)}" for k in self.removed]
        return (
            f"{self.person}'s keys changed in mdmentor.yaml ({'; '.join(parts)}): check the "
            f"fingerprint with {self.person}, then run 'mdmentor keys accept {self.person}'"
        )


@dataclass
class Keyring:
    """The keys listed for each person, and the ones this clone accepted."""

    config: Config
    accepted: dict[str, list[str]] = field(default_factory=dict)

    def changes(self) -> list[KeyChange]:
        """Everyone whose listed keys differ from the accepted ones."""
        found = []
        for person in self.config.people:
            listed, trusted = set(person.keys), set(self.accepted.get(person.id, []))
            if listed != trusted:
                found.append(
                    KeyChange(
                        person.id,
                        tuple(k for k in person.keys if k not in trusted),
                        tuple(sorted(trusted - listed)),
                    )
                )
        return found

    def change_of(self, person_id: str) -> KeyChange | None:
        """The pending change of one person's keys, if any."""
        return next((c for c in self.changes() if c.person == person_id), None)

    def keys_for(self, readers: list[Person]) -> list[str]:
        """The accepted keys of every reader; an error names a reader who has none, whose
        keys changed since they were accepted, or whose key is also someone else's."""
        missing = [p.id for p in readers if not p.keys]
        if missing:
            raise MissingKeys(
                f"this record may be read only by {', '.join(p.id for p in readers)}, so it "
                f"is encrypted, but {', '.join(missing)} has no key yet: they run "
                "'mdmentor keys init'"
            )
        shared = duplicate_keys(self.config)
        for person in readers:
            for key in person.keys:
                if key in shared:
                    raise KeysNotAccepted(
                        f"not encrypted: the key {fingerprint(key)} is listed under "
                        f"{' and '.join(shared[key])} in mdmentor.yaml; a key belongs to one "
                        "person only, so remove it from the one it does not belong to"
                    )
            change = self.change_of(person.id)
            if change is not None:
                raise KeysNotAccepted(f"not encrypted: {change.describe()}")
        return [key for person in readers for key in person.keys]


def duplicate_keys(config: Config) -> dict[str, list[str]]:
    """Keys listed under more than one person, with those people."""
    owners: dict[str, list[str]] = {}
    for person in config.people:
        for key in dict.fromkeys(person.keys):
            owners.setdefault(key, []).append(person.id)
    return {key: ids for key, ids in owners.items() if len(ids) > 1}


def _seeded(root: Path, config: Config) -> tuple[local_state.LocalState, dict[str, list[str]]]:
    """The clone's acceptances and its accepted keys by person, changed in place; the first
    time, the keys listed now are trusted (save the state to keep a change)."""
    state = local_state.load(root)
    if state.keys is None:
        shared = duplicate_keys(config)
        state.keys = {p.id: [k for k in p.keys if k not in shared] for p in config.people if p.keys}
        local_state.save(state)
    return state, state.keys


def load_keyring(root: Path, config: Config) -> Keyring:
    """The keyring of the clone at ``root``; the first time, it trusts the keys listed now."""
    _, keys = _seeded(root, config)
    return Keyring(config, {pid: list(listed) for pid, listed in keys.items()})


def accept_keys(root: Path, config: Config, person_id: str) -> list[str]:
    """Trust the keys now listed for ``person_id``; return them."""
    person = config.require_person(person_id)
    shared = duplicate_keys(config)
    clash = [k for k in person.keys if k in shared]
    if clash:
        raise UsageError(
            f"the key {fingerprint(clash[0])} is listed under {' and '.join(shared[clash[0]])}; "
            "a key belongs to one person only: fix mdmentor.yaml first"
        )
    state, keys = _seeded(root, config)
    keys[person_id] = list(person.keys)
    local_state.save(state)
    return list(person.keys)


def list_own_key(root: Path, person_id: str, key: str) -> bool:
    """List ``key`` under ``person_id`` in mdmentor.yaml and accept it on this machine, as
    the person's own (a new device, a new identity); False if it was listed already."""
    added = add_person_key(root, person_id, key)
    trust_own_key(root, open_journal(root).config, person_id, key)
    return added


def trust_own_key(root: Path, config: Config, person_id: str, key: str) -> None:
    """Remember this user's own key as accepted for them (only that key: others listed
    under them still wait for acceptance)."""
    state, keys = _seeded(root, config)
    mine = keys.setdefault(person_id, [])
    if key not in mine:
        mine.append(key)
    local_state.save(state)


def forget_key(root: Path, config: Config, person_id: str, key: str) -> None:
    """No longer trust ``key`` for ``person_id`` (it was retired)."""
    state, keys = _seeded(root, config)
    keys[person_id] = [k for k in keys.get(person_id, []) if k != key]
    local_state.save(state)


def local_person(
    config: Config, *, explicit: str | None, my_key: str | None, email: str | None
) -> Person | None:
    """Who is using this clone: the person named (``--as``, ``MDMENTOR_PERSON``), else the
    one whose listed keys hold this user's key, else the one whose email git uses."""
    if explicit:
        return config.require_person(explicit)
    if my_key:
        owners = [p for p in config.people if my_key in p.keys]
        if len(owners) == 1:
            return owners[0]
    return next((p for p in config.people if email and p.email == email), None)

"""age encryption (pyrage, interoperable with the ``age`` tool): the only module that uses it.

Each person has an identity (a private key) in their own user config folder, never
in the journal, readable only by them; their public key is listed in mdmentor.yaml.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mdmentor.errors import AlreadyExists, MdmentorError, UsageError

IDENTITY_ENV = "MDMENTOR_IDENTITY"
ARMOR_HEADER = b"-----BEGIN AGE ENCRYPTED FILE-----"


class CannotDecrypt(MdmentorError):
    """This user holds no key the record was encrypted to."""


def identity_path() -> Path:
    """Where this user's identity is kept: $MDMENTOR_IDENTITY, else the user config folder."""
    explicit = os.environ.get(IDENTITY_ENV)
    if explicit:
        return Path(explicit).expanduser()
    from mdmentor.userdirs import config_dir

    return config_dir() / "identity.txt"


def create_identity() -> str:
    """Make a new identity file (mode 0600) and return its public key; never overwrite one."""
    import pyrage

    path = identity_path()
    if path.exists():
        raise AlreadyExists(
            f"{path} already exists; it was left as it is (run 'mdmentor keys show')"
        )
    identity = pyrage.x25519.Identity.generate()
    public = str(identity.to_public())
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(
            f"# mdmentor identity: keep it private, never put it in the journal\n"
            f"# public key: {public}\n{identity}\n"
        )
    return public


def _identities() -> list[Any]:
    import pyrage

    path = identity_path()
    if not path.exists():
        return []
    data = path.read_bytes()
    if b"PRIVATE KEY" in data:  # an SSH private key used as an identity
        try:
            return [pyrage.ssh.Identity.from_buffer(data)]
        except pyrage.IdentityError as err:
            raise UsageError(f"{path} is not a usable SSH identity: {err}") from err
    found = []
    for line in data.decode("utf-8", errors="replace").splitlines():
        if line.startswith("AGE-SECRET-KEY-"):
            try:
                found.append(pyrage.x25519.Identity.from_str(line.strip()))
            except pyrage.IdentityError as err:
                raise UsageError(f"{path} holds a damaged age identity: {err}") from err
    return found


def public_key() -> str | None:
    """This user's public key, if they have an age identity."""
    for identity in _identities():
        if hasattr(identity, "to_public"):
            return str(identity.to_public())
    return None


def has_identity() -> bool:
    """Whether this user holds any identity to decrypt with."""
    return bool(_identities())


def recipient(text: str) -> Any:
    """An age or SSH public key, parsed."""
    import pyrage

    try:
        if text.startswith("age1"):
            return pyrage.x25519.Recipient.from_str(text)
        return pyrage.ssh.Recipient.from_str(text)
    except pyrage.RecipientError as err:
        raise UsageError(f"not a usable public key: {text[:24]}… ({err})") from err


def encrypt(text: str, public_keys: list[str]) -> bytes:
    """``text`` encrypted (ASCII-armoured) so exactly the holders of ``public_keys`` can read it."""
    import pyrage

    if not public_keys:
        raise UsageError("no public keys to encrypt to")
    return bytes(
        pyrage.encrypt(text.encode("utf-8"), [recipient(k) for k in public_keys], armored=True)
    )


def decrypt(data: bytes) -> bytes:
    """Decrypt with this user's identity; CannotDecrypt where they are not a recipient."""
    import pyrage

    index = _index()
    own = [_record_key(index[s]) for s in header_shares(data) if s in index]
    identities = [*(key for key in own if key is not None), *_identities()]
    if not identities:
        raise CannotDecrypt("you have no key (run 'mdmentor keys init')")
    try:
        return bytes(pyrage.decrypt(data, identities))
    except pyrage.DecryptError as err:
        raise CannotDecrypt(f"not encrypted to your key ({err})") from err


def looks_like_private_key(data: bytes) -> bool:
    """Whether ``data`` holds an age or SSH (or other PEM) private key."""
    return b"AGE-SECRET-KEY-1" in data or (b"-----BEGIN" in data and b"PRIVATE KEY-----" in data)


# --- per-record keys: crypto-shredding for records only their author reads -----------------
#
# A record whose only reader is the person writing it (a mentor's reflective log) is
# encrypted to a key of its own, kept in that person's user config folder and never in
# the journal. Destroying that key makes every copy of the record unreadable: in git
# history, on the server, in other clones and in backups. The index maps each
# encryption's ephemeral share (in the age header) to its key, so finding the key for a
# file costs one lookup, and older versions in history stay readable until the key goes.


def record_keys_dir() -> Path:
    """Where per-record keys are kept: beside the identity they belong with, never in the
    journal (``identity-record-keys/`` for the default ``identity.txt``)."""
    identity = identity_path()
    return identity.parent / f"{identity.stem}-record-keys"


def header_shares(data: bytes) -> list[str]:
    """The X25519 ephemeral shares in an age file's header (armoured or binary)."""
    import base64
    import binascii

    if data.lstrip().startswith(ARMOR_HEADER):
        body = b"".join(line for line in data.splitlines() if not line.startswith(b"-----"))
        try:
            data = base64.b64decode(body)
        except binascii.Error:
            return []
    header = data.split(b"\n---", 1)[0]
    return [
        line[len(b"-> X25519 ") :].decode("ascii", "replace")
        for line in header.split(b"\n")
        if line.startswith(b"-> X25519 ")
    ]


def _index_path() -> Path:
    return record_keys_dir() / "index.json"


def _index() -> dict[str, str]:
    import json

    path = _index_path()
    data: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    return data


def _save_index(index: dict[str, str]) -> None:
    import json

    from mdmentor.fileio import atomic_write

    atomic_write(_index_path(), json.dumps(index, indent=0, sort_keys=True), overwrite=True)


def _record_key(key_id: str) -> Any | None:
    import pyrage

    path = record_keys_dir() / f"{key_id}.key"
    if not path.exists():
        return None
    return pyrage.x25519.Identity.from_str(path.read_text().strip())


def encrypt_private(text: str, previous: bytes | None = None) -> bytes:
    """Encrypt ``text`` to a key of its own (the one ``previous`` used, where we hold it)."""
    import secrets

    import pyrage

    index = _index()
    key_id = next((index[s] for s in header_shares(previous or b"") if s in index), None)
    identity = _record_key(key_id) if key_id else None
    if identity is None:
        key_id = secrets.token_hex(16)
        identity = pyrage.x25519.Identity.generate()
        folder = record_keys_dir()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(folder / f"{key_id}.key", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(f"{identity}\n")
    data = bytes(pyrage.encrypt(text.encode("utf-8"), [identity.to_public()], armored=True))
    for share in header_shares(data):
        index[share] = str(key_id)
    _save_index(index)
    return data


def holds_own_key(data: bytes) -> bool:
    """Whether ``data`` is encrypted to a key of its own that this user holds."""
    index = _index()
    return any(
        (record_keys_dir() / f"{index[s]}.key").exists() for s in header_shares(data) if s in index
    )


def shred(data: bytes) -> bool:
    """Destroy the per-record key ``data`` was encrypted to; False if there was none here."""
    index = _index()
    key_ids = {index[s] for s in header_shares(data) if s in index}
    destroyed = False
    for key_id in key_ids:
        path = record_keys_dir() / f"{key_id}.key"
        if path.exists():
            size = path.stat().st_size
            with open(path, "r+b") as handle:  # overwrite before unlinking, as far as a
                handle.write(b"\0" * size)  # file system lets that mean anything
                handle.flush()
                os.fsync(handle.fileno())
            path.unlink()
            destroyed = True
    if key_ids:
        _save_index({s: k for s, k in index.items() if k not in key_ids})
    return destroyed

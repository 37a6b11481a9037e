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
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "mdmentor" / "identity.txt"


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

    identities = _identities()
    if not identities:
        raise CannotDecrypt("you have no key (run 'mdmentor keys init')")
    try:
        return bytes(pyrage.decrypt(data, identities))
    except pyrage.DecryptError as err:
        raise CannotDecrypt(f"not encrypted to your key ({err})") from err


def looks_like_private_key(data: bytes) -> bool:
    """Whether ``data`` holds an age or SSH (or other PEM) private key."""
    return b"AGE-SECRET-KEY-1" in data or (b"-----BEGIN" in data and b"PRIVATE KEY-----" in data)

"""Private signing keys: creating, storing (argon2id + SecretBox), loading.

The only module that touches private key material. A key file is JSON with the public key in the
clear and the 32-byte Ed25519 seed either sealed with a passphrase (argon2id → XSalsa20-Poly1305,
PyNaCl ``pwhash`` + ``SecretBox``) or, with ``--no-passphrase``, base64-encoded. Files are created
with mode 0600. The seed is never logged, returned, or written anywhere else.
"""

from __future__ import annotations

import base64
import getpass
import json
import os
from dataclasses import dataclass
from pathlib import Path

import nacl.pwhash
import nacl.secret
import nacl.utils
from nacl.exceptions import CryptoError
from nacl.signing import SigningKey

from credsite.errors import KeyFileError
from credsite.trust.multibase import encode_multikey

FORMAT = "credsite-signing-key/1"
PASSPHRASE_ENV = "CREDSITE_PASSPHRASE"  # noqa: S105 - a variable name
KEY_ENV = "CREDSITE_SIGNING_KEY"
_KDF = nacl.pwhash.argon2id


@dataclass
class Signer:
    """An Ed25519 signing key and the id it is published under in site.yaml."""

    key_id: str
    _key: SigningKey

    @property
    def public_key(self) -> bytes:
        return bytes(self._key.verify_key)

    @property
    def public_multikey(self) -> str:
        return encode_multikey(self.public_key)

    def sign(self, data: bytes) -> bytes:
        return self._key.sign(data).signature

    def __repr__(self) -> str:
        return f"Signer(key_id={self.key_id!r}, public_key={self.public_multikey!r})"


def generate(key_id: str) -> Signer:
    return Signer(key_id, SigningKey.generate())


def signer_from_seed(key_id: str, seed: bytes) -> Signer:
    return Signer(key_id, SigningKey(seed))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def key_file_text(signer: Signer, passphrase: str | None, *, fast_kdf: bool = False) -> str:
    """The key file's JSON text. ``fast_kdf`` (tests, benchmarks) uses interactive limits."""
    seed = bytes(signer._key)
    data: dict[str, object] = {
        "format": FORMAT,
        "key_id": signer.key_id,
        "public_key": signer.public_multikey,
    }
    if passphrase is None:
        data["seed"] = _b64(seed)
    else:
        ops = _KDF.OPSLIMIT_INTERACTIVE if fast_kdf else _KDF.OPSLIMIT_MODERATE
        mem = _KDF.MEMLIMIT_INTERACTIVE if fast_kdf else _KDF.MEMLIMIT_MODERATE
        salt = nacl.utils.random(_KDF.SALTBYTES)
        box_key = _KDF.kdf(nacl.secret.SecretBox.KEY_SIZE, passphrase.encode(), salt, ops, mem)
        sealed = nacl.secret.SecretBox(box_key).encrypt(seed)
        data["kdf"] = {"name": "argon2id", "salt": _b64(salt), "opslimit": ops, "memlimit": mem}
        data["sealed_seed"] = _b64(bytes(sealed))
    return json.dumps(data, indent=2) + "\n"


def write_key_file(path: Path, signer: Signer, passphrase: str | None) -> None:
    """Create ``path`` with mode 0600; refuse to overwrite an existing key."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KeyFileError("already exists; choose another --out path", where=str(path)) from None
    except OSError as exc:
        raise KeyFileError(f"cannot create: {exc.strerror}", where=str(path)) from None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key_file_text(signer, passphrase))


def read_key_text(text: str, where: str, passphrase: str | None) -> Signer:
    """Open a key file's text; asks for nothing: the caller supplies the passphrase."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise KeyFileError(f"not a credsite key file (line {exc.lineno})", where=where) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise KeyFileError(f"not a credsite key file (format {FORMAT!r})", where=where)
    key_id = str(data.get("key_id", ""))
    try:
        if "seed" in data:
            seed = base64.b64decode(data["seed"], validate=True)
        else:
            kdf = data["kdf"]
            if passphrase is None:
                raise KeyFileError(
                    f"key is encrypted; give the passphrase at the prompt or in {PASSPHRASE_ENV}",
                    where=where,
                )
            box_key = _KDF.kdf(
                nacl.secret.SecretBox.KEY_SIZE,
                passphrase.encode(),
                base64.b64decode(kdf["salt"]),
                int(kdf["opslimit"]),
                int(kdf["memlimit"]),
            )
            seed = nacl.secret.SecretBox(box_key).decrypt(base64.b64decode(data["sealed_seed"]))
    except CryptoError:
        raise KeyFileError("wrong passphrase (or the key file is damaged)", where=where) from None
    except (KeyError, TypeError, ValueError):
        raise KeyFileError("key file is damaged or incomplete", where=where) from None
    if len(seed) != 32:
        raise KeyFileError("key file is damaged: the seed is not 32 bytes", where=where)
    signer = signer_from_seed(key_id, seed)
    if data.get("public_key") != signer.public_multikey:
        raise KeyFileError("key file is damaged: public key does not match", where=where)
    return signer


def needs_passphrase(text: str) -> bool:
    try:
        return "sealed_seed" in json.loads(text)
    except (json.JSONDecodeError, TypeError):
        return False


def passphrase_from_env_or_prompt(confirm: bool = False) -> str:
    value = os.environ.get(PASSPHRASE_ENV)
    if value is not None:
        return value
    try:
        first = getpass.getpass("Passphrase: ")
        if confirm and getpass.getpass("Repeat passphrase: ") != first:
            raise KeyFileError("the passphrases do not match")
    except EOFError:
        raise KeyFileError(f"no passphrase: set {PASSPHRASE_ENV} or run in a terminal") from None
    if confirm and len(first) < 8:
        raise KeyFileError("use a passphrase of at least 8 characters")
    return first


def load_signer(path: Path | None, env: str = KEY_ENV) -> Signer:
    """The key from ``path``, or from the variable ``env`` (the key file's text; by default
    ``CREDSITE_SIGNING_KEY``, for the online freshness key ``CREDSITE_FRESHNESS_KEY``)."""
    if path is None:
        text = os.environ.get(env)
        if not text:
            what = "signing key" if env == KEY_ENV else "key"
            raise KeyFileError(f"no {what}: pass --key PATH or set {env}")
        where = env
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise KeyFileError(f"cannot read key file: {exc}", where=str(path)) from None
        where = str(path)
    passphrase = passphrase_from_env_or_prompt() if needs_passphrase(text) else None
    return read_key_text(text, where, passphrase)

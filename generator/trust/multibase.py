"""Multibase and Multikey encodings used by Data Integrity proofs and DID documents.

- base58btc with the ``z`` prefix (W3C Controlled Identifiers §2.4, Multibase);
- base64url without padding with the ``u`` prefix (Bitstring Status List §3.2);
- Ed25519 public keys as Multikey: multicodec ``0xed 0x01`` + 32 key bytes, base58btc (``z6Mk…``).
"""

from __future__ import annotations

import base64
from operator import getitem

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58)}
_B58_BYTES = _B58.encode()
_B58_DIGITS = bytes.maketrans(_B58_BYTES, bytes(range(58)))
# _B58_PLACES[j][d] = d * 58 ** (7 - j): eight digits are the sum of their place values (a
# machine-size int), and a number is eight-digit groups in base 58**8. The table is small (464
# ints), so it stays in the CPU cache between credentials; per-place tables for whole signatures
# were faster alone but slower in a build.
_B58_GROUP = 8
_B58_PLACES = [[d * 58 ** (_B58_GROUP - 1 - j) for d in range(58)] for j in range(_B58_GROUP)]
_B58_GROUP_BASE = 58 ** _B58_GROUP
_ED25519_PUB = b"\xed\x01"


def b58encode(data: bytes) -> str:
    zeros = len(data) - len(data.lstrip(b"\0"))
    n = int.from_bytes(data, "big")
    out = []
    while n:
        n, r = divmod(n, 58)
        out.append(_B58[r])
    return "1" * zeros + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    raw = text.encode("ascii", "replace")
    if raw.translate(None, _B58_BYTES):
        bad = next(c for c in text if c not in _B58_INDEX)
        raise ValueError(f"{bad!r} is not a base58btc character")
    digits = raw.translate(_B58_DIGITS)
    first = len(digits) % _B58_GROUP or _B58_GROUP
    n = sum(map(getitem, _B58_PLACES[_B58_GROUP - first:], digits[:first]))
    for start in range(first, len(digits), _B58_GROUP):
        n = n * _B58_GROUP_BASE + sum(map(getitem, _B58_PLACES, digits[start:start + _B58_GROUP]))
    zeros = len(text) - len(text.lstrip("1"))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * zeros + body


def multibase_b58(data: bytes) -> str:
    return "z" + b58encode(data)


def decode_multibase_b58(text: str) -> bytes:
    if not text.startswith("z"):
        raise ValueError("a base58btc multibase value starts with 'z'")
    return b58decode(text[1:])


def multibase_b64url(data: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def decode_multibase_b64url(text: str) -> bytes:
    if not text.startswith("u"):
        raise ValueError("a base64url multibase value starts with 'u'")
    body = text[1:]
    return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))


def encode_multikey(public_key: bytes) -> str:
    """An Ed25519 public key as a Multikey ``publicKeyMultibase`` value (``z6Mk…``)."""
    if len(public_key) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return multibase_b58(_ED25519_PUB + public_key)


def decode_multikey(text: str) -> bytes:
    """The 32 raw bytes of an Ed25519 Multikey; ValueError for anything else."""
    raw = decode_multibase_b58(text)
    if raw[:2] != _ED25519_PUB or len(raw) != 34:
        raise ValueError("not an Ed25519 Multikey (expected 'z6Mk…', 0xed01 + 32 bytes)")
    return raw[2:]

"""Revocation with W3C Bitstring Status List v1.0.

A status list is a ``BitstringStatusListCredential`` (§2.2) whose ``encodedList`` is the
multibase base64url (``u``) encoding of the GZIP-compressed bitstring (§3.2, "Generate Algorithm");
bit 0 is the most significant bit of the first byte. Each list has 131,072 entries (the minimum the
spec recommends for herd privacy, §6.1). Indexes are assigned at random among unused ones.
"""

from __future__ import annotations

import gzip
import secrets
from collections.abc import Callable, Iterator, MutableSet
from typing import Any

from credsite.trust.multibase import decode_multibase_b64url, multibase_b64url
from credsite.trust.proofset import sign_document
from credsite.trust.vocabulary import VC_CONTEXT

LIST_SIZE = 131_072
PURPOSE = "revocation"


class Bitstring:
    """A fixed-size bitstring, most significant bit first (Bitstring Status List §3.1)."""

    def __init__(self, size: int = LIST_SIZE, data: bytes | None = None) -> None:
        self.size = size
        self.bits = bytearray(data if data is not None else size // 8)
        if len(self.bits) * 8 != size:
            raise ValueError(f"status list is {len(self.bits) * 8} bits, expected {size}")

    def get(self, index: int) -> bool:
        return bool(self.bits[index // 8] & (0x80 >> (index % 8)))

    def set(self, index: int, value: bool = True) -> None:
        if value:
            self.bits[index // 8] |= 0x80 >> (index % 8)
        else:
            self.bits[index // 8] &= ~(0x80 >> (index % 8)) & 0xFF

    def encode(self) -> str:
        # mtime=0 keeps the encoding deterministic, so an unchanged list gives unchanged bytes.
        return multibase_b64url(gzip.compress(bytes(self.bits), compresslevel=9, mtime=0))

    @classmethod
    def decode(cls, encoded: str, size: int = LIST_SIZE) -> Bitstring:
        try:
            data = gzip.decompress(decode_multibase_b64url(encoded))
        except (ValueError, OSError, EOFError) as exc:
            raise ValueError(f"encodedList is not multibase base64url GZIP data: {exc}") from None
        return cls(len(data) * 8 if size is None else size, data)

    def set_indexes(self) -> list[int]:
        return [i for i in range(self.size) if self.get(i)]


def list_url(base_url: str, number: int) -> str:
    return f"{base_url}/status/{number}"


def status_entry(base_url: str, number: int, index: int) -> dict[str, Any]:
    """A ``BitstringStatusListEntry`` (§2.1) for a new credential."""
    url = list_url(base_url, number)
    return {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": PURPOSE,
        "statusListIndex": str(index),
        "statusListCredential": url,
    }


class IndexSet(MutableSet[int]):
    """The used indexes of one status list as a bitmap: 16 KB a list whatever its fill, where a
    ``set`` of 65,536 ``int`` objects takes about 4 MB (a million awards: issue 20)."""

    def __init__(self, size: int = LIST_SIZE) -> None:
        self._bits = bytearray((size + 7) // 8)
        self._size = size
        self._count = 0

    def __contains__(self, index: object) -> bool:
        return (isinstance(index, int) and 0 <= index < self._size
                and bool(self._bits[index >> 3] & (0x80 >> (index & 7))))

    def __iter__(self) -> Iterator[int]:
        return (i * 8 + b for i, byte in enumerate(self._bits) if byte
                for b in range(8) if byte & (0x80 >> b))

    def __len__(self) -> int:
        return self._count

    def add(self, index: int) -> None:
        """ValueError for an index outside the list (no entry of the list can be there)."""
        if not 0 <= index < self._size:
            raise ValueError(f"status list index {index} is outside 0-{self._size - 1}")
        mask = 0x80 >> (index & 7)
        if not self._bits[index >> 3] & mask:
            self._bits[index >> 3] |= mask
            self._count += 1

    def discard(self, index: int) -> None:
        if index in self:
            self._bits[index >> 3] &= ~(0x80 >> (index & 7)) & 0xFF
            self._count -= 1


def pick_free_index(used: MutableSet[int], size: int = LIST_SIZE) -> int:
    """A random index not yet used (the list must stay under half full: see allocate)."""
    while True:
        index = secrets.randbelow(size)
        if index not in used:
            used.add(index)
            return index


def status_list_credential(
    base_url: str,
    issuer_did: str,
    number: int,
    bits: Bitstring,
    valid_from: str,
    sign: Callable[[bytes], bytes],
    verification_method: str,
) -> dict[str, Any]:
    """The signed ``BitstringStatusListCredential`` published at ``/status/<number>``."""
    url = list_url(base_url, number)
    document = {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": PURPOSE,
            "encodedList": bits.encode(),
        },
    }
    return sign_document(document, sign, verification_method, valid_from)

"""Key rotation must be authorized: every key after the first is signed by an earlier valid key.

The authorization is an Ed25519 signature, by the authorizing key, over the JCS canonical form of
``{"type": "credsite-key-authorization", "did": …, "id": …, "public_key": …, "valid_from": …}``;
so a key listed in site.yaml without a chain back to the first key is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol

from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

from credsite.errors import ContentError
from credsite.trust.dataintegrity import canonicalize
from credsite.trust.multibase import decode_multibase_b58
from credsite.trust.timestamps import format_timestamp, parse_timestamp


class KeyLike(Protocol):
    # Read-only members, so frozen dataclasses (site.IssuerKey) match.
    @property
    def id(self) -> str: ...
    @property
    def public_key(self) -> str: ...
    @property
    def raw(self) -> bytes: ...
    @property
    def valid_from(self) -> dt.datetime: ...
    @property
    def valid_until(self) -> dt.datetime | None: ...
    @property
    def compromised_from(self) -> dt.datetime | None: ...
    @property
    def authorized_by(self) -> str | None: ...
    @property
    def authorization(self) -> str | None: ...

    def valid_at(self, moment: dt.datetime) -> bool: ...


def authorization_payload(did: str, entry: dict[str, Any]) -> bytes:
    return canonicalize({
        "type": "credsite-key-authorization",
        "did": did,
        "id": entry["id"],
        "public_key": entry["public_key"],
        "valid_from": format_timestamp(parse_timestamp(entry["valid_from"])),
    })


def check_key_chain(did: str, keys: Sequence[KeyLike], where: str) -> None:
    """ContentError unless each key after the first is authorized by an earlier, valid key."""
    for position, key in enumerate(keys):
        if position == 0:
            continue
        if key.authorized_by is None or key.authorization is None:
            raise ContentError(
                f"key {key.id} is not authorized: create it with "
                "'credsite keygen --rotate-from OLD_KEY' and copy its authorized_by entry",
                where=where,
            )
        parent = next((k for k in keys[:position] if k.id == key.authorized_by), None)
        if parent is None:
            raise ContentError(
                f"key {key.id} is authorized by {key.authorized_by!r}, which is not listed "
                "before it", where=where,
            )
        if not parent.valid_at(key.valid_from) or (
            parent.compromised_from is not None and parent.compromised_from <= key.valid_from
        ):
            raise ContentError(
                f"key {key.id} is authorized by {parent.id}, which was not valid on "
                f"{format_timestamp(key.valid_from)}", where=where,
            )
        payload = authorization_payload(did, {
            "id": key.id, "public_key": key.public_key, "valid_from": key.valid_from,
        })
        try:
            VerifyKey(parent.raw).verify(payload, decode_multibase_b58(key.authorization))
        except (BadSignatureError, ValueError):
            raise ContentError(
                f"key {key.id}: the authorization signature by {parent.id} does not verify",
                where=where,
            ) from None

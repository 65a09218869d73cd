"""Key rotation must be authorized: every key after the first is signed by an earlier valid key.

The authorization is an Ed25519 signature, by the authorizing key, over the JCS canonical form of
``{"type": "credsite-key-authorization", "did": …, "id": …, "public_key": …, "valid_from": …}``;
so a key listed in site.yaml without a chain back to the first key is refused.

A status freshness key (the online key of :mod:`credsite.trust.freshness`) is authorized the same
way by one of those keys, over ``{"type": "credsite-freshness-key-authorization", …}``: the
distinct type keeps its authorization from ever being read as a signing key's.
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


KEY_AUTHORIZATION = "credsite-key-authorization"
FRESHNESS_KEY_AUTHORIZATION = "credsite-freshness-key-authorization"


def authorization_payload(
    did: str, entry: dict[str, Any], kind: str = KEY_AUTHORIZATION
) -> bytes:
    return canonicalize({
        "type": kind,
        "did": did,
        "id": entry["id"],
        "public_key": entry["public_key"],
        "valid_from": format_timestamp(parse_timestamp(entry["valid_from"])),
    })


def _check_authorization(did: str, key: KeyLike, parent: KeyLike, kind: str, label: str,
                         where: str) -> None:
    """ContentError unless ``parent`` was valid (and not yet compromised) on ``key``'s
    ``valid_from`` and signed the ``kind`` authorization of ``key``. ``label`` names the key in
    the messages ("key", "freshness key")."""
    if not parent.valid_at(key.valid_from) or (
        parent.compromised_from is not None and parent.compromised_from <= key.valid_from
    ):
        raise ContentError(
            f"{label} {key.id} is authorized by {parent.id}, which was not valid on "
            f"{format_timestamp(key.valid_from)}", where=where,
        )
    payload = authorization_payload(did, {
        "id": key.id, "public_key": key.public_key, "valid_from": key.valid_from,
    }, kind)
    try:
        VerifyKey(parent.raw).verify(payload, decode_multibase_b58(key.authorization or ""))
    except (BadSignatureError, ValueError):
        raise ContentError(
            f"{label} {key.id}: the authorization signature by {parent.id} does not verify",
            where=where,
        ) from None


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
        _check_authorization(did, key, parent, KEY_AUTHORIZATION, "key", where)


def check_freshness_keys(
    did: str, keys: Sequence[KeyLike], freshness_keys: Sequence[KeyLike], where: str
) -> None:
    """ContentError unless each freshness key is authorized by one of the issuer's signing keys.

    The authorizing key must be valid on the freshness key's ``valid_from`` and not compromised
    by then, as for a rotation (:func:`check_key_chain`)."""
    taken = {k.id for k in keys}
    for key in freshness_keys:
        if key.id in taken:
            raise ContentError(f"freshness key id {key.id!r} is also a signing key's id",
                               where=where)
        taken.add(key.id)
        if key.authorized_by is None or key.authorization is None:
            raise ContentError(
                f"freshness key {key.id} is not authorized: create it with "
                "'credsite freshness-key --key SIGNING_KEY' and copy its authorized_by entry",
                where=where,
            )
        parent = next((k for k in keys if k.id == key.authorized_by), None)
        if parent is None:
            raise ContentError(
                f"freshness key {key.id} is authorized by {key.authorized_by!r}, which is not "
                "one of the signing keys", where=where,
            )
        _check_authorization(did, key, parent, FRESHNESS_KEY_AUTHORIZATION, "freshness key",
                             where)

"""The online freshness key: creating it (with the offline key) and signing statements (in CI).

``credsite freshness-key`` makes a new Ed25519 key and has the issuer's offline signing key
authorize it (:func:`credsite.trust.keychain.check_freshness_keys`); its file's text becomes a CI
secret. ``credsite freshness-sign`` signs a statement over the current status lists with that key
alone: the offline key is not needed, so the daily job never holds anything that can issue or
revoke (docs/design.md, "Status freshness").
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from credsite.content.awards import write_atomically
from credsite.content.freshness import load_statement, published_lists, statement_path
from credsite.content.site import Site
from credsite.content.status import load_status_lists
from credsite.errors import ContentError, KeyFileError
from credsite.issuer import keys
from credsite.issuer.issuance import check_signer
from credsite.issuer.keys import Signer
from credsite.trust.freshness import DEFAULT_DAYS, sign_statement
from credsite.trust.keychain import FRESHNESS_KEY_AUTHORIZATION, authorization_payload
from credsite.trust.multibase import multibase_b58
from credsite.trust.timestamps import format_timestamp

KEY_ENV = "CREDSITE_FRESHNESS_KEY"


def create_key(site: Site, offline: Signer, key_id: str,
               valid_from: dt.datetime) -> tuple[Signer, dict[str, Any]]:
    """A new online key and its ``freshness_keys`` entry, authorized by ``offline``."""
    check_signer(site, offline, valid_from)
    if site.key(key_id) or site.freshness_key(key_id):
        raise ContentError(f"key id {key_id!r} is already used in site.yaml; choose another --id",
                           where=str(site.source))
    signer = keys.generate(key_id)
    entry: dict[str, Any] = {"id": key_id, "public_key": signer.public_multikey,
                             "valid_from": format_timestamp(valid_from)}
    payload = authorization_payload(site.did, entry, FRESHNESS_KEY_AUTHORIZATION)
    entry["authorized_by"] = {"key": offline.key_id,
                              "signature": multibase_b58(offline.sign(payload))}
    return signer, entry


def _check_online_signer(site: Site, signer: Signer, now: dt.datetime) -> None:
    key = site.freshness_key(signer.key_id)
    if key is None or key.public_key != signer.public_multikey:
        raise KeyFileError(
            f"this key ({signer.key_id}, {signer.public_multikey}) is not under freshness_keys "
            "in site.yaml; create one with 'credsite freshness-key' and add its entry")
    if key.compromised_from is not None:
        raise KeyFileError(f"freshness key {key.id} is marked compromised; create a new one")
    if not key.valid_at(now):
        raise KeyFileError(f"freshness key {key.id} is not valid now (see valid_from/valid_until)")


def next_sequence(previous: dict[str, Any] | None, now: dt.datetime) -> int:
    """The signing time in seconds, or one more than the previous statement's if that is higher:
    higher than every earlier statement's without any state kept between CI runs."""
    last = previous.get("sequence") if previous else None
    floor = last + 1 if type(last) is int and last >= 0 else 0
    return max(int(now.timestamp()), floor)


def sign(content: Path, site: Site, signer: Signer, now: dt.datetime,
         days: int = DEFAULT_DAYS) -> tuple[Path, dict[str, Any]]:
    """Sign a statement over the site's status lists into ``content/status/freshness.json``."""
    _check_online_signer(site, signer, now)
    status = load_status_lists(content, site)
    try:
        previous = load_statement(content)
    except ContentError:
        previous = None  # a damaged statement is replaced
    try:
        statement = sign_statement(site, published_lists(site, status),
                                   next_sequence(previous, now), now, days, signer.sign,
                                   signer.key_id)
    except ValueError as exc:
        raise ContentError(f"--days: {exc}") from None
    path = statement_path(content)
    write_atomically(path, json.dumps(statement, ensure_ascii=False, indent=1).encode() + b"\n")
    return path, statement

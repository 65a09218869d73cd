"""Status freshness statements: the timestamp role of The Update Framework, for status lists.

A status list (``/status/<n>``) is signed by the issuer's offline key and says which credentials
are revoked, but not *as of when*: an older copy (a stale CDN, a redeployed old commit, anyone on
plain HTTP) verifies just as well and can undo a revocation. A freshness statement closes that gap
as TUF's timestamp metadata does (TUF specification §2.1.4 and §5.4): a small document, signed
every day by an online key that lives in a CI secret, that names

- ``sequence``: a number higher than that of every earlier statement (the signing time in
  seconds since 1970, or one more than the previous statement's, whichever is higher), so a
  browser that remembers the highest one it has seen refuses an older statement;
- ``validFrom`` / ``validUntil``: a window of one to two weeks, so a frozen copy expires;
- ``statusLists``: for every status list of the site, its URL and the SHA-256 of its JCS
  canonical form (RFC 8785) including its proof, so an older list does not match.

The online key is authorized by the issuer's offline key chain (:mod:`credsite.trust.keychain`)
and published in the DID document under its own relationship, ``credsite:freshnessMethod``,
never under ``assertionMethod``: no verifier anywhere accepts a credential or a status list it
signs. A thief of the online key can therefore only keep serving an old status (hold back or
freeze revocations for credsite's own pages, until the key is marked compromised); they can
neither mint nor revoke a credential.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from credsite.errors import VerificationError
from credsite.trust.dataintegrity import add_proof, canonicalize, single_proof, verify_proof
from credsite.trust.issuer import IssuerKey, Site
from credsite.trust.timestamps import display_date, format_timestamp, parse_timestamp

STATEMENT_TYPE = "CredsiteStatusFreshness"
RELATIONSHIP = "credsite:freshnessMethod"  # DID document property and proofPurpose
STATEMENT_PATH = "/status/freshness"
MIN_DAYS, MAX_DAYS, DEFAULT_DAYS = 7, 14, 10
WARN_DAYS = 3  # check and the workflow warn loudly when fewer days remain
CLOCK_SKEW = dt.timedelta(hours=1)  # a visitor's clock may be this far behind the signer's

# Stable codes (docs/design.md, "Status freshness"): why a statement does not confirm a list.
FRESH = "fresh"
MISSING = "freshness-missing"
EXPIRED = "freshness-expired"
MISMATCH = "freshness-mismatch"
INVALID = "freshness-invalid"
ROLLED_BACK = "freshness-rolled-back"


def statement_url(site: Site) -> str:
    return f"{site.base_url}{STATEMENT_PATH}"


def list_digest(status_list: Mapping[str, Any]) -> str:
    """Hex SHA-256 of the JCS canonical form of a status list credential, proof included."""
    return hashlib.sha256(canonicalize(dict(status_list))).hexdigest()


def sign_statement(
    site: Site,
    status_lists: Mapping[str, Mapping[str, Any]],
    sequence: int,
    now: dt.datetime,
    days: int,
    sign: Callable[[bytes], bytes],
    key_id: str,
) -> dict[str, Any]:
    """A signed freshness statement over ``status_lists`` (URL → signed list credential)."""
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise ValueError(f"a freshness statement is valid for {MIN_DAYS} to {MAX_DAYS} days")
    document = {
        "type": STATEMENT_TYPE,
        "issuer": site.did,
        "sequence": sequence,
        "validFrom": format_timestamp(now),
        "validUntil": format_timestamp(now + dt.timedelta(days=days)),
        "statusLists": [{"id": url, "digest": list_digest(doc)}
                        for url, doc in sorted(status_lists.items())],
    }
    return add_proof(document, sign, site.verification_method(key_id), format_timestamp(now),
                     purpose=RELATIONSHIP)


@dataclass(frozen=True)
class Freshness:
    """What a statement says about the site's status lists at ``now``.

    ``code`` is :data:`FRESH` or one of the failure codes; ``confirmed`` is when the lists were
    last vouched for (the statement's ``validFrom`` if it covers them, else None: the caller
    falls back on the list's own date); ``sequence`` and ``valid_until`` are the statement's
    when its signature verified."""

    code: str
    reason: str
    confirmed: dt.datetime | None = None
    sequence: int | None = None
    valid_until: dt.datetime | None = None

    @property
    def fresh(self) -> bool:
        return self.code == FRESH

    def days_left(self, now: dt.datetime) -> float | None:
        if self.valid_until is None:
            return None
        return (self.valid_until - now).total_seconds() / 86400


def _signing_key(statement: Mapping[str, Any], site: Site) -> IssuerKey:
    proof = single_proof(dict(statement))
    method = str(proof.get("verificationMethod", ""))
    key = site.freshness_key(method.removeprefix(f"{site.did}#")) if method.startswith(
        f"{site.did}#") else None
    if key is None:
        raise VerificationError("status", f"it is signed by {method!r}, not by a freshness key "
                                "of the site")
    if key.compromised_from is not None:
        raise VerificationError("status", f"its key {key.id} is marked compromised")
    try:
        created = parse_timestamp(proof.get("created"))
    except ValueError:
        raise VerificationError("status", "its proof has no valid 'created' time") from None
    if not key.valid_at(created):
        raise VerificationError("status", f"its key {key.id} was not valid when it signed")
    return key


def assess_statement(
    statement: Any,
    site: Site,
    status_lists: Mapping[str, Mapping[str, Any]],
    now: dt.datetime,
    highest_seen: int | None = None,
) -> Freshness:
    """Whether ``statement`` vouches, at ``now``, for exactly these ``status_lists``.

    ``status_lists``: URL → the list credential that the verifier holds (each must be covered with
    a matching digest; the statement may name more). ``highest_seen``: the highest sequence this
    verifier has accepted before (a browser keeps it in localStorage); a lower one is refused.
    """
    if statement is None:
        return Freshness(MISSING, "no freshness statement is published")
    if not isinstance(statement, dict) or statement.get("type") != STATEMENT_TYPE:
        return Freshness(INVALID, f"the freshness statement is not a {STATEMENT_TYPE}")
    if statement.get("issuer") != site.did:
        return Freshness(INVALID, f"the freshness statement is not by {site.did}")
    try:
        key = _signing_key(statement, site)
        verify_proof(statement, key.raw, purpose=RELATIONSHIP)
        valid_from = parse_timestamp(statement.get("validFrom"))
        valid_until = parse_timestamp(statement.get("validUntil"))
    except VerificationError as exc:
        return Freshness(INVALID, "the freshness statement does not verify: "
                         + exc.message.split("] ", 1)[-1])
    except ValueError as exc:
        return Freshness(INVALID, f"the freshness statement has a bad date: {exc}")
    sequence = statement.get("sequence")
    if type(sequence) is not int or not 0 <= sequence < 2**53:
        return Freshness(INVALID, "the freshness statement's sequence is not a whole number")
    if highest_seen is not None and sequence < highest_seen:
        return Freshness(ROLLED_BACK, f"the freshness statement #{sequence} is older than #"
                         f"{highest_seen}, seen before", None, sequence, valid_until)
    digests = {item.get("id"): item.get("digest") for item in statement.get("statusLists") or []
               if isinstance(item, dict)}
    for url, document in sorted(status_lists.items()):
        if digests.get(url) != list_digest(document):
            return Freshness(MISMATCH, f"the status list {url} is not the one the freshness "
                             f"statement of {display_date(valid_from)} vouches for", None,
                             sequence, valid_until)
    if valid_until - valid_from > dt.timedelta(days=MAX_DAYS) + CLOCK_SKEW:
        return Freshness(INVALID, f"the freshness statement claims more than {MAX_DAYS} days",
                         None, sequence, valid_until)
    if now + CLOCK_SKEW < valid_from:
        return Freshness(INVALID, f"the freshness statement is dated in the future "
                         f"({format_timestamp(valid_from)})", None, sequence, valid_until)
    if now >= valid_until:
        return Freshness(EXPIRED, f"the freshness statement expired on "
                         f"{display_date(valid_until)}", valid_from, sequence, valid_until)
    return Freshness(FRESH, f"status confirmed on {display_date(valid_from)} (freshness "
                     f"statement #{sequence}, valid until {display_date(valid_until)})",
                     valid_from, sequence, valid_until)


def unconfirmed_reason(freshness: Freshness, list_date: dt.datetime | None) -> str:
    """The status check's reason when the list is not confirmed fresh (the same words as the
    browser): "revocation status last confirmed on <date> (<why>)"."""
    when = freshness.confirmed or list_date
    head = (f"revocation status last confirmed on {display_date(when)}" if when
            else "revocation status not confirmed")
    return f"{head} ({freshness.reason})"

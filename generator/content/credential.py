"""Building the unsigned Open Badges 3.0 ``OpenBadgeCredential`` for one award.

VC Data Model 2.0 §4 and Open Badges 3.0 §B.1 (AchievementCredential). The holder is named by an
``IdentityObject`` of type ``name``; the e-mail address only appears as a salted SHA-256 hash
(OB 3.0 §B.1.9 IdentityObject: ``sha256$`` + hex digest of address + salt).

Where the salt goes is the site's choice (site.yaml ``email_salt``, README "Privacy"): inside the
credential (the default, what every Open Badges verifier can check), or only in the holder's link
(``/c/<ID>#salt=…``) and the private register. A public salt beside a hash of a guessable address
is no protection: a guess list built from the holder's public name finds most addresses. The
IdentityObject's ``salt`` is optional in OB 3.0 (only type, hashed, identityHash and identityType
are required), so leaving it out keeps the credential valid.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from credsite.content.catalog import CatalogEntry
from credsite.content.site import Site
from credsite.trust.timestamps import add_years, format_timestamp
from credsite.trust.vocabulary import CREDENTIAL_TYPE, OB_CONTEXT, VC_CONTEXT

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


SALT = re.compile(r"[A-Za-z0-9_-]{22}")  # 128 bits, base64url without padding


def new_email_salt() -> str:
    """128 random bits from the OS CSPRNG as 22 base64url characters (safe in a URL fragment)."""
    return secrets.token_urlsafe(16)


def email_hash(email: str, salt: str) -> str:
    """``sha256$`` + hex SHA-256 of the UTF-8 of the trimmed, lower-cased address + salt."""
    normal = email.strip().lower()
    return "sha256$" + hashlib.sha256((normal + salt).encode("utf-8")).hexdigest()


def email_identity(email: str, salt: str | None = None, *,
                   publish_salt: bool = True) -> dict[str, Any]:
    """An OB 3.0 hashed ``emailAddress`` IdentityObject; the address itself is not kept.

    ``publish_salt=False`` leaves the salt out: only whoever has it (the holder's link, the
    register) can then test an address against the hash."""
    salt = salt or new_email_salt()
    identity: dict[str, Any] = {
        "type": "IdentityObject",
        "identityType": "emailAddress",
        "hashed": True,
        "identityHash": email_hash(email, salt),
    }
    if publish_salt:
        identity["salt"] = salt
    return identity


def holder_link(url: str, salt: str | None) -> str:
    """The link the holder is given: the permanent URL, with the e-mail salt in its fragment when
    the salt is not in the credential (a fragment is never sent to a server)."""
    return f"{url}#salt={salt}" if salt else url


@dataclass(frozen=True)
class Award:
    """What an exam system reports for one passed credential (one CSV row)."""

    holder_name: str
    email: str | None
    code: str
    awarded: dt.datetime
    performance_result: str | None = None
    theory_result: str | None = None
    test_site: str | None = None
    where: str = field(default="", compare=False)  # the CSV row it came from, for messages
    holder_key: str | None = None  # the register's holder key, if the CSV gives one


def _result(achievement_url: str, part: str, value: str) -> dict[str, Any]:
    return {
        "type": ["Result"],
        "resultDescription": f"{achievement_url}#{part}",
        "status": "Completed",
        "value": value,
    }


def build_credential(
    site: Site,
    entry: CatalogEntry,
    award: Award,
    cred_id: str,
    status: dict[str, Any] | None = None,
    *,
    private_salt: str | None = None,
) -> dict[str, Any]:
    """The unsigned credential document for ``award`` (sign it with dataintegrity.add_proof).

    ``private_salt``: hash the e-mail address with this salt and leave it out of the document
    (site.yaml ``email_salt: link``); None puts a fresh salt inside, beside the hash."""
    identifiers: list[dict[str, Any]] = [
        {"type": "IdentityObject", "identityType": "name", "hashed": False,
         "identityHash": award.holder_name},
    ]
    if award.email:
        identifiers.append(email_identity(award.email, private_salt,
                                          publish_salt=private_salt is None))
    achievement = entry.achievement(site)
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "identifier": identifiers,
        "achievement": achievement,
    }
    results = []
    if award.performance_result:
        results.append(_result(achievement["id"], "performance", award.performance_result))
    if award.theory_result:
        results.append(_result(achievement["id"], "theory", award.theory_result))
    if results:
        subject["result"] = results
    if award.test_site:
        subject["source"] = {"id": f"{site.base_url}/#test-site", "type": ["Profile"],
                             "name": award.test_site}
    document: dict[str, Any] = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": site.credential_url(cred_id),
        "type": list(CREDENTIAL_TYPE),
        "name": entry.name,
        "issuer": site.issuer_profile(),
        "validFrom": format_timestamp(award.awarded),
    }
    if entry.validity_years:
        document["validUntil"] = format_timestamp(add_years(award.awarded, entry.validity_years))
    document["credentialSubject"] = subject
    if status:
        document["credentialStatus"] = status
    return document

"""Building the unsigned Open Badges 3.0 ``OpenBadgeCredential`` for one award.

VC Data Model 2.0 §4 and Open Badges 3.0 §B.1 (AchievementCredential). The holder is named by an
``IdentityObject`` of type ``name``; the e-mail address only appears as a salted SHA-256 hash
(OB 3.0 §B.1.9 IdentityObject: ``sha256$`` + hex digest of address + salt).
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


def email_identity(email: str, salt: str | None = None) -> dict[str, Any]:
    """An OB 3.0 hashed ``emailAddress`` IdentityObject; the address itself is not kept."""
    salt = salt or secrets.token_urlsafe(16)
    normal = email.strip().lower()
    digest = hashlib.sha256((normal + salt).encode("utf-8")).hexdigest()
    return {
        "type": "IdentityObject",
        "identityType": "emailAddress",
        "hashed": True,
        "identityHash": f"sha256${digest}",
        "salt": salt,
    }


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
) -> dict[str, Any]:
    """The unsigned credential document for ``award`` (sign it with dataintegrity.add_proof)."""
    identifiers: list[dict[str, Any]] = [
        {"type": "IdentityObject", "identityType": "name", "hashed": False,
         "identityHash": award.holder_name},
    ]
    if award.email:
        identifiers.append(email_identity(award.email))
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

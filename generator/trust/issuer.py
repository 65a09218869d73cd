"""The issuer as the trust core knows it: its base URL, its ``did:web`` DID and its public keys.

Parsed values only; ``credsite.content.site`` reads them from ``content/site.yaml``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any
from urllib.parse import quote, urlsplit

KEY_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


@dataclass(frozen=True)
class IssuerKey:
    """One public key of the issuer, with the period in which it may sign."""

    id: str
    public_key: str  # Multikey z6Mk…
    raw: bytes
    valid_from: dt.datetime
    valid_until: dt.datetime | None = None
    compromised_from: dt.datetime | None = None
    authorized_by: str | None = None
    authorization: str | None = None
    # A recovery key (site.yaml ``role: recovery``, made by credsite init and kept offline) only
    # authorizes new keys: it is in no DID document relationship and signs no credential.
    recovery: bool = False

    def valid_at(self, moment: dt.datetime) -> bool:
        return self.valid_from <= moment and (self.valid_until is None or moment < self.valid_until)


@dataclass(frozen=True)
class Site:
    base_url: str  # no trailing slash
    title: str
    issuer_name: str
    issuer_url: str
    issuer_email: str
    issuer_description: str
    logo: str | None
    demo: bool
    keys: tuple[IssuerKey, ...]
    # Online keys that sign only status freshness statements (credsite.trust.freshness).
    freshness_keys: tuple[IssuerKey, ...] = ()
    source: PurePath = field(default=PurePath("content/site.yaml"), compare=False)
    # LinkedIn's numeric ID of the issuer's company page: "Add to LinkedIn" then links it.
    linkedin_organization_id: str | None = None
    # The languages of the site's pages (site.yaml ``languages``), the first the default: the
    # language of credential pages and of the pages at unprefixed paths (README, "Languages").
    languages: tuple[str, ...] = ("en",)
    # The site's title and issuer description in other languages (site.yaml ``translations``:
    # language → {"title", "description"}), for the pages of those languages; never signed.
    translations: dict[str, dict[str, str]] = field(default_factory=dict, compare=False)
    # site.yaml ``email_salt: link``: the e-mail hash's salt goes only into the holder's link
    # (URL fragment) and the private register, not into the credential (README, Privacy).
    email_salt_in_link: bool = False

    @functools.cached_property
    def did(self) -> str:
        """The issuer's DID (computed once: every credential check compares against it)."""
        return did_web_for(self.base_url)

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc

    def verification_method(self, key_id: str) -> str:
        return f"{self.did}#{key_id}"

    def key(self, key_id: str) -> IssuerKey | None:
        return next((k for k in self.keys if k.id == key_id), None)

    def freshness_key(self, key_id: str) -> IssuerKey | None:
        return next((k for k in self.freshness_keys if k.id == key_id), None)

    def credential_url(self, cred_id: str) -> str:
        return f"{self.base_url}/c/{cred_id}"

    def achievement_url(self, code: str) -> str:
        return f"{self.base_url}/credentials/{code}/"

    def issuer_profile(self) -> dict[str, Any]:
        """The Open Badges 3.0 issuer ``Profile`` embedded in every credential.

        Kept to what a verifier shows (id, name, url): e-mail and description are on the site,
        and every byte here is stored twice per credential (page and JSON file).
        """
        return {"id": self.did, "type": ["Profile"], "name": self.issuer_name,
                "url": self.issuer_url}


def did_web_for(base_url: str) -> str:
    """``did:web`` identifier for a base URL (did:web Method §3.2: port as %3A, path as ``:``)."""
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    if parts.port:
        host = f"{host}%3A{parts.port}"
    segments = [quote(s, safe="") for s in parts.path.strip("/").split("/") if s]
    return ":".join(["did:web", host, *segments])

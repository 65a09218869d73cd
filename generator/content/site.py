"""``content/site.yaml``: the site, the issuer profile and the issuer's public keys."""

from __future__ import annotations

import datetime as dt
import ipaddress
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from credsite.content.languages import parse_languages
from credsite.content.translations import parse_site_translations
from credsite.content.urlschemes import unsafe_scheme
from credsite.content.yamlfiles import load_yaml_file
from credsite.errors import ContentError
from credsite.trust.dataintegrity import check_public_key
from credsite.trust.issuer import KEY_ID, IssuerKey, Site

__all__ = ["Site", "IssuerKey", "KEY_ID"]  # re-exported: the content model's Site is the trust core's
from credsite.trust.keychain import check_freshness_keys, check_key_chain
from credsite.trust.multibase import decode_multikey
from credsite.trust.timestamps import parse_timestamp


def _require_str(data: dict[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"'{key}' is required and must be text", where=where)
    return value.strip()


def _optional_time(entry: dict[str, Any], key: str, where: str) -> dt.datetime | None:
    if entry.get(key) is None:
        return None
    try:
        return parse_timestamp(entry[key])
    except ValueError as exc:
        raise ContentError(f"'{key}': {exc}", where=where) from None


def parse_key(entry: Any, where: str) -> IssuerKey:
    if not isinstance(entry, dict):
        raise ContentError("each key must be a mapping with id, public_key, valid_from", where=where)
    key_id = _require_str(entry, "id", where)
    if not KEY_ID.fullmatch(key_id):
        raise ContentError(f"key id {key_id!r} may use only letters, digits, . _ -", where=where)
    public = _require_str(entry, "public_key", where)
    try:
        raw = decode_multikey(public)
        check_public_key(raw)
    except ValueError as exc:
        raise ContentError(f"key {key_id}: public_key {exc}", where=where) from None
    valid_from = _optional_time(entry, "valid_from", where)
    if valid_from is None:
        raise ContentError(f"key {key_id}: 'valid_from' is required", where=where)
    valid_until = _optional_time(entry, "valid_until", where)
    if valid_until is not None and valid_until <= valid_from:
        raise ContentError(f"key {key_id}: valid_until is not after valid_from", where=where)
    auth = entry.get("authorized_by")
    if auth is not None and not (
        isinstance(auth, dict) and isinstance(auth.get("key"), str)
        and isinstance(auth.get("signature"), str)
    ):
        raise ContentError(
            f"key {key_id}: authorized_by must have 'key' and 'signature'", where=where
        )
    role = entry.get("role", "signing")
    if role not in ("signing", "recovery"):
        raise ContentError(f"key {key_id}: role must be 'signing' (the default) or 'recovery'",
                           where=where)
    return IssuerKey(
        recovery=role == "recovery",
        id=key_id,
        public_key=public,
        raw=raw,
        valid_from=valid_from,
        valid_until=valid_until,
        compromised_from=_optional_time(entry, "compromised_from", where),
        authorized_by=auth["key"] if auth else None,
        authorization=auth["signature"] if auth else None,
    )


def check_base_url(base_url: str, where: str | None = None) -> str:
    """``base_url`` without a trailing slash; ContentError unless it is a plain http(s) URL."""
    parts = urlsplit(base_url)
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number 0-65535
    except ValueError:
        ok = False
    else:
        ok = parts.scheme in ("https", "http") and bool(parts.hostname) and not (
            parts.query or parts.fragment)
    if not ok:
        raise ContentError(
            f"base_url {base_url!r} must be an http(s) URL such as https://credentials.example.org",
            where=where,
        )
    return base_url.rstrip("/")


LOOPBACK_NAMES = ("localhost",)


def is_loopback(base_url: str) -> bool:
    """True for ``localhost`` (and ``*.localhost``, RFC 6761 §6.3) and loopback IP addresses."""
    host = (urlsplit(base_url).hostname or "").lower()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def require_https(base_url: str, allow_http: bool, where: str | None = None) -> None:
    """did:web is resolved over https only (did:web spec §3.2.2: ``https://<host>/.well-known/
    did.json``): an ``http://`` base URL other than this machine's can never be resolved by
    anyone else, so every credential signed for it would fail elsewhere. ContentError unless
    ``allow_http`` (for a test) or the URL is https or loopback."""
    if urlsplit(base_url).scheme == "http" and not allow_http and not is_loopback(base_url):
        raise ContentError(
            f"base_url {base_url} is http: did:web is resolved over https only, so nobody else "
            "could verify these credentials; use https://, or --allow-http for a test", where=where)


def load_site(content: Path) -> Site:
    path = content / "site.yaml"
    if not path.is_file():
        raise ContentError("missing; run 'credsite init' or create it", where=str(path))
    data = load_yaml_file(path)
    where = str(path)
    if not isinstance(data, dict):
        raise ContentError("must be a YAML mapping", where=where)
    base_url = check_base_url(_require_str(data, "base_url", where), where)
    issuer = data.get("issuer")
    if not isinstance(issuer, dict):
        raise ContentError("'issuer' must be a mapping (name, url, email, ...)", where=where)
    keys_data = data.get("keys")
    if not isinstance(keys_data, list) or not keys_data:
        raise ContentError("'keys' must list at least one public key", where=where)
    keys = tuple(parse_key(k, f"{where} keys[{i}]") for i, k in enumerate(keys_data))
    seen: set[str] = set()
    for k in keys:
        if k.id in seen:
            raise ContentError(f"key id {k.id!r} is listed twice", where=where)
        seen.add(k.id)
    linkedin = issuer.get("linkedin_organization_id")
    if linkedin is not None and not (isinstance(linkedin, int | str) and str(linkedin).isdigit()):
        raise ContentError("issuer.linkedin_organization_id must be the number in the address of "
                           "the issuer's LinkedIn page (linkedin.com/company/<number>)", where=where)
    email_salt = data.get("email_salt", "credential")
    if email_salt not in ("credential", "link"):
        raise ContentError(f"email_salt must be 'credential' (the default: the salt of the e-mail "
                           f"hash is in the credential) or 'link' (only in the holder's link); "
                           f"it is {email_salt!r}", where=where)
    site = Site(
        base_url=base_url,
        title=str(data.get("title") or issuer.get("name") or "Credentials"),
        issuer_name=_require_str(issuer, "name", f"{where} issuer"),
        issuer_url=_require_str(issuer, "url", f"{where} issuer"),
        issuer_email=_require_str(issuer, "email", f"{where} issuer"),
        issuer_description=str(issuer.get("description") or "").strip(),
        logo=issuer.get("logo"),
        demo=bool(data.get("demo", False)),
        keys=keys,
        freshness_keys=_freshness_keys(data, where),
        source=path,
        linkedin_organization_id=str(linkedin) if linkedin is not None else None,
        languages=parse_languages(data.get("languages"), where),
        translations=parse_site_translations(data.get("translations"), where),
        email_salt_in_link=email_salt == "link",
    )
    scheme = unsafe_scheme(site.issuer_url)
    if scheme is not None:
        raise ContentError(f"issuer url {site.issuer_url!r} uses the scheme {scheme}:, which a "
                           "browser would run or open as a document; use an https:// address",
                           where=where)
    check_key_chain(site.did, keys, f"{where} keys")
    check_freshness_keys(site.did, keys, site.freshness_keys, f"{where} freshness_keys")
    return site


def _freshness_keys(data: dict[str, Any], where: str) -> tuple[IssuerKey, ...]:
    """``freshness_keys:``: the online keys that sign status freshness statements (optional)."""
    entries = data.get("freshness_keys")
    if entries is None:
        return ()
    if not isinstance(entries, list):
        raise ContentError("'freshness_keys' must be a list of keys", where=where)
    found = tuple(parse_key(k, f"{where} freshness_keys[{i}]") for i, k in enumerate(entries))
    if len({k.id for k in found}) != len(found):
        raise ContentError("a freshness key id is listed twice", where=where)
    return found

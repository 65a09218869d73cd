"""The issuer's ``did:web`` DID document and machine-readable key history.

did:web Method Specification §3.2 (the document at ``/.well-known/did.json``); keys are ``Multikey``
verification methods (W3C Controlled Identifiers §2.2.2) listed under ``assertionMethod``.
Key validity periods are extra ``credsite:`` properties that other verifiers ignore. The document's
``@context`` maps that prefix to the issuer's own namespace (``<base_url>/ns/credsite#``), so a
JSON-LD processor reads them as defined terms rather than as IRIs of an unknown ``credsite:``
scheme (VC 2.0 and DID Core expect every term to be defined by the context). The build publishes
that namespace as a page, ``/ns/credsite``, with one anchor per term (:func:`vocabulary_html`).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from credsite.trust.freshness import RELATIONSHIP
from credsite.trust.issuer import IssuerKey, Site
from credsite.trust.timestamps import format_timestamp

VOCABULARY_PATH = "/ns/credsite"

# The terms of <base_url>/ns/credsite#, with what each one means to a verifier.
TERMS = {
    "validFrom": "When the issuer began to sign with this key. A proof made with it verifies only "
                 "if the proof's created time is at or after this time; the credential's own "
                 "validFrom (the award date) may be earlier.",
    "validUntil": "When the issuer stopped signing with this key (it was rotated). A proof made "
                  "with it verifies only if the proof's created time is before this time; "
                  "credentials signed earlier stay valid.",
    "freshnessMethod": "The issuer's online keys that sign status freshness statements "
                       "(/status/freshness): a sequence number, a validity of one to two weeks "
                       "and the digest of every status list, so that an older copy of a status "
                       "list is detected. These keys are never listed under assertionMethod: "
                       "nothing they sign is a credential or a status list.",
    "compromisedFrom": "The key's private half may have been known to others since this time. "
                       "Every credential signed with the key is invalid, whatever its dates, "
                       "and the key is no longer listed under assertionMethod; the issuer "
                       "re-signs the credentials with another key and keeps their URLs.",
}


def namespace(site: Site) -> str:
    return f"{site.base_url}{VOCABULARY_PATH}#"


_DATE_VALUE = "Value: an XML Schema dateTimeStamp (e.g. <code>2026-01-01T00:00:00Z</code>)."
_VALUE = {"freshnessMethod": "Value: a list of embedded <code>Multikey</code> verification "
                             "methods (a property of the DID document)."}


def vocabulary_html(site: Site, did_url: str, keys_url: str) -> Markup:
    """The body of the ``/ns/credsite`` page: each term, under an element whose id is its name."""
    rows = "".join(
        f'<dt id="{name}"><code>credsite:{name}</code></dt>\n<dd><p>{escape(text)} '
        f"{_VALUE.get(name, _DATE_VALUE)}</p></dd>\n"
        for name, text in TERMS.items())
    return Markup(  # noqa: S704 - fixed markup around escaped text
        f"<p>Terms that {escape(site.issuer_name)} uses in its DID document "
        f"(<a href=\"{escape(did_url)}\">did.json</a>) and key "
        f"history (<a href=\"{escape(keys_url)}\">keys.json</a>), in the "
        f"namespace <code>{escape(namespace(site))}</code>. Each one but "
        "<code>freshnessMethod</code> is a property of a verification method (a "
        "<code>Multikey</code>). Verifiers that do not know these terms "
        f"can ignore them.</p>\n<dl class=\"vocabulary\">\n{rows}</dl>\n")


def _validity(key: IssuerKey) -> dict[str, str]:
    extra = {"credsite:validFrom": format_timestamp(key.valid_from)}
    if key.valid_until:
        extra["credsite:validUntil"] = format_timestamp(key.valid_until)
    if key.compromised_from:
        extra["credsite:compromisedFrom"] = format_timestamp(key.compromised_from)
    return extra


def _method(site: Site, key: IssuerKey) -> dict[str, Any]:
    return {"id": site.verification_method(key.id), "type": "Multikey", "controller": site.did,
            "publicKeyMultibase": key.public_key, **_validity(key)}


def did_document(site: Site) -> dict[str, Any]:
    """The DID document; freshness keys are embedded in their own relationship (DID Core §5.3),
    not in ``verificationMethod``, so that a verifier that looks a key up there alone, without
    checking the relationship, cannot find them either."""
    signing = [k for k in site.keys if not k.recovery]  # a recovery key only authorizes keys
    methods = [_method(site, k) for k in signing]
    document: dict[str, Any] = {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1",
                     {"credsite": namespace(site)}],
        "id": site.did,
        "verificationMethod": methods,
        "assertionMethod": [site.verification_method(k.id) for k in signing
                            if k.compromised_from is None],
    }
    online = [_method(site, k) for k in site.freshness_keys if k.compromised_from is None]
    if online:
        document[RELATIONSHIP] = online
    return document


def key_history(site: Site) -> dict[str, Any]:
    """``/keys.json``: every key ever used, its period, its authorization and compromise date."""
    keys = []
    for k in site.keys:
        item: dict[str, Any] = {"id": site.verification_method(k.id),
                                "publicKeyMultibase": k.public_key, **_validity(k)}
        if k.authorized_by:
            item["authorizedBy"] = site.verification_method(k.authorized_by)
            item["authorization"] = k.authorization
        if k.recovery:
            item["role"] = "recovery"
        keys.append(item)
    history: dict[str, Any] = {"issuer": site.did, "keys": keys}
    if site.freshness_keys:
        history["freshnessKeys"] = [
            {"id": site.verification_method(k.id), "publicKeyMultibase": k.public_key,
             **_validity(k), "authorizedBy": site.verification_method(k.authorized_by or ""),
             "authorization": k.authorization}
            for k in site.freshness_keys]
    return history

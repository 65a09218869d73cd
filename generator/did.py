"""The issuer's ``did:web`` DID document and machine-readable key history.

did:web Method Specification §3.2 (the document at ``/.well-known/did.json``); keys are ``Multikey``
verification methods (W3C Controlled Identifiers §2.2.2) listed under ``assertionMethod``.
Key validity periods are extra ``credsite:`` properties that other verifiers ignore. The document's
``@context`` maps that prefix to the issuer's own namespace (``<base_url>/ns/credsite#``), so a
JSON-LD processor reads them as defined terms rather than as IRIs of an unknown ``credsite:``
scheme (VC 2.0 and DID Core expect every term to be defined by the context).
"""

from __future__ import annotations

from typing import Any

from generator.site import IssuerKey, Site
from generator.timestamps import format_timestamp


def _validity(key: IssuerKey) -> dict[str, str]:
    extra = {"credsite:validFrom": format_timestamp(key.valid_from)}
    if key.valid_until:
        extra["credsite:validUntil"] = format_timestamp(key.valid_until)
    if key.compromised_from:
        extra["credsite:compromisedFrom"] = format_timestamp(key.compromised_from)
    return extra


def did_document(site: Site) -> dict[str, Any]:
    methods = [
        {"id": site.verification_method(k.id), "type": "Multikey", "controller": site.did,
         "publicKeyMultibase": k.public_key, **_validity(k)}
        for k in site.keys
    ]
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1",
                     {"credsite": f"{site.base_url}/ns/credsite#"}],
        "id": site.did,
        "verificationMethod": methods,
        "assertionMethod": [site.verification_method(k.id) for k in site.keys
                            if k.compromised_from is None],
    }


def key_history(site: Site) -> dict[str, Any]:
    """``/keys.json``: every key ever used, its period, its authorization and compromise date."""
    keys = []
    for k in site.keys:
        item: dict[str, Any] = {"id": site.verification_method(k.id),
                                "publicKeyMultibase": k.public_key, **_validity(k)}
        if k.authorized_by:
            item["authorizedBy"] = site.verification_method(k.authorized_by)
            item["authorization"] = k.authorization
        keys.append(item)
    return {"issuer": site.did, "keys": keys}

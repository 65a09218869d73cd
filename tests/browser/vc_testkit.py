"""Independent test-side signer for the browser verifier tests.

Builds credentials, DID documents and status lists in the shapes of docs/design.md and signs them
with `eddsa-jcs-2022` using PyNaCl and rfc8785 only (not the generator package), so the browser
verifier is checked against a second implementation.
"""

from __future__ import annotations

import base64
import copy
import gzip
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import rfc8785
from nacl.signing import SigningKey

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
VC2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def b58encode(data: bytes) -> str:
    zeros = len(data) - len(data.lstrip(b"\0"))
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = B58[r] + out
    return "1" * zeros + out


def b58decode(text: str) -> bytes:
    n = 0
    for ch in text:
        n = n * 58 + B58.index(ch)
    zeros = len(text) - len(text.lstrip("1"))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * zeros + body


def multikey(public_key: bytes) -> str:
    return "z" + b58encode(b"\xed\x01" + public_key)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@dataclass
class Key:
    did: str
    fragment: str
    signing_key: SigningKey

    @classmethod
    def from_seed(cls, did: str, fragment: str, seed_byte: int) -> Key:
        return cls(did, fragment, SigningKey(bytes([seed_byte]) * 32))

    @property
    def vm_id(self) -> str:
        return f"{self.did}#{self.fragment}"

    @property
    def public(self) -> bytes:
        return bytes(self.signing_key.verify_key)

    def method(self, **extra: str) -> dict[str, Any]:
        vm: dict[str, Any] = {
            "id": self.vm_id,
            "type": "Multikey",
            "controller": self.did,
            "publicKeyMultibase": multikey(self.public),
        }
        vm.update({f"credsite:{name}": value for name, value in extra.items()})
        return vm


def sign(
    document: dict[str, Any],
    key: Key,
    created: str = "2026-03-14T10:00:00Z",
    *,
    as_array: bool = True,
    vm_id: str | None = None,
) -> dict[str, Any]:
    """`document` with an eddsa-jcs-2022 proof (vc-di-eddsa §3.3.1: the proof carries the
    document's @context, and the proof configuration hashed is the proof less its proofValue)."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022",
        "created": created,
        "verificationMethod": vm_id or key.vm_id,
        "proofPurpose": "assertionMethod",
    }
    config = dict(options, **{"@context": unsecured["@context"]})
    hash_data = (
        hashlib.sha256(rfc8785.dumps(config)).digest() + hashlib.sha256(rfc8785.dumps(unsecured)).digest()
    )
    signature = key.signing_key.sign(hash_data).signature
    proof = dict(config, proofValue="z" + b58encode(signature))
    return dict(unsecured, proof=[proof] if as_array else proof)


def did_for(base_url: str) -> str:
    host = base_url.split("://", 1)[1].rstrip("/")
    return "did:web:" + host.replace(":", "%3A")


def did_document(did: str, methods: list[dict[str, Any]], assertion: list[str]) -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": assertion,
    }


def credential(
    base_url: str,
    did: str,
    cred_id: str,
    *,
    valid_from: str = "2026-03-14T00:00:00Z",
    valid_until: str | None = "2031-03-14T00:00:00Z",
    status_index: int | None = None,
    holder: str = "Jane Q. Doe",
    code: str = "MACH1-MMS",
    name: str = "Measurement, Materials & Safety",
    issuer_name: str = "Test Skills Council",
    description: str | None = "Measures parts; knows materials; works safely.",
    results: dict[str, str] | None = None,
    test_site: str | None = None,
) -> dict[str, Any]:
    """An unsigned credential shaped like credsite's. ``results`` maps exam parts
    (``performance``, ``theory``) to values (default: a performance "Pass"); ``test_site`` adds a
    ``source`` profile; ``description=None`` leaves the achievement without one."""
    achievement_id = f"{base_url}/credentials/{code}/"
    cred: dict[str, Any] = {
        "@context": [VC2, OB3],
        "id": f"{base_url}/c/{cred_id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": name,
        "issuer": {
            "id": did,
            "type": ["Profile"],
            "name": issuer_name,
            "url": base_url + "/",
            "email": "office@example.org",
            "description": "Test issuer.",
        },
        "validFrom": valid_from,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": holder,
                },
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "identityHash": "sha256$" + hashlib.sha256(b"jane@example.orgSALT").hexdigest(),
                    "salt": "SALTSALTSALTSALTSALTSA",
                },
            ],
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": "Certification",
                "humanCode": code,
                "name": name,
                "criteria": {"id": achievement_id},
                "fieldOfStudy": "Machining Level I",
                "tag": ["measurement", "safety"],
            },
            "result": [
                {
                    "type": ["Result"],
                    "resultDescription": f"{achievement_id}#{part}",
                    "status": "Completed",
                    "value": value,
                }
                for part, value in ({"performance": "Pass"} if results is None else results).items()
            ],
        },
    }
    subject = cred["credentialSubject"]
    if description is not None:
        subject["achievement"]["description"] = description
    if not subject["result"]:
        del subject["result"]
    if test_site is not None:
        subject["source"] = {"id": f"{base_url}/#test-site", "type": ["Profile"], "name": test_site}
    if valid_until is not None:
        cred["validUntil"] = valid_until
    if status_index is not None:
        list_url = f"{base_url}/status/1"
        cred["credentialStatus"] = {
            "id": f"{list_url}#{status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(status_index),
            "statusListCredential": list_url,
        }
    return cred


def encoded_list(revoked: set[int], size_bits: int = 131072) -> str:
    bits = bytearray(size_bits // 8)
    for index in revoked:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + b64url(gzip.compress(bytes(bits), mtime=0))  # the same bytes every run


def status_list_credential(
    list_url: str, did: str, revoked: set[int], valid_from: str = "2026-03-14T00:00:00Z"
) -> dict[str, Any]:
    return {
        "@context": [VC2],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": did,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": list_url + "#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list(revoked),
        },
    }


def write_json(path: Path, value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")


def script_json(value: Any) -> str:
    """JSON for a <script type="application/ld+json"> element (docs/design.md escaping)."""
    text = json.dumps(value, ensure_ascii=False)
    for raw, escaped in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


def deep_copy(value: Any) -> Any:
    return copy.deepcopy(value)

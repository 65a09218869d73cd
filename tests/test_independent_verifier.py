"""Every signature credsite publishes verifies with a from-the-spec verifier that shares no code
with ``generator/``.

The verifier below follows W3C vc-di-eddsa §3.3 (eddsa-jcs-2022: "Verify Proof", "Proof
Configuration", "Hashing") with other libraries than credsite's: ``cryptography``'s Ed25519
(OpenSSL; credsite uses libsodium through PyNaCl), ``rfc8785`` for JCS (credsite has its own fast
path), ``hashlib``, and the textbook base58btc decoder of ``test_multibase.py``. It resolves keys
from the built ``/.well-known/did.json`` as a did:web resolver would. It first reproduces the W3C
test vector, so a disagreement would be credsite's fault, not the verifier's.
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sitekit import MiniSite, award_row
from test_multibase import textbook_decode as base58btc

from credsite.build.pipeline import build_site  # only to make a portable copy to read

REPO = Path(__file__).resolve().parent.parent
VECTOR = Path(__file__).resolve().parent / "vectors" / "eddsa-jcs-2022"
ED25519_PUB_PREFIX = b"\xed\x01"  # multicodec ed25519-pub, as a varint


def multikey_ed25519(multibase: str) -> bytes:
    assert multibase.startswith("z"), multibase
    raw = base58btc(multibase[1:])
    assert raw[:2] == ED25519_PUB_PREFIX and len(raw) == 34, multibase
    return raw[2:]


def jcs_proof(secured: dict[str, Any]) -> dict[str, Any]:
    """The one eddsa-jcs-2022 proof of a proof set (VC Data Integrity §2.1: proofs of other
    suites sit beside it, each signing the document without any proof)."""
    proofs = secured["proof"] if isinstance(secured["proof"], list) else [secured["proof"]]
    [proof] = [p for p in proofs if p.get("cryptosuite") == "eddsa-jcs-2022"]
    return dict(proof)


def verify_eddsa_jcs_2022(secured: dict[str, Any], public_key: bytes) -> bool:
    """vc-di-eddsa §3.3.2 Verify Proof, step by step."""
    proof = jcs_proof(secured)
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != "eddsa-jcs-2022":
        return False
    unsecured = {key: value for key, value in secured.items() if key != "proof"}  # step 1
    options = {key: value for key, value in proof.items() if key != "proofValue"}  # step 2
    if "@context" in options:  # step 4: the document's @context must start with the proof's
        context = options["@context"]
        if unsecured["@context"][:len(context)] != context:
            return False
        unsecured["@context"] = context
    # steps 5-7: §3.3.5 Proof Configuration is the options as they are (no @context added)
    hash_data = (hashlib.sha256(rfc8785.dumps(options)).digest()
                 + hashlib.sha256(rfc8785.dumps(unsecured)).digest())
    value = proof["proofValue"]
    if not value.startswith("z"):
        return False
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(base58btc(value[1:]), hash_data)
    except InvalidSignature:
        return False
    return True


def did_web_key(site: Path, verification_method: str) -> bytes:
    """The key a did:web resolver finds for ``verification_method`` in the built site."""
    did, _, fragment = verification_method.partition("#")
    assert did.startswith("did:web:") and fragment
    host_and_path = [unquote(part) for part in did.removeprefix("did:web:").split(":")]
    # did:web:<host> resolves to https://<host>/.well-known/did.json (a path would be <host>/a/b)
    assert len(host_and_path) == 1, "these sites live at the root of their host"
    document = json.loads((site / ".well-known" / "did.json").read_text(encoding="utf-8"))
    assert document["id"] == did
    assert verification_method in document["assertionMethod"]
    [method] = [m for m in document["verificationMethod"] if m["id"] == verification_method]
    assert method["type"] == "Multikey" and method["controller"] == did
    return multikey_ed25519(method["publicKeyMultibase"])


def verifies(site: Path, document: dict[str, Any]) -> bool:
    proof = jcs_proof(document)
    return verify_eddsa_jcs_2022(document, did_web_key(site, proof["verificationMethod"]))


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- the verifier itself


def test_the_verifier_reproduces_the_w3c_vector() -> None:
    signed = _read_json(VECTOR / "signedJCS.json")
    key = multikey_ed25519(_read_json(VECTOR / "keyPair.json")["publicKeyMultibase"])
    assert verify_eddsa_jcs_2022(signed, key)
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["alumniOf"] = "Another School"
    assert not verify_eddsa_jcs_2022(tampered, key)
    other_context = copy.deepcopy(signed)
    other_context["@context"] = other_context["@context"][:1]
    assert not verify_eddsa_jcs_2022(other_context, key)
    # A proof stripped of its @context (what credsite stored before 0.2) does not verify.
    stripped = copy.deepcopy(signed)
    del stripped["proof"]["@context"]
    assert not verify_eddsa_jcs_2022(stripped, key)


def test_base58_decoder_keeps_leading_zero_bytes() -> None:
    assert base58btc("1112") == b"\x00\x00\x00\x01"
    assert base58btc("z") == bytes([57])


# --------------------------------------------------------------------------- what credsite publishes


def test_every_published_credential_file_verifies_independently(demo_output: Path) -> None:
    files = sorted((demo_output / "c").glob("*.json"))
    assert len(files) == 50
    failed = [p.name for p in files if not verifies(demo_output, _read_json(p))]
    assert failed == []


def test_every_credential_embedded_in_a_portable_page_verifies_independently(
        demo_output: Path, tmp_path: Path) -> None:
    # The web build's pages fetch c/<ID>.json (checked above); a portable copy embeds the record.
    usb = tmp_path / "usb"
    build_site(REPO / "content", usb, quiet=True, portable=True)
    marker = '<script type="application/ld+json" id="credential-data">'
    pages = sorted((usb / "c").glob("*.html"))
    assert len(pages) == 50
    for page in pages:
        html = page.read_text(encoding="utf-8")
        embedded = html.split(marker, 1)[1].split("</script>", 1)[0]
        # the page embeds the record unchanged (only <, > and & escaped as JSON \u escapes)
        credential = json.loads(embedded)
        assert credential == _read_json(page.with_suffix(".json"))
        assert verifies(demo_output, credential), page.name


def test_every_status_list_verifies_independently(demo_output: Path) -> None:
    lists = sorted(p for p in (demo_output / "status").iterdir() if p.is_file())
    assert lists
    for path in lists:
        document = _read_json(path)
        assert "BitstringStatusListCredential" in document["type"]
        assert verifies(demo_output, document), path.name


def test_credentials_fresh_from_the_cli_verify_independently(mini_site: MiniSite) -> None:
    ids = mini_site.issue([award_row(), award_row(name="Zoë D’Arcy", code="TEST-CNC")], via="cli")
    site = mini_site.build()
    for cred_id in ids:
        assert verifies(site, _read_json(site / "c" / f"{cred_id}.json")), cred_id


def test_a_changed_credential_or_another_key_fails_independently(demo_output: Path) -> None:
    document = _read_json(sorted((demo_output / "c").glob("*.json"))[0])
    assert verifies(demo_output, document)
    renamed = copy.deepcopy(document)
    renamed["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else"
    assert not verifies(demo_output, renamed)
    vector_key = multikey_ed25519(_read_json(VECTOR / "keyPair.json")["publicKeyMultibase"])
    assert not verify_eddsa_jcs_2022(document, vector_key)

"""The ``eddsa-rdfc-2022`` Data Integrity cryptosuite (vc-di-eddsa §3.2), for the second proof of
every credential and status list credential.

Wallets and verifiers of the Open Badges ecosystem (and 1EdTech's OB 3.0 certification) accept
``eddsa-rdfc-2022``, not ``eddsa-jcs-2022``: the document is read as JSON-LD into RDF, canonicalized
with RDFC-1.0 (W3C RDF Dataset Canonicalization), and ``SHA-256(canonical proof configuration) ‖
SHA-256(canonical document)`` is signed with Ed25519. JSON-LD to RDF and RDFC-1.0 come from
pyoxigraph (chosen by ``bench/rdfc_bench.py``: the same N-Quads as pyld on credsite's credentials
and the W3C vectors, several times faster); its parser loads no remote context, so the pinned
contexts are inlined first (:mod:`credsite.trust.contexts`). Pure functions over JSON values and
bytes; the caller passes ``sign``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

import pyoxigraph
from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

from credsite.errors import VerificationError
from credsite.trust.contexts import inline_contexts
from credsite.trust.dataintegrity import PROOF_PURPOSE, PROOF_TYPE, find_proof
from credsite.trust.multibase import decode_multibase_b58, multibase_b58

CRYPTOSUITE = "eddsa-rdfc-2022"

JsonObject = dict[str, Any]
PROOF_MEMBERS = frozenset({"id", "type", "cryptosuite", "created", "expires", "verificationMethod",
                           "proofPurpose", "proofValue", "domain", "challenge", "nonce"})
"""VC Data Integrity §2.1 proof members (no previousProof: credsite's proofs form a set)."""


def canonical_nquads(document: JsonObject, contexts: Mapping[str, Any] | None = None) -> str:
    """RDFC-1.0 canonical N-Quads of the JSON-LD ``document`` (lines sorted in code point order).

    ``contexts``: context documents by URL besides the pinned ones (tests: W3C vectors). Raises
    ValueError for an unknown context, a document that is not JSON-LD, or text with a control
    character other than tab, line feed and carriage return: canonical N-Quads writes those as
    ``\\u`` escapes, pyoxigraph writes them raw, and a proof others cannot reproduce is no proof
    (``tests/test_rdfc.py`` compares with pyld)."""
    _refuse_controls(document)
    data = json.dumps(inline_contexts(document, contexts), ensure_ascii=False).encode("utf-8")
    try:
        dataset = pyoxigraph.Dataset(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.JSON_LD))
    except SyntaxError as exc:
        raise ValueError(f"not JSON-LD: {exc}") from None
    dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
    return "".join(sorted(f"{quad} .\n" for quad in dataset))


_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _refuse_controls(value: Any) -> None:
    if isinstance(value, str):
        found = _CONTROLS.search(value)
        if found:
            raise ValueError(f"text {value[:40]!r} holds the control character "
                             f"U+{ord(found.group()):04X}")
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_controls(key)
            _refuse_controls(item)
    elif isinstance(value, list):
        for item in value:
            _refuse_controls(item)


def proof_configuration(unsecured: JsonObject, options: JsonObject) -> JsonObject:
    """§3.2.5 Proof Configuration: the proof options with the document's ``@context`` (not stored
    in the proof: a verifier adds it back from the document)."""
    config = {k: v for k, v in options.items() if k != "proofValue"}
    if "@context" in unsecured:
        config["@context"] = unsecured["@context"]
    return config


def hash_data(unsecured: JsonObject, config: JsonObject,
              contexts: Mapping[str, Any] | None = None) -> bytes:
    """§3.2.4 Hashing: ``SHA-256(canonical proof config) ‖ SHA-256(canonical document)``."""
    return (_config_hash(json.dumps(config, sort_keys=True), contexts)
            + hashlib.sha256(canonical_nquads(unsecured, contexts).encode("utf-8")).digest())


_CONFIG_HASHES: dict[str, bytes] = {}


def _config_hash(config_json: str, contexts: Mapping[str, Any] | None) -> bytes:
    """SHA-256 of the canonical proof configuration; a batch signs every credential with the
    same one, so it is canonicalized once (cached by its JSON, only with the pinned contexts)."""
    cached = _CONFIG_HASHES.get(config_json) if contexts is None else None
    if cached is None:
        nquads = canonical_nquads(json.loads(config_json), contexts)
        cached = hashlib.sha256(nquads.encode("utf-8")).digest()
        if contexts is None and len(_CONFIG_HASHES) < 256:
            _CONFIG_HASHES[config_json] = cached
    return cached


def create_proof(
    unsecured: JsonObject,
    sign: Callable[[bytes], bytes],
    verification_method: str,
    created: str,
    contexts: Mapping[str, Any] | None = None,
) -> JsonObject:
    """§3.2.1 Create Proof over ``unsecured`` (no ``proof``: in a proof set each proof signs the
    document without any, VC Data Integrity §4.2)."""
    proof: JsonObject = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": PROOF_PURPOSE,
    }
    data = hash_data(unsecured, proof_configuration(unsecured, proof), contexts)
    proof["proofValue"] = multibase_b58(sign(data))
    return proof


def verify_proof(document: JsonObject, public_key: bytes,
                 contexts: Mapping[str, Any] | None = None) -> None:
    """§3.2.2 Verify Proof of the document's ``eddsa-rdfc-2022`` proof; VerificationError if not."""
    proof = find_proof(document, CRYPTOSUITE)
    unknown = sorted(set(proof) - PROOF_MEMBERS)
    if unknown:  # JSON-LD would drop an undefined term from the RDF: it would not be signed
        raise VerificationError("signature", f"the {CRYPTOSUITE} proof has unknown member(s) "
                                f"{', '.join(map(repr, unknown))}")
    if proof.get("type") != PROOF_TYPE or proof.get("proofPurpose") != PROOF_PURPOSE:
        raise VerificationError("signature", f"the {CRYPTOSUITE} proof is not a DataIntegrityProof "
                                "for assertionMethod")
    value = proof.get("proofValue")
    try:
        signature = decode_multibase_b58(value) if isinstance(value, str) else b""
    except ValueError:
        signature = b""
    if len(signature) != 64:
        raise VerificationError("signature", f"the {CRYPTOSUITE} proofValue is not a base58btc "
                                "Ed25519 signature")
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    try:
        data = hash_data(unsecured, proof_configuration(unsecured, options), contexts)
    except ValueError as exc:
        raise VerificationError("signature", f"{CRYPTOSUITE}: cannot canonicalize: {exc}") from None
    try:
        VerifyKey(public_key).verify(data, signature)
    except (BadSignatureError, ValueError):
        raise VerificationError(
            "signature", f"the {CRYPTOSUITE} signature does not match the credential "
            "(altered, or wrong key)") from None

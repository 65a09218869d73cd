"""eddsa-rdfc-2022 (vc-di-eddsa §3.2) and proof sets: the W3C vectors reproduced in Python.

The vectors (``tests/vectors/eddsa-rdfc-2022``, ``tests/vectors/proof-set-chain``, copies of
``../shared/vectors``) are reproduced byte for byte: canonical N-Quads of the document and the proof
configuration, their SHA-256 hashes, the signature; and the signed files verify. The ``employ/``
vector is not run: it needs the citizenship context, which is not available offline here. pyld
(an independent JSON-LD + URDNA2015 implementation) gives the same N-Quads as pyoxigraph.
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld
from sitekit import MiniSite, award_row

from credsite.errors import VerificationError
from credsite.issuer.keys import signer_from_seed
from credsite.trust import rdfc
from credsite.trust.contexts import PINNED, inline_contexts, pinned_context
from credsite.trust.multibase import decode_multibase_b58, decode_multikey, multibase_b58
from credsite.trust.proofset import sign_document, verify_document

VECTORS = Path(__file__).resolve().parent / "vectors"
RDFC = VECTORS / "eddsa-rdfc-2022"
SETS = VECTORS / "proof-set-chain"
EXAMPLES = "https://www.w3.org/ns/credentials/examples/v2"
CONTEXTS = {EXAMPLES: json.loads((VECTORS / "credentials-examples-v2.jsonld").read_text("utf-8"))}


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _seed(private_multibase: str) -> bytes:
    raw = decode_multibase_b58(private_multibase)
    assert raw[:2] == b"\x80\x26" and len(raw) == 34
    return raw[2:]


def _rdfc_signer() -> Any:
    return signer_from_seed("vector", _seed(_json(RDFC / "keyPair.json")["privateKeyMultibase"]))


def _public() -> bytes:
    return decode_multikey(_json(RDFC / "keyPair.json")["publicKeyMultibase"])


# --------------------------------------------------------------------------- eddsa-rdfc-2022


def test_canonical_document_and_proof_configuration() -> None:
    unsigned = _json(RDFC / "unsigned.json")
    config = _json(RDFC / "proofConfigDataInt.json")
    options = {k: v for k, v in config.items() if k != "@context"}
    assert rdfc.proof_configuration(unsigned, options) == config
    assert rdfc.canonical_nquads(unsigned, CONTEXTS) == _text(RDFC / "canonDocDataInt.txt")
    assert rdfc.canonical_nquads(config, CONTEXTS) == _text(RDFC / "proofCanonDataInt.txt")


def test_hashes_reproduced() -> None:
    unsigned = _json(RDFC / "unsigned.json")
    config = _json(RDFC / "proofConfigDataInt.json")
    data = rdfc.hash_data(unsigned, config, CONTEXTS)
    proof_hash, doc_hash = data[:32].hex(), data[32:].hex()
    assert doc_hash == _text(RDFC / "docHashDataInt.txt").strip()
    assert proof_hash == _text(RDFC / "proofHashDataInt.txt").strip()
    assert data.hex() == _text(RDFC / "combinedHashDataInt.txt").strip()


def test_signature_reproduced_and_stored_proof_is_the_vectors() -> None:
    unsigned = _json(RDFC / "unsigned.json")
    options = _json(RDFC / "proofConfigDataInt.json")
    proof = rdfc.create_proof(unsigned, _rdfc_signer().sign, options["verificationMethod"],
                              options["created"], CONTEXTS)
    assert proof["proofValue"] == _text(RDFC / "sigBTC58DataInt.txt").strip()
    assert proof == _json(RDFC / "signedDataInt.json")["proof"]  # no @context stored


def test_signed_vector_verifies_and_any_change_fails() -> None:
    signed = _json(RDFC / "signedDataInt.json")
    rdfc.verify_proof(signed, _public(), CONTEXTS)
    for change in ("alumniOf", "validFrom"):
        changed = copy.deepcopy(signed)
        target = changed["credentialSubject"] if change == "alumniOf" else changed
        target[change] = target[change].replace("2", "3").replace("School", "Schule")
        with pytest.raises(VerificationError):
            rdfc.verify_proof(changed, _public(), CONTEXTS)
    other = copy.deepcopy(signed)
    other["proof"]["created"] = "2023-02-24T23:36:39Z"
    with pytest.raises(VerificationError):
        rdfc.verify_proof(other, _public(), CONTEXTS)


def test_unknown_context_is_refused_not_fetched() -> None:
    with pytest.raises(ValueError, match="not pinned"):
        rdfc.canonical_nquads(_json(RDFC / "unsigned.json"))


# --------------------------------------------------------------------------- proof sets


def test_proof_set_vectors_reproduced() -> None:
    """Two independent proofs, each over the document without proofs (no previousProof)."""
    keys = _json(SETS / "multiKeyPairs.json")
    unsigned = _json(SETS / "unsigned.json")
    signed = _json(SETS / "signedProofSet2.json")
    for number in (1, 2):
        pair = keys[f"keyPair{number}"]
        config = _json(SETS / f"proofSetConfig{number}.json")
        signer = signer_from_seed("k", _seed(pair["privateKeyMultibase"]))
        value = multibase_b58(signer.sign(
            rdfc.hash_data(unsigned, rdfc.proof_configuration(unsigned, config), CONTEXTS)))
        assert dict(config, proofValue=value) == _json(SETS / f"proofSetConfigSigned{number}.json")
        assert signed["proof"][number - 1]["proofValue"] == value
        alone = dict(signed, proof=[signed["proof"][number - 1]])
        rdfc.verify_proof(alone, decode_multikey(pair["publicKeyMultibase"]), CONTEXTS)
    assert _json(SETS / "signedProofSet1.json")["proof"] == signed["proof"][0]


# --------------------------------------------------------------------------- credsite's documents


def test_pinned_contexts_are_the_conformance_copies() -> None:
    for url, name in PINNED.items():
        shipped = Path(__file__).resolve().parents[1] / "generator" / "trust" / "contexts" / name
        assert shipped.read_bytes() == (VECTORS / "conformance" / name).read_bytes(), url
        assert pinned_context(url) == json.loads(shipped.read_bytes())


def _pyld_nquads(document: dict[str, Any]) -> str:
    def loader(url: str, options: Any = None) -> dict[str, Any]:
        return {"contextUrl": None, "documentUrl": url, "document": pinned_context(url)}

    return str(jsonld.normalize(document, {"algorithm": "URDNA2015", "format": "application/n-quads",
                                           "documentLoader": loader}))


def test_pyld_and_pyoxigraph_agree_on_credsite_credentials(mini_site: MiniSite) -> None:
    [cred_id] = mini_site.issue([award_row(name='Zoë "Q" O\\Brien 😀')])
    credential = mini_site.credential(cred_id)
    unsecured = {k: v for k, v in credential.items() if k != "proof"}
    ours = rdfc.canonical_nquads(unsecured)
    assert ours == _pyld_nquads(unsecured)
    assert "O\\\\Brien" in ours and '\\"Q\\"' in ours  # N-Quads escapes, as RDFC-1.0 requires
    # Text a catalog description may hold (line breaks, tabs, control and astral characters).
    unsecured["credentialSubject"]["achievement"]["description"] = "a\nb\r\tc\u2028\u00a0 😀"
    assert rdfc.canonical_nquads(unsecured) == _pyld_nquads(unsecured)
    # Other control characters pyoxigraph writes raw where canonical N-Quads escapes them: refused.
    for control in ("\u0007", "\u007f", "\b", "\f", "\u0000"):
        unsecured["credentialSubject"]["achievement"]["description"] = f"a{control}b"
        with pytest.raises(ValueError, match="control character"):
            rdfc.canonical_nquads(unsecured)
    assert inline_contexts(unsecured)["@context"][0] == pinned_context(PINNED_VC)["@context"]


PINNED_VC = "https://www.w3.org/ns/credentials/v2"


def test_issued_credentials_carry_a_two_proof_set(mini_site: MiniSite) -> None:
    [cred_id] = mini_site.issue([award_row()])
    credential = mini_site.credential(cred_id)
    suites = [p["cryptosuite"] for p in credential["proof"]]
    assert suites == ["eddsa-jcs-2022", "eddsa-rdfc-2022"]
    assert not any("previousProof" in p for p in credential["proof"])
    assert "@context" in credential["proof"][0] and "@context" not in credential["proof"][1]
    verify_document(credential, mini_site.signer.public_key)
    changed = copy.deepcopy(credential)
    changed["credentialSubject"]["achievement"]["name"] = "Something else"
    with pytest.raises(VerificationError):
        rdfc.verify_proof(changed, mini_site.signer.public_key)
    resigned = sign_document(credential, mini_site.signer.sign,
                             credential["proof"][0]["verificationMethod"],
                             credential["proof"][0]["created"])
    assert resigned == credential  # deterministic: the same bytes again


def test_the_config_hash_cache_gives_the_plain_answer() -> None:
    unsigned = _json(RDFC / "unsigned.json")
    config = {k: v for k, v in _json(RDFC / "proofConfigDataInt.json").items()}
    config["@context"] = ["https://www.w3.org/ns/credentials/v2"]
    plain = hashlib.sha256(rdfc.canonical_nquads(config).encode()).digest()
    assert rdfc.hash_data(unsigned, config, CONTEXTS)[:32] == plain
    assert rdfc.hash_data(unsigned, config, CONTEXTS)[:32] == plain

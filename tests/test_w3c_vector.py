"""The published W3C test vector of eddsa-jcs-2022 (vc-di-eddsa v1.0, TestVectors/).

Reproduces the canonical document, the canonical proof configuration and the proof value byte for
byte with credsite.trust.dataintegrity, and checks that verify_proof accepts the signed vector and
rejects every single-character change to it.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
from vectors import w3c

from credsite.errors import VerificationError
from credsite.issuer.keys import signer_from_seed
from credsite.trust.dataintegrity import (
    LEGACY,
    add_proof,
    canonicalize,
    hash_data,
    proof_configuration,
    verify_proof,
)
from credsite.trust.multibase import decode_multibase_b58, decode_multikey, encode_multikey, multibase_b58

VECTOR = w3c.vector_dir()


def _json(name: str) -> Any:
    return json.loads((VECTOR / name).read_text(encoding="utf-8"))


def _text(name: str) -> bytes:
    # The files hold exactly the canonical bytes; tolerate only a final newline from an editor.
    return (VECTOR / name).read_bytes().removesuffix(b"\n")


def _proof_options() -> dict[str, Any]:
    config = _json("proofConfigJCS.json")
    return {k: v for k, v in config.items() if k != "@context"}


def _private_seed() -> bytes:
    raw = decode_multibase_b58(w3c.private_multibase())
    assert raw[:2] == b"\x80\x26", "ed25519-priv multicodec prefix"
    assert len(raw) == 34
    return raw[2:]


def _public_key() -> bytes:
    return decode_multikey(_json("keyPair.json")["publicKeyMultibase"])


def test_canonical_document() -> None:
    assert canonicalize(_json("unsigned.json")) == _text("canonDocJCS.txt")


def test_canonical_proof_configuration() -> None:
    config = proof_configuration(_json("unsigned.json"), _proof_options())
    assert config == _json("proofConfigJCS.json")
    assert canonicalize(config) == _text("proofCanonJCS.txt")


def test_private_key_matches_public_key() -> None:
    signer = signer_from_seed("vector", _private_seed())
    assert signer.public_key == _public_key()
    assert encode_multikey(signer.public_key) == _json("keyPair.json")["publicKeyMultibase"]


def test_signature_reproduced_byte_for_byte() -> None:
    signer = signer_from_seed("vector", _private_seed())
    options = _proof_options()
    signed = add_proof(_json("unsigned.json"), signer.sign, options["verificationMethod"],
                       options["created"])
    proof = signed["proof"][0]
    assert proof["proofValue"].encode() == _text("sigBTC58JCS.txt")
    # The stored proof is the vector's: the proof options with the document's @context
    # (§3.3.1 step 2), byte for byte in canonical form.
    assert {k: v for k, v in proof.items() if k != "proofValue"} == _json("proofConfigJCS.json")
    assert canonicalize(proof) == canonicalize(_json("signedJCS.json")["proof"])
    assert canonicalize(dict(signed, proof=proof)) == canonicalize(_json("signedJCS.json"))


def test_signed_vector_verifies_with_proof_as_object() -> None:
    signed = _json("signedJCS.json")
    assert isinstance(signed["proof"], dict)
    verify_proof(signed, _public_key())


def test_signed_vector_verifies_with_proof_as_array() -> None:
    signed = _json("signedJCS.json")
    signed["proof"] = [signed["proof"]]
    verify_proof(signed, _public_key())


def test_signed_vector_rejects_another_key() -> None:
    other = signer_from_seed("other", bytes(range(32)))
    with pytest.raises(VerificationError) as info:
        verify_proof(_json("signedJCS.json"), other.public_key)
    assert info.value.check == "signature"
    assert "does not match" in info.value.message


def _string_paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _string_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _string_paths(item, (*path, index))
    elif isinstance(value, str):
        yield path


def _changed(text: str, position: int) -> str:
    """``text`` with the character at ``position`` replaced by a different one."""
    old = text[position]
    new = "1" if old != "1" else "2"
    if old.isalpha():
        new = "a" if old != "a" else "b"
    return text[:position] + new + text[position + 1:]


def _single_character_changes() -> Iterator[tuple[str, dict[str, Any]]]:
    signed = _json("signedJCS.json")
    for path in _string_paths(signed):
        parent = signed
        for key in path[:-1]:
            parent = parent[key]
        text = parent[path[-1]]
        # first, a middle and the last character of every string field
        for position in sorted({0, len(text) // 2, len(text) - 1}):
            document = copy.deepcopy(signed)
            target = document
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = _changed(text, position)
            yield f"{'.'.join(map(str, path))}[{position}]", document


CHANGES = list(_single_character_changes())


def test_changes_cover_every_field() -> None:
    names = {name.split("[")[0] for name, _ in CHANGES}
    for field in ("id", "issuer", "validFrom", "credentialSubject.alumniOf", "proof.created",
                  "proof.verificationMethod", "proof.proofValue", "proof.@context.1", "@context.0"):
        assert field in names, field


@pytest.mark.parametrize(("name", "document"), CHANGES, ids=[n for n, _ in CHANGES])
def test_any_single_character_change_is_rejected(name: str, document: dict[str, Any]) -> None:
    with pytest.raises(VerificationError) as info:
        verify_proof(document, _public_key())
    assert info.value.check == "signature"


def _renamed_keys() -> Iterator[tuple[str, dict[str, Any]]]:
    signed = _json("signedJCS.json")
    for key in signed:
        document = {(k + "x" if k == key else k): v for k, v in copy.deepcopy(signed).items()}
        yield key, document
    for key in signed["proof"]:
        document = copy.deepcopy(signed)
        document["proof"] = {(k + "x" if k == key else k): v for k, v in signed["proof"].items()}
        yield f"proof.{key}", document


@pytest.mark.parametrize(("name", "document"), list(_renamed_keys()),
                         ids=[n for n, _ in _renamed_keys()])
def test_a_renamed_key_is_rejected(name: str, document: dict[str, Any]) -> None:
    with pytest.raises(VerificationError):
        verify_proof(document, _public_key())


def test_proof_context_must_prefix_document_context() -> None:
    signed = _json("signedJCS.json")
    signed["proof"]["@context"] = ["https://www.w3.org/ns/credentials/v2",
                                   "https://example.org/other/v1"]
    with pytest.raises(VerificationError) as info:
        verify_proof(signed, _public_key())
    assert "proof @context does not match" in info.value.message


def _signed_over(config: dict[str, Any], stored_proof: dict[str, Any]) -> dict[str, Any]:
    """The unsigned vector with ``stored_proof`` whose proofValue signs ``config``."""
    signer = signer_from_seed("vector", _private_seed())
    unsigned = _json("unsigned.json")
    value = multibase_b58(signer.sign(hash_data(unsigned, config)))
    return dict(unsigned, proof=dict(stored_proof, proofValue=value))


def test_a_proof_without_context_is_verified_without_it() -> None:
    """§3.3.2: step 4 applies only when the proof has @context; the configuration is the proof
    options as they are (§3.3.5), so a proof signed and stored without @context verifies."""
    options = _proof_options()
    assert verify_proof(_signed_over(options, options), _public_key()) == "ok"


def test_vector_proof_stripped_of_its_context_is_rejected() -> None:
    signed = _json("signedJCS.json")
    del signed["proof"]["@context"]
    with pytest.raises(VerificationError):
        verify_proof(signed, _public_key())
    # It is exactly what credsite before 0.2 stored, so the site's own legacy check accepts it.
    assert verify_proof(signed, _public_key(), allow_legacy=True) == LEGACY


def test_pre_0_2_credsite_proof_only_with_allow_legacy() -> None:
    """credsite before 0.2 hashed the document's @context but did not store it: other verifiers
    reject that; credsite accepts it for the site's own awards, and says it is legacy."""
    options = _proof_options()
    legacy = _signed_over(proof_configuration(_json("unsigned.json"), options), options)
    with pytest.raises(VerificationError):
        verify_proof(legacy, _public_key())
    assert verify_proof(legacy, _public_key(), allow_legacy=True) == LEGACY
    text = canonicalize(legacy)
    assert verify_proof(legacy, _public_key(), text=text, allow_legacy=True) == LEGACY
    with pytest.raises(VerificationError):
        verify_proof(legacy, _public_key(), text=text)

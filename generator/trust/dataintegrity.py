"""The ``eddsa-jcs-2022`` Data Integrity cryptosuite as pure functions over JSON values and bytes.

W3C "Data Integrity EdDSA Cryptosuites v1.0", §3.3 (eddsa-jcs-2022): the document and the proof
configuration are canonicalized with JCS (RFC 8785), hashed with SHA-256, and the concatenation
``SHA-256(proofConfig) ‖ SHA-256(document)`` is signed with Ed25519. No file paths, no printing:
the signing key stays with the caller, which passes a ``sign`` function.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

import rfc8785
from nacl.bindings import crypto_core_ed25519_is_valid_point
from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

from credsite.errors import VerificationError
from credsite.trust.multibase import decode_multibase_b58, multibase_b58

CRYPTOSUITE = "eddsa-jcs-2022"
PROOF_TYPE = "DataIntegrityProof"
PROOF_PURPOSE = "assertionMethod"

JsonObject = dict[str, Any]


_SAFE_INT = 2**53


def _plain(value: Any) -> bool:
    """True if ``value`` holds only ASCII keys, strings, safe integers, booleans and null.

    For such values RFC 8785 coincides with ``json.dumps(sort_keys=True)``: ASCII keys sort the
    same by UTF-16 code units (§3.2.3) as by code points; strings are escaped the same way
    (§3.2.2.2: short escapes, other controls as lower-case ``\\u00xx``, nothing else); integers in
    ±2^53 print the same as ECMAScript numbers (§3.2.2.3). Anything else takes the full path.
    (Written with ``type() is`` tests and strings handled inline: it runs on every credential.)
    """
    kind = type(value)
    if kind is dict:
        for key in value:
            if type(key) is not str or not key.isascii():
                return False
        items: Any = value.values()
    elif kind is list:
        items = value
    else:
        return _plain_scalar(value)
    for item in items:
        item_kind = type(item)
        if item_kind is str:
            continue
        if item_kind is dict or item_kind is list:
            if not _plain(item):
                return False
        elif not _plain_scalar(item):
            return False
    return True


def _plain_scalar(value: Any) -> bool:
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return True
    return kind is int and -_SAFE_INT < value < _SAFE_INT


def canonicalize(value: Any) -> bytes:
    """JCS canonical form (RFC 8785 §3.2), as UTF-8 bytes."""
    if _plain(value):
        try:
            return json.dumps(value, sort_keys=True, ensure_ascii=False,
                              separators=(",", ":")).encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: let rfc8785 report them
            pass
    return rfc8785.dumps(value)


def proof_configuration(document: JsonObject, options: JsonObject) -> JsonObject:
    """The proof configuration of Create Proof (§3.3.1 steps 1-2): a copy of the proof options
    without ``proofValue``, with ``@context`` set to the document's when the document has one.

    The proof stores this ``@context`` (the W3C vector's ``signedJCS.json`` does): a verifier
    following §3.3.2 hashes only the ``@context`` that the proof carries."""
    config = {k: v for k, v in options.items() if k != "proofValue"}
    if "@context" in document:
        config["@context"] = document["@context"]
    return config


_CONFIG_HASHES: dict[Any, bytes] = {}


def _config_hash(config: JsonObject) -> bytes:
    """SHA-256 of the JCS proof configuration; every credential of a batch has the same one."""
    items: list[tuple[str, Any]] = []
    for name, value in config.items():  # cached only when made of strings and lists of strings
        if type(value) is list and all(type(item) is str for item in value):
            value = tuple(value)
        elif type(value) is not str:
            return hashlib.sha256(canonicalize(config)).digest()
        items.append((name, value))
    key = tuple(items)
    cached = _CONFIG_HASHES.get(key)
    if cached is None:
        cached = hashlib.sha256(canonicalize(config)).digest()
        if len(_CONFIG_HASHES) < 1024:
            _CONFIG_HASHES[key] = cached
    return cached


def hash_data(document: JsonObject, config: JsonObject) -> bytes:
    """``SHA-256(JCS(proof config)) ‖ SHA-256(JCS(unsecured document))`` (§3.3.4)."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    return _config_hash(config) + hashlib.sha256(canonicalize(unsecured)).digest()


def add_proof(
    document: JsonObject,
    sign: Callable[[bytes], bytes],
    verification_method: str,
    created: str,
    purpose: str = PROOF_PURPOSE,
) -> JsonObject:
    """Return a copy of ``document`` with a one-element ``proof`` array (§3.3.1, Add Proof).

    ``purpose``: the verification relationship the key is listed under (Data Integrity §2.1,
    ``proofPurpose``); ``assertionMethod`` for credentials and status lists."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    proof = create_proof(unsecured, sign, verification_method, created, purpose)
    return dict(unsecured, proof=[proof])


def create_proof(
    unsecured: JsonObject,
    sign: Callable[[bytes], bytes],
    verification_method: str,
    created: str,
    purpose: str = PROOF_PURPOSE,
) -> JsonObject:
    """Create Proof (§3.3.1): the proof, with ``@context`` when the document has one, and its
    ``proofValue``. ``unsecured`` has no ``proof``: in a proof set every proof signs the document
    without any proof (VC Data Integrity §4.2, no ``previousProof``)."""
    options: JsonObject = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": purpose,
    }
    proof = proof_configuration(unsecured, options)
    proof["proofValue"] = multibase_b58(sign(hash_data(unsecured, proof)))
    return proof


def proofs(document: JsonObject) -> list[JsonObject]:
    """The document's proofs: one object, or a proof set given as an array (VC Data Integrity §2.1)."""
    proof = document.get("proof")
    found = proof if isinstance(proof, list) else [proof] if proof is not None else []
    if not found:
        raise VerificationError("signature", "the credential has no proof")
    if not all(isinstance(p, dict) for p in found):
        raise VerificationError("signature", "every proof must be a JSON object")
    return found


def find_proof(document: JsonObject, cryptosuite: str = CRYPTOSUITE) -> JsonObject:
    """The document's one proof of ``cryptosuite``; a proof set may hold proofs of other suites."""
    matching = [p for p in proofs(document) if p.get("cryptosuite") == cryptosuite]
    if len(matching) != 1:
        suites = ", ".join(repr(p.get("cryptosuite")) for p in proofs(document))
        raise VerificationError(
            "signature",
            f"expected one {cryptosuite} proof, found {len(matching)} (proof suites: {suites})",
        )
    return matching[0]


def single_proof(document: JsonObject) -> JsonObject:
    """The document's ``eddsa-jcs-2022`` proof (the one every credsite verifier checks)."""
    return find_proof(document, CRYPTOSUITE)


def check_public_key(public_key: bytes) -> None:
    """Reject keys that are not valid, non-small-order Ed25519 points (RFC 8032 §5.1.3)."""
    if len(public_key) != 32 or not crypto_core_ed25519_is_valid_point(public_key):
        raise ValueError("not a valid Ed25519 public key (wrong length, off-curve or small order)")


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _starts_with(document_context: Any, proof_context: Any) -> bool:
    doc, prefix = _as_list(document_context), _as_list(proof_context)
    return len(prefix) <= len(doc) and all(
        canonicalize(a) == canonicalize(b) for a, b in zip(doc, prefix, strict=False)
    )


_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _stored_without_proof(text: bytes, document: JsonObject) -> bytes | None:
    """``text`` without its top-level ``"proof"`` member, if ``text`` looks like JCS: the bytes to
    hash if the issuer stored the credential in its canonical form (as ``credsite issue`` does).

    Only a shortcut: when these bytes are not what was signed, the signature check on them fails
    and the caller canonicalizes as usual. When it succeeds, the bytes are the JCS form of what
    the issuer signed (SHA-256 is collision resistant), and they are ``text`` less one proof.
    """
    if list(document) != sorted(document):
        return None
    proof = _COMPACT.encode(document.get("proof"))
    member = b',"proof":' + proof.encode("utf-8")
    # ``text.count(member) == 1``, then ``text.replace(member, b"")``, found through the short
    # prefix every occurrence starts with: two scans of a 3 KB record for a 700-byte pattern
    # took 10 µs, this takes one. Same left-to-right, non-overlapping matches as ``count``.
    found, at = -1, text.find(_PROOF_MEMBER)
    while at >= 0:
        if text.startswith(member, at):
            if found >= 0:
                return None
            found = at
            at = text.find(_PROOF_MEMBER, at + len(member))
        else:
            at = text.find(_PROOF_MEMBER, at + 1)
    return None if found < 0 else text[:found] + text[found + len(member):]


_PROOF_MEMBER = b',"proof":'


class _DuplicateKey(Exception):
    pass


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: set[str] = set()
    for name, _ in pairs:
        if name in seen:
            raise _DuplicateKey(name)
        seen.add(name)
    return dict(pairs)


def duplicate_key(text: bytes) -> str | None:
    """The first member name that occurs twice in one object of the JSON ``text``, if any.

    JCS (RFC 8785 §3.1) is defined for I-JSON, which has unique names: a parser keeps one of two
    same-named members (Python and JavaScript the last, others the first), so such a record means
    different things to different verifiers.
    """
    try:
        json.loads(text, object_pairs_hook=_reject_duplicates)
    except _DuplicateKey as exc:
        return str(exc.args[0])
    except (ValueError, RecursionError):
        return None
    return None


_VERIFY_KEYS: dict[bytes, VerifyKey] = {}


def _signature_ok(public_key: bytes, data: bytes, signature: bytes) -> bool:
    # One VerifyKey per issuer key, not per signature (its constructor takes about 5 µs, a
    # tenth of the verification itself); a site has a few keys.
    try:
        key = _VERIFY_KEYS.get(public_key) if type(public_key) is bytes else None
        if key is None:
            key = VerifyKey(public_key)
            if type(public_key) is bytes and len(_VERIFY_KEYS) < 64:
                _VERIFY_KEYS[public_key] = key
        key.verify(data, signature)
    except (BadSignatureError, ValueError):
        return False
    return True


LEGACY = "legacy"
"""What :func:`verify_proof` returns for a proof made by credsite before 0.2 (see its docstring)."""


def verify_proof(
    document: JsonObject,
    public_key: bytes,
    *,
    text: bytes | None = None,
    allow_legacy: bool = False,
    purpose: str = PROOF_PURPOSE,
) -> str:
    """Verify the ``eddsa-jcs-2022`` proof of ``document`` (§3.3.2); VerificationError if not.

    Follows §3.3.2 step by step: the unsecured document is the document without ``proof`` (all
    proofs of a set); the proof options are the proof without ``proofValue``; if (and only if)
    the options carry ``@context``, the document's ``@context`` must start with it and the
    document is hashed with the proof's ``@context`` (step 4); the proof configuration is the
    options as they are (§3.3.5: nothing added).

    ``allow_legacy``: credsite before 0.2 hashed the document's ``@context`` into the proof
    configuration without storing it in the proof. For the site's own credentials only, such a
    proof is accepted when the exact check fails, and ``"legacy"`` is returned so the caller can
    warn (``credsite migrate`` re-signs them). Otherwise returns ``"ok"``.

    ``text``: the JSON text ``document`` was parsed from; when it is stored in canonical form the
    document need not be canonicalized again, and when it is not, it must not repeat a name.
    ``purpose``: the ``proofPurpose`` the proof must state (see :func:`add_proof`)."""
    proof = single_proof(document)
    for name, expected in (
        ("type", PROOF_TYPE),
        ("cryptosuite", CRYPTOSUITE),
        ("proofPurpose", purpose),
    ):
        if proof.get(name) != expected:
            raise VerificationError("signature", f"proof {name} must be {expected!r}")
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        raise VerificationError("signature", "proofValue must be a base58btc multibase string")
    try:
        signature = decode_multibase_b58(value)
    except ValueError as exc:
        raise VerificationError("signature", f"proofValue is not base58btc: {exc}") from None
    if len(signature) != 64:
        raise VerificationError(
            "signature", f"proofValue decodes to {len(signature)} bytes, not 64 (truncated?)"
        )
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    if text is not None and options.get("@context", unsecured.get("@context")) == unsecured.get(
        "@context"
    ):
        stored = _stored_without_proof(text, document)
        if stored is not None:
            document_hash = hashlib.sha256(stored).digest()
            try:
                if _signature_ok(public_key, _config_hash(options) + document_hash, signature):
                    return "ok"
                if allow_legacy and "@context" not in options and "@context" in unsecured:
                    legacy = _config_hash(proof_configuration(unsecured, options))
                    if _signature_ok(public_key, legacy + document_hash, signature):
                        return LEGACY
            except (TypeError, ValueError):  # not canonicalizable: the full path says why
                pass
    if text is not None:  # canonical text cannot repeat a name: checked only off the fast path
        repeated = duplicate_key(text)
        if repeated is not None:
            raise VerificationError(
                "signature", f"the credential JSON has the member {repeated!r} twice in one object "
                "(JCS needs unique names); store it in its canonical form")
    try:
        if "@context" in options:
            # §3.3.2 step 4: the document's @context must start with the proof's, and the
            # proof's @context is the one that was signed.
            if not _starts_with(unsecured.get("@context"), options["@context"]):
                raise VerificationError(
                    "signature", "the proof @context does not match the credential @context"
                )
            unsecured["@context"] = options["@context"]
        data = hash_data(unsecured, options)
        if _signature_ok(public_key, data, signature):
            return "ok"
        if allow_legacy and "@context" not in options and "@context" in unsecured:
            if _signature_ok(public_key, hash_data(unsecured, proof_configuration(unsecured, options)),
                             signature):
                return LEGACY
    except (TypeError, ValueError) as exc:
        raise VerificationError("signature", f"cannot canonicalize the credential: {exc}") from None
    raise VerificationError(
        "signature", "the signature does not match the credential (altered, or wrong key)"
    )

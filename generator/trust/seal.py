"""Batch seals: the issuing key's signature over a batch file's SHA-256.

The build cannot afford RDF canonicalization for every award of a cold build (100,000 × several
ms), yet a changed or broken ``eddsa-rdfc-2022`` proof must never be published. Every command that
writes a batch (``issue``, ``reissue``, ``migrate``) verifies both proofs of every line and then
seals the file: ``content/awards/<batch>.jsonl.seal`` holds the file's digest signed with the
issuing key. The build verifies each line's JCS proof as before and each seal against the file's
bytes (one SHA-256 per file): a line changed after sealing, by hand or by a tool, changes the digest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

from credsite.errors import VerificationError
from credsite.trust.dataintegrity import canonicalize
from credsite.trust.multibase import decode_multibase_b58, multibase_b58

SEAL_TYPE = "CredsiteBatchSeal"
SEAL_SUFFIX = ".seal"


def _payload(batch: str, digest: str, verification_method: str, created: str) -> dict[str, Any]:
    return {"type": SEAL_TYPE, "batch": batch, "sha256": digest,
            "verificationMethod": verification_method, "created": created}


def make_seal(batch: str, data: bytes, sign: Callable[[bytes], bytes],
              verification_method: str, created: str) -> dict[str, Any]:
    """The seal of the batch file named ``batch`` whose bytes are ``data``."""
    payload = _payload(batch, hashlib.sha256(data).hexdigest(), verification_method, created)
    return dict(payload, proofValue=multibase_b58(sign(canonicalize(payload))))


def seal_method(seal: Any) -> str:
    """The verification method a seal names (to look its key up); VerificationError if none."""
    method = seal.get("verificationMethod") if isinstance(seal, dict) else None
    if not isinstance(method, str):
        raise VerificationError("seal", "the seal names no verificationMethod")
    return method


def verify_seal(seal: Any, batch: str, data: bytes, public_key: bytes) -> None:
    """Check that ``seal`` is a valid seal of ``data`` (the file ``batch``) by ``public_key``."""
    if not isinstance(seal, dict) or seal.get("type") != SEAL_TYPE:
        raise VerificationError("seal", f"not a {SEAL_TYPE}")
    if seal.get("batch") != batch:
        raise VerificationError("seal", f"the seal is for {seal.get('batch')!r}, not {batch!r}")
    payload = {k: v for k, v in seal.items() if k != "proofValue"}
    value = seal.get("proofValue")
    try:
        signature = decode_multibase_b58(value) if isinstance(value, str) else b""
        VerifyKey(public_key).verify(canonicalize(payload), signature)
    except (BadSignatureError, ValueError, TypeError):
        raise VerificationError("seal", "the seal's signature does not verify") from None
    if seal.get("sha256") != hashlib.sha256(data).hexdigest():
        raise VerificationError(
            "seal", "the batch file changed after it was sealed (a line was edited, added or "
            "removed); restore it, or re-sign with `credsite migrate`")

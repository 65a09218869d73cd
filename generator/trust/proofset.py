"""Signing a document with both of credsite's proofs: a plain proof set (VC Data Integrity §2.1).

``eddsa-jcs-2022`` first (what credsite's own verifiers and the browser check), then
``eddsa-rdfc-2022`` (what JSON-LD wallets and Open Badges verifiers check). Both sign the document
without any proof and neither names the other (no ``previousProof``: a proof chain would make a
verifier that knows only one suite unable to accept the credential).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from credsite.trust import dataintegrity, rdfc


def sign_document(
    document: dict[str, Any],
    sign: Callable[[bytes], bytes],
    verification_method: str,
    created: str,
) -> dict[str, Any]:
    """A copy of ``document`` (any old proofs removed) with its two-proof set."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    return dict(unsecured, proof=[
        dataintegrity.create_proof(unsecured, sign, verification_method, created),
        rdfc.create_proof(unsecured, sign, verification_method, created),
    ])


def verify_document(document: dict[str, Any], public_key: bytes) -> None:
    """Both proofs of the set, each as its suite specifies; VerificationError for the first bad one."""
    dataintegrity.verify_proof(document, public_key)
    rdfc.verify_proof(document, public_key)

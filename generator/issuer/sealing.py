"""The seal maker handed to every command that writes an award batch (:mod:`credsite.trust.seal`)."""

from __future__ import annotations

from typing import Any

from credsite.content.awards import Sealer
from credsite.content.site import Site
from credsite.issuer.keys import Signer
from credsite.trust.seal import make_seal
from credsite.trust.timestamps import format_timestamp, now_utc


def batch_sealer(site: Site, signer: Signer) -> Sealer:
    """Seals batch files with ``signer``, the key that signed (or re-signed) their lines."""
    method = site.verification_method(signer.key_id)
    created = format_timestamp(now_utc())

    def seal(batch: str, data: bytes) -> dict[str, Any]:
        return make_seal(batch, data, signer.sign, method, created)

    return seal

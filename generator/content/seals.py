"""Checking the seals of a content tree's award batches (``credsite build`` and ``check``).

See :mod:`credsite.trust.seal` for why: the build verifies each line's ``eddsa-jcs-2022`` proof and
each batch file's seal, so that no changed or broken ``eddsa-rdfc-2022`` proof can be published
without canonicalizing every award's RDF.
"""

from __future__ import annotations

import json
from pathlib import Path

from credsite.content.awards import batch_files, seal_path
from credsite.content.site import Site
from credsite.errors import VerificationError
from credsite.trust.rdfc import CRYPTOSUITE as RDFC
from credsite.trust.seal import seal_method, verify_seal

MIGRATE = "run `credsite migrate` to re-sign and seal it"


def check_seals(content: Path, site: Site) -> tuple[list[str], list[str]]:
    """(problems, warnings) for every batch of ``content``, each naming its file.

    A batch with ``eddsa-rdfc-2022`` proofs must be sealed by a key of the site that is not
    marked compromised, and its bytes must be the ones sealed. A batch without any (issued before
    credsite 0.2) is published with a warning until it is migrated."""
    problems: list[str] = []
    warnings: list[str] = []
    for path in batch_files(content):
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append(f"{path}: cannot read: {exc.strerror}")
            continue
        seal_file = seal_path(path)
        if not seal_file.is_file():
            if f'"{RDFC}"'.encode() in data:
                problems.append(f"{path}: has {RDFC} proofs but no seal ({seal_file.name}); {MIGRATE}")
            else:
                warnings.append(f"{path}: made before credsite 0.2 (no {RDFC} proofs, which "
                                f"wallets need, and no seal); {MIGRATE}")
            continue
        try:
            seal = json.loads(seal_file.read_bytes())
            method = seal_method(seal)
            key = site.key(method.removeprefix(f"{site.did}#")) if method.startswith(
                f"{site.did}#") else None
            if key is None:
                raise VerificationError("seal", f"sealed by {method!r}, not a key of {site.did}")
            verify_seal(seal, path.name, data, key.raw)
            if key.compromised_from is not None:
                # Whatever that key signed is published as Invalid (compromised) until reissued;
                # a line it sealed but another key signed could carry a forged rdfc proof.
                lines = sum(1 for line in data.split(b"\n") if line.strip())
                if data.count(f'"verificationMethod":"{method}"'.encode()) < 2 * lines:
                    raise VerificationError("seal", f"sealed by compromised key {key.id} over "
                                            "credentials of another key; run `credsite reissue "
                                            f"--from-key {key.id}`")
                warnings.append(f"{seal_file}: sealed by compromised key {key.id}; run "
                                f"`credsite reissue --from-key {key.id}`")
        except (ValueError, VerificationError) as exc:
            message = exc.message if isinstance(exc, VerificationError) else f"not JSON: {exc}"
            problems.append(f"{seal_file}: {message}")
    return problems, warnings

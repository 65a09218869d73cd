"""Checking the seals of a content tree's award batches (``credsite build`` and ``check``).

See :mod:`credsite.trust.seal` for why: the build verifies each line's ``eddsa-jcs-2022`` proof and
each batch file's seal, so that no changed or broken ``eddsa-rdfc-2022`` proof can be published
without canonicalizing every award's RDF.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from credsite.content.awards import batch_files, seal_path
from credsite.content.site import Site
from credsite.errors import VerificationError
from credsite.trust.rdfc import CRYPTOSUITE as RDFC
from credsite.trust.seal import seal_method, verify_seal

MIGRATE = "run `credsite migrate` to re-sign and seal it"


def check_seals(content: Path, site: Site, cache: Path | None = None) -> tuple[list[str], list[str]]:
    """(problems, warnings) for every batch of ``content``, each naming its file.

    A batch with ``eddsa-rdfc-2022`` proofs must be sealed by a key of the site that is not
    marked compromised, and its bytes must be the ones sealed. A batch without any (issued before
    credsite 0.2) is published with a warning until it is migrated.

    ``cache`` (the build's, beside its manifest) names the batches whose seal verified with no
    warning, with the size and modification time of the batch and its seal, under a digest of
    ``site.yaml`` (the keys): a rebuild checks only batches that changed since, as it verifies
    only their credentials; reading and hashing every batch would take about 3 s at a million
    credentials, three times the no-change rebuild's target (issue 20)."""
    problems: list[str] = []
    warnings: list[str] = []
    site_digest = _site_digest(content)
    checked = _load_checked(cache, site_digest) if cache is not None else {}
    passed: dict[str, list[int]] = {}
    for path in batch_files(content):
        name = str(path.relative_to(content))
        stamp = _stamp(path)
        if stamp is not None and checked.get(name) == stamp:
            passed[name] = stamp
            continue
        before = len(problems) + len(warnings)
        _check_one(path, site, problems, warnings)
        if stamp is not None and len(problems) + len(warnings) == before:
            passed[name] = stamp
    if cache is not None and passed != checked:
        _save_checked(cache, site_digest, passed)
    return problems, warnings


def _stamp(path: Path) -> list[int] | None:
    """Size and modification time of a batch and of its seal (None: either is missing)."""
    try:
        batch, seal = os.stat(path), os.stat(seal_path(path))
    except OSError:
        return None
    return [batch.st_size, batch.st_mtime_ns, seal.st_size, seal.st_mtime_ns]


def _site_digest(content: Path) -> str:
    try:
        return hashlib.sha256((content / "site.yaml").read_bytes()).hexdigest()
    except OSError:
        return ""


def _load_checked(cache: Path, site_digest: str) -> dict[str, list[int]]:
    try:
        data: Any = json.loads(cache.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("site") != site_digest or not site_digest:
        return {}
    batches = data.get("batches")
    return batches if isinstance(batches, dict) else {}


def _save_checked(cache: Path, site_digest: str, passed: dict[str, list[int]]) -> None:
    if not site_digest:
        return
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_name(cache.name + ".tmp")
    tmp.write_text(json.dumps({"site": site_digest, "batches": passed}, separators=(",", ":")),
                   encoding="utf-8")
    os.replace(tmp, cache)


def _check_one(path: Path, site: Site, problems: list[str], warnings: list[str]) -> None:
    """Check one batch's seal, adding to ``problems`` and ``warnings``."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(f"{path}: cannot read: {exc.strerror}")
        return
    seal_file = seal_path(path)
    if not seal_file.is_file():
        if f'"{RDFC}"'.encode() in data:
            problems.append(f"{path}: has {RDFC} proofs but no seal ({seal_file.name}); {MIGRATE}")
        else:
            warnings.append(f"{path}: made before credsite 0.2 (no {RDFC} proofs, which "
                            f"wallets need, and no seal); {MIGRATE}")
        return
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

"""``credsite repair-status BATCH``: new status list entries for a batch that shares some.

Two git branches that each issued a batch from the same starting point may have picked the same
status list entry for two credentials (credsite.content.statusentries); ``check`` and ``build``
then refuse the merge. This re-allocates an entry for every credential of one batch (entries used
by any award, this batch's old ones included, are avoided), re-signs each credential with the
current key (same ID, URL and data otherwise), verifies each with the checklist before writing,
and records the repair in the register. Only for a batch that is not yet deployed: a published
page, or a copy a holder downloaded, would still carry the old, shared entry.
"""

from __future__ import annotations

from pathlib import Path

from credsite.content.awards import batch_files, iter_award_lines, parse_award, rewrite_batch, serialize
from credsite.content.catalog import CatalogEntry
from credsite.content.register import Event, load_register, update_records
from credsite.content.site import Site
from credsite.content.status import load_status_lists
from credsite.errors import ContentError
from credsite.issuer.admission import admit
from credsite.issuer.issuance import check_signer, sign_credential
from credsite.issuer.keys import Signer
from credsite.issuer.revocation import StatusAllocator
from credsite.issuer.sealing import batch_sealer
from credsite.trust.timestamps import format_timestamp, now_utc


def repair_status(content: Path, site: Site, catalog: dict[str, CatalogEntry], signer: Signer,
                  batch: Path) -> int:
    """Re-allocate and re-sign every credential of ``batch``; returns how many."""
    now = now_utc()
    check_signer(site, signer, now)
    resolved = {p.resolve(): p for p in batch_files(content)}
    path = resolved.get(batch.resolve())
    if path is None:
        raise ContentError(f"not an award batch of {content / 'awards'}", where=str(batch))
    notes = load_status_lists(content, site).notes
    allocator = StatusAllocator(content, site)
    method = site.verification_method(signer.key_id)
    created = format_timestamp(now)
    signed, moves = [], []
    for line in iter_award_lines([path]):
        credential = parse_award(line)
        cred_id = str(credential.get("id", "")).rsplit("/", 1)[-1]
        if cred_id in notes:
            raise ContentError(
                f"{cred_id} is revoked; its status entry must keep its bit, so this batch cannot "
                "be repaired (nothing was changed)", where=line.where)
        unsigned = {k: v for k, v in credential.items() if k != "proof"}
        old = unsigned.get("credentialStatus")
        unsigned["credentialStatus"] = allocator.allocate()
        signed.append((line.where, sign_credential(unsigned, signer, method, created)))
        moves.append((cred_id, old, unsigned["credentialStatus"]))
    admit(signed, site, catalog, now, strict=False)
    allocator.publish_new_lists(signer)
    rewrite_batch(path, [serialize(credential) for _, credential in signed],
                  sealer=batch_sealer(site, signer))
    register = load_register(content)
    changed = []
    for cred_id, old, new in moves:
        record = register.get(cred_id)
        if record is None:
            continue
        before = f"{old.get('statusListCredential')}#{old.get('statusListIndex')}" if isinstance(
            old, dict) else "none"
        record.events.append(Event(created, "repaired", f"status entry {before} → "
                                   f"{new['statusListCredential']}#{new['statusListIndex']}"))
        record.issued = created
        changed.append(record)
    update_records(content, changed)
    return len(signed)

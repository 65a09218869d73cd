"""Correcting a record and taking a page down: ``credsite amend`` and ``credsite withdraw``.

Amend (a misspelt name): the credential keeps its ID and URL and is signed again with the
corrected name and a *new* status list entry; the old entry's bit is set, so any copy of the
wrong record (downloaded, shared, cached) no longer verifies, and the old entry is retired
(``content/status/retired.yaml``) so that it is never given to another credential. The register
records what changed.

Withdraw (the holder asks for the page to come down): the credential is revoked, marked
withdrawn in ``content/status/revocations.yaml`` (public reason "withdrawn at the holder's
request"), the build replaces its page by a short notice and publishes no record; the register
keeps the holder's own reason.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from credsite.content.awards import (
    batch_files,
    iter_award_lines,
    parse_award,
    rewrite_batch,
    serialize,
    write_atomically,
)
from credsite.content.catalog import CatalogEntry
from credsite.content.register import Event, load_register, update_record
from credsite.content.site import Site
from credsite.content.status import RETIRED_FILE, load_status_lists, retired_entries, status_dir
from credsite.errors import ContentError
from credsite.issuer.admission import admit
from credsite.issuer.issuance import check_signer, sign_credential
from credsite.issuer.keys import Signer
from credsite.issuer.revocation import StatusAllocator, revoke, save_list
from credsite.issuer.sealing import batch_sealer
from credsite.trust.names import check_display_text, holder_name
from credsite.trust.timestamps import display_date, format_timestamp, now_utc

WITHDRAWN_REASON = "withdrawn at the holder's request"


def _locate(content: Path, cred_id: str) -> tuple[Path, int, dict[str, Any]]:
    for path in batch_files(content):
        for position, line in enumerate(iter_award_lines([path])):
            if line.raw.find(f"/c/{cred_id}\"".encode()) < 0:
                continue
            credential = parse_award(line)
            if str(credential.get("id", "")).rsplit("/", 1)[-1] == cred_id:
                return path, position, credential
    raise ContentError(f"no credential {cred_id} in {content / 'awards'}; "
                       "'credsite find' looks it up by name or e-mail")


def amend_name(content: Path, site: Site, catalog: dict[str, CatalogEntry], signer: Signer,
               cred_id: str, new_name: str) -> str:
    """Re-sign ``cred_id`` with the holder's name corrected; returns a one-line summary."""
    now = now_utc()
    check_signer(site, signer, now)
    try:
        name = check_display_text(" ".join(new_name.split()), "name")
    except ValueError as exc:
        raise ContentError(f"--name: {exc}") from None
    path, position, credential = _locate(content, cred_id)
    lists = load_status_lists(content, site)
    if cred_id in lists.notes:
        raise ContentError(f"{cred_id} is revoked or withdrawn; it cannot be amended")
    old_name = holder_name(credential) or ""
    if old_name == name:
        raise ContentError(f"{cred_id} already names {name!r}; nothing was changed")
    unsigned = copy.deepcopy({k: v for k, v in credential.items() if k != "proof"})
    for identifier in unsigned["credentialSubject"]["identifier"]:
        if isinstance(identifier, dict) and identifier.get("identityType") == "name":
            identifier["identityHash"] = name
    old_entry: dict[str, Any] = unsigned.get("credentialStatus") or {}
    number, index = lists.locate(old_entry)
    if number < 0 or number not in lists.lists:
        raise ContentError(f"{cred_id} has no status entry of this site; it cannot be amended")
    allocator = StatusAllocator(content, site)
    unsigned["credentialStatus"] = allocator.allocate()
    created = format_timestamp(now)
    signed = sign_credential(unsigned, signer, site.verification_method(signer.key_id), created)
    admit([(f"{path}:{position + 1}", signed)], site, catalog, now)
    # Write: the new list (if any), the old entry revoked and retired, the record, the register.
    allocator.publish_new_lists(signer)
    bits = lists.lists[number]
    bits.set(index)
    save_list(content, site, signer, number, bits)
    retired = [*retired_entries(content), {
        **old_entry, "id": f"{old_entry['statusListCredential']}#{index}", "credential": cred_id,
        "date": created, "reason": "superseded: the record was amended"}]
    write_atomically(status_dir(content) / RETIRED_FILE,
                     yaml.safe_dump(retired, allow_unicode=True, sort_keys=False).encode("utf-8"))
    lines = [line.raw for line in iter_award_lines([path])]
    lines[position] = serialize(signed)
    rewrite_batch(path, lines, sealer=batch_sealer(site, signer))
    new_entry = unsigned["credentialStatus"]
    detail = (f"name {old_name!r} → {name!r}; status entry {old_entry['statusListCredential']}"
              f"#{index} revoked as superseded, new entry {new_entry['statusListCredential']}"
              f"#{new_entry['statusListIndex']}")
    record = load_register(content).get(cred_id)
    if record is not None:
        record.name = name
        record.issued = created
        record.events.append(Event(created, "amended", detail))
        update_record(content, record)
    return f"{cred_id} amended: {detail}"


def withdraw(content: Path, site: Site, signer: Signer, cred_id: str, reason: str) -> str:
    """Revoke ``cred_id`` and mark it withdrawn; the register keeps ``reason``."""
    now = now_utc()
    check_signer(site, signer, now)
    why = " ".join(reason.split())
    if not why:
        raise ContentError("--reason: say why the holder asked (kept in the private register)")
    _locate(content, cred_id)
    revoke(content, site, signer, [cred_id], WITHDRAWN_REASON, withdrawn=True)
    record = load_register(content).get(cred_id)
    if record is not None:
        record.state = "withdrawn"
        record.events.append(Event(format_timestamp(now), "withdrawn", why))
        update_record(content, record)
    return (f"{cred_id} withdrawn on {display_date(now)}: revoked, and its page becomes a notice "
            "at the next build" + ("" if record else " (not in the register: reason not kept)"))

"""Revoking credentials and allocating status entries: the write side of ``content/status/``.

Signs status lists with the issuer's key; the read side (loading and checking lists) is
:mod:`credsite.content.status`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from credsite.content.awards import (
    batch_files,
    iter_award_lines,
    lines_mentioning,
    parse_award,
    rewrite_batch,
    serialize,
    write_atomically,
)
from credsite.content.inuse import InUse, scan_in_use
from credsite.content.site import Site
from credsite.content.status import (
    NOTES_FILE,
    Revocation,
    StatusLists,
    list_path,
    load_status_lists,
    status_dir,
)
from credsite.errors import ContentError
from credsite.issuer.keys import Signer
from credsite.issuer.sealing import batch_sealer
from credsite.trust.proofset import sign_document
from credsite.trust.statuslist import (
    LIST_SIZE,
    Bitstring,
    IndexSet,
    pick_free_index,
    status_entry,
    status_list_credential,
)
from credsite.trust.timestamps import display_date, format_timestamp, now_utc


def save_list(content: Path, site: Site, signer: Signer, number: int, bits: Bitstring) -> None:
    document = status_list_credential(
        site.base_url, site.did, number, bits, format_timestamp(now_utc()),
        signer.sign, site.verification_method(signer.key_id),
    )
    data = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
    write_atomically(list_path(content, number), data)


def _set_bits(bits: Bitstring) -> list[int]:
    """The indexes of the set bits (bytes that are zero are skipped whole)."""
    return [i * 8 + b for i, byte in enumerate(bits.bits) if byte
            for b in range(8) if byte & (0x80 >> b)]


def _write_notes(content: Path, lists: StatusLists) -> None:
    notes = [
        {"id": n.credential_id, "date": format_timestamp(n.date), "reason": n.reason,
         **({"withdrawn": True} if n.withdrawn else {})}
        for n in sorted(lists.notes.values(), key=lambda n: (n.date, n.credential_id))
    ]
    write_atomically(
        status_dir(content) / NOTES_FILE,
        yaml.safe_dump(notes, allow_unicode=True, sort_keys=False).encode("utf-8"),
    )


class StatusAllocator:
    """Hands out random unused status entries; creates status lists that do not exist yet."""

    def __init__(self, content: Path, site: Site, in_use: InUse | None = None) -> None:
        """``in_use``: what :func:`~credsite.content.inuse.scan_in_use` found, if the caller
        scanned the awards already (issue reads them once, for its IDs too)."""
        self.content = content
        self.site = site
        found = in_use or scan_in_use(content, site)
        self.used, self.full = found.entries, found.full
        lists = load_status_lists(content, site)
        self.existing = set(lists.lists)
        # A set bit whose credential was reinstated (reissued with a new entry) is in no award,
        # but must never be handed out again: its new holder would show as revoked.
        for number, bits in lists.lists.items():
            used = self.used.setdefault(number, IndexSet())
            for index in _set_bits(bits):
                used.add(index)
        self.new_lists: set[int] = set()

    def allocate(self) -> dict[str, Any]:
        number = 1
        while number in self.full or len(self.used.get(number, ())) >= LIST_SIZE // 2:
            number += 1
        if number not in self.existing:
            self.new_lists.add(number)
        index = pick_free_index(self.used.setdefault(number, IndexSet()))
        return status_entry(self.site.base_url, number, index)

    def publish_new_lists(self, signer: Signer) -> None:
        for number in sorted(self.new_lists):
            save_list(self.content, self.site, signer, number, Bitstring())


def revoke(
    content: Path, site: Site, signer: Signer, credential_ids: list[str], reason: str,
    *, withdrawn: bool = False,
) -> list[str]:
    """Set the revocation bits of ``credential_ids``, re-sign the lists, record date and reason."""
    lists = load_status_lists(content, site)
    wanted = set(credential_ids)
    found: dict[str, tuple[int, int]] = {}
    for line in lines_mentioning(batch_files(content), wanted):
        credential = parse_award(line)
        cred_id = str(credential.get("id", "")).rsplit("/", 1)[-1]
        entry = credential.get("credentialStatus")
        if cred_id in wanted and isinstance(entry, dict):
            found[cred_id] = lists.locate(entry)
    missing = sorted(wanted - set(found))
    if missing:
        raise ContentError(f"no award with a status entry has ID {', '.join(missing)}")
    changed: set[int] = set()
    for number, index in found.values():
        bits = lists.lists.get(number)
        if bits is None:
            raise ContentError(f"status list {number} is missing from {status_dir(content)}")
        bits.set(index)
        changed.add(number)
    for number in sorted(changed):
        save_list(content, site, signer, number, lists.lists[number])
    when = now_utc()
    for cred_id in sorted(found):
        # A second revocation keeps the first date and reason: that is when it stopped being valid.
        note = lists.notes.setdefault(cred_id, Revocation(cred_id, when, reason, withdrawn))
        if withdrawn and not note.withdrawn:  # a revoked credential taken down later
            lists.notes[cred_id] = Revocation(cred_id, note.date, note.reason, True)
    _write_notes(content, lists)
    return [f"{cred_id} revoked on {display_date(lists.notes[cred_id].date)}"
            for cred_id in sorted(found)]


def reinstate(content: Path, site: Site, signer: Signer, credential_ids: list[str]) -> list[str]:
    """Reinstate credentials revoked in error by reissuing them: the same ID, URL and award, a new
    status entry, signed again; the old entry stays revoked and is never handed out again.

    Open Badges 3.0 allows one ``credentialStatus`` per credential, so there is no second
    ("suspension") purpose that could be lifted; and clearing the old bit would let a stale copy
    of the list keep saying "revoked" to verifiers that cache it, while the new entry is plain.
    """
    lists = load_status_lists(content, site)
    wanted = set(credential_ids)

    def revoked_id(credential: dict[str, Any]) -> str | None:
        cred_id = str(credential.get("id", "")).rsplit("/", 1)[-1]
        number, index = lists.locate(credential.get("credentialStatus"))
        bits = lists.lists.get(number)
        return cred_id if cred_id in wanted and bits is not None and bits.get(index) else None

    found = {revoked_id(parse_award(line)) for line in lines_mentioning(batch_files(content), wanted)}
    missing = sorted(wanted - found)
    if missing:
        raise ContentError(f"no revoked award has ID {', '.join(missing)}; nothing was changed")
    allocator = StatusAllocator(content, site)
    method, created = site.verification_method(signer.key_id), format_timestamp(now_utc())
    for path in batch_files(content):
        lines, changed = [], False
        for line in iter_award_lines([path]):
            credential = parse_award(line)
            if revoked_id(credential) is None:
                lines.append(line.raw)
                continue
            unsigned = {k: v for k, v in credential.items() if k != "proof"}
            unsigned["credentialStatus"] = allocator.allocate()
            lines.append(serialize(sign_document(unsigned, signer.sign, method, created)))
            changed = True
        if changed:
            rewrite_batch(path, lines, sealer=batch_sealer(site, signer))
    allocator.publish_new_lists(signer)
    for cred_id in wanted:
        lists.notes.pop(cred_id, None)
    _write_notes(content, lists)
    return [f"{cred_id} reinstated: same ID and URL, a new status entry (the old one stays "
            "revoked)" for cred_id in sorted(wanted)]

"""Revoking credentials and allocating status entries: the write side of ``content/status/``.

Signs status lists with the issuer's key; the read side (loading and checking lists) is
:mod:`credsite.content.status`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from credsite.content.awards import batch_files, iter_award_lines, parse_award, write_atomically
from credsite.content.site import Site
from credsite.content.status import (
    NOTES_FILE,
    Revocation,
    list_path,
    load_status_lists,
    status_dir,
    used_indexes,
)
from credsite.errors import ContentError
from credsite.issuer.keys import Signer
from credsite.trust.statuslist import (
    LIST_SIZE,
    Bitstring,
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


class StatusAllocator:
    """Hands out random unused status entries; creates status lists that do not exist yet."""

    def __init__(self, content: Path, site: Site) -> None:
        self.content = content
        self.site = site
        self.used = used_indexes(content, site)
        self.existing = set(load_status_lists(content, site).lists)
        self.new_lists: set[int] = set()

    def allocate(self) -> dict[str, Any]:
        number = 1
        while len(self.used.get(number, ())) >= LIST_SIZE // 2:
            number += 1
        if number not in self.existing:
            self.new_lists.add(number)
        index = pick_free_index(self.used.setdefault(number, set()))
        return status_entry(self.site.base_url, number, index)

    def publish_new_lists(self, signer: Signer) -> None:
        for number in sorted(self.new_lists):
            save_list(self.content, self.site, signer, number, Bitstring())


def revoke(
    content: Path, site: Site, signer: Signer, credential_ids: list[str], reason: str
) -> list[str]:
    """Set the revocation bits of ``credential_ids``, re-sign the lists, record date and reason."""
    lists = load_status_lists(content, site)
    wanted = set(credential_ids)
    found: dict[str, tuple[int, int]] = {}
    for line in iter_award_lines(batch_files(content)):
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
        lists.notes.setdefault(cred_id, Revocation(cred_id, when, reason))
    notes = [
        {"id": n.credential_id, "date": format_timestamp(n.date), "reason": n.reason}
        for n in sorted(lists.notes.values(), key=lambda n: (n.date, n.credential_id))
    ]
    write_atomically(
        status_dir(content) / NOTES_FILE,
        yaml.safe_dump(notes, allow_unicode=True, sort_keys=False).encode("utf-8"),
    )
    return [f"{cred_id} revoked on {display_date(lists.notes[cred_id].date)}"
            for cred_id in sorted(found)]

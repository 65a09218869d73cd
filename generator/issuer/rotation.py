"""Key rotation and recovery: authorizing a new key, re-signing a retired key's credentials."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from credsite.content.awards import batch_files, iter_award_lines, parse_award, rewrite_batch, serialize
from credsite.content.site import Site
from credsite.content.status import load_status_lists, status_dir
from credsite.errors import ContentError
from credsite.issuer.issuance import check_signer
from credsite.issuer.keys import Signer
from credsite.issuer.revocation import save_list
from credsite.issuer.sealing import batch_sealer
from credsite.trust.dataintegrity import single_proof
from credsite.trust.keychain import authorization_payload
from credsite.trust.multibase import multibase_b58
from credsite.trust.proofset import sign_document
from credsite.trust.timestamps import format_timestamp, now_utc


def authorize(old: Signer, entry: dict[str, Any], did: str) -> str:
    """The old key's signature over the new key entry (see credsite.trust.keychain)."""
    return multibase_b58(old.sign(authorization_payload(did, entry)))


def entry_yaml(entry: dict[str, Any]) -> str:
    text = yaml.safe_dump([entry], sort_keys=False, allow_unicode=True)
    return "\n".join("  " + line for line in text.splitlines())


def reissue(content: Path, site: Site, signer: Signer, from_key: str) -> int:
    """Re-sign every credential (and status list) signed by ``from_key``; IDs and URLs stay.

    The new key must be valid now (it signs now: keys are judged at the proof's ``created``)."""
    if site.key(from_key) is None:
        raise ContentError(f"no key {from_key!r} in site.yaml")
    now = now_utc()
    check_signer(site, signer, now)
    old_method = site.verification_method(from_key)
    new_method = site.verification_method(signer.key_id)
    created = format_timestamp(now)
    count = 0
    for path in batch_files(content):
        lines, changed = [], False
        for line in iter_award_lines([path]):
            credential = parse_award(line)
            if single_proof(credential).get("verificationMethod") == old_method:
                unsigned = {k: v for k, v in credential.items() if k != "proof"}
                lines.append(serialize(sign_document(unsigned, signer.sign, new_method, created)))
                changed = True
                count += 1
            else:
                lines.append(line.raw)
        if changed:
            rewrite_batch(path, lines, sealer=batch_sealer(site, signer))
    folder = status_dir(content)
    for path in sorted(folder.glob("revocation-*.json")) if folder.is_dir() else []:
        document = json.loads(path.read_bytes())
        if single_proof(document).get("verificationMethod") == old_method:
            number = int(path.stem.split("-")[1])
            bits = load_status_lists(content, site, skip_key=from_key).lists[number]
            save_list(content, site, signer, number, bits)
    return count

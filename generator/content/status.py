"""The issuer's status lists in ``content/status/``: loading and checking (the read side).

``content/status/revocation-<n>.json`` is the signed status list credential published at
``/status/<n>``; ``content/status/revocations.yaml`` records, for each revoked credential, the date
and the reason shown on its page.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from credsite.content.site import Site
from credsite.content.yamlfiles import load_yaml_file
from credsite.errors import ContentError, CredsiteError, VerificationError
from credsite.trust import rdfc
from credsite.trust.dataintegrity import LEGACY, proofs, single_proof, verify_proof
from credsite.trust.freshness import Freshness, unconfirmed_reason
from credsite.trust.statuslist import LIST_SIZE, PURPOSE, Bitstring, list_url
from credsite.trust.timestamps import parse_timestamp
from credsite.trust.verify import signing_key

LIST_FILE = re.compile(r"revocation-(\d+)\.json")
NOTES_FILE = "revocations.yaml"
# Entries no credential uses any more but whose bit stays set (the record was amended and the old
# copy revoked as superseded): never allocated again. Written by credsite amend.
RETIRED_FILE = "retired.yaml"


@dataclass
class Revocation:
    credential_id: str
    date: dt.datetime
    reason: str
    withdrawn: bool = False  # taken down at the holder's request: the page becomes a notice


# The status check's code for a site whose DID document lists no freshness key.
AS_PUBLISHED = "as-published"


@dataclass
class StatusLists:
    """The decoded, signature-checked status lists of a site, and the revocation notes."""

    site: Site
    lists: dict[int, Bitstring] = field(default_factory=dict)
    documents: dict[int, dict[str, Any]] = field(default_factory=dict)
    notes: dict[str, Revocation] = field(default_factory=dict)
    unusable: dict[int, str] = field(default_factory=dict)  # list number → why it cannot be used
    legacy: set[int] = field(default_factory=set)  # lists signed in credsite's pre-0.2 form
    # How the freshness statement stands (credsite.content.freshness.attach); None: not consulted.
    freshness: Freshness | None = None

    def check(self, entry: dict[str, Any]) -> tuple[str, str, str]:
        """(status, code, reason) for a credential's ``credentialStatus`` entry (the ``status``
        check of docs/design.md: ``revoked``, ``ok``, or ``status-unavailable``)."""
        number, index = self.locate(entry)
        if number < 0:
            return ("not-checked", "status-unavailable",
                    "credentialStatus is not a revocation entry of this site's status lists")
        if number in self.unusable:
            return "not-checked", "status-unavailable", self.unusable[number]
        bits = self.lists.get(number)
        if bits is None:
            return ("not-checked", "status-unavailable",
                    f"status list {entry.get('statusListCredential')} is not published")
        if bits.get(index):
            return "failed", "revoked", "revoked"  # an older list saying revoked still proves it
        if self.freshness is not None and not self.freshness.fresh:
            try:
                listed = parse_timestamp(self.documents[number].get("validFrom"))
            except (KeyError, ValueError):
                listed = None
            return "warning", "status-stale", unconfirmed_reason(self.freshness, listed)
        if not self.site.freshness_keys:
            # No freshness key in the DID document: the signed list is believed as published,
            # and the check says so (the browser does the same; README, Security).
            return "passed", AS_PUBLISHED, ("not revoked; revocation status as published: this "
                                            "site does not sign status freshness")
        return "passed", "ok", "not revoked"

    @functools.cached_property
    def _list_url(self) -> re.Pattern[str]:
        return re.compile(re.escape(self.site.base_url) + r"/status/(\d+)")

    def locate(self, entry: Any) -> tuple[int, int]:
        if not isinstance(entry, dict):
            return -1, -1
        match = self._list_url.fullmatch(str(entry.get("statusListCredential")))
        index = entry.get("statusListIndex")
        if (
            not match
            or entry.get("statusPurpose") != PURPOSE
            or not isinstance(index, str)
            or not index.isdigit()
            or int(index) >= LIST_SIZE
        ):
            return -1, -1
        return int(match.group(1)), int(index)


def status_dir(content: Path) -> Path:
    return content / "status"


def list_path(content: Path, number: int) -> Path:
    return status_dir(content) / f"revocation-{number}.json"


def verify_status_list(
    document: Any, site: Site, number: int, allow_compromised: str | None = None,
    legacy: set[int] | None = None,
) -> Bitstring:
    """Check a status list credential's id, issuer and signature, and decode its bits.

    A list whose key may not be used (compromised, or outside its period when the list was
    signed: the rule of :func:`credsite.trust.verify.signing_key`) raises VerificationError with
    check ``issuer-key``; the list is then unusable rather than the content broken.
    A list signed in credsite's pre-0.2 form (see ``dataintegrity.verify_proof``) is accepted and
    its number added to ``legacy``, so the caller can say to run ``credsite migrate``.
    """
    if not isinstance(document, dict) or document.get("id") != list_url(site.base_url, number):
        raise VerificationError("status", f"status list {number} has the wrong id")
    if document.get("issuer") != site.did:
        raise VerificationError("status", f"status list {number} is not issued by {site.did}")
    proof = single_proof(document)
    method = str(proof.get("verificationMethod", ""))
    key = site.key(method.removeprefix(f"{site.did}#")) if method.startswith(site.did) else None
    if key is None:
        raise VerificationError("status", f"status list {number} is signed by an unknown key")
    if key.compromised_from is not None and key.id != allow_compromised:
        raise VerificationError(
            "issuer-key", f"status list {number} is signed by compromised key {key.id}; reissue it",
            code="key-compromised")
    if key.compromised_from is None:
        try:
            signing_key(document, site)  # the same period rule as for credentials
        except VerificationError as exc:
            raise VerificationError(
                "issuer-key", f"status list {number}: {exc.message.removeprefix('[issuer-key] ')}"
            ) from None
    if verify_proof(document, key.raw, allow_legacy=True) == LEGACY and legacy is not None:
        legacy.add(number)
    if any(p.get("cryptosuite") == rdfc.CRYPTOSUITE for p in proofs(document)):
        rdfc.verify_proof(document, key.raw)  # a handful of lists: cheap enough to check always
    elif legacy is not None:
        legacy.add(number)
    subject = document.get("credentialSubject") or {}
    try:
        return Bitstring.decode(str(subject.get("encodedList")))
    except ValueError as exc:
        raise VerificationError("status", f"status list {number}: {exc}") from None


def load_status_lists(content: Path, site: Site, skip_key: str | None = None) -> StatusLists:
    """Load and verify the lists; ``skip_key`` lets a compromised key's lists load for reissue."""
    lists = StatusLists(site)
    folder = status_dir(content)
    for path in sorted(folder.glob("revocation-*.json")) if folder.is_dir() else []:
        match = LIST_FILE.fullmatch(path.name)
        if not match:
            continue
        number = int(match.group(1))
        try:
            document = json.loads(path.read_bytes())
            lists.lists[number] = verify_status_list(document, site, number, skip_key,
                                                        lists.legacy)
        except VerificationError as exc:
            if exc.check != "issuer-key":
                raise ContentError(f"status list does not verify: {exc}", where=str(path)) from None
            lists.unusable[number] = exc.message.removeprefix("[issuer-key] ")
            continue
        except (ValueError, CredsiteError) as exc:
            raise ContentError(f"status list does not verify: {exc}", where=str(path)) from None
        lists.documents[number] = document
    notes_path = folder / NOTES_FILE
    if notes_path.is_file():
        for item in load_yaml_file(notes_path) or []:
            try:
                note = Revocation(str(item["id"]), parse_timestamp(item["date"]), str(item["reason"]),
                                  item.get("withdrawn") is True)
            except (KeyError, TypeError, ValueError):
                raise ContentError(
                    "each revocation needs id, date (with time zone) and reason",
                    where=str(notes_path),
                ) from None
            lists.notes[note.credential_id] = note
    return lists


def retired_entries(content: Path) -> list[dict[str, Any]]:
    """The retired entries: ``credentialStatus`` values with the ID, date and why."""
    path = status_dir(content) / RETIRED_FILE
    if not path.is_file():
        return []
    data = load_yaml_file(path) or []
    if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
        raise ContentError("must be a list of retired status entries", where=str(path))
    return data

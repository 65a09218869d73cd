"""What a new award must not reuse: the credential IDs and status list entries already given out.

``credsite issue`` (and ``amend``, ``repair-status``, ``reissue``) must never give two credentials
the same ID or the same status bit (Bitstring Status List §2.1: an entry is one credential's
bit). Before, it parsed every record into a set of every ID and a set of every used entry: at a
million awards over a minute and 390 MB to sign one award (issue 20). :func:`scan_in_use` reads
each batch file's bytes once instead and, per line, finds the two members the way the
shared-entry check does (:func:`credsite.content.statusentries.entry_from_bytes`): awards are
stored in JCS form (keys sorted, RFC 8785), where ``credentialStatus`` holds ``"statusListCredential":"…",
"statusListIndex":"…"`` side by side and is followed by the top-level ``"id":"<base>/c/<ID>"``. A
line that is not in that form (no such members, a second status entry, an escaped URL) is parsed
as JSON, as before. It keeps, per status list, a bitmap of the used indexes
(:class:`~credsite.trust.statuslist.IndexSet`, 16 KB a list) and, of the IDs it is asked about,
those some award already has: memory does not grow with the site.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from credsite.content.awards import AwardLine, batch_files, parse_award
from credsite.content.site import Site
from credsite.content.status import StatusLists, retired_entries
from credsite.content.statusentries import entry_from_bytes
from credsite.errors import ContentError
from credsite.trust.statuslist import PURPOSE, IndexSet


@dataclass
class InUse:
    """Used status entries of the site's lists and which of some IDs are taken."""

    entries: dict[int, IndexSet] = field(default_factory=dict)  # list number → used indexes
    taken: set[str] = field(default_factory=set)  # of the IDs asked about, those in an award
    # Lists known to be at least half used (allocation skips them) whose indexes were not read:
    # from the build's index, which counts a list's entries without reading them.
    full: set[int] = field(default_factory=set)

    def use(self, number: int, index: int) -> None:
        if number >= 0:
            self.entries.setdefault(number, IndexSet()).add(index)


def scan_in_use(content: Path, site: Site, ids: Collection[str] = (),
                skip: Collection[Path] = ()) -> InUse:
    """The status entries every award and every retired entry uses (``content/status/
    retired.yaml``), and which of ``ids`` an award already has; ContentError for an unreadable
    batch or a line that is not a JSON object (its ID cannot be known). Batch files in ``skip``
    are not read (the caller has what they hold from an index)."""
    lists = StatusLists(site)
    found = InUse()
    for entry in retired_entries(content):
        found.use(*lists.locate(entry))
    wanted = {i.encode("ascii") for i in ids}
    prefix = f'"id":"{site.base_url}/c/'.encode()
    for path in batch_files(content):
        if path in skip:
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ContentError(f"cannot read: {exc.strerror}", where=str(path)) from None
        for line, raw in _lines(path, data):
            hit = entry_from_bytes(raw, prefix)
            if hit is None:
                _from_json(AwardLine(path, line, raw), lists, found, wanted)
                continue
            url, index, cred_id = hit
            found.use(*lists.locate({"statusListCredential": url, "statusListIndex": index,
                                     "statusPurpose": PURPOSE}))
            if cred_id in wanted:
                found.taken.add(cred_id.decode("ascii"))
    return found


def used_indexes(content: Path, site: Site) -> dict[int, IndexSet]:
    """Status list indexes already assigned, by list number, from every award and every retired
    entry."""
    return scan_in_use(content, site).entries


def _lines(path: Path, data: bytes) -> Iterator[tuple[int, bytes]]:
    for number, raw in enumerate(data.split(b"\n"), start=1):
        raw = raw.rstrip(b"\r")
        if raw.strip():
            yield number, raw


def _from_json(line: AwardLine, lists: StatusLists, found: InUse, wanted: set[bytes]) -> None:
    credential = parse_award(line)
    cred_id = str(credential.get("id", "")).rsplit("/", 1)[-1]
    if cred_id.encode("utf-8") in wanted:
        found.taken.add(cred_id)
    status: Any = credential.get("credentialStatus")
    for entry in status if isinstance(status, list) else [status]:
        found.use(*lists.locate(entry))

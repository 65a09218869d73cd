"""No two credentials may share a status list entry (Bitstring Status List §2.1: an entry is one
credential's bit; revoking one of two credentials that share it revokes both).

``credsite issue`` picks random free entries while holding the content lock, so runs on one
machine cannot collide; but two git branches that each issue a batch from the same starting point
pick from the same snapshot, and their merge can hold a shared entry. ``credsite check`` and
``credsite build`` run :func:`shared_entries` on the merged content and refuse it, naming both
credentials; ``credsite repair-status`` re-allocates the entries of a batch not yet deployed.

The entries are read from the stored bytes without parsing each record: awards are stored in JCS
form (keys sorted), where ``credentialStatus`` holds ``"statusListCredential":"…",
"statusListIndex":"…"`` side by side (a record stored otherwise is parsed). The build keeps them
per batch file in a cache beside its manifest, so a rebuild reads only changed batches.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from credsite.content.awards import AwardLine, batch_files, parse_award
from credsite.content.status import RETIRED_FILE, retired_entries, status_dir
from credsite.errors import CredsiteError

Entry = tuple[str, int, str, int]  # (status list URL, index, credential ID, line number)

_URL = b'"statusListCredential":"'
_INDEX = b'","statusListIndex":"'
CACHE_FORMAT = 2


def _from_bytes(raw: bytes, id_prefix: bytes) -> tuple[str, int, str] | None:
    start = raw.find(_URL)
    at = raw.find(id_prefix)
    if start < 0 or at < 0:
        return None
    end = raw.find(b'"', start + len(_URL))
    if raw[end:end + len(_INDEX)] != _INDEX:
        return None
    digits_at = end + len(_INDEX)
    stop = raw.find(b'"', digits_at)
    digits = raw[digits_at:stop]
    id_at = at + len(id_prefix)
    cred_id = raw[id_at:id_at + 16]
    if not digits.isdigit() or raw[id_at + 16:id_at + 17] != b'"':
        return None
    return (raw[start + len(_URL):end].decode("utf-8"), int(digits), cred_id.decode("ascii"))


def _from_json(line: AwardLine) -> tuple[str, int, str] | None:
    try:
        credential = parse_award(line)
    except CredsiteError:
        return None
    entry = credential.get("credentialStatus")
    if not isinstance(entry, dict):
        return None
    url, index = entry.get("statusListCredential"), entry.get("statusListIndex")
    if not isinstance(url, str) or not isinstance(index, str) or not index.isdigit():
        return None
    return url, int(index), str(credential.get("id", "")).rsplit("/", 1)[-1]


def batch_entries(path: Path, base_url: str) -> list[Entry]:
    """The status entries of one batch file, with each credential's ID and line.

    Reads the file at once and looks for the two members in each line's bytes (about 5 µs a
    line); a line stored otherwise than in JCS form is parsed (docs/design.md)."""
    prefix = f'"id":"{base_url}/c/'.encode()
    try:
        data = path.read_bytes()
    except OSError:
        return []  # the build and check report an unreadable batch
    found: list[Entry] = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        raw = raw.rstrip(b"\r")
        if not raw or raw.isspace():
            continue
        hit = _from_bytes(raw, prefix)
        if hit is None and b"credentialStatus" in raw:
            hit = _from_json(AwardLine(path, number, raw))
        if hit is not None:
            found.append((*hit, number))
    return found


def all_entries(content: Path, base_url: str, cache: Path | None = None
                ) -> Iterator[tuple[Path, list[Entry]]]:
    """Every batch's entries; with ``cache``, batches whose size and mtime are unchanged since the
    cache was written are not read again (the cache is rewritten only when something changed)."""
    old: dict[str, Any] = {}
    if cache is not None:
        try:
            data = json.loads(cache.read_bytes())
            if data.get("format") == CACHE_FORMAT and data.get("base_url") == base_url:
                old = data["batches"]
        except (OSError, ValueError, KeyError, AttributeError):
            old = {}
    new: dict[str, Any] = {}
    changed = False
    for path in batch_files(content):
        stat = path.stat()
        stamp = [stat.st_size, stat.st_mtime_ns]
        cached = old.get(path.name)
        if isinstance(cached, dict) and cached.get("stamp") == stamp:
            entries = cached["entries"]  # lists [url, index, id, line], as written
        else:
            entries, changed = batch_entries(path, base_url), True
        new[path.name] = {"stamp": stamp, "entries": entries}
        yield path, entries
    if cache is not None and (changed or new.keys() != old.keys()):
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(".tmp")
        tmp.write_text(json.dumps({"format": CACHE_FORMAT, "base_url": base_url,
                                   "batches": new}, separators=(",", ":")), encoding="utf-8")
        tmp.replace(cache)


def shared_entries(content: Path, base_url: str, cache: Path | None = None) -> list[str]:
    """One problem line per credential whose status entry an earlier credential already has."""
    first: dict[tuple[str, int], tuple[str, Path, int]] = {}  # → (ID, file, line; 0: none)
    retired_file = status_dir(content) / RETIRED_FILE
    for entry in retired_entries(content):  # amended records' old entries: their bits are set
        index = str(entry.get("statusListIndex", ""))
        if index.isdigit():
            first[(str(entry.get("statusListCredential")), int(index))] = (
                f"the retired entry of {entry.get('credential')}", retired_file, 0)
    problems = []
    for path, entries in all_entries(content, base_url, cache):
        for url, index, cred_id, line in entries:
            earlier = first.get((url, index))
            if earlier is None:
                first[(url, index)] = (cred_id, path, line)
            elif earlier[0] != cred_id:
                where = f"{path}:{line}"
                other = f"{earlier[1]}:{earlier[2]}" if earlier[2] else str(earlier[1])
                problems.append(
                    f"{where}: {cred_id} has the same status list entry ({url} index {index}) as "
                    f"{earlier[0]} ({other}): revoking either would revoke both; re-allocate "
                    "the entries of whichever batch is not yet deployed: 'credsite repair-status "
                    "BATCH --key KEY'")
    return problems

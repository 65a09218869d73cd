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
per batch file in a cache beside its manifest, so a rebuild reads only changed batches: the cache
holds, per batch, its entries as fixed-width keys, and one sorted index of every entry (searched
by bisection on disk), so neither memory nor a rebuild's time grows with the site's size (a
million credentials: issue 20). Only a site whose cache is missing is read whole, and then kept
as one sorted list of 8-byte integers, not as a Python object per credential.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from credsite.content.awards import AwardLine, batch_files, parse_award
from credsite.content.sortedindex import (
    ID_BYTES,
    IdIndex,
    IdIndexUpdate,
    Run,
    id_record,
    repeated_keys,
    write_new,
)
from credsite.content.status import RETIRED_FILE, retired_entries, status_dir
from credsite.errors import CredsiteError

Entry = tuple[str, int, str, int]  # (status list URL, index, credential ID, line number)

_URL = b'"statusListCredential":"'
_INDEX = b'","statusListIndex":"'
CACHE_FORMAT = 3


def entry_from_bytes(raw: bytes, id_prefix: bytes) -> tuple[str, str, bytes] | None:
    """(status list URL, index digits, credential ID) read from a stored record's bytes, or None
    when the line is not plainly in JCS form with exactly one status entry (the caller parses it).

    In JCS form (keys sorted) ``credentialStatus`` holds ``"statusListCredential":"…",
    "statusListIndex":"…"`` side by side, and the top-level ``"id":"<base>/c/<ID>"`` follows it
    (``credentialStatus`` < ``credentialSubject`` < ``id``). None for: no status entry, a second
    one, an escaped URL (its bytes are not its text), an index that is not digits, or no such ID
    after the entry. The build's shared-entry check and ``credsite issue``'s scan of entries in
    use (:mod:`credsite.content.inuse`) both read records this way, so they agree on every line.
    """
    start = raw.find(_URL)
    if start < 0:
        return None
    end = raw.find(b'"', start + len(_URL))
    if raw[end:end + len(_INDEX)] != _INDEX:
        return None
    digits_at = end + len(_INDEX)
    stop = raw.find(b'"', digits_at)
    digits = raw[digits_at:stop]
    url = raw[start + len(_URL):end]
    at = raw.find(id_prefix, stop)
    if (at < 0 or not digits.isdigit() or b"\\" in url or raw.find(_URL, stop) >= 0
            or raw[at + len(id_prefix) + 16:at + len(id_prefix) + 17] != b'"'):
        return None
    id_at = at + len(id_prefix)
    return url.decode("utf-8"), digits.decode("ascii"), raw[id_at:id_at + 16]


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
        scanned = entry_from_bytes(raw, prefix)
        if scanned is not None:
            url, digits, cred_id = scanned
            found.append((url, int(digits), cred_id.decode("ascii"), number))
            continue
        hit = _from_json(AwardLine(path, number, raw)) if b"credentialStatus" in raw else None
        if hit is not None:
            found.append((*hit, number))
    return found


def _key(url: str, index: int, lists: dict[str, int]) -> int:
    """One entry as an integer: the status list (numbered in order of appearance) and the index."""
    number = lists.setdefault(url, len(lists))
    return (number << 32) | index


def _index_key(url: str, index: int) -> bytes:
    """One entry as a 16-byte key of the on-disk index (the manifest's ID index format)."""
    return f"{_list_digest(url)}{min(index, 999_999):06d}".encode("ascii")  # indexes < 131,072


@functools.lru_cache(maxsize=1024)
def _list_digest(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:10]


def _retired(content: Path) -> tuple[dict[tuple[str, int], str], str]:
    """Retired entries (amended records' old entries, whose bits are set) and their file's digest."""
    retired: dict[tuple[str, int], str] = {}
    for entry in retired_entries(content):
        index = str(entry.get("statusListIndex", ""))
        if index.isdigit():
            retired[(str(entry.get("statusListCredential")), int(index))] = (
                f"the retired entry of {entry.get('credential')}")
    path = status_dir(content) / RETIRED_FILE
    digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
    return retired, digest


def _problem(path: Path, line: int, cred_id: str, url: str, index: int, other: str,
             where: str) -> str:
    return (f"{path}:{line}: {cred_id} has the same status list entry ({url} index {index}) as "
            f"{other} ({where}): revoking either would revoke both; re-allocate the entries of "
            "whichever batch is not yet deployed: 'credsite repair-status BATCH --key KEY'")


def _scan(batches: list[tuple[Path, list[Entry]]], retired: dict[tuple[str, int], str],
          retired_file: Path, keep_first: Iterable[tuple[Path, list[Entry]]] = ()) -> list[str]:
    """The problems among ``batches`` (and the retired entries): each later credential whose
    entry an earlier one holds. Sorted integers first; details only for entries seen twice."""
    lists: dict[str, int] = {}
    keys = [_key(url, index, lists) for url, index in retired]
    for _, entries in batches:
        keys.extend(_key(url, index, lists) for url, index, _, _ in entries)
    keys.sort()
    twice = {keys[i] for i in range(1, len(keys)) if keys[i] == keys[i - 1]}
    if not twice:
        return []
    first: dict[int, tuple[str, str]] = {}  # key → (what, where)
    for (url, index), what in retired.items():
        first[_key(url, index, lists)] = (what, str(retired_file))
    problems = []
    for path, entries in batches:
        for url, index, cred_id, line in entries:
            key = _key(url, index, lists)
            if key not in twice:
                continue
            earlier = first.get(key)
            if earlier is None:
                first[key] = (cred_id, f"{path}:{line}")
            elif earlier[0] != cred_id:
                problems.append(_problem(path, line, cred_id, url, index, *earlier))
    return problems


def shared_entries(content: Path, base_url: str, cache: Path | None = None) -> list[str]:
    """One problem line per credential whose status entry an earlier credential already has.

    With ``cache`` (a folder beside the build's manifest), batch files unchanged since the last
    run that found no problem are not read again: only new or changed batches are read, and
    checked against each other, the retired entries and the index of every other entry."""
    retired, retired_digest = _retired(content)
    retired_file = status_dir(content) / RETIRED_FILE
    paths = batch_files(content)
    state = _load_cache(cache, base_url) if cache is not None else None
    if state is None or state.get("retired") != retired_digest:
        return _read_all(paths, base_url, retired, retired_file, retired_digest, cache)
    old: dict[str, Any] = state["batches"]
    stamps = {path.name: _stamp(path) for path in paths}
    changed = [path for path in paths if old.get(path.name, {}).get("stamp") != stamps[path.name]]
    gone = [name for name in old if name not in stamps]
    if not changed and not gone:
        return []  # the same files as a run that found no shared entry
    fresh = [(path, batch_entries(path, base_url)) for path in changed]
    problems = _scan(fresh, retired, retired_file)
    unchanged = {old[p.name]["number"]: p for p in paths if p not in changed}
    index_path = cache / state["index"] if state.get("index") else None
    if index_path is not None and index_path.is_file():
        with IdIndex(index_path) as index:
            for path, entries in fresh:
                for url, position, cred_id, line in entries:
                    number = index.find(_index_key(url, position))
                    if number in unchanged:
                        other = unchanged[number]
                        holder = next((e for e in batch_entries(other, base_url)
                                       if (e[0], e[1]) == (url, position)), None)
                        if holder is not None:
                            problems.append(_problem(path, line, cred_id, url, position,
                                                     holder[2], f"{other}:{holder[3]}"))
    if not problems:
        assert cache is not None  # ``state`` came from it
        _save_cache(cache, base_url, retired_digest, fresh, state, gone)
    return problems


def _read_all(paths: list[Path], base_url: str, retired: dict[tuple[str, int], str],
              retired_file: Path, retired_digest: str, cache: Path | None) -> list[str]:
    """Every batch read, kept only as its sorted 16-byte entry keys (16 MB at a million
    credentials), merged to find repeats; the details are read again only if there are any."""
    runs = [Run(_sorted_keys([(url, index) for url, index, _, _ in batch_entries(path, base_url)]),
                ID_BYTES, number) for number, path in enumerate(paths, start=1)]
    if repeated_keys([Run(_sorted_keys(list(retired)), ID_BYTES, 0), *runs]):
        problems = _scan([(path, batch_entries(path, base_url)) for path in paths], retired,
                         retired_file)
        if problems:
            return problems  # else only keys of two lists' digests or of huge indexes were equal
    if cache is not None:
        _save_all(cache, base_url, retired_digest, paths, runs)
    return []


def _sorted_keys(entries: list[tuple[str, int]]) -> bytes:
    return b"".join(sorted(_index_key(url, index) for url, index in entries))


def _save_all(cache: Path, base_url: str, retired_digest: str, paths: list[Path],
              runs: list[Run]) -> None:
    """A new cache from a full read: each batch's keys file, and the index merged from them."""
    (cache / "keys").mkdir(parents=True, exist_ok=True)
    batches: dict[str, Any] = {}
    for path, run in zip(paths, runs, strict=True):
        name = f"{run.number}-{hashlib.sha256(run.data).hexdigest()[:16]}.bin"
        write_new(cache / "keys" / name, run.data)
        batches[path.name] = {"stamp": _stamp(path), "number": run.number, "keys": name}
    _write_state(cache, base_url, retired_digest, IdIndexUpdate(runs=runs).write(cache), batches)


def _write_state(cache: Path, base_url: str, retired_digest: str, index_name: str,
                 batches: dict[str, Any]) -> None:
    tmp = cache / "index.json.tmp"
    tmp.write_text(json.dumps({"format": CACHE_FORMAT, "base_url": base_url,
                               "retired": retired_digest, "index": index_name,
                               "batches": batches}, separators=(",", ":")), encoding="utf-8")
    os.replace(tmp, cache / "index.json")
    live = {index_name} | {f"keys/{b['keys']}" for b in batches.values()}
    for path in [*cache.glob("ids-*.bin"), *(cache / "keys").glob("*.bin")]:
        if str(path.relative_to(cache)) not in live:
            path.unlink(missing_ok=True)


def _stamp(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


def cached_batches(cache: Path, base_url: str) -> tuple[Path, dict[str, list[int]]] | None:
    """What a cache says, for others to read: its index of every entry (16-byte keys:
    :func:`entry_key_prefix` then the index as six digits, each with a batch number) and the
    batch files it holds, by file name, with the ``[size, mtime_ns]`` they had. None if there is
    no usable cache (the retired entries are not in it: read them from their file)."""
    state = _load_cache(cache, base_url)
    if state is None or not state.get("index"):
        return None
    try:
        stamps = {name: list(b["stamp"]) for name, b in state["batches"].items()}
    except (KeyError, TypeError):
        return None
    return cache / state["index"], stamps


def entry_key_prefix(url: str) -> bytes:
    """The first ten bytes of the index keys of one status list's entries."""
    return _list_digest(url).encode("ascii")


def _load_cache(cache: Path, base_url: str) -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = json.loads((cache / "index.json").read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT or (
            data.get("base_url") != base_url) or not isinstance(data.get("batches"), dict):
        return None
    return data


def _save_cache(cache: Path, base_url: str, retired_digest: str,
                batches: list[tuple[Path, list[Entry]]], state: dict[str, Any] | None,
                gone: Iterable[str] = ()) -> None:
    """Record the changed ``batches`` as checked (``state``: the cache they update)."""
    (cache / "keys").mkdir(parents=True, exist_ok=True)
    old: dict[str, Any] = dict(state["batches"]) if state else {}
    previous = cache / state["index"] if state and state.get("index") else None
    dropped: list[bytes] = []
    for name in [*gone, *(path.name for path, _ in batches if state and path.name in old)]:
        keys_file = cache / "keys" / old[name]["keys"]
        data = keys_file.read_bytes() if keys_file.is_file() else b""
        dropped.extend(data[at:at + ID_BYTES] for at in range(0, len(data), ID_BYTES))
        old.pop(name, None)
    number = 1 + max((b["number"] for b in old.values()), default=0)
    added: list[bytes] = []
    for path, entries in batches:
        keys = b"".join(sorted(_index_key(url, index) for url, index, _, _ in entries))
        name = f"{number}-{hashlib.sha256(keys).hexdigest()[:16]}.bin"
        tmp = cache / "keys" / f"{name}.tmp"
        tmp.write_bytes(keys)
        os.replace(tmp, cache / "keys" / name)
        old[path.name] = {"stamp": _stamp(path), "number": number, "keys": name}
        added.extend(id_record(keys[at:at + ID_BYTES].decode("ascii"), number)
                     for at in range(0, len(keys), ID_BYTES))
        number += 1
    update = IdIndexUpdate(previous if previous is not None and previous.is_file() else None,
                           dropped, added)
    if update.previous is None and state is not None:
        return  # an index file went missing: the next run reads everything again
    _write_state(cache, base_url, retired_digest, update.write(cache), old)

"""What is in use, from the build's on-disk indexes: ``credsite issue`` at a million awards.

A build keeps beside its output (``.credsite-cache/``) a sorted index of every credential ID
(its manifest, :mod:`credsite.build.manifest`) and one of every status entry (the shared-entry
check's cache, :mod:`credsite.content.statusentries`), each naming the batch files it holds
with their size and modification time. :func:`read_in_use` looks each new ID up there (a bisection),
counts each status list's entries (two bisections) and reads the entries of those it may
allocate in, and reads only the batch files that either index does not hold (new or changed
since that build) the way :func:`~credsite.content.inuse.scan_in_use` reads them all. Reading all
of them at a million awards means 3 GB from disk: about a minute on this VM with a cold page
cache. Without a build's cache (a new site, a fresh checkout) every batch is read.

Trusting a batch's size and modification time is what the build itself does to skip a batch.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Collection
from pathlib import Path

from credsite.build.manifest import Manifest
from credsite.content.awards import batch_files
from credsite.content.inuse import InUse, scan_in_use
from credsite.content.site import Site
from credsite.content.sortedindex import ID_BYTES, ID_RECORD, IdIndex
from credsite.content.status import LIST_FILE, status_dir
from credsite.content.statusentries import cached_batches, entry_key_prefix
from credsite.trust.statuslist import LIST_SIZE, IndexSet, list_url

CACHE = ".credsite-cache"  # beside the output folder, which a site keeps beside content/


def read_in_use(content: Path, site: Site, ids: Collection[str]) -> InUse:
    """:func:`~credsite.content.inuse.scan_in_use`, with what a build's indexes hold not read
    again; the same answer for every list allocation may use (:attr:`InUse.full` lists only
    counted)."""
    stamps = {}
    for path in batch_files(content):
        try:
            st = os.stat(path)
        except OSError:
            continue  # scan_in_use reports it
        stamps[path] = (st.st_size, st.st_mtime_ns)
    cache = content.parent / CACHE
    try:
        found = _from_indexes(content, site, ids, stamps, cache)
    except (OSError, ValueError):  # a build replaced its cache meanwhile: read everything
        found = None
    return found if found is not None else scan_in_use(content, site, ids)


def _from_indexes(content: Path, site: Site, ids: Collection[str],
                  stamps: dict[Path, tuple[int, int]], cache: Path) -> InUse | None:
    id_index, id_covered = _id_index(content, stamps, cache)
    entry_index, entry_covered = _entry_index(site, stamps, cache)
    covered = id_covered & entry_covered
    if id_index is None or entry_index is None or not covered:
        return None
    found = scan_in_use(content, site, ids, skip=covered)
    with IdIndex(id_index) as index:
        found.taken.update(i for i in ids if index.find(i.encode("ascii")) is not None)
    published = [int(m.group(1)) for p in status_dir(content).glob("revocation-*.json")
                 if (m := LIST_FILE.fullmatch(p.name))]
    last = max(published, default=0)
    with IdIndex(entry_index) as index:
        for number in itertools.count(1):
            prefix = entry_key_prefix(list_url(site.base_url, number))
            start, stop = index.position(prefix), index.position(prefix + b":")  # ':' > '9'
            if stop - start >= LIST_SIZE // 2:
                found.full.add(number)
                continue
            used = found.entries.setdefault(number, IndexSet())
            records = index.records(start, stop)
            for at in range(len(prefix), len(records), ID_RECORD):
                used.add(int(records[at:at + ID_BYTES - len(prefix)]))
            if number > last:  # allocation stops at the first list that is not full
                break
    return found


def _id_index(content: Path, stamps: dict[Path, tuple[int, int]],
              cache: Path) -> tuple[Path | None, set[Path]]:
    """The ID index of the build manifest that holds the most of the current batch files."""
    best: tuple[Path | None, set[Path]] = (None, set())
    for folder in _folders(cache):
        manifest = Manifest.load(cache.parent / folder.name)
        if manifest is None or manifest.folder is None or not manifest.ids_file:
            continue
        covered = set()
        for path, stamp in stamps.items():
            batch = manifest.batches.get(str(path.relative_to(content)))
            if batch is not None and (batch.size, batch.mtime_ns) == stamp:
                covered.add(path)
        if len(covered) > len(best[1]):
            best = (manifest.folder / manifest.ids_file, covered)
    return best


def _entry_index(site: Site, stamps: dict[Path, tuple[int, int]],
                 cache: Path) -> tuple[Path | None, set[Path]]:
    """The status entry index (of the site's base URL) that holds the most current batches."""
    best: tuple[Path | None, set[Path]] = (None, set())
    for folder in _folders(cache):
        state = cached_batches(folder, site.base_url)
        if state is None:
            continue
        index, held = state
        covered = {path for path, stamp in stamps.items() if held.get(path.name) == list(stamp)}
        if len(covered) > len(best[1]):
            best = (index, covered)
    return best


def _folders(cache: Path) -> list[Path]:
    try:
        return sorted(p for p in cache.iterdir() if p.is_dir())
    except OSError:
        return []

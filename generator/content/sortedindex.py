"""A sorted file of fixed-width records, searched by bisection through a memory map.

Records are a 16-byte key (ASCII) and a 4-byte batch number. The build's manifest keeps every
credential ID in one (where is a credential, is an ID taken), the shared-status-entry check every
status entry in another: site-wide questions answered from disk, so that memory does not grow
with the site (a million credentials in at most 400 MB: issue 20).
"""

from __future__ import annotations

import hashlib
import heapq
import mmap
import os
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ID_BYTES = 16
ID_RECORD = ID_BYTES + 4
_BATCH = struct.Struct(">I")


def write_new(path: Path, data: bytes) -> None:
    """Write a file named by its digest, unless it is there already (then it holds these bytes)."""
    if path.is_file():
        return
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


class IdIndex:
    """The sorted ID index file, searched by bisection through a memory map."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("rb")
        size = os.fstat(self._file.fileno()).st_size
        self._map = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ) if size else None
        self.count = size // ID_RECORD

    def __enter__(self) -> IdIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._map is not None:
            self._map.close()
        self._file.close()

    def position(self, raw_id: bytes) -> int:
        """Where ``raw_id`` is or would be inserted (record number)."""
        low, high = 0, self.count
        data = self._map
        while low < high:
            mid = (low + high) // 2
            at = mid * ID_RECORD
            if data is not None and data[at:at + ID_BYTES] < raw_id:
                low = mid + 1
            else:
                high = mid
        return low

    def find(self, raw_id: bytes) -> int | None:
        pos = self.position(raw_id)
        if pos < self.count and self._map is not None:
            at = pos * ID_RECORD
            if self._map[at:at + ID_BYTES] == raw_id:
                return int(_BATCH.unpack_from(self._map, at + ID_BYTES)[0])
        return None

    def records(self, start: int = 0, stop: int | None = None) -> bytes:
        """The records from number ``start`` up to ``stop`` (default: the end)."""
        if self._map is None:
            return b""
        stop = self.count if stop is None else stop
        return self._map[start * ID_RECORD:stop * ID_RECORD]


@dataclass(frozen=True)
class Run:
    """One batch's keys, sorted: ``data`` holds a record every ``stride`` bytes, each starting
    with its 16-byte key; ``number`` is the batch number the index records for them."""

    data: bytes
    stride: int
    number: int

    def keys(self) -> Iterator[bytes]:
        data = self.data
        return (data[at:at + ID_BYTES] for at in range(0, len(data), self.stride))

    def records(self) -> Iterator[bytes]:
        tail, data = _BATCH.pack(self.number), self.data
        return (data[at:at + ID_BYTES] + tail for at in range(0, len(data), self.stride))


def sorted_run(data: bytes | bytearray, stride: int, number: int = 0) -> Run:
    """A batch's records (``stride`` bytes each, key first) sorted by key, as a :class:`Run`."""
    records = sorted(bytes(data[at:at + stride]) for at in range(0, len(data), stride))
    return Run(b"".join(records), stride, number)


def repeated_keys(runs: Iterable[Run]) -> set[bytes]:
    """Keys that occur more than once across ``runs`` (each sorted): one merge of the runs, so
    memory holds the runs' bytes and one key per run, not an object per key of the whole site."""
    twice: set[bytes] = set()
    previous = None
    for key in heapq.merge(*(run.keys() for run in runs)):
        if key == previous:
            twice.add(key)
        previous = key
    return twice


@dataclass
class IdIndexUpdate:
    """How to make the next ID index: from scratch, or from the previous one with the records of
    some batches taken out (``dropped``: their IDs) and new records put in (``added``). A full
    build gives its batches as sorted ``runs`` instead, merged straight into the file."""

    previous: Path | None = None
    dropped: list[bytes] = field(default_factory=list)
    added: list[bytes] = field(default_factory=list)  # ID_RECORD-wide records, any order
    runs: list[Run] = field(default_factory=list)  # only with no ``previous``

    def write(self, folder: Path) -> str:
        if self.previous is not None and not self.dropped and not self.added:
            return self.previous.name
        if self.previous is None:
            return self._write_runs(folder)
        return self._write_merged(folder, self.previous)

    def _write_runs(self, folder: Path) -> str:
        """Merge the sorted runs (and ``added``) into the file a megabyte at a time."""
        with _Output(folder) as output:
            buffer = bytearray()
            for record in heapq.merge(sorted(self.added), *(run.records() for run in self.runs)):
                buffer += record
                if len(buffer) >= 1 << 20:
                    output.put(bytes(buffer))
                    buffer.clear()
            output.put(bytes(buffer))
        return output.name

    def _write_merged(self, folder: Path, previous: Path) -> str:
        """The previous file with some records cut out and others put in, copied from its memory
        map a megabyte at a time: a rebuild that adds one award at a million credentials held
        three copies of the 20 MB file (the records, the parts, their join) before."""
        added = sorted(self.added)
        with IdIndex(previous) as index, _Output(folder) as output:
            # Cut the previous file at every dropped record and every insertion point: a few
            # bisections and one pass over the file's bytes, whatever its size.
            cuts: list[tuple[int, int, bytes]] = []  # (position, records to skip, to insert)
            for raw in sorted(self.dropped):
                if index.find(raw) is not None:  # only records that are there
                    cuts.append((index.position(raw), 1, b""))
            for record in added:
                cuts.append((index.position(record[:ID_BYTES]), 0, record))
            cuts.sort(key=lambda cut: (cut[0], cut[1]))
            at = 0
            for position, skip, insert in [*cuts, (index.count, 0, b"")]:
                for start in range(at, position, _COPY):
                    output.put(index.records(start, min(position, start + _COPY)))
                output.put(insert)
                at = max(at, position + skip)
        return output.name


_COPY = (1 << 20) // ID_RECORD  # records copied at once


class _Output:
    """A new index file written through a temporary name and named by its digest at the end
    (an existing file of that name holds the same bytes)."""

    def __init__(self, folder: Path) -> None:
        self._folder, self._digest = folder, hashlib.sha256()
        self._tmp = folder / "ids.bin.tmp"
        self.name = ""

    def __enter__(self) -> _Output:
        self._handle = self._tmp.open("wb")
        return self

    def put(self, data: bytes) -> None:
        self._digest.update(data)
        self._handle.write(data)

    def __exit__(self, kind: object, *rest: object) -> None:
        self._handle.close()
        if kind is not None:
            self._tmp.unlink(missing_ok=True)
            return
        self.name = f"ids-{self._digest.hexdigest()[:16]}.bin"
        if (self._folder / self.name).is_file():
            self._tmp.unlink()
        else:
            os.replace(self._tmp, self._folder / self.name)


def id_record(cred_id: str, batch_number: int) -> bytes:
    return cred_id.encode("ascii") + _BATCH.pack(batch_number)

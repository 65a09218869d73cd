"""The build manifest: what the previous build was made from, so a rebuild redoes only changes.

Kept beside the output (``.credsite-cache/<output>/``), never inside it: it lists every
credential ID, and the published site must not. A rebuild compares:

- the *site key*: a hash of credsite's code, the templates, ``site.yaml`` (and ``holders.yaml``,
  the holder pages' opt-outs, which credential pages may link), the catalog, the
  pages and the static files. If it changed, everything is rebuilt from scratch;
- each award batch's size and modification time (then its lines), and each credential's line
  hash together with its revocation note. Only new or changed credentials are verified and
  rendered.

Its size on disk and in memory must not grow with what the build holds at once (issue 20: a
million credentials in at most 400 MB). So it is not one JSON document of every ID but:

- ``index.json``: the site key, the revocation notes (few) and one entry per batch file (size,
  modification time, a stable batch number, the name of its keys file);
- ``keys/<batch>-<digest>.bin``: per batch, fixed-width records ``ID (16 ASCII) + line key
  (10 bytes)``, read only when that batch changed;
- ``ids-<digest>.bin``: every credential ID with its batch number, fixed-width records
  ``ID (16 ASCII) + batch number (4 bytes, big-endian)`` sorted by ID, searched by bisection
  through a memory map: where a revoked credential lives, and whether a new ID is taken.

Data files are named by their digest and ``index.json`` is replaced last, atomically, so a build
killed while saving leaves the previous manifest whole; files no index names are deleted.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from credsite.content.sortedindex import ID_BYTES, IdIndex, IdIndexUpdate, write_new

FORMAT = 2
KEY_BYTES = 10
KEY_RECORD = ID_BYTES + KEY_BYTES  # credential IDs: 16 Crockford base32 characters


def tree_digest(paths: list[Path], root: Path | None = None) -> str:
    """A hash over files' names and bytes (sorted), for change detection."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        name = str(path.relative_to(root)) if root else str(path)
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []


def code_digest(code: Path) -> str:
    """The package's code and its message catalogs (a changed translation changes every page)."""
    return tree_digest(sorted([*code.rglob("*.py"), *(code / "locale").rglob("*.po")]), code)


def site_key(content: Path, templates: Path, links: str = "web") -> str:
    """What every page is made of: the code, templates, site, catalog, pages, static files and
    the kind of links (``web`` or ``portable``)."""
    parts = [
        links,
        code_digest(Path(__file__).resolve().parent.parent),  # the whole credsite package
        tree_digest(files_under(templates), templates),
        tree_digest([p for p in [content / "site.yaml", content / "holders.yaml"] if p.is_file()],
                    content),
        tree_digest(files_under(content / "credentials"), content),
        tree_digest(files_under(content / "pages"), content),
        tree_digest(files_under(content / "static"), content),
    ]
    return hashlib.sha256("".join(parts).encode()).hexdigest()


def line_key(raw: bytes, note: str | None) -> bytes:
    """What a credential page is made of, besides the site: its line and its revocation note."""
    return hashlib.sha256(raw + b"\0" + (note or "").encode()).digest()[:KEY_BYTES]


def key_record(cred_id: str, key: bytes) -> bytes:
    """One record of a batch's keys file; ValueError for an ID the fixed width cannot hold."""
    raw = cred_id.encode("ascii")
    if len(raw) != ID_BYTES or len(key) != KEY_BYTES:
        raise ValueError(f"not a credential ID: {cred_id!r}")
    return raw + key


def iter_key_records(data: bytes) -> Iterator[tuple[str, bytes]]:
    for at in range(0, len(data) - len(data) % KEY_RECORD, KEY_RECORD):
        yield data[at:at + ID_BYTES].decode("ascii"), data[at + ID_BYTES:at + KEY_RECORD]


@dataclass
class BatchState:
    """A batch file as the last build saw it."""

    size: int
    mtime_ns: int
    number: int  # stable while the file exists: the batch number in the ID index
    keys_file: str  # under keys/: its credentials' IDs and line keys
    count: int

    @staticmethod
    def stat_of(path: Path) -> tuple[int, int]:
        st = os.stat(path)
        return st.st_size, st.st_mtime_ns


@dataclass
class Manifest:
    site_key: str = ""
    batches: dict[str, BatchState] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)  # revocation notes shown on pages
    ids_file: str = ""
    folder: Path | None = None

    @staticmethod
    def path_for(out: Path) -> Path:
        return out.parent / ".credsite-cache" / out.name

    @classmethod
    def load(cls, out: Path) -> Manifest | None:
        folder = cls.path_for(out)
        try:
            data: dict[str, Any] = json.loads((folder / "index.json").read_bytes())
            if data.get("format") != FORMAT or not out.is_dir():
                return None
            batches = {name: BatchState(b["size"], b["mtime_ns"], b["number"], b["keys_file"],
                                        b["count"])
                       for name, b in data["batches"].items()}
            manifest = cls(data["site_key"], batches, data["notes"], data["ids_file"], folder)
            if manifest.ids_file and not (folder / manifest.ids_file).is_file():
                return None
            return manifest
        except (OSError, ValueError, KeyError, TypeError):
            return None

    # ---------------------------------------------------------------- reading a loaded manifest

    def batch_keys(self, name: str) -> dict[str, bytes]:
        """Credential ID → line key for one batch of the previous build."""
        batch = self.batches.get(name)
        if batch is None or self.folder is None:
            return {}
        return dict(iter_key_records((self.folder / "keys" / batch.keys_file).read_bytes()))

    def locate(self, cred_ids: Iterable[str]) -> dict[str, int]:
        """The batch number of each of ``cred_ids`` that the previous build published."""
        wanted = sorted({c.encode("ascii", "replace") for c in cred_ids})
        if not wanted or not self.ids_file or self.folder is None:
            return {}
        found: dict[str, int] = {}
        with IdIndex(self.folder / self.ids_file) as index:
            for raw in wanted:
                number = index.find(raw)
                if number is not None:
                    found[raw.decode("ascii")] = number
        return found

    # ---------------------------------------------------------------- saving

    def save(self, out: Path, keys: dict[str, bytes], ids: IdIndexUpdate) -> None:
        """Write the manifest for ``out``: ``keys`` holds the records of every batch whose keys
        file is new (others keep theirs); ``ids`` makes the new ID index."""
        folder = self.path_for(out)
        (folder / "keys").mkdir(parents=True, exist_ok=True)
        for name, records in keys.items():
            batch = self.batches[name]
            batch.keys_file = f"{batch.number}-{hashlib.sha256(records).hexdigest()[:16]}.bin"
            batch.count = len(records) // KEY_RECORD
            write_new(folder / "keys" / batch.keys_file, records)
        self.ids_file = ids.write(folder)
        data = {"format": FORMAT, "site_key": self.site_key, "ids_file": self.ids_file,
                "batches": {name: {"size": b.size, "mtime_ns": b.mtime_ns, "number": b.number,
                                   "keys_file": b.keys_file, "count": b.count}
                            for name, b in sorted(self.batches.items())},
                "notes": self.notes}
        tmp = folder / "index.json.tmp"
        tmp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, folder / "index.json")
        self.folder = folder
        live = {self.ids_file} | {f"keys/{b.keys_file}" for b in self.batches.values()}
        for path in [*folder.glob("ids-*.bin"), *(folder / "keys").glob("*.bin")]:
            if str(path.relative_to(folder)) not in live:
                path.unlink(missing_ok=True)

    @staticmethod
    def remove(out: Path) -> None:
        (Manifest.path_for(out) / "index.json").unlink(missing_ok=True)

    def next_number(self) -> int:
        return 1 + max((b.number for b in self.batches.values()), default=0)

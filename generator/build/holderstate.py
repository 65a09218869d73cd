"""What the published holder pages were made from, so that a rebuild renders only the holders
whose inputs changed, without reading the whole register (issue 20: a million credentials).

Kept beside the build manifest (``.credsite-cache/<output>/holders.json``, never published: it
lists every holder key and credential ID). For each register file: its size and modification
time and, in file order, each line's holder key and credential ID (two comma-separated strings:
a few bytes a credential, no object per credential in memory); the digest of the holder settings;
and every credential's revocation note. A rebuild compares the register folder with it (one
``stat`` a file, nothing read when nothing changed) and the build's notes with the saved ones, and
knows from the differences alone which holders to render again:

- a new, changed or removed register file: every holder it names now or named before;
- a credential whose note changed (revoked, suspended, reinstated): its holder;

then reads, for those holders only, the register files that name them (the other lines are not
parsed). Holder settings (``holder_pages``, ``content/holders.yaml``) are in the build's site
key, so a change of them rebuilds everything; the digest here is a second guard.
"""

from __future__ import annotations

import hashlib
import json
import os
import zlib
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path

from credsite.build.manifest import Manifest
from credsite.content.holders import HolderSettings
from credsite.content.register import keys_and_ids

STATE_FILE = "holders.json"
VERSION = 2
MANY = 16  # above this many holders, a file's keys are compared as a set, not searched one by one


@dataclass(frozen=True)
class FileEntry:
    """One register file as the published pages saw it."""

    size: int
    mtime_ns: int
    keys: str  # ",K1,K2,…," the holder key of each line, in file order
    ids: str  # ",ID1,ID2,…," the credential ID of each line, in the same order

    @classmethod
    def scan(cls, path: Path) -> FileEntry:
        """The entry of a register file as it is now (its lines are not parsed as JSON)."""
        stat = path.stat()
        keys, ids = keys_and_ids(path)
        return cls(stat.st_size, stat.st_mtime_ns, _joined(keys), _joined(ids))

    def same_file(self, path: Path) -> bool:
        stat = path.stat()
        return (stat.st_size, stat.st_mtime_ns) == (self.size, self.mtime_ns)

    def holders(self) -> set[str]:
        return set(self.keys.strip(",").split(",")) - {""}

    def names_any(self, keys: AbstractSet[str]) -> bool:
        if len(keys) > MANY:
            return not keys.isdisjoint(self.keys.split(","))
        return any(f",{key}," in self.keys for key in keys)

    def holder_of(self, cred_id: str) -> str | None:
        at = self.ids.find(f",{cred_id},")
        if at < 0:
            return None
        return self.keys.split(",")[self.ids.count(",", 0, at + 1)]


def _joined(parts: Iterable[str]) -> str:
    return "," + "".join(f"{part}," for part in parts)


def settings_digest(settings: HolderSettings) -> str:
    text = "\n".join([settings.mode, *sorted(settings.opted_out)])
    return hashlib.sha256(text.encode()).hexdigest()[:20]


@dataclass
class HolderState:
    settings: str
    notes: dict[str, str]
    files: dict[str, FileEntry]  # by register file name

    @staticmethod
    def path(out: Path) -> Path:
        return Manifest.path_for(out) / STATE_FILE

    @classmethod
    def load(cls, out: Path) -> HolderState | None:
        """The saved state, or None if there is none or it cannot be read (then every page is
        written again, which is always right)."""
        try:
            data = json.loads(cls.path(out).read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("version") != VERSION:
                return None
            files = {name: FileEntry(*entry) for name, entry in data["files"].items()}
            return cls(str(data["settings"]), dict(data["notes"]), files)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, out: Path) -> None:
        folder = Manifest.path_for(out)
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / (STATE_FILE + ".tmp")
        files = {name: [e.size, e.mtime_ns, e.keys, e.ids] for name, e in self.files.items()}
        tmp.write_text(json.dumps({"version": VERSION, "settings": self.settings,
                                   "notes": self.notes, "files": files},
                                  separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, folder / STATE_FILE)

    @classmethod
    def forget(cls, out: Path) -> None:
        """Drop the state before the output changes (a killed build then rewrites all)."""
        cls.path(out).unlink(missing_ok=True)

    def holder_of(self, cred_id: str) -> str | None:
        for entry in self.files.values():
            key = entry.holder_of(cred_id)
            if key is not None:
                return key
        return None

    def files_naming(self, keys: AbstractSet[str]) -> list[str]:
        return [name for name, entry in self.files.items() if entry.names_any(keys)]


def changed_notes(before: dict[str, str], now: dict[str, str]) -> set[str]:
    """The credential IDs whose note differs (added, changed or gone)."""
    return {cred_id for cred_id in before.keys() | now.keys()
            if before.get(cred_id) != now.get(cred_id)}


@dataclass(frozen=True)
class Part:
    """One of ``count`` parts of the holder keys (by a checksum of the key): a full build reads
    the register once per part and holds only that part's holders in memory, so memory stays
    flat however large the register grows."""

    number: int
    count: int

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and zlib.crc32(key.encode()) % self.count == self.number

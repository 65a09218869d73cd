"""The build manifest: what the previous build was made from, so a rebuild redoes only changes.

Kept beside the output (``.credsite-cache/<output>.json``), never inside it: it lists every
credential ID, and the published site must not. A rebuild compares:

- the *site key*: a hash of the generator's code, the templates, ``site.yaml``, the catalog, the
  pages and the static files. If it changed, everything is rebuilt from scratch;
- each award batch's size and modification time (then its bytes), and each credential's line hash
  together with its revocation note. Only new or changed credentials are verified and rendered.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = 1


def tree_digest(paths: list[Path], root: Path | None = None) -> str:
    """A hash over files' names and bytes (sorted), for change detection."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        name = str(path.relative_to(root)) if root else str(path)
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []


def site_key(content: Path, templates: Path, links: str = "web") -> str:
    """What every page is made of: the code, templates, site, catalog, pages, static files and
    the kind of links (``web`` or ``portable``)."""
    code = Path(__file__).resolve().parent.parent  # the whole credsite package
    parts = [
        links,
        tree_digest(sorted(code.rglob("*.py")), code),
        tree_digest(files_under(templates), templates),
        tree_digest([p for p in [content / "site.yaml"] if p.is_file()], content),
        tree_digest(files_under(content / "credentials"), content),
        tree_digest(files_under(content / "pages"), content),
        tree_digest(files_under(content / "static"), content),
    ]
    return hashlib.sha256("".join(parts).encode()).hexdigest()


def line_key(raw: bytes, note: str | None) -> str:
    """What a credential page is made of, besides the site: its line and its revocation note."""
    return hashlib.sha256(raw + b"\0" + (note or "").encode()).hexdigest()[:20]


@dataclass
class BatchState:
    size: int
    mtime_ns: int
    lines: dict[str, str]  # credential ID → line key

    @staticmethod
    def stat_of(path: Path) -> tuple[int, int]:
        st = os.stat(path)
        return st.st_size, st.st_mtime_ns


@dataclass
class Manifest:
    site_key: str = ""
    batches: dict[str, BatchState] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)  # revocation notes shown on pages

    @staticmethod
    def path_for(out: Path) -> Path:
        return out.parent / ".credsite-cache" / f"{out.name}.json"

    @classmethod
    def load(cls, out: Path) -> Manifest | None:
        path = cls.path_for(out)
        try:
            data: dict[str, Any] = json.loads(path.read_bytes())
            if data.get("format") != FORMAT or not out.is_dir():
                return None
            batches = {name: BatchState(b["size"], b["mtime_ns"], b["lines"])
                       for name, b in data["batches"].items()}
            return cls(data["site_key"], batches, data["notes"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, out: Path) -> None:
        path = self.path_for(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"format": FORMAT, "site_key": self.site_key,
                "batches": {name: b.__dict__ for name, b in sorted(self.batches.items())},
                "notes": self.notes}
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, path)

    @staticmethod
    def remove(out: Path) -> None:
        Manifest.path_for(out).unlink(missing_ok=True)

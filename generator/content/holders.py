"""Holder pages' inputs: who holds what (from the private register) and who opted out.

A holder page lists every credential the issuer gave one person, at ``/h/<holder key>``: the
random key of the register (docs/design.md, "Register of holders"), so the address reveals
nothing and cannot be guessed or derived from a credential page. Pages are on by default; a site
turns them off in ``site.yaml`` (``holder_pages: false``), or links each credential page to its
holder's page (``holder_pages: linked``); a holder opts out in ``content/holders.yaml``::

    # holder keys whose page is not published (the holder asked; see the register)
    opt_out:
      - H3XK9QW2M7RT4VNPA

Withdrawn credentials (``credsite withdraw``) are left out. Holders are grouped by key only: the
register gives one key to one e-mail address, or the key named in the CSV.
"""

from __future__ import annotations

import hashlib
from collections.abc import Container, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

from credsite.content.register import (
    HolderRecord,
    is_holder_key,
    read_register_file,
    register_files,
)
from credsite.content.yamlfiles import load_yaml_file
from credsite.errors import ContentError
from credsite.trust.timestamps import format_timestamp, parse_timestamp

OPT_OUT_FILE = "holders.yaml"
SETTINGS = {True: "on", False: "off", "linked": "linked"}


@dataclass(frozen=True)
class HolderSettings:
    mode: str  # "on" (default), "off" or "linked" (credential pages link their holder's page)
    opted_out: frozenset[str]

    @property
    def enabled(self) -> bool:
        return self.mode != "off"


@dataclass(frozen=True)
class HeldCredential:
    id: str
    code: str
    awarded: str  # validFrom, UTC timestamp
    name: str  # the holder's name as this credential's record has it (spellings may differ)


@dataclass
class Holder:
    key: str
    name: str  # as in the newest record (``amend`` changes it there and in the signed record)
    credentials: list[HeldCredential] = field(default_factory=list)

    def digest(self, notes: dict[str, str]) -> str:
        """What the page is made of besides the site: name, credentials and revocation notes."""
        parts = [self.key, self.name] + [f"{c.id} {c.code} {c.awarded} {c.name} {notes.get(c.id, '')}"
                                         for c in sorted(self.credentials, key=lambda c: c.id)]
        return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:20]


def load_holder_settings(content: Path) -> HolderSettings:
    site_yaml = content / "site.yaml"
    data = load_yaml_file(site_yaml) if site_yaml.is_file() else {}
    value = data.get("holder_pages", True) if isinstance(data, dict) else True
    if value not in SETTINGS:
        raise ContentError(f"holder_pages must be true, false or linked, not {value!r}",
                           where=str(site_yaml))
    opted_out: set[str] = set()
    path = content / OPT_OUT_FILE
    if path.is_file():
        listed = load_yaml_file(path)
        keys = listed.get("opt_out") if isinstance(listed, dict) else None
        if keys is None:
            keys = []
        if not isinstance(keys, list):
            raise ContentError("'opt_out' must be a list of holder keys", where=str(path))
        for key in keys:
            if not isinstance(key, str) or not is_holder_key(key.strip().upper()):
                raise ContentError(f"{key!r} in opt_out is not a holder key (H + 16 characters; "
                                   "see credsite find)", where=str(path))
            opted_out.add(key.strip().upper())
    return HolderSettings(SETTINGS[value], frozenset(opted_out))


class HolderCollector:
    """Groups register records into holders: less withdrawn credentials and opted-out holders;
    with ``keys``, only those holders."""

    def __init__(self, settings: HolderSettings, keys: Container[str] | None = None) -> None:
        self.settings, self.keys = settings, keys
        self.holders: dict[str, Holder] = {}
        # The page takes the name of the newest record: signed last, then awarded last. Not the
        # last in file order: register files made in the same second sort by a random suffix.
        self._newest: dict[str, tuple[str, str]] = {}

    def add(self, records: Iterable[HolderRecord]) -> None:
        if not self.settings.enabled:
            return
        holders, newest, keys = self.holders, self._newest, self.keys
        for record in records:
            if record.state == "withdrawn" or record.holder in self.settings.opted_out:
                continue
            if keys is not None and record.holder not in keys:
                continue
            when = (_utc(record.issued), _utc(record.awarded))
            holder = holders.get(record.holder)
            if holder is None:
                holder = holders[record.holder] = Holder(record.holder, record.name)
                newest[record.holder] = when
            elif when >= newest[record.holder]:
                holder.name, newest[record.holder] = record.name, when
            holder.credentials.append(HeldCredential(record.id, record.code, record.awarded,
                                                     record.name))


def load_holders(content: Path, settings: HolderSettings, keys: AbstractSet[str] | None = None,
                 files: Iterable[Path] | None = None) -> dict[str, Holder]:
    """Every holder with a page, by key: the register's records, less withdrawn and opted out.

    ``keys``: only these holders (an incremental build), read from ``files`` only (by default
    every register file), without parsing the other holders' lines."""
    collector = HolderCollector(settings, keys)
    if settings.enabled:
        for path in register_files(content) if files is None else files:
            collector.add(read_register_file(path, keys))
    return collector.holders


def _utc(timestamp: str) -> str:
    """A register timestamp in one sortable form (UTC, seconds), or as it is if it is not one."""
    try:
        return format_timestamp(parse_timestamp(timestamp))
    except ValueError:
        return timestamp

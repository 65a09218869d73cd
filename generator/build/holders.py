"""Holder pages: ``/h/<holder key>``, every credential of one person (issue 18).

Each page lists the holder's credentials grouped as the catalog groups them ("Machining Level I
— 4 of 11", the missing ones named), with one QR code for a résumé; the browser fetches and
verifies every credential (``holder-page.js``) and gives each its own verdict. The page is
``noindex``, in no sitemap and linked from nowhere (unless ``holder_pages: linked``: then each
credential page links its holder's): only those given the link find it.

A rebuild renders only the holders named by changed register files or by credentials whose
revocation note changed, and reads only the register files that name them (``holderstate``: a
record of what the pages were made from, kept beside the build manifest, never published); pages
of holders who are gone are deleted. A full build writes them all; holder pages go through the
slot cache (:class:`HolderPages`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from credsite.build.holderstate import (
    FileEntry,
    HolderState,
    Part,
    changed_notes,
    settings_digest,
)
from credsite.build.qr import qr_svg
from credsite.build.render import Renderer
from credsite.build.slotcache import SlotTemplate
from credsite.content.catalog import CatalogEntry
from credsite.content.holders import (
    HeldCredential,
    Holder,
    HolderCollector,
    HolderSettings,
    load_holder_settings,
    load_holders,
)
from credsite.content.register import read_register_file, register_files, scan_fields
from credsite.trust.timestamps import parse_timestamp

# A full build holds the holders of at most this many bytes of register at once (part by part):
# about 140,000 records, some 50 MB of holder objects.
PART_BYTES = 64 * 2**20


def holder_path(key: str) -> str:
    """The site path of a holder page (the file ``h/<key>.html``, as credential pages are)."""
    return f"/h/{key}"


@dataclass
class HolderPlan:
    """The holder pages to write (read as they are written: a full build's come part by part)
    and the pages to remove (``removed``, once the pages are written)."""

    settings: HolderSettings
    write: Iterable[Holder]
    remove: set[str]
    state: HolderState
    stale: set[str] = field(default_factory=set)  # pages to remove unless written again
    written: set[str] = field(default_factory=set)

    @property
    def removed(self) -> set[str]:
        return self.remove | (self.stale - self.written)

    def save(self, out: Path) -> None:
        self.state.save(out)


def forget(out: Path) -> None:
    """Drop the saved state before the output changes (a killed build then rewrites all)."""
    HolderState.forget(out)


def plan_holder_pages(content: Path, out: Path, notes: dict[str, str], *, full: bool) -> HolderPlan:
    """Which holder pages to write and which to remove. A full build (or one without a usable
    saved state) reads the whole register and writes every page; any other build renders only
    the holders named by changed register files or by credentials whose note changed
    (``holderstate``), reading only the register files that name them."""
    settings = load_holder_settings(content)
    digest = settings_digest(settings)
    previous = None if full else HolderState.load(out)
    if previous is None or previous.settings != digest:
        return _plan_all(content, out, notes, settings, digest, full=full)
    files = {path.name: path for path in register_files(content)}
    entries = dict(previous.files)
    affected: set[str] = set()
    for name in previous.files.keys() - files.keys():  # a removed register file
        affected |= entries.pop(name).holders()
    for name, path in files.items():
        entry = entries.get(name)
        if entry is not None and entry.same_file(path):
            continue
        if entry is not None:
            affected |= entry.holders()
        entries[name] = FileEntry.scan(path)
        affected |= entries[name].holders()
    state = HolderState(digest, dict(notes), entries)
    for cred_id in changed_notes(previous.notes, notes):
        key = state.holder_of(cred_id)
        if key is not None:
            affected.add(key)
    if not affected or not settings.enabled:
        return HolderPlan(settings, [], set(), state)
    holders = load_holders(content, settings, affected,
                           [files[name] for name in state.files_naming(affected)])
    return HolderPlan(settings, list(holders.values()), affected - set(holders), state)


def _plan_all(content: Path, out: Path, notes: dict[str, str], settings: HolderSettings,
              digest: str, *, full: bool) -> HolderPlan:
    files = register_files(content)
    entries = {path.name: FileEntry.scan(path) for path in files}
    parts = max(1, -(-sum(e.size for e in entries.values()) // PART_BYTES))

    def holders() -> Iterator[Holder]:
        for number in range(parts):
            collector = HolderCollector(settings, Part(number, parts) if parts > 1 else None)
            for path in files:
                collector.add(read_register_file(path, collector.keys))
            yield from collector.holders.values()

    stale: set[str] = set()
    if not full:  # no record of what was written: rewrite all, and remove what is not ours
        folder = out / "h"
        stale = {p.stem for p in folder.glob("*.html")} if folder.is_dir() else set()
    return HolderPlan(settings, holders(), set(), HolderState(digest, dict(notes), entries), stale)


def holder_links(content: Path) -> dict[str, str]:
    """Credential ID → holder key for ``holder_pages: linked``; empty for any other setting.

    ``content/holders.yaml`` is part of the build's site key (an opt-out then re-renders the
    credential pages, which must stop linking), so this is read once per full build, from the
    register's raw lines (no record objects: about 150 bytes a credential in memory)."""
    settings = load_holder_settings(content)
    if settings.mode != "linked":
        return {}
    links: dict[str, str] = {}
    keys: dict[str, str] = {}  # one string per holder, however many credentials
    for path in register_files(content):
        for key, cred_id, state in scan_fields(path, ("holder", "id", "state")):
            if key and cred_id and state != "withdrawn" and key not in settings.opted_out:
                links[cred_id] = keys.setdefault(key, key)
    return links


def remove_pages(out: Path, keys: set[str]) -> None:
    for key in keys:
        (out / "h" / f"{key}.html").unlink(missing_ok=True)


class HolderPages:
    """Renders holder pages: what every page of a build shares is prepared once (the catalog in
    its order, each type's name and badge as a :class:`Fixed` value), and the pages go through
    the slot cache (:class:`SlotTemplate`: one Jinja2 render per shape of page, which here is
    which groups are held, how many credentials each and which are revoked; then string joins),
    so a page costs a fraction of a Jinja2 render. Holder pages are all in ``/h/``, one level
    down as credential pages are, so the environment's links (made for ``/c/``) are theirs."""

    def __init__(self, catalog: dict[str, CatalogEntry], notes: dict[str, str],
                 renderer: Renderer) -> None:
        self.renderer, self.notes = renderer, notes
        self.entries = sorted(catalog.values(), key=lambda e: (e.category, e.group, e.order, e.code))
        page = holder_path("")
        # Plain text, not Fixed: a Fixed value's identity is part of the shape, and every mix
        # of types would be a shape of its own. Counts are text for the same reason.
        # Escaped once here (Markup), not on every page that names the type.
        self.badges = {e.code: {k: escape(v) for k, v in renderer.badge(e, page).items()}
                       for e in self.entries}
        self.types = {e.code: {"code": escape(e.code), "name": escape(e.name)}
                      for e in self.entries}
        self.template = SlotTemplate(renderer.env.get_template("holder.html"))

    def groups(self, holder: Holder) -> list[dict[str, Any]]:
        """The catalog's groups that hold one of the holder's credentials, in catalog order."""
        held: dict[str, list[HeldCredential]] = {}
        for cred in holder.credentials:
            held.setdefault(cred.code, []).append(cred)
        renderer, page = self.renderer, holder_path(holder.key)
        groups: dict[str, dict[str, Any]] = {}
        for entry in self.entries:
            group = groups.setdefault(entry.group, {"name": entry.group, "total": 0, "held": 0,
                                                    "credentials": [], "missing": []})
            group["total"] += 1
            kind = self.types[entry.code]
            creds = held.get(entry.code)
            if not creds:
                group["missing"].append(kind)
                continue
            group["held"] += 1
            for cred in sorted(creds, key=lambda c: c.awarded, reverse=True):
                note = self.notes.get(cred.id)
                group["credentials"].append({
                    "id": cred.id, "type": kind, "badge": self.badges[entry.code],
                    "href": renderer.link(f"/c/{cred.id}", page),
                    "record": renderer.link(f"/c/{cred.id}.json", page),
                    "awarded_iso": cred.awarded,
                    "awarded": renderer.date(parse_timestamp(cred.awarded)),
                    "revoked": note.split(" ", 1)[-1] if note else "",
                    "holder": cred.name if cred.name != holder.name else "",
                })
        return [{**g, "total": str(g["total"]), "held": str(g["held"])}
                for g in groups.values() if g["held"]]

    def page(self, holder: Holder, *, jinja_only: bool = False) -> bytes:
        """``jinja_only`` skips the slot cache (tests compare the two)."""
        path = holder_path(holder.key)
        url = f"{self.renderer.site.base_url}{path}"
        groups = self.groups(holder)
        render = self.template.template.render if jinja_only else self.template.render
        return render(
            canonical=url, groups=groups, noindex=True, localize=True,
            holder={"name": holder.name, "url": url, "key": holder.key,
                    "count": sum(len(g["credentials"]) for g in groups)},
            qr_svg=Markup(qr_svg(url)),  # noqa: S704 - generated SVG, URL attribute-escaped
        ).encode("utf-8")


def write_holder_pages(staging: Path, plan: HolderPlan, catalog: dict[str, CatalogEntry],
                       notes: dict[str, str], renderer: Renderer) -> int:
    folder = staging / "h"
    pages: HolderPages | None = None
    for holder in plan.write:
        if pages is None:
            folder.mkdir(parents=True, exist_ok=True)
            pages = HolderPages(catalog, notes, renderer)
        (folder / f"{holder.key}.html").write_bytes(pages.page(holder))
        plan.written.add(holder.key)
    return len(plan.written)

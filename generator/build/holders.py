"""Holder pages: ``/h/<holder key>``, every credential of one person (issue 18).

Each page lists the holder's credentials grouped as the catalog groups them ("Machining Level I
— 4 of 11", the missing ones named), with one QR code for a résumé; the browser fetches and
verifies every credential (``holder-page.js``) and gives each its own verdict. The page is
``noindex``, in no sitemap and linked from nowhere (unless ``holder_pages: linked``: then each
credential page links its holder's): only those given the link find it.

A rebuild rewrites only the pages whose inputs changed (name, credentials, revocation notes),
known from a digest per holder kept beside the build manifest (``holders.json`` in
``.credsite-cache/<output>/``, never published: it lists every holder key); pages of holders who
are gone or opted out are deleted. A full build writes them all.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from credsite.build.manifest import Manifest
from credsite.build.qr import qr_svg
from credsite.build.render import Renderer
from credsite.build.slotcache import SlotTemplate
from credsite.content.catalog import CatalogEntry
from credsite.content.holders import (
    HeldCredential,
    Holder,
    HolderSettings,
    load_holder_settings,
    load_holders,
)
from credsite.trust.timestamps import parse_timestamp

STATE_FILE = "holders.json"


def holder_path(key: str) -> str:
    """The site path of a holder page (the file ``h/<key>.html``, as credential pages are)."""
    return f"/h/{key}"


@dataclass
class HolderPlan:
    settings: HolderSettings
    write: list[Holder]
    remove: set[str]
    digests: dict[str, str]

    def save(self, out: Path) -> None:
        folder = Manifest.path_for(out)
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / (STATE_FILE + ".tmp")
        tmp.write_text(json.dumps(self.digests, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, folder / STATE_FILE)


def forget(out: Path) -> None:
    """Drop the saved digests before the output changes (a killed build then rewrites all)."""
    (Manifest.path_for(out) / STATE_FILE).unlink(missing_ok=True)


def plan_holder_pages(content: Path, out: Path, notes: dict[str, str], *, full: bool) -> HolderPlan:
    settings = load_holder_settings(content)
    holders = load_holders(content, settings)
    digests = {key: holder.digest(notes) for key, holder in holders.items()}
    previous: dict[str, str] | None = None
    state = Manifest.path_for(out) / STATE_FILE
    if not full and state.is_file():
        try:
            loaded = json.loads(state.read_text(encoding="utf-8"))
            previous = loaded if isinstance(loaded, dict) else None
        except (OSError, ValueError):
            previous = None
    if previous is None:
        write = list(holders.values())
        remove: set[str] = set()
        if not full:  # no record of what was written: rewrite all, and remove what is not ours
            folder = out / "h"
            existing = {p.stem for p in folder.glob("*.html")} if folder.is_dir() else set()
            remove = existing - set(holders)
    else:
        write = [h for key, h in holders.items() if previous.get(key) != digests[key]]
        remove = set(previous) - set(holders)
    return HolderPlan(settings, write, remove, digests)


def holder_links(content: Path) -> dict[str, str]:
    """Credential ID → holder key for ``holder_pages: linked``; empty for any other setting.

    ``content/holders.yaml`` is part of the build's site key (an opt-out then re-renders the
    credential pages, which must stop linking), so this is read once per full build."""
    settings = load_holder_settings(content)
    if settings.mode != "linked":
        return {}
    return {c.id: key for key, holder in load_holders(content, settings).items()
            for c in holder.credentials}


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
        self.badges = {e.code: renderer.badge(e, page) for e in self.entries}
        self.types = {e.code: {"code": e.code, "name": e.name} for e in self.entries}
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
    if not plan.write:
        return 0
    folder = staging / "h"
    folder.mkdir(parents=True, exist_ok=True)
    pages = HolderPages(catalog, notes, renderer)
    for holder in plan.write:
        (folder / f"{holder.key}.html").write_bytes(pages.page(holder))
    return len(plan.write)

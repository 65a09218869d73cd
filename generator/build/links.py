"""Links in the site's Markdown that lead nowhere: reported as MkDocs reports them.

A catalog entry or page may link to ``/pages/credentialing-process/`` in a site that has no such
page; the build would publish a link to the 404 page without a word. :func:`broken_links` lists
every site link in the Markdown of ``content/credentials/*.md`` and ``content/pages/*.md`` whose
target the build does not publish, with the file and line, so that ``credsite build`` and
``credsite check`` can warn (MkDocs' "contains a link …, but the target is not found") and
``--strict`` can refuse.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown

from credsite.build.badges import badge_paths
from credsite.content.catalog import CatalogEntry
from credsite.content.pages import Page
from credsite.trust.issuer import Site

_TARGET = re.compile(r'(?:href|src)="([^"]*)"')
# Credential pages (/c/<ID>) are named by unguessable IDs and not listed anywhere: a link to one
# is the author's business. Hashed assets change name with their content.
_UNCHECKED_PREFIXES = ("/c/", "/assets/")


@dataclass(frozen=True)
class BrokenLink:
    """A Markdown link in ``source`` (at ``line``) to ``target``, which the site does not have."""

    source: Path
    line: int
    target: str

    def __str__(self) -> str:
        return (f"{self.source}:{self.line}: links to '{self.target}', which is not a page or file "
                "of this site (fix the link, or add the page under content/pages/)")


def published_paths(site: Site, catalog: Iterable[CatalogEntry], pages: Iterable[Page],
                    content: Path) -> set[str]:
    """Every site path the build publishes, as a link may name it (``/pages/fees/``)."""
    base_path = urlsplit(site.base_url).path.rstrip("/")
    paths = {"/", "/credentials/", "/verify/", "/404.html", "/robots.txt", "/sitemap.xml",
             "/keys.json", "/ns/credsite", "/did.json" if base_path else "/.well-known/did.json"}
    for entry in catalog:
        paths.add(f"/credentials/{entry.code}/")
        badges = badge_paths(entry.code, entry.badge, entry.badge_png)
        paths.update((badges.image, badges.png))
    paths.update(page.path for page in pages)
    # the pages of the site's other languages (/es/credentials/ ...)
    paths.update(f"/{language}{path}" for language in site.languages[1:] for path in list(paths)
                 if path == "/" or path.startswith(("/credentials/", "/verify/", "/pages/"))
                 and path.endswith("/"))
    static = content / "static"
    if static.is_dir():
        paths.update("/" + p.relative_to(static).as_posix() for p in static.rglob("*") if p.is_file())
    return paths


def _targets(text: str) -> list[str]:
    """The href and src values of the Markdown ``text``, as the build's Markdown renders them."""
    md = markdown.Markdown(extensions=["tables", "sane_lists"])
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return [unquote(t.replace("&amp;", "&")) for t in _TARGET.findall(md.convert(text))]


def _resolve(target: str, page: str) -> str | None:
    """The site path that ``target`` names on the page at ``page``, or None for other sites,
    e-mail links and fragments of the same page."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    if parts.path.startswith("/"):
        return parts.path
    here = page if page.endswith("/") else page.rsplit("/", 1)[0] + "/"
    resolved = posixpath.normpath(posixpath.join(here, parts.path))
    return resolved + "/" if parts.path.endswith("/") and resolved != "/" else resolved


def _line_of(source: Path, target: str) -> int:
    """The first line of ``source`` that holds ``target`` (1 if it was written otherwise)."""
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1
    return next((n for n, line in enumerate(lines, 1) if target in line), 1)


def broken_links(site: Site, catalog: Iterable[CatalogEntry], pages: Iterable[Page],
                 content: Path) -> list[BrokenLink]:
    """Every site link in the catalog's and the pages' Markdown whose target is not published.

    A link names a page with or without its closing slash (``/pages/fees`` is redirected to
    ``/pages/fees/`` by every static host) and may carry a ``#fragment`` or ``?query``.
    """
    catalog, pages = list(catalog), list(pages)
    known = published_paths(site, catalog, pages, content)
    documents = [(e.source, e.description_md, f"/credentials/{e.code}/") for e in catalog]
    documents += [(p.source, p.body_md, p.path) for p in pages]
    # translations: their links name the same pages (the build leads them to the language's)
    documents += [(e.source, text["description"], f"/credentials/{e.code}/") for e in catalog
                  for text in e.translations.values() if "description" in text]
    documents += [(t.source, t.body_md, p.path) for p in pages for t in p.translations.values()]
    broken = []
    for source, text, page in documents:
        for target in _targets(text):
            path = _resolve(target, page)
            if path is None or path.startswith(_UNCHECKED_PREFIXES):
                continue
            if path in known or f"{path}/" in known:
                continue
            broken.append(BrokenLink(source, _line_of(source, target.split("#")[0]), target))
    return broken

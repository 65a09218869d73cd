"""The site's files other than credential pages: public pages, DID document, key history,
vocabulary, robots.txt, sitemap, assets, badges, static files and the signed status lists.

Everything but the status lists is made only from the site key's inputs (code, templates,
site.yaml, catalog, pages, static files), so a rebuild with the same key keeps the old files.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from markupsafe import Markup

from credsite.build.badges import badge_files
from credsite.build.render import SITE_WORKER, Renderer, schema_org
from credsite.content.audit import VerificationInputs
from credsite.content.freshness import load_statement, statement_path
from credsite.content.pages import Page, PageText
from credsite.content.translations import localize
from credsite.errors import BuildError, ContentError
from credsite.trust.did import VOCABULARY_PATH, did_document, key_history, vocabulary_html
from credsite.trust.freshness import INVALID, STATEMENT_PATH


def _markdown(renderer: Renderer, text: str, path: str, source: Path) -> Markup:
    """Markdown made HTML, an unsafe link reported with the file it is in."""
    try:
        return renderer.markdown(text, path)
    except ContentError as exc:
        raise ContentError(exc.message, where=str(source)) from None

def _write(staging: Path, path: str, data: bytes) -> None:
    target = staging / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def _public_pages(inputs: VerificationInputs, pages: list[Page], renderer: Renderer) -> dict[str, bytes]:
    """Every public (indexable) page by its path, in every language of the site (the default
    language's at the unprefixed paths, another's below ``/<lang>/``)."""
    out: dict[str, bytes] = {}
    for language in inputs.site.languages:
        localized = renderer.for_language(language)
        for path, html in _pages_in(inputs, pages, localized).items():
            out[localized.localize(path)] = html
    return out


def _pages_in(inputs: VerificationInputs, pages: list[Page], renderer: Renderer) -> dict[str, bytes]:
    """The public pages in ``renderer``'s language, by their unprefixed path."""
    catalog = sorted(inputs.catalog.values(), key=lambda e: (e.category, e.group, e.order, e.code))
    default = inputs.site.languages[0]
    texts = {entry.code: localize(entry.texts(), entry.translations, renderer.language, default)
             for entry in catalog}

    def groups(page: str) -> list[dict[str, Any]]:  # the catalog's groups, linked from ``page``
        by_group: dict[str, dict[str, Any]] = {}
        for entry in catalog:
            shown = texts[entry.code]
            group = by_group.setdefault(entry.group, {
                "name": shown.texts["group"], "lang": shown.fallback.get("group", ""),
                "entries": []})
            group["entries"].append({
                "code": entry.code, "name": shown.texts["name"], "level": shown.texts["level"],
                "lang": shown.fallback.get("name", ""),
                "url": renderer.page_url(f"/credentials/{entry.code}/", page),
                "validity_years": entry.validity_years, "badge": renderer.badge(entry, page),
            })
        return list(by_group.values())

    out = {
        "/": renderer.render("home.html", "/", groups=groups("/")),
        "/credentials/": renderer.render("catalog.html", "/credentials/",
                                         groups=groups("/credentials/")),
        "/verify/": renderer.render("verify.html", "/verify/"),
    }
    for entry in catalog:
        path = f"/credentials/{entry.code}/"
        shown = texts[entry.code]
        out[path] = renderer.render(
            "credential_type.html", path, schema_jsonld=schema_org(entry, inputs.site),
            badge=renderer.badge(entry, path),
            entry={**entry.__dict__, **shown.texts,
                   "langs": {key: shown.fallback.get(key, "") for key in shown.texts},
                   "untranslated": renderer.language_name_here(default) if shown.fallback else "",
                   # the signed credential keeps the original name: shown beside a translation
                   "signed_name": entry.name if shown.texts["name"] != entry.name else "",
                   "description_html": _markdown(renderer, shown.texts["description"], path,
                                                 entry.source)},
        )
    for page in pages:
        translation = page.translations.get(renderer.language)
        if renderer.language == default or translation is None:
            original = renderer.language != default
            text = PageText(page.title, page.description, page.body_md, page.source)
        else:
            original, text = False, translation
        out[page.path] = renderer.render(
            "page.html", page.path,
            page={"title": text.title, "description": text.description,
                  "lang": default if original else "",
                  "untranslated": renderer.language_name_here(default) if original else "",
                  "body_html": _markdown(renderer, text.body_md, page.path, text.source)},
        )
    return out


def _sitemap(base_url: str, paths: list[str], renderer: Renderer) -> bytes:
    """sitemap.xml (sitemaps.org 0.9). On a site of several languages each URL lists its
    versions, itself included, and ``x-default`` (the default language's), as ``xhtml:link``
    alternates: Google's "Tell Google about localized versions of your page", sitemap method,
    which says the same as the pages' own ``<link rel="alternate" hreflang>``."""
    prefixes = [f"/{language}/" for language in renderer.site.languages[1:]]
    entries = []
    for path in sorted(paths):
        original = next((path[len(prefix) - 1:] for prefix in prefixes if path.startswith(prefix)),
                        path)
        versions = renderer.alternates(original)
        links = "".join(f'<xhtml:link rel="alternate" hreflang="{v["lang"]}" href="{v["url"]}"/>'
                        for v in versions)
        if versions:
            links += (f'<xhtml:link rel="alternate" hreflang="x-default" '
                      f'href="{versions[0]["url"]}"/>')
        entries.append(f"<url><loc>{base_url}{path}</loc>{links}</url>")
    namespaces = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    if prefixes:
        namespaces += ' xmlns:xhtml="http://www.w3.org/1999/xhtml"'
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {namespaces}>'
            f'{"".join(entries)}</urlset>\n').encode()


def write_status_lists(staging: Path, inputs: VerificationInputs,
                       statement: dict[str, Any] | None) -> None:
    """The signed status lists and the freshness statement over them: the published files that
    change without any page being rendered again (a revocation re-renders one page)."""
    for number, document in inputs.status.documents.items():
        _write(staging, f"/status/{number}",
               json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode())
    if statement is not None:
        _write(staging, STATEMENT_PATH,
               json.dumps(statement, ensure_ascii=False, separators=(",", ":")).encode())


def freshness_statement(content: Path, inputs: VerificationInputs) -> dict[str, Any] | None:
    """The freshness statement to publish; BuildError for one that is not validly signed by a
    freshness key of the site (an expired or outdated one is published: pages then say when
    the status was last confirmed, which is the truth)."""
    statement = load_statement(content) if inputs.site.freshness_keys else None
    freshness = inputs.status.freshness
    if statement is not None and freshness is not None and freshness.code == INVALID:
        raise BuildError(f"{statement_path(content)}: {freshness.reason}; sign a new one with "
                         "'credsite freshness-sign' or delete it")
    return statement


def write_site_files(staging: Path, content: Path, inputs: VerificationInputs, pages: list[Page],
                     renderer: Renderer, assets: dict[str, Any]) -> int:
    """Every file made only from the site key's inputs (so a rebuild may keep the old ones)."""
    public = _public_pages(inputs, pages, renderer)
    for path, html in public.items():
        _write(staging, f"{path}index.html", html)
    others = [{"lang": language, "html": renderer.for_language(language).not_found_text()}
              for language in inputs.site.languages[1:]]
    _write(staging, "/404.html", renderer.render("404.html", "/404.html", other_languages=others))
    for asset in assets.values():
        if renderer.portable and asset.name == SITE_WORKER[1]:
            continue  # a portable copy is opened from files, where no worker runs
        _write(staging, asset.name, asset.data)
    site = inputs.site
    _write(staging, renderer.did_path, json.dumps(did_document(site), indent=2).encode() + b"\n")
    _write(staging, "/keys.json", json.dumps(key_history(site), indent=2).encode() + b"\n")
    _write(staging, f"{VOCABULARY_PATH}.html", renderer.render(  # served at /ns/credsite
        "page.html", VOCABULARY_PATH, page={
            "title": "credsite vocabulary", "description": "The terms of the issuer's key list.",
            "body_html": vocabulary_html(site, renderer.link(renderer.did_path, VOCABULARY_PATH),
                                         renderer.link("/keys.json", VOCABULARY_PATH))}))
    # /c/ stays crawlable: search engines must fetch a credential page to see its noindex.
    _write(staging, "/robots.txt",
           f"User-agent: *\nDisallow: {renderer.base_path}/status/\n"
           f"Sitemap: {site.base_url}/sitemap.xml\n".encode())
    _write(staging, "/sitemap.xml", _sitemap(site.base_url, list(public), renderer))
    _write(staging, "/.nojekyll", b"")
    _write(staging, "/_headers", renderer.headers_file())
    for badge_path, data in badge_files(inputs.catalog.values()):
        _write(staging, badge_path, data)
    static = content / "static"
    if static.is_dir():
        shutil.copytree(static, staging, dirs_exist_ok=True)
    return len(public)

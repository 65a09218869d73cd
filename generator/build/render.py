"""Rendering pages with Jinja2 (autoescape on) from the ``templates/`` folder."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import importlib.resources
import json
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html import unescape as html_unescape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import babel
import babel.dates
import jinja2
import markdown
import rcssmin  # type: ignore[import-untyped]
from markupsafe import Markup, escape

from credsite.build.badges import badge_paths
from credsite.build.browsertext import Text, asset_name, configure_line, messages_script
from credsite.build.compact import compact_template
from credsite.build.qr import qr_svg
from credsite.build.scriptmin import minified_scripts
from credsite.build.slotcache import Fixed, SlotTemplate
from credsite.content.catalog import CatalogEntry
from credsite.content.languages import translations
from credsite.content.site import Site
from credsite.content.status import Revocation
from credsite.content.urlschemes import unsafe_links
from credsite.errors import BuildError, ContentError
from credsite.trust.freshness import STATEMENT_PATH
from credsite.trust.ids import check_symbol, format_credential_id
from credsite.trust.names import holder_name
from credsite.trust.timestamps import format_timestamp, parse_timestamp

ASSETS = {"css": "site.css"}
# The credential pages' stylesheet: site.css without its parts between these two comments (the
# catalog's, tables', holder page's and verify page's rules), a fifth fewer bytes before the verdict.
NOT_ON_CREDENTIAL_PAGES = re.compile(r"/\* \[not on credential pages\] \*/.*?/\* \[end\] \*/", re.S)
# The same in the scripts that credential pages share with the verify and holder pages: the lines
# from `// [not on credential pages]` to `// [end]` (helpers only those pages or the tests call)
# are left out of the credential page's script (issue 20: bytes before the verdict).
JS_NOT_ON_CREDENTIAL_PAGES = re.compile(
    r"^[ \t]*// \[not on credential pages\].*?^[ \t]*// \[end\][^\n]*\n", re.S | re.M)
CREDENTIAL_PAGE = "/c/"  # where credential pages are, for their links
# Each page that verifies loads one script: one request, one <script> tag, and only the code that
# page needs (an employer on a slow phone waits for every byte; README "Scale"). Each part is an
# IIFE that does nothing on a page without its elements. A credential page's script verifies and
# then loads the sharing tools, the baked-badge downloads and the e-mail check as one more script
# (tools-loader.js, CREDENTIAL_TOOLS), so they do not delay the verdict. Each page script starts
# with i18n.js (every other part writes its texts through it) and the build's languages line.
PAGE_SCRIPTS = {
    "credential_js": ("credential", ("i18n.js", "verifier-core.js", "verifier-page.js",
                                     "cert-verdict.js", "tools-loader.js")),
    "verify_js": ("verify", ("i18n.js", "verifier-core.js", "verifier-page.js", "verify-upload.js",
                             "email-check.js", "verify-lookup.js", "badge-bake.js", "verify-batch.js")),
    "holder_js": ("holder", ("i18n.js", "verifier-core.js", "holder-page.js")),
}
# Site paths that exist once per language (``/es/credentials/``): the home page, the catalog,
# /verify/ and the plain pages. Credential pages, assets, records and keys exist once.
LOCALIZED_PATHS = ("/credentials/", "/verify/", "/pages/")
CREDENTIAL_TOOLS = ("credential-tools", ("share.js", "email-check.js", "badge-bake.js", "worker-register.js"))
# Loaded by i18n.js only on a site of several languages: before the page check for a reader of
# another language than the page's (labels, dates, the name's translation), after it for the switch.
I18N_PAGE = "i18n-page.js"
# The site worker (docs/design.md, "The site worker"): one fixed, unhashed URL at the base path, so
# that its scope is the whole site and browsers find its updates; web builds only.
SITE_WORKER = ("site-worker.js", "/sw.js")
# The verifier's explanations of checks that did not pass, written later on credential pages
# (i18n.js, "Texts written later"): in the credential page's script each `_('text'` of this part
# that is a whole message (followed by `,` or `)`) becomes `_(n` and the texts go to the file
# /assets/i18n-later.<hash>.js, which a page loads only to show a result that needs one.
LATER_PART = "verifier-core.js"
# In i18n.js where it writes placeholders: a site's own copy of older templates does not, and
# its credential page's script keeps every text.
LATER_SUPPORT = "placeholder(msgid, values)"
_LATER_CALL = re.compile(r"""\b_\(\s*('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")(?=\s*[,)])""")
_JS_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.S)
_JS_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
TOOLS_FILE_MARK = b"CREDSITE_TOOLS_FILE"  # in tools-loader.js, replaced by the tools' file name
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                   "\u2028": "\\u2028", "\u2029": "\\u2029"}


def default_templates() -> Path:
    """credsite's own templates, shipped inside the package (``credsite.templates``).

    In a wheel they are files under site-packages; in a clone (editable install) the package maps
    to the repository's ``templates/`` folder. Jinja2 needs a real folder, so a package loaded
    from a zip file is not supported (nothing installs credsite that way).
    """
    folder = Path(str(importlib.resources.files("credsite.templates")))
    if not (folder / "credential.html").is_file():
        raise BuildError(f"credsite's templates are missing from {folder}: reinstall credsite")
    return folder


def script_json(text: str) -> Markup:
    """JSON text made safe inside ``<script type="application/ld+json">``.

    ``<``, ``>`` and ``&`` can only occur inside JSON strings, where ``\\u003c`` etc. denote the
    same characters, so the parsed value is unchanged and the text cannot close the element.
    """
    for raw, escaped in _SCRIPT_ESCAPES.items():
        text = text.replace(raw, escaped)
    return Markup(text)  # noqa: S704 - escaped above for the script-data context


def markdown_html(text: str, link: Callable[[str], str] | None = None) -> Markup:
    """Markdown to HTML; raw HTML in the source is escaped, not passed through.

    Site-relative links and images (``/pages/fees/``) become ``link(path)``: the base path of a
    site served below the root, or a relative link in a portable build.
    """
    md = markdown.Markdown(extensions=["tables", "sane_lists"],
                           extension_configs={"tables": {"use_align_attribute": True}})
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    html = md.convert(text)
    bad = unsafe_links(html)
    if bad:
        raise ContentError(f"link {bad[0]!r}: only http, https and mailto links (and site paths) "
                           "are allowed in content")
    if link is not None:
        html = re.sub(r'(href|src)="(/(?!/)[^"]*)"',
                      lambda m: f'{m[1]}="{escape(link(html_unescape(m[2])))}"', html)
    return Markup(html)  # noqa: S704 - raw HTML disabled above


@dataclass(frozen=True)
class Asset:
    name: str  # published path, e.g. /assets/site.3f2a9c1d0b.css
    data: bytes


def hashed_assets(templates: Path, languages: tuple[str, ...] = ("en",),
                  messages: Mapping[str, Mapping[str, Text]] | None = None,
                  cache: Path | None = None) -> dict[str, Asset]:
    """The CSS and JS files under content-hashed names (safe to cache forever), minified.

    Minified means comments and layout whitespace removed, and in the scripts each function's
    local names shortened (:mod:`credsite.build.scriptmin`; the stylesheet by rcssmin); static hosts compress
    text, and this still takes about two fifths off the compressed bytes. The sources in
    ``templates/assets`` stay commented and are what the tests and reviewers read.

    ``languages``: the site's languages, the default first; ``messages``: for each of them but
    English (the scripts' own), the browser's translations (:mod:`credsite.build.browsertext`),
    published as ``/assets/i18n/<lang>.<hash>.js`` (asset key ``i18n-<lang>``) and named in
    the page scripts, which load one only for a reader of that language. A site of several
    languages also gets ``/assets/i18n-page.<hash>.js`` (key ``i18n_page_js``: a page's own text
    translated, the language switch), which the page scripts load only when they need it, so
    that a reader in the page's language compiles none of it before the verdict. ``cache``:
    the file that keeps minified scripts between builds (:mod:`credsite.build.scriptmin`).
    """
    assets: dict[str, Asset] = {}
    for lang, texts in sorted((messages or {}).items()):
        if lang in languages and lang != "en":
            data = messages_script(lang, texts)
            assets[f"i18n-{lang}"] = Asset(asset_name(lang, data), data)
    # Scripts are minified in two rounds of one child process each (build/scriptmin.py): the page
    # scripts name the other scripts' files, whose names are their minified bytes' hashes.
    tools_stem, tools_parts = CREDENTIAL_TOOLS
    multilingual = len(languages) > 1  # the page's own translation and the language switch
    # The site worker (web builds only: write_site_files leaves it out of a portable one), where
    # the templates have it (a site's own copy of older templates may not: its pages then
    # register a worker that does not exist, which fails harmlessly).
    worker = templates / "assets" / SITE_WORKER[0]
    worker_source = [worker.read_text(encoding="utf-8")] if worker.is_file() else []
    tools_data, *rest = _minified(
        bundle_source(templates, tools_parts), *worker_source,
        *([bundle_source(templates, (I18N_PAGE,))] if multilingual else []), cache=cache)
    if worker_source:
        assets["site_worker"] = Asset(SITE_WORKER[1], rest.pop(0))
    page_text_data = rest
    tools = _hashed(tools_stem, "js", tools_data)
    assets["credential_tools_js"] = tools
    page_text = None
    if page_text_data:
        page_text = _hashed("i18n-page", "js", page_text_data[0])
        assets["i18n_page_js"] = page_text
    later = None
    if writes_later(templates):
        later = _hashed("i18n-later", "js", later_script(
            written_later(credential_part(templates, LATER_PART))[1]))
        assets["i18n_later_js"] = later
    configure = configure_line(languages, {key.removeprefix("i18n-"): asset.name
                                           for key, asset in assets.items() if key.startswith("i18n-")},
                               page_text.name if page_text else None, later.name if later else None)
    for key, filename in ASSETS.items():
        source = (templates / "assets" / filename).read_text(encoding="utf-8")
        assets[key] = _hashed(Path(filename).stem, "css", _minified_css(source))
        if key == "css":
            assets["credential_css"] = _hashed(
                "credential", "css", _minified_css(NOT_ON_CREDENTIAL_PAGES.sub("", source)))
    page_scripts = _minified(*(bundle_source(templates, parts, configure,
                                             credential_page=key == "credential_js")
                               for key, (_, parts) in PAGE_SCRIPTS.items()), cache=cache)
    for (key, (stem, _)), data in zip(PAGE_SCRIPTS.items(), page_scripts, strict=True):
        if TOOLS_FILE_MARK in data:
            data = data.replace(TOOLS_FILE_MARK, posixpath.basename(tools.name).encode("ascii"))
        assets[key] = _hashed(stem, "js", data)
    return assets


def writes_later(templates: Path) -> bool:
    """Whether the templates' i18n.js writes texts later (:data:`LATER_SUPPORT`)."""
    return LATER_SUPPORT in (templates / "assets" / "i18n.js").read_text(encoding="utf-8")


def js_string(literal: str) -> str:
    """The value of a JavaScript string literal in single or double quotes."""
    def unescape(match: re.Match[str]) -> str:
        code = match[1]
        if code[0] in "ux" and len(code) > 1:
            return chr(int(code[1:].strip("{}"), 16))
        return _JS_ESCAPES.get(code, "" if code == "\n" else code)
    return _JS_ESCAPE.sub(unescape, literal[1:-1])


def credential_part(templates: Path, part: str) -> str:
    """The script ``part`` as the credential page's script holds it: without the lines marked
    ``// [not on credential pages]``. Its texts written later are numbered in this text."""
    return JS_NOT_ON_CREDENTIAL_PAGES.sub("", (templates / "assets" / part).read_text(encoding="utf-8"))


def written_later(source: str) -> tuple[str, list[str]]:
    """``source`` with each whole-message ``_('text'`` made ``_(n``, and the texts by ``n``
    (one number for a text written twice). The numbers depend on the whole source: the
    credential page's script and its file of texts are both made from
    :func:`credential_part` of :data:`LATER_PART`."""
    texts: dict[str, int] = {}

    def number(match: re.Match[str]) -> str:
        return f"_({texts.setdefault(js_string(match[1]), len(texts))}"
    return _LATER_CALL.sub(number, source), list(texts)


def later_script(texts: list[str]) -> bytes:
    """The file of texts written later: one call of ``CredsiteI18n.later``."""
    return f"CredsiteI18n.later({json.dumps(texts, ensure_ascii=False, separators=(',', ':'))});\n".encode()


def _hashed(stem: str, ext: str, data: bytes) -> Asset:
    digest = hashlib.sha256(data).hexdigest()[:10]
    return Asset(f"/assets/{stem}.{digest}.{ext}", data)


def _minified_css(source: str) -> bytes:
    return str(rcssmin.cssmin(source)).encode("utf-8")


def script_bundle(templates: Path, parts: tuple[str, ...], configure: bytes = b"", *,
                  credential_page: bool = False) -> bytes:
    """The named scripts of ``templates/assets`` as one minified script (:func:`bundle_source`)."""
    return _minified(bundle_source(templates, parts, configure, credential_page=credential_page))[0]


def bundle_source(templates: Path, parts: tuple[str, ...], configure: bytes = b"", *,
                  credential_page: bool = False) -> str:
    """The named scripts of ``templates/assets`` as one script, not yet minified (each part ends
    in ``;`` so that no part's last statement runs into the next part's IIFE); ``configure`` (the
    languages line) right after ``i18n.js``. ``credential_page``: without the parts marked
    ``// [not on credential pages]`` (:data:`JS_NOT_ON_CREDENTIAL_PAGES`), and with the
    verifier's explanations written later (:func:`written_later`) where the templates' i18n.js
    writes them (:func:`writes_later`)."""
    chunks = []
    later = credential_page and LATER_PART in parts and writes_later(templates)
    for part in parts:
        if credential_page:
            text = credential_part(templates, part)
            if later and part == LATER_PART:
                text = written_later(text)[0]
        else:
            text = (templates / "assets" / part).read_text(encoding="utf-8")
        chunks.append(text.rstrip() + ";")
        if part == "i18n.js" and configure:
            chunks.append(configure.decode("utf-8").rstrip())
    return "\n".join(chunks)


def _minified(*sources: str, cache: Path | None = None) -> list[bytes]:
    return [(text + "\n").encode("utf-8") for text in minified_scripts(sources, cache)]


class CompactLoader(jinja2.FileSystemLoader):
    """Templates without indentation and without line breaks that render nothing (compact.py):
    a few hundred bytes less per page, nothing visible changes."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        source, filename, uptodate = super().get_source(environment, template)
        return compact_template(source), filename, uptodate


class Renderer:
    """Renders every page type; shared by the build's main process and its workers.

    Links: a web build links to site paths (``/credentials/``, below the base path of a site
    served below the root). A *portable* build links relatively and names the files
    (``../credentials/index.html``, ``c/<ID>.html``), so that the site also works opened from
    files: a copy on a USB stick or from a zip. The template globals ``url()``, ``assets``,
    ``did_url``, ``root_url`` and ``page_path`` are those of a credential page (the page type
    rendered through the slot cache); :meth:`render` passes every other page its own.
    """

    def __init__(self, site: Site, templates: Path, assets: dict[str, Asset],
                 nav: list[dict[str, str]], pages: frozenset[str] = frozenset(), *,
                 portable: bool = False, language: str | None = None) -> None:
        self.site = site
        self.portable = portable
        self.base_path = urlsplit(site.base_url).path.rstrip("/")
        self.assets = assets
        self._setup = (templates, nav, pages)
        # The language of the pages this renderer writes; the default (first) language's pages
        # are at the unprefixed paths, another's below /<lang>/ (LOCALIZED_PATHS only).
        self.language = language or site.languages[0]
        self.prefix = "" if self.language == site.languages[0] else f"/{self.language}"
        self.locale = babel.Locale.parse(self.language, sep="-")
        self._dates: dict[dt.date, str] = {}  # date → its text in this language
        self._preload_hrefs: dict[str, str] = {}  # site path → escaped href on a credential page
        self.env = jinja2.Environment(
            loader=CompactLoader(str(templates)),
            autoescape=True, trim_blocks=True, lstrip_blocks=True,
            undefined=jinja2.StrictUndefined, extensions=["jinja2.ext.i18n"],
        )
        # {% trans %} blocks are whitespace-trimmed (one msgid per sentence however it is
        # wrapped), and _() is "newstyle": autoescaped, with %(name)s placeholders (babel.cfg
        # extracts them the same way).
        self.env.policies["ext.i18n.trimmed"] = True
        self.translations = translations(self.language)
        self.env.install_gettext_translations(self.translations, newstyle=True)  # type: ignore[attr-defined]
        self.gettext = self.translations.gettext
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(site.base_url))
        csp = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
               f"connect-src 'self' {origin}; base-uri 'none'; form-action 'self'; "
               "object-src 'none'")
        self.csp = csp
        self.env.globals.update(
            noindex=False, compact=False, lang=self.language, localize=False, site_text_lang="",
            site=site, nav=nav, pages=pages,
            csp=Markup(str(escape(csp)).replace("&#39;", "'")),  # noqa: S704 - quotes kept for "..."
            **self.page_links(CREDENTIAL_PAGE),
        )
        self._credential = SlotTemplate(self.env.get_template("credential.html"))
        self._types: dict[str, Fixed] = {}
        # With ``holder_pages: linked`` (site.yaml), credential ID → holder key: the credential
        # page links its holder's page. Empty otherwise: a holder page's address is then not
        # derivable from a credential page.
        self.holder_links: dict[str, str] = {}

    def for_language(self, language: str) -> Renderer:
        """A renderer of the same site for ``language`` (one of the site's languages)."""
        if language == self.language:
            return self
        templates, nav, pages = self._setup
        # a menu item's title in the language (``title:es``), else the original, marked with its lang
        default = self.site.languages[0]
        nav = [{"title": item.get(f"title:{language}", item["title"]), "url": item["url"],
                "lang": "" if language == default or f"title:{language}" in item else default}
               for item in nav]
        given = self.site.translations.get(language, {})
        site = dataclasses.replace(self.site, title=given.get("title", self.site.title),
                                   issuer_description=given.get("description",
                                                                self.site.issuer_description))
        other = Renderer(site, templates, self.assets, nav, pages, portable=self.portable,
                         language=language)
        # the issuer's description where it is the original's: marked with its language
        other.env.globals["site_text_lang"] = "" if "description" in given else default
        other.holder_links = self.holder_links
        return other

    def localize(self, path: str) -> str:
        """The site path of ``path`` in this renderer's language: ``/es/verify/`` for
        ``/verify/`` in Spanish; paths that exist once (credential pages, assets) unchanged."""
        return self.prefix + path if self.prefix and is_localized(path) else path

    def date(self, moment: dt.datetime | dt.date) -> str:
        """A date as written in this language (Babel's CLDR ``long`` format, in UTC):
        ``March 14, 2026``, ``14 de marzo de 2026``. Pages keep the ISO value beside it in
        ``<time datetime>``, which is what page checks compare."""
        day = moment.astimezone(dt.UTC).date() if isinstance(moment, dt.datetime) else moment
        text = self._dates.get(day)
        if text is None:  # Babel takes about 15 µs a date: once per day, not once per page
            text = self._dates[day] = babel.dates.format_date(day, format="long", locale=self.locale)
        return text

    def language_name_here(self, language: str) -> str:
        """``language``'s name in this renderer's language (``inglés`` on a Spanish page)."""
        return str(self.locale.languages.get(language.replace("-", "_"), language))

    def alternates(self, path: str) -> list[dict[str, str]]:
        """The same page in every language of the site (``hreflang`` links and the language
        switch): tag, the language's own name, href on the page ``path`` and absolute URL."""
        if not is_localized(path) or len(self.site.languages) < 2:
            return []
        found = []
        for language in self.site.languages:
            target = path if language == self.site.languages[0] else f"/{language}{path}"
            found.append({"lang": language, "name": language_name(language),
                          "href": self.link(target, self.localize(path)),
                          "url": f"{self.site.base_url}{target}"})
        return found

    def headers_file(self) -> bytes:
        """``_headers`` for hosts that read it (Netlify, Cloudflare Pages): the pages' CSP as a
        header, with what a ``<meta>`` CSP cannot say (CSP 3 §6.1: ``frame-ancestors`` is ignored
        there): no page of the site may be shown in a frame (``X-Frame-Options`` for old
        browsers). A framed page is never Verified either way (docs/design.md, ``origin``).

        Caching (RFC 9111): the DID document, the status lists and the freshness statement are
        ``no-cache`` (a browser may keep them but revalidates before each use, so a page's
        preload of them comes from the server and the verifier need not fetch them again); the
        assets have content-hashed names, so a browser keeps them for a year without asking.
        """
        fresh = "  Cache-Control: no-cache\n"
        return (
            "# Read by Netlify and Cloudflare Pages; other hosts ignore it (README, Security).\n"
            "/*\n"
            f"  Content-Security-Policy: {self.csp}; frame-ancestors 'none'\n"
            "  X-Frame-Options: DENY\n"
            "  X-Content-Type-Options: nosniff\n"
            f"{self.did_path}\n{fresh}"
            f"/status/*\n{fresh}"
            "/assets/*\n"
            "  Cache-Control: public, max-age=31536000, immutable\n"
        ).encode()

    @property
    def did_path(self) -> str:
        """Where did:web resolution looks (did:web §3.2): a path's own did.json, or .well-known."""
        return "/did.json" if self.base_path else "/.well-known/did.json"

    def link(self, path: str, page: str = "/") -> str:
        """The href, on the page at site path ``page``, of site path ``path`` (``#`` allowed)."""
        if not self.portable:
            return f"{self.base_path}{path}"
        target, mark, fragment = path.partition("#")
        if target.endswith("/"):
            target += "index.html"
        elif "." not in target.rsplit("/", 1)[-1]:
            target += ".html"  # /c/<ID> is the file c/<ID>.html
        here = page if page.endswith("/") else page.rsplit("/", 1)[0] + "/"
        return posixpath.relpath(target, here) + mark + fragment

    def page_links(self, page: str) -> dict[str, Any]:
        """The link globals of the page at site path ``page`` (unprefixed: the page's own path
        is ``localize(page)``); ``url()`` links the pages of this language."""
        here = self.localize(page)

        def link(path: str) -> str:
            return self.link(self.localize(path), here)

        root = link("/")
        return {"url": link, "page_path": page, "alternates": self.alternates(page),
                "root_url": root.removesuffix("index.html") if self.portable else root,
                "assets": {k: self.link(a.name, here) for k, a in self.assets.items()},
                "did_url": self.link(self.did_path, here),
                # The verdict banner shows the pinned site's logo, never a credential's image.
                "logo_url": self.link(self.site.logo, here) if self.site.logo else None}

    def markdown(self, text: str, page: str) -> Markup:
        """Markdown text shown on the page at site path ``page``, its site links made hrefs (to
        the pages of this language)."""
        here = self.localize(page)
        return markdown_html(text, lambda path: self.link(self.localize(path), here))

    def page_url(self, path: str, page: str) -> str:
        """The href, on the page ``page`` of this language, of the page ``path`` in it."""
        return self.link(self.localize(path), self.localize(page))

    def badge(self, entry: CatalogEntry, page: str = "/") -> dict[str, str]:
        """The badge of a credential type: ``src`` for ``<img>`` on ``page``, ``png`` (absolute,
        for og:image), ``alt`` text."""
        paths = badge_paths(entry.code, entry.badge, entry.badge_png)
        return {"src": self.link(paths.image, self.localize(page)),
                "png": f"{self.site.base_url}{paths.png}",
                "alt": self.gettext("Badge: %(name)s (%(code)s)") % {"name": entry.name,
                                                                     "code": entry.code}}

    def render(self, template: str, path: str, **context: Any) -> bytes:
        """The page at site path ``path`` (unprefixed) in this renderer's language."""
        canonical = f"{self.site.base_url}{self.localize(path)}"
        html = self.env.get_template(template).render(
            canonical=canonical, **self.page_links(path), **context)
        return html.encode("utf-8")

    def not_found_text(self) -> Markup:
        """The 404 page's text and links in this renderer's language, for the 404 page of the
        default language to carry as well (hosts serve one ``404.html`` for every address)."""
        macros = self.env.get_template("_macros.html").module
        return Markup(macros.not_found(self.page_links("/404.html")["url"], 2))  # type: ignore[attr-defined]  # noqa: S704 - autoescaped macro output

    def credential_page(self, credential: dict[str, Any], raw_json: str, entry: CatalogEntry,
                        revocation: Revocation | None = None, *, jinja_only: bool = False) -> bytes:
        """The credential page. ``jinja_only`` skips the slot cache (tests compare the two)."""
        url = credential["id"]
        cred_id = url.rsplit("/", 1)[-1]
        check = check_symbol(cred_id)
        subject = credential["credentialSubject"]
        achievement = subject["achievement"]
        results_by_part = {
            str(r.get("resultDescription", "")).rsplit("#", 1)[-1]: r
            for r in subject.get("result") or [] if isinstance(r, dict)
        }
        kind = self._type_view(entry)
        results = [{"exam": kind["exams"][part], "value": str(results_by_part[part].get("value", ""))}
                   for part in ("performance", "theory") if part in results_by_part]
        valid_from = parse_timestamp(credential["validFrom"])
        until = credential.get("validUntil")
        valid_until = parse_timestamp(until) if until else None
        source = subject.get("source")
        cred = {
            "id": cred_id, "id_typed": f"{format_credential_id(cred_id)}-{check}", "check": check,
            "url": url,
            # The caption's link to the page itself: its path on the web (the text shows the
            # whole URL); a portable copy links the original, which verifies live.
            "href": url if self.portable else self.link(f"/c/{cred_id}"),
            "json_url": self.link(f"/c/{cred_id}.json", CREDENTIAL_PAGE),
            "holder": holder_name(credential), "name": achievement.get("name"),
            "code": achievement.get("humanCode"), "type": kind,
            "description": achievement.get("description"),
            "valid_from_iso": credential["validFrom"], "valid_from_display": self.date(valid_from),
            "valid_until_iso": until, "valid_until_display": self.date(valid_until)
            if valid_until else None,
            "issuer_name": credential["issuer"].get("name"),
            "results": results,
            "test_site": source.get("name") if isinstance(source, dict) else None,
            "revocation": {"date": self.date(revocation.date),
                           "date_iso": format_timestamp(revocation.date), "reason": revocation.reason}
            if revocation else None,
            "holder_page": self.link(f"/h/{self.holder_links[cred_id]}", CREDENTIAL_PAGE)
            if cred_id in self.holder_links else None,
        }
        render: Callable[..., bytes] = (
            (lambda **context: self._credential.template.render(**context).encode("utf-8"))
            if jinja_only else self._credential.render_utf8)
        # The web build publishes the record once, as /c/<ID>.json, which the page fetches (and
        # announces with the DID document and status list, so all three load beside the
        # scripts); a portable copy, opened from files where nothing can be fetched, embeds it.
        embedded = script_json(raw_json) if self.portable else ""
        html = render(
            canonical=url, cred=cred, noindex=True, compact=True, localize=True,
            credential_json=embedded,
            preloads=Markup("") if self.portable else self._preloads(credential, cred_id, cred["json_url"]),
            qr_svg=Markup(qr_svg(url)),  # noqa: S704 - generated SVG, URL attribute-escaped
        )
        return html


    def _preloads(self, credential: dict[str, Any], cred_id: str, record: str) -> Markup:
        """What a credential page fetches: its record, the DID document, its status list and
        (where the site signs one) the status freshness statement, as links from the page.

        The last three carry the credential's ID as a query (static hosts ignore it): a browser
        that keeps files for a while (GitHub Pages: max-age=600) has no copy of that URL when an
        employer opens a second credential, so the preload asks the server, beside the record,
        and the verifier, which must not trust a cached status list, need not fetch it again a
        round trip later (verifier-page.js, fetchAnnounced)."""
        fresh = str(escape(f"?{cred_id}"))
        links = [str(escape(record)), self._preload_href(self.did_path) + fresh]
        status = credential.get("credentialStatus")
        base = self.site.base_url
        if isinstance(status, dict) and isinstance(status.get("statusListCredential"), str):
            list_url = status["statusListCredential"]
            if list_url.startswith(f"{base}/") and "?" not in list_url:
                links.append(self._preload_href(list_url[len(base):]) + fresh)
        if self.site.freshness_keys:
            links.append(self._preload_href(STATEMENT_PATH) + fresh)
        return Markup("".join(  # noqa: S704 - every href escaped
            [f'<link rel="preload" href="{href}" as="fetch" crossorigin>' for href in links]))

    def _preload_href(self, path: str) -> str:
        """The escaped href of the site path ``path`` on a credential page, made once per path
        (the DID document, a few status lists): escaping is per character, so the page's
        escaped ``?<ID>`` is simply appended."""
        href = self._preload_hrefs.get(path)
        if href is None:
            if len(self._preload_hrefs) >= 4096:  # a bound: status lists are few
                self._preload_hrefs.clear()
            href = self._preload_hrefs[path] = str(escape(self.link(path, CREDENTIAL_PAGE)))
        return href

    def withdrawn_page(self, cred_id: str, note: Revocation) -> bytes:
        """The notice that replaces a credential page taken down at the holder's request: it
        names neither the holder nor the credential (credsite withdraw)."""
        return self.render("withdrawn.html", f"/c/{cred_id}", cred_id=cred_id, localize=True,
                           date=self.date(note.date), date_iso=format_timestamp(note.date))

    def _type_view(self, entry: CatalogEntry) -> Fixed:
        """What every credential page of ``entry``'s type shows, as one :class:`Fixed` value."""
        view = self._types.get(entry.code)
        if view is None:
            url = self.link(f"/credentials/{entry.code}/", CREDENTIAL_PAGE)
            names = {"performance": self.gettext("Performance exam"),
                     "theory": self.gettext("Theory exam")}
            exams = {part: Fixed(name=names[part], part=part, url=f"{url}#{part}")
                     for part in ("performance", "theory")}
            view = self._types[entry.code] = Fixed(
                level=entry.level, group=entry.group, url=url,
                badge=self.badge(entry, CREDENTIAL_PAGE), exams=exams)
        return view


def is_localized(path: str) -> bool:
    """Whether the site path ``path`` exists once per language (LOCALIZED_PATHS)."""
    return path == "/" or path.startswith(LOCALIZED_PATHS)


@functools.cache
def language_name(language: str) -> str:
    """A language's name in itself, as a language switch shows it: ``English``, ``Español``."""
    name = babel.Locale.parse(language, sep="-").get_display_name(language.replace("-", "_")) or language
    return name[:1].upper() + name[1:]


def schema_org(entry: CatalogEntry, site: Site) -> Markup:
    """schema.org ``EducationalOccupationalCredential`` JSON-LD for a catalog page."""
    data = {
        "@context": "https://schema.org",
        "@type": "EducationalOccupationalCredential",
        "name": entry.name,
        "identifier": entry.code,
        "url": site.achievement_url(entry.code),
        "description": entry.summary,
        "credentialCategory": "certification",
        "educationalLevel": entry.level,
        "about": entry.group,
        "competencyRequired": [f"Performance exam: {entry.performance_exam}",
                               f"Theory exam: {entry.theory_exam}"],
        "recognizedBy": {"@type": "Organization", "name": site.issuer_name,
                         "url": site.issuer_url},
        "keywords": ", ".join(entry.skills),
        "image": site.base_url + badge_paths(entry.code, entry.badge, entry.badge_png).png,
    }
    if entry.validity_years:
        data["validFor"] = f"P{entry.validity_years}Y"
    return script_json(json.dumps(data, ensure_ascii=False))

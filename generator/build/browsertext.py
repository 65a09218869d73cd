"""The browser's messages in each of the site's languages: ``/assets/i18n/<lang>.<hash>.js``.

The scripts write every text as ``_('English text')`` (``templates/assets/i18n.js``), and a
credential page marks its static labels ``data-t`` (docs/design.md, "Languages in the
browser"). English is the source: its texts are in the scripts and pages already. For each other
language of the site the build writes one small script, ``CredsiteI18n.add("es", {msgid:
msgstr})``, which the page loads only for a reader who wants that language; an English reader
never downloads it. A script, not JSON: a portable copy opened from files cannot ``fetch()`` but
can load a script, and the pages' CSP (``script-src 'self'``) allows either.

Which messages: those of the one catalog (``messages``) whose locations (``#:`` lines of the
``.po``) are a script under ``templates/assets/`` or a template whose static text the browser
translates (:data:`BROWSER_TEMPLATES`). Untranslated and fuzzy entries are left out, so the
page shows the English text, as gettext does. Plural entries become ``{CLDR category:
text}`` objects, which the browser picks with ``Intl.PluralRules`` (no gettext expression is
evaluated: the CSP forbids ``eval``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath
from typing import Any

from babel.core import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message

# Templates rendered once, in the site's default language, whose static text (elements marked
# data-t, data-ta) the browser translates: credential pages, holder pages and the frame
# around them.
BROWSER_TEMPLATES = frozenset({"base.html", "_macros.html", "credential.html", "holder.html",
                               "withdrawn.html", "verify.html"})
# CLDR plural categories in the order Babel numbers gettext's msgstr[i] (babel.plural.to_gettext).
_PLURAL_TAGS = ("zero", "one", "two", "few", "many", "other")

Text = str | dict[str, str]


def used_by_browser(locations: Iterable[tuple[str, int | None]]) -> bool:
    """Whether a message with these ``.po`` locations is shown by the browser."""
    for filename, _line in locations:
        path = PurePosixPath(filename.replace("\\", "/"))
        if (path.suffix == ".js" and "assets" in path.parts) or path.name in BROWSER_TEMPLATES:
            return True
    return False


def plural_categories(catalog: Catalog) -> tuple[str, ...]:
    """The CLDR category of each ``msgstr[i]`` of ``catalog``'s plural entries."""
    try:
        tags = Locale.parse(str(catalog.locale)).plural_form.tags | {"other"}
    except (UnknownLocaleError, ValueError, TypeError):
        tags = frozenset({"one", "other"})
    ordered = tuple(tag for tag in _PLURAL_TAGS if tag in tags)
    if len(ordered) == catalog.num_plurals:
        return ordered
    # A .po whose Plural-Forms header says otherwise: the common two-form rule (n != 1).
    return ("one", "other") if catalog.num_plurals == 2 else ordered


def _translated(message: Message, categories: tuple[str, ...]) -> Text | None:
    if message.fuzzy or not message.id:
        return None
    if isinstance(message.id, (list, tuple)):
        forms = message.string if isinstance(message.string, (list, tuple)) else ()
        if not forms or not all(forms):
            return None
        return dict(zip(categories, forms, strict=False))
    return message.string if isinstance(message.string, str) and message.string else None


def browser_messages(catalog: Catalog) -> dict[str, Text]:
    """msgid → translation for every translated message the browser shows, sorted by msgid."""
    categories = plural_categories(catalog)
    found: dict[str, Text] = {}
    for message in catalog:
        if not message.id or not used_by_browser(message.locations):
            continue
        text = _translated(message, categories)
        if text is not None:
            key = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
            found[str(key)] = text
    return dict(sorted(found.items()))


# The catalog's own texts that a credential page shows and the browser translates: the
# credential type's name (shown beside the signed name, never instead of it), its level and
# group (the certificate's labels, data-t).
CATALOG_FIELDS = ("name", "level", "group")


def catalog_messages(entries: Iterable[Any], language: str) -> dict[str, str]:
    """original text → ``language``'s text, for the catalog's own texts a credential page shows
    (:data:`CATALOG_FIELDS` of each entry's ``translations``; README, "Content model"). A text
    without a translation is left out: the page shows it as it is, and says so for the name."""
    found: dict[str, str] = {}
    for entry in entries:
        texts = getattr(entry, "translations", {}).get(language, {})
        for name in CATALOG_FIELDS:
            original, translated = getattr(entry, name, None), texts.get(name)
            if isinstance(original, str) and original and translated and translated != original:
                found.setdefault(original, translated)
    return found


def messages_script(language: str, messages: Mapping[str, Text]) -> bytes:
    """The message file of ``language``: one call of ``CredsiteI18n.add``."""
    data = json.dumps(dict(messages), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # JSON is a subset of JavaScript since ES2019 (U+2028/U+2029 allowed in strings).
    return (f"CredsiteI18n.add({json.dumps(language)},{data});\n").encode()


def asset_name(language: str, data: bytes) -> str:
    """The published path of a message file, named by its content (safe to cache forever)."""
    return f"/assets/i18n/{language}.{hashlib.sha256(data).hexdigest()[:10]}.js"


def configure_line(languages: Iterable[str], files: Mapping[str, str], page: str | None = None,
                   later: str | None = None) -> bytes:
    """The bundle's line after ``i18n.js``: the site's languages (the default first), each
    message file relative to the bundle, which sits in ``/assets/`` beside ``i18n/``,
    ``page``, the published path of ``i18n-page.js`` (a site of several languages only), and
    ``later``, that of the texts a credential page writes later (i18n.js)."""
    options: dict[str, object] = {
        "languages": list(languages),
        "files": {lang: name.removeprefix("/assets/") for lang, name in files.items()}}
    if page:
        options["page"] = page.removeprefix("/assets/")
    if later:
        options["later"] = later.removeprefix("/assets/")
    return f"CredsiteI18n.configure({json.dumps(options, sort_keys=True)});\n".encode()

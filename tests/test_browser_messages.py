"""The browser scripts' texts: in the catalog, translated, and published per language (issue 19).

Every ``_()`` / ``ngettext()`` text of ``templates/assets/*.js``, as Babel extracts it, must be in
each shipped catalog, translated (not fuzzy) with the same ``%(name)s`` placeholders; the build's
message file for a language holds the browser's messages and no others, and the bundle names it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file

from credsite.build.browsertext import (
    browser_messages,
    catalog_messages,
    messages_script,
    plural_categories,
)
from credsite.build.render import default_templates, hashed_assets
from credsite.content.catalog import load_catalog
from credsite.content.languages import available, catalog

ASSETS = Path(__file__).resolve().parents[1] / "templates" / "assets"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
OTHER_LANGUAGES = [lang for lang in available() if lang != "en"]


def script_messages() -> dict[str | tuple[str, ...], str]:
    """Every text the scripts show (msgid, or (singular, plural)) → the script it is in."""
    found: dict[str | tuple[str, ...], str] = {}
    for path in sorted(ASSETS.glob("*.js")):
        for _line, message, _comments, _context in extract_from_file(
                "javascript", str(path), keywords=KEYWORDS):
            key = tuple(message) if isinstance(message, (list, tuple)) else message
            found.setdefault(key, path.name)
    return found


def test_the_scripts_have_their_texts_marked() -> None:
    found = script_messages()
    files = set(found.values())
    for name in ("verifier-core.js", "verifier-page.js", "cert-verdict.js", "email-check.js",
                 "share.js", "holder-page.js", "verify-batch.js", "verify-lookup.js",
                 "badge-bake.js", "i18n-page.js", "verify-upload.js"):
        assert name in files, f"{name} has no _() text"
    assert "Verified" in found and "Revocation status" in found
    assert ("%(n)s copy", "%(n)s copies") in found


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_script_text_is_translated(language: str) -> None:
    messages = catalog(language)
    problems = []
    for key, script in script_messages().items():
        entry = messages.get(key[0] if isinstance(key, tuple) else key)
        if entry is None:
            problems.append(f"{script}: {key!r} is not in the {language} catalog (scripts/i18n update)")
            continue
        strings = entry.string if isinstance(entry.string, (list, tuple)) else (entry.string,)
        if entry.fuzzy or not all(strings):
            problems.append(f"{script}: {key!r} is not translated in {language}")
            continue
        wanted = set(PLACEHOLDER.findall(" ".join(key) if isinstance(key, tuple) else key))
        for text in (str(t) for t in strings):
            if set(PLACEHOLDER.findall(text)) - wanted or (wanted - {"n"}) - set(PLACEHOLDER.findall(text)):
                problems.append(f"{script}: {key!r} → {text!r}: placeholders differ")
    assert problems == []


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_the_message_file_holds_the_browser_texts_only(language: str) -> None:
    messages = browser_messages(catalog(language))
    for key in script_messages():
        assert (key[0] if isinstance(key, tuple) else key) in messages
    template_only = [m.id for m in catalog(language) if m.id and m.locations
                     and all(name.endswith(("home.html", "catalog.html", "page.html", "404.html"))
                             for name, _ in m.locations)]
    assert template_only, "the catalog should have texts of pages the browser does not translate"
    assert not set(map(str, template_only)) & set(messages)


def test_plural_forms_follow_cldr_categories() -> None:
    spanish = Catalog(locale="es")
    assert plural_categories(spanish) == ("one", "many", "other")[: spanish.num_plurals] or \
        plural_categories(spanish) == ("one", "other")
    spanish.add(("%(n)s copy", "%(n)s copies"), ("%(n)s copia", "%(n)s de copias", "%(n)s copias"),
                locations=[("templates/assets/verify-batch.js", 1)])
    spanish.add("Verified", "Verificada", locations=[("templates/assets/verifier-page.js", 1)])
    spanish.add("Catalog", "Catálogo", locations=[("templates/catalog.html", 1)])
    spanish.add("Revoked", "", locations=[("templates/assets/verifier-page.js", 1)])
    spanish.add("Expired", "Vencida", locations=[("templates/assets/verifier-page.js", 1)],
                flags=["fuzzy"])
    found = browser_messages(spanish)
    assert found == {"%(n)s copy": {"one": "%(n)s copia", "many": "%(n)s de copias",
                                    "other": "%(n)s copias"},
                     "Verified": "Verificada"}
    assert messages_script("es", found).startswith(b'CredsiteI18n.add("es",{')


def test_the_bundle_names_each_language_file() -> None:
    """Each page script starts with i18n.js and the languages line; the tools, loaded after a
    page script, use its CredsiteI18n and carry neither."""
    templates = default_templates()
    english = hashed_assets(templates)
    assert not [k for k in english if k.startswith("i18n-")]
    pages = ("credential_js", "verify_js", "holder_js")
    for key in pages:
        # (the minifier writes the line's JSON as an object literal: keys unquoted)
        assert re.search(rb'CredsiteI18n\.configure\(\{"?files"?: ?\{\}, ?"?languages"?: ?\["en"\], ?'
                         rb'"?later"?: ?"i18n-later\.[0-9a-f]{10}\.js"\}\)', english[key].data), key
    assert b"CredsiteI18n.configure" not in english["credential_tools_js"].data
    if not OTHER_LANGUAGES:
        return
    language = OTHER_LANGUAGES[0]
    both = hashed_assets(templates, ("en", language), {language: browser_messages(catalog(language))})
    asset = both[f"i18n-{language}"]
    assert re.fullmatch(rf"/assets/i18n/{language}\.[0-9a-f]{{10}}\.js", asset.name)
    named = re.compile(rf'"?{language}"?: ?"{re.escape(asset.name.removeprefix("/assets/"))}"'.encode())
    for key in pages:
        data = both[key].data
        assert named.search(data), key
        defined = re.search(rb"\.CredsiteI18n ?= ?Object\.freeze", data)
        assert defined and data.index(b"CredsiteI18n.configure") > defined.start(), key
    # A language the site does not use is not published.
    assert not [k for k in hashed_assets(templates, ("en",), {language: {"x": "y"}}) if k.startswith("i18n-")]


def test_the_catalog_names_travel_in_the_message_file_only_where_translated() -> None:
    """The credential types' Spanish name, level and group (content translations) are in the
    Spanish message file, keyed by the original text; a text without a translation is not."""
    entries = load_catalog(ASSETS.parents[1] / "content")
    found = catalog_messages(entries.values(), "es")
    assert found["Measurement, Materials & Safety"] == "Medición, materiales y seguridad"
    assert found["Level I"] == "Nivel I"
    untranslated = [e.name for e in entries.values() if "name" not in e.translations.get("es", {})]
    assert untranslated and not set(untranslated) & set(found)
    assert catalog_messages(entries.values(), "fr") == {}

"""The message catalogs are complete and current (issue 19): every text the templates, the
browser scripts and the build show is extracted again here, in memory, with babel.cfg, exactly
as ``scripts/i18n extract`` does, and compared with ``generator/locale/messages.pot`` and every
language's ``messages.po``. A catalog fails when it misses a message, keeps one the sources no
longer have (obsolete or stale), has a fuzzy or empty translation, or a translation whose
``%(name)s`` placeholders differ from its msgid's (Babel's own checks).

When this fails after a template change: ``scripts/i18n update``, then translate what it marks
(README, "Translating").
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from credsite.content import languages
from credsite.errors import ContentError

REPO = Path(__file__).resolve().parent.parent
# The folders scripts/i18n extracts from; babel.cfg's patterns are relative to them.
SOURCES = ("templates", "generator/build")

MessageId = str | tuple[str, ...]


def _extracted() -> Catalog:
    with (REPO / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, "babel.cfg")  # type: ignore[no-untyped-call]
    catalog = Catalog(domain="messages")
    for folder in SOURCES:
        for filename, lineno, message, comments, context in extract_from_dir(
                str(REPO / folder), method_map, options_map, strip_comment_tags=True):
            catalog.add(message, None, [(f"{folder}/{filename}", lineno)], auto_comments=comments,
                        context=context)
    return catalog


def _ids(catalog: Catalog) -> dict[str, MessageId]:
    """msgid (the singular) → the full id (a tuple for a plural), header left out."""
    found: dict[str, MessageId] = {}
    for message in catalog:
        if message.id:
            full = message.id if isinstance(message.id, str) else tuple(message.id)
            found[full if isinstance(full, str) else full[0]] = full
    return found


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale=locale)


@pytest.fixture(scope="module")
def sources() -> dict[str, MessageId]:
    found = _ids(_extracted())
    assert len(found) > 20, "babel.cfg extracted almost nothing: are the patterns right?"
    return found


def _difference(expected: dict[str, MessageId], actual: dict[str, MessageId]) -> list[str]:
    problems = [f"missing: {key!r}" for key in expected if key not in actual]
    problems += [f"stale (no longer in the sources): {key!r}" for key in actual if key not in expected]
    problems += [f"plural differs: {key!r}" for key in expected
                 if key in actual and expected[key] != actual[key]]
    return problems


def test_the_template_has_every_message_of_the_sources_and_no_other(sources: dict[str, MessageId]) -> None:
    pot = _read(languages.LOCALE / "messages.pot")
    assert _difference(sources, _ids(pot)) == [], "run scripts/i18n extract"


@pytest.mark.parametrize("language", [lang for lang in languages.available()
                                      if lang != languages.SOURCE_LANGUAGE])
def test_each_catalog_translates_every_message_and_nothing_stale(
        language: str, sources: dict[str, MessageId]) -> None:
    path = languages.catalog_path(language)
    catalog = _read(path, language.replace("-", "_"))
    problems = _difference(sources, _ids(catalog))
    problems += [f"obsolete entry (#~): {key!r}" for key in catalog.obsolete]
    for message in catalog:
        if not message.id:
            continue
        forms = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        if not all(forms):
            problems.append(f"not translated: {message.id!r}")
        if isinstance(message.id, tuple) and len(forms) != catalog.num_plurals:
            problems.append(f"{len(forms)} plural forms, the language has {catalog.num_plurals}: "
                            f"{message.id!r}")
    for message, errors in catalog.check():
        problems += [f"{error}: {message.id!r}" for error in errors]
    assert problems == [], f"{path}: run scripts/i18n update and translate:\n" + "\n".join(problems)


def test_a_stale_or_incomplete_catalog_is_caught(sources: dict[str, MessageId]) -> None:
    # The comparison itself can fail: one message dropped, one added that the sources lack.
    some = next(iter(sources))
    changed = {k: v for k, v in sources.items() if k != some} | {"Gone from the templates": "x"}
    assert _difference(sources, changed) == [f"missing: {some!r}",
                                             "stale (no longer in the sources): 'Gone from the templates'"]


def test_spanish_is_shipped_and_compiles_in_memory() -> None:
    assert languages.available()[:1] == ("en",) and "es" in languages.available()
    spanish = languages.translations("es")
    assert spanish.gettext("Verify a credential") == "Verificar una credencial"
    assert spanish.ngettext("Valid for %(count)s year", "Valid for %(count)s years", 5) \
        == "Válida por %(count)s años"
    assert languages.translations("en").gettext("Verify a credential") == "Verify a credential"


def test_no_compiled_catalog_is_kept_in_the_repository() -> None:
    assert list(languages.LOCALE.rglob("*.mo")) == []


@pytest.mark.parametrize(("value", "message"), [
    (["en", "fr"], "languages: no message catalog for 'fr'; the languages credsite has catalogs for: en"),
    ("es", "'languages' must be a list of language codes"),
    ([], "'languages' must be a list of language codes"),
    (["es", "es"], "'languages' lists a language twice"),
])
def test_a_bad_languages_value_is_one_line_naming_site_yaml(value: object, message: str) -> None:
    with pytest.raises(ContentError) as error:
        languages.parse_languages(value, "content/site.yaml")
    assert str(error.value).startswith(f"content/site.yaml: {message}")
    assert "\n" not in str(error.value)


def test_languages_default_to_english_and_keep_their_order() -> None:
    assert languages.parse_languages(None, "site.yaml") == ("en",)
    assert languages.parse_languages(["es", "en"], "site.yaml") == ("es", "en")

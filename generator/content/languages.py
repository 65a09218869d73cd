"""The message catalogs shipped in the package, and the languages a site may choose from them.

One gettext domain, ``messages``, holds every text the site shows: the templates' (Jinja2's i18n
extension) and the browser scripts' (``_()`` / ``gettext`` / ``ngettext`` in
``templates/assets/*.js``). The source language is English: a msgid is the English text, so
English needs no catalog. Each other language is ``generator/locale/<lang>/LC_MESSAGES/
messages.po``, shipped in the wheel as package data; ``generator/locale/messages.pot`` is the
template ``pybabel extract -F babel.cfg`` writes (``scripts/i18n``, README "Translating").

No ``.mo`` file is kept or shipped: a build compiles the ``.po`` in memory (Babel's
``write_mo`` into a buffer, GNU gettext's binary format), once per language and process, so the
catalog in the repository is the one the site uses and cannot go stale beside a compiled copy.
Fuzzy entries are left out, as ``msgfmt`` does: a page then shows the English text.
"""

from __future__ import annotations

import functools
import io
import re
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from credsite.errors import ContentError

SOURCE_LANGUAGE = "en"
DOMAIN = "messages"
LOCALE = Path(__file__).resolve().parent.parent / "locale"
# A BCP 47 primary language subtag with an optional region (es, pt-BR): the folder name and the
# <html lang> value. gettext folders use an underscore (pt_BR); site.yaml and URLs the hyphen.
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:-[A-Z]{2})?")


def catalog_path(language: str) -> Path:
    """The ``.po`` file of ``language`` (which need not exist)."""
    return LOCALE / language.replace("-", "_") / "LC_MESSAGES" / f"{DOMAIN}.po"


def available() -> tuple[str, ...]:
    """English and every language with a catalog in the package, English first."""
    found = sorted(folder.name.replace("_", "-") for folder in LOCALE.iterdir()
                   if (folder / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()) if LOCALE.is_dir() else []
    return (SOURCE_LANGUAGE, *(tag for tag in found if tag != SOURCE_LANGUAGE))


def parse_languages(value: Any, where: str) -> tuple[str, ...]:
    """``languages:`` of site.yaml: a non-empty list of known language tags, the first the
    default; ``[en]`` when absent. ContentError (one line naming the file) otherwise."""
    if value is None:
        return (SOURCE_LANGUAGE,)
    known = available()
    hint = f"the languages credsite has catalogs for: {', '.join(known)}"
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ContentError(f"'languages' must be a list of language codes such as [en, es], "
                           f"the first the default; {hint}", where=where)
    unknown = [v for v in value if v not in known]
    if unknown:
        raise ContentError(f"languages: no message catalog for {', '.join(map(repr, unknown))}; "
                           f"{hint} (README, 'Translating': adding a language)", where=where)
    if len(set(value)) != len(value):
        raise ContentError("'languages' lists a language twice", where=where)
    return tuple(value)


@functools.cache
def catalog(language: str) -> Catalog:
    """The parsed ``.po`` of ``language`` (an empty catalog for English, the source language)."""
    if language == SOURCE_LANGUAGE:
        return Catalog(locale="en", domain=DOMAIN)
    path = catalog_path(language)
    try:
        with path.open("rb") as po:
            return read_po(po, locale=language.replace("-", "_"), domain=DOMAIN)
    except (OSError, ValueError) as exc:
        raise ContentError(f"cannot read the message catalog: {exc}", where=str(path)) from None


@functools.cache
def translations(language: str) -> Translations:
    """``language``'s messages as gettext translations (compiled in memory; fuzzy ones left out)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog(language), use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)

"""The site's own texts in other languages (README, "Content model": translations).

Content is written in the site's default language (the first of ``languages`` in site.yaml). A
credential type gives other languages in its front matter, ``translations: {es: {name: …,
description: …}}``; a plain page ``pages/<slug>.md`` has its translation beside it as
``pages/<slug>.<lang>.md``; site.yaml gives the site's title and the issuer's description,
``translations: {es: {title: …, description: …}}``. Whatever a language lacks is shown in the
original, marked with its ``lang`` (and, for a page's own text, a notice on the page): a reader
is never shown a mix of languages without being told.

Translations are for the site's pages only: a signed credential keeps the texts it was signed
with (the issuer's language), and a page shows a translation beside the signed value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from credsite.content.languages import LANGUAGE_TAG
from credsite.errors import ContentError

# What a credential type may give per language; ``description`` is Markdown, like the body.
ENTRY_FIELDS = ("name", "level", "group", "category", "performance_exam", "theory_exam",
                "description")


def parse_entry_translations(value: Any, where: str) -> dict[str, dict[str, str]]:
    """``translations:`` of a catalog entry: language → field → text."""
    return _parse(value, where, ENTRY_FIELDS, "translations: {es: {name: ..., description: ...}}",
                  markdown=("description",))


def _parse(value: Any, where: str, allowed: tuple[str, ...], example: str,
           markdown: tuple[str, ...] = ()) -> dict[str, dict[str, str]]:
    """language → field → text, each field one of ``allowed``; ``markdown`` fields keep their
    whitespace (the others are stripped)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ContentError(f"'translations' must map a language code to its texts, for example "
                           f"{example}", where=where)
    found: dict[str, dict[str, str]] = {}
    for language, texts in value.items():
        if not isinstance(language, str) or not LANGUAGE_TAG.fullmatch(language):
            raise ContentError(f"translations: {language!r} is not a language code such as es or "
                               "pt-BR", where=where)
        if not isinstance(texts, dict):
            raise ContentError(f"translations: {language} must be a mapping of "
                               f"{', '.join(allowed)}", where=where)
        unknown = sorted(set(map(str, texts)) - set(allowed))
        if unknown:
            raise ContentError(f"translations: {language}: unknown field(s) {', '.join(unknown)} "
                               f"(translatable: {', '.join(allowed)})", where=where)
        fields: dict[str, str] = {}
        for key, text in texts.items():
            if not isinstance(text, str) or not text.strip():
                raise ContentError(f"translations: {language}: '{key}' must be text", where=where)
            fields[str(key)] = text if key in markdown else text.strip()
        found[language] = fields
    return found


# What site.yaml may give per language: the site's title and the issuer's description.
SITE_FIELDS = ("title", "description")


def parse_site_translations(value: Any, where: str) -> dict[str, dict[str, str]]:
    """``translations:`` of site.yaml: language → {title, description}."""
    return _parse(value, where, SITE_FIELDS, "translations: {es: {title: ..., description: ...}}")


@dataclass(frozen=True)
class Localized:
    """Texts in one language: each field's text and, where it is the original's (no translation
    given), the original's language, for ``lang`` attributes and the missing-translation notice."""

    texts: Mapping[str, str]
    fallback: Mapping[str, str]  # field → language of the text shown, where not the page's

    @property
    def complete(self) -> bool:
        return not self.fallback


def localize(original: Mapping[str, str], translations: Mapping[str, Mapping[str, str]],
             language: str, default: str) -> Localized:
    """``original`` (in ``default``) in ``language``: translated fields where given."""
    if language == default:
        return Localized(dict(original), {})
    given = translations.get(language, {})
    texts = {key: given.get(key, text) for key, text in original.items()}
    fallback = {key: default for key, text in original.items() if text and key not in given}
    return Localized(texts, fallback)

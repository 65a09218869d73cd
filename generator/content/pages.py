"""Plain content pages: ``content/pages/<slug>.md`` → ``/pages/<slug>/``."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path

from credsite.content.languages import LANGUAGE_TAG
from credsite.content.yamlfiles import split_front_matter
from credsite.errors import ContentError, CredsiteError

SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


@dataclass(frozen=True)
class PageText:
    """A plain page in another language: ``pages/<slug>.<lang>.md`` beside ``<slug>.md``."""

    title: str
    description: str
    body_md: str
    source: Path


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    description: str
    nav: int | None
    body_md: str
    source: Path
    translations: dict[str, PageText] = field(default_factory=dict, compare=False)

    @property
    def path(self) -> str:
        return f"/pages/{self.slug}/"


def parse_page(path: Path) -> Page:
    meta, body, _ = split_front_matter(path)
    where = str(path)
    if not SLUG.fullmatch(path.stem):
        raise ContentError("page file names use a-z, 0-9 and '-' only", where=where)
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ContentError("'title' is required", where=where)
    nav = meta.get("nav")
    if nav is not None and (not isinstance(nav, int) or isinstance(nav, bool)):
        raise ContentError("'nav' must be a whole number (menu position)", where=where)
    unknown = set(meta) - {"title", "description", "nav"}
    if unknown:
        raise ContentError(f"unknown front matter field(s): {', '.join(sorted(unknown))}",
                           where=where)
    return Page(path.stem, title.strip(), str(meta.get("description") or "").strip(), nav, body,
                path)


def parse_translation(path: Path) -> PageText:
    """``<slug>.<lang>.md``: title (required), description and body in that language."""
    meta, body, _ = split_front_matter(path)
    where = str(path)
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ContentError("'title' is required", where=where)
    unknown = set(meta) - {"title", "description"}
    if unknown:
        raise ContentError(f"unknown front matter field(s): {', '.join(sorted(unknown))} (a "
                           "translation gives title, description and the text; 'nav' is the "
                           "original's)", where=where)
    return PageText(title.strip(), str(meta.get("description") or "").strip(), body, path)


def load_pages(content: Path, problems: list[CredsiteError] | None = None) -> list[Page]:
    """The plain pages, each with its translations (``<slug>.<lang>.md``)."""
    pages: list[Page] = []
    translated: dict[str, dict[str, PageText]] = {}
    folder = content / "pages"
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        try:
            slug, dot, language = path.stem.partition(".")
            if not dot:
                pages.append(parse_page(path))
                continue
            if not SLUG.fullmatch(slug) or not LANGUAGE_TAG.fullmatch(language):
                raise ContentError("a translated page is named <slug>.<language>.md, such as "
                                   "about.es.md", where=str(path))
            if not (folder / f"{slug}.md").is_file():
                raise ContentError(f"a translation of a page that does not exist: add "
                                   f"{slug}.md (in the site's default language)", where=str(path))
            translated.setdefault(slug, {})[language] = parse_translation(path)
        except CredsiteError as exc:
            if problems is None:
                raise
            problems.append(exc)
    return [dataclasses.replace(page, translations=translated.get(page.slug, {}))
            for page in pages]

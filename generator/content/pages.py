"""Plain content pages: ``content/pages/<slug>.md`` → ``/pages/<slug>/``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from credsite.content.yamlfiles import split_front_matter
from credsite.errors import ContentError, CredsiteError

SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    description: str
    nav: int | None
    body_md: str
    source: Path

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


def load_pages(content: Path, problems: list[CredsiteError] | None = None) -> list[Page]:
    pages = []
    folder = content / "pages"
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        try:
            pages.append(parse_page(path))
        except CredsiteError as exc:
            if problems is None:
                raise
            problems.append(exc)
    return pages

"""The credential catalog: one ``content/credentials/<CODE>.md`` per credential type."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from credsite.content.site import Site
from credsite.content.translations import parse_entry_translations
from credsite.content.yamlfiles import split_front_matter
from credsite.errors import ContentError, CredsiteError

CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{1,31}")
REQUIRED = ("code", "name", "level", "group", "category", "performance_exam", "theory_exam")


@dataclass(frozen=True)
class CatalogEntry:
    code: str
    name: str
    level: str
    group: str
    category: str
    order: int
    performance_exam: str
    theory_exam: str
    validity_years: int | None
    skills: tuple[str, ...]
    description_md: str
    source: Path
    badge: str | None = None  # site path of the catalog's own badge image (content/static/...)
    badge_png: str | None = None  # site path of its own PNG for social previews
    # Other languages' texts for the site's pages (credsite.content.translations); never signed.
    translations: dict[str, dict[str, str]] = field(default_factory=dict, compare=False)

    def texts(self) -> dict[str, str]:
        """The translatable texts in the original language (translations.ENTRY_FIELDS)."""
        return {"name": self.name, "level": self.level, "group": self.group,
                "category": self.category, "performance_exam": self.performance_exam,
                "theory_exam": self.theory_exam, "description": self.description_md}

    @property
    def summary(self) -> str:
        """First paragraph of the description, as plain text (catalog metadata)."""
        para = self.description_md.strip().split("\n\n", 1)[0]
        return re.sub(r"\s+", " ", re.sub(r"[*_`#\[\]]|\([^)]*\)", "", para)).strip()

    @property
    def first_sentence(self) -> str:
        """The summary's first sentence: the achievement description inside each credential."""
        return re.split(r"(?<=[.!?])\s", self.summary, maxsplit=1)[0]

    @property
    def badge_png_path(self) -> str:
        """Site path of the badge PNG: the catalog's own, else ``/badges/<CODE>.png``, which the
        build draws (the rule of :func:`credsite.build.badges.badge_paths`)."""
        if self.badge_png:
            return self.badge_png
        if self.badge and self.badge.lower().endswith(".png"):
            return self.badge
        return f"/badges/{self.code}.png"

    def achievement(self, site: Site) -> dict[str, Any]:
        """The Open Badges 3.0 ``Achievement`` for this entry (OB 3.0 §B.1.1)."""
        url = site.achievement_url(self.code)
        return {
            "id": url,
            "type": ["Achievement"],
            "achievementType": "Certification",
            "humanCode": self.code,
            "name": self.name,
            "description": self.first_sentence or self.name,
            # The exams are described at the criteria URL (the catalog page, with #performance and
            # #theory), not repeated in every signed record: each copy would cost every holder's
            # page and JSON file about 0.9 KB.
            "criteria": {"id": url},
            # OB 3.0 §B.1.1 Achievement.image (an Image, §B.1.16): wallets and badge platforms
            # show it. The PNG, which they all display (the build writes it: build/badges.py).
            "image": {"id": f"{site.base_url}{self.badge_png_path}", "type": "Image",
                      "caption": f"{self.name} badge"},
            "fieldOfStudy": self.group,
            "tag": list(self.skills),
            "resultDescription": [
                {"id": f"{url}#performance", "type": ["ResultDescription"],
                 "name": "Performance exam", "resultType": "Status"},
                {"id": f"{url}#theory", "type": ["ResultDescription"],
                 "name": "Theory exam", "resultType": "Status"},
            ],
        }


def _text(meta: dict[str, Any], key: str, where: str) -> str:
    value = meta.get(key)
    if not isinstance(value, str | int) or not str(value).strip():
        raise ContentError(f"'{key}' is required and must be text", where=where)
    return str(value).strip()


BADGE_PATH = re.compile(r"(?:[A-Za-z0-9_][A-Za-z0-9._-]*/)*[A-Za-z0-9_][A-Za-z0-9._-]*")


def _badge(meta: dict[str, Any], key: str, suffixes: tuple[str, ...], path: Path) -> str | None:
    """An optional badge image: a file under ``content/static/``, given as ``badges/x.svg`` or
    ``/badges/x.svg``; returned as its site path ``/badges/x.svg``."""
    value = meta.get(key)
    if value is None:
        return None
    where = str(path)
    text = str(value).strip().lstrip("/") if isinstance(value, str) else ""
    if not BADGE_PATH.fullmatch(text) or not text.lower().endswith(suffixes):
        raise ContentError(f"'{key}' must be the path of a {' or '.join(suffixes)} file under "
                           "content/static/, such as badges/MACH1-MMS.svg", where=where)
    static = path.parent.parent / "static"
    if not (static / text).is_file():
        raise ContentError(f"'{key}' {text} not found: put the file at content/static/{text}",
                           where=where)
    return f"/{text}"


def parse_entry(path: Path) -> CatalogEntry:
    meta, body, _ = split_front_matter(path)
    where = str(path)
    missing = [k for k in REQUIRED if k not in meta]
    if missing:
        raise ContentError(f"missing front matter field(s): {', '.join(missing)}", where=where)
    code = _text(meta, "code", where)
    if not CODE.fullmatch(code):
        raise ContentError(f"code {code!r} must be 2-32 of A-Z, 0-9 and '-'", where=where)
    if code != path.stem:
        raise ContentError(f"code {code!r} must equal the file name ({path.stem})", where=where)
    validity = meta.get("validity_years")
    if validity is not None and (
        not isinstance(validity, int) or isinstance(validity, bool) or not 1 <= validity <= 50
    ):
        raise ContentError("'validity_years' must be a whole number of years (1-50)", where=where)
    skills = meta.get("skills") or []
    if not isinstance(skills, list) or not all(isinstance(s, str) for s in skills):
        raise ContentError("'skills' must be a list of text tags", where=where)
    badge = _badge(meta, "badge", (".svg", ".png"), path)
    badge_png = _badge(meta, "badge_png", (".png",), path)
    order = meta.get("order", 100)
    if not isinstance(order, int):
        raise ContentError("'order' must be a whole number", where=where)
    return CatalogEntry(
        code=code,
        name=_text(meta, "name", where),
        level=_text(meta, "level", where),
        group=_text(meta, "group", where),
        category=_text(meta, "category", where),
        order=order,
        performance_exam=_text(meta, "performance_exam", where),
        theory_exam=_text(meta, "theory_exam", where),
        validity_years=validity,
        skills=tuple(skills),
        description_md=body,
        source=path,
        badge=badge,
        badge_png=badge_png,
        translations=parse_entry_translations(meta.get("translations"), where),
    )


def load_catalog(content: Path, problems: list[CredsiteError] | None = None) -> dict[str, CatalogEntry]:
    """All catalog entries by code. With ``problems``, bad entries are collected there instead."""
    entries: dict[str, CatalogEntry] = {}
    folder = content / "credentials"
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        try:
            entry = parse_entry(path)
        except CredsiteError as exc:
            if problems is None:
                raise
            problems.append(exc)
            continue
        entries[entry.code] = entry
    if not entries and problems is None:
        raise ContentError("no credentials in the catalog; add <CODE>.md files", where=str(folder))
    return entries

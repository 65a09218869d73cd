"""Badges of credential types (generator/badges.py), their catalog options, and how the build
publishes them: /badges/<CODE>.svg|png, <img> on pages, og:image and the schema.org image."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image
from sitekit import make_site, parse_page, row

from credsite.build import badges
from credsite.build.pipeline import build_site
from credsite.content.catalog import parse_entry
from credsite.errors import ContentError

REPO = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"


@dataclass(frozen=True)
class Entry:
    code: str = "MACH1-MMS"
    name: str = "Measurement, Materials & Safety"
    level: str = "Level I"
    group: str = "Machining Level I"
    badge: str | None = None
    badge_png: str | None = None


def _text(root: ET.Element, tag: str) -> str:
    element = root.find(tag)
    assert element is not None and element.text is not None, tag
    return element.text


def svg_texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    return [t.text or "" for t in root.iter(f"{SVG}text")]


# --------------------------------------------------------------------------- SVG


def test_svg_is_well_formed_and_shows_level_code_and_name() -> None:
    svg = badges.badge_svg(Entry())
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    assert root.tag == f"{SVG}svg" and root.get("viewBox") == "0 0 240 240"
    assert svg_texts(svg) == ["LEVEL I", "MACH1-MMS", "Measurement,", "Materials &", "Safety"]
    assert _text(root, f"{SVG}title") == "Measurement, Materials & Safety (MACH1-MMS) badge"
    fills = [p.get("fill") for p in root.iter(f"{SVG}polygon")]
    assert fills[0] == badges.LEVEL_COLOURS["level i"]


def test_svg_escapes_markup_and_has_no_active_content() -> None:
    evil = Entry(name='</text><script>alert(1)</script> & "x" <img onerror=1>', code="X-1")
    svg = badges.badge_svg(evil)
    root = ET.fromstring(svg)  # noqa: S314 - our own output; still well-formed
    assert "<script" not in svg and "<img" not in svg
    assert not [e for e in root.iter() if e.tag.endswith("script") or e.tag.endswith("foreignObject")]
    assert not [a for e in root.iter() for a in e.attrib if a.startswith("on") or "href" in a]
    assert "</script>" in "".join(svg_texts(svg)) + _text(root, f"{SVG}title")


def test_svg_colour_by_level_else_stable_by_group() -> None:
    assert badges.colour(Entry(level="Level II")) == badges.LEVEL_COLOURS["level ii"]
    assert badges.colour(Entry(level=" level  III ")) == badges.LEVEL_COLOURS["level iii"]
    other = badges.colour(Entry(level="Not levelled", group="Welding"))
    assert other in badges.GROUP_COLOURS
    assert other == badges.colour(Entry(level="Not levelled", group="Welding"))


def test_long_and_non_latin_names_fit_in_three_lines() -> None:
    long_name = " ".join(["Supercalifragilistic"] * 12)
    texts = svg_texts(badges.badge_svg(Entry(name=long_name, code="A" * 32)))
    assert len(texts) == 2 + 3 and texts[-1].endswith("…")
    for text in texts[2:]:
        assert badges.estimated_width(text, 9.0) <= badges.NAME_BOX[0]
    cjk = svg_texts(badges.badge_svg(Entry(name="数控铣床编程与操作 高级")))
    assert cjk[2:] and "".join(cjk[2:]).replace("…", "") in "数控铣床编程与操作高级"


def test_svg_is_deterministic() -> None:
    assert badges.badge_svg(Entry()) == badges.badge_svg(Entry())


# --------------------------------------------------------------------------- PNG


def test_png_is_a_small_square_palette_image_in_the_badge_colour() -> None:
    data = badges.badge_png(Entry(level="Level II"))
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) < 16_000
    image = Image.open(io.BytesIO(data))
    assert image.size == (600, 600) and image.mode == "P"
    rgb = image.convert("RGB")
    assert rgb.getpixel((4, 4)) == (255, 255, 255)  # white outside the hexagon
    expected = badges.LEVEL_COLOURS["level ii"]
    assert rgb.getpixel((300, 25)) == tuple(int(expected[i:i + 2], 16) for i in (1, 3, 5))
    # white text in the middle of the badge (the code line)
    assert any(rgb.getpixel((x, 262)) == (255, 255, 255) for x in range(150, 450))
    assert badges.badge_png(Entry(level="Level II")) == data


def test_png_without_the_truetype_font_uses_pillows_default(monkeypatch: pytest.MonkeyPatch) -> None:
    badges._font.cache_clear()
    monkeypatch.setattr(badges, "FONT_FILE", "no-such-font.ttf")
    try:
        image = Image.open(io.BytesIO(badges.badge_png(Entry())))
        assert image.size == (600, 600)
    finally:
        badges._font.cache_clear()


# --------------------------------------------------------------------------- paths and catalog


def test_badge_paths_generated_and_supplied() -> None:
    generated = badges.badge_paths("X-1")
    assert generated == badges.BadgePaths("/badges/X-1.svg", "/badges/X-1.png", True, True)
    own_svg = badges.badge_paths("X-1", "/img/x.svg")
    assert own_svg == badges.BadgePaths("/img/x.svg", "/badges/X-1.png", False, True)
    own_png = badges.badge_paths("X-1", "/img/x.png")
    assert own_png == badges.BadgePaths("/img/x.png", "/img/x.png", False, False)
    both = badges.badge_paths("X-1", "/img/x.svg", "/img/x-social.png")
    assert both == badges.BadgePaths("/img/x.svg", "/img/x-social.png", False, False)


def catalog_file(tmp_path: Path, extra: str) -> Path:
    folder = tmp_path / "content" / "credentials"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "X-1.md"
    path.write_text("---\ncode: X-1\nname: X\nlevel: Level I\ngroup: G\ncategory: C\n"
                    f"performance_exam: p\ntheory_exam: t\n{extra}---\nText.\n", encoding="utf-8")
    return path


def test_catalog_badge_front_matter(tmp_path: Path) -> None:
    static = tmp_path / "content" / "static" / "badges"
    static.mkdir(parents=True)
    (static / "x.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    (static / "x.png").write_bytes(badges.badge_png(Entry()))
    entry = parse_entry(catalog_file(tmp_path, "badge: badges/x.svg\nbadge_png: /badges/x.png\n"))
    assert (entry.badge, entry.badge_png) == ("/badges/x.svg", "/badges/x.png")
    assert parse_entry(catalog_file(tmp_path, "")).badge is None
    for bad, message in [("badge: badges/missing.svg\n", "not found"),
                         ("badge: ../site.yaml\n", "must be the path"),
                         ("badge: badges/x.gif\n", "must be the path"),
                         ("badge_png: badges/x.svg\n", "must be the path"),
                         ("badge: [1]\n", "must be the path")]:
        with pytest.raises(ContentError, match=message):
            parse_entry(catalog_file(tmp_path, bad))


# --------------------------------------------------------------------------- the build


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, list[str]]:
    site = make_site(tmp_path_factory.mktemp("badges"), "https://creds.example.org/sub")
    static = site.content / "static" / "img"
    static.mkdir(parents=True)
    (static / "pb.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'/>",
                                   encoding="utf-8")
    path = site.content / "credentials" / "TEST-PB.md"
    path.write_text(path.read_text(encoding="utf-8").replace("---\n", "---\nbadge: img/pb.svg\n", 1),
                    encoding="utf-8")
    ids = site.issue([row(), row(code="TEST-CNC"), row(code="TEST-PB")])
    return site.build(), site.base_url, ids


def test_build_writes_generated_badges_except_where_the_catalog_has_its_own(
        built: tuple[Path, str, list[str]]) -> None:
    out, _, _ = built
    names = sorted(p.name for p in (out / "badges").iterdir())
    assert names == ["TEST-CNC.png", "TEST-CNC.svg", "TEST-MMS.png", "TEST-MMS.svg", "TEST-PB.png"]
    ET.fromstring((out / "badges" / "TEST-MMS.svg").read_bytes())  # noqa: S314 - our own output
    assert Image.open(out / "badges" / "TEST-CNC.png").size == (600, 600)
    assert (out / "img" / "pb.svg").is_file()


def meta(page_html: str, key: str) -> str | None:
    page = parse_page(page_html)
    found = [e.attrs.get("content") for e in page.elements if e.tag == "meta"
             and (e.attrs.get("property") == key or e.attrs.get("name") == key)]
    assert len(found) <= 1, key
    return found[0] if found else None


def test_pages_show_the_badge_and_announce_it_for_social_previews(
        built: tuple[Path, str, list[str]]) -> None:
    out, base, ids = built
    mms, _, pb = ids
    cred = (out / "c" / f"{mms}.html").read_text(encoding="utf-8")
    page = parse_page(cred)
    img = [e.attrs for e in page.find("img")]
    assert img == [{"class": "cert-badge", "src": "/sub/badges/TEST-MMS.svg",
                    "alt": "Badge: Measurement, Materials & Safety (TEST-MMS)", "width": "96",
                    "height": "96"}]
    assert meta(cred, "og:image") == f"{base}/badges/TEST-MMS.png"
    assert meta(cred, "og:url") == f"{base}/c/{mms}"
    assert meta(cred, "twitter:card") == "summary"
    description = meta(cred, "og:description") or ""
    assert "Ada Lovelace" in description and "Measurement, Materials & Safety" in description
    assert "Test Institute" in description

    own = parse_page((out / "c" / f"{pb}.html").read_text(encoding="utf-8"))
    assert [e.attrs["src"] for e in own.find("img")] == ["/sub/img/pb.svg"]

    type_page = (out / "credentials" / "TEST-CNC" / "index.html").read_text(encoding="utf-8")
    assert meta(type_page, "og:image") == f"{base}/badges/TEST-CNC.png"
    assert [e.attrs["src"] for e in parse_page(type_page).find("img")] == ["/sub/badges/TEST-CNC.svg"]
    catalog = parse_page((out / "credentials" / "index.html").read_text(encoding="utf-8"))
    assert sorted(e.attrs["src"] or "" for e in catalog.find("img")) == [
        "/sub/badges/TEST-CNC.svg", "/sub/badges/TEST-MMS.svg", "/sub/img/pb.svg"]
    assert {e.attrs["alt"] for e in catalog.find("img")} == {""}  # the name is the link beside it


def test_schema_org_json_ld_parses_and_names_the_badge_png(built: tuple[Path, str, list[str]]) -> None:
    out, base, _ = built
    for code in ("TEST-MMS", "TEST-CNC", "TEST-PB"):
        page = parse_page((out / "credentials" / code / "index.html").read_text(encoding="utf-8"))
        blocks = [e for e in page.find("script") if e.attrs.get("type") == "application/ld+json"]
        assert len(blocks) == 1
        data = json.loads(blocks[0].text)
        assert data["@type"] == "EducationalOccupationalCredential" and data["identifier"] == code
        assert data["image"] == f"{base}/badges/{code}.png"
        assert (out / data["image"][len(base) + 1:]).is_file()


def test_demo_badges_are_small(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(REPO / "content", out, quiet=True)
    files = list((out / "badges").iterdir())
    codes = {p.stem for p in (REPO / "content" / "credentials").glob("*.md")}
    assert {p.name for p in files} == {f"{c}.{x}" for c in codes for x in ("svg", "png")}
    assert max(p.stat().st_size for p in files if p.suffix == ".png") < 12_000
    assert max(p.stat().st_size for p in files if p.suffix == ".svg") < 2_000

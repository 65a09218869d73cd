"""The QR code on a built credential page decodes (zxing-cpp) to the page's permanent URL.

The inline ``<svg class="qr">`` is rasterised here from its path commands (``sitekit.qr_modules``),
so the test needs neither a browser nor the cairo library.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import segno
import zxingcpp
from PIL import Image
from sitekit import make_site, parse_page, qr_modules, row

PX = 6  # pixels per module
MARGIN = 4  # extra white modules around the viewBox (the page's CSS draws the quiet zone)


def qr_of_page(html: str) -> tuple[list[list[bool]], str]:
    """The module grid of the page's ``<svg class="qr">`` and its aria-label."""
    page = parse_page(html)
    svgs = [i for i, e in enumerate(page.elements)
            if e.tag == "svg" and "qr" in (e.attrs.get("class") or "").split()]
    assert len(svgs) == 1, "one QR code per credential page"
    svg = page.elements[svgs[0]]
    x0, y0, width, height = (float(v) for v in (svg.attrs.get("viewbox") or "").split())
    assert (x0, y0) == (0, 0) and width == height == int(width)
    paths = []
    for element in page.elements[svgs[0] + 1:]:
        if element.tag not in ("path", "title", "desc", "g"):
            break
        if element.tag == "path":
            paths.append(element)
    assert len(paths) == 1
    assert paths[0].attrs.get("stroke-width") in (None, "1")
    assert "transform" not in paths[0].attrs and "transform" not in svg.attrs
    return qr_modules(paths[0].attrs["d"] or "", int(width)), svg.attrs.get("aria-label") or ""


def decode(grid: list[list[bool]]) -> list[str]:
    size = len(grid) + 2 * MARGIN
    image = Image.new("L", (size, size), 255)
    pixels = image.load()
    assert pixels is not None
    for r, cells in enumerate(grid):
        for c, dark in enumerate(cells):
            if dark:
                pixels[c + MARGIN, r + MARGIN] = 0
    image = image.resize((size * PX, size * PX), Image.Resampling.NEAREST)
    results = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)  # type: ignore[arg-type]
    return [r.text for r in results]


def assert_page_qr_is_its_url(page_file: Path, base_url: str) -> None:
    cred_id = page_file.stem
    url = f"{base_url}/c/{cred_id}"
    html = page_file.read_text(encoding="utf-8")
    grid, label = qr_of_page(html)
    assert decode(grid) == [url], page_file
    assert url in label
    assert f'<link rel="canonical" href="{url}">' in html


def test_rasteriser_reads_a_reference_svg_path() -> None:
    """The path reader agrees with segno's own module matrix (so a decode failure is the page's)."""
    code = segno.make_qr("https://example.org/c/0123456789ABCDEF", error="m")
    svg = code.svg_inline(scale=1, border=2, omitsize=True)
    d = re.search(r' d="([^"]+)"', svg)
    assert d
    grid = qr_modules(d[1], int(code.symbol_size(scale=1, border=2)[0]))
    assert grid == [[bool(v) for v in r] for r in code.matrix_iter(scale=1, border=2)]
    assert decode(grid) == ["https://example.org/c/0123456789ABCDEF"]


@pytest.fixture(scope="module")
def demo(demo_output: Path) -> Path:
    return demo_output


def test_every_demo_credential_page_qr_decodes_to_its_permanent_url(demo: Path) -> None:
    pages = sorted(demo.glob("c/*.html"))
    assert len(pages) >= 10
    for page in pages:
        assert_page_qr_is_its_url(page, "http://localhost:8000")


@pytest.mark.parametrize("base_url", ["https://credentials.example.org",
                                      "https://example.org/a/long/path/to/the/credentials/site"])
def test_qr_decodes_for_other_base_urls(tmp_path: Path, base_url: str) -> None:
    site = make_site(tmp_path, base_url)
    ids = site.issue([row(), row("José Müller", code="TEST-CNC"), row("王小明", code="TEST-PB")])
    out = site.build()
    for cred_id in ids:
        assert_page_qr_is_its_url(out / "c" / f"{cred_id}.html", base_url)

"""The QR code on a built credential page decodes (zxing-cpp) to the page's permanent URL.

The inline ``<svg class="qr">`` holds the code as a PNG image, one pixel a module; it is read here
with Pillow, so the test needs neither a browser nor the cairo library. (The path reader
``sitekit.qr_modules`` is checked against segno for the path SVG of ``qrencode.svg``.)
"""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import segno
import zxingcpp
from PIL import Image
from sitekit import make_site, parse_page, qr_modules, row

PX = 6  # pixels per module
MARGIN = 4  # extra white modules around the viewBox (the page's CSS draws the quiet zone)


def qr_of_page(html: str) -> tuple[list[list[bool]], str]:
    """The module grid of the page's ``<svg class="qr">`` (a PNG image, one pixel a module, that
    fills the viewBox and is drawn pixelated) and its aria-label."""
    page = parse_page(html)
    svgs = [i for i, e in enumerate(page.elements)
            if e.tag == "svg" and "qr" in (e.attrs.get("class") or "").split()]
    assert len(svgs) == 1, "one QR code per credential page"
    svg = page.elements[svgs[0]]
    x0, y0, width, height = (float(v) for v in (svg.attrs.get("viewbox") or "").split())
    assert (x0, y0) == (0, 0) and width == height == int(width)
    images = []
    for element in page.elements[svgs[0] + 1:]:
        if element.tag not in ("image", "title", "desc"):
            break
        if element.tag == "image":
            images.append(element)
    assert len(images) == 1
    attrs = images[0].attrs
    assert (attrs.get("width"), attrs.get("height")) == (str(int(width)),) * 2
    assert attrs.get("image-rendering") == "pixelated"
    assert "transform" not in attrs and "transform" not in svg.attrs
    href = attrs.get("href") or ""
    assert href.startswith("data:image/png;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(href.split(",", 1)[1], validate=True)))
    assert image.format == "PNG" and image.mode == "1" and image.size == (int(width),) * 2
    grid = [[image.getpixel((x, y)) == 0 for x in range(image.width)] for y in range(image.height)]
    return grid, svg.attrs.get("aria-label") or ""


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
    assert label == "QR code"  # the caption beside it shows the URL
    assert f'<a class="cert-url" href="{urlsplit(url).path}">{url}</a></figcaption>' in html
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


def test_png_svg_holds_the_same_modules_as_the_path_svg() -> None:
    """``qrencode.png_svg`` (pages) and ``qrencode.svg`` (a path) draw the same symbol."""
    from credsite.build import qrencode

    for text in ["https://example.org/c/0123456789ABCDEF", "http://localhost:8000/c/" + "Z" * 16,
                 "https://example.org/a/long/path/to/the/credentials/site/c/0123456789ABCDEF"]:
        png_grid, label = qr_of_page(f"<html><body>{qrencode.png_svg(text)}</body></html>")
        path = re.search(r' d="([^"]+)"', qrencode.svg(text))
        assert path and label == f"QR code: {text}"
        assert png_grid == qr_modules(path[1], len(png_grid))
        assert decode(png_grid) == [text]

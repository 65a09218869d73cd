"""QR codes for credential pages: compact inline SVG of the permanent URL.

Uses our own encoder (credsite.build.qrencode): about 0.1 ms a code against 4–5 ms for segno with
mask selection (bench/qr_bench.py), which is most of a credential page's cost at 100,000 pages.
The ``<svg>`` holds the code as a 1-bit PNG (about 560 bytes in all, against about 1,550 for the
same code drawn as a path): a kilobyte less on every credential page (issue 20).
"""

from __future__ import annotations

from credsite.build.qrencode import png_svg


def qr_svg(text: str) -> str:
    """An inline SVG QR code (level M, 2-module quiet zone, best mask by the ISO penalty rules).

    Its accessible name is "QR code": the page's caption beside it says what it holds (the
    permanent URL) and the figure takes its name from that caption, so the URL is not repeated in
    the label; nor is the SVG namespace, which inline SVG does not need (bytes on every page)."""
    return png_svg(text, border=2, css_class="qr", label="QR code", xmlns=False)

"""QR codes as compact inline SVG paths (one ``<path>``, no size attributes: CSS sizes it)."""

from __future__ import annotations

import segno


def qr_svg(text: str, title: str = "QR code") -> str:
    """An inline SVG QR code for ``text`` (error correction M, 2-module quiet zone).

    segno picks the mask by the ISO/IEC 18004 penalty rules; ``boost_error`` raises the error
    correction level when the symbol has room for it at the same version.
    """
    code = segno.make_qr(text, error="m")
    svg = code.svg_inline(scale=1, border=2, omitsize=True, svgclass="qr", lineclass=None,
                          title=title)
    # role/aria make the title the accessible name; the quiet zone is drawn by the CSS background.
    return str(svg).replace("<svg ", '<svg role="img" aria-label="QR code: ' + _attr(text) + '" ', 1)


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")

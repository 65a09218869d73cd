"""QR code SVG speed and size: credsite.build.qrencode against segno and python-qrcode.

    python bench/qr_bench.py [--count 2000] [--repeat 3]

Prints milliseconds per code (best of ``--repeat`` passes over the URLs, one core) and the mean
SVG size, then how often qrencode's automatic mask matches segno's.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from test_qrencode import _segno_codewords  # noqa: E402 - segno's padding, modelled once

from credsite.build import qrencode  # noqa: E402

BASES = (
    "https://credentials.example.org/c/",
    "http://localhost:8000/c/",
    "https://credentials.university-of-example.ac.uk/verify/c/",
)
ID_CHARS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def urls(count: int, seed: int = 2015) -> list[str]:
    rng = random.Random(seed)
    return [rng.choice(BASES) + "".join(rng.choice(ID_CHARS) for _ in range(16)) for _ in range(count)]


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def segno_svg(mask: int | None) -> Callable[[str], str]:
    import segno

    def render(text: str) -> str:  # as generator/qr.py did it before it had its own encoder
        code = segno.make_qr(text, error="m", mask=mask)
        out = code.svg_inline(scale=1, border=2, omitsize=True, svgclass="qr", lineclass=None,
                              title="QR code")
        return str(out).replace("<svg ", '<svg role="img" aria-label="QR code: ' + _attr(text) + '" ', 1)

    return render


def qrcode_svg(text: str) -> str:
    import qrcode
    from qrcode.image.svg import SvgPathImage

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2,
                         image_factory=SvgPathImage)
    code.add_data(text.encode(), optimize=0)
    return str(code.make_image().to_string(encoding="unicode"))


def compiled_encoders() -> list[tuple[str, Callable[[str], object]]]:
    """Encoders written in C/C++, where installed: zxing-cpp (a test dependency) and, if present,
    zint-bindings (``pip install zint-bindings``). Neither is a dependency of credsite."""
    rows: list[tuple[str, Callable[[str], object]]] = []
    try:
        import zxingcpp
    except ImportError:
        pass
    else:
        def zxing(text: str) -> object:
            return zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")

        def zxing_svg(text: str) -> str:
            return str(zxing(text).to_svg())  # type: ignore[attr-defined]

        rows += [("zxing-cpp create_barcode (no SVG)", zxing), ("zxing-cpp with to_svg()", zxing_svg)]
    try:
        import zint  # type: ignore[import-not-found]
    except ImportError:
        pass
    else:
        def zint_encode(text: str) -> object:
            symbol = zint.Symbol()
            symbol.symbology = zint.Symbology.QRCODE
            symbol.option_1 = 2  # level M
            symbol.encode(text.encode())
            return symbol

        rows.append(("zint-bindings encode (no SVG)", zint_encode))
    return rows


def measure(render: Callable[[str], object], items: list[str], repeat: int) -> tuple[float, float | None]:
    for text in items[:20]:  # warm caches and imports
        render(text)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for text in items:
            render(text)
        best = min(best, time.perf_counter() - start)
    outputs = [render(text) for text in items]
    sizes = [len(out.encode()) for out in outputs if isinstance(out, str)]
    size = statistics.fmean(sizes) if sizes else None
    return best / len(items) * 1e3, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    items = urls(args.count)
    lengths = [len(u) for u in items]
    versions = Counter(qrencode.encode(u).version for u in items)
    print(f"{len(items)} URLs, {min(lengths)}-{max(lengths)} characters; qrencode versions (level M): "
          + ", ".join(f"v{v}: {n}" for v, n in sorted(versions.items())))
    print()
    print(f"{'encoder':<40} {'ms/code':>8} {'SVG bytes':>10}")
    rows: list[tuple[str, Callable[[str], object]]] = [
        ("qrencode.svg (8 masks scored)", qrencode.svg),
        ("qrencode.encode only (no SVG)", qrencode.encode),
        ("segno, automatic mask", segno_svg(None)),
        ("segno, fixed mask 0", segno_svg(0)),
        ("qrcode SvgPathImage, automatic mask", qrcode_svg),
        *compiled_encoders(),
    ]
    for name, render in rows:
        ms, size = measure(render, items, args.repeat)
        shown = f"{'-':>10}" if size is None else f"{size:10.0f}"
        print(f"{name:<40} {ms:8.3f} {shown}")

    import segno

    same = same_given_codewords = 0
    for url in items:
        data = url.encode()
        reference = segno.make_qr(data, error="m", boost_error=False, mode="byte").mask
        same += qrencode.encode(data).mask == reference
        layout = qrencode._choose(len(data), "M")
        same_given_codewords += qrencode._place(_segno_codewords(data, layout), layout, None)[0] == reference
    print()
    print("automatic mask equal to segno's (make_qr(..., error='m', boost_error=False, mode='byte').mask):")
    print(f"  qrencode as is:                      {same}/{len(items)} = {same / len(items):.1%}")
    print(f"  qrencode given segno's codewords:    {same_given_codewords}/{len(items)}"
          f" = {same_given_codewords / len(items):.1%}")
    print("  (segno puts an extra 0x00 codeword after the terminator when there is room, heuer/segno#148;")
    print("   the standard pads with 0xEC 0x11 only, so the two symbols hold different codewords)")
    print()
    by_version: dict[int, list[int]] = {}
    for url in items:
        by_version.setdefault(qrencode.encode(url).version, []).append(len(qrencode.svg(url)))
    print("qrencode SVG bytes by version: "
          + ", ".join(f"v{v}: {statistics.fmean(n):.0f}" for v, n in sorted(by_version.items())))


if __name__ == "__main__":
    main()

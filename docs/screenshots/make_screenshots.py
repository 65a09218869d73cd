"""Remake the README screenshots from a fresh build of the demo.

    python docs/screenshots/make_screenshots.py

Builds content/ into a temporary folder, answers it at its base URL (http://localhost:8000)
inside Chromium (tests/browser/sitehost.py, so port 8000 stays free) and writes, next to this
file: credential-phone.png (390 × 844, scrolled to the QR code and the sharing tools),
credential-desktop.png (1280 × 900) and
certificate-print.png (the printed certificate, US Letter, through `pdftoppm` from
poppler-utils). Needs Debian's chromium and Playwright for Python, like the browser tests.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))

from playwright.sync_api import sync_playwright  # noqa: E402
from sitehost import host_site, wait_verified  # noqa: E402

from credsite.build.pipeline import build_site  # noqa: E402

BASE = "http://localhost:8000"
CREDENTIAL = "J6KVME13MTSV90QD"  # a demo credential that expires (shows "Valid until")


def main() -> None:
    pdftoppm = shutil.which("pdftoppm")
    if not pdftoppm:
        sys.exit("pdftoppm not found: apt-get install poppler-utils")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        build_site(REPO / "content", out, quiet=True)
        cred_id = CREDENTIAL if (out / "c" / f"{CREDENTIAL}.html").is_file() else sorted(
            p.stem for p in (out / "c").glob("*.html"))[0]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium"),
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            for name, width, height, scale in (("phone", 390, 844, 2), ("desktop", 1280, 900, 1)):
                context = browser.new_context(viewport={"width": width, "height": height},
                                              device_scale_factor=scale, is_mobile=name == "phone")
                host_site(context, out, BASE)
                page = context.new_page()
                page.goto(f"{BASE}/c/{cred_id}")
                wait_verified(page)
                if name == "phone":  # the QR code and the sharing tools below it
                    page.evaluate("document.querySelector('.cert-qr').scrollIntoView({behavior: 'instant'})")
                page.screenshot(path=str(HERE / f"credential-{name}.png"))
                if name == "desktop":
                    page.emulate_media(media="print")
                    pdf = Path(tmp) / "certificate.pdf"
                    pdf.write_bytes(page.pdf(format="Letter"))
                    subprocess.run([pdftoppm, "-png", "-r", "80", "-singlefile", str(pdf),  # noqa: S603
                                    str(HERE / "certificate-print")], check=True)
                context.close()
            browser.close()
    for path in sorted(HERE.glob("*.png")):
        print(f"{path.relative_to(REPO)}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()

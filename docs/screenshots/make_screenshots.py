"""Remake the README screenshots from a fresh build of the demo.

    python docs/screenshots/make_screenshots.py [credential] [holder] [batch]

Builds content/ into a temporary folder, answers it at its base URL (http://localhost:8000)
inside Chromium (tests/browser/sitehost.py, so port 8000 stays free) and writes, next to this
file: credential-phone.png (390 × 844, scrolled to the QR code and the sharing tools),
credential-desktop.png (1280 × 900) and
certificate-print.png (the printed certificate, US Letter, through `pdftoppm` from
poppler-utils). Needs Debian's chromium and Playwright for Python, like the browser tests.

``holder`` and ``batch`` build a second site with the demo catalog and a fresh key (the demo
awards have one credential per person): holder-page.png (a holder page with six credentials, one
revoked, and ``?require=``) and batch-check.png (a mixed batch on /verify/), both 1280 wide.
Name the groups to remake (default: all).
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

sys.path.insert(0, str(REPO / "tests"))

from credsite.build.pipeline import build_site  # noqa: E402

BASE = "http://localhost:8000"
CREDENTIAL = "J6KVME13MTSV90QD"  # a demo credential that expires (shows "Valid until")


def showcase(root: Path) -> tuple[Path, str, list[str]]:
    """A site with the demo catalog: Rosa holds six Machining Level I credentials (one revoked).

    Returns the built output, Rosa's holder key and a batch of links, IDs and a typo."""
    from sitekit import award_row, make_site

    from credsite.content.register import load_register
    from credsite.issuer.revocation import revoke
    from credsite.trust.ids import check_symbol, typed_credential_id

    site = make_site(root, BASE)
    shutil.rmtree(site.content / "credentials")
    shutil.copytree(REPO / "content" / "credentials", site.content / "credentials")
    text = site.site_yaml.read_text(encoding="utf-8")
    text = text.replace("Test Institute credentials", "Northbridge Institute credentials (demo)")
    site.site_yaml.write_text(text.replace("name: Test Institute", "name: Northbridge Institute (demo)"),
                              encoding="utf-8")
    rosa = [("MACH1-MMS", "2025-03-14"), ("MACH1-DP", "2025-03-14"), ("MACH1-MILL", "2025-06-20"),
            ("MACH1-CNCT-OP", "2025-06-20"), ("MACH1-CNCM-OP", "2026-02-11"), ("MF1-PB", "2026-04-02")]
    rows = [award_row("Rosa Hernández", code, f"{day}T15:00:00Z", email="rosa@example.org")
            for code, day in rosa if (site.content / "credentials" / f"{code}.md").is_file()]
    others = [award_row(name, code, "2026-05-05T15:00:00Z", email=f"{name.split()[0].lower()}@example.org")
              for name, code in (("Jamal Okafor", "MACH1-MMS"), ("Kateřina Silva", "MACH1-DP"),
                                 ("Quinn Rossi", "MACH1-MILL"))]
    ids = site.issue(rows + others)
    revoke(site.content, site.site, site.signer, [ids[len(rows) - 1]], "Issued in error: wrong exam session")
    out = site.build()
    key = load_register(site.content)[ids[0]].holder
    last = ids[-1]
    changed = last[:5] + ("X" if last[5] != "X" else "Y") + last[6:]
    typo = typed_credential_id(changed)[:-1] + check_symbol(last)
    batch = [f"{BASE}/c/{ids[0]}", f"{BASE}/c/{ids[len(rows) - 1]}", typed_credential_id(ids[len(rows)]),
             ids[len(rows) + 1].lower(), typo, "0000-0000-0000-0000-0", f"{BASE}/c/{ids[2]}"]
    return out, key, batch


def new_holder_and_batch(browser: object, tmp: Path) -> None:
    out, key, batch = showcase(Path(tmp) / "showcase")
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    host_site(context, out, BASE)
    page = context.new_page()
    page.goto(f"{BASE}/h/{key}?require=MACH1-MMS,MACH1-MILL,MF1-PB,MACH1-GRND")
    page.wait_for_selector("html[data-holder-checked]", state="attached")
    page.screenshot(path=str(HERE / "holder-page.png"), full_page=True)
    page.goto(f"{BASE}/verify/?require=MACH1-MMS,MACH1-DP")
    page.wait_for_selector("#batch:not([hidden])")
    page.fill("#batch-input", "\n".join(batch))
    page.click("#batch-button")
    page.wait_for_selector("#batch[data-checked]")
    page.evaluate("document.getElementById('batch').scrollIntoView({behavior: 'instant'})")
    page.locator("#batch").screenshot(path=str(HERE / "batch-check.png"))
    context.close()


def main() -> None:
    wanted = set(sys.argv[1:]) or {"credential", "holder", "batch"}
    pdftoppm = shutil.which("pdftoppm")
    if not pdftoppm and "credential" in wanted:
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
            if wanted & {"holder", "batch"}:
                new_holder_and_batch(browser, Path(tmp))
            for name, width, height, scale in (("phone", 390, 844, 2), ("desktop", 1280, 900, 1)):
                if "credential" not in wanted:
                    break
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
                    subprocess.run([str(pdftoppm), "-png", "-r", "80", "-singlefile", str(pdf),  # noqa: S603
                                    str(HERE / "certificate-print")], check=True)
                context.close()
            browser.close()
    for path in sorted(HERE.glob("*.png")):
        print(f"{path.relative_to(REPO)}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()

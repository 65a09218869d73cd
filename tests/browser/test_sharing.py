"""Sharing, printing and the employer's tools on real builds, in Chromium.

The demo (``content/``, base_url http://localhost:8000) and a mini site are built with the real
build and answered at their own base URLs by ``sitehost`` (Playwright routing), so their pages
verify. Covered: the LinkedIn add-to-profile link (built by share.js from the embedded signed
credential), the permanent link and Copy link (clipboard and its fallback), the QR code downloads
(decoded with zxing-cpp), the print hint, the e-mail check on the credential page and on /verify/
(match, mismatch, no hash; no request carries the address), that the hash agrees with
generator/credential.py, Open Graph metadata, and the one-page certificate on Letter and A4.
Small hand-made pages that load the real script bundle check the LinkedIn URL's encoding and that
the bundle does nothing (and throws nothing) on pages without its elements.
"""

from __future__ import annotations

import base64
import io
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, quote_plus, urlsplit

import pytest
from e2e_kit import credential_ids
from e2e_kit import script_json as e2e_script_json
from sitehost import host_site, open_page, wait_verified

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(REPO_ROOT / "tests"))

from sitekit import MiniSite, make_site, row  # noqa: E402

from credsite.build.pipeline import build_site  # noqa: E402
from credsite.content.credential import email_identity  # noqa: E402
from credsite.content.site import load_site  # noqa: E402
from credsite.issuer.revocation import revoke  # noqa: E402

DEMO_BASE = "http://localhost:8000"
MINI_BASE = "http://127.0.0.1:8765"
EMAIL = "Ada.Lovelace@Example.org"
LONG_NAME = ("Computer Numerical Control Turning Centers: Programming, Setup, Operations, "
             "Inspection & Process Improvement #2")
ISSUER = "Ünïon Institut für Prüfung & Zertifizierung #1 (demo)"
LONG_HOLDER = "Maria Fernanda de los Ángeles Guadalupe Rodríguez-Castellanos y Villanueva-Ortega"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "out"
    build_site(REPO_ROOT / "content", out, quiet=True)
    return out


def demo_ids(out: Path) -> list[str]:
    return credential_ids(out)


class Mini:
    def __init__(self, site: MiniSite, out: Path, ids: dict[str, str]) -> None:
        self.site, self.out, self.ids = site, out, ids


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Mini:
    site = make_site(tmp_path_factory.mktemp("share"), MINI_BASE)
    site.site_yaml.write_text(site.site_yaml.read_text(encoding="utf-8").replace(
        "name: Test Institute\n", f"name: {json.dumps(ISSUER)}\n", 1), encoding="utf-8")
    (site.content / "credentials" / "TEST-LONG.md").write_text(
        f"---\ncode: TEST-LONG-CNC-TURNING-PSO\nname: {json.dumps(LONG_NAME)}\nlevel: Level II\n"
        "group: Machining Level II (Advanced Computer Numerical Control)\ncategory: Test\norder: 9\n"
        "performance_exam: p\ntheory_exam: t\nvalidity_years: 3\n---\nLong.\n", encoding="utf-8")
    (site.content / "credentials" / "TEST-LONG.md").rename(
        site.content / "credentials" / "TEST-LONG-CNC-TURNING-PSO.md")
    names = ["plain", "expiring", "no-email", "long", "long-ok"]
    ids = site.issue([
        row(email=EMAIL),
        row(code="TEST-CNC", email=EMAIL),
        row(name="Grace Hopper", code="TEST-PB", email=""),
        row(name=LONG_HOLDER, code="TEST-LONG-CNC-TURNING-PSO", email=EMAIL,
            test_site="Lakeside Community and Technical College, Advanced Manufacturing Center"),
        row(name=LONG_HOLDER, code="TEST-LONG-CNC-TURNING-PSO", email=EMAIL),
    ])
    by_name = dict(zip(names, ids, strict=True))
    revoke(site.content, load_site(site.content), site.signer, [by_name["long"]],
           "Issued in error: the theory exam was scored against the wrong answer key, and the "
           "candidate will be re-examined at the next session.")
    return Mini(site, site.build(), by_name)


def open_credential(new_page: Any, out: Path, base: str, cred_id: str, **options: Any) -> Any:
    page = open_page(new_page, out, base, f"/c/{cred_id}", **options)
    wait_verified(page)
    return page


# --------------------------------------------------------------------------- LinkedIn

LINKEDIN_LINK = "#share a[href^='https://www.linkedin.com/']"


def linkedin_query(page: Any) -> tuple[dict[str, list[str]], dict[str, str | None]]:
    links = page.locator(LINKEDIN_LINK)
    assert links.count() == 1
    link = page.locator("a", has_text="Add to LinkedIn profile")
    assert link.count() == 1
    href = link.get_attribute("href")
    parts = urlsplit(href)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.linkedin.com", "/profile/add")
    assert " " not in href and "#" not in href  # every value percent-encoded
    return parse_qs(parts.query, strict_parsing=True), {
        "rel": link.get_attribute("rel"), "target": link.get_attribute("target"),
        "text": link.text_content(), "hidden": link.locator(".visually-hidden").text_content()}


def expected_query(credential: dict[str, Any]) -> dict[str, list[str]]:
    issued = credential["validFrom"]
    cred_id = credential["id"].rsplit("/", 1)[1]
    expected = {
        "startTask": ["CERTIFICATION_NAME"],
        "name": [credential["credentialSubject"]["achievement"]["name"]],
        "organizationName": [credential["issuer"]["name"]],
        "issueYear": [str(int(issued[:4]))], "issueMonth": [str(int(issued[5:7]))],
        "certUrl": [credential["id"]], "certId": [cred_id],
    }
    if "validUntil" in credential:
        expected["expirationYear"] = [str(int(credential["validUntil"][:4]))]
        expected["expirationMonth"] = [str(int(credential["validUntil"][5:7]))]
    return expected


def test_linkedin_link_of_a_demo_credential(demo: Path, new_page: Any) -> None:
    cred_id = demo_ids(demo)[0]
    assert "linkedin" not in (demo / "c" / f"{cred_id}.html").read_text(encoding="utf-8")  # JS adds it
    page = open_credential(new_page, demo, DEMO_BASE, cred_id)
    assert page.get_attribute("#verdict", "data-verdict") == "verified"
    credential = json.loads((demo / "c" / f"{cred_id}.json").read_bytes())
    query, attrs = linkedin_query(page)
    assert attrs == {"rel": "noopener", "target": "_blank",
                     "text": "Add to LinkedIn profile (opens in a new tab)",
                     "hidden": " (opens in a new tab)"}
    assert query == expected_query(credential)
    assert query["certUrl"] == [f"{DEMO_BASE}/c/{cred_id}"] and query["certId"] == [cred_id]
    assert page.locator("a", has_text="Add to LinkedIn profile").is_visible()
    # in the list of actions, right before the QR downloads and the JSON download
    items = page.locator("#share ul.share-actions > li").all_text_contents()
    assert items[:4] == ["Add to LinkedIn profile (opens in a new tab)", "Download QR code (SVG)",
                         "Download QR code (PNG)", "Download credential (JSON)"], items
    assert not page.credsite_errors


def test_linkedin_link_has_expiry_only_for_an_expiring_credential(mini: Mini, new_page: Any) -> None:
    page = open_credential(new_page, mini.out, MINI_BASE, mini.ids["expiring"])
    query, _ = linkedin_query(page)
    credential = mini.site.credentials()[mini.ids["expiring"]]
    assert query == expected_query(credential)
    assert query["expirationYear"] == [str(int(credential["validUntil"][:4]))]
    assert query["expirationMonth"] == [str(int(credential["validUntil"][5:7]))]
    assert query["name"] == ["CNC Milling: Operations"]
    assert query["organizationName"] == [ISSUER]
    page = open_credential(new_page, mini.out, MINI_BASE, mini.ids["plain"])
    query, _ = linkedin_query(page)
    assert "expirationYear" not in query and "expirationMonth" not in query
    assert query["name"] == ["Measurement, Materials & Safety"]  # & encoded, not split
    assert query == expected_query(mini.site.credentials()[mini.ids["plain"]])


def test_linkedin_link_encodes_unicode_ampersands_and_hashes(mini: Mini, new_page: Any) -> None:
    page = open_credential(new_page, mini.out, MINI_BASE, mini.ids["long-ok"])
    assert page.get_attribute("#verdict", "data-verdict") == "verified"
    query, _ = linkedin_query(page)
    assert query["name"] == [LONG_NAME] and query["organizationName"] == [ISSUER]
    assert query == expected_query(mini.site.credentials()[mini.ids["long-ok"]])
    href = page.locator(LINKEDIN_LINK).get_attribute("href")
    assert "&name=Computer%20Numerical%20Control%20" in href  # %20, not +
    assert "%26%20Process%20Improvement%20%232&" in href and "%C3%9Cn%C3%AFon%20" in href
    # a revoked credential offers no "Add to LinkedIn" (issue 18: bad verdicts look bad)
    page = open_credential(new_page, mini.out, MINI_BASE, mini.ids["long"])
    assert page.get_attribute("#verdict", "data-verdict") == "revoked"
    assert page.locator("a[href^='https://www.linkedin.com/']").count() == 0


# Hand-made pages with the real script bundle, as the build makes it (generator/render.py), under
# the credential page's CSP. The verifier runs too and rejects these credentials; share.js does not
# care: it shares whatever the page embeds (the verdict says whether to trust it).

BUNDLE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
              "connect-src 'self'; base-uri 'none'")
SHARE_SECTION = """<section id="share" class="cred-section share" aria-labelledby="share-heading">
<h2 id="share-heading">Share, download and print</h2>
<ul class="link-row share-actions">
<li id="share-json"><a class="button button-secondary" href="/c/ABC.json" download>Download credential \
(JSON)</a></li>
<li><a class="button button-secondary" href="/credentials/X/">About this credential type</a></li>
</ul>
</section>"""


def bundle_page(body: str, data: str | None = None, canonical: str | None = None) -> str:
    embedded = ("" if data is None else
                f'<script type="application/ld+json" id="credential-data">{data}</script>')
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{BUNDLE_CSP}">{link}'
            f"<title>bundle</title></head><body><main>{body}</main>{embedded}"
            f'<script src="/assets/credsite.js" defer></script></body></html>')


@pytest.fixture
def bundle_site(tmp_path: Path, serve_dir: Any) -> tuple[Path, str]:
    from credsite.build.render import script_bundle

    # The verifier with the sharing tools and the e-mail check, minified as the build ships them.
    parts = ("i18n.js", "verifier-core.js", "verifier-page.js", "share.js", "email-check.js")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "credsite.js").write_bytes(script_bundle(REPO_ROOT / "templates", parts))
    return tmp_path, serve_dir(tmp_path)


def open_bundle_page(new_page: Any, bundle_site: tuple[Path, str], name: str, html: str) -> Any:
    folder, base = bundle_site
    (folder / f"{name}.html").write_text(html, encoding="utf-8")
    page = new_page()
    page.goto(f"{base}/{name}.html")
    page.wait_for_function("() => typeof window.CredsiteVerifier === 'object' && "
                           "typeof window.CredsiteEmailCheck === 'object'")
    return page


def credential_for_sharing(**changes: Any) -> dict[str, Any]:
    credential: dict[str, Any] = {
        "id": "https://x.example/c/ABC?x=1&y=2",
        "issuer": {"type": ["Profile"], "name": "Ünïon Inst. (demo)"},
        "validFrom": "2026-03-14T15:00:00Z",
        "credentialSubject": {"achievement": {"name": "Press Brake: Setup & Operations #1"}},
    }
    credential.update(changes)
    return credential


def test_linkedin_url_encodes_every_value_and_has_expiry_only_when_it_expires(
        bundle_site: tuple[Path, str], new_page: Any) -> None:
    """The cases of the former Python test of generator/render.py linkedin_add_url."""
    page = open_bundle_page(new_page, bundle_site, "plain",
                            bundle_page(SHARE_SECTION, e2e_script_json(credential_for_sharing())))
    query, attrs = linkedin_query(page)
    href = page.locator(LINKEDIN_LINK).get_attribute("href")
    assert "&y=" not in href and "+" not in href
    assert query == {
        "startTask": ["CERTIFICATION_NAME"], "name": ["Press Brake: Setup & Operations #1"],
        "organizationName": ["Ünïon Inst. (demo)"], "issueYear": ["2026"], "issueMonth": ["3"],
        "certUrl": ["https://x.example/c/ABC?x=1&y=2"], "certId": ["ABC"]}
    assert list(parse_qs(urlsplit(href).query)) == [
        "startTask", "name", "organizationName", "issueYear", "issueMonth", "certUrl", "certId"]
    assert attrs["rel"] == "noopener" and attrs["target"] == "_blank"
    assert page.input_value("#share-url") == "https://x.example/c/ABC?x=1&y=2"
    assert not page.credsite_errors

    expiring = credential_for_sharing(
        id="https://x.example/c/I", validUntil="2031-12-01T00:00:00Z",
        issuer={"name": "O"}, credentialSubject={"achievement": {"name": "N"}})
    page = open_bundle_page(new_page, bundle_site, "expiring",
                            bundle_page(SHARE_SECTION, e2e_script_json(expiring)))
    query, _ = linkedin_query(page)
    assert query["expirationYear"] == ["2031"] and query["expirationMonth"] == ["12"]
    href = page.locator(LINKEDIN_LINK).get_attribute("href")
    assert list(parse_qs(urlsplit(href).query)) == [
        "startTask", "name", "organizationName", "issueYear", "issueMonth", "expirationYear",
        "expirationMonth", "certUrl", "certId"]

    # year and month in UTC: 23:30 at -02:00 on March 31 is April 1 in UTC
    utc = credential_for_sharing(validFrom="2026-12-31T23:30:00-02:00",
                                 validUntil="2031-03-31T23:30:00-02:00")
    page = open_bundle_page(new_page, bundle_site, "utc",
                            bundle_page(SHARE_SECTION, e2e_script_json(utc)))
    query, _ = linkedin_query(page)
    assert (query["issueYear"], query["issueMonth"]) == (["2027"], ["1"])
    assert (query["expirationYear"], query["expirationMonth"]) == (["2031"], ["4"])


@pytest.mark.parametrize("case", ["no data", "not JSON", "not an object", "no name", "no issuer",
                                  "bad date", "id not a URL", "javascript id"])
def test_without_usable_embedded_data_there_is_no_linkedin_link(
        bundle_site: tuple[Path, str], new_page: Any, case: str) -> None:
    good = credential_for_sharing()
    data = {
        "no data": None,
        "not JSON": "{not json",
        "not an object": "[1, 2]",
        "no name": e2e_script_json(credential_for_sharing(credentialSubject={})),
        "no issuer": e2e_script_json({k: v for k, v in good.items() if k != "issuer"}),
        "bad date": e2e_script_json(credential_for_sharing(validFrom="March 2026")),
        "id not a URL": e2e_script_json(credential_for_sharing(id="ABC")),
        "javascript id": e2e_script_json(credential_for_sharing(id="javascript:alert(1)//c/ABC")),
    }[case]
    canonical = "https://x.example/c/CANON"
    page = open_bundle_page(new_page, bundle_site, "bad", bundle_page(SHARE_SECTION, data, canonical))
    assert page.locator("#share a", has_text="LinkedIn").count() == 0, case
    assert not page.credsite_errors, page.credsite_errors
    # the rest still works: the permanent link (from the id, else the canonical URL), the hint
    expected_url = canonical if case in ("no data", "not JSON", "not an object", "id not a URL",
                                         "javascript id") else good["id"]
    assert page.input_value("#share-url") == expected_url
    assert page.locator("#copy-link").count() == 1
    assert page.locator("#share > p.print-hint").count() == 1
    assert page.locator("#share ul.share-actions > li").all_inner_texts() == [
        "Download credential (JSON)", "About this credential type"]  # no QR code on this page


def test_the_bundle_does_nothing_on_pages_without_its_elements(
        bundle_site: tuple[Path, str], new_page: Any) -> None:
    bodies = {
        "empty": "<p>Nothing here.</p>",
        "share without a list": '<section id="share"><h2>Share</h2></section>',
        "list without share": '<ul class="share-actions"><li id="share-json">x</li></ul>',
    }
    for name, body in bodies.items():
        page = open_bundle_page(new_page, bundle_site, name.replace(" ", "-"), bundle_page(body))
        assert page.evaluate("document.querySelector('main').innerHTML") == body, name
        assert not page.credsite_errors, (name, page.credsite_errors)


# --------------------------------------------------------------------------- Copy link


def test_copy_link_puts_the_permanent_url_on_the_clipboard(demo: Path, new_page: Any) -> None:
    cred_id = demo_ids(demo)[1]
    page = new_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=DEMO_BASE)
    host_site(page.context, demo, DEMO_BASE)
    page.goto(f"{DEMO_BASE}/c/{cred_id}")
    wait_verified(page)
    button = page.locator("#copy-link")
    assert button.is_visible() and button.inner_text() == "Copy link"
    button.click()
    status = page.locator("#share-status")
    page.wait_for_selector("#share-status:has-text('Copied')")  # selectors: the CSP forbids eval
    assert status.is_visible()
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    assert page.evaluate("navigator.clipboard.readText()") == f"{DEMO_BASE}/c/{cred_id}"
    assert not page.credsite_errors


def test_copy_link_fallback_selects_the_url(mini: Mini, new_page: Any) -> None:
    page = new_page()
    page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: {writeText: "
                         "() => Promise.reject(new Error('denied'))}});")
    host_site(page.context, mini.out, MINI_BASE)
    page.goto(f"{MINI_BASE}/c/{mini.ids['plain']}")
    wait_verified(page)
    page.click("#copy-link")
    page.wait_for_selector("#share-status:has-text('the link is selected')")
    selection = page.evaluate("""() => {
        const input = document.activeElement;
        return [input.id, input.value.slice(input.selectionStart, input.selectionEnd)];
    }""")
    assert selection == ["share-url", f"{MINI_BASE}/c/{mini.ids['plain']}"]


# --------------------------------------------------------------------------- QR downloads


def decode(image: Any) -> list[str]:
    import zxingcpp

    return [r.text for r in zxingcpp.read_barcodes(image)]


def rasterise_svg(new_page: Any, svg: bytes) -> Any:
    """Chromium's rendering of a standalone SVG file, as a PIL image."""
    from PIL import Image

    page = new_page()
    data = base64.b64encode(svg).decode()
    page.set_content(f'<body style="margin:0;background:#777"><img id="q" '
                     f'src="data:image/svg+xml;base64,{data}"></body>')
    page.wait_for_function("document.getElementById('q').complete")
    return Image.open(io.BytesIO(page.locator("#q").screenshot()))


def test_qr_svg_download_decodes_to_the_page_url(demo: Path, new_page: Any, tmp_path: Path) -> None:
    cred_id = demo_ids(demo)[2]
    page = open_credential(new_page, demo, DEMO_BASE, cred_id, accept_downloads=True)
    link = page.locator("#qr-svg")
    assert link.is_visible() and (link.get_attribute("href") or "").startswith("blob:")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == f"credential-{cred_id}-qr.svg"
    path = tmp_path / "qr.svg"
    download.save_as(path)
    svg = path.read_bytes()
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    rect = root.find("{http://www.w3.org/2000/svg}rect")
    assert rect is not None and rect.get("fill") == "#ffffff"  # its own white background
    x, y, w, h = (float(v) for v in root.get("viewBox", "").split())
    assert x == y == -2 and w == h  # 4-module quiet zone in all
    image = rasterise_svg(new_page, svg)
    assert decode(image) == [f"{DEMO_BASE}/c/{cred_id}"]
    assert not page.credsite_errors


def test_qr_png_download_decodes_to_the_page_url(demo: Path, new_page: Any, tmp_path: Path) -> None:
    from PIL import Image

    cred_id = demo_ids(demo)[3]
    page = open_credential(new_page, demo, DEMO_BASE, cred_id, accept_downloads=True)
    with page.expect_download() as info:
        page.click("#qr-png")
    download = info.value
    assert download.suggested_filename == f"credential-{cred_id}-qr.png"
    path = tmp_path / "qr.png"
    download.save_as(path)
    image = Image.open(path)
    assert image.format == "PNG" and image.width == image.height and 500 <= image.width <= 600
    rgb = image.convert("RGB")
    assert rgb.getpixel((2, 2)) == (255, 255, 255)  # white quiet zone
    assert decode(image) == [f"{DEMO_BASE}/c/{cred_id}"]
    assert not page.credsite_errors


# --------------------------------------------------------------------------- e-mail check


def record_requests(page: Any) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda r: seen.append(f"{r.method} {r.url} {r.post_data or ''}"))
    return seen


def leaks(requests: list[str], address: str) -> list[str]:
    forms = {address, address.strip(), address.strip().lower(), quote(address.strip()),
             quote_plus(address.strip()), quote(address.strip(), safe=""),
             quote(address.strip().lower(), safe="")}
    return [r for r in requests for f in forms if f and f.lower() in r.lower()]


def check_email(page: Any, address: str) -> tuple[str | None, str]:
    page.fill("#email-check-input", address)
    page.click("#email-check-form button[type=submit]")
    page.wait_for_selector("#email-check-result[data-result]")
    result = page.locator("#email-check-result")
    return result.get_attribute("data-result"), result.inner_text()


def test_email_check_on_the_credential_page(mini: Mini, new_page: Any) -> None:
    page = new_page()
    requests = record_requests(page)
    host_site(page.context, mini.out, MINI_BASE)
    page.goto(f"{MINI_BASE}/c/{mini.ids['plain']}")
    wait_verified(page)
    # The e-mail check comes with the sharing tools, which load after the verdict.
    page.locator("#email-check-input").wait_for(state="visible")
    before = len(requests)
    typed = "  ada.LOVELACE@example.org \t"
    assert check_email(page, typed) == (
        "match", "Matches: this is the e-mail address stored (hashed) in the credential.")
    kind, text = check_email(page, "ada@example.com")
    assert kind == "mismatch" and text.startswith("Does not match")
    page.fill("#email-check-input", "")
    page.press("#email-check-input", "Enter")
    page.wait_for_selector("#email-check-result[data-result='empty']")
    page.wait_for_timeout(200)
    assert requests[before:] == []  # the check makes no request at all
    assert leaks(requests, typed) == [] and leaks(requests, "ada@example.com") == []
    assert not page.credsite_errors


def test_email_check_without_an_email_hash(mini: Mini, new_page: Any) -> None:
    page = open_credential(new_page, mini.out, MINI_BASE, mini.ids["no-email"])
    kind, text = check_email(page, "grace@example.org")
    assert kind == "no-hash" and "has no e-mail hash" in text


def test_email_check_on_the_verify_page(mini: Mini, new_page: Any) -> None:
    page = new_page()
    requests = record_requests(page)
    host_site(page.context, mini.out, MINI_BASE)
    page.goto(f"{MINI_BASE}/verify/")
    page.wait_for_selector("[data-email-check]:not([hidden])")
    kind, _ = check_email(page, EMAIL)
    assert kind == "no-credential"
    raw = (mini.out / "c" / f"{mini.ids['expiring']}.json").read_text(encoding="utf-8")
    page.fill("#verify-input", raw)
    page.click("#verify-button")
    page.wait_for_selector("#verdict[data-verdict='verified']")
    assert page.get_attribute("#email-check-result", "data-result") is None  # reset by the result
    assert check_email(page, EMAIL.upper())[0] == "match"
    assert check_email(page, "ada.lovelace@example.com")[0] == "mismatch"
    raw = (mini.out / "c" / f"{mini.ids['no-email']}.json").read_text(encoding="utf-8")
    page.fill("#verify-input", raw)
    page.click("#verify-button")
    # the new result resets the e-mail check
    page.wait_for_selector("#email-check-result:not([data-result])", state="attached")
    assert check_email(page, EMAIL)[0] == "no-hash"
    # a credential file chosen with the file input
    page.set_input_files("#verify-file", str(mini.out / "c" / f"{mini.ids['plain']}.json"))
    page.wait_for_selector("#email-check-result:not([data-result])", state="attached")
    page.wait_for_selector("#verdict[data-verdict='verified']")
    assert check_email(page, f" {EMAIL} ")[0] == "match"
    assert leaks(requests, EMAIL) == [] and leaks(requests, "ada.lovelace@example.com") == []
    assert not page.credsite_errors


PYTHON_SPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
ADDRESSES = [
    "ada@example.org",
    "  MiXeD.Case@Example.ORG  ",
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u2003x@y.z\u3000\u2028",
    "\ufeffbom@example.org",  # JavaScript's trim() would drop U+FEFF; Python's strip() does not
    "ÄÖÜ.İstanbul.ΟΔΥΣΣΕΥΣ@Ünïcode.example",
    "王小明@例子.中国",
    "ǅemal+tag@example.org",
]


def test_email_hash_agrees_with_the_generator(mini: Mini, new_page: Any) -> None:
    assert set(PYTHON_SPACE) <= set("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2028\u2029\u202f"
                                    "\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200b))))
    page = open_page(new_page, mini.out, MINI_BASE, "/verify/")
    page.wait_for_selector("[data-email-check]:not([hidden])")
    salt = "Zk3_salt-0123456789abc"
    for address in [*ADDRESSES, PYTHON_SPACE + "edge@example.org" + PYTHON_SPACE]:
        expected = email_identity(address, salt)["identityHash"]
        got = page.evaluate("([a, s]) => CredsiteEmailCheck.emailHash(a, s)", [address, salt])
        assert got == expected, repr(address)
        credential = {"credentialSubject": {"identifier": [email_identity(address, salt)]}}
        assert page.evaluate("([c, a]) => CredsiteEmailCheck.checkEmail(c, a)",
                             [credential, address.strip().upper()]) in ("match", "mismatch")
        assert page.evaluate("([c, a]) => CredsiteEmailCheck.checkEmail(c, a)",
                             [credential, address]) == "match"


def test_without_javascript_there_are_no_dead_controls(mini: Mini, new_page: Any) -> None:
    page = open_page(new_page, mini.out, MINI_BASE, f"/c/{mini.ids['plain']}",
                     java_script_enabled=False)
    assert page.locator("a", has_text="Download credential (JSON)").is_visible()
    assert page.locator("a", has_text="About this credential type").is_visible()
    assert page.locator("#share-url, #copy-link, #share-status, #qr-svg, #qr-png, "
                        "#email-check-input, .print-hint").count() == 0
    assert page.locator("#share a", has_text="LinkedIn").count() == 0
    assert not page.locator("[data-email-check]").is_visible()
    page = open_page(new_page, mini.out, MINI_BASE, "/verify/", java_script_enabled=False)
    assert page.locator("#email-check-input").count() == 0


def test_share_section_built_by_the_script(mini: Mini, new_page: Any) -> None:
    """Label, link, Copy link and status before the list; the print hint after it."""
    cred_id = mini.ids["plain"]
    page = open_credential(new_page, mini.out, MINI_BASE, cred_id)
    share = page.locator("#share")
    order = share.evaluate("""s => Array.from(s.children).map(e => e.tagName.toLowerCase() +
        (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className.split(' ').join('.') : ''))""")
    assert order == ["h2#share-heading", "label", "div.field-row.share-link", "p#share-status.share-status",
                     "ul.link-row.share-actions", "p.muted.print-hint",
                     "p.share-status.badge-status"], order  # the last: badge-bake.js's live region
    label = share.locator("label")
    assert label.inner_text() == "Permanent link to this page" and label.get_attribute("for") == "share-url"
    url = page.locator("#share-url")
    assert url.input_value() == f"{MINI_BASE}/c/{cred_id}"
    assert url.get_attribute("type") == "url" and url.get_attribute("readonly") is not None
    assert url.get_attribute("class") == "share-url"
    assert page.locator("#share-link, .share-link #copy-link").count() == 1
    assert page.locator("#share-status").inner_text() == ""
    hint = page.locator("#share > p.print-hint")
    assert hint.count() == 1 and hint.is_visible()
    assert hint.inner_text() == ("To print a one-page certificate on US Letter or A4 paper, use your "
                                 "browser's Print command.")
    assert not page.credsite_errors


# --------------------------------------------------------------------------- metadata


def test_open_graph_metadata_of_a_credential_page(demo: Path, new_page: Any) -> None:
    cred_id = demo_ids(demo)[4]
    page = open_credential(new_page, demo, DEMO_BASE, cred_id)
    metas = page.evaluate("""() => Object.fromEntries(Array.from(document.querySelectorAll(
        'meta[property^="og:"], meta[name^="twitter:"]')).map(m => [
        m.getAttribute('property') || m.getAttribute('name'), m.getAttribute('content')]))""")
    credential = json.loads((demo / "c" / f"{cred_id}.json").read_bytes())
    holder = next(i["identityHash"] for i in credential["credentialSubject"]["identifier"]
                  if i["identityType"] == "name")
    code = credential["credentialSubject"]["achievement"]["humanCode"]
    assert metas["og:url"] == f"{DEMO_BASE}/c/{cred_id}"
    assert metas["og:image"] == f"{DEMO_BASE}/badges/{code}.png"
    assert metas["twitter:card"] in ("summary", "summary_large_image")
    for part in (holder, credential["credentialSubject"]["achievement"]["name"],
                 credential["issuer"]["name"]):
        assert part in metas["og:description"]
    assert holder in metas["og:title"]
    signature = page.evaluate("""url => fetch(url).then(r => r.arrayBuffer())
        .then(b => Array.from(new Uint8Array(b).slice(0, 4)))""", metas["og:image"])
    assert bytes(signature) == b"\x89PNG"
    badge = page.locator("img.cert-badge")
    name = credential["credentialSubject"]["achievement"]["name"]
    assert badge.get_attribute("alt") == f"Badge: {name} ({code})"
    assert page.evaluate("document.querySelector('img.cert-badge').naturalWidth") > 0


# --------------------------------------------------------------------------- printing

PAGE_RE = re.compile(rb"/Type\s*/Page[^s]")


def printed_pages(page: Any, paper: str) -> int:
    page.emulate_media(media="print")
    try:
        return len(PAGE_RE.findall(page.pdf(format=paper, print_background=True)))
    finally:
        page.emulate_media(media="screen")


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_certificate_prints_on_one_page(demo: Path, mini: Mini, new_page: Any, paper: str) -> None:
    page = open_credential(new_page, demo, DEMO_BASE, demo_ids(demo)[0])
    assert printed_pages(page, paper) == 1
    for name in ("expiring", "long"):
        page = open_credential(new_page, mini.out, MINI_BASE, mini.ids[name])
        if name == "long":
            assert page.get_attribute("#verdict", "data-verdict") == "revoked"
            assert page.locator(".notice-revoked").is_visible()
        assert printed_pages(page, paper) == 1, name


def test_print_shows_only_the_certificate(mini: Mini, new_page: Any) -> None:
    page = open_credential(new_page, mini.out, MINI_BASE, mini.ids["expiring"])
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.share', '.print-hint', '#copy-link', '.email-check', '#verdict',
        '.checks-details', '.site-header', '.site-footer'].map(s => [s, document.querySelector(s)
        .getBoundingClientRect().height, getComputedStyle(document.querySelector(s)).display])""")
    assert all(height == 0 for _, height, _ in hidden), hidden
    assert {display for selector, _, display in hidden if selector not in (".print-hint", "#copy-link")} \
        == {"none"}, hidden
    visible = page.evaluate("""() => ['.cert', '.cert-qr svg', '.cert-badge', '[data-f="holder"]']
        .map(s => document.querySelector(s).getBoundingClientRect().height > 0)""")
    assert all(visible)

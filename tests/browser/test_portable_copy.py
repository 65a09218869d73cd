"""A portable build (``credsite build --portable``) opened from files in headless Chromium, as
from a USB stick: styled pages, working links and ID look-up, and an honest verdict.

The issuer's web build of the demo is hosted at its base_url (``http://localhost:8000``) inside
the browser context (``sitehost.host_site``), so the copy can fetch the issuer's DID document and
status list, as a copy does on a machine that is online.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from e2e_kit import credential_ids, read_embedded, wait_for_verdict
from sitehost import host_site

from credsite.build.pipeline import build_site

REPO_ROOT = Path(__file__).resolve().parents[2]
DEMO_BASE = "http://localhost:8000"


@pytest.fixture(scope="module")
def usb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("usb") / "credentials-site"
    build_site(REPO_ROOT / "content", out, quiet=True, portable=True)
    return out


def open_file(new_page: Callable[..., Any], path: Path, issuer_site: Path | None) -> Any:
    """A page opened from ``file://``; ``issuer_site``: the web build answering at DEMO_BASE."""
    page = new_page()
    page.credsite_failed = []
    page.on("requestfailed", lambda request: page.credsite_failed.append(request.url))
    if issuer_site is not None:
        host_site(page.context, issuer_site, DEMO_BASE)
    page.goto(path.as_uri())
    return page


def assert_styled(page: Any) -> None:
    """The hashed stylesheet applied (the site's header layout, not the browser's defaults), and
    every file of the copy loaded. Only the copy's own files count here: Chromium sometimes
    reports a routed cross-origin fetch from a file:// page (the DID document, the status list)
    as net::ERR_ABORTED although the page received it; the verdict's checks say whether those
    arrived."""
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).borderBottomStyle"
                         ) == "solid"
    assert [url for url in page.credsite_failed if url.startswith("file:")] == []


def test_a_credential_page_opened_from_a_file_is_a_genuine_copy(
    usb: Path, demo_output: Path, new_page: Callable[..., Any]
) -> None:
    cred_id = credential_ids(usb)[0]
    page = open_file(new_page, usb / "c" / f"{cred_id}.html", demo_output)
    result = wait_for_verdict(page)
    assert result.verdict == "copy", result.summary()
    assert result.title == "Copy of a credential page"
    assert "opened from a file on this device" in result.text
    assert {c.name: c.status for c in result.checks} == {
        "format": "passed", "issuer-key": "passed", "signature": "passed", "catalog": "not-checked",
        "validity": "passed", "status": "passed", "origin": "warning", "page": "passed"}
    link = page.locator("#verdict a.verdict-original")
    assert link.get_attribute("href") == f"{DEMO_BASE}/c/{cred_id}"
    assert_styled(page)
    assert page.evaluate("document.querySelector('.cert-badge').naturalWidth") > 0
    assert page.credsite_errors == []


def test_a_copy_opened_offline_cannot_verify_and_never_says_verified(
    usb: Path, new_page: Callable[..., Any]
) -> None:
    page = open_file(new_page, usb / "c" / f"{credential_ids(usb)[0]}.html", None)
    page.context.route(f"{DEMO_BASE}/**", lambda route: route.abort())  # no network
    page.reload()
    result = wait_for_verdict(page)
    assert result.verdict == "cannot-verify", result.summary()
    assert "Verified" not in result.text and "genuine" not in result.text


def test_links_between_pages_work_from_files(
    usb: Path, demo_output: Path, new_page: Callable[..., Any]
) -> None:
    cred_id = credential_ids(usb)[0]
    code = read_embedded((usb / "c" / f"{cred_id}.html").read_text(encoding="utf-8"))[
        "credentialSubject"]["achievement"]["humanCode"]
    page = open_file(new_page, usb / "c" / f"{cred_id}.html", demo_output)
    wait_for_verdict(page)
    page.get_by_role("link", name="About this credential type").click()
    page.wait_for_load_state()
    assert page.url == (usb / "credentials" / code / "index.html").as_uri()
    assert code in page.locator("main").inner_text()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Catalog").click()
    page.wait_for_load_state()
    assert page.url == (usb / "credentials" / "index.html").as_uri()
    assert_styled(page)


def test_the_verify_page_looks_up_an_id_from_files(
    usb: Path, demo_output: Path, new_page: Callable[..., Any]
) -> None:
    cred_id = credential_ids(usb)[-1]
    page = open_file(new_page, usb / "verify" / "index.html", demo_output)
    page.fill("#lookup-id", f"{cred_id[:4]}-{cred_id[4:8]} {cred_id[8:].lower()}")
    page.locator("#lookup button[type=submit]").click()
    page.wait_for_url((usb / "c" / f"{cred_id}.html").as_uri())
    assert wait_for_verdict(page).verdict == "copy"

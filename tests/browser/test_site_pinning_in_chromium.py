"""Issue 16, findings 1, 3 and 5, in Chromium: pages know their own site, copies and frames.

Two credsite sites are built under one host, as GitHub Pages serves sibling project sites
(``<org>.github.io/<repo>``): the real one at ``/real`` and another one at ``/evil`` whose issuer has
the same name. Before the pages pinned their site (DID and base URL, from the build), the evil
site's own credential pasted into the real ``/verify/`` page said Verified, and a genuine page
copied to ``/mirror/`` on the same host said Verified rather than Copy. A second server on
another port plays the framing site.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from e2e_kit import open_and_verify, page_path, wait_for_verdict
from sitekit import MiniSite, make_site, row


@dataclass
class Host:
    root: Path
    origin: str  # http://127.0.0.1:<port>
    real: MiniSite
    evil: MiniSite
    real_id: str
    evil_id: str


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory, module_serve_dir: Callable[..., str]) -> Host:
    tmp = tmp_path_factory.mktemp("shared-host")
    root = tmp / "www"
    root.mkdir()
    origin = module_serve_dir(root)
    real = make_site(tmp / "real", f"{origin}/real")
    evil = make_site(tmp / "evil", f"{origin}/evil")  # same issuer name: "Test Institute"
    [real_id] = real.issue([row("Ada Lovelace", "TEST-MMS", "2026-03-14T15:00:00Z")])
    [evil_id] = evil.issue([row("Mallory Evil", "TEST-MMS", "2026-03-14T15:00:00Z")])
    real.build(root / "real")
    evil.build(root / "evil")
    mirror = root / "mirror" / "c"
    mirror.mkdir(parents=True)
    shutil.copyfile(page_path(root / "real", real_id), mirror / f"{real_id}.html")
    return Host(root, origin, real, evil, real_id, evil_id)


def test_the_real_page_is_verified_and_names_the_vouching_site(
    host: Host, new_page: Callable[..., Any]
) -> None:
    result = open_and_verify(new_page(), f"{host.origin}/real/c/{host.real_id}")
    assert result.verdict == "verified", result.summary()
    domain = host.origin.split("://", 1)[1] + "/real"
    assert f"issued by Test Institute on March 14, 2026 — verified by {domain}." in result.text


def test_another_site_on_the_same_host_names_itself(
    host: Host, new_page: Callable[..., Any]
) -> None:
    """Its own page is Verified for its own DID, but the banner names the site that vouches."""
    result = open_and_verify(new_page(), f"{host.origin}/evil/c/{host.evil_id}")
    assert result.verdict == "verified", result.summary()
    assert "verified by " + host.origin.split("://", 1)[1] + "/evil." in result.text


def test_its_credential_pasted_into_the_real_verify_page_is_not_this_issuers(
    host: Host, new_page: Callable[..., Any]
) -> None:
    page = new_page()
    page.goto(f"{host.origin}/real/verify/")
    page.fill("#verify-input", json.dumps(host.evil.credential(host.evil_id)))
    page.click("#verify-button")
    page.wait_for_selector("#verdict[data-verdict='invalid']")
    result = wait_for_verdict(page)
    assert result.check("format").code == "wrong-issuer", result.summary()
    assert "Test Institute did not issue this credential" in result.text
    assert "did:web:" + host.origin.split("://", 1)[1].replace(":", "%3A") + ":evil" in result.text
    assert "Verified" not in result.text


def test_a_genuine_page_copied_to_another_path_of_the_same_host_is_a_copy(
    host: Host, new_page: Callable[..., Any]
) -> None:
    result = open_and_verify(new_page(), f"{host.origin}/mirror/c/{host.real_id}")
    assert result.verdict == "copy", result.summary()
    assert result.check("origin").code == "copy"
    assert f"/real/c/{host.real_id}" in result.check("origin").reason
    assert "“Ada Lovelace”" in result.text or "Ada Lovelace" in result.text


@pytest.mark.parametrize("suffix", ["", ".html", "?from=qr", ".html#share"])
def test_the_permanent_url_in_every_form_is_verified(
    host: Host, new_page: Callable[..., Any], suffix: str
) -> None:
    result = open_and_verify(new_page(), f"{host.origin}/real/c/{host.real_id}{suffix}")
    assert result.verdict == "verified", result.summary()


def test_a_framed_page_is_never_verified(
    host: Host, tmp_path: Path, serve_dir: Callable[..., str], new_page: Callable[..., Any]
) -> None:
    """Finding 3: the genuine page in an iframe of another origin, with a box over the name."""
    framing = tmp_path / "framing"
    framing.mkdir()
    (framing / "index.html").write_text(
        "<!doctype html><title>framing</title><div style='position:relative'>"
        f"<iframe id='f' src='{host.origin}/real/c/{host.real_id}' width='900' height='900'></iframe>"
        "<div style='position:absolute;top:150px;left:0;width:900px;height:60px;background:#fff'>"
        "Mallory Evil</div></div>", encoding="utf-8")
    other = serve_dir(framing)
    page = new_page()
    page.goto(other + "/index.html")
    frame = page.frame_locator("#f")
    frame.locator("html[data-verify-ms]").wait_for(state="attached", timeout=30_000)
    verdict = frame.locator("#verdict").get_attribute("data-verdict")
    assert verdict == "framed"
    assert "Verified" not in frame.locator("#verdict").inner_text()
    assert frame.locator("#checks li[data-check='origin']").get_attribute("data-code") == "framed"


def test_the_banner_names_and_shows_the_pinned_site_not_the_credential(
    tmp_path: Path, serve_dir: Callable[..., str], new_page: Callable[..., Any]
) -> None:
    """The issuer's name and logo in the verdict come from the site the page belongs to (built
    into the page with its DID), even when a credential of that site, validly signed, says
    another name and shows another image in its ``issuer``."""
    out = tmp_path / "out"
    base = serve_dir(out)
    site = make_site(tmp_path / "site", base)
    (site.content / "static" / "assets").mkdir(parents=True, exist_ok=True)
    (site.content / "static" / "assets" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" '
        'height="20" fill="#123"/></svg>', encoding="utf-8")
    site.site_yaml.write_text(site.site_yaml.read_text(encoding="utf-8").replace(
        "issuer:\n", "issuer:\n  logo: /assets/logo.svg\n", 1), encoding="utf-8")
    [cred_id] = site.issue([row("Ada Lovelace", "TEST-MMS", "2026-03-14T15:00:00Z")])

    def other_issuer(credential: dict[str, Any]) -> None:
        credential["issuer"]["name"] = "Mallory Institute"
        credential["issuer"]["image"] = {"id": "https://evil.example/logo.png", "type": "Image"}

    site.rewrite(cred_id, other_issuer, resign=True)
    site.build(out)
    page = new_page()
    result = open_and_verify(page, f"{base}/c/{cred_id}")
    assert result.verdict == "verified", result.summary()
    assert "issued by Test Institute on" in result.text and "Mallory" not in result.text
    logo = page.locator("#verdict img.verdict-logo")
    assert logo.count() == 1
    assert logo.get_attribute("src") == f"{base}/assets/logo.svg"
    assert page.evaluate("() => document.querySelector('#verdict img.verdict-logo').naturalWidth") == 40
    # the certificate shows the signed text as it is (the page check compares it)
    assert page.locator("[data-f='issuer-name']").inner_text() == "Mallory Institute"

"""Issue 16, e-mail privacy, in Chromium: the salt of the e-mail hash in the holder's link only.

A site with ``email_salt: link`` signs ``sha256$…`` without its salt; the holder's link
``/c/<ID>#salt=…`` carries it in the fragment, which the browser never sends. The check works
from the full link, says it needs the full link without it, says "does not match" with a wrong
salt, still checks credentials that carry their salt (issued before the site opted in), and
never says "matches" beside a verdict other than Verified (it used to on revoked credentials).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sitehost import host_site, wait_verified
from sitekit import MiniSite, make_site, row

from credsite.content.register import load_register
from credsite.content.site import load_site
from credsite.issuer.revocation import revoke

BASE = "http://127.0.0.1:8771"
EMAIL = "Ada.Lovelace@Example.org"


class Site:
    def __init__(self, mini: MiniSite, out: Path, ids: dict[str, str]) -> None:
        self.mini, self.out, self.ids = mini, out, ids

    def link(self, name: str) -> str:
        return load_register(self.mini.content)[self.ids[name]].link


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    mini = make_site(tmp_path_factory.mktemp("email-link"), BASE)
    # the default first: these carry their salt inside the credential
    old, old_revoked = mini.issue([row(email=EMAIL), row(code="TEST-CNC", email=EMAIL)])
    mini.site_yaml.write_text(mini.site_yaml.read_text(encoding="utf-8") + "email_salt: link\n",
                              encoding="utf-8")
    fresh, revoked = mini.issue([row(email=EMAIL), row(code="TEST-PB", email=EMAIL)])
    revoke(mini.content, load_site(mini.content), mini.signer, [revoked, old_revoked],
           "Issued in error.")
    return Site(mini, mini.build(), {"old": old, "old-revoked": old_revoked, "fresh": fresh,
                                     "revoked": revoked})


def open_url(new_page: Any, site: Site, url: str) -> tuple[Any, list[str]]:
    page = new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    host_site(page.context, site.out, BASE)
    page.goto(url)
    if "/c/" in url:
        wait_verified(page)
    page.wait_for_selector("#email-check-input")
    return page, requests


def check(page: Any, address: str) -> tuple[str | None, str]:
    page.evaluate("() => document.getElementById('email-check-result').removeAttribute('data-result')")
    page.fill("#email-check-input", address)
    page.click("#email-check-form button[type=submit]")
    page.wait_for_selector("#email-check-result[data-result]")
    result = page.locator("#email-check-result")
    return result.get_attribute("data-result"), result.inner_text()


def test_the_full_link_checks_the_address(site: Site, new_page: Any) -> None:
    link = site.link("fresh")
    salt = link.split("#salt=", 1)[1]
    page, requests = open_url(new_page, site, link)
    assert page.get_attribute("#verdict", "data-verdict") == "verified"
    assert check(page, f"  {EMAIL.lower()} ") == (
        "match", "Matches: this is the e-mail address stored (hashed) in the credential.")
    assert check(page, "ada@example.com")[0] == "mismatch"
    # neither the salt nor the address ever leaves the browser
    assert [r for r in requests if salt in r or "lovelace" in r.lower()] == []
    assert not page.credsite_errors


def test_without_the_fragment_the_check_asks_for_the_full_link(site: Site, new_page: Any) -> None:
    page, _ = open_url(new_page, site, f"{BASE}/c/{site.ids['fresh']}")
    assert page.get_attribute("#verdict", "data-verdict") == "verified"
    kind, text = check(page, EMAIL)
    assert kind == "needs-link" and "full link" in text and "Matches" not in text
    assert check(page, "someone@example.org")[0] == "needs-link"  # no guess can be tested


def test_a_wrong_salt_does_not_match(site: Site, new_page: Any) -> None:
    other = site.link("revoked").split("#salt=", 1)[1]  # a real salt, of another credential
    page, _ = open_url(new_page, site, f"{BASE}/c/{site.ids['fresh']}#salt={other}")
    assert check(page, EMAIL)[0] == "mismatch"


def test_credentials_with_the_salt_inside_still_check(site: Site, new_page: Any) -> None:
    assert site.link("old") == f"{BASE}/c/{site.ids['old']}"  # issued before the opt-in
    page, _ = open_url(new_page, site, site.link("old"))
    assert check(page, EMAIL)[0] == "match"


def test_no_match_beside_a_revoked_verdict(site: Site, new_page: Any) -> None:
    page, _ = open_url(new_page, site, site.link("revoked"))
    assert page.get_attribute("#verdict", "data-verdict") == "revoked"
    for address in (EMAIL, "nobody@example.org"):
        kind, text = check(page, address)
        assert kind == "not-verified" and "Matches" not in text and "not match" not in text


def test_no_match_on_verify_for_a_revoked_credential(site: Site, new_page: Any) -> None:
    page, _ = open_url(new_page, site, f"{BASE}/verify/")
    for name, verdict, result in (("old-revoked", "revoked", "not-verified"),
                                  ("old", "verified", "match"),
                                  ("fresh", "verified", "needs-link")):
        raw = (site.out / "c" / f"{site.ids[name]}.json").read_text(encoding="utf-8")
        page.fill("#verify-input", raw)
        page.click("#verify-button")
        page.wait_for_selector(f"#verdict[data-verdict='{verdict}']")
        page.wait_for_selector("#email-check-result:not([data-result])", state="attached")
        assert check(page, EMAIL)[0] == result, name

"""Bad verdicts look bad (issue 18, item 5), on a real build in Chromium.

A revoked, expired or invalid credential's certificate is greyed with the verdict and its reason
stamped across it, and its QR code, "Add to LinkedIn" and downloads are withdrawn; a page the build
knows to be revoked says so in its HTML and link preview (never "holds"). While the check is
still running, the certificate is faded and no sharing tool shows.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from e2e_kit import field_text, set_field
from labsite import BASE, Lab, make_lab
from sitehost import host_site, wait_verified
from sitekit import parse_page

STATE_JS = """() => {
  const frame = document.querySelector('.cert-frame');
  const shown = sel => { const e = document.querySelector(sel);
    return !!e && e.checkVisibility({visibilityProperty: true}); };
  const stamp = frame.querySelector('.cert-stamp');
  return {verdict: frame.dataset.verdict,
          stamp: shown('.cert-stamp') ? stamp.textContent.replace(/\\s+/g, ' ').trim() : null,
          filter: getComputedStyle(frame.querySelector('.cert')).filter,
          opacity: Number(getComputedStyle(frame.querySelector('.cert')).opacity),
          qr: shown('.cert-qr svg'), share: shown('#share'), linkedin: shown('#share a[href*="linkedin"]'),
          json: shown('#share-json a'), hits: !!document.elementFromPoint(
            ...(r => [r.left + r.width / 2, r.top + r.height / 2])(
              document.querySelector('[data-f="holder"]').getBoundingClientRect()))
            ?.closest('[data-f="holder"]')};
}"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Lab:
    return make_lab(tmp_path_factory.mktemp("bad"))


def open_credential(new_page: Any, out: Path, cred_id: str, **options: Any) -> Any:
    page = new_page(**options)
    host_site(page.context, out, BASE)
    page.goto(f"{BASE}/c/{cred_id}")
    return page


def test_a_verified_certificate_is_crisp_with_its_tools(lab: Lab, new_page: Any) -> None:
    page = open_credential(new_page, lab.out, lab.ids["ada-mms"])
    assert wait_verified(page) == "verified"
    page.wait_for_selector("#share a[href*='linkedin']")
    state = page.evaluate(STATE_JS)
    assert state["verdict"] == "verified" and state["stamp"] is None
    assert state["filter"] == "none" and state["opacity"] == 1
    assert state["qr"] and state["share"] and state["linkedin"] and state["json"]


def test_a_revoked_page_is_marked_in_its_html_and_its_preview(lab: Lab) -> None:
    html = (lab.out / "c" / f"{lab.ids['ada-pb']}.html").read_text(encoding="utf-8")
    page = parse_page(html)
    description = next(e.attrs["content"] or "" for e in page.find("meta", property="og:description"))
    assert "holds" not in description and "was revoked on" in description
    assert "Ada Lovelace" in description
    title = next(e.attrs["content"] or "" for e in page.find("meta", property="og:title"))
    assert title.startswith("Revoked: ")
    assert 'data-verdict="revoked"' in html and "issued in error" in html
    assert 'class="cert-qr"' not in html and 'id="share"' not in html
    ok = (lab.out / "c" / f"{lab.ids['ada-mms']}.html").read_text(encoding="utf-8")
    preview = next(e.attrs["content"] or "" for e in parse_page(ok).find("meta", property="og:description"))
    assert " holds " in preview


def test_a_revoked_certificate_is_greyed_with_the_reason_across(lab: Lab, new_page: Any) -> None:
    page = open_credential(new_page, lab.out, lab.ids["ada-pb"])
    assert wait_verified(page) == "revoked"
    state = page.evaluate(STATE_JS)
    assert state["verdict"] == "revoked"
    assert state["stamp"].startswith("Revoked") and "issued in error" in state["stamp"]
    assert "grayscale(1)" in state["filter"]
    assert not state["qr"] and not state["share"] and not state["linkedin"] and not state["json"]
    assert state["hits"], "the stamp must not hide the fields from a hit test"


def test_an_expired_certificate_is_greyed_and_its_tools_withdrawn(lab: Lab, new_page: Any) -> None:
    page = open_credential(new_page, lab.out, lab.ids["ada-cnc"])
    assert wait_verified(page) == "expired"
    state = page.evaluate(STATE_JS)
    assert state["stamp"].startswith("Expired expired on"), state
    assert "grayscale(1)" in state["filter"]
    assert not state["qr"] and not state["share"] and not state["linkedin"]


def test_an_invalid_certificate_is_marked(lab: Lab, new_page: Any, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(lab.out, out)
    path = out / "c" / f"{lab.ids['ben-mms']}.html"
    html = path.read_text(encoding="utf-8")
    assert field_text(html, "holder") == "Ben Okafor"
    path.write_text(set_field(html, "holder", "Mallory Forger"), encoding="utf-8")
    page = open_credential(new_page, out, lab.ids["ben-mms"])
    assert wait_verified(page) == "invalid"
    state = page.evaluate(STATE_JS)
    assert state["verdict"] == "invalid"
    assert state["stamp"].startswith("Not valid") and "page altered" in state["stamp"]
    assert "grayscale(1)" in state["filter"]
    assert not state["qr"] and not state["share"] and not state["linkedin"] and not state["json"]


def test_while_checking_no_certificate_looks_valid(lab: Lab, new_page: Any) -> None:
    page = new_page()
    host_site(page.context, lab.out, BASE)
    held: list[Any] = []
    page.route(f"{BASE}/.well-known/did.json*", lambda route: held.append(route))  # no answer until released
    page.goto(f"{BASE}/c/{lab.ids['cy-cnc']}")
    # The verifier has loaded the record and waits for the DID document (the sharing tools come
    # only after the verdict, tools-loader.js: while checking there are none to see).
    page.wait_for_function("() => !!document.getElementById('credential-data').textContent.trim()")
    assert held
    state = page.evaluate(STATE_JS)
    assert state["verdict"] == "pending" and state["opacity"] < 0.5
    assert "grayscale(1)" in state["filter"]
    assert not state["qr"] and not state["share"] and not state["linkedin"]
    held[0].fulfill(path=str(lab.out / ".well-known" / "did.json"),
                    headers={"Content-Type": "application/json", "Access-Control-Allow-Origin": "*"})
    assert wait_verified(page) == "verified"
    page.wait_for_selector("#share a[href*='linkedin']")  # the tools load after the verdict
    state = page.evaluate(STATE_JS)
    assert state["opacity"] == 1 and state["qr"] and state["linkedin"]

"""Holder pages in Chromium (issue 18, items 1 and 2): every credential verified, one verdict each.

Ada's page lists three credentials: one verified, one expired, one revoked (the page's summary
says 1 of 3). `?require=` lists which required credentials are held and verified, missing,
revoked or expired. A page that lists a credential of someone else marks it invalid. Copy link
copies the permanent address; the print layout keeps the list and the QR code, not the controls.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from labsite import BASE, Lab, make_lab
from sitehost import host_site

from credsite.content.register import load_register

ROWS_JS = """() => Array.from(document.querySelectorAll('li.holder-cred')).map(li => [
  li.dataset.id, li.dataset.verdict, li.querySelector('.holder-verdict').textContent,
  li.querySelector('.holder-reason').textContent])"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Lab:
    return make_lab(tmp_path_factory.mktemp("holder"))


def holder_key(lab: Lab, which: str) -> str:
    return load_register(lab.site.content)[lab.ids[which]].holder


def open_holder(new_page: Any, out: Path, key: str, query: str = "", **options: Any) -> Any:
    page = new_page(**options)
    host_site(page.context, out, BASE)
    page.goto(f"{BASE}/h/{key}{query}")
    page.wait_for_selector("html[data-holder-checked]", state="attached", timeout=30_000)
    return page


def test_a_holder_page_verifies_each_credential(lab: Lab, new_page: Any) -> None:
    page = open_holder(new_page, lab.out, holder_key(lab, "ada-mms"))
    rows = {row[0]: row[1:] for row in page.evaluate(ROWS_JS)}
    assert rows[lab.ids["ada-mms"]][:2] == ["verified", "Verified"]
    expired, revoked = rows[lab.ids["ada-cnc"]], rows[lab.ids["ada-pb"]]
    assert expired[0] == "expired" and "expired on January 10, 2024" in expired[2]
    assert revoked[:2] == ["revoked", "Revoked"] and "issued in error" in revoked[2]
    assert page.get_attribute("#verdict", "data-verdict") == "mixed"
    assert page.text_content("#verdict .verdict-title") == "1 of 3 credentials verified"
    assert "1 expired" in page.text_content("#verdict") and "1 revoked" in page.text_content("#verdict")
    assert page.get_attribute("meta[name=robots]", "content") == "noindex"
    assert page.locator(".holder-qr svg").count() == 1
    assert page.is_hidden("#requirements")
    assert not page.credsite_errors


def test_all_verified_and_copy_link(lab: Lab, new_page: Any) -> None:
    key = holder_key(lab, "ben-mms")
    page = open_holder(new_page, lab.out, key)
    assert page.get_attribute("#verdict", "data-verdict") == "verified"
    assert page.text_content("#verdict .verdict-title") == "All 2 credentials are verified"
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=BASE)
    page.click("#holder-copy")
    page.wait_for_selector("#holder-status:not(:empty)")
    assert page.evaluate("navigator.clipboard.readText()") == f"{BASE}/h/{key}"


def test_the_requirements_check(lab: Lab, new_page: Any) -> None:
    page = open_holder(new_page, lab.out, holder_key(lab, "ada-mms"),
                       "?require=test-mms,TEST-PB,TEST-CNC,MACH9-NONE")
    page.wait_for_selector("#requirements:not([hidden])")
    states = page.eval_on_selector_all("#requirements-list li",
                                       "lis => lis.map(li => [li.dataset.code, li.dataset.state])")
    assert states == [["TEST-MMS", "verified"], ["TEST-PB", "revoked"], ["TEST-CNC", "expired"],
                      ["MACH9-NONE", "missing"]]
    assert page.get_attribute("#requirements", "data-met") == "false"
    assert "1 of 4 required credentials" in page.text_content("#requirements")
    page = open_holder(new_page, lab.out, holder_key(lab, "ben-mms"), "?require=TEST-MMS,TEST-PB")
    assert page.get_attribute("#requirements", "data-met") == "true"
    assert "Every required credential is held and verified." in page.text_content("#requirements")


def test_a_page_listing_someone_elses_credential_marks_it_invalid(lab: Lab, new_page: Any,
                                                                 tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(lab.out, out)
    key = holder_key(lab, "cy-cnc")
    path = out / "h" / f"{key}.html"
    html = path.read_text(encoding="utf-8")
    path.write_text(html.replace(lab.ids["cy-cnc"], lab.ids["ada-mms"]), encoding="utf-8")
    page = open_holder(new_page, out, key)
    [row] = page.evaluate(ROWS_JS)
    assert row[1] == "invalid" and "its credential code" in row[3] and "its holder" in row[3]
    assert page.get_attribute("#verdict", "data-verdict") == "invalid"


def test_the_print_layout_keeps_the_list_and_the_qr_code(lab: Lab, new_page: Any) -> None:
    page = open_holder(new_page, lab.out, holder_key(lab, "ada-mms"))
    page.emulate_media(media="print")
    shown = page.evaluate("""() => ['.holder-name', '.holder-cred', '.holder-qr svg', '#holder-copy',
        '#holder-print', '.site-header', '#verdict'].map(s => [s,
        document.querySelector(s).getBoundingClientRect().height > 0])""")
    assert dict(shown) == {".holder-name": True, ".holder-cred": True, ".holder-qr svg": True,
                           "#holder-copy": False, "#holder-print": False, ".site-header": False,
                           "#verdict": False}
    assert len(page.pdf(format="A4")) > 1000

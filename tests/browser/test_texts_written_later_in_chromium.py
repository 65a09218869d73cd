"""The verifier's explanations, written later on credential pages, in Chromium (issue 20).

A credential page's script leaves out the texts that explain a check that did not pass (the
build's ``written_later``, ``i18n-later.<hash>.js``; i18n.js, "Texts written later"): a verified,
revoked or expired credential's page never asks for them, a failing check's page loads them
once and shows every text whole, in the reader's language, and without the file the verdict
still stands, with a reason that says the explanation is missing. No placeholder is ever shown.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from labsite import BASE, Lab, make_lab
from sitehost import host_site, wait_verified

LATER = "/assets/i18n-later."
DID = f"{BASE}/.well-known/did.json"
# The page's text and the reason of each check, as shown (the stamp across the certificate too).
SHOWN_JS = """() => [document.body.innerText,
  ...Array.from(document.querySelectorAll('#checks .check-reason'), (e) => e.textContent)]"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Lab:
    return make_lab(tmp_path_factory.mktemp("later"), languages="[en, es]")


def open_credential(new_page: Any, out: Path, cred_id: str, *, block: tuple[str, ...] = (),
                    **options: Any) -> tuple[Any, list[str], str]:
    """The page, the URLs it asked for, and its verdict; requests whose URL holds one of
    ``block`` fail as a dropped connection would."""
    page = new_page(**options)
    host_site(page.context, out, BASE)
    for part in block:
        page.route(f"**/*{part}*", lambda route: route.abort())
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(f"{BASE}/c/{cred_id}")
    return page, asked, wait_verified(page)


def reasons(page: Any) -> dict[str, str]:
    return dict(page.evaluate("""() => Array.from(document.querySelectorAll('#checks li'),
      (li) => [li.dataset.check, li.querySelector('.check-reason').textContent])"""))


def assert_no_placeholder(page: Any) -> None:
    for text in page.evaluate(SHOWN_JS):
        assert not any(mark in text for mark in "\u0001\u0002\u0003"), text


@pytest.mark.parametrize("key, verdict", [("ada-mms", "verified"), ("ada-pb", "revoked"),
                                          ("ada-cnc", "expired")])
def test_a_verified_revoked_or_expired_credential_loads_no_text_later(
        lab: Lab, new_page: Any, key: str, verdict: str) -> None:
    page, asked, shown = open_credential(new_page, lab.out, lab.ids[key])
    assert shown == verdict
    assert not [url for url in asked if LATER in url]
    assert_no_placeholder(page)
    assert all(reasons(page).values()), reasons(page)
    assert not page.credsite_errors


def test_a_failing_check_loads_its_explanation_once_and_shows_it_whole(
        lab: Lab, new_page: Any) -> None:
    page, asked, shown = open_credential(new_page, lab.out, lab.ids["ada-mms"], block=("did.json",))
    assert shown == "cannot-verify"
    assert len([url for url in asked if LATER in url]) == 1
    reason = reasons(page)["issuer-key"]
    assert reason.startswith(f"could not fetch the issuer's DID document {DID}: "), reason
    assert reason in page.inner_text("#verdict")  # the sentence quotes it, written out too
    assert_no_placeholder(page)


def test_the_explanation_is_in_the_readers_language(lab: Lab, new_page: Any) -> None:
    page, asked, shown = open_credential(new_page, lab.out, lab.ids["ada-mms"], block=("did.json",),
                                         locale="es-ES")
    assert shown == "cannot-verify"
    assert [url for url in asked if LATER in url]
    reason = reasons(page)["issuer-key"]
    assert reason.startswith(f"no se pudo obtener el documento DID del emisor {DID}: "), reason
    assert_no_placeholder(page)


def test_without_the_file_of_explanations_the_verdict_stands_and_says_so(
        lab: Lab, new_page: Any) -> None:
    page, asked, shown = open_credential(new_page, lab.out, lab.ids["ada-mms"],
                                         block=("did.json", LATER))
    assert shown == "cannot-verify"
    assert reasons(page)["issuer-key"] == "the explanation could not be loaded"
    assert reasons(page)["signature"]  # texts of the passing kind are still there
    assert_no_placeholder(page)


def test_text_that_looks_like_a_placeholder_is_shown_as_it_is(lab: Lab, new_page: Any) -> None:
    """A placeholder carries a mark drawn when the page loads: a record's own text (a name, a
    URL quoted in a reason) that copies the form cannot make the page write an explanation."""
    page, _, _ = open_credential(new_page, lab.out, lab.ids["ada-mms"])
    data = next((lab.out / "assets").glob("i18n-later.*.js")).read_text(encoding="utf-8")
    first_text = json.loads(data.removeprefix("CredsiteI18n.later(").rsplit(");", 1)[0])[0]
    forged, real = page.evaluate("""async () => {
      const I = window.CredsiteI18n;
      const fake = 'a \\u00010\\u0002\\u0003 b \\u0001' + '0'.repeat(12) + '0\\u0002\\u0003';
      const out = await I.resolve({ reason: fake, real: I.gettext(0) });
      return [out.reason === fake, out.real];
    }""")
    assert forged
    assert real == first_text


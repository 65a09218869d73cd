"""The ID look-up on /verify/ with typed IDs (issue 18, item 4), on a real build of the demo.

The certificate prints Crockford's check symbol after the ID; the look-up tells a typo (wrong
check symbol) apart from an ID that no credential has, says so on /verify/ with the typed text
still in the field (never a generic "Page not found"), and opens the credential page otherwise.
On a narrow screen, a result appears far below the form: it is scrolled into view and focused.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from e2e_kit import credential_ids
from sitehost import host_site, wait_verified

from credsite.build.pipeline import build_site
from credsite.trust.ids import ALPHABET, check_symbol, typed_credential_id

REPO_ROOT = Path(__file__).resolve().parents[2]
BASE = "http://localhost:8000"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("lookup") / "out"
    build_site(REPO_ROOT / "content", out, quiet=True)
    return out


def verify_page(new_page: Any, demo: Path, query: str = "", **options: Any) -> Any:
    page = new_page(**options)
    host_site(page.context, demo, BASE)
    page.goto(f"{BASE}/verify/{query}")
    page.wait_for_function("typeof window.CredsiteTypedId === 'object'")
    return page


def mistyped(cred_id: str) -> str:
    """The printed typed ID with one character of the ID changed (check symbol kept)."""
    wrong = next(c for c in "X7" if c != cred_id[5])
    return typed_credential_id(cred_id[:5] + wrong + cred_id[6:])[:-1] + check_symbol(cred_id)


def test_the_browser_computes_the_same_check_symbol(demo: Path, new_page: Any) -> None:
    page = verify_page(new_page, demo)
    rng = random.Random(37)
    ids = ["0" * 16, "Z" * 16, *("".join(rng.choice(ALPHABET) for _ in range(16)) for _ in range(300))]
    got = page.evaluate("ids => ids.map(window.CredsiteTypedId.checkSymbol)", ids)
    assert got == [check_symbol(i) for i in ids]


def test_the_printed_typed_id_opens_the_credential(demo: Path, new_page: Any) -> None:
    cred_id = credential_ids(demo)[0]
    typed = f" {typed_credential_id(cred_id).lower().replace('-', ' ')} "
    page = verify_page(new_page, demo)
    page.fill("#lookup-id", typed)
    page.click("#lookup button[type=submit]")
    page.wait_for_url(f"{BASE}/c/{cred_id}")
    assert wait_verified(page) == "verified"
    page.go_back()  # the typed text is still there
    page.wait_for_function("typeof window.CredsiteTypedId === 'object'")
    assert page.input_value("#lookup-id") == typed.strip()
    assert page.get_attribute("#lookup", "data-lookup") is None


def test_a_typo_is_said_on_the_verify_page_with_the_text_kept(demo: Path, new_page: Any) -> None:
    cred_id = credential_ids(demo)[1]
    typo = mistyped(cred_id)
    page = verify_page(new_page, demo)
    page.fill("#lookup-id", typo)
    page.click("#lookup button[type=submit]")
    page.wait_for_selector("#lookup[data-lookup='typo']")
    assert "has a typo" in page.text_content("#lookup-error")
    assert page.url == f"{BASE}/verify/"
    assert page.input_value("#lookup-id") == typo
    assert page.get_attribute("#lookup-id", "aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == "lookup-id"
    page.fill("#lookup-id", typed_credential_id(cred_id))  # typing again clears the message
    assert page.is_hidden("#lookup-error")
    assert not page.credsite_errors


def test_an_unknown_id_is_not_a_page_not_found(demo: Path, new_page: Any) -> None:
    known = set(credential_ids(demo))
    unknown = next(i for i in ("7QK2M9XRD4T8VNPA", "0000000000000000") if i not in known)
    page = verify_page(new_page, demo)
    page.fill("#lookup-id", unknown)  # without the check symbol
    page.click("#lookup button[type=submit]")
    page.wait_for_selector("#lookup[data-lookup='unknown']")
    message = page.text_content("#lookup-error")
    assert f"No credential with the ID {unknown}" in message and "check character" in message
    page.fill("#lookup-id", typed_credential_id(unknown))  # typed as printed: not a typo
    page.click("#lookup button[type=submit]")
    page.wait_for_selector("#lookup[data-lookup='unknown']")
    assert "check character matches" in page.text_content("#lookup-error")
    assert page.url == f"{BASE}/verify/"
    assert page.input_value("#lookup-id") == typed_credential_id(unknown)


def test_the_form_without_javascript_comes_back_with_the_id(demo: Path, new_page: Any) -> None:
    typo = mistyped(credential_ids(demo)[2])
    page = verify_page(new_page, demo, "?id=" + typo.replace("-", "%2D"))
    page.wait_for_selector("#lookup[data-lookup='typo']")
    assert page.input_value("#lookup-id") == typo


def test_on_a_phone_the_result_moves_into_view_and_takes_focus(demo: Path, new_page: Any) -> None:
    cred_id = credential_ids(demo)[3]
    # reduced motion: the page then scrolls at once (smooth scrolling is slow on a loaded machine)
    page = verify_page(new_page, demo, viewport={"width": 360, "height": 640},
                       is_mobile=True, has_touch=True, reduced_motion="reduce")
    box = "() => { const r = document.getElementById('verdict').getBoundingClientRect(); " \
          "return [r.top, r.bottom]; }"
    page.fill("#verify-input", (demo / "c" / f"{cred_id}.json").read_text(encoding="utf-8"))
    assert page.evaluate(box)[0] > 640  # below the fold while typing
    page.click("#verify-button")
    page.wait_for_selector("#verdict[data-verdict='verified']")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'verdict'")
    page.wait_for_function(f"() => {{ const [top, bottom] = ({box})(); "
                           "return top >= -1 && bottom <= 641; }")  # (sub-pixel rounding)

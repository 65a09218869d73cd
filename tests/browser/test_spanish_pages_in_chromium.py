"""The Spanish pages in Chromium (issue 19): axe-core finds no violations on the Spanish home
page, catalog, a translated and an untranslated credential type, a translated and an untranslated
plain page and /es/verify/ (before and after checking a credential), as in English
(test_accessibility.py); the language switch is a keyboard-reachable link list that leads to the
same page in the other language; the verify page works from /es/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from e2e_kit import credential_ids
from sitehost import host_site
from test_accessibility import AXE, BASE, axe_violations

from credsite.build.pipeline import build_site

REPO_ROOT = Path(__file__).resolve().parents[2]
SPANISH = {
    "home": "/es/",
    "catalog": "/es/credentials/",
    "translated credential type": "/es/credentials/MACH1-MMS/",
    "untranslated credential type": "/es/credentials/MF1-PB/",
    "translated page": "/es/pages/about/",
    "untranslated page": "/es/pages/fees/",
    "verify": "/es/verify/",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("languages") / "out"
    build_site(REPO_ROOT / "content", out, quiet=True)
    return out


@pytest.fixture(scope="module")
def axe_source() -> str:
    from conftest import missing

    if not AXE.is_file():
        missing("axe-core is not installed: run `npm ci` in the repository")
    return AXE.read_text(encoding="utf-8")


def open_page(new_page: Any, out: Path, path: str) -> Any:
    page = new_page()
    host_site(page.context, out, BASE)
    response = page.goto(BASE + path)
    assert response is not None and response.ok, path
    return page


@pytest.mark.parametrize("name", list(SPANISH))
def test_no_axe_violations_in_spanish(demo: Path, new_page: Any, axe_source: str, name: str) -> None:
    page = open_page(new_page, demo, SPANISH[name])
    assert page.get_attribute("html", "lang") == "es"
    violations = axe_violations(page, axe_source)
    assert not violations, f"{name}:\n" + "\n".join(violations)
    assert not page.credsite_errors


def test_the_spanish_verify_page_checks_a_credential_without_violations(
        demo: Path, new_page: Any, axe_source: str) -> None:
    page = open_page(new_page, demo, SPANISH["verify"])
    assert page.locator("h1").inner_text() == "Verificar una credencial"
    cred_id = credential_ids(demo)[1]
    page.fill("#verify-input", (demo / "c" / f"{cred_id}.json").read_text(encoding="utf-8"))
    page.click("#verify-button")
    page.wait_for_selector("#verdict[data-verdict='verified']")
    page.fill("#lookup-id", "not an id")
    page.click("#lookup button[type=submit]")
    page.wait_for_selector("#lookup-error:not([hidden])")
    violations = axe_violations(page, axe_source)
    assert not violations, "\n".join(violations)
    assert not page.credsite_errors


def test_the_language_switch_leads_to_the_same_page_by_keyboard(demo: Path, new_page: Any) -> None:
    page = open_page(new_page, demo, SPANISH["catalog"])
    switch = page.get_by_role("navigation", name="Idioma")
    assert switch.get_by_role("link").all_inner_texts() == ["English", "Español"]
    assert switch.get_by_role("link", name="Español").get_attribute("aria-current") == "true"
    english = switch.get_by_role("link", name="English")
    english.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(BASE + "/credentials/")
    assert page.get_attribute("html", "lang") == "en"
    assert page.locator("h1").inner_text() == "Credential catalog"
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Español").click()
    page.wait_for_url(BASE + "/es/credentials/")
    assert page.locator("h1").inner_text() == "Catálogo de credenciales"

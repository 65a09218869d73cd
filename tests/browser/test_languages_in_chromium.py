"""Credential and holder pages in the reader's language, in Chromium (issue 19).

A site with ``languages: [en, es]`` publishes each credential page once, in English at its
permanent URL; a browser whose language is Spanish (``locale='es-ES'``) gets the page in Spanish:
the static labels, the verdict, the check list, the stamp across the certificate and the dates
(``Intl``, the ``<time datetime>`` unchanged), for genuine, revoked, expired and tampered
credentials alike. Translating does not change a verdict: a page whose signed text was altered is
still invalid in Spanish, a genuine one still verified. An English reader never loads the Spanish
messages. The language switch on the page is remembered (localStorage). The holder page and the
verify page speak Spanish too, and axe-core finds nothing on a Spanish credential page.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import missing
from e2e_kit import field_text, set_field
from labsite import BASE, Lab, make_lab
from sitehost import host_site, wait_verified

from credsite.content.register import load_register

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SPANISH = {"locale": "es-ES"}

STATE_JS = """() => ({
  lang: document.documentElement.lang,
  title: document.querySelector('#verdict .verdict-title')?.textContent,
  text: document.querySelector('#verdict .verdict-text')?.textContent,
  stamp: document.querySelector('.cert-stamp')?.textContent.replace(/\\s+/g, ' ').trim(),
  checks: Array.from(document.querySelectorAll('#checks li')).map(li =>
    [li.dataset.check, li.dataset.status, li.querySelector('.check-label').textContent,
     li.querySelector('.check-status').textContent, li.querySelector('.check-reason').textContent]),
  from: [document.querySelector('[data-f="valid-from"]').textContent,
         document.querySelector('[data-f="valid-from"]').getAttribute('datetime')],
  labels: Array.from(document.querySelectorAll('[data-t], [data-l]')).map(e => e.textContent.trim()),
})"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Lab:
    lab = make_lab(tmp_path_factory.mktemp("languages"), languages="[en, es]")
    mms = lab.site.content / "credentials" / "TEST-MMS.md"  # a Spanish name for one type only
    mms.write_text(mms.read_text(encoding="utf-8").replace(
        "\n---\n", "\ntranslations:\n  es:\n    name: Medición, materiales y seguridad\n"
        "    level: Nivel I\n    group: Mecanizado nivel I\n---\n", 1), encoding="utf-8")
    return Lab(lab.site, lab.site.build(), lab.ids)


def open_page(new_page: Any, out: Path, path: str, **options: Any) -> tuple[Any, list[str]]:
    """The page at ``path``, and the list of message files the browser asks for."""
    page = new_page(**options)
    host_site(page.context, out, BASE)
    loaded: list[str] = []
    page.on("request", lambda r: loaded.append(r.url) if "/assets/i18n/" in r.url else None)
    page.goto(f"{BASE}{path}")
    return page, loaded


def open_credential(new_page: Any, out: Path, cred_id: str, **options: Any) -> tuple[Any, list[str]]:
    page, loaded = open_page(new_page, out, f"/c/{cred_id}", **options)
    wait_verified(page)
    return page, loaded


def test_the_site_publishes_one_spanish_message_file(lab: Lab) -> None:
    files = sorted((lab.out / "assets" / "i18n").iterdir())
    assert [f.name.split(".")[0] for f in files] == ["es"]
    html = (lab.out / "c" / f"{lab.ids['ada-mms']}.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in html and "data-localize" in html
    assert "/assets/i18n/" not in html  # named by the bundle, loaded only when wanted


def test_a_genuine_credential_in_spanish(lab: Lab, new_page: Any) -> None:
    page, loaded = open_credential(new_page, lab.out, lab.ids["ada-mms"], **SPANISH)
    state = page.evaluate(STATE_JS)
    assert page.get_attribute("#verdict", "data-verdict") == "verified"
    assert state["lang"] == "es" and len(loaded) == 1 and "/assets/i18n/es." in loaded[0]
    assert state["title"] == "Verificada"
    assert "Ada Lovelace" in state["text"] and "verificada por localhost:8000" in state["text"]
    assert state["from"] == ["14 de marzo de 2026", "2026-03-14T15:00:00Z"]
    assert {c[2] for c in state["checks"]} >= {"Firma", "Estado de revocación", "Texto de la página"}
    assert all(c[3] in ("Superada", "No comprobada") for c in state["checks"]), state["checks"]
    page_check = next(c for c in state["checks"] if c[0] == "page")
    assert page_check[1] == "passed", page_check
    assert "Otorgada" in state["labels"] and "Awarded" not in state["labels"]
    assert page.get_attribute("#lang-switch button[data-lang='es']", "aria-pressed") == "true"
    # The tools that come after the verdict speak Spanish too.
    page.wait_for_selector("#copy-link")
    assert page.text_content("#copy-link") == "Copiar enlace"
    assert page.text_content("#share-linkedin") == (
        "Agregar al perfil de LinkedIn (se abre en una pestaña nueva)")
    assert page.text_content("#email-check-heading") == "Comprobar el correo electrónico del titular"
    assert not page.credsite_errors


def test_revoked_expired_and_tampered_in_spanish(lab: Lab, new_page: Any, tmp_path: Path) -> None:
    page, _ = open_credential(new_page, lab.out, lab.ids["ada-pb"], **SPANISH)
    state = page.evaluate(STATE_JS)
    assert page.get_attribute("#verdict", "data-verdict") == "revoked"
    assert state["title"] == "Revocada" and state["stamp"].startswith("Revocada")
    assert "ha revocado" in state["text"]

    page, _ = open_credential(new_page, lab.out, lab.ids["ada-cnc"], **SPANISH)
    state = page.evaluate(STATE_JS)
    assert page.get_attribute("#verdict", "data-verdict") == "expired"
    assert state["title"] == "Vencida"
    assert "venció el 10 de enero de 2024" in state["text"], state["text"]
    assert state["stamp"].startswith("Vencida venció el 10 de enero de 2024"), state["stamp"]
    validity = next(c for c in state["checks"] if c[0] == "validity")
    assert validity[3] == "No superada" and "10 de enero de 2024" in validity[4]

    out = tmp_path / "out"
    shutil.copytree(lab.out, out)
    path = out / "c" / f"{lab.ids['ben-mms']}.html"
    html = path.read_text(encoding="utf-8")
    assert field_text(html, "holder") == "Ben Okafor"
    path.write_text(set_field(html, "holder", "Mallory Forger"), encoding="utf-8")
    page, _ = open_credential(new_page, out, lab.ids["ben-mms"], **SPANISH)
    state = page.evaluate(STATE_JS)
    assert page.get_attribute("#verdict", "data-verdict") == "invalid"
    assert state["title"] == "No válida" and state["stamp"].startswith("No válida")
    assert "página alterada" in state["stamp"]


def test_a_forged_date_is_caught_in_spanish(lab: Lab, new_page: Any, tmp_path: Path) -> None:
    """Dates are compared by <time datetime>: a changed one is caught in any language, and the
    text the browser writes for it is the signed date, never the forged one."""
    out = tmp_path / "out"
    shutil.copytree(lab.out, out)
    path = out / "c" / f"{lab.ids['ben-mms']}.html"
    html = path.read_text(encoding="utf-8")
    path.write_text(set_field(html, "valid-from", "March 1, 2020", "2020-03-01T00:00:00Z"),
                    encoding="utf-8")
    for options in (SPANISH, {"locale": "en-US"}):
        page, _ = open_credential(new_page, out, lab.ids["ben-mms"], **options)
        assert page.get_attribute("#verdict", "data-verdict") == "invalid", options
        page_check = page.evaluate(STATE_JS)["checks"][-1]
        assert page_check[0] == "page" and page_check[1] == "failed"
        assert "2020-03-01T00:00:00Z" in page_check[4]


def test_an_english_reader_loads_no_other_language(lab: Lab, new_page: Any) -> None:
    page, loaded = open_credential(new_page, lab.out, lab.ids["ada-mms"], locale="en-US")
    state = page.evaluate(STATE_JS)
    assert state["lang"] == "en" and state["title"] == "Verified" and loaded == []
    assert state["from"] == ["March 14, 2026", "2026-03-14T15:00:00Z"]
    assert not page.credsite_errors


def test_the_language_switch_is_remembered(lab: Lab, new_page: Any) -> None:
    page, loaded = open_credential(new_page, lab.out, lab.ids["ada-mms"], locale="en-US")
    assert page.text_content("#lang-switch button[data-lang='es']") == "Español"
    with page.expect_navigation():
        page.click("#lang-switch button[data-lang='es']")
    wait_verified(page)
    assert page.evaluate(STATE_JS)["title"] == "Verificada"
    assert page.evaluate("localStorage.getItem('credsite:lang')") == "es"
    # Another page of the site, in the same browser: Spanish without asking again.
    other = page.context.new_page()
    other.goto(f"{BASE}/c/{lab.ids['cy-cnc']}")
    wait_verified(other)
    assert other.evaluate(STATE_JS)["title"] == "Verificada"
    # And back to English, also remembered.
    with other.expect_navigation():
        other.click("#lang-switch button[data-lang='en']")
    wait_verified(other)
    assert other.evaluate(STATE_JS)["title"] == "Verified"
    assert other.evaluate("localStorage.getItem('credsite:lang')") == "en"


def test_a_holder_page_in_spanish(lab: Lab, new_page: Any) -> None:
    key = load_register(lab.site.content)[lab.ids["ada-mms"]].holder
    page, loaded = open_page(new_page, lab.out, f"/h/{key}", **SPANISH)
    page.wait_for_selector("html[data-holder-checked]", state="attached", timeout=30_000)
    assert page.text_content("#verdict .verdict-title") == "1 de 3 credenciales verificadas"
    words = page.eval_on_selector_all(".holder-verdict", "es => es.map(e => e.textContent)")
    assert sorted(words) == ["Revocada", "Vencida", "Verificada"]
    assert "1 vencida" in page.text_content("#verdict")
    assert len(loaded) == 1 and not page.credsite_errors


def test_a_tampered_credential_on_a_spanish_holder_page(lab: Lab, new_page: Any, tmp_path: Path) -> None:
    """One of the holder's records altered after signing (a copy of the site): the holder page in
    Spanish calls that one invalid, in Spanish, and the others what they are."""
    out = tmp_path / "out"
    shutil.copytree(lab.out, out)
    record = out / "c" / f"{lab.ids['ada-mms']}.json"
    text = record.read_text(encoding="utf-8")
    assert '"Measurement, Materials & Safety"' in text
    record.write_text(text.replace('"Measurement, Materials & Safety"', '"Master Machinist III"'),
                      encoding="utf-8")
    key = load_register(lab.site.content)[lab.ids["ada-mms"]].holder
    page, _ = open_page(new_page, out, f"/h/{key}", **SPANISH)
    page.wait_for_selector("html[data-holder-checked]", state="attached", timeout=30_000)
    words = page.eval_on_selector_all(".holder-verdict", "es => es.map(e => e.textContent)")
    assert sorted(words) == ["No válida", "Revocada", "Vencida"]
    assert page.text_content("#verdict .verdict-title") == "0 de 3 credenciales verificadas"


def test_the_verify_page_in_spanish(lab: Lab, new_page: Any) -> None:
    page, loaded = open_page(new_page, lab.out, "/es/verify/", **SPANISH)
    assert page.get_attribute("html", "lang") == "es"
    page.fill("#verify-input", lab.record("ben-mms"))
    page.click("#verify-button")
    wait_verified(page)
    assert page.get_attribute("#verdict", "data-verdict") == "verified"
    assert page.text_content("#verdict .verdict-title") == "Verificada"
    assert "Ben Okafor" in page.text_content("#verdict")
    assert len(loaded) == 1 and not page.credsite_errors


@pytest.mark.parametrize(("key", "verdict", "title", "words"), [
    ("ada-pb", "revoked", "Revocada", "revoc"),
    ("ada-cnc", "expired", "Vencida", "10 de enero de 2024"),
    ("ben-mms", "invalid", "No válida", "firma"),
])
def test_revoked_expired_and_tampered_on_the_spanish_verify_page(
        lab: Lab, new_page: Any, key: str, verdict: str, title: str, words: str) -> None:
    """The Spanish /verify/ page gives Spanish verdicts, with Spanish dates, for a pasted
    credential that is revoked, expired or altered (a holder's name changed after signing)."""
    record = lab.record(key)
    if verdict == "invalid":
        assert '"Ben Okafor"' in record
        record = record.replace('"Ben Okafor"', '"Mallory Forger"')
    page, _ = open_page(new_page, lab.out, "/es/verify/", **SPANISH)
    page.fill("#verify-input", record)
    page.click("#verify-button")
    wait_verified(page)
    assert page.get_attribute("#verdict", "data-verdict") == verdict
    assert page.text_content("#verdict .verdict-title") == title
    assert words in page.text_content("#verdict") + page.text_content("#checks")
    assert not page.credsite_errors


def test_no_axe_violations_in_spanish(lab: Lab, new_page: Any) -> None:
    if not AXE.is_file():
        missing("axe-core is not installed: run `npm ci` in the repository")
    page, _ = open_credential(new_page, lab.out, lab.ids["ada-mms"], **SPANISH)
    assert page.evaluate(STATE_JS)["lang"] == "es"
    page.evaluate(AXE.read_text(encoding="utf-8"))
    violations = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
    }""")
    assert violations == []
    assert re.fullmatch(r"[a-z]{2}", page.get_attribute("#lang-switch button[data-lang='es']", "lang") or "")


def test_the_catalog_translation_is_shown_beside_the_signed_name(lab: Lab, new_page: Any) -> None:
    """A credential type with a Spanish name (TEST-MMS, given one by the fixture): the page keeps
    the signed English name and shows the translation beside it, marked as Spanish, added after
    the page check (still Verified); its level and group labels are in Spanish too. English
    readers see no translation line."""
    page, _ = open_credential(new_page, lab.out, lab.ids["ada-mms"], **SPANISH)
    assert page.get_attribute("#verdict", "data-verdict") == "verified"
    assert page.text_content('[data-f="credential-name"]') == "Measurement, Materials & Safety"
    note = page.locator(".cert-translation")
    assert note.get_attribute("lang") == "es"
    assert note.text_content() == "Traducción: Medición, materiales y seguridad"
    assert page.text_content('[data-l="level"]') == "Nivel I"
    assert page.text_content('[data-l="group"]') == "Mecanizado nivel I"
    english, _ = open_credential(new_page, lab.out, lab.ids["ada-mms"])
    assert english.get_attribute("#verdict", "data-verdict") == "verified"
    assert english.locator(".cert-translation").count() == 0


def test_a_name_without_translation_says_it_is_shown_as_signed(lab: Lab, new_page: Any) -> None:
    """TEST-PB has no Spanish name: a Spanish reader is told the name is shown as signed."""
    page, _ = open_credential(new_page, lab.out, lab.ids["ben-pb"], **SPANISH)
    assert page.get_attribute("#verdict", "data-verdict") == "verified"
    assert page.text_content(".cert-translation") == (
        "El nombre de esta credencial no tiene traducción a este idioma: se muestra tal como fue "
        "firmado.")
    assert page.locator(".cert-translation").get_attribute("lang") is None

"""verifier-page.js on pages that follow the DOM contract of docs/design.md.

The pages here are minimal stand-ins written by the test (the real templates come from the
generator); they carry exactly the contract: `#credential-data`, `data-f` elements, `#verdict`,
`#checks`, the certificate (`article.cert`: signed fields and `data-l` labels), and on
/verify/ `#verify-drop` and `#lookup`.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pytest
import vc_testkit as kit
from conftest import copy_assets

from credsite.trust.ids import check_symbol

CRED_ID = "7QK2M9XRD4T8VNPA"
CSP = "default-src 'self'; script-src 'self'; connect-src 'self' http://127.0.0.1:*; style-src 'self'"


def credential_page(
    credential: dict[str, Any],
    *,
    overrides: dict[str, str] | None = None,
    datetime_overrides: dict[str, str] | None = None,
    extra_fields: str = "",
    omit: tuple[str, ...] = (),
) -> str:
    from datetime import datetime

    def show_date(value: str) -> str:
        d = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
        return f"{d:%B} {d.day}, {d.year}"

    overrides = overrides or {}
    datetime_overrides = datetime_overrides or {}
    subject = credential["credentialSubject"]
    holder = next(i["identityHash"] for i in subject["identifier"] if i["identityType"] == "name")
    text = {
        "holder": holder,
        "credential-name": subject["achievement"]["name"],
        "credential-code": subject["achievement"]["humanCode"],
        "issuer-name": credential["issuer"]["name"],
        "credential-id": credential["id"].rstrip("/").rsplit("/", 1)[1],
        "valid-from": show_date(credential["validFrom"]),
    }
    if "validUntil" in credential:
        text["valid-until"] = show_date(credential["validUntil"])
    if "description" in subject["achievement"]:
        text["description"] = subject["achievement"]["description"]
    for result in subject.get("result", []):
        text["result-" + result["resultDescription"].rsplit("#", 1)[1]] = result["value"]
    if "source" in subject:
        text["test-site"] = subject["source"]["name"]
    text.update(overrides)
    for name in omit:
        del text[name]

    def field(name: str, tag: str = "span") -> str:
        if name not in text:
            return ""
        if name.startswith("valid-"):
            attr = datetime_overrides.get(
                name, credential["validFrom" if name == "valid-from" else "validUntil"]
            )
            return (
                f'<time data-f="{name}" datetime="{html.escape(attr)}">{html.escape(text[name])}</time>'
            )
        return f'<{tag} data-f="{name}">\n      {html.escape(text[name])}\n    </{tag}>'

    # The certificate as the DOM contract has it (docs/design.md): signed fields and labels.
    results = "".join(
        f'<dt data-l="exam-{part}">{part.title()} exam</dt><dd>{field("result-" + part)}</dd>'
        for part in ("performance", "theory") if "result-" + part in text)
    test_site = ('<dt data-l="test-site">Exams taken at</dt><dd>'
                 f'{field("test-site")}</dd>') if "test-site" in text else ""
    check = check_symbol(credential["id"].rstrip("/").rsplit("/", 1)[1])
    until = (f'<dd>{field("valid-until")}</dd>' if "valid-until" in text
             else '<dd data-l="no-expiry">Does not expire</dd>')
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta http-equiv="Content-Security-Policy" content="{CSP}">
  <title>{html.escape(text["credential-name"])}</title>
  <script src="../assets/i18n.js" defer></script>
  <script src="../assets/verifier-core.js" defer></script>
  <script src="../assets/verifier-page.js" defer></script>
  <script type="application/ld+json" id="credential-data">{kit.script_json(credential)}</script>
</head>
<body>
  <div id="verdict" role="status" aria-live="polite" data-verdict="pending">Checking…</div>
  <article class="cert">
  <p data-l="certifies">This certifies that</p>
  <p>{field("holder", "strong")}</p>
  <p data-l="earned">has earned the credential</p>
  <h1>{field("credential-name", "span")}</h1>
  <p>{field("credential-code")} · <span data-l="level">Level I</span> ·
     <span data-l="group">Machining Level I</span></p>
  <p>{field("description")}</p>
  <dl>
  <dt data-l="awarded">Awarded</dt><dd>{field("valid-from")}</dd>
  <dt data-l="valid-until">Valid until</dt>{until}
  {results}
  <dt data-l="credential-id">Credential ID</dt>
  <dd>{field("credential-id", "code")}<code>-{check}</code></dd>
  <dt data-l="issued-by">Issued by</dt><dd>{field("issuer-name")}</dd>
  {test_site}
  </dl>
  </article>
  {extra_fields}
  <ol id="checks"></ol>
  <noscript>Verification needs JavaScript; run <code>credsite verify</code>.</noscript>
</body>
</html>
"""


VERIFY_PAGE = f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta http-equiv="Content-Security-Policy" content="{CSP}">
  <title>Verify a credential</title>
  <script src="../assets/i18n.js" defer></script>
  <script src="../assets/verifier-core.js" defer></script>
  <script src="../assets/verifier-page.js" defer></script>
  <script src="../assets/verify-upload.js" defer></script>
</head>
<body>
  <form id="lookup" action="../c/" method="get">
    <label for="lookup-id">Credential ID</label>
    <input id="lookup-id" name="id" autocomplete="off">
    <button type="submit">Look up</button>
  </form>
  <div id="verify-drop">
    <label for="verify-text">Paste a credential</label>
    <textarea id="verify-text"></textarea>
    <button type="button" id="verify-button">Verify</button>
    <input type="file" id="verify-file" accept=".json,application/json">
  </div>
  <div id="verdict" role="status" aria-live="polite" data-verdict="idle"></div>
  <ol id="checks"></ol>
</body>
</html>
"""


class Site:
    def __init__(self, site_dir: Path, base: str) -> None:
        self.dir = site_dir
        self.base = base
        self.did = kit.did_for(base)
        self.key = kit.Key.from_seed(self.did, "key-2026", 1)
        kit.write_json(
            site_dir / ".well-known" / "did.json",
            kit.did_document(self.did, [self.key.method()], [self.key.vm_id]),
        )
        status = kit.status_list_credential(f"{base}/status/1", self.did, {7})
        kit.write_json(site_dir / "status" / "1", kit.sign(status, self.key, as_array=False))
        (site_dir / "verify").mkdir()
        (site_dir / "verify" / "index.html").write_text(VERIFY_PAGE, encoding="utf-8")

    def credential(self, cred_id: str = CRED_ID, **fields: Any) -> dict[str, Any]:
        fields.setdefault("valid_from", "2026-01-14T00:00:00Z")
        fields.setdefault("valid_until", "2031-01-14T00:00:00Z")
        fields.setdefault("status_index", 48213)
        body = kit.credential(self.base, self.did, cred_id, **fields)
        return kit.sign(body, self.key)

    def publish(self, cred_id: str, page_html: str) -> str:
        """Write ``c/<ID>.html``; returns its URL, ``/c/<ID>``."""
        (self.dir / "c").mkdir(exist_ok=True)
        (self.dir / "c" / f"{cred_id}.html").write_text(page_html, encoding="utf-8")
        return f"{self.base}/c/{cred_id}"


@pytest.fixture
def site(tmp_path: Path, serve_dir: Any) -> Site:
    copy_assets(tmp_path)
    return Site(tmp_path, serve_dir(tmp_path))


def open_and_wait(new_page: Any, url: str) -> Any:
    page = new_page()
    page.goto(url)
    page.wait_for_selector("#verdict:not([data-verdict='pending'])", timeout=15000)
    return page


def checks_of(page: Any) -> list[tuple[str, str, str]]:
    return [tuple(row) for row in page.eval_on_selector_all(
        "#checks li",
        "els => els.map(e => [e.dataset.check, e.dataset.status, e.textContent])",
    )]


def test_verified_page(site: Site, new_page: Any) -> None:
    cred = site.credential()
    page = open_and_wait(new_page, site.publish(CRED_ID, credential_page(cred)))
    assert page.get_attribute("#verdict", "data-verdict") == "verified"
    assert page.text_content("#verdict h2") == "Verified"
    assert "Jane Q. Doe" in page.text_content("#verdict p")
    rows = checks_of(page)
    assert [r[0] for r in rows] == [
        "format",
        "issuer-key",
        "signature",
        "catalog",
        "validity",
        "status",
        "origin",
        "page",
    ]
    assert {r[0]: r[1] for r in rows} == {
        "format": "passed",
        "issuer-key": "passed",
        "signature": "passed",
        "catalog": "not-checked",
        "validity": "passed",
        "status": "passed",
        "origin": "passed",
        "page": "passed",
    }
    verify_ms = page.evaluate("document.documentElement.dataset.verifyMs")
    assert float(verify_ms) >= 0
    assert page.credsite_errors == []


def test_revoked_page(site: Site, new_page: Any) -> None:
    cred = site.credential(status_index=7)
    page = open_and_wait(new_page, site.publish(CRED_ID, credential_page(cred)))
    assert page.get_attribute("#verdict", "data-verdict") == "revoked"
    assert page.text_content("#verdict h2") == "Revoked"


def test_expired_page(site: Site, new_page: Any) -> None:
    cred = site.credential(valid_from="2020-01-01T00:00:00Z", valid_until="2025-01-01T00:00:00Z")
    page = open_and_wait(new_page, site.publish(CRED_ID, credential_page(cred)))
    assert page.get_attribute("#verdict", "data-verdict") == "expired"
    assert page.text_content("#verdict h2") == "Expired"
    assert "expired on January 1, 2025" in page.text_content("#verdict")


def test_altered_holder_text(site: Site, new_page: Any) -> None:
    cred = site.credential()
    url = site.publish(CRED_ID, credential_page(cred, overrides={"holder": "John Smith"}))
    page = open_and_wait(new_page, url)
    assert page.get_attribute("#verdict", "data-verdict") == "invalid"
    row = next(r for r in checks_of(page) if r[0] == "page")
    assert row[1] == "failed"
    assert 'page altered: holder shows "John Smith", signed value is "Jane Q. Doe"' in row[2]
    # The field now shows the signed value.
    assert page.text_content("[data-f='holder']") == "Jane Q. Doe"


def test_altered_datetime_attribute(site: Site, new_page: Any) -> None:
    cred = site.credential()
    url = site.publish(
        CRED_ID, credential_page(cred, datetime_overrides={"valid-until": "2099-01-14T00:00:00Z"})
    )
    page = open_and_wait(new_page, url)
    assert page.get_attribute("#verdict", "data-verdict") == "invalid"
    row = next(r for r in checks_of(page) if r[0] == "page")
    assert "valid-until" in row[2] and "2099-01-14T00:00:00Z" in row[2]
    assert page.get_attribute("[data-f='valid-until']", "datetime") == "2031-01-14T00:00:00Z"


def test_expiry_shown_for_credential_without_expiry(site: Site, new_page: Any) -> None:
    cred = site.credential(valid_until=None)
    fake = '<time data-f="valid-until" datetime="2030-01-01T00:00:00Z">January 1, 2030</time>'
    page = open_and_wait(new_page, site.publish(CRED_ID, credential_page(cred, extra_fields=fake)))
    assert page.get_attribute("#verdict", "data-verdict") == "invalid"


def test_hidden_expiry_is_invalid(site: Site, new_page: Any) -> None:
    cred = site.credential()
    page_html = credential_page(cred)
    start = page_html.index('<time data-f="valid-until"')
    end = page_html.index("</time>", start) + len("</time>")
    page = open_and_wait(new_page, site.publish(CRED_ID, page_html[:start] + page_html[end:]))
    assert page.get_attribute("#verdict", "data-verdict") == "invalid"


def test_script_breaking_text_is_inert(site: Site, new_page: Any) -> None:
    nasty = 'Jane </script><script src="/x.js"></script> & <b>Doe</b>\u2028'
    cred = site.credential(holder=nasty)
    page = open_and_wait(new_page, site.publish(CRED_ID, credential_page(cred)))
    assert page.get_attribute("#verdict", "data-verdict") == "verified"
    assert page.text_content("[data-f='holder']").strip() == nasty.strip()
    assert page.credsite_errors == []


def test_copy_on_another_host(site: Site, new_page: Any, serve_dir: Any) -> None:
    cred = site.credential()
    site.publish(CRED_ID, credential_page(cred))
    mirror = serve_dir(site.dir)  # same files, another port = another host
    page = open_and_wait(new_page, f"{mirror}/c/{CRED_ID}")
    assert page.get_attribute("#verdict", "data-verdict") == "copy"
    assert page.text_content("#verdict h2") == "Copy of a credential page"
    assert page.get_attribute("#verdict a", "href") == cred["id"]
    text = page.text_content("#verdict p")
    assert mirror.split("://")[1] in text and site.base.split("://")[1] in text, text


def test_did_document_unreachable_page(site: Site, new_page: Any) -> None:
    cred = site.credential()
    (site.dir / ".well-known" / "did.json").unlink()
    page = open_and_wait(new_page, site.publish(CRED_ID, credential_page(cred)))
    assert page.get_attribute("#verdict", "data-verdict") == "cannot-verify"
    assert page.text_content("#verdict h2") == "Cannot verify"


def test_no_ed25519_page(site: Site, new_page: Any) -> None:
    cred = site.credential()
    url = site.publish(CRED_ID, credential_page(cred))
    page = new_page()
    page.add_init_script("Object.defineProperty(window, 'crypto', {value: {}, configurable: true})")
    page.goto(url)
    page.wait_for_selector("#verdict:not([data-verdict='pending'])")
    assert page.get_attribute("#verdict", "data-verdict") == "cannot-verify"
    assert "WebCrypto" in page.text_content("#verdict")


def test_bad_embedded_json(site: Site, new_page: Any) -> None:
    page_html = credential_page(site.credential())
    start = page_html.index('id="credential-data">') + len('id="credential-data">')
    page_html = page_html[:start] + "{not json" + page_html[page_html.index("</script>", start) :]
    page = open_and_wait(new_page, site.publish(CRED_ID, page_html))
    assert page.get_attribute("#verdict", "data-verdict") == "invalid"


# --- the description, the exam results and the test site ------------------------------------

FULL: dict[str, Any] = {"results": {"performance": "Pass", "theory": "94%"},
                        "test_site": "Eastfield Career Center"}
NEW_FIELDS = {"description": "Measures parts; knows materials; works safely.",
              "result-performance": "Pass", "result-theory": "94%",
              "test-site": "Eastfield Career Center"}


def page_check(page: Any) -> tuple[str, str]:
    row = next(r for r in checks_of(page) if r[0] == "page")
    return row[1], row[2]


def test_all_signed_values_shown_verify(site: Site, new_page: Any) -> None:
    page = open_and_wait(new_page, site.publish(CRED_ID, credential_page(site.credential(**FULL))))
    assert page.get_attribute("#verdict", "data-verdict") == "verified"
    for field, value in NEW_FIELDS.items():
        assert page.text_content(f"[data-f='{field}']").strip() == value
    assert page_check(page)[0] == "passed"
    assert page.credsite_errors == []


def test_values_that_are_not_signed_are_not_required(site: Site, new_page: Any) -> None:
    cred = site.credential(description=None, results={})
    assert "result" not in cred["credentialSubject"] and "source" not in cred["credentialSubject"]
    page = open_and_wait(new_page, site.publish(CRED_ID, credential_page(cred)))
    assert page.get_attribute("#verdict", "data-verdict") == "verified", checks_of(page)
    assert page.locator("[data-f]").count() == 7  # holder … credential-id only


@pytest.mark.parametrize("field", list(NEW_FIELDS))
def test_altered_new_field(site: Site, new_page: Any, field: str) -> None:
    cred = site.credential(**FULL)
    url = site.publish(CRED_ID, credential_page(cred, overrides={field: "Forged"}))
    page = open_and_wait(new_page, url)
    assert page.get_attribute("#verdict", "data-verdict") == "invalid"
    status, reason = page_check(page)
    assert status == "failed"
    assert f'page altered: {field} shows "Forged", signed value is "{NEW_FIELDS[field]}"' in reason
    assert page.text_content(f"[data-f='{field}']") == NEW_FIELDS[field]  # put back


@pytest.mark.parametrize("field", list(NEW_FIELDS))
def test_hidden_new_field(site: Site, new_page: Any, field: str) -> None:
    url = site.publish(CRED_ID, credential_page(site.credential(**FULL), omit=(field,)))
    page = open_and_wait(new_page, url)
    assert page.get_attribute("#verdict", "data-verdict") == "invalid"
    assert f"page altered: {field} is not shown" in page_check(page)[1]


@pytest.mark.parametrize("field", list(NEW_FIELDS))
def test_new_field_shown_without_a_signed_value(site: Site, new_page: Any, field: str) -> None:
    cred = site.credential(description=None, results={})
    fake = f'<p data-f="{field}">Made up</p>'
    page = open_and_wait(new_page, site.publish(CRED_ID, credential_page(cred, extra_fields=fake)))
    assert page.get_attribute("#verdict", "data-verdict") == "invalid"
    status, reason = page_check(page)
    assert status == "failed"
    assert f'page altered: {field} shows "Made up", but the signed credential has no such value' in reason


# --- /verify/ ---------------------------------------------------------------------------------


def test_verify_page_paste(site: Site, new_page: Any) -> None:
    page = new_page()
    page.goto(f"{site.base}/verify/")
    page.fill("#verify-text", json.dumps(site.credential()))
    page.click("#verify-button")
    page.wait_for_selector("#verdict[data-verdict='verified']")
    assert len(checks_of(page)) == 7  # no `page` check for a pasted credential
    page.fill("#verify-text", "{nope")
    page.click("#verify-button")
    page.wait_for_selector("#verdict[data-verdict='invalid']")
    assert page.credsite_errors == []


def test_verify_page_file_input(site: Site, new_page: Any, tmp_path: Path) -> None:
    upload = tmp_path / "upload.json"
    upload.write_text(json.dumps(site.credential(status_index=7)), encoding="utf-8")
    page = new_page()
    page.goto(f"{site.base}/verify/")
    page.set_input_files("#verify-file", str(upload))
    page.wait_for_selector("#verdict[data-verdict='revoked']")


def test_verify_page_drop(site: Site, new_page: Any) -> None:
    page = new_page()
    page.goto(f"{site.base}/verify/")
    page.wait_for_function("typeof window.CredsiteVerifier === 'object'")
    page.evaluate(
        """text => {
             const dt = new DataTransfer();
             dt.items.add(new File([text], 'credential.json', {type: 'application/json'}));
             const area = document.getElementById('verify-drop');
             area.dispatchEvent(new DragEvent('dragover', {dataTransfer: dt, bubbles: true,
                                                           cancelable: true}));
             area.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true,
                                                       cancelable: true}));
           }""",
        json.dumps(site.credential()),
    )
    page.wait_for_selector("#verdict[data-verdict='verified']")


def _with_repeated_name(credential: dict[str, Any]) -> str:
    """The signed credential's JSON with a forged ``name`` before the signed one: JSON.parse keeps
    the last, so the value the page reads is the signed one, and only the text shows the repeat."""
    text = json.dumps(credential, ensure_ascii=False)
    return '{"name": "Forged", ' + text[1:]


def test_verify_page_rejects_a_repeated_member_name(site: Site, new_page: Any) -> None:
    page = new_page()
    page.goto(f"{site.base}/verify/")
    page.fill("#verify-text", _with_repeated_name(site.credential()))
    page.click("#verify-button")
    page.wait_for_selector("#verdict[data-verdict='invalid']")
    signature = next(r for r in checks_of(page) if r[0] == "signature")
    assert signature[1] == "failed"
    assert 'the member "name" twice in one object' in signature[2]
    assert page.credsite_errors == []


def test_credential_page_rejects_a_repeated_member_name(site: Site, new_page: Any) -> None:
    credential = site.credential()
    page_html = credential_page(credential)
    start = page_html.index('id="credential-data">') + len('id="credential-data">')
    end = page_html.index("</script>", start)
    page_html = page_html[:start] + _with_repeated_name(credential) + page_html[end:]
    page = open_and_wait(new_page, site.publish(CRED_ID, page_html))
    assert page.get_attribute("#verdict", "data-verdict") == "invalid"
    assert "twice in one object" in next(r for r in checks_of(page) if r[0] == "signature")[2]

"""End to end: sites made by the real build (credsite.build.pipeline.build_site), served over HTTP and
verified by the real verifier scripts in headless Chromium.

Each test serves a folder first (so the port is known), makes a mini site whose base_url is that
address (tests/sitekit.py), builds into the served folder and opens the pages. Tampering is done on
the BUILT files, as someone editing a published site would (the build itself refuses tampered
awards). The demo test builds content/ and serves it at http://localhost:8000, its base_url.

Run with ``-s`` to see the verification times of the demo pages.
"""

from __future__ import annotations

import html as html_lib
import json
import shutil
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from e2e_kit import (
    CHECK_NAMES,
    credential_ids,
    display_date,
    embed,
    field_text,
    holder_identifier,
    open_and_verify,
    page_path,
    read_embedded,
    set_field,
    wait_for_verdict,
)
from sitekit import MiniSite, make_site, row

from credsite.build.pipeline import build_site
from credsite.issuer import keys
from credsite.trust.dataintegrity import add_proof
from credsite.trust.ids import check_symbol

REPO_ROOT = Path(__file__).resolve().parents[2]
DEMO_CONTENT = REPO_ROOT / "content"
DEMO_PORT = 8000


@dataclass
class Built:
    """A mini site built into a served folder."""

    site: MiniSite
    out: Path
    base: str  # http://127.0.0.1:<port>, the site's base_url
    ada: str  # TEST-MMS, does not expire
    grace: str  # TEST-CNC, valid for 5 years

    @property
    def host(self) -> str:
        return urlsplit(self.base).netloc

    def url(self, cred_id: str) -> str:
        return f"{self.base}/c/{cred_id}"

    def page_html(self, cred_id: str) -> str:
        return page_path(self.out, cred_id).read_text(encoding="utf-8")

    def write_page(self, cred_id: str, html: str) -> None:
        page_path(self.out, cred_id).write_text(html, encoding="utf-8")


def build_mini(
    tmp_path: Path, serve_dir: Callable[..., str], **site_options: Any
) -> tuple[MiniSite, Path, str]:
    out = tmp_path / "out"
    base = serve_dir(out)  # serves the folder live: the build may write it afterwards
    site = make_site(tmp_path / "site", base, **site_options)
    return site, out, base


@pytest.fixture
def built(tmp_path: Path, serve_dir: Callable[..., str]) -> Built:
    site, out, base = build_mini(tmp_path, serve_dir)
    ada, grace = site.issue([
        row("Ada Lovelace", "TEST-MMS", "2026-03-14T15:00:00Z"),
        row("Grace Hopper", "TEST-CNC", "2026-02-02T09:30:00Z"),
    ])
    site.build(out)
    return Built(site, out, base, ada, grace)


def assert_verified(result: Any, *, origin: str = "passed") -> None:
    assert result.verdict == ("verified" if origin == "passed" else "copy"), result.summary()
    assert [c.name for c in result.checks] == CHECK_NAMES, result.summary()
    expected = {name: "passed" for name in CHECK_NAMES}
    expected["catalog"] = "not-checked"
    expected["origin"] = origin
    assert result.statuses() == expected, result.summary()


def assert_no_page_errors(page: Any) -> None:
    assert page.credsite_errors == [], page.credsite_errors


# --------------------------------------------------------------------------- 1. the demo


def test_every_demo_credential_page_verifies_when_served_at_its_base_url(
    tmp_path: Path, serve_dir: Callable[..., str], new_page: Callable[..., Any]
) -> None:
    site_yaml = (DEMO_CONTENT / "site.yaml").read_text(encoding="utf-8")
    assert f"base_url: http://localhost:{DEMO_PORT}" in site_yaml
    out = tmp_path / "demo"
    build_site(DEMO_CONTENT, out, quiet=True, jobs=1, incremental=False)
    ids = credential_ids(out)
    awards = sum(1 for path in (DEMO_CONTENT / "awards").glob("*.jsonl")
                 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    assert len(ids) == awards >= 50, (len(ids), awards)
    try:
        serve_dir(out, port=DEMO_PORT)
    except OSError as error:
        pytest.fail(f"port {DEMO_PORT} is busy on this machine ({error}); the demo's base_url is "
                    f"http://localhost:{DEMO_PORT}, so the demo verifies only there: stop whatever "
                    f"listens on 127.0.0.1:{DEMO_PORT} and rerun", pytrace=False)

    page = new_page()
    times = []
    for cred_id in ids:
        result = open_and_verify(page, f"http://localhost:{DEMO_PORT}/c/{cred_id}")
        assert result.title == "Verified", f"{cred_id}: {result.summary()}"
        assert_verified(result)
        assert result.verify_ms is not None and result.verify_ms > 0, cred_id
        times.append(result.verify_ms)
    assert_no_page_errors(page)
    print(f"\ndemo credential pages: {len(times)} verified; verifyMs median "
          f"{statistics.median(times):.1f} ms, max {max(times):.1f} ms, min {min(times):.1f} ms")


# --------------------------------------------------------------------------- 2. signed fields


def _tamper_holder(c: dict[str, Any], html: str) -> str:
    holder_identifier(c)["identityHash"] = "Mallory Forger"
    return set_field(html, "holder", "Mallory Forger")


def _tamper_code(c: dict[str, Any], html: str) -> str:
    c["credentialSubject"]["achievement"]["humanCode"] = "TEST-PB"
    return set_field(html, "credential-code", "TEST-PB")


def _tamper_award_date(c: dict[str, Any], html: str) -> str:
    c["validFrom"] = "2025-01-06T15:00:00Z"
    return set_field(html, "valid-from", display_date(c["validFrom"]), datetime=c["validFrom"])


def _tamper_id(c: dict[str, Any], html: str) -> str:
    other = "7QK2M9XRD4T8VNPA"
    old = c["id"].rsplit("/", 1)[1]
    c["id"] = c["id"].rsplit("/", 1)[0] + "/" + other
    # the check character printed after the ID goes with it (the whole-text check derives it)
    html = html.replace(f">-{check_symbol(old)}</code>", f">-{check_symbol(other)}</code>", 1)
    return set_field(html, "credential-id", other)


def _tamper_issuer_name(c: dict[str, Any], html: str) -> str:
    c["issuer"]["name"] = "Trusted University"
    return set_field(html, "issuer-name", "Trusted University")


def _tamper_issuer_id(c: dict[str, Any], html: str) -> str:
    c["issuer"]["id"] = "did:web:issuer.example"
    return html


def _tamper_description(c: dict[str, Any], html: str) -> str:
    c["credentialSubject"]["achievement"]["description"] = "Certifies everything."
    return set_field(html, "description", "Certifies everything.")


def _result(c: dict[str, Any], part: str) -> dict[str, Any]:
    return next(r for r in c["credentialSubject"]["result"]
                if r["resultDescription"].endswith("#" + part))


def _tamper_performance(c: dict[str, Any], html: str) -> str:
    _result(c, "performance")["value"] = "Distinction"
    return set_field(html, "result-performance", "Distinction")


def _tamper_theory(c: dict[str, Any], html: str) -> str:
    _result(c, "theory")["value"] = "100%"
    return set_field(html, "result-theory", "100%")


def _tamper_test_site(c: dict[str, Any], html: str) -> str:
    c["credentialSubject"]["source"]["name"] = "Harvard"
    return set_field(html, "test-site", "Harvard")


TAMPERINGS = {
    "description": (_tamper_description, "signature"),
    "performance result": (_tamper_performance, "signature"),
    "theory result": (_tamper_theory, "signature"),
    "test site": (_tamper_test_site, "signature"),
    "holder name": (_tamper_holder, "signature"),
    "credential code": (_tamper_code, "signature"),
    "award date": (_tamper_award_date, "signature"),
    "credential id": (_tamper_id, "signature"),
    "issuer name": (_tamper_issuer_name, "signature"),
    "issuer id": (_tamper_issuer_id, "format"),  # wrong-issuer: not this site's DID
}


@pytest.mark.parametrize("field", list(TAMPERINGS))
@pytest.mark.parametrize("also_text", [False, True], ids=["json-only", "json-and-text"])
def test_a_changed_signed_field_makes_the_page_invalid(
    built: Built, new_page: Callable[..., Any], field: str, also_text: bool
) -> None:
    """The embedded JSON of a built page is edited; with ``also_text`` the visible text is
    edited to match, so that only the signature (or, for the issuer, its key) can catch it."""
    page = new_page()
    assert_verified(open_and_verify(page, built.url(built.ada)))

    tamper, failing_check = TAMPERINGS[field]
    original = built.page_html(built.ada)
    credential = read_embedded(original, built.out)
    edited = tamper(credential, original)
    built.write_page(built.ada, embed(edited if also_text else original, credential))
    assert read_embedded(built.page_html(built.ada), built.out) == credential

    result = open_and_verify(page, built.url(built.ada))
    assert result.verdict == "invalid", result.summary()
    assert result.title == "Invalid"
    assert failing_check in result.failed(), result.summary()
    if also_text or field == "issuer id":  # no visible field shows the issuer's DID
        assert result.check("page").status == "passed", result.summary()
    else:
        assert result.check("page").status == "failed", result.summary()
    assert "Verified" not in result.text


# --------------------------------------------------------------------------- 3. visible text


def test_edited_visible_text_is_invalid_and_the_signed_name_is_shown(
    built: Built, new_page: Callable[..., Any]
) -> None:
    html = built.page_html(built.ada)
    assert field_text(html, "holder").strip() == "Ada Lovelace"
    built.write_page(built.ada, set_field(html, "holder", "Mallory Forger"))
    assert read_embedded(built.page_html(built.ada), built.out) == read_embedded(html, built.out)

    page = new_page()
    result = open_and_verify(page, built.url(built.ada))
    assert result.verdict == "invalid", result.summary()
    assert result.check("signature").status == "passed", result.summary()
    page_check = result.check("page")
    assert page_check.status == "failed", result.summary()
    assert "holder" in page_check.reason and "Mallory Forger" in page_check.reason, page_check
    assert "Ada Lovelace" in page_check.reason, page_check
    assert "does not match the signed credential" in result.text
    holder = page.locator('[data-f="holder"]')
    assert holder.count() == 1
    assert holder.inner_text().strip() == "Ada Lovelace"
    assert "Mallory Forger" not in page.locator("article.cert").inner_text()
    assert_no_page_errors(page)


NEW_FIELDS = {  # field: (signed value on Ada's page, a forged one)
    "description": ("What Measurement, Materials & Safety certifies.", "Certifies all of machining."),
    "result-performance": ("Pass", "Pass with distinction"),
    "result-theory": ("88%", "100%"),
    "test-site": ("Test Center", "MIT"),
}


@pytest.mark.parametrize("field", list(NEW_FIELDS))
def test_each_shown_signed_value_is_checked(built: Built, new_page: Callable[..., Any],
                                            field: str) -> None:
    """The description, both exam results and the test site are compared with the signed values."""
    signed, forged = NEW_FIELDS[field]
    html = built.page_html(built.ada)
    assert field_text(html, field) == html_lib.escape(signed, quote=False)
    built.write_page(built.ada, set_field(html, field, forged))
    page = new_page()
    result = open_and_verify(page, built.url(built.ada))
    assert result.verdict == "invalid" and result.title == "Invalid", result.summary()
    assert result.check("signature").status == "passed", result.summary()
    page_check = result.check("page")
    assert page_check.status == "failed", result.summary()
    assert f'page altered: {field} shows "{forged}", signed value is "{signed}"' in page_check.reason
    assert page.locator(f'[data-f="{field}"]').inner_text().strip() == signed  # put back
    assert forged not in page.locator("article.cert").inner_text()
    assert_no_page_errors(page)


def _drop_field(html: str, field: str) -> str:
    """The page without the ``<div>`` (term and value) that shows ``field``."""
    start = html.index(f'data-f="{field}"')
    start = html.rindex("<div", 0, start)
    end = html.index("</div>", start) + len("</div>")
    return html[:start] + html[end:]


@pytest.mark.parametrize("field", ["result-theory", "test-site"])
def test_a_hidden_signed_value_is_invalid(built: Built, new_page: Callable[..., Any],
                                          field: str) -> None:
    built.write_page(built.ada, _drop_field(built.page_html(built.ada), field))
    page = new_page()
    result = open_and_verify(page, built.url(built.ada))
    assert result.verdict == "invalid", result.summary()
    assert f"page altered: {field} is not shown" in result.check("page").reason, result.summary()


def test_values_the_credential_does_not_sign_are_not_shown_and_cannot_be_added(
    tmp_path: Path, serve_dir: Callable[..., str], new_page: Callable[..., Any]
) -> None:
    site, out, base = build_mini(tmp_path, serve_dir)
    [bare] = site.issue([row("Ada Lovelace", "TEST-MMS", theory_result="", test_site="")])
    site.build(out)
    credential = read_embedded(page_path(out, bare).read_text(encoding="utf-8"), out)
    subject = credential["credentialSubject"]
    assert "source" not in subject and [r["resultDescription"].rsplit("#")[1]
                                        for r in subject["result"]] == ["performance"]
    page = new_page()
    result = open_and_verify(page, f"{base}/c/{bare}")
    assert_verified(result)
    assert page.locator('[data-f="result-theory"], [data-f="test-site"]').count() == 0
    html = page_path(out, bare).read_text(encoding="utf-8")
    for field, shown in (("result-theory", "97%"), ("test-site", "Harvard")):
        fake = f'<div><dt>Made up</dt><dd data-f="{field}">{shown}</dd></div>\n</dl>'
        page_path(out, bare).write_text(html.replace("</dl>", fake, 1), encoding="utf-8")
        result = open_and_verify(page, f"{base}/c/{bare}")
        assert result.verdict == "invalid", result.summary()
        assert (f'page altered: {field} shows "{shown}", but the signed credential has no such '
                "value") in result.check("page").reason, result.summary()
    assert_no_page_errors(page)


# --------------------------------------------------------------------------- 4. unknown key


@pytest.mark.parametrize("key_id, failing_check", [
    ("key-1", "signature"),  # the site's key id, but not the site's key
    ("key-rogue", "issuer-key"),  # a key the DID document does not list
])
def test_a_credential_re_signed_by_a_key_not_in_the_did_document_is_invalid(
    built: Built, new_page: Callable[..., Any], key_id: str, failing_check: str
) -> None:
    rogue = keys.generate(key_id)
    html = built.page_html(built.ada)
    credential = read_embedded(html, built.out)
    unsigned = {k: v for k, v in credential.items() if k != "proof"}
    method = f"{credential['issuer']['id']}#{key_id}"
    forged = add_proof(unsigned, rogue.sign, method, credential["proof"][0]["created"])
    assert forged["proof"][0]["proofValue"] != credential["proof"][0]["proofValue"]
    built.write_page(built.ada, embed(html, forged))

    page = new_page()
    result = open_and_verify(page, built.url(built.ada))
    assert result.verdict == "invalid", result.summary()
    assert failing_check in result.failed(), result.summary()
    if key_id == "key-rogue":
        assert "not in the issuer's DID document" in result.check("issuer-key").reason
    assert_no_page_errors(page)


# --------------------------------------------------------------------------- 5. a copy


def test_the_same_site_served_from_another_origin_is_a_copy(
    built: Built, serve_dir: Callable[..., str], new_page: Callable[..., Any]
) -> None:
    copy_base = serve_dir(built.out)  # same files, another port
    copy_host = urlsplit(copy_base).netloc
    assert copy_host != built.host

    page = new_page()
    assert_verified(open_and_verify(page, built.url(built.ada)))
    result = open_and_verify(page, f"{copy_base}/c/{built.ada}")
    assert_verified(result, origin="warning")
    assert result.title == "Copy of a credential page"
    assert copy_host in result.text and built.host in result.text, result.text
    link = page.locator("#verdict a.verdict-original")
    assert link.get_attribute("href") == f"{built.base}/c/{built.ada}"
    assert_no_page_errors(page)


# --------------------------------------------------------------------------- 6. no DID document


def test_an_unreachable_did_document_cannot_verify(built: Built, new_page: Callable[..., Any]) -> None:
    page = new_page()
    page.route("**/.well-known/did.json*", lambda route: route.abort())  # the preload too
    result = open_and_verify(page, built.url(built.ada))
    assert result.verdict == "cannot-verify", result.summary()
    assert result.check("issuer-key").status == "not-checked"
    assert "DID document" in result.check("issuer-key").reason
    assert result.check("signature").status == "not-checked"
    assert "Verified" not in result.text


def test_a_deleted_did_document_cannot_verify(built: Built, new_page: Callable[..., Any]) -> None:
    (built.out / ".well-known" / "did.json").unlink()
    page = new_page()
    for cred_id in (built.ada, built.grace):
        result = open_and_verify(page, built.url(cred_id))
        assert result.verdict == "cannot-verify", result.summary()
        assert "HTTP 404" in result.check("issuer-key").reason, result.summary()
        assert "Verified" not in result.text


# --------------------------------------------------------------------------- 7. expired


def test_a_credential_past_its_valid_until_is_expired(
    tmp_path: Path, serve_dir: Callable[..., str], new_page: Callable[..., Any]
) -> None:
    site, out, base = build_mini(tmp_path, serve_dir, key_valid_from="2018-01-01T00:00:00Z")
    old, current = site.issue([
        row("Ada Lovelace", "TEST-CNC", "2019-01-10T15:00:00Z"),
        row("Grace Hopper", "TEST-CNC", "2026-01-10T15:00:00Z"),
    ])
    site.build(out)
    credential = json.loads((out / "c" / f"{old}.json").read_bytes())
    assert credential["validUntil"] == "2024-01-10T15:00:00Z"

    page = new_page()
    result = open_and_verify(page, f"{base}/c/{old}")
    assert result.verdict == "expired", result.summary()
    assert result.title == "Expired"
    validity = result.check("validity")
    assert validity.status == "failed" and "expired on January 10, 2024" in validity.reason
    assert {n: s for n, s in result.statuses().items() if n not in ("validity", "catalog")} == {
        n: "passed" for n in CHECK_NAMES if n not in ("validity", "catalog")}
    assert_verified(open_and_verify(page, f"{base}/c/{current}"))
    assert_no_page_errors(page)


# --------------------------------------------------------------------------- 10. /verify/


def _verify_page(page: Any, built: Built) -> None:
    response = page.goto(f"{built.base}/verify/")
    assert response is not None and response.ok
    page.wait_for_function("() => typeof window.CredsiteVerifier === 'object'")
    assert page.get_attribute("#verdict", "data-verdict") == "idle"


def _wait_for_upload_verdict(page: Any) -> Any:
    page.wait_for_selector("#verdict:not([data-verdict=idle]):not([data-verdict=pending])",
                           state="attached", timeout=30_000)
    return wait_for_verdict(page)


DROP_FILE_JS = """([text, name]) => {
  const dt = new DataTransfer();
  dt.items.add(new File([text], name, {type: 'application/json'}));
  const area = document.getElementById('verify-drop');
  area.dispatchEvent(new DragEvent('dragover', {dataTransfer: dt, bubbles: true, cancelable: true}));
  area.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
}"""

DROP_TEXT_JS = """(text) => {
  const dt = new DataTransfer();
  dt.setData('text/plain', text);
  document.getElementById('verify-drop')
    .dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
}"""


def _upload(page: Any, how: str, data: bytes) -> None:
    name = "credential.json"
    if how == "file input":
        page.set_input_files("#verify-file", files=[
            {"name": name, "mimeType": "application/json", "buffer": data}])
    elif how == "dropped file":
        page.evaluate(DROP_FILE_JS, [data.decode("utf-8"), name])
    elif how == "dropped text":
        page.evaluate(DROP_TEXT_JS, data.decode("utf-8"))
    elif how == "pasted text":
        page.fill("#verify-drop textarea", data.decode("utf-8"))
        page.click("#verify-button")
    else:
        raise AssertionError(how)


UPLOADS = ["file input", "dropped file", "dropped text", "pasted text"]


@pytest.mark.parametrize("how", UPLOADS)
def test_the_verify_page_verifies_a_credential_file(
    built: Built, new_page: Callable[..., Any], how: str
) -> None:
    data = (built.out / "c" / f"{built.grace}.json").read_bytes()
    page = new_page()
    _verify_page(page, built)
    _upload(page, how, data)
    result = _wait_for_upload_verdict(page)
    assert result.verdict == "verified", result.summary()
    assert result.title == "Verified"
    assert "Grace Hopper" in result.text
    assert [c.name for c in result.checks] == [n for n in CHECK_NAMES if n != "page"]
    assert_no_page_errors(page)


@pytest.mark.parametrize("how", UPLOADS)
def test_the_verify_page_rejects_a_tampered_credential_file(
    built: Built, new_page: Callable[..., Any], how: str
) -> None:
    credential = json.loads((built.out / "c" / f"{built.grace}.json").read_bytes())
    holder_identifier(credential)["identityHash"] = "Mallory Forger"
    data = json.dumps(credential, ensure_ascii=False).encode("utf-8")
    page = new_page()
    _verify_page(page, built)
    _upload(page, how, data)
    result = _wait_for_upload_verdict(page)
    assert result.verdict == "invalid", result.summary()
    assert result.check("signature").status == "failed", result.summary()
    assert "Verified" not in result.text


def test_the_verify_page_looks_up_a_typed_id(built: Built, new_page: Callable[..., Any]) -> None:
    cred_id = built.ada
    grouped = "-".join(cred_id[i:i + 4] for i in range(0, 16, 4))
    typed = f"  {grouped[:9]} {grouped[10:]} ".lower()  # "abcd-efgh ijkl-mnop"
    typed = typed.replace("0", "o").replace("1", "l")  # the normalisation also undoes these
    page = new_page()
    _verify_page(page, built)
    page.fill("#lookup-id", typed)
    page.click("#lookup button[type=submit]")
    page.wait_for_url(built.url(cred_id))  # (the look-up first keeps the typed text in ?id=)
    assert_verified(wait_for_verdict(page))

    _verify_page(page, built)
    page.fill("#lookup-id", "not-an-id")
    page.click("#lookup button[type=submit]")
    assert page.url == f"{built.base}/verify/"
    assert page.locator("#lookup-error").is_visible()
    assert page.get_attribute("#lookup-id", "aria-invalid") == "true"


# --------------------------------------------------------------------------- 11. no JavaScript


def test_without_javascript_the_page_explains_how_to_verify_and_never_says_verified(
    built: Built, new_page: Callable[..., Any]
) -> None:
    page = new_page(java_script_enabled=False)
    response = page.goto(built.url(built.ada))
    assert response is not None and response.ok
    note = page.locator(".noscript-note")
    assert note.count() == 1 and note.is_visible()
    text = note.inner_text()
    assert "Verification needs JavaScript" in text
    assert "credsite verify" in text
    assert note.locator("a").get_attribute("href") == f"/c/{built.ada}.json"
    verdict = page.locator("#verdict")
    assert verdict.get_attribute("data-verdict") == "pending"
    assert "Verified" not in verdict.inner_text()
    assert "verified" not in (verdict.get_attribute("data-verdict") or "")
    assert page.locator("#checks li").count() == 0


# --------------------------------------------------------------------------- the built JSON file


def test_a_credential_page_names_and_announces_its_published_record(built: Built) -> None:
    for cred_id in (built.ada, built.grace):
        html = built.page_html(cred_id)
        assert f'id="credential-data" data-src="/c/{cred_id}.json"></script>' in html
        assert f'<link rel="preload" href="/c/{cred_id}.json" as="fetch" crossorigin>' in html
        assert read_embedded(html, built.out) == json.loads(
            (built.out / "c" / f"{cred_id}.json").read_bytes())


def test_what_a_credential_page_verifies_with_is_requested_first_and_at_high_priority(
        built: Built, new_page: Callable[..., Any]) -> None:
    """The script is deferred, which Chromium asks for at low priority unless told otherwise,
    and it must be asked for before the badge: over HTTP/1.1 a browser opens six connections to
    a host, and a page of a site that signs status freshness announces four documents, so a
    script found after the badge waited for a connection (on the throttled phone of
    bench/phone_bench.py, 0.1-0.2 s of the verdict). Read from Chromium's own requests and
    priorities (DevTools protocol)."""
    page = new_page()
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    priorities: dict[str, str] = {}
    cdp.on("Network.requestWillBeSent",
           lambda event: priorities.setdefault(event["request"]["url"], event["request"]["initialPriority"]))
    assert_verified(open_and_verify(page, built.url(built.ada)))
    asked = list(priorities)  # in the order the page asked
    script = next(url for url in asked if "/assets/credential." in url and url.endswith(".js"))
    badge = next(url for url in asked if "/badges/" in url)
    wanted = [script, f"{built.base}/c/{built.ada}.json",
              next(url for url in asked if "/.well-known/did.json" in url),
              next(url for url in asked if "/status/" in url)]
    assert {url: priorities[url] for url in wanted} == dict.fromkeys(wanted, "High"), priorities
    assert asked.index(script) < asked.index(badge), asked


def test_a_copied_folder_needs_no_build_tools(
    built: Built, tmp_path: Path, serve_dir: Callable[..., str], new_page: Callable[..., Any]
) -> None:
    """A plain file copy of the output (what a static host gets) verifies as a copy."""
    mirror = tmp_path / "mirror"
    shutil.copytree(built.out, mirror)
    mirror_base = serve_dir(mirror)
    page = new_page()
    assert_verified(open_and_verify(page, f"{mirror_base}/c/{built.grace}"), origin="warning")


# --------------------------------------------------------------------------- awkward names


AWKWARD_NAMES = [
    "Zoë O'Brien <Jr.> & Søn \"Ace\"",
    "</script><script>document.title='pwned'</script>",
    "Ada   Lovelace",  # inner runs of spaces
    "Ada\u00a0Lovelace",  # no-break space
    "José Müller",
    "محمد بن موسى الخوارزمي",
    "李小龍",
    "Zo\u0065\u0308 NFD",  # normalised to NFC at issuance
]


def test_holder_names_that_need_escaping_verify(
    tmp_path: Path, serve_dir: Callable[..., str], new_page: Callable[..., Any]
) -> None:
    site, out, base = build_mini(tmp_path, serve_dir)
    ids = site.issue([row(name, "TEST-MMS") for name in AWKWARD_NAMES])
    site.build(out)
    page = new_page()
    for name, cred_id in zip(AWKWARD_NAMES, ids, strict=True):
        result = open_and_verify(page, f"{base}/c/{cred_id}")
        assert_verified(result)
        assert page.title() != "pwned"
        signed = holder_identifier(read_embedded(page_path(out, cred_id).read_text("utf-8"), out))
        assert " ".join(page.locator('[data-f="holder"]').inner_text().split()) == " ".join(
            signed["identityHash"].split()), name
    assert_no_page_errors(page)


# --------------------------------------------------------------------------- below a path


def test_a_site_below_a_path_verifies(
    tmp_path: Path, serve_dir: Callable[..., str], new_page: Callable[..., Any]
) -> None:
    """did:web:<host>:creds resolves to <host>/creds/did.json (did:web §3.2), not .well-known."""
    root = tmp_path / "www"
    root.mkdir()
    host_base = serve_dir(root)
    site = make_site(tmp_path / "site", f"{host_base}/creds")
    [cred_id] = site.issue([row()])
    site.build(root / "creds")
    page = new_page()
    assert_verified(open_and_verify(page, f"{host_base}/creds/c/{cred_id}"))

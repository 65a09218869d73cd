"""Issue 16, finding 8: every fetched or pasted document has a size cap, with a clear message.

Before, a 120 MB DID document was fetched and parsed whole, and a 30 MB paste froze the tab.
"""

from __future__ import annotations

import json
from typing import Any

import vc_testkit as kit


def test_an_oversized_fetched_document_is_refused(core_harness: Any) -> None:
    big = core_harness.site_dir / "big.json"
    big.write_text(json.dumps({"padding": "x" * (5 * 1024 * 1024)}), encoding="utf-8")
    small = core_harness.site_dir / "small.json"
    small.write_text(json.dumps({"ok": True}), encoding="utf-8")
    result = core_harness.page.evaluate(
        """async (base) => {
             const out = {};
             try { await CredsiteVerifier.defaultFetchJson(base + '/big.json'); out.big = 'read'; }
             catch (err) { out.big = err.message; }
             out.small = await CredsiteVerifier.defaultFetchJson(base + '/small.json');
             return out;
           }""", core_harness.base_url)
    assert result["big"] == f"the document at {core_harness.base_url}/big.json is larger than 4 MB"
    assert result["small"] == {"ok": True}


def test_an_oversized_did_document_gives_cannot_verify(core_harness: Any) -> None:
    base = core_harness.base_url
    did = kit.did_for(base)
    key = kit.Key.from_seed(did, "key-1", 1)
    doc = kit.did_document(did, [key.method(validFrom="2026-01-01T00:00:00Z")], [key.vm_id])
    doc["padding"] = "x" * (5 * 1024 * 1024)
    kit.write_json(core_harness.site_dir / ".well-known" / "did.json", doc)
    cred = kit.sign(kit.credential(base, did, "7QK2M9XRD4T8VNPA"), key)
    result = core_harness.page.evaluate(
        "c => CredsiteVerifier.verifyCredential(c, {now: new Date('2026-06-01T00:00:00Z')})", cred)
    assert result["verdict"] == "cannot-verify"
    [key_check] = [c for c in result["checks"] if c["name"] == "issuer-key"]
    assert key_check["code"] == "did-unavailable"
    assert "larger than 4 MB" in key_check["reason"]


def test_an_oversized_paste_is_refused_at_once(
    core_harness: Any, new_page: Any
) -> None:
    site = core_harness.site_dir
    (site / "verify.html").write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>v</title>"
        "<script src='/assets/i18n.js' defer></script>"
        "<script src='/assets/verifier-core.js' defer></script>"
        "<script src='/assets/verifier-page.js' defer></script>"
        "<script src='/assets/verify-upload.js' defer></script></head><body>"
        "<div id='verdict'></div><ol id='checks'></ol><div id='verify-drop'>"
        "<textarea id='verify-text'></textarea><button type='button' id='verify-button'>Verify"
        "</button></div></body></html>", encoding="utf-8")
    page = new_page()
    page.goto(core_harness.base_url + "/verify.html")
    page.wait_for_function("typeof window.CredsiteVerifier === 'object'")
    # Set in script: a paste into the built /verify/ page stops at the textarea's maxlength.
    page.evaluate("() => { document.getElementById('verify-text').value = "
                  "'{\"a\": \"' + 'x'.repeat(5 * 1024 * 1024) + '\"}'; }")
    page.click("#verify-button")
    page.wait_for_selector("#verdict[data-verdict='invalid']", timeout=10_000)
    assert "larger than 4 MB" in page.inner_text("#verdict")

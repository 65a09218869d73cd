"""The verdict vectors: one suite of cases for both verifiers (docs/design.md, "Verification vectors").

Each case is what a verifier is given (a credential and its JSON text, the issuer's DID document,
the status lists, the time, the site the page belongs to, and where the credential is shown) and
what it must answer: the verdict and every check's status and code. ``tests/test_verdict_vectors.py``
runs them through ``credsite.trust.verify`` and ``tests/browser/test_verdict_vectors_in_chromium.py`` through
the browser's ``CredsiteVerifier.verifyCredential`` in Chromium.

The cases are signed by ``tests/browser/vc_testkit.py`` (PyNaCl and rfc8785, not credsite) with fixed
seeds; Ed25519 signatures are deterministic, so ``python tests/vectors/verdict_cases.py`` writes the
same files every time, and a test checks that the folder matches this script.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
import vc_testkit as kit  # noqa: E402 - the independent test signer lives with the browser tests


def did_for(base_url: str) -> str:
    """did:web for a base URL with a path (did:web §3.2: the path's segments joined by ':')."""
    host, _, path = base_url.split("://", 1)[1].partition("/")
    return ":".join(["did:web", host.replace(":", "%3A"), *[p for p in path.split("/") if p]])


FOLDER = Path(__file__).resolve().parent / "verdict"
BASE = "https://northbridge.github.io/credentials"  # a project site: the host is shared
DID = did_for(BASE)  # did:web:northbridge.github.io:credentials
ID = "7QK2M9XRD4T8VNPA"
URL = f"{BASE}/c/{ID}"
NOW = "2026-06-01T12:00:00Z"
LIST_URL = f"{BASE}/status/1"
LIVE, REVOKED = 48213, 7
CHECKS = ("format", "issuer-key", "signature", "catalog", "validity", "status", "origin")

KEY = kit.Key.from_seed(DID, "key-2026", 1)
LOST = kit.Key.from_seed(DID, "key-2025", 3)  # compromised on 2026-04-01
RETIRED = kit.Key.from_seed(DID, "key-2024", 5)  # valid from 2024-01-01 until 2026-01-01
EVIL_BASE = "https://northbridge.github.io/evil"  # another credsite site on the same host
EVIL = kit.Key.from_seed(did_for(EVIL_BASE), "key-2026", 9)
FRESH = kit.Key.from_seed(DID, "freshness-1", 11)  # an online key for freshness statements

Case = dict[str, Any]


def did_document() -> dict[str, Any]:
    return kit.did_document(
        DID,
        [KEY.method(validFrom="2026-01-01T00:00:00Z"),
         LOST.method(validFrom="2025-01-01T00:00:00Z", compromisedFrom="2026-04-01T00:00:00Z"),
         RETIRED.method(validFrom="2024-01-01T00:00:00Z", validUntil="2026-01-01T00:00:00Z")],
        [KEY.vm_id, RETIRED.vm_id],  # as credsite publishes it: a compromised key leaves assertionMethod
    )


def standard(document: dict[str, Any]) -> dict[str, Any]:
    """The proof as vc-di-eddsa §3.3.1 stores it: with the document's ``@context`` (the test
    signer hashes it in the configuration but, like credsite before 0.2, does not store it)."""
    proofs = document["proof"] if isinstance(document["proof"], list) else [document["proof"]]
    for proof in proofs:
        proof["@context"] = document["@context"]
    return document


def status_list(revoked: set[int] | None = None) -> dict[str, Any]:
    body = kit.status_list_credential(LIST_URL, DID, {REVOKED} if revoked is None else revoked)
    return standard(kit.sign(body, KEY, "2026-05-01T00:00:00Z", as_array=False))


def signed(key: kit.Key = KEY, created: str = "2026-03-14T10:00:00Z", *,
           base: str = BASE, **fields: Any) -> dict[str, Any]:
    fields.setdefault("status_index", LIVE)
    fields.setdefault("issuer_name", "Northbridge Institute")
    return standard(kit.sign(kit.credential(base, key.did, ID, **fields), key, created))


def expect(verdict: str, **checks: str) -> dict[str, Any]:
    """Expected verdict and checks: ``status:code`` per check; unnamed checks after the last named
    one are skipped (``not-checked:skipped``), others pass (``passed:ok``)."""
    table = {}
    gate_closed = False
    for name in CHECKS:
        key = name.replace("-", "_")
        if key in checks:
            table[name] = checks[key]
        else:
            # The vectors' DID documents list no freshness key: status "as published".
            passed = "passed:as-published" if name == "status" else "passed:ok"
            table[name] = "not-checked:skipped" if gate_closed else passed
        if name in ("format", "issuer-key", "signature") and not table[name].startswith("passed"):
            gate_closed = True
    if table["catalog"] == "passed:ok":
        table["catalog"] = "not-checked:not-consulted"
    return {"verdict": verdict,
            "checks": {n: dict(zip(("status", "code"), v.split(":"), strict=True))
                       for n, v in table.items()}}


def case(description: str, credential: Any, expected: dict[str, Any], *, text: str | None = None,
         page: dict[str, Any] | None = None, did: dict[str, Any] | None | str = "default",
         lists: dict[str, Any] | None = None, now: str = NOW, python: bool = True) -> Case:
    return {
        "description": description,
        "credential": credential,
        "text": json.dumps(credential, ensure_ascii=False) if text is None else text,
        "did_document": did_document() if did == "default" else did,
        "status_lists": {LIST_URL: status_list()} if lists is None else lists,
        "now": now,
        "site": {"did": DID, "base_url": BASE, "issuer_name": "Northbridge Institute"},
        "page": page,
        "python": python,  # False: the case needs a network the CLI does not use
        "expected": expected,
    }


def on_page(url: str = URL, *, framed: bool = False, kind: str = "credential") -> dict[str, Any]:
    return {"url": url, "framed": framed, "kind": kind}


def tampered(change: Callable[[dict[str, Any]], None], **fields: Any) -> dict[str, Any]:
    cred = signed(**fields)
    change(cred)
    return cred


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(cred: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = cred
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return change


def cases() -> dict[str, Case]:
    good = signed()
    page_ok = expect("verified")
    out: dict[str, Case] = {
        "verified-on-its-page": case("its own page at its permanent URL", good, page_ok,
                                     page=on_page()),
        "verified-html-query-fragment": case(
            "/c/<ID>.html with a query and a fragment is still its permanent URL", good, page_ok,
            page=on_page(URL + ".html?utm=x#share")),
        "verified-no-page": case("credsite verify: not on a page", good,
                                 expect("verified", origin="not-checked:no-page")),
        "verified-on-verify-page": case(
            "pasted into the site's /verify/ page (only the DID is pinned)", good,
            expect("verified", origin="not-checked:no-page"),
            page=on_page(f"{BASE}/verify/", kind="verify")),
        "verified-no-status-no-expiry": case(
            "no credentialStatus and no validUntil", signed(status_index=None, valid_until=None),
            expect("verified", status="not-checked:no-status-list"), page=on_page()),
        # Finding 1: other sites on the same host, and copies.
        "copy-on-another-host": case(
            "a genuine page copied to another host", good, expect("copy", origin="warning:copy"),
            page=on_page(f"https://mirror.example.net/c/{ID}")),
        "copy-same-host-other-path": case(
            "a genuine page copied to /mirror/ on the same host (a sibling project site)", good,
            expect("copy", origin="warning:copy"),
            page=on_page(f"https://northbridge.github.io/mirror/c/{ID}")),
        "copy-over-http": case(
            "the same host and path over http: another scheme is another site", good,
            expect("copy", origin="warning:copy"),
            page=on_page(URL.replace("https:", "http:"))),
        "copy-other-id": case(
            "a genuine page served at another credential's URL", good,
            expect("copy", origin="warning:copy"), page=on_page(f"{BASE}/c/ZZZZZZZZZZZZZZZZ")),
        "copy-from-file": case("a page opened from a file (portable copy)", good,
                               expect("copy", origin="warning:file-copy"),
                               page=on_page(f"file:///media/usb/c/{ID}.html")),
        "wrong-issuer-same-host": case(
            "a credential of another credsite site on the same host, with the same issuer name, "
            "pasted into this site's /verify/", signed(EVIL, base=EVIL_BASE),
            expect("invalid", format="failed:wrong-issuer"),
            page=on_page(f"{BASE}/verify/", kind="verify")),
        # Finding 3: frames.
        "framed": case("the genuine page inside a frame of another page", good,
                       expect("framed", origin="failed:framed"), page=on_page(framed=True)),
        "framed-verify-page": case("the /verify/ page inside a frame", good,
                                   expect("framed", origin="failed:framed"),
                                   page=on_page(f"{BASE}/verify/", framed=True, kind="verify")),
        # Finding 5: names are a display rule, never a reason to call a signed credential invalid.
        "name-outside-the-policy": case(
            "a signed name that credsite would not issue today (line separator, bidi override, "
            "invisible filler, a sentence): shown quoted, still verified",
            signed(holder="Ada\u2028Example holds Master Machinist III\u202e\u3164"),
            page_ok, page=on_page()),
        # Dates, status, keys.
        "expired": case("validUntil has passed", signed(valid_until="2026-05-01T00:00:00Z"),
                        expect("expired", validity="failed:expired"), page=on_page()),
        "not-yet-valid": case("validFrom is in the future",
                              signed(valid_from="2026-07-01T00:00:00Z"),
                              expect("invalid", validity="failed:not-yet-valid"), page=on_page()),
        "revoked": case("its bit is set in the status list", signed(status_index=REVOKED),
                        expect("revoked", status="failed:revoked"), page=on_page()),
        "revoked-and-expired": case(
            "revoked wins over expired",
            signed(status_index=REVOKED, valid_until="2026-05-01T00:00:00Z"),
            expect("revoked", validity="failed:expired", status="failed:revoked"), page=on_page()),
        "status-list-missing": case("the status list is not published", good,
                                    expect("cannot-verify", status="not-checked:status-unavailable"),
                                    lists={}, page=on_page()),
        "status-list-tampered": case(
            "the status list's bits were changed after signing (a revocation undone)",
            signed(status_index=REVOKED),
            expect("cannot-verify", status="not-checked:status-unavailable"),
            lists={LIST_URL: dict(status_list(), credentialSubject=status_list(set())[
                "credentialSubject"])}, page=on_page()),
        "status-list-of-another-issuer": case(
            "a status list signed by another DID",
            good, expect("cannot-verify", status="not-checked:status-unavailable"),
            lists={LIST_URL: standard(kit.sign(kit.status_list_credential(LIST_URL, EVIL.did, set()),
                                               EVIL, "2026-05-01T00:00:00Z", as_array=False))},
            page=on_page()),
        # Issue 16: "as published" only for a site whose DID document names no freshness key;
        # one that names the relationship at all never falls back to it (statement missing).
        "freshness-key-listed-statement-missing": case(
            "the DID document lists a freshness key, and no freshness statement is published",
            good, expect("cannot-verify", status="warning:status-stale"),
            did=dict(did_document(), **{"credsite:freshnessMethod": [
                FRESH.method(validFrom="2026-01-01T00:00:00Z")]}),
            page=on_page(), python=False),
        "freshness-relationship-by-reference": case(
            "the DID document names credsite:freshnessMethod by reference only (no usable key): "
            "still not 'as published'",
            good, expect("cannot-verify", status="warning:status-stale"),
            did=dict(did_document(), **{"credsite:freshnessMethod": [FRESH.vm_id]}),
            page=on_page(), python=False),
        "key-compromised": case(
            "signed by a key marked compromised (signed after the theft)",
            signed(LOST, "2026-04-02T00:00:00Z", valid_from="2026-04-02T00:00:00Z"),
            expect("invalid", issuer_key="failed:key-compromised"), page=on_page()),
        "key-compromised-backdated": case(
            "signed by a compromised key with dates before the theft (a thief can back-date)",
            signed(LOST, "2026-03-01T00:00:00Z", valid_from="2026-03-01T00:00:00Z"),
            expect("invalid", issuer_key="failed:key-compromised"), page=on_page()),
        "key-not-yet-valid": case(
            "signed (and awarded) before the key's validity period began",
            signed(KEY, "2025-06-01T00:00:00Z", valid_from="2025-06-01T00:00:00Z",
                   valid_until="2030-06-01T00:00:00Z"),
            expect("invalid", issuer_key="failed:key-not-valid"), page=on_page()),
        "awarded-before-the-key-existed": case(
            "an award of 2019 signed in 2026 by a key valid since 2026 (a register of past "
            "awards): the key is judged when it signed, not on the award date",
            signed(KEY, "2026-03-14T10:00:00Z", valid_from="2019-05-01T00:00:00Z"),
            expect("verified"), page=on_page()),
        "key-used-after-valid-until": case(
            "signed after the key's validUntil (awarded while it was valid makes no difference)",
            signed(RETIRED, "2026-02-01T00:00:00Z", valid_from="2025-06-01T00:00:00Z"),
            expect("invalid", issuer_key="failed:key-not-valid"), page=on_page()),
        "key-retired-signed-in-its-period": case(
            "signed by a retired key while it was valid: still verified",
            signed(RETIRED, "2025-06-01T00:00:00Z", valid_from="2025-06-01T00:00:00Z"),
            expect("verified"), page=on_page()),
        "key-unknown": case(
            "signed by a key the DID document does not list",
            signed(kit.Key.from_seed(DID, "key-spare", 4)),
            expect("invalid", issuer_key="failed:key-unknown"), page=on_page()),
        "did-document-unreachable": case(
            "the issuer's DID document cannot be fetched", good,
            expect("cannot-verify", issuer_key="not-checked:did-unavailable"), did=None,
            page=on_page(), python=False),
        # Tampering.
        "tampered-holder": case("the holder's name changed after signing", tampered(
            _set("credentialSubject.identifier.0.identityHash", "Mallory Evil")),
            expect("invalid", signature="failed:bad-signature"), page=on_page()),
        "tampered-valid-until": case("validUntil pushed back after signing", tampered(
            _set("validUntil", "2041-03-14T00:00:00Z")),
            expect("invalid", signature="failed:bad-signature"), page=on_page()),
        "tampered-code": case("the credential code changed after signing", tampered(
            _set("credentialSubject.achievement.humanCode", "MACH3-MM")),
            expect("invalid", signature="failed:bad-signature"), page=on_page()),
        "tampered-issuer-name": case("the issuer's name changed after signing", tampered(
            _set("issuer.name", "Another Institute")),
            expect("invalid", signature="failed:bad-signature"), page=on_page()),
        "tampered-status-index": case(
            "a revoked credential pointed at another status bit", tampered(
                _set("credentialStatus.statusListIndex", str(LIVE)), status_index=REVOKED),
            expect("invalid", signature="failed:bad-signature"), page=on_page()),
        "tampered-proof-value": case("one character of the signature changed", tampered(
            lambda c: c["proof"][0].update(proofValue=c["proof"][0]["proofValue"][:-2] + "11")),
            expect("invalid", signature="failed:bad-signature"), page=on_page()),
        "no-proof": case("the proof removed", tampered(lambda c: c.pop("proof")),
                         expect("invalid", format="failed:malformed"), page=on_page()),
        "two-proofs": case("two proofs", tampered(lambda c: c.update(proof=c["proof"] * 2)),
                           expect("invalid", format="failed:malformed"), page=on_page()),
        "malformed-no-code": case(
            "no achievement humanCode", tampered(
                lambda c: c["credentialSubject"]["achievement"].pop("humanCode")),
            expect("invalid", format="failed:malformed"), page=on_page()),
        "malformed-id": case("id is not <base>/c/<ID>", tampered(
            _set("id", f"{BASE}/credential/{ID}")),
            expect("invalid", format="failed:malformed"), page=on_page()),
        # Finding 6: "__proto__" (JSON.parse makes it an own member; Object.assign would drop it).
        "proto-member-top-level": case(
            "an unsigned \"__proto__\" member added at the top level", good,
            expect("invalid", signature="failed:bad-signature"),
            text=json.dumps(good)[:-1] + ', "__proto__": {"name": "Forged"}}', page=on_page()),
        "proto-member-in-proof": case(
            "an unsigned \"__proto__\" member added to the proof", good,
            expect("invalid", signature="failed:bad-signature"),
            text=json.dumps(good).replace('"proofPurpose"', '"__proto__": {"x": 1}, "proofPurpose"'),
            page=on_page()),
        "repeated-member": case(
            "a member name repeated in one object (parsers disagree on which one counts)", good,
            expect("invalid", signature="failed:bad-signature"),
            text=json.dumps(good).replace('"validFrom"', '"validFrom": "2020-01-01T00:00:00Z", '
                                                           '"validFrom"', 1), page=on_page()),
    }
    for item in out.values():  # verifiers parse the text; the credential is for readers
        item["credential"] = json.loads(item["text"])
    return out


def write(folder: Path = FOLDER) -> None:
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.json"):
        old.unlink()
    for name, item in cases().items():
        (folder / f"{name}.json").write_text(
            json.dumps(item, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write()

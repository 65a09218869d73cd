"""CredsiteVerifier.verifyCredential in Chromium against a local issuer site.

The site (DID document, status list) is signed by tests/browser/vc_testkit.py, an independent
PyNaCl + rfc8785 signer; see docs/design.md for the checklist and verdicts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import vc_testkit as kit
from nacl.signing import SigningKey
from vectors import w3c

NOW = "2026-06-01T12:00:00Z"
CHECK_ORDER = ["format", "issuer-key", "signature", "catalog", "validity", "status", "origin"]
REVOKED_INDEX = 7
LIVE_INDEX = 48213


class Site:
    def __init__(self, harness: Any) -> None:
        self.harness = harness
        self.base = harness.base_url
        self.host = self.base.split("://", 1)[1]
        self.did = kit.did_for(self.base)
        self.key = kit.Key.from_seed(self.did, "key-2026", 1)
        self.old_key = kit.Key.from_seed(self.did, "key-2024", 2)
        self.lost_key = kit.Key.from_seed(self.did, "key-2025", 3)
        self.unlisted_key = kit.Key.from_seed(self.did, "key-spare", 4)
        self.stranger = kit.Key.from_seed(self.did, "key-2026", 5)  # same id, wrong key
        self.did_doc = kit.did_document(
            self.did,
            [
                self.key.method(validFrom="2026-01-01T00:00:00Z"),
                self.old_key.method(validFrom="2024-01-01", validUntil="2026-01-01"),
                self.lost_key.method(compromisedFrom="2026-04-01T00:00:00Z"),
                self.unlisted_key.method(),
            ],
            [self.key.vm_id, self.old_key.vm_id, self.lost_key.vm_id],
        )
        self.list_url = f"{self.base}/status/1"
        site = harness.site_dir
        kit.write_json(site / ".well-known" / "did.json", self.did_doc)
        kit.write_json(site / "status" / "1", self.status_list())

    def status_list(self, key: kit.Key | None = None, revoked: set[int] | None = None) -> Any:
        body = kit.status_list_credential(
            self.list_url, self.did, {REVOKED_INDEX} if revoked is None else revoked
        )
        return kit.sign(body, key or self.key, "2026-05-01T00:00:00Z", as_array=False)

    def credential(
        self, key: kit.Key | None = None, *, created: str = "2026-03-14T10:00:00Z", **fields: Any
    ) -> dict[str, Any]:
        fields.setdefault("status_index", LIVE_INDEX)
        body = kit.credential(self.base, self.did, "7QK2M9XRD4T8VNPA", **fields)
        return kit.sign(body, key or self.key, created)

    def verify(
        self,
        credential: Any,
        *,
        now: str = NOW,
        page_host: str | None = None,
        fail: list[str] | None = None,
        override: dict[str, Any] | None = None,
    ) -> Any:
        """Run verifyCredential; `fail` URLs reject, `override` URLs answer the given JSON."""
        return self.harness.page.evaluate(
            """async ([cred, o]) => {
                 const fetchJson = async url => {
                   if (o.fail.includes(url)) throw new Error('network down');
                   if (Object.prototype.hasOwnProperty.call(o.override, url)) {
                     return JSON.parse(JSON.stringify(o.override[url]));
                   }
                   return CredsiteVerifier.defaultFetchJson(url);
                 };
                 return CredsiteVerifier.verifyCredential(cred, {
                   now: new Date(o.now), pageUrl: o.pageUrl, fetchJson });
               }""",
            [
                credential,
                {
                    "now": now,
                    "pageUrl": f"http://{page_host or self.host}/c/7QK2M9XRD4T8VNPA",
                    "fail": fail or [],
                    "override": override or {},
                },
            ],
        )


@pytest.fixture(scope="module")
def site(core_harness: Any) -> Site:
    return Site(core_harness)


def statuses(result: Any) -> dict[str, str]:
    return {c["name"]: c["status"] for c in result["checks"]}


def check(result: Any, name: str) -> dict[str, str]:
    return next(c for c in result["checks"] if c["name"] == name)


def test_testkit_reproduces_w3c_signature(w3c_vector_dir: Path) -> None:
    seed = kit.b58decode(w3c.private_multibase()[1:])[2:]
    key = kit.Key(did="did:key:x", fragment="x", signing_key=SigningKey(seed))
    unsigned = json.loads((w3c_vector_dir / "unsigned.json").read_text())
    vm = json.loads((w3c_vector_dir / "proofConfigJCS.json").read_text())["verificationMethod"]
    signed = kit.sign(unsigned, key, "2023-02-24T23:36:38Z", as_array=False, vm_id=vm)
    expected = (w3c_vector_dir / "sigBTC58JCS.txt").read_text().strip()
    assert signed["proof"]["proofValue"] == expected


def test_verified(site: Site) -> None:
    result = site.verify(site.credential())
    assert [c["name"] for c in result["checks"]] == CHECK_ORDER
    assert statuses(result) == {
        "format": "passed",
        "issuer-key": "passed",
        "signature": "passed",
        "catalog": "not-checked",
        "validity": "passed",
        "status": "passed",
        "origin": "passed",
    }, result
    assert check(result, "catalog")["reason"] == "checked by the issuer's build"
    assert result["verdict"] == "verified"
    assert all(c["reason"] for c in result["checks"])


def test_verified_without_status_list_and_expiry(site: Site) -> None:
    result = site.verify(site.credential(status_index=None, valid_until=None))
    assert check(result, "status") == {
        "name": "status", "status": "not-checked", "code": "no-status-list", "reason": "no status list"}
    assert result["verdict"] == "verified", result


def test_proof_as_single_object_is_accepted(site: Site) -> None:
    body = kit.credential(site.base, site.did, "7QK2M9XRD4T8VNPA")
    result = site.verify(kit.sign(body, site.key, as_array=False))
    assert result["verdict"] == "verified", result


def test_tampered_credential_is_invalid(site: Site) -> None:
    cred = site.credential()
    cred["credentialSubject"]["identifier"][0]["identityHash"] = "John Q. Doe"
    result = site.verify(cred)
    assert check(result, "signature")["status"] == "failed"
    assert result["verdict"] == "invalid"


def test_wrong_key_bytes_is_invalid(site: Site) -> None:
    result = site.verify(site.credential(site.stranger))
    assert check(result, "signature")["status"] == "failed"
    assert result["verdict"] == "invalid"


def test_revoked(site: Site) -> None:
    result = site.verify(site.credential(status_index=REVOKED_INDEX))
    assert check(result, "status") == {
        "name": "status", "status": "failed", "code": "revoked", "reason": "revoked"}
    assert result["verdict"] == "revoked"


def test_neighbours_of_revoked_index_are_live(site: Site) -> None:
    for index in (REVOKED_INDEX - 1, REVOKED_INDEX + 1, 0, 131071):
        result = site.verify(site.credential(status_index=index))
        assert result["verdict"] == "verified", (index, result)


def test_expired(site: Site) -> None:
    result = site.verify(site.credential(valid_until="2026-05-01T00:00:00Z"))
    assert check(result, "validity") == {
        "name": "validity",
        "status": "failed",
        "code": "expired",
        "reason": "expired on May 1, 2026",
    }
    assert result["verdict"] == "expired"


def test_expires_exactly_now(site: Site) -> None:
    result = site.verify(site.credential(valid_until=NOW))
    assert result["verdict"] == "expired"


def test_not_yet_valid(site: Site) -> None:
    result = site.verify(site.credential(valid_from="2026-07-01T00:00:00Z"))
    assert check(result, "validity")["status"] == "failed"
    assert check(result, "validity")["code"] == "not-yet-valid"
    assert check(result, "validity")["reason"].startswith("not yet valid")
    assert result["verdict"] == "invalid"


def test_revoked_and_expired_reads_revoked(site: Site) -> None:
    cred = site.credential(status_index=REVOKED_INDEX, valid_until="2026-05-01T00:00:00Z")
    assert site.verify(cred)["verdict"] == "revoked"


def test_did_document_unreachable(site: Site) -> None:
    did_url = f"{site.base}/.well-known/did.json"
    result = site.verify(site.credential(), fail=[did_url])
    assert check(result, "issuer-key")["status"] == "not-checked"
    assert "DID document" in check(result, "issuer-key")["reason"]
    assert check(result, "signature")["status"] == "not-checked"
    assert result["verdict"] == "cannot-verify"
    # Even an expired credential cannot be called "Expired" without its signature.
    expired = site.credential(valid_until="2026-05-01T00:00:00Z")
    assert site.verify(expired, fail=[did_url])["verdict"] == "cannot-verify"


def test_did_host_refuses_connection(site: Site) -> None:
    other = kit.did_for("http://127.0.0.1:9")  # nothing listens on the discard port
    body = kit.credential(site.base, other, "7QK2M9XRD4T8VNPA")
    cred = kit.sign(body, kit.Key.from_seed(other, "key-2026", 1))
    result = site.verify(cred, page_host="127.0.0.1:9")
    assert result["verdict"] == "cannot-verify", result


def test_status_list_unreachable(site: Site) -> None:
    result = site.verify(site.credential(), fail=[site.list_url])
    assert check(result, "status")["status"] == "not-checked"
    assert result["verdict"] == "cannot-verify"


@pytest.mark.parametrize(
    "case",
    [
        "unlisted key",
        "stranger key",
        "tampered bits",
        "other issuer",
        "wrong id",
        "compromised key",
        "expired list",
    ],
)
def test_badly_signed_status_list(site: Site, case: str) -> None:
    if case == "unlisted key":
        status_list = site.status_list(site.unlisted_key)
    elif case == "stranger key":
        status_list = site.status_list(site.stranger)
    elif case == "tampered bits":
        status_list = site.status_list()
        status_list["credentialSubject"]["encodedList"] = kit.encoded_list(set())
    elif case == "other issuer":
        other = kit.did_for("http://127.0.0.1:9")
        body = kit.status_list_credential(site.list_url, other, set())
        status_list = kit.sign(body, kit.Key.from_seed(other, "key-2026", 1), as_array=False)
    elif case == "wrong id":
        body = kit.status_list_credential(site.list_url + "0", site.did, set())
        status_list = kit.sign(body, site.key, as_array=False)
    elif case == "compromised key":
        status_list = site.status_list(site.lost_key)  # signed after compromisedFrom
    else:
        body = kit.status_list_credential(site.list_url, site.did, set())
        body["validUntil"] = "2026-05-15T00:00:00Z"
        status_list = kit.sign(body, site.key, as_array=False)
    result = site.verify(site.credential(status_index=REVOKED_INDEX), override={site.list_url: status_list})
    assert check(result, "status")["status"] == "not-checked", result
    assert result["verdict"] == "cannot-verify", result


def test_status_list_signed_by_older_valid_key(site: Site) -> None:
    body = kit.status_list_credential(site.list_url, site.did, set(), valid_from="2025-06-01T00:00:00Z")
    status_list = kit.sign(body, site.old_key, "2025-06-01T00:00:00Z", as_array=False)
    result = site.verify(site.credential(), override={site.list_url: status_list})
    assert result["verdict"] == "verified", result


def test_compromised_key(site: Site) -> None:
    after = site.credential(site.lost_key, valid_from="2026-04-02T00:00:00Z", created="2026-04-02T00:00:00Z")
    result = site.verify(after)
    assert check(result, "issuer-key") == {
        "name": "issuer-key",
        "status": "failed",
        "code": "key-compromised",
        "reason": "signing key compromised",
    }
    assert result["verdict"] == "invalid"
    # Backdated validFrom, but the proof was created after the compromise.
    backdated = site.credential(
        site.lost_key, valid_from="2026-03-01T00:00:00Z", created="2026-04-05T00:00:00Z"
    )
    assert check(site.verify(backdated), "issuer-key")["code"] == "key-compromised"
    # Signed before the compromise, by its own dates: still Invalid, as a thief can back-date
    # `created` too (docs/design.md: a compromised key taints everything it signed).
    before = site.credential(site.lost_key, valid_from="2026-03-01T00:00:00Z", created="2026-03-01T10:00:00Z")
    assert check(site.verify(before), "issuer-key")["reason"] == "signing key compromised"
    assert site.verify(before)["verdict"] == "invalid"


def test_key_judged_when_it_signed_not_on_the_award_date(site: Site) -> None:
    # key-2026 is valid from 2026-01-01: an award of 2019 signed in March 2026 verifies.
    old_award = site.credential(valid_from="2019-05-02T00:00:00Z", created="2026-03-14T10:00:00Z")
    assert site.verify(old_award)["verdict"] == "verified"
    # Signed before the key's validFrom: refused, whatever the award date.
    early = site.credential(valid_from="2026-03-01T00:00:00Z", created="2025-12-31T10:00:00Z")
    assert check(site.verify(early), "issuer-key") == {
        "name": "issuer-key", "status": "failed", "code": "key-not-valid",
        "reason": "key key-2026 was not yet valid when it signed on December 31, 2025 "
                  "(valid from January 1, 2026)"}
    # key-2024 is valid until 2026-01-01: what it signed after that is refused, even with an
    # award date inside its period.
    late = site.credential(site.old_key, valid_from="2025-06-01T00:00:00Z",
                           created="2026-02-01T10:00:00Z")
    assert check(site.verify(late), "issuer-key") == {
        "name": "issuer-key", "status": "failed", "code": "key-not-valid",
        "reason": "key key-2024 was no longer valid when it signed on February 1, 2026 "
                  "(valid until January 1, 2026)"}
    assert site.verify(late)["verdict"] == "invalid"
    # ... and what it signed inside its period stays valid after it.
    signed_in_time = site.credential(site.old_key, valid_from="2026-03-01T00:00:00Z",
                                     created="2025-11-01T10:00:00Z")
    assert site.verify(signed_in_time)["verdict"] == "verified"


def test_a_proof_without_created_cannot_pass_the_key_check(site: Site) -> None:
    credential = site.credential()
    del credential["proof"][0]["created"]
    result = site.verify(credential)
    assert check(result, "issuer-key")["status"] == "failed"
    assert "no 'created' time" in check(result, "issuer-key")["reason"]


def test_compromised_key_withdrawn_from_assertion_method(site: Site) -> None:
    # credsite's generator drops compromised keys from assertionMethod: then every credential of
    # that key fails, and the reason still says why.
    doc = json.loads(json.dumps(site.did_doc))
    doc["assertionMethod"] = [m for m in doc["assertionMethod"] if m != site.lost_key.vm_id]
    before = site.credential(site.lost_key, valid_from="2026-03-01T00:00:00Z", created="2026-03-01T10:00:00Z")
    result = site.verify(before, override={f"{site.base}/.well-known/did.json": doc})
    issuer_key = check(result, "issuer-key")
    assert issuer_key["status"] == "failed"
    assert issuer_key["code"] == "key-compromised", issuer_key
    assert issuer_key["reason"].startswith("signing key compromised"), issuer_key
    # Fails closed: after a failed key check nothing else is checked.
    assert {(c["status"], c["code"]) for c in result["checks"][2:]} == {("not-checked", "skipped")}
    assert result["verdict"] == "invalid"


def test_key_validity_window(site: Site) -> None:
    inside = site.credential(
        site.old_key,
        valid_from="2025-05-01T00:00:00Z",
        valid_until="2030-05-01T00:00:00Z",
        created="2025-05-01T00:00:00Z",
    )
    assert site.verify(inside)["verdict"] == "verified"
    after = site.credential(site.old_key, valid_from="2026-02-01T00:00:00Z")
    result = site.verify(after)
    assert check(result, "issuer-key")["status"] == "failed"
    assert result["verdict"] == "invalid"
    # An award dated before key-2026 existed, signed by it in its period: verified (the key is
    # judged by when it signed); signed before its period: invalid.
    awarded_before = site.credential(site.key, valid_from="2025-12-01T00:00:00Z")
    assert site.verify(awarded_before)["verdict"] == "verified"
    signed_before = site.credential(site.key, valid_from="2025-12-01T00:00:00Z",
                                    created="2025-12-01T00:00:00Z")
    assert site.verify(signed_before)["verdict"] == "invalid"


def test_key_not_listed_for_assertion(site: Site) -> None:
    result = site.verify(site.credential(site.unlisted_key))
    assert check(result, "issuer-key")["status"] == "failed"
    assert "assertionMethod" in check(result, "issuer-key")["reason"]
    assert result["verdict"] == "invalid"


@pytest.mark.parametrize("change", ["id", "type", "controller", "missing", "bad key"])
def test_did_document_problems(site: Site, change: str) -> None:
    doc = json.loads(json.dumps(site.did_doc))
    vm = doc["verificationMethod"][0]
    if change == "id":
        doc["id"] = "did:web:example.com"
    elif change == "type":
        vm["type"] = "Ed25519VerificationKey2020"
    elif change == "controller":
        vm["controller"] = "did:web:example.com"
    elif change == "missing":
        del doc["verificationMethod"][0]
    else:
        vm["publicKeyMultibase"] = "z" + kit.b58encode(b"\xec\x01" + b"\x01" * 32)
    result = site.verify(site.credential(), override={f"{site.base}/.well-known/did.json": doc})
    assert check(result, "issuer-key")["status"] == "failed", result
    assert result["verdict"] == "invalid"


def test_verification_method_of_another_did(site: Site) -> None:
    foreign = kit.Key.from_seed("did:web:example.com", "key-2026", 1)
    result = site.verify(site.credential(foreign))
    assert check(result, "issuer-key")["status"] == "failed"
    assert result["verdict"] == "invalid"


def test_copy_on_another_host(site: Site) -> None:
    result = site.verify(site.credential(), page_host="mirror.example.net")
    origin = check(result, "origin")
    assert origin["status"] == "warning"
    assert "mirror.example.net" in origin["reason"] and site.host in origin["reason"]
    assert result["verdict"] == "copy"


def test_copy_does_not_hide_problems(site: Site) -> None:
    cred = site.credential(status_index=REVOKED_INDEX)
    assert site.verify(cred, page_host="mirror.example.net")["verdict"] == "revoked"


def test_origin_host_normalisation(site: Site) -> None:
    result = site.verify(site.credential(), page_host=site.host.upper())
    assert check(result, "origin")["status"] == "passed"


@pytest.mark.parametrize(
    "breakage",
    ["id", "context", "type", "validFrom", "holder", "code", "issuer", "two proofs"],
)
def test_format_failures_are_invalid(site: Site, breakage: str) -> None:
    body = kit.credential(site.base, site.did, "7QK2M9XRD4T8VNPA", status_index=LIVE_INDEX)
    if breakage == "id":
        body["id"] = f"{site.base}/credential/7QK2M9XRD4T8VNPA"
    elif breakage == "context":
        body["@context"] = body["@context"][:1]
    elif breakage == "type":
        body["type"] = ["VerifiableCredential"]
    elif breakage == "validFrom":
        body["validFrom"] = "2026-03-14T00:00:00"
    elif breakage == "holder":
        body["credentialSubject"]["identifier"] = body["credentialSubject"]["identifier"][1:]
    elif breakage == "code":
        del body["credentialSubject"]["achievement"]["humanCode"]
    elif breakage == "issuer":
        body["issuer"] = site.did
    signed = kit.sign(body, site.key)
    if breakage == "two proofs":
        signed["proof"] = signed["proof"] * 2
    result = site.verify(signed)
    assert check(result, "format")["status"] == "failed", result
    assert result["verdict"] == "invalid"


def test_garbage_input(site: Site) -> None:
    value: Any
    for value in (None, 42, "text", [], {}):
        result = site.verify(value)
        assert result["verdict"] == "invalid", (value, result)
        assert result["checks"][0]["name"] == "format"


def test_without_ed25519_cannot_verify(site: Site, new_page: Any) -> None:
    page = new_page()
    page.add_init_script(
        """(() => {
             const real = crypto.subtle.importKey.bind(crypto.subtle);
             crypto.subtle.importKey = (fmt, data, alg, ...rest) =>
               (alg && (alg === 'Ed25519' || alg.name === 'Ed25519'))
                 ? Promise.reject(new DOMException('Algorithm: Unrecognized name',
                                                   'NotSupportedError'))
                 : real(fmt, data, alg, ...rest);
           })();"""
    )
    page.goto(site.base + "/index.html")
    page.wait_for_function("typeof window.CredsiteVerifier === 'object'")
    result = page.evaluate(
        "([c, now, url]) => CredsiteVerifier.verifyCredential(c, {now: new Date(now), pageUrl: url})",
        [site.credential(), NOW, site.credential()["id"]],
    )
    assert result["verdict"] == "cannot-verify"
    assert check(result, "signature")["status"] == "not-checked"
    assert "Ed25519" in check(result, "signature")["reason"]

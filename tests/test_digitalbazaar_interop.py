"""What credsite publishes verifies in Digital Bazaar's reference implementation, offline.

``tests/interop/verify_with_digitalbazaar.mjs`` runs ``@digitalbazaar/vc`` with the
``eddsa-jcs-2022`` and ``eddsa-rdfc-2022`` cryptosuites and ``@digitalbazaar/vc-bitstring-status-list``
(test-only npm packages, ``npm ci``) over a built site: every credential file, every credential
embedded in a page and every status list, each proof of a proof set on its own and the whole set
with a verifier that knows one suite only. Its document loader serves the built ``did.json``, the
status lists and pinned contexts; nothing is fetched. Without Node or the packages the tests skip,
except with ``CI`` set: then they fail.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sitekit import BASE_URL, MiniSite, award_row

from credsite.build.pipeline import build_site
from credsite.trust.vocabulary import OB_CONTEXT

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "interop" / "verify_with_digitalbazaar.mjs"
PACKAGES = ("@digitalbazaar/vc", "@digitalbazaar/eddsa-jcs-2022-cryptosuite",
            "@digitalbazaar/eddsa-rdfc-2022-cryptosuite", "@digitalbazaar/vc-bitstring-status-list")
OB_CONTEXT_FILE = ROOT / "generator" / "trust" / "contexts" / "ob-v3p0-context-3.0.3.json"
SUITES = {"eddsa-jcs-2022", "eddsa-rdfc-2022"}
DEMO_BASE_URL = "http://localhost:8000"


def _node() -> str:
    node = shutil.which("node")
    missing = [p for p in PACKAGES if not (ROOT / "node_modules" / p / "package.json").is_file()]
    if node is None or missing:
        message = ("Node.js is not installed" if node is None
                   else f"npm packages missing ({', '.join(missing)}): run `npm ci`")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return node


def digitalbazaar_verify(site: Path, base_url: str) -> list[dict[str, Any]]:
    """One record per check: {item, kind, check, suite, verified, revoked, error}."""
    result = subprocess.run(
        [_node(), str(SCRIPT), "--site", str(site), "--base-url", base_url,
         "--context", f"{OB_CONTEXT}={OB_CONTEXT_FILE}"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def _failed(records: list[dict[str, Any]]) -> list[str]:
    return [f"{r['item']} {r['check']} {r['suite']}: {r['error']}" for r in records if not r["verified"]]


def _suites(records: list[dict[str, Any]], item: str, check: str = "proof-alone") -> set[str]:
    return {r["suite"] for r in records if r["item"] == item and r["check"] == check}


def test_every_demo_credential_and_status_list_verifies(demo_output: Path) -> None:
    records = digitalbazaar_verify(demo_output, DEMO_BASE_URL)
    assert _failed(records) == []
    files = sorted(p.name for p in (demo_output / "c").glob("*.json"))
    pages = sorted(p.name for p in (demo_output / "c").glob("*.html"))
    lists = sorted(p.name for p in (demo_output / "status").iterdir())
    assert len(files) == len(pages) == 50 and lists
    kinds = {(r["kind"], r["item"]) for r in records}
    # the web build's pages fetch their record (c/<ID>.json): none is embedded
    assert kinds == ({("credential-file", f"c/{n}") for n in files}
                     | {("status-list", f"status/{n}") for n in lists})
    for item in {item for _, item in kinds}:  # each proof alone, and each one-suite verifier
        assert _suites(records, item) == SUITES, item
        assert _suites(records, item, "one-suite-verifier") == SUITES, item


def test_every_credential_embedded_in_a_portable_page_verifies(tmp_path: Path) -> None:
    """A portable copy (USB stick) embeds each record in its page: each verifies there too."""
    usb = tmp_path / "usb"
    build_site(ROOT / "content", usb, quiet=True, portable=True)
    records = digitalbazaar_verify(usb, DEMO_BASE_URL)
    assert _failed(records) == []
    pages = sorted(p.name for p in (usb / "c").glob("*.html"))
    in_page = {r["item"] for r in records if r["kind"] == "credential-in-page"}
    assert in_page == {f"c/{n}" for n in pages} and len(pages) == 50
    for item in in_page:
        assert _suites(records, item) == SUITES, item


def test_a_changed_credential_fails_in_every_suite(demo_output: Path, tmp_path: Path) -> None:
    """The verifier is not vacuous: one changed name fails every proof, alone or in the set."""
    site = tmp_path / "site"
    shutil.copytree(demo_output, site)
    target = sorted((site / "c").glob("*.json"))[0]
    credential = json.loads(target.read_bytes())
    changed = copy.deepcopy(credential)
    changed["credentialSubject"]["identifier"][0]["identityHash"] = "Mallory Forger"
    target.write_text(json.dumps(changed), encoding="utf-8")
    records = [r for r in digitalbazaar_verify(site, DEMO_BASE_URL) if r["item"] == f"c/{target.name}"]
    assert records and not any(r["verified"] for r in records), records


def test_fresh_credentials_and_a_revocation(mini_site: MiniSite, run_cli: Any) -> None:
    """Credentials straight from ``credsite issue`` verify; after ``credsite revoke`` Digital
    Bazaar's status list library reads the revoked one's bit as set and the other's as clear,
    from the re-signed status list, which verifies."""
    ids = mini_site.issue([award_row(), award_row(name="Zoë D’Arcy", code="TEST-CNC")], via="cli")
    code, _, err = run_cli("revoke", ids[1], "--reason", "Exam irregularity",
                           "--content", mini_site.content, "--key", mini_site.key_path)
    assert code == 0, err
    site = mini_site.build()
    records = digitalbazaar_verify(site, BASE_URL)
    assert _failed(records) == []
    for cred_id, revoked in ((ids[0], False), (ids[1], True)):
        mine = [r for r in records if cred_id in r["item"]]
        assert len(mine) >= 2 and all(r["revoked"] is revoked for r in mine), mine
    assert any(r["kind"] == "status-list" for r in records)


def test_a_site_with_a_freshness_key_still_verifies_and_its_online_key_cannot_mint(
    mini_site: MiniSite, run_cli: Any,
) -> None:
    """Issue 16's status freshness leaves other verifiers' view unchanged: with the online key in
    the DID document (credsite:freshnessMethod) and /status/freshness published, every credential
    and the status list verify, the revocation bit is read after a revocation and a new statement;
    a credential signed by the online key is refused (the key is not an assertionMethod)."""
    ids = mini_site.issue([award_row(), award_row(name="Grace Hopper")])
    mini_site.add_freshness_key()
    code, _, err = run_cli("revoke", ids[1], "--reason", "in error", "--content",
                           mini_site.content, "--key", mini_site.key_path)
    assert code == 0, err
    mini_site.sign_freshness()
    site = mini_site.build()
    assert (site / "status" / "freshness").is_file()
    records = digitalbazaar_verify(site, BASE_URL)
    assert _failed(records) == []
    for cred_id, revoked in ((ids[0], False), (ids[1], True)):
        mine = [r for r in records if cred_id in r["item"]]
        assert len(mine) >= 2 and all(r["revoked"] is revoked for r in mine), mine
    online = mini_site.freshness_signer
    assert online is not None
    target = site / "c" / f"{ids[0]}.json"
    credential = json.loads(target.read_bytes())
    forged = mini_site.sign({k: v for k, v in credential.items() if k != "proof"}, online)
    target.write_text(json.dumps(forged), encoding="utf-8")
    mine = [r for r in digitalbazaar_verify(site, BASE_URL) if r["item"] == f"c/{target.name}"]
    assert mine and not any(r["verified"] for r in mine), mine

"""``credsite migrate``: a site made before credsite 0.2 moves to the current form.

The "old" site is made the way credsite 0.1 signed: one eddsa-jcs-2022 proof whose configuration
hashed the document's @context without storing it, no eddsa-rdfc-2022 proof, no batch seals, a
status list signed the same way. Until migrated it verifies with a warning naming the command (the
site's own DID only); after ``migrate`` every award keeps its ID, URL, dates, status entry and
revocation bit, carries both proofs, and verifies in credsite and in Digital Bazaar's verifier.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sitekit import MiniSite, award_row, tree_snapshot
from test_digitalbazaar_interop import digitalbazaar_verify

from credsite.build.pipeline import build_site
from credsite.content.awards import batch_files, iter_award_lines, parse_award, seal_path, serialize
from credsite.content.status import load_status_lists
from credsite.trust import dataintegrity
from credsite.trust.multibase import multibase_b58


def _legacy_sign(document: dict[str, Any], site: MiniSite, created: str) -> dict[str, Any]:
    """credsite 0.1's proof: the configuration hashed with the document's @context, stored without."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    options = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022", "created": created,
               "verificationMethod": f"{site.site.did}#{site.signer.key_id}",
               "proofPurpose": "assertionMethod"}
    config = dataintegrity.proof_configuration(unsecured, options)  # with @context
    value = multibase_b58(site.signer.sign(dataintegrity.hash_data(unsecured, config)))
    return dict(unsecured, proof=[dict(options, proofValue=value)])


def make_legacy(site: MiniSite) -> None:
    for path in batch_files(site.content):
        lines = [serialize(_legacy_sign(parse_award(line), site, "2026-03-14T15:00:00Z"))
                 for line in iter_award_lines([path])]
        path.write_bytes(b"".join(line + b"\n" for line in lines))
        seal_path(path).unlink()
    for path in (site.content / "status").glob("revocation-*.json"):
        document = json.loads(path.read_bytes())
        path.write_text(json.dumps(_legacy_sign(document, site, document["validFrom"])),
                        encoding="utf-8")


def _documents(site: MiniSite) -> dict[str, dict[str, Any]]:
    return {cid: {k: v for k, v in c.items() if k != "proof"} for cid, c in site.credentials().items()}


def test_an_old_site_verifies_with_a_warning_then_migrates(mini_site: MiniSite, run_cli: Any,
                                                           tmp_path: Path) -> None:
    ids = mini_site.issue([award_row(), award_row(name="Alan Turing", code="TEST-CNC"),
                           award_row(name="Grace Hopper")])
    code, _, err = run_cli("revoke", ids[2], "--reason", "Exam irregularity",
                           "--content", mini_site.content, "--key", mini_site.key_path)
    assert code == 0, err
    make_legacy(mini_site)
    before = _documents(mini_site)
    assert all(len(c["proof"]) == 1 and "@context" not in c["proof"][0]
               for c in mini_site.credentials().values())

    # Until migrated: verify and build pass, each saying what to run.
    code, out, _ = run_cli("verify", "--content", mini_site.content)
    assert code == 1  # the revoked one
    assert out.count("WARN ") == 3 and "credsite migrate" in out, out
    built = build_site(mini_site.content, tmp_path / "old-out", quiet=True)
    assert "WARNING" in built and "credsite migrate" in built, built

    # A dry run writes nothing and says what would change.
    snapshot = tree_snapshot(mini_site.content)
    code, out, err = run_cli("migrate", "--dry-run", "--content", mini_site.content,
                             "--key", mini_site.key_path)
    assert code == 0, err
    assert "would re-sign 3 of 3 award(s) in 1 batch file(s) and 1 status list(s)" in out, out
    assert tree_snapshot(mini_site.content) == snapshot

    code, out, err = run_cli("migrate", "--content", mini_site.content, "--key", mini_site.key_path)
    assert code == 0, err
    assert "re-signed 3 of 3 award(s)" in out
    assert _documents(mini_site) == before  # IDs, URLs, dates, status entries: unchanged
    for credential in mini_site.credentials().values():
        assert [p["cryptosuite"] for p in credential["proof"]] == ["eddsa-jcs-2022", "eddsa-rdfc-2022"]
    assert all(seal_path(p).is_file() for p in batch_files(mini_site.content))
    lists = load_status_lists(mini_site.content, mini_site.site)
    assert not lists.legacy
    entry = mini_site.credential(ids[2])["credentialStatus"]
    assert lists.lists[1].get(int(entry["statusListIndex"]))  # the revocation is kept

    code, out, _ = run_cli("verify", "--content", mini_site.content)
    assert "WARN" not in out and out.count("OK ") == 2 and "REVOKED" in out, out
    out_dir = tmp_path / "new-out"
    built = build_site(mini_site.content, out_dir, quiet=True)
    assert "credsite migrate" not in built, built
    records = digitalbazaar_verify(out_dir, mini_site.base_url)
    assert records and all(r["verified"] for r in records), [r for r in records if not r["verified"]]
    assert {r["suite"] for r in records} == {"eddsa-jcs-2022", "eddsa-rdfc-2022"}


def test_migrate_refuses_an_award_that_does_not_verify(mini_site: MiniSite, run_cli: Any) -> None:
    [cred_id] = mini_site.issue([award_row()])
    make_legacy(mini_site)

    def rename(credential: dict[str, Any]) -> None:
        credential["credentialSubject"]["identifier"][0]["identityHash"] = "Mallory"

    mini_site.rewrite(cred_id, rename)
    snapshot = tree_snapshot(mini_site.content)
    code, _, err = run_cli("migrate", "--content", mini_site.content, "--key", mini_site.key_path)
    assert code != 0
    assert "[signature]" in err and "nothing was changed" in err and "Traceback" not in err, err
    assert tree_snapshot(mini_site.content) == snapshot

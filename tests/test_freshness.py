"""Status freshness statements (issue 16): the online key, signing, and what verify/check/build
make of a missing, stale, mismatched, expired or rolled-back statement.

The browser side of the same rules is tests/browser/test_freshness_browser.py.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sitekit import MiniSite, award_row

from credsite.content.audit import VerificationInputs
from credsite.content.site import load_site
from credsite.errors import BuildError, ContentError, KeyFileError
from credsite.issuer import freshness as online
from credsite.issuer import keys, rotation
from credsite.issuer.revocation import revoke
from credsite.trust import freshness
from credsite.trust.did import did_document, key_history
from credsite.trust.timestamps import parse_timestamp
from credsite.trust.verify import verify_credential

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


@pytest.fixture
def fresh_site(mini_site: MiniSite) -> MiniSite:
    """A site with two awards, a freshness key and a statement signed now."""
    mini_site.issue([{**_row(), "name": "Ada Lovelace"}, {**_row(), "name": "Grace Hopper"}])
    mini_site.add_freshness_key()
    mini_site.sign_freshness()
    return mini_site


def _row() -> dict[str, str]:
    from sitekit import award_row
    return award_row()


def _assess(site: MiniSite, now: dt.datetime = NOW, highest: int | None = None) -> freshness.Freshness:
    inputs = VerificationInputs.load(site.content)
    from credsite.content.freshness import load_statement, published_lists
    return freshness.assess_statement(load_statement(site.content), inputs.site,
                                      published_lists(inputs.site, inputs.status), now, highest)


def _verify_all(site: MiniSite) -> dict[str, tuple[str, str]]:
    """credential ID → (verdict, status reason), as `credsite verify` computes them."""
    inputs = VerificationInputs.load(site.content)
    out = {}
    for cred_id, credential in site.credentials().items():
        report = verify_credential(credential, inputs.site, inputs.catalog, NOW,
                                   inputs.status.check)
        out[cred_id] = (report.verdict, report.check("status").reason)
    return out


# --------------------------------------------------------------------------- the online key

def test_the_online_key_is_authorized_by_the_signing_key_and_listed_apart(fresh_site: MiniSite) -> None:
    site = fresh_site.site
    assert [k.id for k in site.freshness_keys] == ["freshness-1"]
    did = did_document(site)
    method = f"{site.did}#freshness-1"
    assert [m["id"] for m in did[freshness.RELATIONSHIP]] == [method]
    assert did[freshness.RELATIONSHIP][0]["type"] == "Multikey"
    # Never a key for assertions, not even findable among the verification methods.
    assert method not in did["assertionMethod"]
    assert method not in [m["id"] for m in did["verificationMethod"]]
    history = key_history(site)["freshnessKeys"][0]
    assert history["authorizedBy"] == f"{site.did}#key-1" and history["authorization"]


def _freshness_entry(site: MiniSite) -> str:
    text = site.site_yaml.read_text(encoding="utf-8")
    return text[text.index("freshness_keys:"):]


def test_a_forged_or_misused_authorization_is_refused(fresh_site: MiniSite) -> None:
    yaml_path = fresh_site.site_yaml
    original = yaml_path.read_text(encoding="utf-8")
    signer = fresh_site.freshness_signer
    assert signer is not None
    entry = {"id": "freshness-1", "public_key": signer.public_multikey,
             "valid_from": "2024-01-01T00:00:00Z"}
    # A key-rotation authorization (same key, same fields) must not authorize a freshness key…
    rotation_sig = rotation.authorize(fresh_site.signer, entry, fresh_site.site.did)
    sig = original.split("signature: ")[-1].split("}")[0]
    yaml_path.write_text(original.replace(sig, rotation_sig), encoding="utf-8")
    with pytest.raises(ContentError, match="freshness key freshness-1: the authorization "
                                           "signature by key-1 does not verify"):
        load_site(fresh_site.content)
    # …nor a freshness authorization a signing key: moved under keys:, it is refused.
    moved = original.replace("freshness_keys:\n", "").replace(
        "  - id: freshness-1", "  - id: freshness-1", 1)
    yaml_path.write_text(moved, encoding="utf-8")
    with pytest.raises(ContentError, match="key freshness-1: the authorization signature by "
                                           "key-1 does not verify"):
        load_site(fresh_site.content)
    yaml_path.write_text(original, encoding="utf-8")
    load_site(fresh_site.content)


def test_a_credential_signed_by_the_online_key_is_invalid(fresh_site: MiniSite) -> None:
    cred_id, credential = next(iter(fresh_site.credentials().items()))
    signer = fresh_site.freshness_signer
    assert signer is not None
    forged = fresh_site.sign({k: v for k, v in credential.items() if k != "proof"}, signer)
    inputs = VerificationInputs.load(fresh_site.content)
    report = verify_credential(forged, inputs.site, inputs.catalog, NOW, inputs.status.check)
    assert report.verdict == "invalid"
    assert report.check("issuer-key").status == "failed"


def test_the_signing_key_cannot_sign_a_statement_and_the_online_key_cannot_revoke(
    fresh_site: MiniSite,
) -> None:
    with pytest.raises(KeyFileError, match="not under freshness_keys"):
        online.sign(fresh_site.content, fresh_site.site, fresh_site.signer, NOW)
    signer = fresh_site.freshness_signer
    assert signer is not None
    from credsite.issuer.issuance import check_signer
    with pytest.raises(KeyFileError, match="is not in site.yaml"):
        check_signer(fresh_site.site, signer, NOW)


# --------------------------------------------------------------------------- the statement

def test_a_fresh_statement_confirms_every_list(fresh_site: MiniSite) -> None:
    result = _assess(fresh_site)
    assert result.code == freshness.FRESH, result.reason
    verdicts = _verify_all(fresh_site)
    assert {v for v, _ in verdicts.values()} == {"verified"}


def test_rollback_after_revoke_is_caught(fresh_site: MiniSite) -> None:
    """The attack of issue 16: the list from before the revocation is served again."""
    old_list = (fresh_site.content / "status" / "revocation-1.json").read_bytes()
    old_statement = (fresh_site.content / "status" / "freshness.json").read_bytes()
    revoked = sorted(fresh_site.credentials())[0]
    revoke(fresh_site.content, fresh_site.site, fresh_site.signer, [revoked], "in error")
    # Before the online key signs again: nothing is Verified, the revoked one is Revoked.
    verdicts = _verify_all(fresh_site)
    assert verdicts[revoked][0] == "revoked"
    other = next(i for i in verdicts if i != revoked)
    assert verdicts[other][0] == "cannot-verify"
    assert verdicts[other][1].startswith("revocation status last confirmed on ")
    assert _assess(fresh_site).code == freshness.MISMATCH
    fresh_site.sign_freshness()
    assert _verify_all(fresh_site)[other][0] == "verified"
    # The rollback: old list and its old (still unexpired) statement, as a stale host serves them.
    (fresh_site.content / "status" / "revocation-1.json").write_bytes(old_list)
    verdicts = _verify_all(fresh_site)
    assert verdicts[revoked][0] == "cannot-verify", verdicts[revoked]
    (fresh_site.content / "status" / "freshness.json").write_bytes(old_statement)
    assert _verify_all(fresh_site)[revoked][0] == "verified"  # alone, the old pair is consistent…
    newest = json.loads(old_statement)["sequence"] + 1
    result = _assess(fresh_site, highest=newest)  # …but a verifier that saw the newer one refuses
    assert result.code == freshness.ROLLED_BACK


def test_an_expired_statement_says_when_status_was_last_confirmed(fresh_site: MiniSite) -> None:
    statement = json.loads((fresh_site.content / "status" / "freshness.json").read_bytes())
    later = parse_timestamp(statement["validUntil"]) + dt.timedelta(seconds=1)
    result = _assess(fresh_site, now=later)
    assert result.code == freshness.EXPIRED
    assert result.confirmed == parse_timestamp(statement["validFrom"])
    reason = freshness.unconfirmed_reason(result, None)
    assert reason.startswith(f"revocation status last confirmed on "
                             f"{NOW.strftime('%B')} {NOW.day}, {NOW.year} (the freshness "
                             "statement expired on ")


def test_a_tampered_statement_or_one_by_an_unknown_key_is_invalid(fresh_site: MiniSite) -> None:
    path = fresh_site.content / "status" / "freshness.json"
    statement = json.loads(path.read_bytes())
    statement["validUntil"] = "2099-01-01T00:00:00Z"
    path.write_text(json.dumps(statement))
    assert _assess(fresh_site).code == freshness.INVALID
    with pytest.raises(BuildError, match="freshness.json: the freshness statement does not verify"):
        fresh_site.build()
    stranger = keys.generate("freshness-1")
    with pytest.raises(KeyFileError, match="not under freshness_keys"):
        fresh_site.sign_freshness(signer=stranger)


def test_sequences_only_grow_and_the_window_is_one_to_two_weeks(fresh_site: MiniSite) -> None:
    first = json.loads((fresh_site.content / "status" / "freshness.json").read_bytes())
    second = fresh_site.sign_freshness(NOW - dt.timedelta(hours=1))  # a CI clock that went back
    assert second["sequence"] == first["sequence"] + 1
    assert online.next_sequence(None, NOW) == int(NOW.timestamp())
    for days in (6, 15):
        with pytest.raises(ContentError, match="valid for 7 to 14 days"):
            fresh_site.sign_freshness(days=days)
    latest = fresh_site.sign_freshness(days=14)
    span = parse_timestamp(latest["validUntil"]) - parse_timestamp(latest["validFrom"])
    assert span == dt.timedelta(days=14)


def test_a_compromised_online_key_leaves_the_did_document_and_its_statements_fail(
    fresh_site: MiniSite,
) -> None:
    text = fresh_site.site_yaml.read_text(encoding="utf-8")
    fresh_site.site_yaml.write_text(text.replace(
        "  - id: freshness-1\n", "  - id: freshness-1\n    compromised_from: 2025-01-01T00:00:00Z\n"),
        encoding="utf-8")
    assert freshness.RELATIONSHIP not in did_document(fresh_site.site)
    assert _assess(fresh_site).code == freshness.INVALID


# --------------------------------------------------------------------------- commands

def test_freshness_sign_needs_only_the_online_key_from_the_environment(
    mini_site: MiniSite, run_cli: Callable[..., tuple[int, str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mini_site.issue()
    code, out, err = run_cli("freshness-key", "--content", mini_site.content, "--key",
                             mini_site.key_path, "--out", mini_site.root / "online.key")
    assert code == 0, err
    assert "add this entry under 'freshness_keys:'" in out and "CREDSITE_FRESHNESS_KEY" in out
    entry = out.split("content/site.yaml:\n", 1)[1].split("\nthen ", 1)[0]
    with mini_site.site_yaml.open("a", encoding="utf-8") as handle:
        handle.write("freshness_keys:\n" + entry + "\n")
    key_text = (mini_site.root / "online.key").read_text()
    assert os.stat(mini_site.root / "online.key").st_mode & 0o777 == 0o600
    (mini_site.root / "online.key").unlink()
    os.unlink(mini_site.key_path)  # CI has no signing key
    monkeypatch.setenv(online.KEY_ENV, key_text)
    code, out, err = run_cli("freshness-sign", "--content", mini_site.content)
    assert code == 0, err
    assert out.startswith("signed freshness statement #") and "over 1 status list(s)" in out
    code, out, _ = run_cli("check", "--content", mini_site.content)
    assert code == 0 and "WARN" not in out
    code, out, _ = run_cli("verify", "--content", mini_site.content)
    assert code == 0 and out.startswith("OK ")
    monkeypatch.delenv(online.KEY_ENV)
    code, _, err = run_cli("freshness-sign", "--content", mini_site.content)
    assert (code, err) == (1, "error: no key: pass --key PATH or set CREDSITE_FRESHNESS_KEY\n")


def test_check_warns_loudly_when_fewer_than_three_days_remain(
    fresh_site: MiniSite, run_cli: Callable[..., tuple[int, str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fresh_site.sign_freshness(NOW - dt.timedelta(days=5), days=7)  # two days left
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, _ = run_cli("check", "--content", fresh_site.content)
    assert code == 0
    assert "WARN  freshness statement expires on " in out and "days left" in out
    assert "::warning title=credsite freshness::freshness statement expires on" in out
    fresh_site.sign_freshness(NOW - dt.timedelta(days=8), days=7)  # expired yesterday
    code, out, _ = run_cli("check", "--content", fresh_site.content)
    assert "WARN  freshness statement: the freshness statement expired on" in out
    (fresh_site.content / "status" / "freshness.json").unlink()
    code, out, _ = run_cli("check", "--content", fresh_site.content)
    assert "WARN" not in out  # a maintainer's clone: CI signs the statement before the build


def test_check_recommends_a_freshness_key_to_a_site_without_one(
    mini_site: MiniSite, run_cli: Callable[..., tuple[int, str, str]],
) -> None:
    mini_site.issue()
    code, out, _ = run_cli("check", "--content", mini_site.content)
    assert code == 0 and "WARN  no freshness key" in out


# --------------------------------------------------------------------------- the build

def test_the_build_publishes_the_statement_and_a_revocation_re_renders_one_page(
    fresh_site: MiniSite, tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    summary = build_summary(fresh_site, out)
    assert "WARNING" not in summary
    published = json.loads((out / "status" / "freshness").read_bytes())
    assert published == json.loads((fresh_site.content / "status" / "freshness.json").read_bytes())
    fresh_site.issue([_row()] * 8)
    build_summary(fresh_site, out)
    revoked = sorted(fresh_site.credentials())[0]
    revoke(fresh_site.content, fresh_site.site, fresh_site.signer, [revoked], "in error")
    summary = build_summary(fresh_site, out)
    assert summary.startswith("built 1 credentials (1 revoked), skipped 9 unchanged"), summary
    assert "WARNING: freshness statement: the status list" in summary
    fresh_site.sign_freshness()
    summary = build_summary(fresh_site, out)
    assert summary.startswith("built 0 credentials"), summary
    assert "WARNING" not in summary
    statement = json.loads((out / "status" / "freshness").read_bytes())
    assert statement["statusLists"][0]["digest"] == freshness.list_digest(
        json.loads((out / "status" / "1").read_bytes()))
    (fresh_site.content / "status" / "freshness.json").unlink()
    summary = build_summary(fresh_site, out)
    assert not (out / "status" / "freshness").exists()
    assert "no freshness statement" in summary


def build_summary(site: MiniSite, out: Path, **options: Any) -> str:
    from credsite.build.pipeline import build_site
    return build_site(site.content, out, quiet=True, jobs=1, **options)


def test_published_statement_is_the_one_the_cli_wrote(fresh_site: MiniSite, tmp_path: Path) -> None:
    shutil.copy(fresh_site.content / "status" / "freshness.json", tmp_path / "copy.json")
    out = fresh_site.build()
    assert json.loads((out / "status" / "freshness").read_bytes()) == json.loads(
        (tmp_path / "copy.json").read_bytes())


# --------------------------------------------------------------------------- reinstating

def test_reinstating_reissues_with_a_new_status_entry(
    fresh_site: MiniSite, run_cli: Callable[..., tuple[int, str, str]],
) -> None:
    revoked = sorted(fresh_site.credentials())[0]
    before = fresh_site.credential(revoked)
    code, _, err = run_cli("reinstate", revoked, "--content", fresh_site.content, "--key",
                           fresh_site.key_path)
    assert (code, err) == (1, f"error: no revoked award has ID {revoked}; nothing was changed\n")
    revoke(fresh_site.content, fresh_site.site, fresh_site.signer, [revoked], "in error")
    code, out, err = run_cli("reinstate", revoked.lower(), "--content", fresh_site.content,
                             "--key", fresh_site.key_path)
    assert code == 0, err
    assert out == (f"{revoked} reinstated: same ID and URL, a new status entry (the old one "
                   "stays revoked)\n")
    after = fresh_site.credential(revoked)
    assert after["id"] == before["id"] and after["validFrom"] == before["validFrom"]
    assert after["credentialStatus"]["statusListIndex"] != before["credentialStatus"][
        "statusListIndex"]
    inputs = VerificationInputs.load(fresh_site.content)
    assert revoked not in inputs.status.notes
    old_index = int(before["credentialStatus"]["statusListIndex"])
    assert inputs.status.lists[1].get(old_index)  # the old entry stays revoked…
    from credsite.issuer.revocation import StatusAllocator
    assert old_index in StatusAllocator(fresh_site.content, inputs.site).used[1]  # …never reused
    fresh_site.sign_freshness()
    assert _verify_all(fresh_site)[revoked][0] == "verified"
    # The page no longer says revoked.
    out_dir = fresh_site.build()
    assert "Revoked on" not in (out_dir / "c" / f"{revoked}.html").read_text(encoding="utf-8")


def test_the_did_document_with_a_freshness_key_defines_every_term(fresh_site: MiniSite) -> None:
    """JSON-LD: the relationship and its embedded Multikey expand with nothing dropped."""
    from test_conformance import jsonld_problems

    did = json.loads(json.dumps(did_document(fresh_site.site)))
    assert freshness.RELATIONSHIP in did
    assert jsonld_problems(did) == []


@pytest.mark.parametrize(("valid_from", "days", "why"), [
    (NOW, 30, "claims more than 14 days"),  # a stolen online key freezing status for a month
    (NOW + dt.timedelta(hours=2), 10, "dated in the future"),
])
def test_a_statement_beyond_the_rules_is_invalid(
    fresh_site: MiniSite, valid_from: dt.datetime, days: int, why: str,
) -> None:
    """Signed by the real online key, but outside the window every verifier enforces."""
    from credsite.content.freshness import published_lists
    from credsite.trust.dataintegrity import add_proof
    from credsite.trust.timestamps import format_timestamp

    inputs = VerificationInputs.load(fresh_site.content)
    signer = fresh_site.freshness_signer
    assert signer is not None
    document = {
        "type": freshness.STATEMENT_TYPE, "issuer": inputs.site.did, "sequence": 2**40,
        "validFrom": format_timestamp(valid_from),
        "validUntil": format_timestamp(valid_from + dt.timedelta(days=days)),
        "statusLists": [{"id": url, "digest": freshness.list_digest(doc)}
                        for url, doc in published_lists(inputs.site, inputs.status).items()],
    }
    statement = add_proof(document, signer.sign, inputs.site.verification_method(signer.key_id),
                          format_timestamp(NOW), purpose=freshness.RELATIONSHIP)
    (fresh_site.content / "status" / "freshness.json").write_text(json.dumps(statement))
    result = _assess(fresh_site)
    assert result.code == freshness.INVALID and why in result.reason, result


def test_freshness_sign_warns_loudly_when_the_statement_it_replaces_was_nearly_expired(
    fresh_site: MiniSite, run_cli: Callable[..., tuple[int, str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The scheduled workflow's view: the statement of the last deploy had two days left, so
    daily runs were missed; the run that replaces it says so, also as a GitHub annotation."""
    fresh_site.sign_freshness(NOW - dt.timedelta(days=8), days=10)
    signer = fresh_site.freshness_signer
    assert signer is not None
    key_file = fresh_site.root / "online.key"
    keys.write_key_file(key_file, signer, None)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, err = run_cli("freshness-sign", "--content", fresh_site.content, "--key", key_file)
    assert code == 0, err
    assert "WARN  the statement being replaced: freshness statement expires on " in out
    assert "::warning title=credsite freshness::freshness statement expires on " in out
    assert "signed freshness statement #" in out.splitlines()[-1]
    code, out, _ = run_cli("freshness-sign", "--content", fresh_site.content, "--key", key_file)
    assert "WARN" not in out and "::warning" not in out  # the one it replaces now was fresh


def test_as_published_only_for_a_site_without_freshness_keys(make_site: Any) -> None:
    """Issue 16: a site that signs no freshness statement says Verified with the note "revocation
    status as published"; a site with a freshness key never falls back to it (stale instead)."""
    from credsite.content.freshness import attach
    from credsite.content.status import load_status_lists

    mini = make_site()
    [cred_id] = mini.issue([award_row()])
    entry = mini.credential(cred_id)["credentialStatus"]
    plain = load_status_lists(mini.content, mini.site)
    status, code, reason = plain.check(entry)
    assert (status, code) == ("passed", "as-published")
    assert reason.endswith("revocation status as published: this site does not sign status "
                           "freshness")
    mini.add_freshness_key()
    lists = load_status_lists(mini.content, mini.site)
    assert lists.check(entry) == ("passed", "ok", "not revoked")  # a clone: CI signs the statement
    mini.sign_freshness(dt.datetime(2026, 1, 1, tzinfo=dt.UTC))  # long expired by now
    attach(mini.content, mini.site, lists, dt.datetime.now(dt.UTC))
    assert lists.check(entry)[:2] == ("warning", "status-stale")

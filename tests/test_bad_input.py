"""Bad input: every problem a user can cause gives a one-line error naming the file, the line (where
there is one) and the problem, a non-zero exit status, and no traceback. ``credsite issue`` writes
nothing when it refuses.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sitekit import MiniSite, award_row

from credsite.issuer import keys
from credsite.trust.multibase import encode_multikey

RunCli = Callable[..., tuple[int, str, str]]
COUNT_LINE = re.compile(r"\d+ bad rows? found")


def assert_error(result: tuple[int, str, str], where: str | Path, *fragments: str) -> str:
    """A refused command: exit 1, and stderr is ``error: WHERE: PROBLEM`` on one line (a list of
    bad rows adds only its count line). Returns the error line."""
    code, out, err = result
    assert code == 1, (code, out, err)
    assert "Traceback" not in err + out
    lines = err.splitlines()
    assert lines, "no error message"
    assert all(COUNT_LINE.fullmatch(line) for line in lines[1:]), err
    line = lines[0]
    assert line.startswith(f"error: {where}"), line
    for fragment in fragments:
        assert fragment in line, (fragment, line)
    return line


def assert_fail_line(result: tuple[int, str, str], where: str, *fragments: str,
                     label: str = "FAIL") -> str:
    """``credsite verify`` found exactly one bad award: one FAIL line naming file:line and why."""
    code, out, err = result
    assert code == 1, (code, out, err)
    assert "Traceback" not in err + out
    bad = [line for line in out.splitlines() if not line.startswith("OK ")][:-1]
    assert len(bad) == 1, out
    assert bad[0].startswith(label), bad[0]
    assert f"  {where}  " in bad[0], (where, bad[0])
    for fragment in fragments:
        assert fragment in bad[0], (fragment, bad[0])
    assert out.splitlines()[-1] == "1 of the credentials did not verify"
    return bad[0]


def issue_cli(site: MiniSite, run_cli: RunCli, csv_path: Path) -> tuple[int, str, str]:
    return run_cli("issue", csv_path, "--content", site.content, "--key", site.key_path)


def refused_issue(site: MiniSite, run_cli: RunCli, csv_path: Path) -> tuple[int, str, str]:
    """Run ``credsite issue`` that must fail, and check that it wrote nothing."""
    before = site.snapshot()
    result = issue_cli(site, run_cli, csv_path)
    assert result[0] != 0
    assert site.snapshot() == before, "a refused issue must not write anything"
    assert list(site.awards_dir.iterdir()) == []
    return result


def verify(site: MiniSite, run_cli: RunCli, *files: Path) -> tuple[int, str, str]:
    return run_cli("verify", "--content", site.content, *files)


def edit_text(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, text)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def issued(mini_site: MiniSite) -> tuple[MiniSite, str, Path]:
    """A site with one credential (awarded 2026-03-14): (site, ID, its batch file)."""
    [cred_id] = mini_site.issue()
    [batch] = mini_site.batches()
    return mini_site, cred_id, batch


# ------------------------------------------------------------------------------------ YAML

def test_malformed_yaml_in_site_yaml(mini_site: MiniSite, run_cli: RunCli) -> None:
    edit_text(mini_site.site_yaml, "  url: https://test.example/", "   url: https://test.example/")
    where = f"{mini_site.site_yaml}:6"
    assert_error(verify(mini_site, run_cli), where, "mapping values are not allowed here",
                 "fix the YAML")
    code, out, err = run_cli("check", "--content", mini_site.content)
    assert code == 1 and "Traceback" not in out + err
    assert out.splitlines()[0] == (f"FAIL  {where}: mapping values are not allowed here; "
                                   "fix the YAML")


def test_malformed_yaml_when_issuing(mini_site: MiniSite, run_cli: RunCli) -> None:
    csv_path = mini_site.write_csv([award_row()])
    edit_text(mini_site.site_yaml, "title: Test Institute credentials",
              "title: [Test Institute credentials")
    assert_error(refused_issue(mini_site, run_cli, csv_path), f"{mini_site.site_yaml}:3",
                 "expected ',' or ']'")


@pytest.mark.parametrize("url", ["http://127.0.0.1:99999", "ftp://127.0.0.1", "127.0.0.1:8765"])
def test_bad_base_url_in_site_yaml(mini_site: MiniSite, run_cli: RunCli, url: str) -> None:
    edit_text(mini_site.site_yaml, "base_url: http://127.0.0.1:8765", f"base_url: {url}")
    assert_error(verify(mini_site, run_cli), mini_site.site_yaml,
                 f"base_url {url!r} must be an http(s) URL")


def test_duplicate_key_in_site_yaml(mini_site: MiniSite, run_cli: RunCli) -> None:
    edit_text(mini_site.site_yaml, "demo: true\n", "demo: true\ntitle: Another title\n")
    assert_error(verify(mini_site, run_cli), f"{mini_site.site_yaml}:4",
                 "duplicate key 'title' (first at line 2)")


def test_duplicate_key_in_nested_site_yaml_mapping(mini_site: MiniSite, run_cli: RunCli) -> None:
    edit_text(mini_site.site_yaml, "  description: A test issuer.\n",
              "  description: A test issuer.\n  name: Someone Else\n")
    assert_error(verify(mini_site, run_cli), f"{mini_site.site_yaml}:9",
                 "duplicate key 'name' (first at line 5)")


def test_duplicate_key_in_catalog_front_matter(mini_site: MiniSite, run_cli: RunCli) -> None:
    entry = mini_site.content / "credentials" / "TEST-PB.md"
    edit_text(entry, "order: 3\n", "order: 3\nname: Other name\n")
    assert_error(verify(mini_site, run_cli), f"{entry}:8", "duplicate key 'name' (first at line 3)")
    code, out, _ = run_cli("check", "--content", mini_site.content)
    assert code == 1
    assert f"FAIL  {entry}:8: duplicate key 'name' (first at line 3); fix the YAML" in out


def test_yaml_mapping_key_that_is_a_list(mini_site: MiniSite, run_cli: RunCli) -> None:
    edit_text(mini_site.site_yaml, "demo: true\n", "demo: true\n? [a, b]\n: 1\n")
    assert_error(verify(mini_site, run_cli), f"{mini_site.site_yaml}:4",
                 "a mapping key must be plain text or a number")


# ------------------------------------------------------------------------------------ award batches

def test_malformed_json_line_in_batch(mini_site: MiniSite, run_cli: RunCli) -> None:
    mini_site.issue([award_row(), award_row(name="Alan Turing")])
    [batch] = mini_site.batches()
    lines = batch.read_bytes().splitlines()
    batch.write_bytes(lines[0] + b"\n" + lines[1][:-40] + b"\n")
    assert_fail_line(verify(mini_site, run_cli), f"{batch}:2", "[format] malformed JSON at column")
    assert_fail_line(verify(mini_site, run_cli, batch), f"{batch}:2", "malformed JSON")


def test_json_line_that_is_not_an_object(issued: tuple[MiniSite, str, Path],
                                          run_cli: RunCli) -> None:
    site, _, batch = issued
    batch.write_bytes(batch.read_bytes() + b"[1, 2, 3]\n")
    assert_fail_line(verify(site, run_cli), f"{batch}:2",
                     "each line must be one JSON object (a credential)")


def test_deeply_nested_json_line(issued: tuple[MiniSite, str, Path], run_cli: RunCli) -> None:
    site, _, batch = issued
    batch.write_bytes(batch.read_bytes() + b'{"a":' + b"[" * 100_000 + b"]" * 100_000 + b"}\n")
    assert_fail_line(verify(site, run_cli), f"{batch}:2", "nested too deeply")


def test_duplicate_award_id_across_batches(issued: tuple[MiniSite, str, Path],
                                           run_cli: RunCli) -> None:
    site, cred_id, batch = issued
    copy = site.awards_dir / "zz-second.jsonl"
    copy.write_bytes(batch.read_bytes())
    line = assert_fail_line(verify(site, run_cli), f"{copy}:1",
                            f"[format] duplicate credential ID (also at {batch}:1)")
    assert cred_id in line
    code, out, _ = run_cli("check", "--content", site.content)
    assert code == 1
    assert f"{copy}:1: {cred_id} [format] duplicate credential ID (also at {batch}:1)" in out


def test_non_utf8_award_batch(issued: tuple[MiniSite, str, Path], run_cli: RunCli) -> None:
    site, _, batch = issued
    data = batch.read_bytes()
    batch.write_bytes(data.replace(b"Ada Lovelace", "Ad\xe9 Lovelace".encode("latin-1")))
    assert_fail_line(verify(site, run_cli), f"{batch}:1", "[format] not UTF-8 (byte")


# ------------------------------------------------------------------------------------ CSV

def test_unknown_credential_code(mini_site: MiniSite, run_cli: RunCli) -> None:
    csv_path = mini_site.write_csv([award_row(), award_row(code="NOPE-1")])
    assert_error(refused_issue(mini_site, run_cli, csv_path), f"{csv_path}:3",
                 "unknown credential code 'NOPE-1'")


def test_missing_csv_column(mini_site: MiniSite, run_cli: RunCli) -> None:
    csv_path = mini_site.write_csv([award_row()], columns=["name", "code", "awarded"])
    assert_error(refused_issue(mini_site, run_cli, csv_path), f"{csv_path}:1",
                 "missing column(s) email")


def test_repeated_csv_columns(mini_site: MiniSite, run_cli: RunCli) -> None:
    csv_path = mini_site.root / "extra.csv"
    csv_path.write_text("name,email,code,awarded,name\nAda,a@b.org,TEST-MMS,2026-01-02,Eve\n",
                        encoding="utf-8")
    assert_error(refused_issue(mini_site, run_cli, csv_path), f"{csv_path}:1",
                 "column(s) name appear more than once")


@pytest.mark.parametrize(("column", "message"), [
    ("awarded", "'awarded' (award date) is empty"),
    ("name", "name is empty"),
    ("code", "unknown credential code ''"),
])
def test_missing_required_field_in_a_row(mini_site: MiniSite, run_cli: RunCli, column: str,
                                         message: str) -> None:
    csv_path = mini_site.write_csv([award_row(), award_row(**{column: ""})])
    assert_error(refused_issue(mini_site, run_cli, csv_path), f"{csv_path}:3", message)


def test_more_cells_than_columns(mini_site: MiniSite, run_cli: RunCli) -> None:
    csv_path = mini_site.root / "cells.csv"
    csv_path.write_text("name,email,code,awarded\nAda,a@b.org,TEST-MMS,2026-01-02,extra\n",
                        encoding="utf-8")
    assert_error(refused_issue(mini_site, run_cli, csv_path), f"{csv_path}:2",
                 "more cells than columns")


def test_unreadable_csv_row(mini_site: MiniSite, run_cli: RunCli) -> None:
    csv_path = mini_site.root / "huge.csv"
    csv_path.write_text("name,email,code,awarded\n\"" + "x" * 200_000
                        + "\",a@b.org,TEST-MMS,2026-01-02\n", encoding="utf-8")
    assert_error(refused_issue(mini_site, run_cli, csv_path), f"{csv_path}:2",
                 "not a readable CSV row")


def test_bad_email(mini_site: MiniSite, run_cli: RunCli) -> None:
    csv_path = mini_site.write_csv([award_row(email="not-an-address")])
    assert_error(refused_issue(mini_site, run_cli, csv_path), f"{csv_path}:2",
                 "e-mail 'not-an-address' is not an address")


def test_date_without_time_zone(mini_site: MiniSite, run_cli: RunCli) -> None:
    csv_path = mini_site.write_csv([award_row(awarded="2026-03-14T10:00:00")])
    assert_error(refused_issue(mini_site, run_cli, csv_path), f"{csv_path}:2",
                 "'2026-03-14T10:00:00' has no time zone")


@pytest.mark.parametrize("text", ["14/03/2026", "2026-02-30T10:00:00Z", "yesterday"])
def test_date_that_is_not_a_date(mini_site: MiniSite, run_cli: RunCli, text: str) -> None:
    csv_path = mini_site.write_csv([award_row(awarded=text)])
    assert_error(refused_issue(mini_site, run_cli, csv_path), f"{csv_path}:2",
                 f"{text!r} is not a date-time")


def test_date_in_the_future(mini_site: MiniSite, run_cli: RunCli) -> None:
    csv_path = mini_site.write_csv([award_row(awarded="2099-03-14T10:00:00Z")])
    assert_error(refused_issue(mini_site, run_cli, csv_path), f"{csv_path}:2",
                 "award date 2099-03-14T10:00:00Z is in the future")


def test_every_bad_row_is_reported_on_its_own_line(mini_site: MiniSite, run_cli: RunCli) -> None:
    csv_path = mini_site.write_csv([award_row(code="NOPE"), award_row(),
                                    award_row(awarded="2026-03-14T10:00:00")])
    code, _, err = refused_issue(mini_site, run_cli, csv_path)
    assert code == 1 and "Traceback" not in err
    assert err.splitlines() == [
        f"error: {csv_path}:2: unknown credential code 'NOPE'; it must be one of the catalog's codes",
        f"{csv_path}:4: '2026-03-14T10:00:00' has no time zone; add Z or an offset, "
        "e.g. 2026-03-14T10:00:00Z",
        "2 bad rows found",
    ]


@pytest.mark.parametrize(("name", "message"), [
    ("Eve\u202eecilA", "name contains U+202E RIGHT-TO-LEFT OVERRIDE, an invisible or control"),
    ("Eve \u2066Alice\u2069", "name contains U+2066 LEFT-TO-RIGHT ISOLATE, an invisible or control"),
    ("Eve\x07Alice", "name contains U+0007, an invisible or control character"),
    ("Eve\x1b[31mAlice", "name contains U+001B, an invisible or control character"),
    ("Eve\u0085Alice", "name contains U+0085, an invisible or control character"),
    ("Eve\u200bAlice", "name contains U+200B ZERO WIDTH SPACE, an invisible or control"),
])
def test_holder_name_with_control_or_bidi_characters(mini_site: MiniSite, run_cli: RunCli,
                                                     name: str, message: str) -> None:
    csv_path = mini_site.write_csv([award_row(name=name)])
    assert_error(refused_issue(mini_site, run_cli, csv_path), f"{csv_path}:2", message)


def test_test_site_with_bidi_override(mini_site: MiniSite, run_cli: RunCli) -> None:
    csv_path = mini_site.write_csv([award_row(test_site="Center \u202eevil")])
    assert_error(refused_issue(mini_site, run_cli, csv_path), f"{csv_path}:2",
                 "test_site contains U+202E RIGHT-TO-LEFT OVERRIDE")


def test_signing_key_not_in_site_yaml(mini_site: MiniSite, run_cli: RunCli) -> None:
    other = mini_site.root / "other.key"
    keys.write_key_file(other, keys.generate("key-1"), None)
    csv_path = mini_site.write_csv([award_row()])
    before = mini_site.snapshot()
    result = run_cli("issue", csv_path, "--content", mini_site.content, "--key", other)
    assert mini_site.snapshot() == before
    line = assert_error(result, "this key (key-1, z6Mk")
    assert "is not in site.yaml; add its public key entry first" in line


# ------------------------------------------------------------------------------------ signed data

def test_expiry_before_award(mini_site: MiniSite, run_cli: RunCli) -> None:
    [cred_id] = mini_site.issue([award_row(code="TEST-CNC")])
    [batch] = mini_site.batches()
    mini_site.rewrite(cred_id, lambda c: c.update(validUntil="2026-03-13T15:00:00Z"), resign=True)
    line = assert_fail_line(verify(mini_site, run_cli), f"{batch}:1",
                            "[format] validUntil is not after validFrom")
    assert cred_id in line


def test_bad_signature(issued: tuple[MiniSite, str, Path], run_cli: RunCli) -> None:
    site, cred_id, batch = issued

    def change(credential: dict[str, Any]) -> None:
        value = credential["proof"][0]["proofValue"]
        credential["proof"][0]["proofValue"] = value[:-2] + ("22" if value[-2:] != "22" else "33")

    site.rewrite(cred_id, change)
    assert_fail_line(verify(site, run_cli), f"{batch}:1",
                     "[signature] the signature does not match the credential")


def test_altered_content_with_original_signature(issued: tuple[MiniSite, str, Path],
                                                 run_cli: RunCli) -> None:
    site, cred_id, batch = issued
    site.rewrite(cred_id, lambda c: c["credentialSubject"]["identifier"][0].update(
        identityHash="Mallory Lovelace"))
    assert_fail_line(verify(site, run_cli), f"{batch}:1",
                     "[signature] the signature does not match the credential (altered, or wrong key)")


def test_truncated_signature(issued: tuple[MiniSite, str, Path], run_cli: RunCli) -> None:
    site, cred_id, batch = issued
    site.rewrite(cred_id, lambda c: c["proof"][0].update(proofValue=c["proof"][0]["proofValue"][:60]))
    assert_fail_line(verify(site, run_cli), f"{batch}:1",
                     "[signature] proofValue decodes to", "not 64 (truncated?)")


def test_signature_that_is_not_base58(issued: tuple[MiniSite, str, Path], run_cli: RunCli) -> None:
    site, cred_id, batch = issued
    site.rewrite(cred_id, lambda c: c["proof"][0].update(proofValue="z0OIl"))
    assert_fail_line(verify(site, run_cli), f"{batch}:1",
                     "[signature] proofValue is not base58btc: '0' is not a base58btc character")


def test_unknown_key_id_in_verification_method(issued: tuple[MiniSite, str, Path],
                                               run_cli: RunCli) -> None:
    site, cred_id, batch = issued
    other = keys.generate("key-9")
    credential = site.sign(site.credential(cred_id), other)
    site.rewrite(cred_id, lambda c: c.update(proof=credential["proof"]))
    assert_fail_line(verify(site, run_cli), f"{batch}:1",
                     "[issuer-key] unknown key 'did:web:127.0.0.1%3A8765#key-9': "
                     "not in the DID document")


def test_key_not_yet_valid_when_it_signed(issued: tuple[MiniSite, str, Path],
                                          run_cli: RunCli) -> None:
    # Keys are judged by when they signed (proof created), not by the award date.
    site, _, batch = issued
    edit_text(site.site_yaml, "valid_from: 2024-01-01T00:00:00Z", "valid_from: 2099-01-01T00:00:00Z")
    assert_fail_line(verify(site, run_cli), f"{batch}:1",
                     "[issuer-key] key key-1 was not yet valid when it signed on ",
                     "(valid from 2099-01-01T00:00:00Z)")


def test_key_expired_before_it_signed(issued: tuple[MiniSite, str, Path],
                                      run_cli: RunCli) -> None:
    site, _, batch = issued
    edit_text(site.site_yaml, "valid_from: 2024-01-01T00:00:00Z",
              "valid_from: 2024-01-01T00:00:00Z\n    valid_until: 2025-01-01T00:00:00Z")
    assert_fail_line(verify(site, run_cli), f"{batch}:1",
                     "[issuer-key] key key-1 was no longer valid when it signed on ",
                     "(valid until 2025-01-01T00:00:00Z)")


def test_key_valid_when_it_signed_but_not_on_the_award_date(
    issued: tuple[MiniSite, str, Path], run_cli: RunCli
) -> None:
    # The award (March 14, 2026) predates the key: still valid, the key signed within its period.
    site, _, _ = issued
    edit_text(site.site_yaml, "valid_from: 2024-01-01T00:00:00Z", "valid_from: 2026-06-01T00:00:00Z")
    code, out, _ = verify(site, run_cli)
    assert code == 0 and "all verified" in out, out


def test_credential_id_not_of_our_alphabet(issued: tuple[MiniSite, str, Path],
                                           run_cli: RunCli) -> None:
    site, cred_id, batch = issued
    site.rewrite(cred_id, lambda c: c.update(id=f"{site.base_url}/c/../../etc"), resign=True)
    assert_fail_line(verify(site, run_cli), f"{batch}:1",
                     "[format] credential ID '../../etc' is not 16 Crockford base32 characters")
    code, out, _ = run_cli("check", "--content", site.content)
    assert code == 1
    assert "credential ID '../../etc' is not 16 Crockford base32 characters" in out


def test_credential_id_with_u(issued: tuple[MiniSite, str, Path], run_cli: RunCli) -> None:
    site, cred_id, batch = issued
    site.rewrite(cred_id, lambda c: c.update(id=f"{site.base_url}/c/{cred_id[:-1]}U"), resign=True)
    assert_fail_line(verify(site, run_cli), f"{batch}:1",
                     f"[format] credential ID '{cred_id[:-1]}U' is not 16 Crockford base32")


# ------------------------------------------------------------------------------------ site.yaml keys

def _replace_public_key(site: MiniSite, new: str) -> None:
    edit_text(site.site_yaml, site.signer.public_multikey, new)


@pytest.mark.parametrize(("broken", "message"), [
    (lambda key: key[:-4], "key key-1: public_key not an Ed25519 Multikey"),
    (lambda key: key + "1", "key key-1: public_key not an Ed25519 Multikey"),
    (lambda key: "z6Mk0OIl", "key key-1: public_key '0' is not a base58btc character"),
    (lambda key: key[1:], "key key-1: public_key a base58btc multibase value starts with 'z'"),
], ids=["truncated", "too long", "not base58", "no multibase prefix"])
def test_malformed_public_key(issued: tuple[MiniSite, str, Path], run_cli: RunCli,
                              broken: Callable[[str], str], message: str) -> None:
    site, _, _ = issued
    _replace_public_key(site, broken(site.signer.public_multikey))
    assert_error(verify(site, run_cli), f"{site.site_yaml} keys[0]", message)


def test_small_order_public_key(issued: tuple[MiniSite, str, Path], run_cli: RunCli) -> None:
    site, _, _ = issued
    identity = encode_multikey(b"\x01" + b"\x00" * 31)
    _replace_public_key(site, identity)
    assert_error(verify(site, run_cli), f"{site.site_yaml} keys[0]",
                 "key key-1: public_key not a valid Ed25519 public key",
                 "small order")
    code, out, err = run_cli("check", "--content", site.content)
    assert code == 1 and "Traceback" not in out + err
    assert "not a valid Ed25519 public key" in out.splitlines()[0]


def test_public_key_with_another_multicodec(mini_site: MiniSite, run_cli: RunCli) -> None:
    from credsite.trust.multibase import multibase_b58

    x25519 = multibase_b58(b"\xec\x01" + mini_site.signer.public_key)
    _replace_public_key(mini_site, x25519)
    assert_error(verify(mini_site, run_cli), f"{mini_site.site_yaml} keys[0]",
                 "not an Ed25519 Multikey")


# ------------------------------------------------------------------------------------ encodings

def test_non_utf8_site_yaml(mini_site: MiniSite, run_cli: RunCli) -> None:
    data = mini_site.site_yaml.read_bytes()
    mini_site.site_yaml.write_bytes(data.replace(b"A test issuer.", "A t\xe9st issuer.".encode("latin-1")))
    assert_error(verify(mini_site, run_cli), f"{mini_site.site_yaml}:8",
                 "not UTF-8 (byte", "save the file as UTF-8")


def test_non_utf8_catalog_file(mini_site: MiniSite, run_cli: RunCli) -> None:
    entry = mini_site.content / "credentials" / "TEST-PB.md"
    entry.write_bytes(entry.read_bytes().replace(b"Press Brake", "Pr\xe9ss Brake".encode("cp1252"), 1))
    assert_error(verify(mini_site, run_cli), f"{entry}:3", "not UTF-8 (byte")
    code, out, _ = run_cli("check", "--content", mini_site.content)
    assert code == 1
    assert out.startswith(f"FAIL  {entry}:3: not UTF-8 (byte")


def test_non_utf8_csv(mini_site: MiniSite, run_cli: RunCli) -> None:
    csv_path = mini_site.root / "latin1.csv"
    csv_path.write_bytes("name,email,code,awarded\nJos\xe9 M\xfcller,j@example.org,TEST-MMS,"
                         "2026-01-02T00:00:00Z\n".encode("latin-1"))
    assert_error(refused_issue(mini_site, run_cli, csv_path), f"{csv_path}:2",
                 "not UTF-8 (byte 27); save the file as UTF-8")


# ------------------------------------------------------------------------------------ revoke IDs

@pytest.mark.parametrize("bad", ["../../etc", "7QK2M9XRD4T8VNPU", "7QK2M9XRD4T8VNP", "%2e%2e"])
def test_revoke_refuses_ids_not_of_our_alphabet(issued: tuple[MiniSite, str, Path],
                                                run_cli: RunCli, bad: str) -> None:
    site, _, _ = issued
    before = site.snapshot()
    result = run_cli("revoke", bad, "--reason", "test", "--content", site.content,
                     "--key", site.key_path)
    assert_error(result, repr(bad), "is not a credential ID (16 characters of "
                 "0123456789ABCDEFGHJKMNPQRSTVWXYZ)")
    assert site.snapshot() == before


def test_revoke_unknown_id(issued: tuple[MiniSite, str, Path], run_cli: RunCli) -> None:
    site, _, _ = issued
    before = site.snapshot()
    result = run_cli("revoke", "0000-0000-0000-0000", "--reason", "test", "--content",
                     site.content, "--key", site.key_path)
    assert_error(result, "no award with a status entry has ID 0000000000000000")
    assert site.snapshot() == before


# ------------------------------------------------------------------------------------ the real script

def test_console_script_prints_no_traceback(mini_site: MiniSite) -> None:
    """The same through a separate process: stderr is exactly one error line."""
    csv_path = mini_site.write_csv([award_row(awarded="2026-03-14T10:00:00")])
    result = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "credsite", "issue", str(csv_path), "--content",
         str(mini_site.content), "--key", str(mini_site.key_path)],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"error: {csv_path}:2: '2026-03-14T10:00:00' has no time zone; add Z or an offset, "
        "e.g. 2026-03-14T10:00:00Z",
        "1 bad row found",
    ]

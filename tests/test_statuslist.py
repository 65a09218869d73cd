"""Revocation with W3C Bitstring Status List v1.0, checked by an independent decoder.

The decoder below follows the specification text, not generator/statuslist.py:
§3.2 "Bitstring Decoding": the ``encodedList`` is a Multibase base64url value (prefix ``u``, no
padding, RFC 4648 §5) of the GZIP-compressed (RFC 1952) bitstring; §3.1: "The first index, with
a value of zero (0), is located at the left-most bit in the bitstring", so bit ``i`` is bit
``i mod 8`` of byte ``floor(i / 8)`` counted from the most significant bit. §6.1: at least
131,072 entries (16 KB) for herd privacy.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
import zlib
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from sitekit import MiniSite, award_row

from credsite.trust.dataintegrity import verify_proof
from credsite.trust.statuslist import Bitstring

RunCli = Callable[..., tuple[int, str, str]]
MIN_BITS = 131_072
B64URL = re.compile(r"[A-Za-z0-9_-]+")


def spec_decode(encoded: str) -> bytes:
    """encodedList → the uncompressed bitstring bytes, per Bitstring Status List v1.0 §3.2."""
    assert encoded[0] == "u", "multibase base64url (no padding) starts with 'u'"
    body = encoded[1:]
    assert B64URL.fullmatch(body), "base64url alphabet only, no padding"
    raw = base64.b64decode(body.replace("-", "+").replace("_", "/") + "=" * (-len(body) % 4),
                          validate=True)
    assert raw[:2] == b"\x1f\x8b", "GZIP magic"
    return zlib.decompress(raw, wbits=31)  # 31: GZIP container


def spec_bit(bitstring: bytes, index: int) -> int:
    return (bitstring[index // 8] >> (7 - index % 8)) & 1


def spec_set_bits(bitstring: bytes) -> set[int]:
    return {i for i in range(len(bitstring) * 8) if spec_bit(bitstring, i)}


def spec_encode(bitstring: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(gzip.compress(bitstring)).decode().rstrip("=")


def status_list(site: MiniSite, number: int = 1) -> dict[str, Any]:
    return json.loads(  # type: ignore[no-any-return]
        (site.content / "status" / f"revocation-{number}.json").read_text("utf-8"))


@pytest.fixture
def revoked(mini_site: MiniSite, run_cli: RunCli) -> tuple[MiniSite, list[str], list[str]]:
    """Six credentials; two of them revoked with ``credsite revoke``. (site, all IDs, revoked)."""
    names = ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra", "Barbara Liskov",
             "Donald Knuth"]
    cred_ids = mini_site.issue([award_row(name=n, code=("TEST-MMS", "TEST-CNC")[i % 2])
                                for i, n in enumerate(names)])
    gone = [cred_ids[1], cred_ids[4]]
    typed = [gone[0].lower(), "-".join(gone[1][i:i + 4] for i in range(0, 16, 4))]
    code, out, err = run_cli("revoke", *typed, "--reason", "Exam irregularity", "--content",
                             mini_site.content, "--key", mini_site.key_path)
    assert (code, err) == (0, ""), err
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == sorted(gone)
    for line in lines:
        assert re.fullmatch(r"[0-9A-Z]{16} revoked on [A-Z][a-z]+ \d{1,2}, \d{4}", line), line
    return mini_site, cred_ids, gone


def _index(site: MiniSite, cred_id: str) -> int:
    entry = site.credential(cred_id)["credentialStatus"]
    return int(entry["statusListIndex"])


# ------------------------------------------------------------------------------ the list itself

def test_a_new_list_is_empty_and_large_enough(mini_site: MiniSite) -> None:
    [cred_id] = mini_site.issue()
    document = status_list(mini_site)
    bitstring = spec_decode(document["credentialSubject"]["encodedList"])
    assert len(bitstring) * 8 >= MIN_BITS
    assert spec_set_bits(bitstring) == set()
    entry = mini_site.credential(cred_id)["credentialStatus"]
    assert entry == {
        "id": f"http://127.0.0.1:8765/status/1#{entry['statusListIndex']}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": entry["statusListIndex"],
        "statusListCredential": "http://127.0.0.1:8765/status/1",
    }
    assert re.fullmatch(r"0|[1-9]\d*", entry["statusListIndex"])
    assert int(entry["statusListIndex"]) < len(bitstring) * 8


def test_status_list_credential_shape_and_signature(revoked: tuple[MiniSite, list[str], list[str]]) -> None:
    site, _, _ = revoked
    document = status_list(site)
    assert document["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert document["id"] == "http://127.0.0.1:8765/status/1"
    assert document["issuer"] == "did:web:127.0.0.1%3A8765"
    subject = document["credentialSubject"]
    assert subject["type"] == "BitstringStatusList"
    assert subject["statusPurpose"] == "revocation"
    assert document["proof"][0]["verificationMethod"] == "did:web:127.0.0.1%3A8765#key-1"
    verify_proof(document, site.signer.public_key)


def test_revoked_bits_are_set_and_nothing_else(revoked: tuple[MiniSite, list[str], list[str]]) -> None:
    site, cred_ids, gone = revoked
    bitstring = spec_decode(status_list(site)["credentialSubject"]["encodedList"])
    assert len(bitstring) * 8 >= MIN_BITS
    assert spec_set_bits(bitstring) == {_index(site, i) for i in gone}
    for cred_id in cred_ids:
        assert spec_bit(bitstring, _index(site, cred_id)) == (cred_id in gone)


def test_indexes_are_distinct_and_not_sequential(mini_site: MiniSite) -> None:
    cred_ids = mini_site.issue([award_row(name=f"Person {i}") for i in range(40)])
    indexes = [_index(mini_site, i) for i in cred_ids]
    assert len(set(indexes)) == 40
    assert indexes != sorted(indexes)
    assert max(indexes) - min(indexes) > 1000  # spread over the list (herd privacy)


def test_revoking_more_later_keeps_earlier_bits(revoked: tuple[MiniSite, list[str], list[str]],
                                                run_cli: RunCli) -> None:
    site, cred_ids, gone = revoked
    code, _, err = run_cli("revoke", cred_ids[0], "--reason", "Issued in error", "--content",
                           site.content, "--key", site.key_path)
    assert code == 0, err
    bitstring = spec_decode(status_list(site)["credentialSubject"]["encodedList"])
    assert spec_set_bits(bitstring) == {_index(site, i) for i in [*gone, cred_ids[0]]}
    notes = yaml.safe_load((site.content / "status" / "revocations.yaml").read_text("utf-8"))
    reasons = {n["id"]: n["reason"] for n in notes}
    assert reasons == {gone[0]: "Exam irregularity", gone[1]: "Exam irregularity",
                       cred_ids[0]: "Issued in error"}
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", n["date"]) for n in notes)


# ------------------------------------------------------------------------------ our codec vs the spec

@pytest.mark.parametrize("indexes", [set(), {0}, {7}, {8}, {0, 7, 8, 15, 131_071},
                                     {12_345, 54_321, 99_999}])
def test_our_decoder_reads_spec_encoded_lists(indexes: set[int]) -> None:
    bitstring = bytearray(MIN_BITS // 8)
    for i in indexes:
        bitstring[i // 8] |= 1 << (7 - i % 8)
    decoded = Bitstring.decode(spec_encode(bytes(bitstring)))
    assert set(decoded.set_indexes()) == indexes


@pytest.mark.parametrize("indexes", [{0}, {7}, {8}, {1, 131_071}])
def test_spec_decoder_reads_our_lists(indexes: set[int]) -> None:
    bits = Bitstring()
    for i in indexes:
        bits.set(i)
    bitstring = spec_decode(bits.encode())
    assert len(bitstring) == MIN_BITS // 8
    assert spec_set_bits(bitstring) == indexes
    if indexes == {0}:
        assert bitstring[0] == 0x80
    if indexes == {7}:
        assert bitstring[0] == 0x01


def test_wrong_size_list_is_refused() -> None:
    with pytest.raises(ValueError, match="status list is 8192 bits, expected 131072"):
        Bitstring.decode(spec_encode(bytes(1024)))
    with pytest.raises(ValueError, match="encodedList is not multibase base64url GZIP data"):
        Bitstring.decode("u" + base64.urlsafe_b64encode(b"not gzip").decode().rstrip("="))


# ------------------------------------------------------------------------------ verification

def test_revoked_credential_verdict_in_cli(revoked: tuple[MiniSite, list[str], list[str]],
                                          run_cli: RunCli) -> None:
    site, cred_ids, gone = revoked
    code, out, err = run_cli("verify", "--content", site.content)
    assert code == 1 and err == ""
    lines = out.splitlines()
    assert lines[-1] == "2 of the credentials did not verify"
    [batch] = site.batches()
    for number, cred_id in enumerate(cred_ids, start=1):
        [line] = [x for x in lines if f" {cred_id} " in x]
        if cred_id in gone:
            assert re.fullmatch(
                rf"REVOKED {cred_id}  {re.escape(str(batch))}:{number}  \[status\] revoked on "
                r"\d{4}-\d\d-\d\d: Exam irregularity", line), line
        else:
            assert line == f"OK    {cred_id}  {batch}:{number}"
    code, out, _ = run_cli("verify", "--json", "--content", site.content)
    verdicts = {r["id"]: r["verdict"] for r in json.loads(out)}
    assert verdicts == {i: ("revoked" if i in gone else "verified") for i in cred_ids}


def test_a_tampered_status_list_is_refused(revoked: tuple[MiniSite, list[str], list[str]],
                                           run_cli: RunCli) -> None:
    """Clearing a revocation bit without the issuer's key breaks the list's signature."""
    site, _, gone = revoked
    path = site.content / "status" / "revocation-1.json"
    document = status_list(site)
    bitstring = bytearray(spec_decode(document["credentialSubject"]["encodedList"]))
    index = _index(site, gone[0])
    bitstring[index // 8] &= ~(1 << (7 - index % 8)) & 0xFF
    document["credentialSubject"]["encodedList"] = spec_encode(bytes(bitstring))
    path.write_text(json.dumps(document), encoding="utf-8")
    code, out, err = run_cli("verify", "--content", site.content)
    assert (code, out) == (1, "")
    assert err.startswith(f"error: {path}: status list does not verify: [signature] the "
                          "signature does not match")
    assert len(err.splitlines()) == 1


def test_a_missing_status_list_cannot_verify(mini_site: MiniSite, run_cli: RunCli) -> None:
    """Without its list a credential's status is unknown: cannot-verify, not revoked."""
    [cred_id] = mini_site.issue()
    (mini_site.content / "status" / "revocation-1.json").unlink()
    code, out, _ = run_cli("verify", "--json", "--content", mini_site.content)
    assert code == 1
    [result] = json.loads(out)
    assert result["id"] == cred_id
    assert result["verdict"] == "cannot-verify"
    [status] = [c for c in result["checks"] if c["name"] == "status"]
    assert (status["status"], status["code"]) == ("not-checked", "status-unavailable")
    assert status["reason"] == "status list http://127.0.0.1:8765/status/1 is not published"


def test_a_second_revocation_keeps_the_first_date_and_reason(mini_site: MiniSite,
                                                             run_cli: RunCli) -> None:
    (cred_id,) = mini_site.issue([award_row()])
    args = ("revoke", cred_id, "--key", mini_site.key_path, "--content", mini_site.content)
    assert run_cli(*args, "--reason", "issued in error")[0] == 0
    notes_file = mini_site.content / "status" / "revocations.yaml"
    first = notes_file.read_text(encoding="utf-8")
    assert run_cli(*args, "--reason", "a later reason")[0] == 0
    assert notes_file.read_text(encoding="utf-8") == first
    assert "issued in error" in first and "a later reason" not in first

"""Signing and verifying credentials end to end, tampering, and credential IDs."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sitekit import MiniSite, award_row

from credsite.content.awards import AwardLine, parse_award, serialize
from credsite.content.status import load_status_lists
from credsite.errors import KeyFileError
from credsite.issuer import keys
from credsite.trust import ids
from credsite.trust.dataintegrity import canonicalize
from credsite.trust.verify import CHECKS, verify_credential

NOW = dt.datetime.now(dt.UTC)


def _verify(site: MiniSite, credential: Any) -> Any:
    status = load_status_lists(site.content, site.site)
    return verify_credential(credential, site.site, site.catalog, NOW, status.check, rdfc=True)


@pytest.fixture
def signed(mini_site: MiniSite) -> tuple[MiniSite, dict[str, Any]]:
    """A site with one issued credential that expires (validUntil) and has every optional part."""
    [cred_id] = mini_site.issue([award_row(name="Grace Hopper", code="TEST-CNC")])
    return mini_site, mini_site.credential(cred_id)


# ----------------------------------------------------------------------------- round trip

def test_issue_then_verify(signed: tuple[MiniSite, dict[str, Any]]) -> None:
    site, credential = signed
    report = _verify(site, credential)
    assert report.verdict == "verified", report.checks
    assert [c.name for c in report.checks] == list(CHECKS)
    assert all(c.status == "passed" and c.code == "ok" for c in report.checks
               if c.name not in ("origin", "status"))
    status = report.check("status")  # the mini site signs no freshness statements
    assert (status.status, status.code) == ("passed", "as-published")
    origin = report.check("origin")  # `credsite verify` shows no page
    assert (origin.status, origin.code) == ("not-checked", "no-page")
    assert report.check("signature").reason == (
        "eddsa-jcs-2022 and eddsa-rdfc-2022 signatures are valid")
    proof = credential["proof"]
    assert isinstance(proof, list) and len(proof) == 2
    assert [p["cryptosuite"] for p in proof] == ["eddsa-jcs-2022", "eddsa-rdfc-2022"]
    assert proof[0]["verificationMethod"] == "did:web:127.0.0.1%3A8765#key-1"
    assert proof[0]["proofValue"].startswith("z")
    assert credential["validUntil"][:4] == str(int(credential["validFrom"][:4]) + 5)


def test_issue_through_cli_then_verify(mini_site: MiniSite) -> None:
    cred_ids = mini_site.issue([award_row(), award_row(name="Alan Turing", code="TEST-PB")],
                               via="cli")
    assert len(cred_ids) == 2
    for cred_id in cred_ids:
        assert _verify(mini_site, mini_site.credential(cred_id)).verdict == "verified"


def test_proof_as_object_and_as_array(signed: tuple[MiniSite, dict[str, Any]]) -> None:
    site, credential = signed
    as_object = dict(credential, proof=credential["proof"][0])
    assert _verify(site, as_object).verdict == "verified"
    assert _verify(site, credential).verdict == "verified"
    two = dict(credential, proof=credential["proof"] * 2)
    report = _verify(site, two)
    assert report.verdict == "invalid"
    assert "proof must be the eddsa-jcs-2022 and eddsa-rdfc-2022 proof set" in (
        report.first_failure.reason)
    no_proof = {k: v for k, v in credential.items() if k != "proof"}
    assert _verify(site, no_proof).verdict == "invalid"


# ----------------------------------------------------------------------------- tampering

Path_ = tuple[Any, ...]


def _walk(value: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, (*path, index))


def _edit(document: dict[str, Any], path: Path_, change: Callable[[Any, Any], None]) -> dict[str, Any]:
    """A deep copy of ``document`` with ``change(parent, key)`` applied at ``path``."""
    copied = copy.deepcopy(document)
    parent = copied
    for key in path[:-1]:
        parent = parent[key]
    change(parent, path[-1])
    return copied


def _leaf_change(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    if isinstance(value, str):
        return value[:-1] + ("X" if value[-1:] != "X" else "Y") if value else "X"
    if value is None:
        return "X"
    raise AssertionError(f"not a leaf: {value!r}")


def _tamperings(credential: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, value in _walk(credential):
        if not path:
            continue
        name = "/".join(map(str, path))
        if isinstance(value, dict | list):
            if isinstance(value, list):
                yield f"{name}: item added", _edit(
                    credential, path, lambda p, k: p[k].append(copy.deepcopy(p[k][-1]) if p[k] else "X"))
                if value:
                    yield f"{name}: last item removed", _edit(credential, path, lambda p, k: p[k].pop())
            else:
                yield f"{name}: key added", _edit(
                    credential, path, lambda p, k: p[k].__setitem__("extra", "X"))
        else:
            yield f"{name}: changed", _edit(
                credential, path, lambda p, k: p.__setitem__(k, _leaf_change(p[k])))
        if isinstance(path[-1], str):
            yield f"{name}: key removed", _edit(credential, path, lambda p, k: p.pop(k))
        else:
            yield f"{name}: item removed", _edit(credential, path, lambda p, k: p.pop(k))
    yield "top: key added", dict(credential, description="X")


def test_tampering_with_any_field_is_detected(signed: tuple[MiniSite, dict[str, Any]]) -> None:
    site, credential = signed
    tamperings = list(_tamperings(credential))
    leaves = [p for p, v in _walk(credential) if not isinstance(v, dict | list)]
    assert len(leaves) > 60  # the walk really reaches the whole credential
    kinds = {name.rsplit(": ", 1)[1] for name, _ in tamperings}
    assert kinds == {"changed", "key removed", "item removed", "item added", "last item removed",
                     "key added"}
    assert any(name.startswith("credentialSubject/identifier/1/hashed") for name, _ in tamperings)
    status = load_status_lists(site.content, site.site)
    loaded_site, catalog = site.site, site.catalog
    verified = []
    for name, document in tamperings:
        assert document != credential, name
        report = verify_credential(document, loaded_site, catalog, NOW, status.check, rdfc=True)
        if report.verdict == "verified" and not report.legacy_proof:
            verified.append(name)
        elif report.verdict != "verified":
            assert report.first_failure is not None
        else:  # without its @context the proof is what credsite stored before 0.2, and without
            # an eddsa-rdfc-2022 proof the credential is as it was then: verified, with a warning
            assert name == "proof/0/@context: key removed" or _drops_rdfc(name), name
    assert verified == [], f"tampered credentials that still verify: {verified}"


@pytest.mark.parametrize("replacement", [None, 0, 1.5, True, "", "X", [], [1], {}, {"a": 1},
                                         10**30, "0001-01-01T00:00:00+01:00"],
                         ids=repr)
def test_any_value_of_any_type_fails_closed(signed: tuple[MiniSite, dict[str, Any]],
                                            replacement: Any) -> None:
    """Replacing any value by a value of another type never crashes and never verifies."""
    site, credential = signed
    status = load_status_lists(site.content, site.site)
    loaded_site, catalog = site.site, site.catalog
    for path, value in _walk(credential):
        if not path or value == replacement:
            continue
        document = _edit(credential, path, lambda p, k: p.__setitem__(k, replacement))
        report = verify_credential(document, loaded_site, catalog, NOW, status.check, rdfc=True)
        assert report.verdict != "verified", path


def test_not_a_credential_at_all(mini_site: MiniSite) -> None:
    value: Any
    for value in ([], "text", 5, None, {}):
        report = verify_credential(value, mini_site.site, mini_site.catalog, NOW)
        assert report.verdict == "invalid"
        assert report.check("format").status == "failed"


# ----------------------------------------------------------------------------- keys

def test_signed_by_another_key_under_our_key_id(signed: tuple[MiniSite, dict[str, Any]]) -> None:
    site, credential = signed
    impostor = keys.generate("key-1")
    forged = site.sign(credential, impostor)
    report = _verify(site, forged)
    assert report.verdict == "invalid"
    assert report.check("issuer-key").status == "passed"
    assert report.check("signature").status == "failed"
    assert "does not match" in report.check("signature").reason


def test_signed_by_a_key_not_in_site_yaml(signed: tuple[MiniSite, dict[str, Any]]) -> None:
    site, credential = signed
    forged = site.sign(credential, keys.generate("key-2"))
    report = _verify(site, forged)
    assert report.verdict == "invalid"
    assert report.check("issuer-key").status == "failed"
    assert "unknown key 'did:web:127.0.0.1%3A8765#key-2'" in report.check("issuer-key").reason
    assert report.check("signature").status == "not-checked"


def test_signed_for_another_issuer(signed: tuple[MiniSite, dict[str, Any]]) -> None:
    site, credential = signed
    forged = site.sign(credential)
    forged["proof"][0]["verificationMethod"] = "did:web:evil.example#key-1"
    report = _verify(site, forged)
    assert report.check("issuer-key").status == "failed"
    assert "is not a key of did:web:127.0.0.1%3A8765" in report.check("issuer-key").reason


def test_issuing_with_a_key_not_in_site_yaml_is_refused(mini_site: MiniSite) -> None:
    mini_site.signer = keys.generate("key-1")
    with pytest.raises(KeyFileError, match="is not in site.yaml"):
        mini_site.issue()
    assert mini_site.batches() == []


# ----------------------------------------------------------------------------- IDs

CROCKFORD = set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")


def test_new_ids_are_16_crockford_characters() -> None:
    for _ in range(200):
        cred_id = ids.new_credential_id()
        assert len(cred_id) == 16
        assert set(cred_id) <= CROCKFORD
        assert ids.is_credential_id(cred_id)
        assert ids.normalize_credential_id(cred_id) == cred_id


def test_new_ids_are_random_not_sequential() -> None:
    made = [ids.new_credential_id() for _ in range(1000)]
    assert len(set(made)) == 1000
    numbers = [int("".join(f"{ids.ALPHABET.index(c):05b}" for c in i), 2) for i in made]
    steps = {b - a for a, b in zip(numbers, numbers[1:], strict=False)}
    assert len(steps) > 990, "IDs must not follow a pattern"
    assert sorted(made) != made
    # every character position uses (nearly) the whole alphabet: 80 bits, not a counter
    for position in range(16):
        assert len({i[position] for i in made}) >= 28, position
    # roughly half of all 80 000 bits are set
    ones = sum(bin(n).count("1") for n in numbers)
    assert 38_000 < ones < 42_000


def test_normalize_accepts_typed_forms() -> None:
    cred_id = "7QK2M9XRD4T8VNPA"
    for typed in ("7qk2m9xrd4t8vnpa", "7QK2-M9XR-D4T8-VNPA", "7qk2 m9xr d4t8 vnpa",
                  " 7QK2-M9XR D4T8-VNPA "):
        assert ids.normalize_credential_id(typed) == cred_id
    assert ids.normalize_credential_id("O1IL-oiIl-0000-1111") == "0111011100001111"


@pytest.mark.parametrize("bad", ["", "7QK2M9XRD4T8VNP", "7QK2M9XRD4T8VNPAA", "7QK2M9XRD4T8VNPU",
                                 "../../etc", "7QK2M9XRD4T8VNP!", "7QK2M9XRD4T8VNP\u0430"])
def test_normalize_rejects_other_text(bad: str) -> None:
    with pytest.raises(ValueError, match="is not a credential ID"):
        ids.normalize_credential_id(bad)
    assert not ids.is_credential_id(bad)


def test_format_groups_of_four() -> None:
    assert ids.format_credential_id("7QK2M9XRD4T8VNPA") == "7QK2-M9XR-D4T8-VNPA"
    assert re.fullmatch(r"(\w{4}-){3}\w{4}", ids.format_credential_id(ids.new_credential_id()))


# ----------------------------------------------------------------------------- stored text


def _verify_text(site: MiniSite, text: bytes) -> Any:
    """Verify as the build does: from the stored line, with its text."""
    document = parse_award(AwardLine(Path("batch.jsonl"), 1, text))
    status = load_status_lists(site.content, site.site)
    return verify_credential(document, site.site, site.catalog, NOW, status.check, text=text,
                             rdfc=True)


def test_stored_text_shortcut_still_detects_every_tampering(
        signed: tuple[MiniSite, dict[str, Any]]) -> None:
    site, credential = signed
    genuine = serialize(credential)
    assert genuine == canonicalize(credential)  # stored in JCS form
    assert _verify_text(site, genuine).verdict == "verified"
    insertion_order = json.dumps(credential, ensure_ascii=False).encode()  # not canonical
    assert _verify_text(site, insertion_order).verdict == "verified"
    reports = [(name, _verify_text(site, serialize(document)))
               for name, document in _tamperings(credential)]
    verified = [name for name, report in reports
                if report.verdict == "verified" and not report.legacy_proof]
    assert verified == [], f"tampered credentials that still verify: {verified}"
    legacy = [name for name, report in reports if report.legacy_proof]
    assert "proof/0/@context: key removed" in legacy
    assert all(n == "proof/0/@context: key removed" or _drops_rdfc(n) for n in legacy), legacy


def _drops_rdfc(name: str) -> bool:
    """Tamperings that leave no eddsa-rdfc-2022 proof (the set's second proof removed, or its
    suite named otherwise): the credential is then as credsite made them before 0.2."""
    return name in ("proof/1: item removed", "proof: last item removed")


def test_stored_text_with_a_moved_or_doubled_proof_does_not_verify(
        signed: tuple[MiniSite, dict[str, Any]]) -> None:
    """The shortcut cuts the proof member out of the text: text built to make it cut the wrong
    one must still fail (the signed bytes never hold a proof)."""
    site, credential = signed
    genuine = serialize(credential)
    member = b',"proof":' + json.dumps(credential["proof"], ensure_ascii=False,
                                       separators=(",", ":")).encode()
    assert genuine.count(member) == 1
    nested_copy = genuine.replace(b'"credentialSubject":{', b'"credentialSubject":{'
                                  + member[1:] + b",")
    spaced_top = genuine.replace(member, b', "proof": ' + member[len(b',"proof":'):])
    spaced_top_nested_copy = spaced_top.replace(b'"credentialSubject":{',
                                                b'"credentialSubject":{' + member[1:] + b",")
    for name, text in (("nested copy", nested_copy), ("nested copy", spaced_top_nested_copy)):
        assert _verify_text(site, text).verdict != "verified", name
    assert _verify_text(site, spaced_top).verdict == "verified"  # same JSON, other spacing


def test_a_repeated_member_name_does_not_verify(signed: tuple[MiniSite, dict[str, Any]]) -> None:
    """Whatever a parser keeps of two same-named members, the record is not I-JSON: JCS (and so
    the signature) is not defined for it. The verifier that reads the last one must not accept it
    just because the last one is the signed value."""
    site, credential = signed
    genuine = serialize(credential)
    name = credential["credentialSubject"]["identifier"][0]["identityHash"].encode()
    for text in (b'{"name":"Forged",' + genuine[1:],  # top level, before the signed member
                 genuine.replace(b'"identityHash":"' + name, b'"identityHash":"Mallory","identityHash":"'
                                 + name, 1),  # nested
                 json.dumps(credential, ensure_ascii=False).encode()[:-1] + b',"type":'
                 + json.dumps(credential["type"]).encode() + b"}"):  # same value twice
        assert json.loads(text) == credential  # a last-wins parser sees the signed credential
        report = _verify_text(site, text)
        assert report.verdict == "invalid"
        assert "twice in one object" in report.check("signature").reason

"""``credsite issue`` never gives a new credential an ID or a status entry that an award already
has (content/inuse.py reads the stored bytes instead of parsing every record: issue 20). Each
test forces the random draw onto a taken value, so it fails if the check is skipped."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest
from sitekit import MiniSite, make_site, row

from credsite.content.inuse import scan_in_use, used_indexes
from credsite.content.status import load_status_lists
from credsite.issuer import issuance
from credsite.trust.ids import new_credential_id
from credsite.trust.statuslist import IndexSet


@pytest.fixture
def site(tmp_path: Path) -> MiniSite:
    return make_site(tmp_path / "site")


def _draws(monkeypatch: pytest.MonkeyPatch, first: list[str]) -> list[str]:
    """Make the ID draw return ``first`` before random IDs; returns every ID drawn."""
    drawn: list[str] = []
    queue = list(first)

    def draw() -> str:
        drawn.append(queue.pop(0) if queue else new_credential_id())
        return drawn[-1]

    monkeypatch.setattr(issuance, "new_credential_id", draw)
    return drawn


def test_a_drawn_id_that_an_award_has_is_drawn_again(site: MiniSite,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    [old] = site.issue()
    drawn = _draws(monkeypatch, [old])
    [new] = site.issue([row("Grace Hopper")])
    assert drawn[0] == old and new != old and new == drawn[1]
    assert len({c["id"] for c in site.credentials().values()}) == 2


def test_two_rows_never_get_the_same_id(site: MiniSite, monkeypatch: pytest.MonkeyPatch) -> None:
    twin = new_credential_id()
    _draws(monkeypatch, [twin, twin])
    ids = site.issue([row(), row("Grace Hopper")])
    assert ids[0] == twin and ids[1] != twin


def test_an_id_in_a_record_not_stored_in_jcs_form_is_found(site: MiniSite) -> None:
    """A hand-formatted record (spaces, other key order, an escaped slash) is parsed instead."""
    [old] = site.issue()
    batch = site.batches()[0]
    credential = json.loads(batch.read_bytes())
    text = json.dumps(dict(reversed(list(credential.items()))), indent=1).replace("/", "\\/")
    batch.write_text(text.replace("\n", " ") + "\n", encoding="utf-8")
    found = scan_in_use(site.content, site.site, [old, new_credential_id()])
    assert found.taken == {old}
    entry = credential["credentialStatus"]
    assert int(entry["statusListIndex"]) in found.entries[1]


def _randbelow_first(monkeypatch: pytest.MonkeyPatch, first: list[int]) -> None:
    queue = list(first)
    real = secrets.randbelow

    def randbelow(n: int) -> int:
        return queue.pop(0) if queue else real(n)

    monkeypatch.setattr(secrets, "randbelow", randbelow)  # what pick_free_index draws with


def test_a_drawn_status_entry_that_an_award_has_is_drawn_again(
        site: MiniSite, monkeypatch: pytest.MonkeyPatch) -> None:
    [old] = site.issue()
    taken = int(site.credential(old)["credentialStatus"]["statusListIndex"])
    _randbelow_first(monkeypatch, [taken, taken])
    ids = site.issue([row("Grace Hopper"), row("Alan Turing")])
    indexes = [int(site.credential(i)["credentialStatus"]["statusListIndex"]) for i in [old, *ids]]
    assert len(set(indexes)) == 3, indexes


def test_a_retired_entry_is_never_handed_out_again(site: MiniSite) -> None:
    [old] = site.issue()
    entry = site.credential(old)["credentialStatus"]
    (site.content / "status" / "retired.yaml").write_text(json.dumps([{
        **entry, "statusListIndex": "77", "credential": old, "date": "2026-01-01T00:00:00Z",
        "reason": "superseded"}]), encoding="utf-8")
    assert 77 in used_indexes(site.content, site.site)[1]


def test_every_entry_of_every_batch_is_counted(site: MiniSite) -> None:
    ids = site.issue([row(), row("Grace Hopper")]) + site.issue([row("Alan Turing")])
    used = used_indexes(site.content, site.site)
    assert sorted(used[1]) == sorted(
        int(site.credential(i)["credentialStatus"]["statusListIndex"]) for i in ids)
    assert len(used[1]) == 3


def test_an_index_set_is_a_set_of_indexes() -> None:
    found = IndexSet(16)
    for index in (3, 0, 15, 3):
        found.add(index)
    assert len(found) == 3 and sorted(found) == [0, 3, 15] and 3 in found and 4 not in found
    found.discard(3)
    found.discard(3)
    assert list(found) == [0, 15] and len(found) == 2 and -1 not in found
    with pytest.raises(ValueError, match="outside 0-15"):
        found.add(16)



def test_revoke_reads_only_the_lines_that_name_the_id_and_any_with_escapes(site: MiniSite) -> None:
    from credsite.content.awards import lines_mentioning
    from credsite.issuer.revocation import revoke

    ids = site.issue([row(), row("Grace Hopper"), row("Alan Turing")])
    [batch] = site.batches()
    lines = batch.read_bytes().split(b"\n")
    hidden = ids[1].encode()
    at = next(n for n, raw in enumerate(lines) if hidden in raw)
    assert [line.line for line in lines_mentioning([batch], [ids[1]])] == [at + 1]
    assert list(lines_mentioning([batch], [new_credential_id()])) == []
    # that record's ID written with a JSON escape: only parsing can find it
    lines[at] = lines[at].replace(hidden, hidden[:8] + b"\\u%04x" % hidden[8] + hidden[9:])
    batch.write_bytes(b"\n".join(lines))
    assert hidden not in batch.read_bytes()
    # a file with an escape is given whole, whatever the texts and the byte test say
    assert len(list(lines_mentioning([batch], ["nothing"], lambda raw: False))) == 3
    [said] = revoke(site.content, site.site, site.signer, [ids[1]], "test")
    assert said.startswith(f"{ids[1]} revoked on ")
    assert set(load_status_lists(site.content, site.site).notes) == {ids[1]}


# ------------------------------------------------------------------ from the build's indexes


def _spy_on_skips(monkeypatch: pytest.MonkeyPatch) -> list[set[Path]]:
    """Record which batch files each read left to the indexes."""
    skips: list[set[Path]] = []
    real = scan_in_use

    def scan(content: Path, site: object, ids: object = (), skip: object = ()) -> object:
        skips.append(set(skip))  # type: ignore[call-overload]
        return real(content, site, ids, skip)  # type: ignore[arg-type]

    monkeypatch.setattr("credsite.issuer.inuseindex.scan_in_use", scan)
    return skips


def test_after_a_build_its_indexes_answer_for_the_batches_they_hold(
        site: MiniSite, monkeypatch: pytest.MonkeyPatch) -> None:
    from credsite.issuer.inuseindex import read_in_use

    built = site.issue([row(), row("Grace Hopper")])
    site.build()
    later = site.issue([row("Alan Turing")])  # a batch no index holds yet
    (site.content / "status" / "retired.yaml").write_text(json.dumps([{
        **site.credential(built[0])["credentialStatus"], "statusListIndex": "77",
        "credential": built[0], "date": "2026-01-01T00:00:00Z", "reason": "superseded"}]),
        encoding="utf-8")
    skips = _spy_on_skips(monkeypatch)
    asked = [*built, *later, new_credential_id()]
    found = read_in_use(site.content, site.site, asked)
    assert [len(s) for s in skips] == [1]  # the first batch came from the indexes
    everything = scan_in_use(site.content, site.site, asked)
    assert found.taken == everything.taken == {*built, *later}
    assert {n: sorted(s) for n, s in found.entries.items() if s} == {
        n: sorted(s) for n, s in everything.entries.items()}
    assert 77 in found.entries[1] and not found.full


def test_an_id_only_the_build_index_holds_is_drawn_again(
        site: MiniSite, monkeypatch: pytest.MonkeyPatch) -> None:
    [old] = site.issue()
    site.build()
    skips = _spy_on_skips(monkeypatch)
    drawn = _draws(monkeypatch, [old])
    [new] = site.issue([row("Grace Hopper")])
    assert len(skips[0]) == 1  # the first batch came from the indexes
    assert drawn[0] == old and new == drawn[1] != old


def test_an_entry_only_the_build_index_holds_is_drawn_again(
        site: MiniSite, monkeypatch: pytest.MonkeyPatch) -> None:
    [old] = site.issue()
    site.build()
    skips = _spy_on_skips(monkeypatch)
    taken = int(site.credential(old)["credentialStatus"]["statusListIndex"])
    _randbelow_first(monkeypatch, [taken])
    [new] = site.issue([row("Grace Hopper")])
    assert len(skips[0]) == 1
    assert int(site.credential(new)["credentialStatus"]["statusListIndex"]) != taken


def test_a_changed_batch_is_read_again_not_taken_from_the_index(
        site: MiniSite, monkeypatch: pytest.MonkeyPatch) -> None:
    from credsite.issuer.inuseindex import read_in_use

    site.issue()
    site.build()
    [batch] = site.batches()
    batch.write_bytes(batch.read_bytes() + b"\n")  # size changed: the indexes no longer hold it
    skips = _spy_on_skips(monkeypatch)
    read_in_use(site.content, site.site, [new_credential_id()])
    assert skips == [set()]

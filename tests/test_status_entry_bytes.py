"""One reader of a stored record's status entry from its bytes (statusentries.entry_from_bytes),
shared by the build's shared-entry check and ``credsite issue``'s scan of entries in use: both
must read every line the same way, and either reads it from its bytes only when that is exactly
what parsing it gives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from sitekit import MiniSite, make_site, row

from credsite.content.inuse import scan_in_use
from credsite.content.status import StatusLists
from credsite.content.statusentries import batch_entries, entry_from_bytes


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> MiniSite:
    site = make_site(tmp_path_factory.mktemp("entries") / "site")
    site.issue([row(), row("Grace Hopper"), row("Ada Lovelace")])
    return site


def _records(site: MiniSite) -> list[dict[str, Any]]:
    return [json.loads(line) for batch in site.batches()
            for line in batch.read_text(encoding="utf-8").splitlines() if line.strip()]


def _prefix(site: MiniSite) -> bytes:
    return f'"id":"{site.site.base_url}/c/'.encode()


def test_a_stored_record_is_read_from_its_bytes_as_parsing_reads_it(site: MiniSite) -> None:
    for record in _records(site):
        entry = record["credentialStatus"]
        hit = entry_from_bytes(rfc8785.dumps(record), _prefix(site))
        assert hit == (entry["statusListCredential"], entry["statusListIndex"],
                       record["id"].rsplit("/", 1)[-1].encode("ascii"))


def _variants(record: dict[str, Any]) -> dict[str, bytes]:
    """Lines whose bytes do not plainly say the record's one status entry and ID."""
    entry = record["credentialStatus"]
    second = dict(entry, statusListIndex=str(int(entry["statusListIndex"]) + 1))
    return {
        "two entries": rfc8785.dumps(dict(record, credentialStatus=[entry, second])),
        "escaped URL": rfc8785.dumps(record).replace(b"/status/", b"\\/status\\/"),
        "ID before the entry": json.dumps(dict(sorted(record.items(), reverse=True)),
                                          separators=(",", ":")).encode(),
        "index not digits": rfc8785.dumps(dict(record, credentialStatus=dict(
            entry, statusListIndex="1e3"))),
        "short ID": rfc8785.dumps(dict(record, id=record["id"][:-1])),
    }


@pytest.mark.parametrize("variant", ["two entries", "escaped URL", "ID before the entry",
                                     "index not digits", "short ID"])
def test_a_line_not_plainly_in_jcs_form_is_left_to_the_parser(site: MiniSite, variant: str) -> None:
    assert entry_from_bytes(_variants(_records(site)[0])[variant], _prefix(site)) is None


def test_the_shared_entry_check_and_issue_agree_on_every_kind_of_line(site: MiniSite,
                                                                      tmp_path: Path) -> None:
    records = _records(site)
    content = tmp_path / "content"
    (content / "awards").mkdir(parents=True)
    lines = [rfc8785.dumps(records[0]), _variants(records[1])["escaped URL"],
             _variants(records[2])["ID before the entry"]]
    batch = content / "awards" / "2026-01-01-mixed.jsonl"
    batch.write_bytes(b"\n".join(lines) + b"\n")
    parsed = {(r["credentialStatus"]["statusListCredential"],
               int(r["credentialStatus"]["statusListIndex"]), r["id"].rsplit("/", 1)[-1])
              for r in records}
    from_check = {entry[:3] for entry in batch_entries(batch, site.site.base_url)}
    assert from_check == parsed
    lists = StatusLists(site.site)
    in_use = scan_in_use(content, site.site, [r["id"].rsplit("/", 1)[-1] for r in records])
    assert in_use.taken == {r["id"].rsplit("/", 1)[-1] for r in records}
    located = {lists.locate(r["credentialStatus"]) for r in records}
    assert {(n, i) for n, used in in_use.entries.items() for i in used} == located

"""The build's shared-status-entry check reads only changed batches (content/statusentries.py):
what it finds through its on-disk index must be what a full read finds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sitekit import MiniSite, make_site, row

from credsite.build.manifest import Manifest
from credsite.content.awards import batch_files
from credsite.content.statusentries import shared_entries
from credsite.errors import BuildError
from credsite.trust.ids import new_credential_id


def _twin(site: MiniSite, cred_id: str, name: str) -> str:
    """A new batch holding one new credential with ``cred_id``'s status entry."""
    credential = site.credential(cred_id)
    twin_id = new_credential_id()
    credential = {k: v for k, v in credential.items() if k != "proof"}
    credential["id"] = f"{site.base_url}/c/{twin_id}"
    signed = site.sign(credential)
    (site.content / "awards" / name).write_text(
        json.dumps(signed, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return twin_id


def _cache(out: Path) -> Path:
    return Manifest.path_for(out).with_name(f"{out.name}.status-entries")


def test_a_rebuild_finds_an_entry_shared_with_an_unchanged_batch(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    ids = site.issue([row(), row("Grace Hopper", code="TEST-CNC")])
    site.issue([row("Alan Turing")])
    out = site.build()
    assert (_cache(out) / "index.json").is_file()
    twin = _twin(site, ids[1], "zz-twin.jsonl")
    with pytest.raises(BuildError) as failure:
        site.build(out)
    message = str(failure.value)
    # where ids[1] is (batches issued within one second sort by a random suffix)
    holder, line = next((path, number) for path in batch_files(site.content)
                        for number, raw in enumerate(path.read_bytes().splitlines(), start=1)
                        if json.loads(raw)["id"].endswith(f"/c/{ids[1]}"))
    assert f"zz-twin.jsonl:1: {twin} has the same status list entry" in message
    assert f"as {ids[1]} ({holder}:{line})" in message
    # the same problem as a full read of every batch (credsite check's way)
    assert shared_entries(site.content, site.base_url) == [
        line for line in message.splitlines() if "has the same status list entry" in line]
    # and the cache still says nothing was accepted: asked again, it finds it again
    assert shared_entries(site.content, site.base_url, _cache(out))


def test_an_unchanged_site_is_not_read_again_and_a_fixed_one_passes(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    ids = site.issue([row(), row("Grace Hopper", code="TEST-CNC")])
    out = site.build()
    cache = _cache(out)
    assert shared_entries(site.content, site.base_url, cache) == []
    twin = site.content / "awards" / "zz-twin.jsonl"
    _twin(site, ids[0], twin.name)
    assert shared_entries(site.content, site.base_url, cache)
    twin.unlink()
    assert shared_entries(site.content, site.base_url, cache) == []
    site.issue([row("Alan Turing")])  # a new batch with entries of its own
    assert shared_entries(site.content, site.base_url, cache) == []
    index = json.loads((cache / "index.json").read_bytes())
    assert sorted(index["batches"]) == sorted(p.name for p in batch_files(site.content))
    # a removed batch's entries leave the index: its entry can be reused without a complaint
    gone = batch_files(site.content)[0]
    entries_before = len(list(cache.glob("ids-*.bin")))
    gone.unlink()
    assert shared_entries(site.content, site.base_url, cache) == []
    assert len(list(cache.glob("ids-*.bin"))) == entries_before == 1

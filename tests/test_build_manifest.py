"""The build manifest's on-disk index (generator/build/manifest.py, plan.py): what a rebuild
finds there must be what a full scan would find, whatever was added, moved or removed."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from sitekit import make_site, row, tree_differences, tree_snapshot

from credsite.build.manifest import Manifest
from credsite.build.pipeline import build_site
from credsite.content.awards import batch_files
from credsite.content.sortedindex import ID_RECORD, IdIndex, IdIndexUpdate, id_record
from credsite.errors import BuildError
from credsite.trust.ids import new_credential_id


def _index(tmp: Path, records: list[bytes]) -> Path:
    name = IdIndexUpdate(None, [], records).write(tmp)
    return tmp / name


def test_the_id_index_finds_every_id_and_no_other(tmp_path: Path) -> None:
    ids = [new_credential_id() for _ in range(500)]
    path = _index(tmp_path, [id_record(i, n % 7) for n, i in enumerate(ids)])
    with IdIndex(path) as index:
        assert index.count == 500
        for n, cred_id in enumerate(ids):
            assert index.find(cred_id.encode()) == n % 7
        for _ in range(200):
            assert index.find(new_credential_id().encode()) is None


@pytest.mark.parametrize("seed", range(6))
def test_an_updated_id_index_equals_one_made_from_scratch(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    old = {new_credential_id(): rng.randrange(5) for _ in range(rng.randrange(0, 300))}
    (tmp_path / "a").mkdir()
    path = _index(tmp_path / "a", [id_record(i, b) for i, b in old.items()])
    dropped = rng.sample(sorted(old), k=len(old) // 3)
    kept = {i: b for i, b in old.items() if i not in dropped}
    # some dropped IDs come back in another batch (a moved line), the rest are new
    added = {i: 9 for i in rng.sample(dropped, k=len(dropped) // 2)}
    added |= {new_credential_id(): 8 for _ in range(rng.randrange(0, 50))}
    update = IdIndexUpdate(path, [i.encode() for i in dropped], [id_record(i, b) for i, b in added.items()])
    (tmp_path / "b").mkdir()
    merged = (tmp_path / "b" / update.write(tmp_path / "b")).read_bytes()
    expected = b"".join(sorted(id_record(i, b) for i, b in (kept | added).items()))
    assert merged == expected
    assert len(merged) % ID_RECORD == 0


def test_a_rebuild_keeps_a_credential_whose_line_moved_to_another_batch(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    site.issue([row(), row("Grace Hopper", code="TEST-CNC")])
    out = site.build()
    first = batch_files(site.content)[0]
    lines = first.read_bytes().splitlines(keepends=True)
    moved_id = json.loads(lines[1])["id"].rsplit("/", 1)[-1]
    first.write_bytes(lines[0])
    (first.parent / "zz-moved.jsonl").write_bytes(lines[1])
    site.seal(first, first.parent / "zz-moved.jsonl")
    summary = build_site(site.content, out, quiet=True)
    assert (out / "c" / f"{moved_id}.html").is_file(), summary
    clean = site.build(tmp_path / "clean", incremental=False)
    assert not tree_differences(tree_snapshot(out), tree_snapshot(clean))
    # and the index knows where it is now
    manifest = Manifest.load(out)
    assert manifest is not None
    assert manifest.locate([moved_id]) == {moved_id: manifest.batches["awards/zz-moved.jsonl"].number}


def test_a_rebuild_refuses_a_new_batch_that_repeats_an_id_of_an_unchanged_one(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    site.issue([row(), row("Grace Hopper", code="TEST-CNC")])
    out = site.build()
    first = batch_files(site.content)[0]
    copy = first.parent / "zz-copy.jsonl"
    # the same ID, re-signed with a status entry of its own (a shared entry is refused earlier)
    credential = json.loads(first.read_bytes().splitlines()[0])
    entry = credential["credentialStatus"]
    index = (int(entry["statusListIndex"]) + 1) % 131072
    entry.update(statusListIndex=str(index), id=f"{entry['statusListCredential']}#{index}")
    signed = site.sign({k: v for k, v in credential.items() if k != "proof"})
    copy.write_text(json.dumps(signed, ensure_ascii=False, separators=(",", ":")) + "\n",
                    encoding="utf-8")
    site.seal(copy)
    before = tree_snapshot(out)
    with pytest.raises(BuildError) as failure:
        build_site(site.content, out, quiet=True)
    message = str(failure.value)
    assert "duplicate credential ID" in message and "zz-copy.jsonl:1" in message
    assert first.name in message
    assert not tree_differences(tree_snapshot(out), before)  # nothing published
    # the same duplicate in a full build names both lines
    with pytest.raises(BuildError, match=r"zz-copy.jsonl:1: .* duplicate credential ID \(also at .*:1\)"):
        build_site(site.content, tmp_path / "full", quiet=True, incremental=False)


def test_a_manifest_that_lost_a_data_file_means_a_full_build(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    site.issue([row(), row("Grace Hopper", code="TEST-CNC")])
    out = site.build()
    folder = Manifest.path_for(out)
    for ids in folder.glob("ids-*.bin"):
        ids.unlink()
    assert Manifest.load(out) is None
    summary = build_site(site.content, out, quiet=True)
    assert summary.startswith("built 2 credentials"), summary
    assert Manifest.load(out) is not None


def test_old_data_files_are_deleted_when_the_index_moves_on(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    site.issue([row()])
    out = site.build()
    site.issue([row("Grace Hopper", code="TEST-CNC")])
    site.build(out)
    folder = Manifest.path_for(out)
    manifest = Manifest.load(out)
    assert manifest is not None
    assert [p.name for p in folder.glob("ids-*.bin")] == [manifest.ids_file]
    assert sorted(p.name for p in (folder / "keys").iterdir()) == sorted(
        b.keys_file for b in manifest.batches.values())

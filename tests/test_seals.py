"""Batch seals: a changed or broken eddsa-rdfc-2022 proof cannot be published.

The build does not RDF-canonicalize every award (several ms each); it verifies each batch file's
seal (the issuing key's signature over the file's SHA-256, written by every command that writes a
batch, after it verified both proofs). So an rdfc proof edited in a batch, with the JCS proof left
intact, is refused by ``build`` and ``check``, naming the seal file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from sitekit import MiniSite, award_row, tree_snapshot

from credsite.build.pipeline import build_site
from credsite.content.awards import batch_files, seal_path
from credsite.errors import BuildError
from credsite.issuer import keys
from credsite.trust.seal import make_seal


def _break_rdfc(site: MiniSite, batch: Path | None = None) -> Path:
    """Change one character of the rdfc proofValue of the first award of ``batch`` (default: the
    site's first batch file), nothing else."""
    batch = batch or batch_files(site.content)[0]
    lines = batch.read_bytes().splitlines()
    credential = json.loads(lines[0])
    value = credential["proof"][1]["proofValue"]
    changed = value[:-1] + ("2" if value[-1] != "2" else "3")
    lines[0] = lines[0].replace(value.encode(), changed.encode())
    batch.write_bytes(b"\n".join(lines) + b"\n")
    return batch


def test_issue_writes_a_seal_that_the_build_accepts(mini_site: MiniSite) -> None:
    mini_site.issue([award_row(), award_row(name="Alan Turing")])
    [batch] = batch_files(mini_site.content)
    seal = json.loads(seal_path(batch).read_bytes())
    assert seal["type"] == "CredsiteBatchSeal" and seal["batch"] == batch.name
    assert seal["verificationMethod"] == f"{mini_site.site.did}#{mini_site.signer.key_id}"
    assert "WARNING" not in build_site(mini_site.content, mini_site.root / "out", quiet=True)


def test_a_changed_rdfc_proof_is_not_published(mini_site: MiniSite, run_cli: Any) -> None:
    mini_site.issue([award_row(), award_row(name="Alan Turing")])
    out = mini_site.build()
    before = tree_snapshot(out)
    batch = _break_rdfc(mini_site)
    with pytest.raises(BuildError) as failure:
        build_site(mini_site.content, out, quiet=True)
    assert f"{seal_path(batch)}: [seal] the batch file changed after it was sealed" in str(failure.value)
    assert tree_snapshot(out) == before  # nothing published
    code, out_text, _ = run_cli("check", "--content", mini_site.content)
    assert code == 1 and "[seal]" in out_text
    code, out_text, _ = run_cli("verify", "--content", mini_site.content)  # checks the rdfc proof
    assert code == 1 and "eddsa-rdfc-2022 signature does not match" in out_text


def test_a_batch_with_rdfc_proofs_needs_a_seal_by_a_site_key(mini_site: MiniSite) -> None:
    mini_site.issue([award_row()])
    [batch] = batch_files(mini_site.content)
    seal_path(batch).unlink()
    with pytest.raises(BuildError, match="has eddsa-rdfc-2022 proofs but no seal"):
        build_site(mini_site.content, mini_site.root / "out", quiet=True)
    stranger = keys.generate("key-1")  # same key id, another key: not the site's
    data = batch.read_bytes()
    seal = make_seal(batch.name, data, stranger.sign, f"{mini_site.site.did}#key-1", "2026-01-01T00:00:00Z")
    seal_path(batch).write_text(json.dumps(seal), encoding="utf-8")
    with pytest.raises(BuildError, match=r"\[seal\] the seal's signature does not verify"):
        build_site(mini_site.content, mini_site.root / "out", quiet=True)
    renamed = dict(seal, batch="other.jsonl")
    seal_path(batch).write_text(json.dumps(renamed), encoding="utf-8")
    with pytest.raises(BuildError, match="the seal is for 'other.jsonl'"):
        build_site(mini_site.content, mini_site.root / "out", quiet=True)



def test_a_rebuild_checks_the_seals_of_changed_batches_and_all_after_a_site_change(
        mini_site: MiniSite) -> None:
    """The build remembers which batches' seals verified, with the size and modification time of
    each batch and seal (beside its manifest, as the manifest remembers verified credentials), and
    checks only changed ones again; any change to site.yaml (the keys) checks every seal again."""
    mini_site.issue([award_row()])
    out = mini_site.build()
    cache = out.parent / ".credsite-cache" / f"{out.name}.seals.json"
    [batch] = batch_files(mini_site.content)
    assert list(json.loads(cache.read_bytes())["batches"]) == [f"awards/{batch.name}"]
    mini_site.issue([award_row(name="Alan Turing")])
    build_site(mini_site.content, out, quiet=True)
    assert len(json.loads(cache.read_bytes())["batches"]) == 2
    stat = batch.stat()
    _break_rdfc(mini_site, batch)  # by path: two batches made in one second sort by their suffix
    os.utime(batch, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size and time
    with mini_site.site_yaml.open("a", encoding="utf-8") as handle:
        handle.write("# edited\n")
    with pytest.raises(BuildError) as failure:
        build_site(mini_site.content, out, quiet=True)
    assert f"{seal_path(batch)}: [seal] the batch file changed after it was sealed" in str(failure.value)

"""Key rotation on the Python side: the authorization chain in site.yaml, `keygen --rotate-from`,
compromise and `reissue` (the browser side is tests/browser/test_e2e_lifecycle.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from sitekit import MiniSite, make_site, row

from credsite.cli.commands import main
from credsite.content.awards import batch_files
from credsite.content.site import load_site
from credsite.errors import ContentError
from credsite.issuer import keys
from credsite.issuer.rotation import authorize, entry_yaml


def keygen(site: MiniSite, capsys: pytest.CaptureFixture[str], *extra: str,
           key_id: str = "key-2") -> tuple[Path, str]:
    """`credsite keygen --rotate-from key-1`; returns the key file and the printed entry."""
    path = site.root / f"{key_id}.key"
    assert main(["keygen", "--out", str(path), "--id", key_id, "--no-passphrase",
                 "--rotate-from", str(site.key_path), "--content", str(site.content), *extra]) == 0
    printed = capsys.readouterr().out
    return path, printed.split("site.yaml:\n", 1)[1]


def add_key_entry(site: MiniSite, entry: str) -> None:
    path = site.content / "site.yaml"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + entry.rstrip("\n") + "\n",
                    encoding="utf-8")


def mark_compromised(site: MiniSite, key_id: str, when: str) -> None:
    path = site.content / "site.yaml"
    text = path.read_text(encoding="utf-8")
    anchor = f"  - id: {key_id}\n"
    assert text.count(anchor) == 1
    path.write_text(text.replace(anchor, f"{anchor}    compromised_from: {when}\n"), encoding="utf-8")


def proof_key(site: MiniSite, cred_id: str) -> str:
    return str(site.credentials()[cred_id]["proof"][0]["verificationMethod"].rsplit("#", 1)[1])


def test_a_second_key_without_authorized_by_fails_the_build(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    site.issue([row()])
    site.build()
    other = keys.generate("key-2")
    add_key_entry(site, entry_yaml({"id": "key-2", "public_key": other.public_multikey,
                                    "valid_from": "2025-01-01T00:00:00Z"}))
    with pytest.raises(ContentError, match=r"key key-2 is not authorized.*--rotate-from"):
        site.build(tmp_path / "out2")
    assert not (tmp_path / "out2").exists()


def test_a_key_authorized_by_a_key_outside_site_yaml_fails_the_build(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    impostor = keys.generate("key-1")  # same id as the site's key, another key pair
    other = keys.generate("key-2")
    entry: dict[str, Any] = {"id": "key-2", "public_key": other.public_multikey,
                             "valid_from": "2025-01-01T00:00:00Z"}
    entry["authorized_by"] = {"key": "key-1",
                              "signature": authorize(impostor, entry, load_site(site.content).did)}
    add_key_entry(site, entry_yaml(entry))
    with pytest.raises(ContentError, match="authorization signature by key-1 does not verify"):
        site.build()


def test_keygen_rotate_from_prints_an_entry_that_builds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path, key_valid_from="2020-05-01T00:00:00Z")
    site.issue([row("Ada Lovelace", awarded="2021-03-14T15:00:00Z")])
    key_file, entry = keygen(site, capsys)
    assert re.search(r"^  - id: key-2$", entry, re.M)
    assert "authorized_by:" in entry and "key: key-1" in entry
    # The new key takes over the old key's period, so it can re-sign what the old key signed.
    assert re.search(r"valid_from: '?2020-05-01T00:00:00Z'?$", entry, re.M), entry
    add_key_entry(site, entry)
    loaded = load_site(site.content).key("key-2")
    assert loaded is not None and loaded.public_key == keys.load_signer(key_file).public_multikey
    site.signer = keys.load_signer(key_file)
    [new] = site.issue([row("Grace Hopper", awarded="2021-06-01T09:00:00Z")])
    site.build()
    assert proof_key(site, new) == "key-2"


def test_keygen_rotate_from_refuses_a_key_that_is_not_in_site_yaml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path)
    stranger = tmp_path / "stranger.key"
    keys.write_key_file(stranger, keys.generate("key-1"), None)
    code = main(["keygen", "--out", str(tmp_path / "k2"), "--id", "key-2", "--no-passphrase",
                 "--rotate-from", str(stranger), "--content", str(site.content)])
    assert code == 1
    assert "is not in" in capsys.readouterr().err
    assert not (tmp_path / "k2").exists()


def test_compromise_then_reissue_keeps_ids_and_verifies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path)
    old = site.issue([row("Ada Lovelace"), row("Alan Turing", "TEST-PB")])
    key_file, entry = keygen(site, capsys)
    add_key_entry(site, entry)
    site.signer = keys.load_signer(key_file)
    [new] = site.issue([row("Grace Hopper", awarded="2026-04-01T10:00:00Z")])
    site.build()

    mark_compromised(site, "key-1", "2026-06-01T00:00:00Z")
    # What key-1 signed is published as invalid, and nothing else fails the build.
    summary = build_summary(site)
    assert "2 invalid (signing key compromised)" in summary, summary
    did = json.loads((site.root / "output" / ".well-known" / "did.json").read_bytes())
    assert did["assertionMethod"] == [f"{did['id']}#key-2"]

    assert main(["reissue", "--from-key", "key-1", "--key", str(key_file),
                 "--content", str(site.content)]) == 0
    assert "re-signed 2 credential(s) from key key-1 with key-2" in capsys.readouterr().out
    assert {cred_id: proof_key(site, cred_id) for cred_id in [*old, new]} == dict.fromkeys(
        [*old, new], "key-2")
    summary = build_summary(site)
    assert "3 verified" in summary and "invalid" not in summary, summary
    assert main(["verify", "--content", str(site.content)]) == 0


def test_reissue_with_a_key_made_after_the_award_dates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Keys are judged by when they sign: a key valid only from this year re-signs an old award.
    site = make_site(tmp_path)
    site.issue([row("Ada Lovelace", awarded="2019-03-14T15:00:00Z")])
    key_file, entry = keygen(site, capsys, "--valid-from", "2026-05-01T00:00:00Z")
    add_key_entry(site, entry)
    assert main(["reissue", "--from-key", "key-1", "--key", str(key_file),
                 "--content", str(site.content)]) == 0
    capsys.readouterr()
    assert main(["verify", "--content", str(site.content)]) == 0


def test_reissue_refuses_a_key_past_its_valid_until(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path)
    site.issue([row("Ada Lovelace", awarded="2026-03-14T15:00:00Z")])
    key_file, entry = keygen(site, capsys)
    add_key_entry(site, entry.rstrip("\n") + "\n    valid_until: 2026-06-01T00:00:00Z\n")
    before = {p: p.read_bytes() for p in batch_files(site.content)}
    code = main(["reissue", "--from-key", "key-1", "--key", str(key_file),
                 "--content", str(site.content)])
    assert code == 1
    error = capsys.readouterr().err
    assert "key key-2 is not valid now" in error, error
    assert {p: p.read_bytes() for p in batch_files(site.content)} == before
    site.build()  # the content still builds


def build_summary(site: MiniSite) -> str:
    from credsite.build.pipeline import build_site

    return build_site(site.content, site.root / "output", quiet=True, jobs=1, incremental=False)

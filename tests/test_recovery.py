"""The recovery key made by `credsite init`: authorized in the key chain, in no DID document
relationship, refused for signing; it authorizes a new signing key when the old one is lost or
stolen, and the site goes on issuing, revoking and verifying."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from credsite.content.site import load_site
from credsite.trust.did import did_document, key_history

RunCli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def site(tmp_path: Path, run_cli: RunCli) -> Path:
    """A site made by `credsite init`, with one credential issued by key-1."""
    folder = tmp_path / "site"
    code, out, err = run_cli("init", folder, "--base-url", "https://creds.example.org",
                             "--no-passphrase")
    assert code == 0, err
    assert "recovery key: " in out and "keep that in a safe" in out
    code, _, err = run_cli("issue", folder / "results-example.csv", "--content",
                           folder / "content", "--key", folder / "signing.key")
    assert code == 0, err
    return folder


def _add_key(folder: Path, entry: str) -> None:
    """Put a key entry printed by keygen under keys: (before the freshness_keys: section)."""
    path = folder / "content" / "site.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "# the online key that signs status freshness statements"
    assert marker in text
    path.write_text(text.replace(marker, entry.rstrip("\n") + "\n" + marker), encoding="utf-8")


def _keygen_from_recovery(folder: Path, run_cli: RunCli) -> Path:
    new_key = folder / "key-2.key"
    code, out, err = run_cli("keygen", "--out", new_key, "--id", "key-2", "--no-passphrase",
                             "--rotate-from", folder / "recovery.key",
                             "--content", folder / "content")
    assert code == 0, err
    entry = out.split("site.yaml:\n", 1)[1]
    assert "key: recovery-1" in entry
    _add_key(folder, entry)
    return new_key


def test_init_makes_an_authorized_offline_recovery_key(site: Path) -> None:
    loaded = load_site(site / "content")
    recovery = loaded.key("recovery-1")
    assert recovery is not None and recovery.recovery
    assert recovery.authorized_by == "key-1"
    assert (site / "recovery.key").stat().st_mode & 0o777 == 0o600
    did = did_document(loaded)
    assert all("recovery-1" not in m["id"] for m in did["verificationMethod"])
    assert all("recovery-1" not in m for m in did["assertionMethod"])
    history = {k["id"].rsplit("#")[1]: k for k in key_history(loaded)["keys"]}
    assert history["recovery-1"]["role"] == "recovery"


def test_the_recovery_key_signs_no_credential(site: Path, run_cli: RunCli) -> None:
    csv_path = site / "more.csv"
    csv_path.write_text("name,email,code,awarded\nBo Example,bo@example.org,EXAMPLE-1,2025-01-02\n",
                        encoding="utf-8")
    code, out, err = run_cli("issue", csv_path, "--content", site / "content",
                             "--key", site / "recovery.key")
    assert (code, out) == (1, "")
    assert "key recovery-1 is the recovery key: it signs no credential" in err
    code, _, err = run_cli("revoke", "7QK2M9XRD4T8VNPA", "--reason", "x", "--content",
                           site / "content", "--key", site / "recovery.key")
    assert code == 1 and "is the recovery key" in err


def test_a_lost_signing_key_is_replaced_with_the_recovery_key(site: Path, run_cli: RunCli) -> None:
    content = site / "content"
    [old_id] = [json.loads(line)["id"].rsplit("/", 1)[1] for path in (content / "awards").glob("*.jsonl")
                for line in path.read_text(encoding="utf-8").splitlines()]
    (site / "signing.key").unlink()  # lost
    new_key = _keygen_from_recovery(site, run_cli)
    code, out, _ = run_cli("check", "--content", content)
    assert code == 0, out  # the chain key-1 → recovery-1 → key-2 holds
    csv_path = site / "after.csv"
    csv_path.write_text("name,email,code,awarded\nBo Example,bo@example.org,EXAMPLE-1,2025-01-02\n",
                        encoding="utf-8")
    code, out, err = run_cli("issue", csv_path, "--content", content, "--key", new_key)
    assert code == 0, err
    code, out, err = run_cli("revoke", old_id, "--reason", "issued in error", "--content",
                             content, "--key", new_key)
    assert code == 0, err
    code, out, _ = run_cli("verify", "--content", content)
    assert f"REVOKED {old_id}" in out and out.count("OK ") == 1, out
    code, out, _ = run_cli("build", "--content", content, "--out", site / "output", "--quiet")
    assert code == 0, out


def test_a_stolen_signing_key_is_replaced_and_its_credentials_reissued(site: Path,
                                                                       run_cli: RunCli) -> None:
    content = site / "content"
    path = content / "site.yaml"
    text = path.read_text(encoding="utf-8")
    stolen = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # after init
    path.write_text(text.replace("  - id: key-1\n", f"  - id: key-1\n    compromised_from: {stolen}\n",
                                 1), encoding="utf-8")
    code, out, _ = run_cli("verify", "--content", content)
    assert code == 1 and "signing key compromised" in out
    new_key = _keygen_from_recovery(site, run_cli)
    code, out, err = run_cli("reissue", "--from-key", "key-1", "--key", new_key,
                             "--content", content)
    assert code == 0, err
    code, out, _ = run_cli("verify", "--content", content)
    assert code == 0 and out.splitlines()[-1] == "all verified", out

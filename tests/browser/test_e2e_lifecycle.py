"""End to end through the maintainer's command line: revoke, rotate keys, mark a key compromised,
reissue; each step rebuilt with the real build and checked by the real verifier in Chromium.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import gzip
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from e2e_kit import CHECK_NAMES, open_and_verify, run_cli
from sitekit import MiniSite, make_site, row


def serve_and_make_site(tmp_path: Path, serve_dir: Callable[..., str]) -> tuple[MiniSite, Path, str]:
    out = tmp_path / "out"
    base = serve_dir(out)
    return make_site(tmp_path / "site", base), out, base


def assert_verified(result: Any) -> None:
    expected = {name: "passed" for name in CHECK_NAMES}
    expected["catalog"] = "not-checked"
    assert result.verdict == "verified", result.summary()
    assert result.statuses() == expected, result.summary()


def build(site: MiniSite, out: Path) -> str:
    return run_cli("build", "--content", str(site.content), "--out", str(out), "--quiet").stdout


# --------------------------------------------------------------------------- 8. revocation


def _status_bits(document: dict[str, Any]) -> bytearray:
    encoded = document["credentialSubject"]["encodedList"]
    assert encoded.startswith("u")
    body = encoded[1:]
    return bytearray(gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))))


def _with_bits(document: dict[str, Any], bits: bytearray) -> dict[str, Any]:
    encoded = base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).rstrip(b"=").decode()
    forged: dict[str, Any] = json.loads(json.dumps(document))
    forged["credentialSubject"]["encodedList"] = "u" + encoded
    return forged


def test_revocation_shows_on_the_page_and_a_forged_status_list_cannot_verify(
    tmp_path: Path, serve_dir: Callable[..., str], new_page: Callable[..., Any]
) -> None:
    site, out, base = serve_and_make_site(tmp_path, serve_dir)
    revoked, kept = site.issue([row("Ada Lovelace"), row("Grace Hopper", "TEST-PB")])
    build(site, out)
    page = new_page()
    assert_verified(open_and_verify(page, f"{base}/c/{revoked}"))

    typed = "-".join(revoked[i:i + 4] for i in range(0, 16, 4)).lower()  # the CLI normalises IDs
    printed = run_cli("revoke", typed, "--reason", "Issued in error", "--key", str(site.key_path),
                      "--content", str(site.content)).stdout
    assert f"{revoked} revoked on" in printed
    build(site, out)

    result = open_and_verify(page, f"{base}/c/{revoked}")
    assert result.verdict == "revoked", result.summary()
    assert result.title == "Revoked"
    assert result.check("status").status == "failed", result.summary()
    assert "has revoked" in result.text
    notice = page.locator(".notice-revoked")
    assert notice.count() == 1 and notice.is_visible()
    assert "Issued in error" in notice.inner_text()
    assert "Issued in error" in page.locator("main").inner_text()
    assert {n: s for n, s in result.statuses().items() if n != "status"} == {
        n: ("not-checked" if n == "catalog" else "passed") for n in CHECK_NAMES if n != "status"}
    assert_verified(open_and_verify(page, f"{base}/c/{kept}"))
    assert page.locator(".notice-revoked").count() == 0

    # Forge the published status list: clear the bit, keep the old proof.
    index = int(json.loads((out / "c" / f"{revoked}.json").read_bytes())
                ["credentialStatus"]["statusListIndex"])
    status_file = out / "status" / "1"
    document = json.loads(status_file.read_bytes())
    bits = _status_bits(document)
    assert bits[index // 8] & (0x80 >> (index % 8))
    bits[index // 8] &= ~(0x80 >> (index % 8)) & 0xFF
    forged = _with_bits(document, bits)
    assert _status_bits(forged)[index // 8] & (0x80 >> (index % 8)) == 0
    status_file.write_text(json.dumps(forged, separators=(",", ":")), encoding="utf-8")

    for cred_id in (revoked, kept):
        result = open_and_verify(page, f"{base}/c/{cred_id}")
        assert result.verdict == "cannot-verify", f"{cred_id}: {result.summary()}"
        status = result.check("status")
        assert status.status == "not-checked", result.summary()
        assert "not validly signed" in status.reason, result.summary()
        assert "Verified" not in result.text
    assert page.credsite_errors == []


# --------------------------------------------------------------------------- 9. key rotation


def _issue_with(site: MiniSite, key_file: Path, rows: list[dict[str, str]]) -> list[str]:
    results = site.root / f"results-{key_file.name}-{len(list(site.root.glob('results-*')))}.csv"
    with results.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    printed = run_cli("issue", str(results), "--key", str(key_file), "--content", str(site.content))
    return re.findall(r"^([0-9A-Z]{16})  http", printed.stdout, re.M)


def _signing_key_of(out: Path, cred_id: str) -> str:
    credential = json.loads((out / "c" / f"{cred_id}.json").read_bytes())
    return str(credential["proof"][0]["verificationMethod"].rsplit("#", 1)[1])


def test_key_rotation_compromise_and_reissue(
    tmp_path: Path, serve_dir: Callable[..., str], new_page: Callable[..., Any]
) -> None:
    site, out, base = serve_and_make_site(tmp_path, serve_dir)
    [old] = site.issue([row("Ada Lovelace", "TEST-MMS", "2026-03-14T15:00:00Z")])
    build(site, out)
    page = new_page()
    assert_verified(open_and_verify(page, f"{base}/c/{old}"))

    # Rotate: key-2, authorized by key-1, is added to site.yaml as keygen prints it.
    new_key = site.root / "k2"
    printed = run_cli("keygen", "--out", str(new_key), "--id", "key-2", "--no-passphrase",
                      "--rotate-from", str(site.key_path), "--content", str(site.content)).stdout
    entry = printed.split("site.yaml:\n", 1)[1]
    assert "authorized_by" in entry and "key: key-1" in entry, printed
    site_yaml = site.content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").rstrip("\n") + "\n" + entry + "\n",
                         encoding="utf-8")
    [new] = _issue_with(site, new_key, [row("Grace Hopper", "TEST-PB", "2026-04-01T10:00:00Z")])
    build(site, out)
    assert (_signing_key_of(out, old), _signing_key_of(out, new)) == ("key-1", "key-2")
    for cred_id in (old, new):
        assert_verified(open_and_verify(page, f"{base}/c/{cred_id}"))

    # key-1 is compromised: what it signed is Invalid.
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = site_yaml.read_text(encoding="utf-8")
    key1 = "  - id: key-1\n"
    assert text.count(key1) == 1
    site_yaml.write_text(text.replace(key1, f"{key1}    compromised_from: {now}\n"), encoding="utf-8")
    summary = build(site, out)
    assert "compromised" in summary, summary
    result = open_and_verify(page, f"{base}/c/{old}")
    assert result.verdict == "invalid", result.summary()
    assert "compromised" in result.check("issuer-key").reason, result.summary()
    assert "Verified" not in result.text
    # The status list was signed by key-1 too: until it is reissued nothing can be fully checked.
    result = open_and_verify(page, f"{base}/c/{new}")
    assert result.verdict == "cannot-verify", result.summary()
    assert result.check("signature").status == "passed", result.summary()

    # Reissue everything key-1 signed with key-2: same IDs, same URLs, verified again.
    printed = run_cli("reissue", "--from-key", "key-1", "--key", str(new_key),
                      "--content", str(site.content)).stdout
    assert "re-signed 1 credential(s)" in printed, printed
    build(site, out)
    assert _signing_key_of(out, old) == "key-2"
    for cred_id in (old, new):
        result = open_and_verify(page, f"{base}/c/{cred_id}")
        assert page.url == f"{base}/c/{cred_id}"
        assert_verified(result)
    assert page.credsite_errors == []

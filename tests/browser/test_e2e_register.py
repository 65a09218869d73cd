"""End to end for a body that takes over a register of past awards: built by the real build,
served over HTTP, verified by the real verifier scripts in headless Chromium."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from e2e_kit import CHECK_NAMES, open_and_verify, run_cli
from sitekit import make_site, row


def test_a_key_made_today_verifies_awards_dated_years_ago(
    tmp_path: Path, serve_dir: Callable[..., str], new_page: Callable[..., Any]
) -> None:
    out = tmp_path / "out"
    base = serve_dir(out)
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT00:00:00Z")
    site = make_site(tmp_path / "site", base, key_valid_from=today)
    ids = site.issue([row("Ada Lovelace", "TEST-MMS", "2009-06-12T15:00:00Z"),
                      row("Grace Hopper", "TEST-PB", "2017-09-01")])
    site.build(out)
    did = json.loads((out / ".well-known" / "did.json").read_bytes())
    assert did["verificationMethod"][0]["credsite:validFrom"] == today
    page = new_page()
    for cred_id in ids:
        result = open_and_verify(page, f"{base}/c/{cred_id}")
        assert result.verdict == "verified", result.summary()
        expected = dict.fromkeys(CHECK_NAMES, "passed") | {"catalog": "not-checked"}
        assert result.statuses() == expected, result.summary()
        assert result.title == "Verified"


def test_the_readme_walk_through_from_init_to_a_verified_site(
    tmp_path: Path, serve_dir: Callable[..., str], new_page: Callable[..., Any]
) -> None:
    """README, "Taking over a register of past awards": init for the site's address, a dry run,
    the import of historic awards with test sites, check and build; then Chromium."""
    out = tmp_path / "out"
    base = serve_dir(out)  # the "deployed" address
    folder = tmp_path / "acme"
    run_cli("init", str(folder), "--base-url", base, "--no-passphrase")
    content, key = str(folder / "content"), str(folder / "signing.key")
    export = folder / "register-export.csv"
    export.write_text(
        "name;email;code;awarded;test_site;old_no\n"
        "José Müller;jose@example.org;EXAMPLE-1;1998-06-12;Lakeside Technical College;A-1\n"
        "Grace Hopper;grace@example.org;EXAMPLE-1;2023-02-01;Hilltop Institute;A-2\n",
        encoding="utf-8")
    dry = run_cli("import", str(export), "--content", content, "--key", key, "--dry-run")
    assert "dry run: 2 credential(s) would be issued" in dry.stdout
    assert list((folder / "content" / "awards").iterdir()) == []
    done = run_cli("import", str(export), "--content", content, "--key", key)
    assert "already expired on June 12, 2003" in done.stderr  # 5 years of validity, in 2003
    ids = re.findall(r"^([0-9A-Z]{16})  http", done.stdout, re.M)
    report = next(folder.glob("register-export.*.csv")).read_text(encoding="utf-8")
    assert all(cred_id in report for cred_id in ids)
    run_cli("check", "--content", content)
    run_cli("freshness-sign", "--content", content, "--key", str(folder / "freshness.key"))
    run_cli("build", "--content", content, "--out", str(out), "--quiet")
    page = new_page()
    old, recent = (open_and_verify(page, f"{base}/c/{cred_id}") for cred_id in ids)
    assert old.verdict == "expired", old.summary()  # genuine, lapsed in 2003
    assert old.check("issuer-key").status == "passed", old.summary()
    assert recent.verdict == "verified", recent.summary()
    assert recent.title == "Verified"
    assert run_cli("find", "jose", "--content", content).stdout.startswith(ids[0])

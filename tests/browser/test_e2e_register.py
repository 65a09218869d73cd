"""End to end for a body that takes over a register of past awards: built by the real build,
served over HTTP, verified by the real verifier scripts in headless Chromium."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from e2e_kit import CHECK_NAMES, open_and_verify
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

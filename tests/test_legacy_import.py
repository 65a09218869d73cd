"""Importing a legacy register: `credsite import` of past awards with historic dates and test
sites, signed by a key made today; all or nothing; progress reported for every row."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from sitekit import VALIDITY_CODE, MiniSite

from credsite.content.register import load_register
from credsite.issuer import issuance

RunCli = Callable[..., tuple[int, str, str]]
MakeSite = Callable[..., MiniSite]


def _legacy_csv(path: Path, rows: int, bad_row: int | None = None) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")  # a spreadsheet export from the old system
        writer.writerow(["name", "email", "code", "awarded", "test_site", "old_certificate_no"])
        for i in range(rows):
            code = VALIDITY_CODE if i % 2 else "TEST-MMS"
            year = 1998 + i % 25
            awarded = "31/12/2001" if i == bad_row else f"{year}-0{1 + i % 9}-1{i % 10}"
            writer.writerow([f"Holder {i}", f"h{i}@example.org", code, awarded,
                             ("Lakeside", "Hilltop")[i % 2], f"C-{i:05d}"])
    return path


def test_a_legacy_register_imports_with_a_key_made_today(make_site: MakeSite,
                                                         run_cli: RunCli) -> None:
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT00:00:00Z")
    site = make_site(key_valid_from=today)
    legacy = _legacy_csv(site.root / "legacy.csv", 60)
    code, out, err = run_cli("import", legacy, "--content", site.content, "--key", site.key_path)
    assert code == 0, err
    assert f"issued 60 credential(s) into {site.batches()[0]}" in out
    assert "ignoring column(s) 'old_certificate_no'" in err
    # 30 TEST-CNC awards (5 years) from 1998 on: most already expired, summarized after ten.
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 6, err
    assert warnings[-1].startswith("warning: … and ") and "more of the same kind" in warnings[-1]
    code, out, _ = run_cli("verify", "--content", site.content)
    assert out.count("OK ") + out.count("EXPIRED ") == 60 and "FAIL" not in out, out
    assert len(load_register(site.content)) == 60
    site.build()
    code, out, _ = run_cli("stats", "--content", site.content)
    assert "Lakeside" in out and "1998-01" in out


def test_one_bad_row_imports_nothing(mini_site: MiniSite, run_cli: RunCli) -> None:
    site = mini_site
    before = site.snapshot()
    legacy = _legacy_csv(site.root / "legacy.csv", 200, bad_row=150)
    code, out, err = run_cli("import", legacy, "--content", site.content, "--key", site.key_path)
    assert (code, out) == (1, "")
    assert f"{legacy}:152: " in err and "1 bad row found" in err
    assert site.snapshot() == before


def test_progress_counts_every_row_signed_and_verified(mini_site: MiniSite) -> None:
    site = mini_site
    legacy = _legacy_csv(site.root / "legacy.csv", 25)
    awards = issuance.parse_results(legacy, site.catalog, dt.datetime.now(dt.UTC))
    steps: list[int] = []
    issuance.sign_batch(site.content, site.site, site.catalog, awards, site.signer,
                        progress=steps.append)
    assert steps == [1] * 50
    assert site.batches() == []  # signing alone writes nothing

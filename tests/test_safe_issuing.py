"""Safe issuing: --dry-run, duplicates within a CSV and against issued awards, a local base URL,
extra columns, the CSV delimiter."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sitekit import MiniSite, award_row

RunCli = Callable[..., tuple[int, str, str]]


def _issue(site: MiniSite, run_cli: RunCli, csv_path: Path, *extra: str) -> tuple[int, str, str]:
    return run_cli("issue", csv_path, "--content", site.content, "--key", site.key_path, *extra)


def _write(site: MiniSite, name: str, text: str) -> Path:
    path = site.root / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- dry run


def test_dry_run_prints_what_it_would_issue_and_writes_nothing(mini_site: MiniSite,
                                                               run_cli: RunCli) -> None:
    site = mini_site
    before = site.snapshot()
    csv_path = site.write_csv([award_row(), award_row(name="Grace Hopper", code="TEST-PB",
                                                      email="grace@example.org")])
    code, out, err = _issue(site, run_cli, csv_path, "--dry-run")
    assert code == 0, err
    assert out.splitlines() == [
        f"would issue  {csv_path}:2  TEST-MMS  2026-03-14T15:00:00Z  Ada Lovelace",
        f"would issue  {csv_path}:3  TEST-PB  2026-03-14T15:00:00Z  Grace Hopper",
        "dry run: 2 credential(s) would be issued, each verified as signed; nothing was written",
    ]
    assert site.snapshot() == before
    assert sorted(p.name for p in site.root.glob("*.csv")) == [csv_path.name]  # no report
    code, _, err = _issue(site, run_cli, csv_path)  # the real run still works
    assert code == 0, err


def test_dry_run_refuses_what_the_real_run_refuses(mini_site: MiniSite, run_cli: RunCli) -> None:
    site = mini_site
    csv_path = site.write_csv([award_row(code="NOPE-1")])
    code, out, err = _issue(site, run_cli, csv_path, "--dry-run")
    assert code == 1 and out == ""
    assert f"{csv_path}:2: unknown credential code 'NOPE-1'" in err


# --------------------------------------------------------------------------- duplicates


def test_a_row_repeated_in_one_csv_is_refused(mini_site: MiniSite, run_cli: RunCli) -> None:
    site = mini_site
    before = site.snapshot()
    rows = [award_row(), award_row(name="Grace Hopper", email="grace@example.org"),
            award_row(awarded="2026-03-14T09:00:00Z")]  # same holder, code and day
    csv_path = site.write_csv(rows)
    code, out, err = _issue(site, run_cli, csv_path)
    assert code == 1 and out == ""
    assert err == (f"error: {csv_path}:4: duplicate: Ada Lovelace already has TEST-MMS awarded "
                   "on 2026-03-14 (row 2 of this file); pass --allow-duplicates to issue it "
                   "again\n1 duplicate row found\n")
    assert site.snapshot() == before
    code, out, err = _issue(site, run_cli, csv_path, "--allow-duplicates")
    assert code == 0, err
    assert "issued 3 credential(s)" in out


def test_running_the_same_csv_twice_is_refused(mini_site: MiniSite, run_cli: RunCli) -> None:
    site = mini_site
    csv_path = site.write_csv([award_row(), award_row(name="Grace Hopper", code="TEST-PB",
                                                      email="grace@example.org")])
    code, out, err = _issue(site, run_cli, csv_path)
    assert code == 0, err
    first_id = out.split()[0]
    [batch] = site.batches()
    before = site.snapshot()
    code, out, err = _issue(site, run_cli, csv_path)
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0] == (f"error: {csv_path}:2: duplicate: Ada Lovelace already has TEST-MMS "
                        f"awarded on 2026-03-14 (credential {first_id} ({batch}:1)); pass "
                        "--allow-duplicates to issue it again")
    assert lines[-1] == "2 duplicate rows found"
    assert site.snapshot() == before


def test_the_same_holder_is_found_by_email_or_by_name(mini_site: MiniSite,
                                                      run_cli: RunCli) -> None:
    site = mini_site
    assert _issue(site, run_cli, site.write_csv([award_row(name="Zoë Müller",
                                                           email="zoe@example.org")]))[0] == 0
    # The name spelled otherwise, the same address (from the private register): a duplicate.
    code, _, err = _issue(site, run_cli, site.write_csv([award_row(name="Zoe Muller",
                                                                   email="ZOE@example.org")]))
    assert code == 1 and "duplicate: Zoe Muller already has TEST-MMS" in err
    # The same name, case and spacing aside, without an address: a duplicate.
    code, _, err = _issue(site, run_cli, site.write_csv([award_row(name=" zoë  MÜLLER",
                                                                   email="")]))
    assert code == 1 and "duplicate:" in err
    # Two people of one name with their own addresses: not a duplicate.
    code, _, err = _issue(site, run_cli, site.write_csv([award_row(name="Zoë Müller",
                                                                   email="zoe.m2@example.org")]))
    assert code == 0, err
    # Another day, or another credential: not a duplicate.
    code, _, err = _issue(site, run_cli, site.write_csv([
        award_row(name="Zoë Müller", email="zoe@example.org", awarded="2026-03-15"),
        award_row(name="Zoë Müller", email="zoe@example.org", code="TEST-PB")]))
    assert code == 0, err


def test_an_award_stored_with_a_time_zone_offset_is_found_on_its_utc_day(
        mini_site: MiniSite, run_cli: RunCli) -> None:
    """Only records holding the row's code and its day (or a neighbouring day, which an offset
    gives) are parsed (issue 20); this one's text says the 13th, its UTC day is the 14th."""
    site = mini_site
    [cred_id] = site.issue([award_row(name="Ada Lovelace", email="")])
    site.rewrite(cred_id, lambda c: c.update(validFrom="2026-03-13T23:00:00-05:00"), resign=True)
    assert "2026-03-14" not in site.batches()[0].read_text(encoding="utf-8")
    code, _, err = _issue(site, run_cli, site.write_csv([award_row(
        name="Ada Lovelace", email="", awarded="2026-03-14T09:00:00Z")]))
    assert code == 1 and f"already has TEST-MMS awarded on 2026-03-14 (credential {cred_id}" in err
    code, _, err = _issue(site, run_cli, site.write_csv([award_row(
        name="Ada Lovelace", email="", awarded="2026-03-16T09:00:00Z")]))
    assert code == 0, err


# --------------------------------------------------------------------------- local base URL


def _not_a_demo(site: MiniSite) -> None:
    text = site.site_yaml.read_text(encoding="utf-8")
    site.site_yaml.write_text(text.replace("demo: true", "demo: false"), encoding="utf-8")


def test_issuing_for_a_local_address_warns(mini_site: MiniSite, run_cli: RunCli) -> None:
    site = mini_site
    _not_a_demo(site)
    code, _, err = _issue(site, run_cli, site.write_csv([award_row()]))
    assert code == 0
    assert err == (f"warning: {site.site_yaml}: base_url http://127.0.0.1:8765 is a local "
                   "address, and it is signed into every credential: they will verify only "
                   "there. Set base_url to the site's public address before issuing for real "
                   "(this is fine for a trial site)\n")


def test_strict_refuses_a_local_address(mini_site: MiniSite, run_cli: RunCli) -> None:
    site = mini_site
    _not_a_demo(site)
    before = site.snapshot()
    code, out, err = _issue(site, run_cli, site.write_csv([award_row()]), "--strict")
    assert code == 1 and out == ""
    assert err.startswith(f"error: {site.site_yaml}: base_url http://127.0.0.1:8765 is a local")
    assert err.endswith("; refused with --strict\n")
    assert site.snapshot() == before


@pytest.mark.parametrize(("url", "local"), [
    ("http://localhost:8000", True), ("http://10.1.2.3", True), ("http://[::1]:8080", True),
    ("http://creds.local", True), ("http://192.168.0.4/creds", True),
    ("https://credentials.example.org", False), ("https://acme.github.io/creds", False),
    ("https://8.8.8.8", False),
])
def test_local_addresses(url: str, local: bool) -> None:
    from credsite.issuer.admission import is_local_address

    assert is_local_address(url) is local


def test_a_trial_site_is_not_warned(mini_site: MiniSite, run_cli: RunCli) -> None:
    code, _, err = _issue(mini_site, run_cli, mini_site.write_csv([award_row()]))  # demo: true
    assert (code, err) == (0, "")


# --------------------------------------------------------------------------- CSV shape


def test_unknown_columns_are_ignored_with_a_note(mini_site: MiniSite, run_cli: RunCli) -> None:
    site = mini_site
    csv_path = _write(site, "export.csv", "candidate_no,name,email,code,awarded,grade\n"
                      "4711,Ada Lovelace,ada@example.org,TEST-MMS,2026-03-14,A\n")
    code, out, err = _issue(site, run_cli, csv_path)
    assert code == 0, err
    assert err == (f"note: {csv_path}:1: ignoring column(s) 'candidate_no', 'grade': credsite "
                   "reads only name, email, code, awarded, performance_result, theory_result, "
                   "test_site, holder_key\n")
    assert "issued 1 credential(s)" in out


@pytest.mark.parametrize(("label", "delimiter"), [("semicolon", ";"), ("tab", "\t")])
def test_semicolons_and_tabs_are_detected(mini_site: MiniSite, run_cli: RunCli, label: str,
                                          delimiter: str) -> None:
    site = mini_site
    header = delimiter.join(["name", "email", "code", "awarded", "theory_result", "test_site"])
    row = delimiter.join(["Müller, José", "jose@example.org", "TEST-MMS", "2026-03-14",
                          "87,5 %", "Lakeside, Hall 2"])
    csv_path = _write(site, f"{label}.csv", f"{header}\n{row}\n")
    code, out, err = _issue(site, run_cli, csv_path)
    assert code == 0, err
    [credential] = site.credentials().values()
    subject = credential["credentialSubject"]
    assert subject["identifier"][0]["identityHash"] == "Müller, José"
    assert subject["result"][0]["value"] == "87,5 %"
    assert subject["source"]["name"] == "Lakeside, Hall 2"


def test_a_file_without_a_header_line_says_what_it_must_hold(mini_site: MiniSite,
                                                             run_cli: RunCli) -> None:
    site = mini_site
    csv_path = _write(site, "noheader.csv", "Ada Lovelace|ada@example.org|TEST-MMS|2026-03-14\n")
    code, out, err = _issue(site, run_cli, csv_path)
    assert code == 1 and out == ""
    assert err == (f"error: {csv_path}:1: the first line must name the columns name, email, "
                   "code, awarded (and any of performance_result, theory_result, test_site), "
                   "separated by commas, semicolons or tabs; it is "
                   "'Ada Lovelace|ada@example.org|TEST-MMS|2026-03-14'\n")

"""Finding people again and looking after their records: find, amend, withdraw, stats, expiring."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from sitekit import VALIDITY_CODE, MiniSite, award_row

from credsite.content.inuse import used_indexes
from credsite.content.register import load_register
from credsite.content.status import load_status_lists
from credsite.trust.ids import format_credential_id

RunCli = Callable[..., tuple[int, str, str]]


def _soon(days: int) -> str:
    """An award date whose 5-year credential expires ``days`` from now."""
    moment = dt.datetime.now(dt.UTC) + dt.timedelta(days=days)
    return moment.replace(year=moment.year - 5).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def register(mini_site: MiniSite) -> tuple[MiniSite, dict[str, str]]:
    """Four holders: José (two credentials), Grace, Ada (expiring in 30 days), Alan (expired)."""
    rows = [
        award_row(name="José Müller", email="jose@example.org", test_site="Lakeside"),
        award_row(name="José Müller", email="jose@example.org", code="TEST-PB",
                  awarded="2025-11-02", test_site="Lakeside"),
        award_row(name="Grace Hopper", email="grace@example.org", code="TEST-PB",
                  test_site="Hilltop"),
        award_row(name="Ada Lovelace", email="ada@example.org", code=VALIDITY_CODE,
                  awarded=_soon(30), test_site="Hilltop"),
        award_row(name="Alan Turing", email="alan@example.org", code=VALIDITY_CODE,
                  awarded="2019-05-01", test_site="Hilltop"),
    ]
    ids = mini_site.issue(rows)
    return mini_site, dict(zip(["jose1", "jose2", "grace", "ada", "alan"], ids, strict=True))


def _find(site: MiniSite, run_cli: RunCli, text: str) -> tuple[int, list[str]]:
    code, out, _ = run_cli("find", text, "--content", site.content)
    return code, [line.split()[0] for line in out.splitlines()[:-1]]


# --------------------------------------------------------------------------- find


def test_find_by_name_email_id_code_and_holder_key(register: tuple[MiniSite, dict[str, str]],
                                                   run_cli: RunCli) -> None:
    site, ids = register
    assert _find(site, run_cli, "jose muller") == (0, [ids["jose1"], ids["jose2"]])  # accents
    assert _find(site, run_cli, "GRACE@EXAMPLE.ORG") == (0, [ids["grace"]])
    assert _find(site, run_cli, "example.org")[1] == list(ids.values())
    typed = format_credential_id(ids["ada"]).lower()  # "7qk2-m9xr-…" as read aloud
    assert _find(site, run_cli, typed) == (0, [ids["ada"]])
    assert _find(site, run_cli, "test-pb") == (0, [ids["jose2"], ids["grace"]])
    holder = load_register(site.content)[ids["jose1"]].holder
    assert _find(site, run_cli, holder) == (0, [ids["jose1"], ids["jose2"]])
    code, out, _ = run_cli("find", "Nobody Atall", "--content", site.content)
    assert code == 1 and out.startswith("nothing found for 'Nobody Atall'")


def test_find_prints_state_email_holder_key_and_url(register: tuple[MiniSite, dict[str, str]],
                                                    run_cli: RunCli) -> None:
    site, ids = register
    code, out, _ = run_cli("find", "alan", "--content", site.content)
    holder = load_register(site.content)[ids["alan"]].holder
    assert out.splitlines() == [
        f"{ids['alan']}  TEST-CNC  2019-05-01  expired  Alan Turing  alan@example.org  {holder}  "
        f"{site.base_url}/c/{ids['alan']}",
        "1 credential(s) found"]


# --------------------------------------------------------------------------- amend


def test_amend_corrects_the_name_and_revokes_the_old_record(
    register: tuple[MiniSite, dict[str, str]], run_cli: RunCli
) -> None:
    site, ids = register
    cred_id = ids["grace"]
    old = site.credential(cred_id)
    old_entry = old["credentialStatus"]
    code, out, err = run_cli("amend", cred_id, "--name", "Grace  Brewster Hopper",
                             "--content", site.content, "--key", site.key_path)
    assert code == 0, err
    assert out.startswith(f"{cred_id} amended: name 'Grace Hopper' → 'Grace Brewster Hopper'; "
                          f"status entry {old_entry['statusListCredential']}"
                          f"#{old_entry['statusListIndex']} revoked as superseded")
    new = site.credential(cred_id)
    assert new["id"] == old["id"]  # same ID and URL
    assert new["credentialSubject"]["identifier"][0]["identityHash"] == "Grace Brewster Hopper"
    assert new["credentialStatus"] != old_entry
    lists = load_status_lists(site.content, site.site)
    assert lists.check(old_entry) == ("failed", "revoked", "revoked")  # a copy of the old record: revoked
    assert lists.check(new["credentialStatus"])[:2] == ("passed", "as-published")
    assert cred_id not in lists.notes  # the credential itself is not revoked
    number, index = lists.locate(old_entry)
    assert index in used_indexes(site.content, site.site)[number]  # never handed out again
    record = load_register(site.content)[cred_id]
    assert record.name == "Grace Brewster Hopper"
    assert record.events[-1].action == "amended" and "'Grace Hopper'" in record.events[-1].detail
    code, out, _ = run_cli("verify", "--content", site.content)
    assert "EXPIRED" in out and "FAIL" not in out and "REVOKED" not in out, out
    out_dir = site.build()
    page = (out_dir / "c" / f"{cred_id}.html").read_text(encoding="utf-8")
    assert "Grace Brewster Hopper" in page and "Grace Hopper<" not in page


def test_amend_refusals(register: tuple[MiniSite, dict[str, str]], run_cli: RunCli) -> None:
    site, ids = register
    before = site.snapshot()
    code, _, err = run_cli("amend", ids["grace"], "--name", "Grace Hopper", "--content",
                           site.content, "--key", site.key_path)
    assert code == 1 and "already names 'Grace Hopper'; nothing was changed" in err
    code, _, err = run_cli("amend", ids["grace"], "--name", "Eve\u202eecilA", "--content",
                           site.content, "--key", site.key_path)
    assert code == 1 and "--name: name contains U+202E RIGHT-TO-LEFT OVERRIDE" in err
    code, _, err = run_cli("amend", "7QK2M9XRD4T8VNPA", "--name", "X", "--content",
                           site.content, "--key", site.key_path)
    assert code == 1 and "no credential 7QK2M9XRD4T8VNPA" in err
    assert site.snapshot() == before


# --------------------------------------------------------------------------- withdraw


def test_withdraw_takes_the_page_down(register: tuple[MiniSite, dict[str, str]],
                                      run_cli: RunCli) -> None:
    site, ids = register
    cred_id = ids["jose2"]
    out_dir = site.build()
    assert (out_dir / "c" / f"{cred_id}.json").is_file()
    code, out, err = run_cli("withdraw", cred_id, "--reason", "asked by e-mail on 30 Nov: "
                             "no longer wants it public", "--content", site.content,
                             "--key", site.key_path)
    assert code == 0, err
    assert out.startswith(f"{cred_id} withdrawn on ")
    record = load_register(site.content)[cred_id]
    assert record.state == "withdrawn"
    assert record.events[-1].detail == "asked by e-mail on 30 Nov: no longer wants it public"
    public_notes = (site.content / "status" / "revocations.yaml").read_text(encoding="utf-8")
    assert "withdrawn at the holder's request" in public_notes and "30 Nov" not in public_notes
    site.build(out_dir)  # an incremental rebuild
    page = (out_dir / "c" / f"{cred_id}.html").read_text(encoding="utf-8")
    assert "Credential page withdrawn" in page and "José" not in page and "TEST-PB" not in page
    assert not (out_dir / "c" / f"{cred_id}.json").exists()
    assert (out_dir / "c" / f"{ids['jose1']}.json").is_file()
    fresh = site.build(site.root / "fresh")  # and a full build
    assert not (fresh / "c" / f"{cred_id}.json").exists()
    assert "José" not in (fresh / "c" / f"{cred_id}.html").read_text(encoding="utf-8")
    code, out, _ = run_cli("find", cred_id, "--content", site.content)
    assert "withdrawn (asked by e-mail on 30 Nov: no longer wants it public)" in out
    code, out, _ = run_cli("verify", "--content", site.content)
    assert f"REVOKED {cred_id}" in out


# --------------------------------------------------------------------------- stats, expiring


def test_stats_by_credential_test_site_and_month(register: tuple[MiniSite, dict[str, str]],
                                                 run_cli: RunCli) -> None:
    site, ids = register
    run_cli("revoke", ids["grace"], "--reason", "issued in error", "--content", site.content,
            "--key", site.key_path)
    code, out, _ = run_cli("stats", "--content", site.content)
    assert code == 0
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()
            if line and not line.startswith(("credential", "test", "month", "expiring"))}
    # issued valid expired revoked withdrawn expiring
    assert rows["TEST-CNC"] == ["2", "1", "1", "0", "0", "1"]
    assert rows["TEST-PB"] == ["2", "1", "0", "1", "0", "0"]
    assert rows["TEST-MMS"] == ["1", "1", "0", "0", "0", "0"]
    assert rows["Lakeside"] == ["2", "2", "0", "0", "0", "0"]
    assert rows["Hilltop"] == ["3", "1", "1", "1", "0", "1"]
    assert rows["2019-05"] == ["1", "0", "1", "0", "0", "0"]
    assert rows["2026-03"] == ["2", "1", "0", "1", "0", "0"]
    assert out.splitlines()[-1] == "expiring = valid and expiring within 90 days"


def test_expiring_within(register: tuple[MiniSite, dict[str, str]], run_cli: RunCli) -> None:
    site, ids = register
    code, out, _ = run_cli("expiring", "--within", "90d", "--content", site.content)
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2 and lines[0].split()[1] == ids["ada"], out
    assert "Ada Lovelace  ada@example.org" in lines[0]
    assert lines[-1] == "1 credential(s) expire within 90 days"
    code, out, _ = run_cli("expiring", "--within", "2w", "--content", site.content)
    assert out.splitlines() == ["0 credential(s) expire within 14 days"]
    code, out, _ = run_cli("expiring", "--csv", "--content", site.content)
    assert out.splitlines()[0] == "valid_until,id,code,name,email,holder_key,url,link"
    assert out.splitlines()[1].split(",")[1] == ids["ada"]
    code, _, err = run_cli("expiring", "--within", "soon", "--content", site.content)
    assert code == 1 and "--within: 'soon' is not a period" in err


def test_find_works_for_awards_issued_before_the_register(mini_site: MiniSite,
                                                          run_cli: RunCli) -> None:
    site = mini_site
    [cred_id] = site.issue([award_row(name="Legacy Holder", email="legacy@example.org")])
    for path in (site.content / "register").iterdir():
        path.unlink()
    code, out, _ = run_cli("find", "legacy holder", "--content", site.content)
    assert code == 0
    assert out.splitlines()[0].startswith(f"{cred_id}  TEST-MMS  2026-03-14  valid  Legacy "
                                          "Holder  -  -  ")
    assert json.loads((site.batches()[0]).read_text().splitlines()[0])["id"].endswith(cred_id)


def test_a_merged_credential_on_a_retired_entry_is_refused(
    register: tuple[MiniSite, dict[str, str]], run_cli: RunCli
) -> None:
    """A branch made before an amend may give the amended record's old (revoked) entry to a
    new credential; check names both."""
    site, ids = register
    old_entry = site.credential(ids["grace"])["credentialStatus"]
    code, _, err = run_cli("amend", ids["grace"], "--name", "Grace B. Hopper", "--content",
                           site.content, "--key", site.key_path)
    assert code == 0, err
    site.rewrite(ids["ada"], lambda c: c.update(credentialStatus=old_entry), resign=True)
    code, out, _ = run_cli("check", "--content", site.content)
    assert code == 1
    assert (f"{ids['ada']} has the same status list entry ({old_entry['statusListCredential']} "
            f"index {old_entry['statusListIndex']}) as the retired entry of {ids['grace']}") in out

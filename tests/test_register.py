"""The private register of holders (content/register/) and the report of each issue run."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

from sitekit import VALIDITY_CODE, MiniSite, award_row

from credsite.content.register import is_holder_key, load_register, register_path

RunCli = Callable[..., tuple[int, str, str]]


def _issue(site: MiniSite, run_cli: RunCli, rows: list[dict[str, str]],
           *extra: str) -> tuple[Path, list[str], str]:
    csv_path = site.write_csv(rows)
    code, out, err = run_cli("issue", csv_path, "--content", site.content,
                             "--key", site.key_path, *extra)
    assert code == 0, err
    ids = [line.split()[0] for line in out.splitlines() if line[:1].isalnum()
           and not line.startswith(("issued", "report"))]
    return csv_path, ids, out


def test_every_issued_credential_is_in_the_register(mini_site: MiniSite, run_cli: RunCli) -> None:
    site = mini_site
    rows = [award_row(name="José Müller", email="Jose@Example.com", test_site="Lakeside"),
            award_row(name="王小明", email="", code=VALIDITY_CODE, awarded="2025-02-03")]
    csv_path, ids, _ = _issue(site, run_cli, rows)
    [batch] = site.batches()
    path = register_path(site.content, batch)
    assert path == site.content / "register" / batch.name
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in lines] == ids
    first, second = lines
    assert first["url"] == f"{site.base_url}/c/{ids[0]}"
    assert (first["name"], first["email"], first["code"]) == ("José Müller", "Jose@Example.com",
                                                              "TEST-MMS")
    assert first["awarded"] == "2026-03-14T15:00:00Z" and first["valid_until"] is None
    assert first["test_site"] == "Lakeside" and first["source"] == f"{csv_path}:2"
    assert first["state"] == "issued"
    assert first["events"][0]["action"] == "issued"
    assert first["issued"] == site.credential(ids[0])["proof"][0]["created"]
    assert (second["email"], second["valid_until"]) == (None, "2030-02-03T00:00:00Z")
    assert all(is_holder_key(r["holder"]) for r in lines)
    assert first["holder"] != second["holder"]


def test_the_holder_key_is_stable_for_an_email_address(mini_site: MiniSite,
                                                        run_cli: RunCli) -> None:
    site = mini_site
    _, [first], _ = _issue(site, run_cli, [award_row(email="ada@example.org")])
    _, [same, other], _ = _issue(site, run_cli, [
        award_row(code="TEST-PB", email="  ADA@example.ORG "),
        award_row(name="Grace Hopper", email="grace@example.org")])
    register = load_register(site.content)
    assert register[first].holder == register[same].holder
    assert register[other].holder != register[first].holder


def test_a_holder_key_column_links_a_row_to_a_holder(mini_site: MiniSite,
                                                     run_cli: RunCli) -> None:
    site = mini_site
    _, [first], _ = _issue(site, run_cli, [award_row(email="")])
    holder = load_register(site.content)[first].holder
    csv_path = site.write_csv([award_row(code="TEST-PB", email="", holder_key=holder.lower())],
                              columns=["name", "email", "code", "awarded", "holder_key"])
    code, out, err = run_cli("issue", csv_path, "--content", site.content, "--key", site.key_path)
    assert code == 0, err
    second = out.split()[0]
    assert load_register(site.content)[second].holder == holder


def test_a_bad_holder_key_is_a_bad_row(mini_site: MiniSite, run_cli: RunCli) -> None:
    site = mini_site
    csv_path = site.write_csv([award_row(holder_key="H123")],
                              columns=["name", "email", "code", "awarded", "holder_key"])
    code, _, err = run_cli("issue", csv_path, "--content", site.content, "--key", site.key_path)
    assert code == 1
    assert f"{csv_path}:2: holder_key 'H123' is not a holder key of the register" in err, err
    assert site.batches() == [] and not (site.content / "register").exists()


def test_the_report_maps_each_row_to_its_id_and_url(mini_site: MiniSite, run_cli: RunCli) -> None:
    site = mini_site
    rows = [award_row(name="Ada Lovelace", email="ada@example.org"),
            award_row(name="Grace Hopper", email="grace@example.org", code="TEST-PB")]
    csv_path, ids, out = _issue(site, run_cli, rows)
    [batch] = site.batches()
    report = csv_path.with_name(f"{csv_path.stem}.{batch.stem}.csv")
    assert out.splitlines()[-1] == f"report (row → ID and URL, for a mail merge): {report}"
    with report.open(encoding="utf-8", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert [(r["row"], r["name"], r["email"], r["id"], r["url"]) for r in table] == [
        ("2", "Ada Lovelace", "ada@example.org", ids[0], f"{site.base_url}/c/{ids[0]}"),
        ("3", "Grace Hopper", "grace@example.org", ids[1], f"{site.base_url}/c/{ids[1]}"),
    ]
    register = load_register(site.content)
    assert [r["holder_key"] for r in table] == [register[i].holder for i in ids]
    assert table[0]["id_grouped"] == "-".join(ids[0][i:i + 4] for i in range(0, 16, 4))


def test_report_path_can_be_given(mini_site: MiniSite, run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "mailmerge.csv"
    _issue(mini_site, run_cli, [award_row()], "--report", str(target))
    assert target.read_text(encoding="utf-8").startswith("row,name,email,code,awarded,id,")


def test_the_build_never_publishes_the_register(mini_site: MiniSite, run_cli: RunCli) -> None:
    site = mini_site
    _issue(site, run_cli, [award_row(email="secret.holder@example.org")])
    out = site.build()
    assert not any("register" in p.parts for p in out.rglob("*"))
    for path in out.rglob("*"):
        if path.is_file():
            assert b"secret.holder@example.org" not in path.read_bytes(), path

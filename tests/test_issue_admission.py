"""Keys judged at signing time, and `credsite issue` refusing what `verify` would call invalid.

A register of past awards: a key made today signs awards dated years before it existed; a key past
its `valid_until` signs nothing (refused before anything is written, with verify's own message);
an award that has already expired is issued with a warning, or refused with --strict.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

from sitekit import VALIDITY_CODE, MiniSite, award_row

from credsite.trust.timestamps import format_timestamp

RunCli = Callable[..., tuple[int, str, str]]
MakeSite = Callable[..., MiniSite]


def _today() -> str:
    return format_timestamp(dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0,
                                                            microsecond=0))


def _issue(site: MiniSite, run_cli: RunCli, csv_path: Path, *extra: str) -> tuple[int, str, str]:
    return run_cli("issue", csv_path, "--content", site.content, "--key", site.key_path, *extra)


def test_a_key_made_today_signs_awards_dated_years_ago(make_site: MakeSite,
                                                       run_cli: RunCli) -> None:
    site = make_site(key_valid_from=_today())
    rows = [award_row(name="Ada Lovelace", awarded="2009-06-12"),
            award_row(name="Grace Hopper", awarded="2016-02-29T10:00:00Z"),
            award_row(name="Alan Turing", awarded="2024-11-05")]
    code, out, err = _issue(site, run_cli, site.write_csv(rows))
    assert code == 0, err
    code, out, _ = run_cli("verify", "--content", site.content)
    assert code == 0 and out.count("OK ") == 3, out
    code, out, _ = run_cli("check", "--content", site.content)
    assert code == 0, out
    site.build()
    stored = site.credentials().values()
    assert sorted(c["validFrom"] for c in stored) == [
        "2009-06-12T00:00:00Z", "2016-02-29T10:00:00Z", "2024-11-05T00:00:00Z"]
    assert all(c["proof"][0]["created"] >= _today() for c in stored)


def test_a_key_past_its_valid_until_is_refused_with_verifys_message(
    mini_site: MiniSite, run_cli: RunCli
) -> None:
    site = mini_site
    path = site.content / "site.yaml"
    path.write_text(path.read_text(encoding="utf-8")
                    + "    valid_until: 2025-01-01T00:00:00Z\n", encoding="utf-8")
    before = site.snapshot()
    csv_path = site.write_csv([award_row(), award_row(name="Grace Hopper", email="grace@example.org")])
    code, out, err = _issue(site, run_cli, csv_path)
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[-1] == "2 bad rows found", err
    for number, line in enumerate(lines[:2], start=2):
        assert line.removeprefix("error: ").startswith(
            f"{csv_path}:{number}: [issuer-key] key key-1 was no longer valid when it signed on "
        ), line
        assert line.endswith("(valid until 2025-01-01T00:00:00Z)"), line
    assert site.snapshot() == before


def test_the_refusal_is_the_message_verify_prints(mini_site: MiniSite, run_cli: RunCli) -> None:
    """One code path: the issuer-key reason of `issue` is the reason `verify` gives."""
    site = mini_site
    site.issue([award_row()])
    path = site.content / "site.yaml"
    path.write_text(path.read_text(encoding="utf-8")
                    + "    valid_until: 2025-01-01T00:00:00Z\n", encoding="utf-8")
    _, out, _ = run_cli("verify", "--content", site.content)
    verify_reason = out.splitlines()[0].split("  ")[-1]
    _, _, err = _issue(site, run_cli, site.write_csv([award_row(name="Grace Hopper",
                                                               email="grace@example.org")]))
    issue_reason = err.splitlines()[0].split(": ", 2)[2]
    # The same words; only the signing moments differ.
    moment = re.compile(r"signed on \S+ ")
    assert verify_reason.startswith("[issuer-key] key key-1 was no longer valid when it signed on")
    assert moment.sub("", verify_reason) == moment.sub("", issue_reason), (verify_reason,
                                                                          issue_reason)


def test_an_already_expired_award_is_a_warning(mini_site: MiniSite, run_cli: RunCli) -> None:
    site = mini_site
    rows = [award_row(), award_row(name="Grace Hopper", code=VALIDITY_CODE, awarded="2015-05-04")]
    csv_path = site.write_csv(rows)
    code, out, err = _issue(site, run_cli, csv_path)
    assert code == 0, err
    assert f"warning: {csv_path}:3: already expired on May 4, 2020" in err, err
    assert "issued 2 credential(s)" in out
    code, out, _ = run_cli("verify", "--content", site.content)
    assert "EXPIRED" in out and out.count("OK ") == 1, out


def test_strict_refuses_an_already_expired_award(mini_site: MiniSite, run_cli: RunCli) -> None:
    site = mini_site
    before = site.snapshot()
    rows = [award_row(), award_row(name="Grace Hopper", code=VALIDITY_CODE, awarded="2015-05-04")]
    csv_path = site.write_csv(rows)
    code, out, err = _issue(site, run_cli, csv_path, "--strict")
    assert code == 1 and out == ""
    assert (f"error: {csv_path}:3: already expired on May 4, 2020 (refused with --strict)"
            in err), err
    assert site.snapshot() == before

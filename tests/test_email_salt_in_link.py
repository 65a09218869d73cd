"""Issue 16, e-mail privacy: site.yaml ``email_salt: link`` keeps the e-mail hash's salt out of
the signed credential and gives it to the holder only, in the fragment of their link.

A salt published beside the hash of a guessable address protects nothing (a guess list built
from the holder's public name finds it). With the setting, the credential holds ``sha256$…``
without ``salt``; the register keeps the salt (so that reminders can send the link again), and
the issue report and ``expiring --csv`` give the full link ``/c/<ID>#salt=…``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from sitekit import MiniSite, award_row

from credsite.content.credential import SALT, email_hash
from credsite.content.register import load_register
from credsite.errors import ContentError

RunCli = Callable[..., tuple[int, str, str]]
SCHEMA = Path("/work/shared/schemas/ob_v3p0_achievementcredential_schema.json")


def opt_in(site: MiniSite, value: str = "link") -> None:
    site.site_yaml.write_text(site.site_yaml.read_text(encoding="utf-8") +
                              f"email_salt: {value}\n", encoding="utf-8")


def issue(site: MiniSite, run_cli: RunCli, rows: list[dict[str, str]]) -> tuple[list[str], Path]:
    csv_path = site.write_csv(rows)
    code, out, err = run_cli("issue", csv_path, "--content", site.content,
                             "--key", site.key_path)
    assert code == 0, err
    ids = [line.split()[0] for line in out.splitlines() if line[:1].isalnum()
           and not line.startswith(("issued", "report"))]
    [batch] = site.batches()[-1:]
    return ids, csv_path.with_name(f"{csv_path.stem}.{batch.stem}.csv")


def email_identities(credential: dict) -> list[dict]:  # type: ignore[type-arg]
    return [i for i in credential["credentialSubject"]["identifier"]
            if i["identityType"] == "emailAddress"]


def test_opted_in_the_salt_is_only_in_the_register_and_the_link(
        mini_site: MiniSite, run_cli: RunCli) -> None:
    site = mini_site
    opt_in(site)
    ids, report = issue(site, run_cli, [
        award_row(name="Ada Lovelace", email=" Ada@Example.org "),
        award_row(name="Grace Hopper", email="", code="TEST-PB")])
    ada, grace = ids
    [identity] = email_identities(site.credential(ada))
    assert "salt" not in identity  # nothing in the signed credential gives the salt away
    assert identity["hashed"] is True and identity["identityHash"].startswith("sha256$")
    register = load_register(site.content)
    salt = register[ada].email_salt
    assert salt is not None and SALT.fullmatch(salt)
    assert identity["identityHash"] == email_hash("ada@example.org", salt)
    assert register[ada].link == f"{site.base_url}/c/{ada}#salt={salt}"
    assert register[grace].email_salt is None and register[grace].link == register[grace].url
    # the salt is not the unsalted hash either: an address alone does not find it
    assert identity["identityHash"] != email_hash("ada@example.org", "")
    # the report (the mail merge, register-export.<batch>.csv for an import) has the full link
    with report.open(encoding="utf-8", newline="") as handle:
        rows = {r["id"]: r for r in csv.DictReader(handle)}
    assert rows[ada]["link"] == f"{site.base_url}/c/{ada}#salt={salt}"
    assert rows[ada]["url"] == f"{site.base_url}/c/{ada}"
    assert rows[grace]["link"] == rows[grace]["url"]
    # and the credential is still a valid Open Badges 3.0 credential (salt is optional there)
    jsonschema.validate(site.credential(ada), json.loads(SCHEMA.read_text(encoding="utf-8")))


def test_reminders_and_find_give_the_full_link_again(mini_site: MiniSite, run_cli: RunCli) -> None:
    site = mini_site
    opt_in(site)
    [cred_id], _ = issue(site, run_cli, [award_row(code="TEST-CNC", awarded="2026-03-14")])
    link = load_register(site.content)[cred_id].link
    assert "#salt=" in link
    code, out, err = run_cli("expiring", "--within", "3650d", "--csv", "--content", site.content)
    assert code == 0, err
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert (row["id"], row["link"]) == (cred_id, link)
    code, out, err = run_cli("find", cred_id, "--content", site.content)
    assert code == 0, err
    assert link in out


def test_by_default_the_salt_stays_in_the_credential(mini_site: MiniSite, run_cli: RunCli) -> None:
    site = mini_site
    [cred_id], report = issue(site, run_cli, [award_row(email="ada@example.org")])
    [identity] = email_identities(site.credential(cred_id))
    assert identity["identityHash"] == email_hash("ada@example.org", identity["salt"])
    record = load_register(site.content)[cred_id]
    assert record.email_salt is None and record.link == record.url
    with report.open(encoding="utf-8", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["link"] == row["url"] == record.url
    # a register line written before the setting existed reads back unchanged
    line = (site.content / "register" / site.batches()[0].name).read_text(encoding="utf-8")
    assert "email_salt" not in line


def test_a_bad_setting_is_one_clear_line(mini_site: MiniSite) -> None:
    opt_in(mini_site, "fragment")
    with pytest.raises(ContentError, match="email_salt must be 'credential'.*or 'link'"):
        _ = mini_site.site

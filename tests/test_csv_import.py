"""Issuing from an exam-system CSV export: Unicode names, BOM, hashed e-mail, batch and output."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from sitekit import MiniSite, award_row

from credsite.content.status import load_status_lists
from credsite.trust.names import holder_name
from credsite.trust.verify import verify_credential

RunCli = Callable[..., tuple[int, str, str]]

NAMES = [
    "José Müller-Łukasiewicz",
    "王小明",
    "Siobhán O'Brien",
    "Zoë D’Arcy",
    "Nguyễn Thị Minh Khai",
    "Ольга Смирнова",
    "محمد عبد الله",
    "👩🏽‍🔧 Maria",  # emoji with a zero-width joiner: allowed
]
EMAILS = [f"Person.{i}@Example.ORG" for i in range(len(NAMES))]


def _rows(names: list[str]) -> list[dict[str, str]]:
    return [award_row(name=n, email=EMAILS[i], code=("TEST-MMS", "TEST-CNC", "TEST-PB")[i % 3],
                      awarded=f"2026-0{1 + i % 9}-1{i % 10}T09:30:00Z")
            for i, n in enumerate(names)]


@pytest.fixture(params=[False, True], ids=["plain", "bom"])
def issued(request: pytest.FixtureRequest, mini_site: MiniSite,
           run_cli: RunCli) -> tuple[MiniSite, Path, str]:
    """Issue NAMES from one CSV (with and without a UTF-8 BOM) through ``credsite issue``."""
    csv_path = mini_site.write_csv(_rows(NAMES), bom=request.param)
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf") == request.param
    code, out, err = run_cli("issue", csv_path, "--content", mini_site.content,
                             "--key", mini_site.key_path)
    assert code == 0, err
    assert err == ""
    return mini_site, csv_path, out


def _ids(out: str) -> list[str]:
    return [line.split()[0] for line in out.splitlines()[:-2]]


def test_stdout_lists_ids_with_urls(issued: tuple[MiniSite, Path, str]) -> None:
    site, _, out = issued
    lines = out.splitlines()
    assert len(lines) == len(NAMES) + 2
    assert lines[-1].startswith("report (row → ID and URL, for a mail merge): ")
    lines = lines[:-1]
    for line in lines[:-1]:
        match = re.fullmatch(r"([0-9A-HJKMNP-TV-Z]{16})  (\S+)", line)
        assert match, line
        assert match.group(2) == f"http://127.0.0.1:8765/c/{match.group(1)}"
    [batch] = site.batches()
    assert lines[-1] == f"issued {len(NAMES)} credential(s) into {batch}"
    assert len(set(_ids(out))) == len(NAMES)


def test_one_line_per_row_in_one_batch(issued: tuple[MiniSite, Path, str]) -> None:
    site, _, out = issued
    [batch] = site.batches()
    data = batch.read_bytes()
    assert data.endswith(b"\n")
    lines = data.split(b"\n")[:-1]
    assert len(lines) == len(NAMES)
    ids = _ids(out)
    for number, line in enumerate(lines):
        credential = json.loads(line.decode("utf-8"))
        # rows are issued in order, and the stored line is compact JSON with real UTF-8
        assert credential["id"].endswith("/" + ids[number])
        assert line == json.dumps(credential, ensure_ascii=False,
                                  separators=(",", ":")).encode("utf-8")


def test_names_are_exact_and_verify(issued: tuple[MiniSite, Path, str]) -> None:
    site, _, out = issued
    credentials = site.credentials()
    status = load_status_lists(site.content, site.site)
    now = dt.datetime.now(dt.UTC)
    for cred_id, name in zip(_ids(out), NAMES, strict=True):
        credential = credentials[cred_id]
        assert holder_name(credential) == unicodedata.normalize("NFC", name) == name
        report = verify_credential(credential, site.site, site.catalog, now, status.check)
        assert report.verdict == "verified", (name, report.checks)
    code_out = [c["credentialSubject"]["achievement"]["humanCode"]
                for c in (credentials[i] for i in _ids(out))]
    assert code_out == [r["code"] for r in _rows(NAMES)]


def test_names_are_stored_as_utf8_not_escaped(issued: tuple[MiniSite, Path, str]) -> None:
    site, _, _ = issued
    [batch] = site.batches()
    data = batch.read_bytes()
    for name in NAMES:
        assert name.encode("utf-8") in data
    assert b"\\u" not in data
    assert "\ufeff".encode() not in data


def test_email_only_as_salted_hash(issued: tuple[MiniSite, Path, str]) -> None:
    site, _, out = issued
    [batch] = site.batches()
    text = batch.read_text(encoding="utf-8").lower()
    for email in EMAILS:
        assert email.lower() not in text
        assert email.split("@")[0].lower() not in text
    salts = set()
    for cred_id, email in zip(_ids(out), EMAILS, strict=True):
        identifiers = site.credential(cred_id)["credentialSubject"]["identifier"]
        [mail] = [i for i in identifiers if i["identityType"] == "emailAddress"]
        assert mail["type"] == "IdentityObject"
        assert mail["hashed"] is True
        assert re.fullmatch(r"sha256\$[0-9a-f]{64}", mail["identityHash"])
        assert re.fullmatch(r"[A-Za-z0-9_-]{22}", mail["salt"])
        expected = hashlib.sha256((email.lower() + mail["salt"]).encode("utf-8")).hexdigest()
        assert mail["identityHash"] == f"sha256${expected}"
        salts.add(mail["salt"])
        [name] = [i for i in identifiers if i["identityType"] == "name"]
        assert name["hashed"] is False
    assert len(salts) == len(EMAILS), "every credential has its own salt"


def test_bom_does_not_reach_the_first_column(issued: tuple[MiniSite, Path, str]) -> None:
    site, _, out = issued
    first = site.credential(_ids(out)[0])
    assert holder_name(first) == NAMES[0]


def test_decomposed_names_are_stored_nfc(mini_site: MiniSite) -> None:
    decomposed = unicodedata.normalize("NFD", "José Müller-Łukasiewicz")
    assert decomposed != NAMES[0]
    [cred_id] = mini_site.issue([award_row(name=f"  {decomposed}  ",
                                           test_site=unicodedata.normalize("NFD", "Zürich"))])
    credential = mini_site.credential(cred_id)
    assert holder_name(credential) == NAMES[0]
    assert credential["credentialSubject"]["source"]["name"] == "Zürich"


def test_email_is_trimmed_and_lower_cased_before_hashing(mini_site: MiniSite) -> None:
    [cred_id] = mini_site.issue([award_row(email="  Ada.Lovelace@Example.ORG ")])
    identifiers = mini_site.credential(cred_id)["credentialSubject"]["identifier"]
    mail = identifiers[1]
    digest = hashlib.sha256(("ada.lovelace@example.org" + mail["salt"]).encode()).hexdigest()
    assert mail["identityHash"] == f"sha256${digest}"


def test_row_without_email_has_no_email_identifier(mini_site: MiniSite) -> None:
    [cred_id] = mini_site.issue([award_row(email="")])
    identifiers = mini_site.credential(cred_id)["credentialSubject"]["identifier"]
    assert [i["identityType"] for i in identifiers] == ["name"]


def test_quoted_cells_with_commas_and_newlines(mini_site: MiniSite) -> None:
    csv_path = mini_site.root / "quoted.csv"
    csv_path.write_text(
        "name,email,code,awarded,test_site\r\n"
        '"Doe, Jane",jane@example.org,test-mms,2026-03-14,"North Campus, Bay 4"\r\n'
        "\r\n"
        "Siobhán O'Brien,s@example.org,TEST-PB,2026-03-14T10:00:00+02:00,\r\n",
        encoding="utf-8")
    from credsite.issuer import issuance

    awards = issuance.parse_results(csv_path, mini_site.catalog, dt.datetime.now(dt.UTC))
    assert [a.holder_name for a in awards] == ["Doe, Jane", "Siobhán O'Brien"]
    assert [a.code for a in awards] == ["TEST-MMS", "TEST-PB"]
    assert awards[0].test_site == "North Campus, Bay 4"
    assert awards[1].test_site is None
    assert awards[1].awarded == dt.datetime(2026, 3, 14, 8, 0, tzinfo=dt.UTC)

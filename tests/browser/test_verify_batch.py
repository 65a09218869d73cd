"""Many credentials at once on /verify/ (issue 18, items 2 and 3), in Chromium.

A batch of 20 mixed items (links, typed IDs with and without the check character, a typo, unknown
IDs, text that is no credential, JSON files valid, tampered, expired and revoked, an award batch
.jsonl with two lines, a pasted JSON line) gives the right verdict on each row of one table, and
the CSV download holds the same rows. With required codes, each holder's requirements are listed.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from labsite import BASE, Lab, make_lab
from sitehost import host_site

from credsite.trust.ids import check_symbol, typed_credential_id


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Lab:
    return make_lab(tmp_path_factory.mktemp("batch"))


def open_verify(new_page: Any, lab: Lab, query: str = "", **options: Any) -> Any:
    page = new_page(accept_downloads=True, **options)
    host_site(page.context, lab.out, BASE)
    page.goto(f"{BASE}/verify/{query}")
    page.wait_for_selector("#batch:not([hidden])")
    return page


def file(name: str, text: str) -> dict[str, Any]:
    return {"name": name, "mimeType": "application/json", "buffer": text.encode("utf-8")}


def tampered(record: str) -> str:
    data = json.loads(record)
    for identifier in data["credentialSubject"]["identifier"]:
        if identifier["identityType"] == "name":
            identifier["identityHash"] = "Mallory Forger"
    return json.dumps(data)


def typo_of(cred_id: str) -> str:
    wrong = "X" if cred_id[3] != "X" else "Y"
    return typed_credential_id(cred_id[:3] + wrong + cred_id[4:])[:-1] + check_symbol(cred_id)


def test_a_batch_of_twenty_mixed_items(lab: Lab, new_page: Any) -> None:
    ids = lab.ids
    unknown = "0000000000000000"
    lines = [
        (lab.url("ada-mms"), "verified", "Ada Lovelace"),
        (lab.url("ada-cnc"), "expired", "Ada Lovelace"),
        (lab.url("ada-pb"), "revoked", "Ada Lovelace"),
        (typed_credential_id(ids["ben-mms"]), "verified", "Ben Okafor"),
        (ids["ben-pb"].lower(), "verified", "Ben Okafor"),  # no check character
        (typo_of(ids["cy-cnc"]), "typo", ""),
        (typed_credential_id(unknown), "unknown", ""),
        ("hello world", "unreadable", ""),
        (f"{BASE}/c/{unknown}", "unknown", ""),
        (lab.url("cy-cnc") + ".json", "verified", "Cy Tran"),
        (lab.record("ada-mms").strip(), "verified", "Ada Lovelace"),  # a pasted JSON line
    ]
    files = [
        (file("ada-mms.json", lab.record("ada-mms")), ["verified"], "Ada Lovelace"),
        (file("forged.json", tampered(lab.record("ben-mms"))), ["invalid"], "Mallory Forger"),
        (file("ben-pb.json", lab.record("ben-pb")), ["verified"], "Ben Okafor"),
        (file("expired.json", lab.record("ada-cnc")), ["expired"], "Ada Lovelace"),
        (file("revoked.json", lab.record("ada-pb")), ["revoked"], "Ada Lovelace"),
        (file("batch.jsonl", lab.record("cy-cnc").strip() + "\n" + lab.record("ben-mms")),
         ["verified", "verified"], None),
        (file("other.json", '{"hello": "world"}'), ["invalid"], ""),
        (file("notes.txt", "not a credential"), ["unreadable"], ""),
    ]
    expected = [verdict for _, verdict, _ in lines] + [v for _, vs, _ in files for v in vs]
    assert len(expected) == 20
    page = open_verify(new_page, lab)
    page.fill("#batch-input", "\n".join(text for text, _, _ in lines))
    page.set_input_files("#batch-files", [f for f, _, _ in files])
    page.click("#batch-button")
    page.wait_for_selector("#batch[data-checked='20']", timeout=60_000)
    rows = page.eval_on_selector_all(
        "#batch-table tbody tr",
        "rows => rows.map(r => [r.dataset.verdict, ...Array.from(r.cells).map(c => c.textContent)])")
    assert [r[0] for r in rows] == expected, rows
    holders = [holder for _, _, holder in lines] + [h for _, vs, h in files for _ in vs]
    for row, holder in zip(rows, holders, strict=True):
        if holder is not None:
            assert row[3] == holder, row
    assert rows[0][4].startswith("Measurement, Materials & Safety") and "(TEST-MMS)" in rows[0][4]
    assert rows[0][5] == "March 14, 2026"
    assert rows[1][7].startswith("expired on")
    assert "check character" in rows[5][7]
    assert "no credential with the ID 0000000000000000" in rows[6][7]
    assert page.text_content("#batch-caption") == (
        "20 items checked: 9 verified, 2 expired, 2 revoked, 1 with a typo in the ID, "
        "2 with no such credential, 2 not credentials, 2 invalid")
    assert not page.credsite_errors

    with page.expect_download() as info:
        page.click("#batch-csv")
    download = info.value
    assert download.suggested_filename.startswith("credential-check-")
    table = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert [r["verdict"] for r in table] == expected
    assert table[0]["holder"] == "Ada Lovelace" and table[0]["code"] == "TEST-MMS"
    assert table[0]["id"] == ids["ada-mms"] and table[0]["awarded"] == "March 14, 2026"
    assert table[7]["input"] == "hello world"


def test_requirements_for_each_holder(lab: Lab, new_page: Any) -> None:
    page = open_verify(new_page, lab, "?require=test-mms,TEST-PB")
    assert page.input_value("#batch-require") == "TEST-MMS, TEST-PB"
    page.fill("#batch-input", "\n".join(lab.url(k) for k in ("ada-mms", "ada-pb", "ben-mms",
                                                             "ben-pb", "cy-cnc")))
    page.click("#batch-button")
    page.wait_for_selector("#batch[data-checked='5']")
    states = page.eval_on_selector_all(
        "#batch-requirements .requirement-holder",
        "hs => hs.map(h => [h.dataset.holder, h.dataset.met, "
        "Array.from(h.querySelectorAll('li')).map(li => li.dataset.code + '=' + li.dataset.state)])")
    assert states == [
        ["Ada Lovelace", "false", ["TEST-MMS=verified", "TEST-PB=revoked"]],
        ["Ben Okafor", "true", ["TEST-MMS=verified", "TEST-PB=verified"]],
        ["Cy Tran", "false", ["TEST-MMS=missing", "TEST-PB=missing"]],
    ]
    assert "TEST-PB: revoked" in page.text_content("[data-holder='Ada Lovelace']")


def test_dropped_files_are_checked(lab: Lab, new_page: Any) -> None:
    page = open_verify(new_page, lab)
    page.evaluate(
        """records => {
             const dt = new DataTransfer();
             records.forEach((text, i) => dt.items.add(new File([text], 'c' + i + '.json')));
             const area = document.getElementById('batch-drop');
             const init = {dataTransfer: dt, bubbles: true, cancelable: true};
             area.dispatchEvent(new DragEvent('dragover', init));
             area.dispatchEvent(new DragEvent('drop', init));
           }""", [lab.record("ben-mms"), lab.record("ada-pb")])
    page.wait_for_selector("#batch[data-checked='2']")
    verdicts = page.eval_on_selector_all("#batch-table tbody tr", "rs => rs.map(r => r.dataset.verdict)")
    assert verdicts == ["verified", "revoked"]


def test_nothing_leaves_the_browser_but_the_records_asked_for(lab: Lab, new_page: Any) -> None:
    page = open_verify(new_page, lab)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(f"{r.method} {r.url}"))
    page.set_input_files("#batch-files", [file(f"{k}.json", lab.record(k)) for k in lab.ids])
    page.click("#batch-button")
    page.wait_for_selector("#batch[data-checked='6']")
    assert all(r.startswith("GET ") for r in requests), requests
    # the DID document and the status list once for the whole batch, no credential sent anywhere
    assert sorted(set(requests)) == sorted(requests), requests
    assert {r.split("/", 3)[-1] for r in requests} <= {".well-known/did.json", "status/1"}

"""The verdict vectors (tests/vectors/verdict/) through the Python checklist, credsite.trust.verify.

The browser runs the same files (tests/browser/test_verdict_vectors_in_chromium.py); both must
give the verdict and every check's status and code that the file names.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from vectors import verdict_cases

from credsite.content.status import StatusLists, verify_status_list
from credsite.errors import VerificationError
from credsite.trust.issuer import IssuerKey, Site
from credsite.trust.multibase import decode_multikey
from credsite.trust.timestamps import parse_timestamp
from credsite.trust.verify import CHECKS, PageContext, verify_credential

FILES = sorted(verdict_cases.FOLDER.glob("*.json"))


def load(path: Path) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return value


def site_of(vector: dict[str, Any]) -> Site:
    """The issuer as the vector's DID document describes it (credsite's keys are site.yaml's)."""
    doc, pinned = vector["did_document"], vector["site"]
    keys = []
    for method in doc["verificationMethod"]:
        until = method.get("credsite:validUntil")
        compromised = method.get("credsite:compromisedFrom")
        keys.append(IssuerKey(
            id=method["id"].split("#", 1)[1],
            public_key=method["publicKeyMultibase"],
            raw=decode_multikey(method["publicKeyMultibase"]),
            valid_from=parse_timestamp(method["credsite:validFrom"]),
            valid_until=parse_timestamp(until) if until else None,
            compromised_from=parse_timestamp(compromised) if compromised else None,
        ))
    site = Site(pinned["base_url"], "Credentials", pinned["issuer_name"], pinned["base_url"] + "/",
                "office@example.org", "", None, False, tuple(keys))
    assert site.did == pinned["did"] == doc["id"]
    return site


def status_lists(site: Site, documents: dict[str, Any]) -> StatusLists:
    lists = StatusLists(site)
    for url, document in documents.items():
        number = int(url.rsplit("/", 1)[1])
        try:
            lists.lists[number] = verify_status_list(document, site, number)
        except VerificationError as exc:
            lists.unusable[number] = exc.message
    return lists


def run(vector: dict[str, Any]) -> dict[str, Any]:
    site = site_of(vector)
    page = vector["page"]
    report = verify_credential(
        json.loads(vector["text"]), site, None, parse_timestamp(vector["now"]),
        status_lists(site, vector["status_lists"]).check, text=vector["text"].encode("utf-8"),
        page=PageContext(page["url"], page["framed"], page["kind"]) if page else None,
    )
    return {"verdict": report.verdict,
            "checks": {c.name: {"status": c.status, "code": c.code} for c in report.checks}}


def test_the_folder_matches_its_generator(tmp_path: Path) -> None:
    verdict_cases.write(tmp_path)
    written = sorted(p.name for p in tmp_path.glob("*.json"))
    assert written == [p.name for p in FILES]
    for name in written:
        assert (tmp_path / name).read_text(encoding="utf-8") == \
            (verdict_cases.FOLDER / name).read_text(encoding="utf-8"), name


def test_every_vector_names_every_check() -> None:
    assert len(FILES) >= 30
    for path in FILES:
        assert list(load(path)["expected"]["checks"]) == list(CHECKS), path.name


# Cases marked python: false need a network fetch that `credsite verify` does not make.
PYTHON_FILES = [p for p in FILES if load(p)["python"]]


@pytest.mark.parametrize("path", PYTHON_FILES, ids=[p.stem for p in PYTHON_FILES])
def test_python_verifier(path: Path) -> None:
    vector = load(path)
    assert run(vector) == vector["expected"], vector["description"]

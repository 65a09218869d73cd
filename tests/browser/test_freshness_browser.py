"""Status freshness in real Chromium (issue 16): a revocation cannot be undone by serving an
older status list, and a missing, expired, mismatched, tampered or rolled-back freshness
statement never gives the green Verified, but "revocation status last confirmed on <date>".

Each test builds a mini site with an online freshness key (tests/sitekit.py), serves the built
folder, then changes the SERVED files as a stale CDN, a redeployed old commit or someone on plain
HTTP would. The Python side of the same rules is tests/test_freshness.py.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from e2e_kit import open_and_verify
from sitekit import MiniSite, make_site, row

from credsite.issuer.revocation import revoke
from credsite.trust import freshness
from credsite.trust.timestamps import display_date, parse_timestamp

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
STALE_PREFIX = "revocation status last confirmed on "


@dataclass
class Served:
    site: MiniSite
    out: Path
    base: str
    ada: str
    grace: str

    def url(self, cred_id: str) -> str:
        return f"{self.base}/c/{cred_id}"

    @property
    def list_file(self) -> Path:
        return self.out / "status" / "1"

    @property
    def statement_file(self) -> Path:
        return self.out / "status" / "freshness"

    def statement(self) -> dict[str, Any]:
        return dict(json.loads(self.statement_file.read_bytes()))

    def rebuild(self) -> None:
        self.site.build(self.out)


@pytest.fixture
def served(tmp_path: Path, serve_dir: Callable[..., str]) -> Served:
    out = tmp_path / "out"
    base = serve_dir(out)
    site = make_site(tmp_path / "site", base)
    ada, grace = site.issue([row("Ada Lovelace", "TEST-MMS", "2026-03-14T15:00:00Z"),
                             row("Grace Hopper", "TEST-PB", "2026-02-02T09:30:00Z")])
    site.add_freshness_key()
    site.sign_freshness()
    site.build(out)
    return Served(site, out, base, ada, grace)


def python_status(served: Served, cred_id: str, highest: int | None = None) -> tuple[str, str]:
    """The status check of `credsite verify` (credsite.content.status.StatusLists.check) over
    the SERVED list and statement: Python and the browser must agree."""
    from credsite.content.status import StatusLists
    from credsite.trust.statuslist import Bitstring

    site = served.site.site
    document = json.loads(served.list_file.read_bytes())
    lists = StatusLists(site)
    lists.documents[1] = document
    lists.lists[1] = Bitstring.decode(document["credentialSubject"]["encodedList"])
    statement = served.statement() if served.statement_file.exists() else None
    lists.freshness = freshness.assess_statement(
        statement, site, {f"{served.base}/status/1": document},
        dt.datetime.now(dt.UTC), highest)
    credential = json.loads((served.out / "c" / f"{cred_id}.json").read_bytes())
    status, _code, reason = lists.check(credential["credentialStatus"])
    return status, reason


def assert_stale(result: Any, confirmed: str, why: str,
                 python: tuple[str, str] | None = None) -> None:
    """Cannot verify, with the status check saying when the status was last confirmed; the same
    status and date as `credsite verify` gives (``python``)."""
    if python is not None:
        assert python[0] == "warning", python
        assert python[1].startswith(STALE_PREFIX + confirmed), python
    assert result.verdict == "cannot-verify", result.summary()
    assert result.title == "Cannot verify", result.summary()
    status = result.check("status")
    assert status.status == "warning", result.summary()
    assert status.reason.startswith(STALE_PREFIX + confirmed), result.summary()
    assert why in status.reason, result.summary()
    assert f"revocation status was last confirmed on {confirmed}" in result.text, result.summary()
    assert result.check("signature").status == "passed"


def test_a_fresh_statement_verifies(served: Served, new_page: Callable[..., Any]) -> None:
    result = open_and_verify(new_page(), served.url(served.ada))
    assert result.verdict == "verified", result.summary()
    assert python_status(served, served.ada) == ("passed", "not revoked")
    statement = served.statement()
    assert (f"confirmed on {display_date(parse_timestamp(statement['validFrom']))} (freshness "
            f"statement #{statement['sequence']}") in result.check("status").reason
    assert result.check("status").code == "ok"
    assert "as published" not in result.text  # the note is for sites without a freshness key


def test_rollback_of_a_revocation_is_caught(served: Served, new_page: Callable[..., Any]) -> None:
    """The attack of issue 16: after `credsite revoke`, the previous status list is served."""
    old_list, old_statement = served.list_file.read_bytes(), served.statement_file.read_bytes()
    page = new_page()
    assert open_and_verify(page, served.url(served.ada)).verdict == "verified"
    revoke(served.site.content, served.site.site, served.site.signer, [served.ada], "in error")
    served.site.sign_freshness()
    served.rebuild()
    assert open_and_verify(page, served.url(served.ada)).verdict == "revoked"
    # A stale CDN copy of the list alone: the page says "Revoked on …" and never Verified.
    served.list_file.write_bytes(old_list)
    result = open_and_verify(page, served.url(served.ada))
    list_date = display_date(parse_timestamp(json.loads(old_list)["validFrom"]))
    assert_stale(result, list_date, "is not the one the freshness statement",
                 python_status(served, served.ada))
    assert "Revoked on" in page.inner_text("body")
    # The old list with its own (unexpired) statement, as an old deploy serves them: this
    # browser has seen the newer statement and refuses the older one.
    newest = served.statement()["sequence"]
    served.statement_file.write_bytes(old_statement)
    result = open_and_verify(page, served.url(served.ada))
    assert_stale(result, list_date, "which this browser has seen",
                 python_status(served, served.ada, highest=newest))


def test_a_lower_sequence_is_refused_and_the_highest_is_remembered(
    served: Served, new_page: Callable[..., Any],
) -> None:
    page = new_page()
    assert open_and_verify(page, served.url(served.grace)).verdict == "verified"
    sequence = served.statement()["sequence"]
    did = served.site.site.did
    stored = page.evaluate("(k) => JSON.parse(localStorage.getItem(k))",
                           f"credsite:freshness-sequence:{did}")
    assert stored == {f"{did}#freshness-1": sequence}
    lists = {f"{served.base}/status/1": json.loads(served.list_file.read_bytes())}
    signer = served.site.freshness_signer
    assert signer is not None
    lower = freshness.sign_statement(served.site.site, lists, sequence - 1, NOW, 10, signer.sign,
                                     signer.key_id)
    served.statement_file.write_text(json.dumps(lower))
    result = open_and_verify(page, served.url(served.grace))
    assert result.verdict == "cannot-verify", result.summary()
    assert f"#{sequence - 1} is older than #{sequence}" in result.check("status").reason
    assert python_status(served, served.grace, highest=sequence)[0] == "warning"
    assert python_status(served, served.grace)[0] == "passed"
    # Another visitor, who never saw the higher one, accepts it (same lists, validly signed).
    assert open_and_verify(new_page(), served.url(served.grace)).verdict == "verified"


def test_an_expired_statement_says_when_status_was_last_confirmed(
    served: Served, new_page: Callable[..., Any],
) -> None:
    signed = NOW - dt.timedelta(days=11)
    served.site.sign_freshness(signed, days=10)
    served.rebuild()
    result = open_and_verify(new_page(), served.url(served.ada))
    assert_stale(result, display_date(signed), "the freshness statement expired on "
                 f"{display_date(signed + dt.timedelta(days=10))}",
                 python_status(served, served.ada))


def test_a_missing_statement_is_not_verified(served: Served, new_page: Callable[..., Any]) -> None:
    served.statement_file.unlink()
    page = new_page()
    result = open_and_verify(page, served.url(served.ada))
    code = page.evaluate("""async (id) => {
      const c = await (await fetch('/c/' + id + '.json')).json();
      const r = await CredsiteVerifier.verifyCredential(c, {pageHost: location.host});
      return r.checks.find((x) => x.name === 'status').code;
    }""", served.ada)
    assert code == "status-stale"
    list_date = display_date(parse_timestamp(json.loads(served.list_file.read_bytes())["validFrom"]))
    assert_stale(result, list_date, "no freshness statement could be fetched",
                 python_status(served, served.ada))


def test_a_statement_that_does_not_match_the_lists_is_not_verified(
    served: Served, new_page: Callable[..., Any],
) -> None:
    """After a revocation, before the online key has signed again (the deploy ran first)."""
    revoke(served.site.content, served.site.site, served.site.signer, [served.ada], "in error")
    served.rebuild()
    result = open_and_verify(new_page(), served.url(served.grace))
    new_list = display_date(parse_timestamp(json.loads(served.list_file.read_bytes())["validFrom"]))
    assert_stale(result, new_list, "is not the one the freshness statement",
                 python_status(served, served.grace))


@pytest.mark.parametrize("change", ["validUntil", "digest", "signer", "month"])
def test_a_tampered_or_foreign_statement_is_not_verified(
    served: Served, new_page: Callable[..., Any], change: str,
) -> None:
    statement = served.statement()
    if change == "validUntil":
        statement["validUntil"] = "2099-01-01T00:00:00Z"
    elif change == "digest":
        statement["statusLists"][0]["digest"] = "0" * 64
    elif change == "signer":  # signed by the issuer's assertion key: not a freshness key
        lists = {f"{served.base}/status/1": json.loads(served.list_file.read_bytes())}
        statement = freshness.sign_statement(served.site.site, lists, statement["sequence"] + 1,
                                             NOW, 10, served.site.signer.sign, "key-1")
    else:  # validly signed by the online key, but for a month: more than any statement may claim
        from credsite.trust.dataintegrity import add_proof
        from credsite.trust.timestamps import format_timestamp

        signer = served.site.freshness_signer
        assert signer is not None
        unsigned = {k: v for k, v in statement.items() if k != "proof"}
        unsigned["validUntil"] = format_timestamp(NOW + dt.timedelta(days=30))
        statement = add_proof(unsigned, signer.sign,
                              served.site.site.verification_method(signer.key_id),
                              unsigned["validFrom"], purpose=freshness.RELATIONSHIP)
    served.statement_file.write_text(json.dumps(statement))
    page = new_page()
    result = open_and_verify(page, served.url(served.ada))
    assert result.verdict == "cannot-verify", result.summary()
    assert result.check("status").reason.startswith(STALE_PREFIX), result.summary()
    assert python_status(served, served.ada)[0] == "warning"


def test_a_browser_that_saw_a_statement_refuses_a_site_without_one(
    served: Served, new_page: Callable[..., Any],
) -> None:
    """A deploy from before the freshness key existed: no relationship, no statement."""
    page = new_page()
    assert open_and_verify(page, served.url(served.ada)).verdict == "verified"
    did_path = served.out / ".well-known" / "did.json"
    did = json.loads(did_path.read_bytes())
    del did[freshness.RELATIONSHIP]
    did_path.write_text(json.dumps(did))
    served.statement_file.unlink()
    result = open_and_verify(page, served.url(served.ada))
    assert result.verdict == "cannot-verify", result.summary()
    assert "no freshness statement could be fetched" in result.check("status").reason


def test_a_credential_signed_by_the_online_key_is_invalid(
    served: Served, new_page: Callable[..., Any],
) -> None:
    """The online key is published, but never under assertionMethod: it cannot mint."""
    from e2e_kit import embed, page_path, read_embedded

    path = page_path(served.out, served.ada)
    html = path.read_text(encoding="utf-8")
    credential = read_embedded(html, served.out)
    signer = served.site.freshness_signer
    assert signer is not None
    forged = served.site.sign({k: v for k, v in credential.items() if k != "proof"}, signer)
    path.write_text(embed(html, forged), encoding="utf-8")
    result = open_and_verify(new_page(), served.url(served.ada))
    assert result.verdict == "invalid", result.summary()
    assert result.check("issuer-key").status == "failed", result.summary()


def test_a_huge_sequence_from_a_replaced_key_does_not_lock_out_the_new_key(
    served: Served, new_page: Callable[..., Any],
) -> None:
    """Sequences are remembered per key: a thief's statement #2^53-1 signed with the stolen key
    does not make the statements of the key that replaces it look old."""
    page = new_page()
    lists = {f"{served.base}/status/1": json.loads(served.list_file.read_bytes())}
    stolen = served.site.freshness_signer
    assert stolen is not None
    huge = freshness.sign_statement(served.site.site, lists, 2**53 - 1, NOW, 10, stolen.sign,
                                    stolen.key_id)
    served.statement_file.write_text(json.dumps(huge))
    assert open_and_verify(page, served.url(served.ada)).verdict == "verified"
    text = served.site.site_yaml.read_text(encoding="utf-8")
    served.site.site_yaml.write_text(text.replace(
        "  - id: freshness-1\n", "  - id: freshness-1\n    compromised_from: 2025-01-01T00:00:00Z\n"),
        encoding="utf-8")
    served.site.add_freshness_key("freshness-2")
    served.site.sign_freshness()
    served.rebuild()
    result = open_and_verify(page, served.url(served.ada))
    assert result.verdict == "verified", result.summary()
    # The stolen key's statements are refused now: it left the DID document.
    served.statement_file.write_text(json.dumps(huge))
    result = open_and_verify(page, served.url(served.ada))
    assert result.verdict == "cannot-verify", result.summary()
    assert "not by a freshness key of the issuer" in result.check("status").reason


def test_a_site_without_a_freshness_key_says_status_as_published(
    served: Served, new_page: Callable[..., Any],
) -> None:
    """Issue 16: a site whose DID document lists no freshness key (the demo) is Verified, with a
    plain note that the revocation status is as published; a fresh visitor has seen no statement."""
    did_path = served.out / ".well-known" / "did.json"
    did = json.loads(did_path.read_bytes())
    del did[freshness.RELATIONSHIP]
    did_path.write_text(json.dumps(did))
    served.statement_file.unlink()
    result = open_and_verify(new_page(), served.url(served.ada))
    assert result.verdict == "verified", result.summary()
    status = result.check("status")
    assert (status.status, status.code) == ("passed", "as-published"), result.summary()
    assert status.reason.endswith("revocation status as published: this site does not sign "
                                  "status freshness")
    assert ("the revocation status is as published (this site does not sign status freshness)"
            in result.text), result.text


def test_a_freshness_relationship_without_a_usable_key_never_falls_back(
    served: Served, new_page: Callable[..., Any],
) -> None:
    """A DID document that names the relationship (here by reference, no embedded key) requires a
    statement: it is not a site without freshness, so no "as published" Verified."""
    did_path = served.out / ".well-known" / "did.json"
    did = json.loads(did_path.read_bytes())
    did[freshness.RELATIONSHIP] = [m["id"] for m in did[freshness.RELATIONSHIP]]
    did_path.write_text(json.dumps(did))
    result = open_and_verify(new_page(), served.url(served.ada))
    assert result.verdict == "cannot-verify", result.summary()
    assert result.check("status").code == "status-stale", result.summary()

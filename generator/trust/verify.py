"""Verification as a numbered checklist that fails closed (docs/design.md, "Verification checklist").

The same check names and verdicts are used by ``credsite verify``, the build, and the browser
verifier. Each check gets a status and a one-line reason; the verdict is ``verified`` only when every
check passed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from credsite.errors import VerificationError
from credsite.trust import rdfc as rdfc_suite
from credsite.trust.dataintegrity import LEGACY, proofs, single_proof, verify_proof
from credsite.trust.ids import is_credential_id
from credsite.trust.issuer import IssuerKey, Site
from credsite.trust.names import check_display_text, holder_name
from credsite.trust.timestamps import display_date, format_timestamp, parse_timestamp
from credsite.trust.vocabulary import CREDENTIAL_TYPE, OB_CONTEXT, VC_CONTEXT

PASSED, FAILED, WARNING, NOT_CHECKED = "passed", "failed", "warning", "not-checked"
CHECKS = ("format", "issuer-key", "signature", "catalog", "validity", "status")
INTEGRITY_CHECKS = ("format", "issuer-key", "signature", "catalog")
COMPROMISED = "signing key compromised"
MIGRATE_HINT = "run `credsite migrate` to re-sign it in the current form"

# A status checker answers (status, reason) for a credential's credentialStatus entry.
StatusChecker = Callable[[dict[str, Any]], tuple[str, str]]


@dataclass
class Check:
    name: str
    status: str = NOT_CHECKED
    reason: str = "not checked"


@dataclass
class Report:
    credential_id: str
    checks: list[Check] = field(default_factory=list)
    legacy_proof: bool = False  # signed by credsite before 0.2: verified, with a warning
    rdfc_checked: bool = False  # the eddsa-rdfc-2022 proof was verified too (rdfc=True)

    def check(self, name: str) -> Check:
        for check in self.checks:  # a plain loop: called a dozen times per credential
            if check.name == name:
                return check
        raise KeyError(name)

    @property
    def verdict(self) -> str:
        status = {c.name: c.status for c in self.checks}
        if any(status[n] == FAILED for n in INTEGRITY_CHECKS):
            return "invalid"
        if status["status"] == FAILED:
            return "revoked"
        if status["validity"] == FAILED:
            return "expired" if "expired" in self.check("validity").reason else "invalid"
        if any(s != PASSED for n, s in status.items() if n != "status") or status["status"] not in (
            PASSED, NOT_CHECKED
        ):
            return "cannot-verify"
        return "verified"

    @property
    def integrity_ok(self) -> bool:
        """Signed by the issuer, well-formed and in the catalog (expired/revoked still publish)."""
        return all(self.check(n).status == PASSED for n in INTEGRITY_CHECKS)

    @property
    def signed_by_compromised_key(self) -> bool:
        """Genuine once, but its key is now marked compromised: published, shown Invalid."""
        key = self.check("issuer-key")
        return key.status == FAILED and key.reason.startswith(COMPROMISED)

    @property
    def first_failure(self) -> Check | None:
        return next((c for c in self.checks if c.status != PASSED and
                     not (c.name == "status" and c.status == NOT_CHECKED)), None)


def _credential_id(credential: dict[str, Any], site: Site) -> str:
    url = credential.get("id")
    prefix = f"{site.base_url}/c/"
    if not isinstance(url, str) or not url.startswith(prefix):
        raise VerificationError("format", f"id must be {prefix}<ID>, got {url!r}")
    cred_id = url[len(prefix):]
    if not is_credential_id(cred_id):
        raise VerificationError(
            "format", f"credential ID {cred_id[:40]!r} is not 16 Crockford base32 characters"
        )
    return cred_id


def check_format(credential: Any, site: Site) -> tuple[dt.datetime, dt.datetime | None]:
    """Structure of an OpenBadgeCredential as we issue it; returns (validFrom, validUntil)."""
    if not isinstance(credential, dict):
        raise VerificationError("format", "a credential must be a JSON object")
    context = credential.get("@context")
    if context != [VC_CONTEXT, OB_CONTEXT]:  # what credsite signs; no context appended after
        raise VerificationError("format", f"@context must be [{VC_CONTEXT!r}, {OB_CONTEXT!r}]")
    types = credential.get("type")
    if not isinstance(types, list) or not all(t in types for t in CREDENTIAL_TYPE):
        raise VerificationError("format", "type must include VerifiableCredential and OpenBadgeCredential")
    _credential_id(credential, site)
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if issuer_id != site.did:
        raise VerificationError("format", f"issuer must be {site.did}, got {issuer_id!r}")
    try:
        valid_from = parse_timestamp(credential.get("validFrom"))
        until = credential.get("validUntil")
        valid_until = parse_timestamp(until) if until is not None else None
    except ValueError as exc:
        raise VerificationError("format", f"validFrom/validUntil: {exc}") from None
    if valid_until is not None and valid_until <= valid_from:
        raise VerificationError("format", "validUntil is not after validFrom")
    subject = credential.get("credentialSubject")
    if not isinstance(subject, dict):
        raise VerificationError("format", "credentialSubject must be an AchievementSubject")
    subject_types = subject.get("type")
    if isinstance(subject_types, str):
        subject_types = [subject_types]
    if not isinstance(subject_types, list) or "AchievementSubject" not in subject_types:
        raise VerificationError("format", "credentialSubject must be an AchievementSubject")
    achievement = subject.get("achievement")
    if not isinstance(achievement, dict) or not isinstance(achievement.get("humanCode"), str):
        raise VerificationError("format", "credentialSubject.achievement.humanCode is missing")
    name = holder_name(credential)
    if name is None:
        raise VerificationError("format", "the holder's name (identifier of type 'name') is missing")
    try:
        check_display_text(name, "holder name")
    except ValueError as exc:
        raise VerificationError("format", str(exc)) from None
    suites = sorted(str(p.get("cryptosuite")) for p in proofs(credential))
    if suites not in (["eddsa-jcs-2022"], ["eddsa-jcs-2022", rdfc_suite.CRYPTOSUITE]):
        raise VerificationError("format", "proof must be the eddsa-jcs-2022 and eddsa-rdfc-2022 "
                                f"proof set credsite issues, found {', '.join(suites)}")
    return valid_from, valid_until


def signed_at(proof: dict[str, Any]) -> dt.datetime:
    """When the proof says it was signed: its ``created`` (VC Data Integrity §2.1, a date-time).

    credsite judges a key by the moment it signed, not by the award date (``validFrom``), which
    may lie years before the key existed (a register of past awards). ``created`` is the
    signer's own word: only destroying a retired key's private half, or marking a leaked key
    compromised, keeps it from signing with an old date."""
    created = proof.get("created")
    if created is None:
        raise VerificationError(
            "issuer-key", "the proof has no 'created' time, so the signing key's period cannot "
            "be checked"
        )
    try:
        return parse_timestamp(created)
    except ValueError as exc:
        raise VerificationError("issuer-key", f"proof created: {exc}") from None


def signing_key(credential: dict[str, Any], site: Site) -> IssuerKey:
    """The issuer key named by the proof, if it may have signed this credential when it did.

    A key may sign from its ``valid_from`` until its ``valid_until`` (judged at the proof's
    ``created``); a compromised key taints everything it signed, whatever the dates, because a
    thief can back-date ``created`` too (docs/design.md, "Verification checklist")."""
    proof = single_proof(credential)
    method = proof.get("verificationMethod")
    prefix = f"{site.did}#"
    if not isinstance(method, str) or not method.startswith(prefix):
        raise VerificationError(
            "issuer-key", f"verificationMethod {method!r} is not a key of {site.did}"
        )
    key = site.key(method[len(prefix):])
    if key is None or key.recovery:
        raise VerificationError("issuer-key", f"unknown key {method!r}: not in the DID document"
                                + (" (a recovery key signs no credential)" if key else ""))
    if key.compromised_from is not None:
        raise VerificationError(
            "issuer-key",
            f"{COMPROMISED} (key {key.id}, since {display_date(key.compromised_from)}); "
            "the issuer must reissue this credential",
        )
    created = signed_at(proof)
    if created < key.valid_from:
        raise VerificationError(
            "issuer-key", f"key {key.id} was not yet valid when it signed on "
            f"{format_timestamp(created)} (valid from {format_timestamp(key.valid_from)})"
        )
    if key.valid_until is not None and created >= key.valid_until:
        raise VerificationError(
            "issuer-key", f"key {key.id} was no longer valid when it signed on "
            f"{format_timestamp(created)} (valid until {format_timestamp(key.valid_until)})"
        )
    return key


def verify_credential(
    credential: Any,
    site: Site,
    catalog_codes: set[str] | frozenset[str] | dict[str, Any],
    now: dt.datetime,
    status_checker: StatusChecker | None = None,
    *,
    text: bytes | None = None,
    rdfc: bool = False,
) -> Report:
    """Run every check in order; later checks are ``not-checked`` once an integrity check fails.

    ``text``: the JSON text it was parsed from (see :func:`credsite.trust.dataintegrity.verify_proof`).
    ``rdfc``: verify the ``eddsa-rdfc-2022`` proof of the set too (``issue``, ``verify``,
    ``migrate``); a credential without one is flagged ``legacy_proof`` (made before credsite 0.2).
    The build leaves it to the batch seals (:mod:`credsite.trust.seal`): RDF canonicalization of
    every award would cost several ms each."""
    cred_id = "?"
    if isinstance(credential, dict) and isinstance(credential.get("id"), str):
        cred_id = credential["id"].rsplit("/", 1)[-1][:40]
    report = Report(cred_id, [Check(name) for name in CHECKS])

    def run(name: str, action: Callable[[], str]) -> bool:
        check = report.check(name)
        try:
            check.reason = action()
            check.status = PASSED
            return True
        except VerificationError as exc:
            check.status, check.reason = FAILED, exc.message.removeprefix(f"[{name}] ")
            return False

    dates: list[Any] = []
    keys: list[IssuerKey] = []

    def fmt() -> str:
        dates.extend(check_format(credential, site))
        return "well-formed Open Badges 3.0 credential"

    def issuer_key() -> str:
        keys.append(signing_key(credential, site))
        return f"key {keys[0].id} of {site.did}, valid when it signed"

    def signature() -> str:
        if verify_proof(credential, keys[0].raw, text=text, allow_legacy=True) == LEGACY:
            report.legacy_proof = True
            return ("eddsa-jcs-2022 signature is valid in credsite's pre-0.2 form (no @context "
                    f"in the proof; other verifiers reject it): {MIGRATE_HINT}")
        if not rdfc:
            return "eddsa-jcs-2022 signature is valid"
        if not any(p.get("cryptosuite") == rdfc_suite.CRYPTOSUITE for p in proofs(credential)):
            report.legacy_proof = True
            return (f"eddsa-jcs-2022 signature is valid; no {rdfc_suite.CRYPTOSUITE} proof, which "
                    f"wallets need: {MIGRATE_HINT}")
        rdfc_proof = rdfc_suite.find_proof(credential, rdfc_suite.CRYPTOSUITE)
        if rdfc_proof.get("verificationMethod") != single_proof(credential).get("verificationMethod"):
            raise VerificationError("signature", "the two proofs name different keys")
        rdfc_suite.verify_proof(credential, keys[0].raw)
        report.rdfc_checked = True
        return "eddsa-jcs-2022 and eddsa-rdfc-2022 signatures are valid"

    def catalog() -> str:
        code = credential["credentialSubject"]["achievement"]["humanCode"]
        if code not in catalog_codes:
            raise VerificationError("catalog", f"credential code {code!r} is not in the catalog")
        return f"{code} is in the catalog"

    def validity() -> str:
        valid_from, valid_until = dates
        if now < valid_from:
            raise VerificationError("validity", f"not yet valid (from {display_date(valid_from)})")
        if valid_until is not None and now >= valid_until:
            raise VerificationError("validity", f"expired on {display_date(valid_until)}")
        if valid_until is None:
            return "does not expire"
        return f"valid until {display_date(valid_until)}"

    if run("format", fmt) and run("issuer-key", issuer_key) and run("signature", signature):
        run("catalog", catalog)
        run("validity", validity)
        entry = credential.get("credentialStatus")
        check = report.check("status")
        if entry is None:
            check.reason = "no status list entry"
        elif status_checker is None:
            check.reason = "status list not consulted"
        else:
            check.status, check.reason = status_checker(entry)
    return report

"""Verification as a numbered checklist that fails closed (docs/design.md, "Verification checklist").

The same check names, stable codes and verdicts are used by ``credsite verify``, the build, and the
browser verifier (templates/assets/verifier-core.js); tests/vectors/verdict/ holds the cases both run.
Each check gets a status, a code (what happened, for code to branch on) and a one-line reason (for
people). The checks run in order; once ``format``, ``issuer-key`` or ``signature`` does not pass,
every later check is ``not-checked`` with code ``skipped``. The verdict is ``verified`` only when
every check passed or was allowed not to run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from credsite.errors import VerificationError
from credsite.trust import rdfc as rdfc_suite
from credsite.trust.dataintegrity import LEGACY, find_proof, proofs, single_proof, verify_proof
from credsite.trust.ids import is_credential_id
from credsite.trust.issuer import IssuerKey, Site
from credsite.trust.names import holder_name
from credsite.trust.timestamps import display_date, format_timestamp, parse_timestamp
from credsite.trust.vocabulary import CREDENTIAL_TYPE, OB_CONTEXT, VC_CONTEXT

PASSED, FAILED, WARNING, NOT_CHECKED = "passed", "failed", "warning", "not-checked"
CHECKS = ("format", "issuer-key", "signature", "catalog", "validity", "status", "origin")
INTEGRITY_CHECKS = ("format", "issuer-key", "signature", "catalog")
MIGRATE_HINT = "run `credsite migrate` to re-sign it in the current form"
# The checks that must pass before anything the credential says is worth checking further.
GATE_CHECKS = ("format", "issuer-key", "signature")

# Stable codes (docs/design.md, "Verification checklist"). A check that fails without naming a
# more precise code gets its check's default.
OK = "ok"
SKIPPED = "skipped"
DEFAULT_CODES = {
    "format": "malformed",
    "issuer-key": "key-invalid",
    "signature": "bad-signature",
    "catalog": "not-in-catalog",
    "validity": "bad-dates",
    "status": "status-unavailable",
    "origin": "copy",
}
# (check, status, code) that do not stand in the way of a Verified verdict.
ALLOWED_NOT_PASSED = frozenset({
    ("catalog", NOT_CHECKED, "not-consulted"),  # the browser has no catalog; the build checks it
    ("status", NOT_CHECKED, "no-status-list"),  # the credential has no credentialStatus
    ("status", NOT_CHECKED, "not-consulted"),
    ("origin", NOT_CHECKED, "no-page"),  # not shown on a page: `credsite verify`, /verify/
})
# Not-checked codes that mean "could not be checked", which gives Cannot verify.
UNAVAILABLE = frozenset({"did-unavailable", "unsupported", "status-unavailable"})

# A status checker answers (status, code, reason) for a credential's credentialStatus entry.
StatusChecker = Callable[[dict[str, Any]], tuple[str, str, str]]


@dataclass
class Check:
    name: str
    status: str = NOT_CHECKED
    reason: str = "not checked"
    code: str = SKIPPED


@dataclass(frozen=True)
class PageContext:
    """Where a credential is shown, for the ``origin`` check (the browser knows this; a vector
    says it): the page's URL, whether it is inside a frame, and the kind of page."""

    url: str
    framed: bool = False
    kind: str = "credential"  # "credential" (its own page) or "verify" (the /verify/ page)


def decide_verdict(checks: list[Check]) -> str:
    """The verdict from the checks' statuses and codes, as verifier-core.js decideVerdict does."""
    if all(c.status == PASSED or (c.name, c.status, c.code) in ALLOWED_NOT_PASSED for c in checks):
        # What nearly every credential of a build gets, decided without the rules below: none
        # of them applies (no check failed, none is an unavailable gate or an origin warning),
        # and the last loop passes every check.
        return "verified"
    by_name = {c.name: c for c in checks}

    def has(name: str, status: str, code: str | None = None) -> bool:
        c = by_name.get(name)
        return c is not None and c.status == status and (code is None or c.code == code)

    if any(has(n, FAILED) for n in (*INTEGRITY_CHECKS, "page")):
        return "invalid"
    if has("validity", FAILED, "not-yet-valid"):
        return "invalid"
    if has("origin", FAILED, "framed"):
        return "framed"
    if any(has(n, NOT_CHECKED) and by_name[n].code in UNAVAILABLE for n in GATE_CHECKS):
        return "cannot-verify"
    if has("status", FAILED):
        return "revoked"
    if has("validity", FAILED):
        return "expired"
    for c in checks:
        if c.status == PASSED or (c.name, c.status, c.code) in ALLOWED_NOT_PASSED:
            continue
        if c.name == "origin" and c.status == WARNING:
            continue
        return "cannot-verify"
    if has("origin", WARNING):
        return "copy"
    return "verified"


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
        return decide_verdict(self.checks)

    @property
    def integrity_ok(self) -> bool:
        """Signed by the issuer, well-formed and in the catalog (expired/revoked still publish)."""
        return all(self.check(n).status == PASSED for n in INTEGRITY_CHECKS)

    @property
    def signed_by_compromised_key(self) -> bool:
        """Genuine once, but its key is now marked compromised: published, shown Invalid."""
        key = self.check("issuer-key")
        return key.status == FAILED and key.code == "key-compromised"

    @property
    def first_failure(self) -> Check | None:
        return next((c for c in self.checks if c.status != PASSED and
                     (c.name, c.status, c.code) not in ALLOWED_NOT_PASSED), None)


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
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if issuer_id != site.did:
        raise VerificationError(
            "format", f"not issued by {site.issuer_name} ({site.did}): it names {issuer_id!r} as "
            "its issuer", code="wrong-issuer")
    _credential_id(credential, site)
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
            "issuer-key", f"verificationMethod {method!r} is not a key of {site.did}",
            code="key-unknown")
    key = site.key(method[len(prefix):])
    if key is None or key.recovery:
        raise VerificationError("issuer-key", f"unknown key {method!r}: not in the DID document"
                                + (" (a recovery key signs no credential)" if key else ""),
                                code="key-unknown")
    if key.compromised_from is not None:
        raise VerificationError(
            "issuer-key",
            f"signing key compromised (key {key.id}, since {display_date(key.compromised_from)}); "
            "the issuer must reissue this credential", code="key-compromised")
    created = signed_at(proof)
    if created < key.valid_from:
        raise VerificationError(
            "issuer-key", f"key {key.id} was not yet valid when it signed on "
            f"{format_timestamp(created)} (valid from {format_timestamp(key.valid_from)})",
            code="key-not-valid")
    if key.valid_until is not None and created >= key.valid_until:
        raise VerificationError(
            "issuer-key", f"key {key.id} was no longer valid when it signed on "
            f"{format_timestamp(created)} (valid until {format_timestamp(key.valid_until)})",
            code="key-not-valid")
    return key


def origin_check(credential: dict[str, Any], page: PageContext | None) -> tuple[str, str, str]:
    """(status, code, reason) of the ``origin`` check: is this the credential's own page?

    A credential page is genuine only at its permanent URL, the signed ``id`` (which the format
    check has tied to the site's base URL): same scheme, host, base path and ID, as ``/c/<ID>`` or
    ``/c/<ID>.html``; the query and the fragment do not count. Anywhere else it is a copy, and a
    page inside a frame is never Verified (another page can cover its text)."""
    if page is None:
        return NOT_CHECKED, "no-page", "not shown on a page"
    if page.framed:
        return FAILED, "framed", "this page is shown inside a frame of another page"
    if page.kind != "credential":
        return NOT_CHECKED, "no-page", "checked on the verify page of the issuer's site"
    permanent = str(credential.get("id"))
    shown = urlsplit(page.url)
    if shown.scheme == "file":
        return WARNING, "file-copy", "this page was opened from a file, not from " + permanent
    here = f"{shown.scheme}://{shown.netloc.lower()}{shown.path}"
    want = urlsplit(permanent)
    want_url = f"{want.scheme}://{want.netloc.lower()}{want.path}"
    if here in (want_url, want_url + ".html"):
        return PASSED, OK, f"served from its permanent address {permanent}"
    return WARNING, "copy", f"this page is served from {here}, not from {permanent}"


def verify_credential(
    credential: Any,
    site: Site,
    catalog_codes: set[str] | frozenset[str] | dict[str, Any] | None,
    now: dt.datetime,
    status_checker: StatusChecker | None = None,
    *,
    text: bytes | None = None,
    rdfc: bool = False,
    page: PageContext | None = None,
) -> Report:
    """Run every check in order; once a gate check (format, issuer-key, signature) does not pass,
    the later ones are ``not-checked`` with code ``skipped``.

    ``catalog_codes`` None: the catalog is not consulted (as in the browser). ``page``: where it
    is shown, for the ``origin`` check (None: not on a page).
    ``text``: the JSON text it was parsed from (see :func:`credsite.trust.dataintegrity.verify_proof`).
    ``rdfc``: verify the ``eddsa-rdfc-2022`` proof of the set too (``issue``, ``verify``,
    ``migrate``); a credential without one is flagged ``legacy_proof`` (made before credsite 0.2).
    The build leaves it to the batch seals (:mod:`credsite.trust.seal`): RDF canonicalization of
    every award would cost several ms each."""
    cred_id = "?"
    if isinstance(credential, dict) and isinstance(credential.get("id"), str):
        cred_id = credential["id"].rsplit("/", 1)[-1][:40]
    report = Report(cred_id, [Check(name) for name in CHECKS])

    def put(name: str, status: str, code: str, reason: str) -> bool:
        check = report.check(name)
        check.status, check.code, check.reason = status, code, reason
        return status == PASSED

    def run(name: str, action: Callable[[], tuple[str, str]]) -> bool:
        try:
            code, reason = action()
        except VerificationError as exc:
            return put(name, FAILED, exc.code or DEFAULT_CODES[name],
                       exc.message.removeprefix(f"[{exc.check}] "))
        return put(name, PASSED, code, reason)

    dates: list[Any] = []
    keys: list[IssuerKey] = []

    def fmt() -> tuple[str, str]:
        dates.extend(check_format(credential, site))
        return OK, "well-formed Open Badges 3.0 credential"

    def issuer_key() -> tuple[str, str]:
        keys.append(signing_key(credential, site))
        return OK, f"key {keys[0].id} of {site.did}, valid when it signed"

    def signature() -> tuple[str, str]:
        if verify_proof(credential, keys[0].raw, text=text, allow_legacy=True) == LEGACY:
            report.legacy_proof = True
            return "legacy-proof", (
                "eddsa-jcs-2022 signature is valid in credsite's pre-0.2 form (no @context in the "
                f"proof; other verifiers reject it): {MIGRATE_HINT}")
        if not rdfc:
            return OK, "eddsa-jcs-2022 signature is valid"
        if not any(p.get("cryptosuite") == rdfc_suite.CRYPTOSUITE for p in proofs(credential)):
            report.legacy_proof = True
            return "legacy-proof", (
                f"eddsa-jcs-2022 signature is valid; no {rdfc_suite.CRYPTOSUITE} proof, which "
                f"wallets need: {MIGRATE_HINT}")
        rdfc_proof = find_proof(credential, rdfc_suite.CRYPTOSUITE)
        if rdfc_proof.get("verificationMethod") != single_proof(credential).get("verificationMethod"):
            raise VerificationError("signature", "the two proofs name different keys")
        rdfc_suite.verify_proof(credential, keys[0].raw)
        report.rdfc_checked = True
        return OK, "eddsa-jcs-2022 and eddsa-rdfc-2022 signatures are valid"

    def catalog() -> tuple[str, str]:
        code = credential["credentialSubject"]["achievement"]["humanCode"]
        if code not in catalog_codes:  # type: ignore[operator]  # None is handled by the caller
            raise VerificationError("catalog", f"credential code {code!r} is not in the catalog")
        return OK, f"{code} is in the catalog"

    def validity() -> tuple[str, str]:
        valid_from, valid_until = dates
        if now < valid_from:
            raise VerificationError(
                "validity", f"not yet valid (from {display_date(valid_from)})", code="not-yet-valid")
        if valid_until is not None and now >= valid_until:
            raise VerificationError(
                "validity", f"expired on {display_date(valid_until)}", code="expired")
        if valid_until is None:
            return OK, "does not expire"
        return OK, f"valid until {display_date(valid_until)}"

    if not (run("format", fmt) and run("issuer-key", issuer_key) and run("signature", signature)):
        return report
    if catalog_codes is None:
        put("catalog", NOT_CHECKED, "not-consulted", "checked by the issuer's build")
    else:
        run("catalog", catalog)
    run("validity", validity)
    entry = credential.get("credentialStatus")
    if entry is None:
        put("status", NOT_CHECKED, "no-status-list", "no status list entry")
    elif status_checker is None:
        put("status", NOT_CHECKED, "not-consulted", "status list not consulted")
    else:
        put("status", *status_checker(entry))
    put("origin", *origin_check(credential, page))
    return report

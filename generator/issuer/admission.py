"""Admitting freshly signed credentials: every row is verified as ``credsite verify`` would.

``credsite issue`` signs a batch in memory, then runs the verification checklist
(:func:`credsite.trust.verify.verify_credential`, docs/design.md "Verification checklist") over
each credential before anything is written, so a row that ``verify``, ``check`` or the build would
call invalid is refused with the same message, naming its CSV row; one code path, not two. A row
that would only be *expired* (an old award of a credential that lapsed) is a warning, or an error
with ``--strict``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from credsite.content.catalog import CatalogEntry
from credsite.content.site import Site
from credsite.errors import ContentError, CredsiteError, ProblemList
from credsite.trust.verify import verify_credential


def admit(
    signed: Sequence[tuple[str, dict[str, Any]]],
    site: Site,
    catalog: dict[str, CatalogEntry],
    now: dt.datetime,
    *,
    strict: bool = False,
) -> list[str]:
    """Warnings for ``signed`` (pairs of row location and credential); ProblemList if any row
    would not verify (or, with ``strict``, would verify only as expired)."""
    problems: list[CredsiteError] = []
    warnings: list[str] = []
    for where, credential in signed:
        report = verify_credential(credential, site, catalog, now)
        verdict = report.verdict
        if verdict == "verified":
            continue
        failure = report.first_failure
        detail = f"[{failure.name}] {failure.reason}" if failure else verdict
        if verdict == "expired" and not strict:
            warnings.append(f"{where}: already {detail.removeprefix('[validity] ')} "
                            "(issued anyway; the page will say Expired)")
            continue
        if verdict == "expired":
            detail = f"already {detail.removeprefix('[validity] ')} (refused with --strict)"
        problems.append(ContentError(detail, where=where))
    if problems:
        raise ProblemList(problems, "bad row")
    return warnings

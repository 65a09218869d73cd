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
import ipaddress
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

from credsite.content.catalog import CatalogEntry
from credsite.content.site import Site
from credsite.errors import ContentError, CredsiteError, ProblemList
from credsite.trust.verify import verify_credential


def admit(
    signed: Sequence[tuple[str, dict[str, Any]]] | Sequence[tuple[str, dict[str, Any], bytes]],
    site: Site,
    catalog: dict[str, CatalogEntry],
    now: dt.datetime,
    *,
    strict: bool = False,
    progress: Callable[[int], None] | None = None,
) -> list[str]:
    """Warnings for ``signed`` (row location, credential and optionally the line it will be stored
    as); ProblemList if any row
    would not verify (or, with ``strict``, would verify only as expired)."""
    problems: list[CredsiteError] = []
    warnings: list[str] = []
    for where, credential, *stored in signed:
        # With the stored line (its JCS form), the checklist hashes those bytes, as the build does.
        report = verify_credential(credential, site, catalog, now,
                                   text=stored[0] if stored else None, rdfc=True)
        if progress:
            progress(1)
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


LOCAL_NAMES = ("localhost", "localhost.localdomain")
LOCAL_SUFFIXES = (".localhost", ".local", ".test", ".internal", ".example", ".invalid")


def is_local_address(base_url: str) -> bool:
    """True for an address only this machine or network can reach (RFC 6761 and RFC 6762 names,
    loopback, private and link-local IP addresses)."""
    host = (urlsplit(base_url).hostname or "").lower()
    if host in LOCAL_NAMES or host.endswith(LOCAL_SUFFIXES):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local or (
        address.is_unspecified)


def local_address_warning(site: Site) -> str | None:
    """A warning when issuing for a local base URL: it is inside every signature, so the
    credentials verify only at that address, and re-issuing is the only way to move them."""
    if site.demo or not is_local_address(site.base_url):
        return None  # a trial site (demo: true, as 'credsite init --local' makes) is meant to be
    return (f"{site.source}: base_url {site.base_url} is a local address, and it is signed into "
            "every credential: they will verify only there. Set base_url to the site's public "
            "address before issuing for real (this is fine for a trial site)")

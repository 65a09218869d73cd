"""The status freshness statement of a content tree: ``content/status/freshness.json``.

Written by ``credsite freshness-sign`` (in CI, with the online key from a secret) and published
by the build at ``/status/freshness``; see :mod:`credsite.trust.freshness` for what it proves.
It is not meant to be committed: it expires within two weeks and is signed again every day.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from credsite.content.site import Site
from credsite.content.status import StatusLists, status_dir
from credsite.errors import ContentError
from credsite.trust.freshness import MISSING, WARN_DAYS, Freshness, assess_statement
from credsite.trust.statuslist import list_url
from credsite.trust.timestamps import display_date

STATEMENT_FILE = "freshness.json"


def statement_path(content: Path) -> Path:
    return status_dir(content) / STATEMENT_FILE


def load_statement(content: Path) -> dict[str, Any] | None:
    """The statement as JSON, or None when there is none; ContentError if it is not JSON."""
    path = statement_path(content)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_bytes())
    except (ValueError, OSError) as exc:
        raise ContentError(f"not a JSON freshness statement ({exc}); sign a new one with "
                           "'credsite freshness-sign'", where=str(path)) from None
    if not isinstance(data, dict):
        raise ContentError("not a JSON object; sign a new one with 'credsite freshness-sign'",
                           where=str(path))
    return data


def published_lists(site: Site, status: StatusLists) -> dict[str, dict[str, Any]]:
    """URL → signed status list credential, for every list the site publishes."""
    return {list_url(site.base_url, n): doc for n, doc in status.documents.items()}


def assess(content: Path, site: Site, status: StatusLists, now: dt.datetime) -> Freshness | None:
    """How the site's statement stands at ``now``; None for a site without freshness keys."""
    if not site.freshness_keys:
        return None
    return assess_statement(load_statement(content), site, published_lists(site, status), now)


def attach(content: Path, site: Site, status: StatusLists, now: dt.datetime) -> None:
    """Make ``status.check`` consult the statement, when the content tree holds one.

    A tree without one (a maintainer's clone: the statement is made in CI) is checked as the
    issuer's own, current lists; ``check`` and ``build`` say loudly that it is missing."""
    if site.freshness_keys and statement_path(content).is_file():
        status.freshness = assess(content, site, status, now)


def warnings(freshness: Freshness | None, site: Site, now: dt.datetime, *,
             publishing: bool) -> list[str]:
    """Loud lines for ``check`` (``publishing=False``), the build and ``freshness-sign``.

    A missing statement is normal in a maintainer's clone (CI signs it), so only a build, which
    publishes, says so; a site without a freshness key hears about it from ``check``."""
    if freshness is None:
        if site.freshness_keys or publishing:
            return []
        return ["no freshness key: a stale copy of a status list can undo a revocation on the "
                "site's pages; create one with 'credsite freshness-key' (README, Security)"]
    if freshness.code == MISSING and not publishing:
        return []
    if not freshness.fresh:
        return [f"freshness statement: {freshness.reason}; pages say 'revocation status last "
                "confirmed on …' instead of Verified until 'credsite freshness-sign' signs a "
                "new one and the site is deployed"]
    left = freshness.days_left(now)
    if left is not None and left < WARN_DAYS and freshness.valid_until is not None:
        return [f"freshness statement expires on {display_date(freshness.valid_until)} "
                f"({left:.1f} days left): the scheduled workflow has not re-signed it; "
                "run it, or 'credsite freshness-sign', and deploy"]
    return []

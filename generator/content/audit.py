"""Verifying every award of a content tree: what ``credsite verify``, ``check`` and the build share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from credsite.content.awards import AwardLine, batch_files, iter_award_lines, parse_award
from credsite.content.catalog import CatalogEntry, load_catalog
from credsite.content.freshness import attach as attach_freshness
from credsite.content.site import Site, load_site
from credsite.content.status import StatusLists, load_status_lists
from credsite.errors import CredsiteError
from credsite.trust.timestamps import now_utc
from credsite.trust.verify import CHECKS, FAILED, Check, Report, verify_credential


@dataclass
class VerificationInputs:
    """Everything an award is verified against: the site (its keys), the catalog and the status
    lists, loaded once from a content folder and shared by ``verify``, ``check`` and the build."""

    site: Site
    catalog: dict[str, CatalogEntry]
    status: StatusLists

    @classmethod
    def load(cls, content: Path) -> VerificationInputs:
        site = load_site(content)
        status = load_status_lists(content, site)
        attach_freshness(content, site, status, now_utc())
        return cls(site, load_catalog(content), status)


@dataclass
class Audited:
    line: AwardLine
    credential: dict[str, Any] | None
    report: Report


def _failed(line: AwardLine, check: str, reason: str) -> Audited:
    report = Report("?", [Check(name) for name in CHECKS])
    report.check(check).status, report.check(check).reason = FAILED, reason
    return Audited(line, None, report)


def audit_awards(
    inputs: VerificationInputs, paths: Iterable[Path] | None, content: Path, now: dt.datetime,
    *, rdfc: bool = False,
) -> Iterator[Audited]:
    """Verify each award line in ``paths`` (default: every batch), flagging duplicate IDs."""
    seen: dict[str, str] = {}
    for line in iter_award_lines(batch_files(content) if paths is None else paths):
        try:
            credential = parse_award(line)
        except CredsiteError as exc:
            yield _failed(line, "format", exc.message)
            continue
        report = verify_credential(credential, inputs.site, inputs.catalog, now, inputs.status.check,
                                   rdfc=rdfc,
                                   text=line.raw)
        if report.check("format").status != FAILED:
            first = seen.setdefault(report.credential_id, line.where)
            if first != line.where:
                fmt = report.check("format")
                fmt.status, fmt.reason = FAILED, f"duplicate credential ID (also at {first})"
        yield Audited(line, credential, report)

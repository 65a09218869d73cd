"""``credsite check``: validate the whole content tree in one pass and report every problem."""

from __future__ import annotations

from pathlib import Path

from credsite.content.audit import VerificationInputs, audit_awards
from credsite.content.catalog import load_catalog
from credsite.content.holders import load_holder_settings
from credsite.content.pages import load_pages
from credsite.content.seals import check_seals
from credsite.content.site import load_site
from credsite.content.status import load_status_lists
from credsite.content.statusentries import shared_entries
from credsite.content.urlschemes import unsafe_markdown_links
from credsite.errors import CredsiteError
from credsite.trust.timestamps import now_utc


def check_content(content: Path) -> tuple[list[str], str]:
    """(problems, summary line). Problems name the file and line and what is wrong."""
    problems: list[CredsiteError] = []
    try:
        site = load_site(content)
    except CredsiteError as exc:
        return [str(exc)], "1 problem found (site.yaml must be fixed before the rest is checked)"
    if site.logo and not (content / "static" / site.logo.lstrip("/")).is_file():
        problems.append(CredsiteError(
            f"logo {site.logo} not found: put the file at content/static{site.logo}",
            where=str(site.source)))
    catalog = load_catalog(content, problems)
    if not catalog:
        problems.append(CredsiteError("no catalog entries", where=str(content / "credentials")))
    pages = load_pages(content, problems)
    try:  # holder pages: site.yaml's holder_pages and content/holders.yaml's opt-outs
        load_holder_settings(content)
    except CredsiteError as exc:
        problems.append(exc)
    for source, text in [(e.source, e.description_md) for e in catalog.values()] + \
            [(p.source, p.body_md) for p in pages]:
        for url in unsafe_markdown_links(text):
            problems.append(CredsiteError(
                f"link {url!r}: only http, https and mailto links (and site paths) are allowed",
                where=str(source)))
    messages = [str(p) for p in problems]
    try:
        status = load_status_lists(content, site)
    except CredsiteError as exc:
        messages.append(str(exc))
        return messages, f"{len(messages)} problem(s) found"
    awards = 0
    for audited in audit_awards(VerificationInputs(site, catalog, status), None, content, now_utc()):
        awards += 1
        report = audited.report
        failure = report.first_failure
        if not report.integrity_ok and failure is not None:
            messages.append(f"{audited.line.where}: {report.credential_id} "
                            f"[{failure.name}] {failure.reason}")
    messages.extend(shared_entries(content, site.base_url))
    seal_problems, _ = check_seals(content, site)  # unsealed old batches: `credsite verify` warns
    messages.extend(seal_problems)
    summary = (f"{len(messages)} problem(s) found" if messages else
               f"content OK: {len(catalog)} credential types, {len(pages)} pages, "
               f"{awards} awards")
    return messages, summary

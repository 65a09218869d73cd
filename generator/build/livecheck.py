"""``credsite check --live``: the published site, fetched as a visitor's browser fetches it.

Run right after a deploy (the deploy workflow does), it finds what only the host can break:

1. the site is served over **https** (a browser verifies with WebCrypto, which exists only in a
   secure context; did:web resolves over https only, did:web §3.2);
2. the **DID document** is where did:web resolution looks (``/.well-known/did.json``, or
   ``<path>/did.json`` below the root; a host or upload step that drops hidden folders loses it)
   and is the one ``content/site.yaml`` makes: its ``id`` names the **base URL** the site is
   served at, its keys are the current ones;
3. each **status list** (``/status/<n>``) is signed and is the one in ``content/status/`` (an older
   one means a revocation is not published yet, or a cache still serves the old list);
4. for a few credentials (the revoked ones first, then the newest and a random few): the page at
   its permanent URL ``/c/<ID>`` (a host that does not serve ``c/<ID>.html`` there breaks every
   QR code), and its record ``/c/<ID>.json``, byte for byte the signed award, verified with the
   fetched status list as the browser's checklist does (docs/design.md, "Verification").

Every problem is one line naming the URL and what to do.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from credsite import __version__
from credsite.content.audit import VerificationInputs
from credsite.content.awards import AwardLine, batch_files, iter_award_lines, parse_award
from credsite.content.status import StatusLists, verify_status_list
from credsite.errors import CredsiteError
from credsite.trust.did import did_document
from credsite.trust.statuslist import list_url
from credsite.trust.verify import verify_credential

TIMEOUT = 20.0


@dataclass
class Fetched:
    url: str
    status: int  # HTTP status; 0 when the server could not be reached
    body: bytes = b""
    error: str = ""


@dataclass
class LiveReport:
    """What the live check found: OK lines and problem lines, in the order checked."""

    base_url: str
    lines: list[str] = field(default_factory=list)
    problems: int = 0

    def ok(self, text: str) -> None:
        self.lines.append(f"OK    {text}")

    def fail(self, text: str) -> None:
        self.problems += 1
        self.lines.append(f"FAIL  {text}")

    @property
    def summary(self) -> str:
        if self.problems:
            return f"live check: {self.problems} problem(s) at {self.base_url}"
        return f"live check: {self.base_url} serves what content/ holds, and it verifies"


def fetch(url: str) -> Fetched:
    """GET ``url`` as a browser would, past any cache that honours ``no-cache``."""
    request = urllib.request.Request(  # noqa: S310 - http(s) only: checked by the caller
        url, headers={"User-Agent": f"credsite-live-check/{__version__}", "Cache-Control": "no-cache"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            return Fetched(url, int(response.status), bytes(response.read()))
    except urllib.error.HTTPError as exc:
        return Fetched(url, exc.code, b"", f"HTTP {exc.code}")
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return Fetched(url, 0, b"", f"cannot be reached ({reason})")


def _json(fetched: Fetched) -> Any:
    try:
        return json.loads(fetched.body)
    except ValueError:
        return None


def _sample(content: Path, revoked: set[str], size: int) -> list[tuple[str, AwardLine]]:
    """Up to ``size`` credentials to fetch: revoked ones first, the newest, then a random few."""
    lines: dict[str, AwardLine] = {}
    for line in iter_award_lines(batch_files(content)):
        try:
            cred_id = str(parse_award(line)["id"]).rsplit("/", 1)[-1]
        except (CredsiteError, KeyError, TypeError):
            continue  # credsite check reports it
        lines[cred_id] = line
    ids = list(lines)
    chosen = [i for i in ids if i in revoked][:2]
    if ids and ids[-1] not in chosen:
        chosen.append(ids[-1])
    rest = [i for i in ids if i not in chosen]
    chosen += random.sample(rest, min(len(rest), max(0, size - len(chosen))))
    return [(i, lines[i]) for i in chosen[:max(size, 1)]]


def check_live(content: Path, url: str | None = None, *, allow_http: bool = False, sample: int = 5,
               now: dt.datetime | None = None,
               get: Callable[[str], Fetched] = fetch) -> LiveReport:
    """Check the site published at ``url`` (default: ``base_url``) against ``content``."""
    inputs = VerificationInputs.load(content)
    site = inputs.site
    served = (url or site.base_url).rstrip("/")
    report = LiveReport(served)
    now = now or dt.datetime.now(dt.UTC)
    scheme = urlsplit(served).scheme
    if scheme not in ("https", "http"):
        report.fail(f"{served}: not an http(s) URL")
        return report
    if served != site.base_url:
        report.fail(f"wrong base URL: the site is served at {served}, but content/site.yaml's "
                    f"base_url is {site.base_url}, which every credential names and signs; "
                    "deploy to that URL (or issue for this one: base_url must be set before issuing)")
    if scheme != "https" and not allow_http:
        report.fail(f"no https: {served} is http; browsers verify only on https pages (WebCrypto "
                    "needs a secure context) and did:web resolves over https: serve the site over "
                    "https and set base_url to its https URL")
        return report

    did_path = "/did.json" if urlsplit(served).path else "/.well-known/did.json"
    fetched = get(served + did_path)
    expected = did_document(site)
    published = _json(fetched) if fetched.status == 200 else None
    if fetched.status == 0:
        report.fail(f"{fetched.url}: {fetched.error}: is the site deployed at {served}?")
        return report
    if fetched.status != 200:
        report.fail(f"{fetched.url}: DID document {fetched.error or fetched.status}: did:web "
                    "resolution (and every page's verdict) needs it; was the hidden .well-known/ "
                    "folder left out of the upload (upload-pages-artifact: include-hidden-files: true)?")
    elif not isinstance(published, dict):
        report.fail(f"{fetched.url}: the DID document is not JSON")
    elif published.get("id") != site.did:
        report.fail(f"{fetched.url}: wrong base URL: the DID document is {published.get('id')}, "
                    f"but content/site.yaml's base_url gives {site.did}")
    elif published != expected:
        report.fail(f"{fetched.url}: the DID document is not the one content/site.yaml makes (keys "
                    "changed since the last deploy?): deploy again")
    else:
        report.ok(f"{fetched.url}: DID document {site.did}, {len(site.keys)} key(s)")

    live_status = StatusLists(site, notes=inputs.status.notes)
    for number, document in sorted(inputs.status.documents.items()):
        fetched = get(list_url(served, number))
        where = fetched.url
        if fetched.status != 200:
            report.fail(f"{where}: status list {fetched.error or fetched.status}: pages cannot "
                        "check revocations")
            continue
        published = _json(fetched)
        try:
            live_status.lists[number] = verify_status_list(published, site, number)
        except CredsiteError as exc:
            report.fail(f"{where}: the status list does not verify: {exc}")
            continue
        if published != document:
            report.fail(f"{where}: stale status: the published list is not "
                        f"content/status/revocation-{number}.json (a revocation not deployed yet, "
                        "or a cache still serving the old list): deploy, or wait and check again")
        else:
            report.ok(f"{where}: status list, signed, same as content/status/revocation-{number}.json")
        live_status.documents[number] = published

    for cred_id, line in _sample(content, set(inputs.status.notes), sample):
        _check_credential(report, served, cred_id, line, inputs, live_status, now, get)
    return report


def _check_credential(report: LiveReport, served: str, cred_id: str, line: AwardLine,
                      inputs: VerificationInputs, live_status: StatusLists, now: dt.datetime,
                      get: Callable[[str], Fetched]) -> None:
    page = get(f"{served}/c/{cred_id}")
    if page.status != 200:
        mapped = get(f"{served}/c/{cred_id}.html")
        if mapped.status == 200:
            report.fail(f"{page.url}: {page.error or page.status}, but {mapped.url} exists: the host "
                        "does not serve c/<ID>.html at /c/<ID>, the URL in every QR code (S3: "
                        "a CloudFront function that adds .html; see README, Scale)")
        else:
            report.fail(f"{page.url}: credential page {page.error or page.status}: not deployed?")
        return
    if cred_id.encode() not in page.body:
        report.fail(f"{page.url}: the page does not show credential {cred_id}")
        return
    record = get(f"{served}/c/{cred_id}.json")
    if record.status != 200:
        report.fail(f"{record.url}: the credential's record {record.error or record.status}")
        return
    if record.body != line.raw:
        report.fail(f"{record.url}: stale record: not the signed award at {line.where}: deploy again")
        return
    try:
        credential = json.loads(record.body)
    except ValueError:
        report.fail(f"{record.url}: the record is not JSON")
        return
    verdict = verify_credential(credential, inputs.site, inputs.catalog, now, live_status.check,
                                text=record.body)
    expected = verify_credential(credential, inputs.site, inputs.catalog, now, inputs.status.check,
                                 text=line.raw)
    if verdict.verdict != expected.verdict:
        failure = verdict.first_failure
        why = f" ([{failure.name}] {failure.reason})" if failure else ""
        report.fail(f"{page.url}: shows {verdict.verdict}{why}, but content/ says "
                    f"{expected.verdict}: stale status or keys; deploy again")
        return
    report.ok(f"{page.url}: page and record, {verdict.verdict}")

"""A status list or DID document kept in the browser's HTTP cache never decides a verdict unasked.

A credential page announces its record, the DID document and its status list
(``<link rel="preload" as="fetch">``), the last two with the credential's ID as a query, which
static hosts ignore. On a host that lets browsers keep files for a while (GitHub Pages sends
``Cache-Control: max-age=600``), a second credential page therefore still asks the server, once.
The same page opened again gets them from the HTTP cache, and a revocation published in between
must still count: verifier-page.js fetches such a copy again, uncached. Where the host says
``no-cache`` (the build's ``_headers``, for Netlify and Cloudflare Pages), the browser revalidates
the preload itself, the answer came from the server, and one request each is enough.

The site is served by a real HTTP server (Playwright's routing would switch the HTTP cache off).
Between two visits only the status list changes on the server: the credential's page stays as
it was built, so only a fresh status list can say "Revoked".
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from e2e_kit import open_and_verify
from sitekit import make_site, row

from credsite.issuer.revocation import revoke


class _Host(SimpleHTTPRequestHandler):
    """Files as a static host serves them, with its Cache-Control, and a log of the requests."""

    cache_control = "max-age=600"
    log: list[tuple[str, int]]

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def translate_path(self, path: str) -> str:
        target = super().translate_path(path)  # /c/ID answers c/ID.html, as GitHub Pages does
        if not os.path.exists(target) and os.path.isfile(target + ".html"):
            return target + ".html"
        return target

    def send_response(self, code: int, message: str | None = None) -> None:
        self.log.append((self.path.split("?", 1)[0], code))
        super().send_response(code, message)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", self.cache_control)
        super().end_headers()


@pytest.fixture
def host(tmp_path: Path) -> Iterator[Callable[[Path, str], tuple[str, list[tuple[str, int]]]]]:
    servers: list[ThreadingHTTPServer] = []

    def serve(folder: Path, cache_control: str) -> tuple[str, list[tuple[str, int]]]:
        log: list[tuple[str, int]] = []
        handler = type("Host", (_Host,), {"cache_control": cache_control, "log": log})
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}", log

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


def _sites(tmp_path: Path, base: str) -> tuple[Path, Path, str, str]:
    """The site as built (both credentials good), and the status list after revoking Grace's."""
    out = tmp_path / "out"
    site = make_site(tmp_path / "site", base)
    ada, grace = site.issue([row("Ada Lovelace", "TEST-MMS", "2026-03-14T15:00:00Z"),
                             row("Grace Hopper", "TEST-PB", "2026-02-02T09:30:00Z")])
    site.build(out)
    revoke(site.content, site.site, site.signer, [grace], "issued in error")
    after = site.build(tmp_path / "after")
    return out, after / "status" / "1", ada, grace


def _publish(status_list: Path, out: Path) -> None:
    """The new status list on the server, dated later (Last-Modified has whole seconds)."""
    target = out / "status" / "1"
    shutil.copyfile(status_list, target)
    later = time.time() + 5
    os.utime(target, (later, later))


def _requests(log: list[tuple[str, int]], since: int, path: str) -> list[int]:
    return [code for got, code in log[since:] if got == path]


def _served_site(tmp_path: Path, host: Any, cache_control: str) -> tuple[str, Any, Path, Path, str, str]:
    # The base URL must be known before the build: the server starts first, on a free port.
    folder = tmp_path / "served"
    folder.mkdir()
    base, log = host(folder, cache_control)
    out, revoked_list, ada, grace = _sites(tmp_path, base)
    folder.rmdir()
    out.rename(folder)
    return base, log, folder, revoked_list, ada, grace


def test_a_second_credential_page_asks_the_server_once(
    tmp_path: Path, host: Any, new_page: Callable[..., Any]
) -> None:
    base, log, folder, revoked_list, ada, grace = _served_site(tmp_path, host, "max-age=600")
    page = new_page()
    assert open_and_verify(page, f"{base}/c/{ada}").verdict == "verified"
    assert _requests(log, 0, "/status/1") == [200]

    _publish(revoked_list, folder)
    since = len(log)
    result = open_and_verify(page, f"{base}/c/{grace}")
    # The page announces /status/1?<its ID>, which no other page's visit left in the cache: the
    # preload asked the server, and the verifier used that answer (one request, not two).
    assert result.verdict == "revoked", result.summary()
    assert _requests(log, since, "/status/1") == [200]
    assert _requests(log, since, "/.well-known/did.json") == [200]


def test_a_status_list_from_the_http_cache_is_fetched_again_before_the_verdict(
    tmp_path: Path, host: Any, new_page: Callable[..., Any]
) -> None:
    base, log, folder, revoked_list, ada, grace = _served_site(tmp_path, host, "max-age=600")
    page = new_page()
    assert open_and_verify(page, f"{base}/c/{grace}").verdict == "verified"

    _publish(revoked_list, folder)
    since = len(log)
    result = open_and_verify(page, f"{base}/c/{grace}")
    # The same page again: the page and its preloads came from the HTTP cache (max-age=600),
    # where the old list does not revoke the credential. The verifier fetched it again.
    assert _requests(log, since, f"/c/{grace}") == [], "the page did not come from the cache"
    assert result.verdict == "revoked", result.summary()
    assert _requests(log, since, "/status/1") == [200]
    assert _requests(log, since, "/.well-known/did.json") == [200]
    assert page.evaluate("performance.getEntries().some(e => e.name.includes('/status/1')"
                         " && e.transferSize === 0)"), "the preload did not come from the cache"


def test_a_revalidated_preload_is_not_fetched_again(
    tmp_path: Path, host: Any, new_page: Callable[..., Any]
) -> None:
    base, log, folder, revoked_list, ada, grace = _served_site(tmp_path, host, "no-cache")
    page = new_page()
    assert open_and_verify(page, f"{base}/c/{ada}").verdict == "verified"

    since = len(log)
    assert open_and_verify(page, f"{base}/c/{ada}").verdict == "verified"
    # no-cache: the browser asked the server (304, not modified) and used that answer.
    assert _requests(log, since, "/status/1") == [304]
    assert _requests(log, since, "/.well-known/did.json") == [304]

    _publish(revoked_list, folder)
    since = len(log)
    assert open_and_verify(page, f"{base}/c/{ada}").verdict == "verified"
    assert _requests(log, since, "/status/1") == [200]
    since = len(log)
    result = open_and_verify(page, f"{base}/c/{grace}")
    assert result.verdict == "revoked", result.summary()
    assert _requests(log, since, "/status/1") == [200]

"""The site worker (``sw.js``, docs/design.md "The site worker") in headless Chromium.

A credential page registers it after its verdict; a second credential page in the same browser
is then controlled by it, which fetches the page's record, DID document and status list when the
navigation starts, beside the HTML, and answers the page's own requests for them. These tests
show that it does (the server receives those requests before it has sent the HTML, and no
request twice), that the page's verdict is the one it reaches without the worker, that a
revocation published between two visits counts, that a failed prefetch leaves the page to the
network, that a site below a path registers it with that path as its scope, and that a portable
copy has none. The site is served by a real HTTP server (a worker's fetches are not routed by
Playwright) with GitHub Pages' ``Cache-Control: max-age=600``.
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
from e2e_kit import open_and_verify, wait_for_verdict
from sitekit import make_site, row

from credsite.issuer.revocation import revoke


class _Host(SimpleHTTPRequestHandler):
    """A static host (``/c/ID`` answers ``c/ID.html``) that logs ("recv" | "sent", path, query)
    in order, may hold a page's HTML for a while, and may fail a path's next requests."""

    log: list[tuple[str, str, str]]
    hold: dict[str, float]  # path → seconds its HTML is held before it is sent
    fail: dict[str, int]  # path → how many of its next requests answer 503

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def translate_path(self, path: str) -> str:
        target = super().translate_path(path)
        if not os.path.exists(target) and os.path.isfile(target + ".html"):
            return target + ".html"
        return target

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        path, _, query = self.path.partition("?")
        self.log.append(("recv", path, query))
        if self.fail.get(path, 0) > 0:
            self.fail[path] -= 1
            self.send_error(503)
            return
        if path in self.hold:
            time.sleep(self.hold[path])
        super().do_GET()
        self.log.append(("sent", path, query))

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()


class Served:
    def __init__(self, base: str, folder: Path, log: list[tuple[str, str, str]],
                 hold: dict[str, float], fail: dict[str, int]) -> None:
        self.base, self.folder, self.log, self.hold, self.fail = base, folder, log, hold, fail

    def received(self, since: int, path: str) -> list[str]:
        """The queries of the requests for ``path`` since log entry ``since``."""
        return [query for event, got, query in self.log[since:] if event == "recv" and got == path]

    def index(self, since: int, event: str, path: str) -> int:
        return next(i for i, (e, got, _q) in enumerate(self.log) if i >= since and e == event and got == path)


@pytest.fixture
def host() -> Iterator[Callable[[Path, str], Served]]:
    servers: list[ThreadingHTTPServer] = []

    def serve(folder: Path, below: str = "") -> Served:
        log: list[tuple[str, str, str]] = []
        hold: dict[str, float] = {}
        fail: dict[str, int] = {}
        handler = type("Host", (_Host,), {"log": log, "hold": hold, "fail": fail})
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
        return Served(f"http://127.0.0.1:{server.server_address[1]}{below}", folder, log, hold, fail)

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


def _site(tmp_path: Path, host: Any, below: str = "") -> tuple[Served, Path, str, str]:
    """Two good credentials (Ada's, Grace's) built for the server's address (below ``below``),
    and the status list that revokes Grace's, built aside."""
    root = tmp_path / "served"
    root.mkdir()
    served = host(root, below)
    site = make_site(tmp_path / "site", served.base)
    ada, grace = site.issue([row("Ada Lovelace", "TEST-MMS", "2026-03-14T15:00:00Z"),
                             row("Grace Hopper", "TEST-PB", "2026-02-02T09:30:00Z")])
    out = site.build(root / below.strip("/") if below else tmp_path / "out")
    if not below:
        root.rmdir()
        out.rename(root)
    revoke(site.content, site.site, site.signer, [grace], "issued in error")
    after = site.build(tmp_path / "after")
    return served, after / "status" / "1", ada, grace


WORKER_STATE = """async () => {
  if (!navigator.serviceWorker) return null;
  const registration = await Promise.race([navigator.serviceWorker.ready,
    new Promise((resolve) => setTimeout(() => resolve(null), 15000))]);
  if (!registration) return null;
  let stored = [];
  if ((await indexedDB.databases()).some((d) => d.name === 'credsite-worker')) {
    const db = await new Promise((resolve, reject) => {
      const r = indexedDB.open('credsite-worker'); r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error); });
    if (db.objectStoreNames.contains('learned')) {
      stored = await new Promise((resolve) => {
        const r = db.transaction('learned').objectStore('learned').get('templates');
        r.onsuccess = () => resolve(r.result || []); r.onerror = () => resolve([]); });
    }
    db.close();
  }
  return {scope: registration.scope, script: registration.active && registration.active.scriptURL,
          controlled: !!navigator.serviceWorker.controller, stored: stored};
}"""


def worker_ready(page: Any) -> dict[str, Any]:
    """Once the page's verdict is shown: the worker's registration, when it is active and has
    stored what the page announced (at most 15 s)."""
    deadline = time.monotonic() + 15
    while True:
        state = page.evaluate(WORKER_STATE)
        assert state is not None, "the credential page registered no site worker"
        if state["script"] and state["stored"] or time.monotonic() > deadline:
            return dict(state)
        time.sleep(0.1)


def _uncontrolled(new_page: Callable[..., Any], url: str) -> Any:
    return open_and_verify(new_page(), url)


def test_a_second_page_is_answered_by_the_worker_with_the_verdict_it_has_without(
    tmp_path: Path, host: Any, new_page: Callable[..., Any]
) -> None:
    served, _revoked, ada, grace = _site(tmp_path, host)
    page = new_page(service_workers="allow")
    assert open_and_verify(page, f"{served.base}/c/{ada}").verdict == "verified"
    state = worker_ready(page)
    assert not state["controlled"], "the first page is not controlled: its own requests came first"
    assert state["scope"] == f"{served.base}/" and state["script"] == f"{served.base}/sw.js"
    assert {t["url"].replace(served.base, "") for t in state["stored"]} == {
        "/c/{ID}.json", "/.well-known/did.json?{ID}", "/status/1?{ID}"}

    served.hold[f"/c/{grace}"] = 1.0  # the HTML takes a second: the worker's fetches go first
    since = len(served.log)
    result = open_and_verify(page, f"{served.base}/c/{grace}")
    assert page.evaluate("!!navigator.serviceWorker.controller"), "the second page is not controlled"
    html_sent = served.index(since, "sent", f"/c/{grace}")
    for path in (f"/c/{grace}.json", "/.well-known/did.json", "/status/1"):
        assert served.index(since, "recv", path) < html_sent, f"{path} was not fetched beside the HTML"
    # Each once: the page's own requests (preloads, and the no-store fetches its freshness check
    # makes of what a worker handed over) were answered from the prefetch.
    assert served.received(since, f"/c/{grace}.json") == [""]
    assert served.received(since, "/.well-known/did.json") == [grace]
    assert served.received(since, "/status/1") == [grace]
    timings = page.evaluate("""(id) => performance.getEntriesByType('resource')
      .filter((e) => e.name.includes(id)).map((e) => [e.name, e.workerStart > 0, e.transferSize])""", grace)
    assert timings and all(by_worker and size == 0 for _name, by_worker, size in timings), timings

    alone = _uncontrolled(new_page, f"{served.base}/c/{grace}")
    assert result.verdict == alone.verdict == "verified", result.summary()
    assert result.statuses() == alone.statuses()
    assert page.credsite_errors == []


def test_a_revocation_published_between_two_visits_is_seen_by_the_controlled_page(
    tmp_path: Path, host: Any, new_page: Callable[..., Any]
) -> None:
    served, revoked_list, _ada, grace = _site(tmp_path, host)
    page = new_page(service_workers="allow")
    assert open_and_verify(page, f"{served.base}/c/{grace}").verdict == "verified"
    worker_ready(page)

    shutil.copyfile(revoked_list, served.folder / "status" / "1")
    since = len(served.log)
    # The same page again: its HTML and its preloads are in the HTTP cache (max-age=600) with the
    # old list, which does not revoke it; the worker fetched the list from the server.
    result = open_and_verify(page, f"{served.base}/c/{grace}")
    assert page.evaluate("!!navigator.serviceWorker.controller")
    assert served.received(since, f"/c/{grace}") == [], "the HTML did not come from the HTTP cache"
    assert served.received(since, "/status/1") == [grace]
    assert result.verdict == "revoked", result.summary()
    assert result.statuses() == _uncontrolled(new_page, f"{served.base}/c/{grace}").statuses()


def test_a_failed_prefetch_leaves_the_page_to_the_network(
    tmp_path: Path, host: Any, new_page: Callable[..., Any]
) -> None:
    served, _revoked, ada, grace = _site(tmp_path, host)
    page = new_page(service_workers="allow")
    assert open_and_verify(page, f"{served.base}/c/{ada}").verdict == "verified"
    worker_ready(page)

    served.fail["/status/1"] = 1  # the worker's fetch of the status list answers 503
    since = len(served.log)
    result = open_and_verify(page, f"{served.base}/c/{grace}")
    assert page.evaluate("!!navigator.serviceWorker.controller")
    assert result.verdict == "verified", result.summary()
    assert len(served.received(since, "/status/1")) >= 2  # the 503, then the page's own


def test_a_site_below_a_path_registers_its_worker_with_that_scope(
    tmp_path: Path, host: Any, new_page: Callable[..., Any]
) -> None:
    served, _revoked, ada, grace = _site(tmp_path, host, below="/project")
    assert (served.folder / "project" / "sw.js").is_file()
    page = new_page(service_workers="allow")
    assert open_and_verify(page, f"{served.base}/c/{ada}").verdict == "verified"
    state = worker_ready(page)
    assert state["scope"] == f"{served.base}/"
    assert state["script"] == f"{served.base}/sw.js"
    assert {t["url"].replace(served.base, "") for t in state["stored"]} == {
        "/c/{ID}.json", "/did.json?{ID}", "/status/1?{ID}"}
    since = len(served.log)
    assert open_and_verify(page, f"{served.base}/c/{grace}").verdict == "verified"
    assert page.evaluate("!!navigator.serviceWorker.controller")
    assert served.received(since, "/project/status/1") == [grace]


def test_a_portable_copy_registers_no_worker(
    tmp_path: Path, new_page: Callable[..., Any], serve_dir: Callable[..., str]
) -> None:
    site = make_site(tmp_path / "site", "http://127.0.0.1:9")  # nothing answers there
    (ada,) = site.issue([row("Ada Lovelace", "TEST-MMS", "2026-03-14T15:00:00Z")])
    out = site.build(tmp_path / "usb", portable=True)
    assert not (out / "sw.js").exists()
    page = new_page(service_workers="allow")
    page.goto((out / "c" / f"{ada}.html").as_uri())
    wait_for_verdict(page)  # the issuer's site is offline: not verified, but a verdict
    assert page.credsite_errors == []
    # The same copy put on a web server: its pages embed their record and register nothing.
    page = new_page(service_workers="allow")
    page.goto(f"{serve_dir(out)}/c/{ada}.html")
    wait_for_verdict(page)
    page.wait_for_timeout(1000)
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then((r) => r.length)") == 0
    assert page.credsite_errors == []

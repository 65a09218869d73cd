"""``credsite check --live`` against a site served on 127.0.0.1 (issue 14, item 6).

A mini site is issued for ``http://127.0.0.1:<port>``, built, and served by a real HTTP server
in a thread: credsite's preview server (which maps ``/c/<ID>`` to ``c/<ID>.html`` as GitHub Pages
does) or a plain static server that does not. ``--allow-http`` lets the check accept the local
http site; without it, http is the first problem. Each failure case breaks one thing a host or
a forgotten deploy breaks, and the check must name it.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sitekit import MiniSite, award_row

from credsite.build.serve import PreviewHandler

Serve = Callable[..., str]
RunCli = Callable[..., tuple[int, str, str]]
LiveSite = tuple[MiniSite, int, list[str]]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PlainHandler(http.server.SimpleHTTPRequestHandler):
    """A static host that serves files by their exact names only (plain S3, say)."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def serve() -> Iterator[Serve]:
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(folder: Path, port: int, handler: type = PreviewHandler) -> str:
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", port), functools.partial(handler, directory=str(folder)))
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{port}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def live_site(make_site: Callable[..., MiniSite]) -> tuple[MiniSite, int, list[str]]:
    port = free_port()
    site = make_site(base_url=f"http://127.0.0.1:{port}")
    ids = site.issue([award_row(name=f"Holder {n}") for n in range(4)])
    site.build(site.root / "output")
    return site, port, ids


def live(run_cli: RunCli, site: MiniSite, *extra: str) -> tuple[int, list[str]]:
    code, out, err = run_cli("check", "--content", site.content, "--live", *extra)
    assert err == ""
    return code, out.splitlines()


def test_a_good_deploy_passes(live_site: LiveSite, serve: Serve, run_cli: RunCli) -> None:
    site, port, ids = live_site
    url = serve(site.root / "output", port)
    code, lines = live(run_cli, site, "--allow-http", "--sample", "10")
    assert code == 0, lines
    assert lines[0] == f"OK    {url}/.well-known/did.json: DID document {site.site.did}, 1 key(s)"
    assert lines[1] == (f"OK    {url}/status/1: status list, signed, same as "
                        "content/status/revocation-1.json")
    assert sorted(lines[2:-1]) == sorted(f"OK    {url}/c/{i}: page and record, verified" for i in ids)
    assert lines[-1] == f"live check: {url} serves what content/ holds, and it verifies"


def test_http_is_refused_without_the_flag(live_site: LiveSite, serve: Serve, run_cli: RunCli) -> None:
    site, port, _ = live_site
    url = serve(site.root / "output", port)
    code, lines = live(run_cli, site)
    assert code == 1
    assert lines[0].startswith(f"FAIL  no https: {url} is http; browsers verify only on https")
    assert lines[-1] == f"live check: 1 problem(s) at {url}"


def test_a_site_served_at_another_url_is_a_wrong_base_url(
        live_site: LiveSite,
        serve: Serve,
        run_cli: RunCli,
) -> None:
    site, port, _ = live_site
    elsewhere = serve(site.root / "output", free_port())
    code, lines = live(run_cli, site, elsewhere, "--allow-http")
    assert code == 1
    assert lines[0] == (f"FAIL  wrong base URL: the site is served at {elsewhere}, but "
                        f"content/site.yaml's base_url is {site.base_url}, which every credential "
                        "names and signs; deploy to that URL (or issue for this one: base_url must "
                        "be set before issuing)")


def test_a_host_without_the_html_mapping_breaks_every_qr_code(
        live_site: LiveSite,
        serve: Serve,
        run_cli: RunCli,
) -> None:
    site, port, ids = live_site
    url = serve(site.root / "output", port, PlainHandler)
    code, lines = live(run_cli, site, "--allow-http", "--sample", "2")
    assert code == 1
    failures = [line for line in lines if line.startswith("FAIL")]
    assert len(failures) == 2
    assert all("the host does not serve c/<ID>.html at /c/<ID>, the URL in every QR code" in f
               for f in failures)
    assert any(f"{url}/c/{i}: HTTP 404, but {url}/c/{i}.html exists" in failures[0] for i in ids)


def test_a_missing_did_document(live_site: LiveSite, serve: Serve, run_cli: RunCli) -> None:
    site, port, _ = live_site
    shutil.rmtree(site.root / "output" / ".well-known")  # as an upload that drops hidden folders
    url = serve(site.root / "output", port)
    code, lines = live(run_cli, site, "--allow-http")
    assert code == 1
    assert lines[0].startswith(f"FAIL  {url}/.well-known/did.json: DID document HTTP 404: ")
    assert "include-hidden-files: true" in lines[0]


def test_a_revocation_not_yet_deployed_is_stale_status(
        live_site: LiveSite,
        serve: Serve,
        run_cli: RunCli,
) -> None:
    site, port, ids = live_site
    url = serve(site.root / "output", port)
    code, _, err = run_cli("revoke", ids[0], "--reason", "issued in error", "--key", site.key_path,
                           "--content", site.content)
    assert code == 0, err
    code, lines = live(run_cli, site, "--allow-http", "--sample", "1")
    assert code == 1
    assert lines[1].startswith(f"FAIL  {url}/status/1: stale status: the published list is not "
                               "content/status/revocation-1.json")
    # the revoked credential is sampled first, and its page still says verified
    assert lines[2] == (f"FAIL  {url}/c/{ids[0]}: shows verified, but content/ says revoked: "
                        "stale status or keys; deploy again")
    site.build(site.root / "output")  # deploying fixes both
    code, lines = live(run_cli, site, "--allow-http", "--sample", "1")
    assert code == 0, lines
    assert lines[2] == f"OK    {url}/c/{ids[0]}: page and record, revoked"


def test_a_changed_record_and_a_missing_page(live_site: LiveSite, serve: Serve, run_cli: RunCli) -> None:
    site, port, ids = live_site
    out = site.root / "output" / "c"
    record = out / f"{ids[-1]}.json"  # the newest credential is always sampled
    record.write_bytes(record.read_bytes().replace(b"Holder", b"Holdr"))
    url = serve(site.root / "output", port)
    code, lines = live(run_cli, site, "--allow-http", "--sample", "1")
    assert code == 1
    assert lines[2].startswith(f"FAIL  {url}/c/{ids[-1]}.json: stale record: not the signed award")
    (out / f"{ids[-1]}.html").unlink()
    code, lines = live(run_cli, site, "--allow-http", "--sample", "1")
    assert lines[2] == f"FAIL  {url}/c/{ids[-1]}: credential page HTTP 404: not deployed?"


def test_a_site_that_cannot_be_reached(live_site: LiveSite, run_cli: RunCli) -> None:
    site, port, _ = live_site
    code, lines = live(run_cli, site, "--allow-http")
    assert code == 1
    assert lines[0].startswith(f"FAIL  {site.base_url}/.well-known/did.json: cannot be reached (")
    assert lines[0].endswith(f"is the site deployed at {site.base_url}?")
    assert len(lines) == 2

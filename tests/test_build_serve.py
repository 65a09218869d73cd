"""``credsite serve`` serves the built site as a static host would, with CORS and JSON types."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pytest
from sitekit import make_site, row

from credsite.build.serve import make_server
from credsite.errors import CredsiteError


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, str]]:
    site = make_site(tmp_path_factory.mktemp("serve"))
    [cred_id] = site.issue([row()])
    out = site.build()
    server = make_server(out, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", out, cred_id
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def fetch(url: str) -> tuple[int, Message, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - local test server
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def content_type(headers: Message) -> str:
    return (headers.get("Content-Type") or "").split(";")[0].strip()


def test_home_page(served: tuple[str, Path, str]) -> None:
    base, out, _ = served
    status, headers, body = fetch(f"{base}/")
    assert status == 200 and content_type(headers) == "text/html"
    assert body == (out / "index.html").read_bytes()


def test_credential_page_by_its_permanent_url(served: tuple[str, Path, str]) -> None:
    base, out, cred_id = served
    status, headers, body = fetch(f"{base}/c/{cred_id}")  # c/ID.html, as GitHub Pages serves it
    assert status == 200 and content_type(headers) == "text/html"
    assert body == (out / "c" / f"{cred_id}.html").read_bytes()
    status, headers, body = fetch(f"{base}/c/{cred_id}.json")
    assert status == 200 and content_type(headers) == "application/json"
    assert body == (out / "c" / f"{cred_id}.json").read_bytes()


def test_did_document_is_json_with_cors(served: tuple[str, Path, str]) -> None:
    base, out, _ = served
    status, headers, body = fetch(f"{base}/.well-known/did.json")
    assert status == 200
    assert content_type(headers) == "application/json"
    assert headers.get("Access-Control-Allow-Origin") == "*"
    assert body == (out / ".well-known" / "did.json").read_bytes()


def test_status_list_is_json(served: tuple[str, Path, str]) -> None:
    base, out, _ = served
    status, headers, body = fetch(f"{base}/status/1")
    assert status == 200
    assert content_type(headers) == "application/json"
    assert headers.get("Access-Control-Allow-Origin") == "*"
    assert body == (out / "status" / "1").read_bytes()


@pytest.mark.parametrize("path", ["/no/such/page/", "/c/0000000000000000", "/missing.json"])
def test_missing_path_is_404_with_the_404_page(served: tuple[str, Path, str], path: str) -> None:
    base, out, _ = served
    status, headers, body = fetch(f"{base}{path}")
    assert status == 404
    assert content_type(headers) == "text/html"
    assert body == (out / "404.html").read_bytes()


def test_serving_a_folder_without_a_built_site_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CredsiteError, match="credsite build"):
        make_server(tmp_path, 0)

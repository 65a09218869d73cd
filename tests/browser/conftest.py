"""Fixtures for tests that run the verifier in real headless Chromium.

- ``browser``: one Chromium for the session (Playwright, system ``chromium``; never downloads).
- ``serve_dir(path, port=0) -> base_url``: serves a directory over HTTP on 127.0.0.1 from a
  thread, as a static host does (``/c/ID`` answers ``c/ID.html``); files are read live, so they
  may be written after the server starts, e.g. once the port is known; stopped at the end of the
  test. ``module_serve_dir`` is the same per module.
- ``new_page(**context_options)``: a page in a fresh browser context (service workers blocked
  unless ``service_workers="allow"``); uncaught page errors and CSP violations are collected in
  ``page.credsite_errors``. ``module_new_page`` per module.
- ``assets_dir``, ``repo_root``, ``w3c_vector_dir``: paths.

Without Chromium or Playwright the tests skip, except when the environment variable ``CI`` is
set: then they fail, so a CI run cannot pass without having run them.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from vectors import w3c

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))  # for `import vc_testkit`
ASSETS_DIR = REPO_ROOT / "templates" / "assets"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def missing(reason: str) -> None:
    """Skip locally, fail under CI."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (required when CI is set)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def assets_dir() -> Path:
    return ASSETS_DIR


@pytest.fixture(scope="session")
def w3c_vector_dir() -> Path:
    return w3c.vector_dir()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright for Python is not installed")
    executable = (
        os.environ.get("CREDSITE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    if not executable:
        missing("Chromium is not installed (no `chromium` on PATH)")
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(
                executable_path=executable, args=CHROMIUM_ARGS, headless=True
            )
        except Exception as error:  # noqa: BLE001 - any launch failure means "no browser"
            missing(f"Chromium could not be started: {error}")
        try:
            yield chromium
        finally:
            chromium.close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def translate_path(self, path: str) -> str:
        # As GitHub Pages and most static hosts do: /c/ID answers c/ID.html (but /c/ID/ is a 404).
        target = super().translate_path(path)
        if not path.split("?", 1)[0].endswith("/") and not os.path.exists(target) \
                and os.path.isfile(target + ".html"):
            return target + ".html"
        return target

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        # Static hosts such as GitHub Pages allow cross-origin reads; copies of a credential
        # page on another host fetch the DID document from the issuer's host.
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()


class _Servers:
    def __init__(self) -> None:
        self.running: list[tuple[ThreadingHTTPServer, threading.Thread]] = []

    def serve(self, path: Path | str, port: int = 0) -> str:
        handler = functools.partial(_QuietHandler, directory=str(path))
        server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        self.running.append((server, thread))
        return f"http://127.0.0.1:{server.server_address[1]}"

    def stop(self) -> None:
        for server, thread in self.running:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)
        self.running.clear()


@pytest.fixture
def serve_dir() -> Iterator[Callable[..., str]]:
    servers = _Servers()
    yield servers.serve
    servers.stop()


@pytest.fixture(scope="module")
def module_serve_dir() -> Iterator[Callable[..., str]]:
    servers = _Servers()
    yield servers.serve
    servers.stop()


class _Pages:
    def __init__(self, browser: Any) -> None:
        self.browser = browser
        self.contexts: list[Any] = []

    def make(self, **context_options: Any) -> Any:
        # The site worker (sw.js) answers a second credential page's requests itself, and
        # Playwright's page.route does not see requests a service worker handles: tests run
        # without it unless they ask for it (test_site_worker.py does).
        context_options.setdefault("service_workers", "block")
        context = self.browser.new_context(**context_options)
        self.contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
        page.on(
            "console",
            lambda msg: (
                errors.append(f"console: {msg.text}")
                if msg.type == "error" and "Content Security Policy" in msg.text
                else None
            ),
        )
        page.credsite_errors = errors
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        self.contexts.clear()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    pages = _Pages(browser)
    yield pages.make
    pages.close()


@pytest.fixture(scope="module")
def module_new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    pages = _Pages(browser)
    yield pages.make
    pages.close()


HARNESS_HTML = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"
      content="default-src 'self'; script-src 'self'; connect-src 'self' http://127.0.0.1:*">
<title>verifier harness</title>
<script src="/assets/i18n.js" defer></script>
<script src="/assets/verifier-core.js" defer></script>
<script src="/assets/verifier-page.js" defer></script>
</head>
<body><p>verifier harness</p></body>
</html>
"""


def copy_assets(site_dir: Path) -> None:
    """Copy the verifier scripts (and the language runtime and /verify/ upload part that some
    harness pages load) to ``<site_dir>/assets/``."""
    target = site_dir / "assets"
    target.mkdir(parents=True, exist_ok=True)
    for name in ("i18n.js", "verifier-core.js", "verifier-page.js", "verify-upload.js"):
        shutil.copyfile(ASSETS_DIR / name, target / name)


class Harness:
    """A served directory with the verifier scripts and a page that loaded them."""

    def __init__(self, site_dir: Path, base_url: str, page: Any) -> None:
        self.site_dir = site_dir
        self.base_url = base_url
        self.page = page


@pytest.fixture(scope="module")
def core_harness(
    tmp_path_factory: pytest.TempPathFactory,
    module_serve_dir: Callable[..., str],
    module_new_page: Callable[..., Any],
) -> Harness:
    """`/index.html` loading i18n.js, verifier-core.js and verifier-page.js under a strict CSP."""
    site_dir = tmp_path_factory.mktemp("harness")
    copy_assets(site_dir)
    (site_dir / "index.html").write_text(HARNESS_HTML, encoding="utf-8")
    base_url = module_serve_dir(site_dir)
    page = module_new_page()
    page.goto(base_url + "/index.html")
    page.wait_for_function("typeof window.CredsiteVerifier === 'object'")
    return Harness(site_dir, base_url, page)

"""A built site answered at its own ``base_url`` inside one Playwright browser context.

``host_site(context, out, base_url)`` routes every request for ``base_url`` to the files under
``out``, the way a static host serves them (``x/`` and ``x`` → ``x/index.html``, ``x`` → ``x.html``,
unknown paths → ``404.html`` with status 404), so a real ``credsite build`` of the demo
(base_url ``http://localhost:8000``) verifies as "Verified" without taking port 8000.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

TYPES = {".json": "application/json", ".js": "text/javascript", ".css": "text/css",
         ".svg": "image/svg+xml", ".png": "image/png", ".html": "text/html; charset=utf-8"}


def _content_type(path: Path) -> str:
    return TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def host_site(context: Any, out: Path, base_url: str) -> None:
    base = urlsplit(base_url)
    base_path = base.path.rstrip("/")
    origin = f"{base.scheme}://{base.netloc}"

    def handle(route: Any) -> None:
        parts = urlsplit(route.request.url)
        path = unquote(parts.path)
        if not path.startswith(base_path + "/") and path != base_path:
            route.fulfill(status=404, body="outside the site")
            return
        rel = path[len(base_path):].lstrip("/")
        target = out / rel
        if target.is_dir():  # a fulfilled redirect would not be routed again: serve the index
            target = target / "index.html"
        elif not target.exists() and target.with_name(target.name + ".html").is_file():
            target = target.with_name(target.name + ".html")  # /c/ID → c/ID.html
        if not target.is_file() or out.resolve() not in target.resolve().parents:
            route.fulfill(status=404, body=(out / "404.html").read_bytes(),
                          headers={"Content-Type": "text/html; charset=utf-8"})
            return
        route.fulfill(status=200, body=target.read_bytes(),
                      headers={"Content-Type": _content_type(target), "Cache-Control": "no-store",
                               "Access-Control-Allow-Origin": "*"})

    context.route(f"{origin}/**", handle)


def open_page(new_page: Any, out: Path, base_url: str, path: str = "/", **context_options: Any) -> Any:
    """A new page in a new context that hosts ``out`` at ``base_url``, navigated to ``path``."""
    page = new_page(**context_options)
    host_site(page.context, out, base_url)
    page.goto(base_url.rstrip("/") + path)
    return page


def wait_verified(page: Any, timeout: float = 30_000) -> str:
    """Wait until the verifier has written its verdict and a credential page's tools (sharing,
    badge downloads, e-mail check), which load after it (tools-loader.js), have run; returns it."""
    page.wait_for_selector("html[data-verify-ms]", state="attached", timeout=timeout)
    # Selectors, not a string predicate: the built pages' CSP forbids eval.
    page.wait_for_selector("html:not([data-tools='loading'])", state="attached", timeout=timeout)
    return str(page.get_attribute("#verdict", "data-verdict"))

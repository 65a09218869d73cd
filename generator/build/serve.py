"""``credsite serve``: a local preview server for the built site (not for production)."""

from __future__ import annotations

import functools
import http.server
import os
from pathlib import Path

from credsite.errors import BuildError


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Static files as a static host serves them (``/x`` from ``x.html`` when there is no ``x``),
    plus what a real host would add:

    CORS on the DID document and status lists (a copy of a page on another origin must be able
    to fetch them from the issuer), JSON content types, and ``404.html`` for missing paths.
    """

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".json": "application/json", ".js": "text/javascript",
                      ".svg": "image/svg+xml"}

    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def translate_path(self, path: str) -> str:
        """``/c/ID`` → ``c/ID.html``, as GitHub Pages, Netlify and Cloudflare Pages serve it."""
        local = super().translate_path(path)
        if not os.path.exists(local) and os.path.isfile(local + ".html"):
            return local + ".html"
        return local

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        if "/status/" in str(path).replace("\\", "/"):
            return "application/json"
        return super().guess_type(path)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


def make_server(out: Path, port: int, bind: str = "127.0.0.1") -> http.server.ThreadingHTTPServer:
    if not (out / "index.html").is_file():
        raise BuildError(f"{out} has no built site; run 'credsite build' first")
    handler = functools.partial(PreviewHandler, directory=str(out))
    return http.server.ThreadingHTTPServer((bind, port), handler)


def serve(out: Path, port: int, bind: str = "127.0.0.1") -> None:
    try:
        server = make_server(out, port, bind)
    except OSError as exc:
        raise BuildError(f"cannot listen on {bind}:{port}: {exc.strerror}; try --port") from None
    print(f"serving {out} at http://localhost:{port}/ (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopped")
    finally:
        server.server_close()

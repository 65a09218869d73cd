"""Helpers for the end-to-end browser tests: real builds, served, verified in Chromium.

- ``open_and_verify(page, url)`` opens a page of a built site and waits for the verifier to finish
  (``<html data-verify-ms>`` is set when it has written its verdict); returns a ``Verdict``.
- ``read_embedded`` / ``embed`` / ``set_field`` edit a BUILT credential page the way someone
  tampering with the published files would: the JSON in ``<script id="credential-data">`` and the
  text of ``data-f`` elements.
- ``run_cli(*args)`` runs the real ``credsite`` command line (``python -m credsite``).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
TESTS_DIR = REPO_ROOT / "tests"
if str(TESTS_DIR) not in sys.path:
    sys.path.insert(0, str(TESTS_DIR))  # for `import sitekit`

CHECK_NAMES = ["format", "issuer-key", "signature", "catalog", "validity", "status", "origin", "page"]
VERIFY_TIMEOUT_MS = 30_000


@dataclass
class Check:
    name: str
    status: str
    reason: str
    code: str = ""


@dataclass
class Verdict:
    verdict: str
    title: str
    text: str
    checks: list[Check]
    verify_ms: float | None

    def check(self, name: str) -> Check:
        found = [c for c in self.checks if c.name == name]
        assert found, f"no {name!r} check in {self.summary()}"
        return found[0]

    def statuses(self) -> dict[str, str]:
        return {c.name: c.status for c in self.checks}

    def failed(self) -> list[str]:
        return [c.name for c in self.checks if c.status == "failed"]

    def summary(self) -> str:
        lines = [f"verdict={self.verdict!r} title={self.title!r} text={self.text!r}"]
        lines += [f"  {c.name}: {c.status} — {c.reason}" for c in self.checks]
        return "\n".join(lines)


READ_RESULT_JS = """() => {
  const banner = document.getElementById('verdict');
  const title = banner.querySelector('.verdict-title');
  const ms = document.documentElement.dataset.verifyMs;
  return {
    verdict: banner.getAttribute('data-verdict'),
    title: title ? title.textContent : '',
    text: banner.innerText,
    checks: Array.from(document.querySelectorAll('#checks li')).map(function (li) {
      const reason = li.querySelector('.check-reason');
      return {name: li.getAttribute('data-check'), status: li.getAttribute('data-status'),
              reason: reason ? reason.textContent : '', code: li.getAttribute('data-code') || ''};
    }),
    ms: ms === undefined ? null : Number(ms),
  };
}"""


def read_result(page: Any) -> Verdict:
    raw = page.evaluate(READ_RESULT_JS)
    return Verdict(raw["verdict"], raw["title"], raw["text"],
                   [Check(**c) for c in raw["checks"]], raw["ms"])


def wait_for_verdict(page: Any) -> Verdict:
    # A selector, not a string predicate: the built pages' CSP forbids eval.
    page.wait_for_selector("html[data-verify-ms]", state="attached", timeout=VERIFY_TIMEOUT_MS)
    return read_result(page)


def open_and_verify(page: Any, url: str) -> Verdict:
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
    return wait_for_verdict(page)


# --------------------------------------------------------------------------- editing built pages

_DATA = re.compile(r'(<script\b[^>]*\bid="credential-data"[^>]*>)(.*?)(</script>)', re.S)
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                   "\u2029": "\\u2029"}


def page_path(out: Path, cred_id: str) -> Path:
    """The built credential page: ``c/<ID>.html``, served at ``/c/<ID>``."""
    return out / "c" / f"{cred_id}.html"


def credential_ids(out: Path) -> list[str]:
    """The IDs of the credential pages of a built site, sorted."""
    return sorted(p.stem for p in (out / "c").glob("*.html"))


def read_embedded(html: str, out: Path | None = None) -> dict[str, Any]:
    """The record a credential page verifies: embedded in ``<script id=credential-data>`` (a
    portable build, or a page edited with :func:`embed`), else the published ``c/<ID>.json`` it
    names in ``data-src`` (the web build), read from the site folder ``out``."""
    match = _DATA.search(html)
    assert match, "no <script id=credential-data> in the page"
    if not match.group(2).strip():
        src = re.search(r'\bdata-src="([^"]+)"', match.group(1))
        assert src and out is not None, "the page names its record: pass the site folder"
        return dict(json.loads((out / "c" / src.group(1).rsplit("/", 1)[-1]).read_bytes()))
    return dict(json.loads(match.group(2)))


def script_json(credential: dict[str, Any]) -> str:
    text = json.dumps(credential, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in _SCRIPT_ESCAPES.items():
        text = text.replace(raw, escaped)
    return text


def embed(html: str, credential: dict[str, Any]) -> str:
    """The page with ``credential`` embedded in it (valid JSON, `<` written as \\u003c): the
    page then verifies that instead of the record it names (as an edited page would)."""
    assert _DATA.search(html)
    return _DATA.sub(lambda m: m.group(1) + script_json(credential) + m.group(3), html, count=1)


def _field_re(field: str) -> re.Pattern[str]:
    return re.compile(r'(<(?P<tag>[a-z0-9]+)\b[^>]*\bdata-f="' + re.escape(field)
                      + r'"[^>]*>)(?P<text>.*?)(</(?P=tag)>)', re.S)


def field_text(html: str, field: str) -> str:
    match = _field_re(field).search(html)
    assert match, f"no data-f={field!r} element in the page"
    return match.group("text")


def set_field(html: str, field: str, text: str, datetime: str | None = None) -> str:
    """Replace the (HTML-escaped) text of every ``data-f`` element, and its datetime."""
    import html as html_lib

    def replace(match: re.Match[str]) -> str:
        opening = match.group(1)
        if datetime is not None:
            opening, count = re.subn(r'\bdatetime="[^"]*"', f'datetime="{datetime}"', opening)
            assert count == 1, opening
        return opening + html_lib.escape(text, quote=False) + match.group(4)

    new, count = _field_re(field).subn(replace, html)
    assert count >= 1, f"no data-f={field!r} element in the page"
    return new


def holder_identifier(credential: dict[str, Any]) -> dict[str, Any]:
    return next(i for i in credential["credentialSubject"]["identifier"]
                if i.get("identityType") == "name")


def display_date(timestamp: str) -> str:
    """"March 14, 2026" for "2026-03-14T15:00:00Z" (as the templates and the verifier show it)."""
    import datetime as dt

    moment = dt.datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%SZ")
    return f"{moment:%B} {moment.day}, {moment.year}"


# --------------------------------------------------------------------------- the CLI

def run_cli(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """``credsite ARGS`` (as ``python -m credsite`` of this interpreter)."""
    result = subprocess.run([sys.executable, "-m", "credsite", *args], capture_output=True,  # noqa: S603
                            text=True, cwd=REPO_ROOT, timeout=120)
    if check:
        assert result.returncode == 0, (
            f"credsite {' '.join(args)} exited {result.returncode}\n"
            f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}")
    return result

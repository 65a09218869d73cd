"""The site a page belongs to: pinned into every page by the build, and warnings about shared hosts.

Issue 16, finding 1: a second credsite site on the same host (a sibling GitHub Pages project) got
"Verified … issued by Northbridge Institute" for its own credential, because pages did not know
their site's DID and base URL. The browser side is tested in tests/browser/test_site_pinning_in_chromium.py
and by the verdict vectors.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sitekit import MiniSite

from credsite.content.hosting import shared_host_warning


@pytest.mark.parametrize("base_url", [
    "https://northbridge.github.io/credentials",
    "https://northbridge.github.io",
    "https://NorthBridge.GitHub.io/credentials/",
    "https://group.gitlab.io/creds",
])
def test_a_shared_pages_host_is_named(base_url: str) -> None:
    warning = shared_host_warning(base_url)
    assert warning is not None and "dedicated domain or subdomain" in warning
    assert base_url in warning


@pytest.mark.parametrize("base_url", [
    "https://credentials.northbridge.example",
    "https://northbridge.example/credentials",
    "http://localhost:8000",
    "https://github.io.example.com/x",
])
def test_an_own_host_is_not_warned_about(base_url: str) -> None:
    assert shared_host_warning(base_url) is None


def test_init_warns_about_a_project_site(tmp_path: Path, run_cli: Callable[..., Any]) -> None:
    code, out, _ = run_cli("init", tmp_path / "site", "--base-url",
                           "https://northbridge.github.io/credentials", "--no-passphrase")
    assert code == 0
    [warning] = [line for line in out.splitlines() if line.startswith("WARN")]
    assert "northbridge.github.io" in warning and "dedicated domain" in warning
    code, out, _ = run_cli("init", tmp_path / "own", "--base-url",
                           "https://credentials.northbridge.example", "--no-passphrase")
    assert code == 0 and "WARN" not in out


def test_check_warns_about_a_project_site(
    make_site: Callable[..., MiniSite], run_cli: Callable[..., Any]
) -> None:
    site = make_site(base_url="https://northbridge.github.io/credentials")
    code, out, _ = run_cli("check", "--content", site.content)
    assert code == 0, out  # a warning, not a problem
    assert any(line.startswith("WARN") and "northbridge.github.io" in line
               for line in out.splitlines()), out


def meta(page: str, attribute: str) -> str:
    """An attribute of the page's one ``<meta name="credsite">``."""
    [element] = re.findall(r'<meta name="credsite" [^>]*>', page)
    match = re.search(rf' {re.escape(attribute)}="([^"]*)"', element)
    assert match, attribute
    return html.unescape(match.group(1))


def test_every_page_names_its_site(make_site: Callable[..., MiniSite]) -> None:
    site = make_site(base_url="https://northbridge.github.io/credentials")
    [cred_id] = site.issue()
    out = site.build()
    for page in (out / "c" / f"{cred_id}.html", out / "verify" / "index.html", out / "index.html"):
        text = page.read_text(encoding="utf-8")
        assert meta(text, "content") == "did:web:northbridge.github.io:credentials"
        assert meta(text, "data-base") == "https://northbridge.github.io/credentials"
        assert meta(text, "data-name") == site.site.issuer_name

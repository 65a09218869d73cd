"""``credsite build --portable``: a site that also works opened from files (a USB stick, a zip).

Every internal link is relative and names a file (``../credentials/index.html``, ``c/<ID>.html``),
so a browser reading ``file://`` URLs, which has no server to add ``index.html`` or ``.html``,
reaches every page, asset and fragment. Only links change: the signed records, the QR codes and
the permanent URLs are those of the web build.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from sitekit import make_site, parse_page, row, tree_differences, tree_snapshot

from credsite.build.pipeline import build_site
from credsite.cli.commands import main

REPO = Path(__file__).resolve().parent.parent
LINK_ATTRIBUTES = ("href", "src", "action")
ABSOLUTE = re.compile(r"[a-z][a-z0-9+.-]*:", re.I)  # http:, https:, mailto:, data:, …


@pytest.fixture(scope="module")
def portable(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("portable") / "usb"
    assert main(["build", "--content", str(REPO / "content"), "--out", str(out), "--quiet",
                 "--portable"]) == 0
    return out


def file_links(out: Path) -> tuple[list[str], int]:
    """Follow every link of every page as a browser does from ``file://`` URLs: each must name
    a file of the site (a folder shows a directory listing there), and each fragment an id."""
    pages = {p: parse_page(p.read_text(encoding="utf-8")) for p in sorted(out.rglob("*.html"))}
    problems: list[str] = []
    checked = 0
    for path, page in pages.items():
        here = path.as_uri()
        for element in page.elements:
            for attribute in LINK_ATTRIBUTES:
                value = element.attrs.get(attribute)
                if value is None or ABSOLUTE.match(value) or value.startswith("#"):
                    continue
                where = f"{path.relative_to(out)}:{element.line} <{element.tag} {attribute}={value!r}>"
                if value.startswith("/"):
                    problems.append(f"{where}: a root-relative link leaves the copy's folder")
                    continue
                parts = urlsplit(urljoin(here, value))
                target = Path(unquote(parts.path))
                checked += 1
                if out.resolve() not in target.resolve().parents or not target.is_file():
                    problems.append(f"{where}: {target} is not a file of the site")
                elif parts.fragment and parts.fragment not in pages[target].ids:
                    problems.append(f"{where}: no id {parts.fragment!r} in {target.name}")
    return problems, checked


def test_every_link_of_a_portable_build_reaches_a_file(portable: Path) -> None:
    problems, checked = file_links(portable)
    assert problems == []
    assert checked > 1000  # 50 credential pages and 54 public pages (27 per language), ~20 links each


def test_the_web_build_would_fail_that_check(demo_output: Path) -> None:
    """The check can fail: the web build's links are site paths (``/credentials/``)."""
    problems, _ = file_links(demo_output)
    assert any("root-relative" in p for p in problems)


def test_only_links_differ_from_the_web_build(portable: Path, demo_output: Path) -> None:
    """Records, QR codes, permanent URLs and text are the web build's."""
    web, usb = tree_snapshot(demo_output), tree_snapshot(portable)
    assert "sw.js" in web and "sw.js" not in usb  # the site worker: no worker runs from files
    del web["sw.js"]
    assert web.keys() == usb.keys()
    assert [p for p in web if not p.endswith(".html") and web[p] != usb[p]] == []
    link = re.compile(rb'(href|src|action|data-base)="[^"]*"'
                      rb'|data-logo="[^"]*"')
    # the web page fetches its record (named in data-src, preloaded); the copy embeds it
    preload = re.compile(rb'<link rel="preload"[^>]*>')
    record = re.compile(rb'(<script type="application/ld\+json" id="credential-data")[^>]*>(.*?)</script>',
                        re.S)
    for name in [p for p in web if p.startswith("c/") and p.endswith(".html")]:
        embedded = record.search(usb[name])
        assert embedded and json.loads(embedded.group(2)) == json.loads(web[name[:-5] + ".json"])
        assert record.search(web[name]).group(2) == b""  # type: ignore[union-attr]

        def same(page: bytes) -> bytes:
            return link.sub(b"", record.sub(rb"\1>", preload.sub(b"", page)))

        assert same(web[name]) == same(usb[name]), name
        assert b'src="../assets/' in usb[name] and b'href="../assets/' in usb[name]


def test_switching_between_web_and_portable_rebuilds_every_page(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    site.issue([row("Ada Lovelace", "TEST-MMS"), row("Grace Hopper", "TEST-CNC")])
    out, clean = tmp_path / "out", tmp_path / "clean"
    build_site(site.content, out, quiet=True)
    build_site(site.content, out, quiet=True, portable=True)
    build_site(site.content, clean, quiet=True, portable=True, incremental=False)
    assert tree_differences(tree_snapshot(clean), tree_snapshot(out)) == []
    build_site(site.content, out, quiet=True)
    build_site(site.content, clean, quiet=True, incremental=False)
    assert tree_differences(tree_snapshot(clean), tree_snapshot(out)) == []


def test_a_site_below_the_root_is_portable_too(tmp_path: Path) -> None:
    """A GitHub project site (base_url with a path, DID document at <base>/did.json)."""
    site = make_site(tmp_path / "site", "https://example.github.io/credentials")
    site.issue([row("Ada Lovelace", "TEST-MMS")])
    out = tmp_path / "usb"
    build_site(site.content, out, quiet=True, portable=True)
    assert (out / "did.json").is_file()
    problems, checked = file_links(out)
    assert problems == [] and checked > 50
    page = next((out / "c").glob("*.html")).read_text(encoding="utf-8")
    assert 'href="../did.json"' in page and "/credentials/c/" in page  # the permanent URL stays

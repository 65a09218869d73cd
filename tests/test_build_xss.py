"""Holder names are data: markup in a name is shown as text and cannot leave the JSON-LD block."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sitekit import MiniSite, make_site, parse_page, row

NAMES = [
    "</script><script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    # U+2028/U+2029 are refused in names at issue time now (trust/names.py), so this test no
    # longer puts them in a page (render.py's _SCRIPT_ESCAPES still escapes them).
    "</SCRIPT ><!-- <script> &amp; 'quote'",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[MiniSite, Path, list[str]]:
    site = make_site(tmp_path_factory.mktemp("xss"))
    ids = site.issue([row(name, test_site=name) for name in NAMES])
    site.build(site.root / "usb", portable=True)  # its pages embed the record: escaping is tested
    return site, site.build(), ids


@pytest.mark.parametrize("index", range(len(NAMES)))
def test_markup_in_a_holder_name_is_escaped_text(
        built: tuple[MiniSite, Path, list[str]], index: int) -> None:
    site, out, ids = built
    name, cred_id = NAMES[index], ids[index]
    html = (out / "c" / f"{cred_id}.html").read_text(encoding="utf-8")
    page = parse_page(html)
    assert not page.problems, page.problems

    assert [(i.attrs.get("class"), i.attrs.get("src")) for i in page.find("img")] == [
        ("cert-badge", "/badges/TEST-MMS.svg")]  # only the credential type's badge
    assert not [e for e in page.elements for a in e.attrs if a.startswith("on")]
    scripts = page.find("script")
    # the credential page's one script (in the head, deferred) and the record's element
    assert [(s.attrs.get("type"), s.attrs.get("id")) for s in scripts] == [
        (None, None), ("application/ld+json", "credential-data")]
    assert (scripts[0].attrs.get("src") or "").startswith("/assets/credential.")
    assert "defer" in scripts[0].attrs

    assert scripts[1].text == ""  # the web build's page fetches its record (c/<ID>.json)
    usb_html = (site.root / "usb" / "c" / f"{cred_id}.html").read_text(encoding="utf-8")
    usb = parse_page(usb_html)
    assert not usb.problems, usb.problems
    assert not [e for e in usb.elements for a in e.attrs if a.startswith("on")]
    data = usb.find("script", id="credential-data")[0].text
    assert "</script" not in data.lower() and "<!--" not in data
    assert "\u2028" not in data and "\u2029" not in data
    credential = json.loads(data)
    assert credential == site.credentials()[cred_id]
    assert credential == json.loads((out / "c" / f"{cred_id}.json").read_bytes())
    holder = [i for i in credential["credentialSubject"]["identifier"]
              if i["identityType"] == "name"]
    assert holder[0]["identityHash"] == name

    # The visible holder field holds the exact name as text (html.parser decodes entities).
    holder_index = next(i for i, e in enumerate(page.elements)
                        if e.attrs.get("data-f") == "holder")
    assert page.elements[holder_index].text == name
    assert page.elements[holder_index + 1].tag == "p"  # no element was injected inside it
    title = page.find("title")[0].text
    assert title.startswith(name)
    description = page.find("meta", property="og:description")[0].attrs["content"]
    assert description is not None and description.startswith(name)

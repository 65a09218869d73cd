"""Baked badges made in the browser (issue 18, item 6), read back by independent readers.

The credential page's "Download badge with credential" buttons make a PNG with an iTXt chunk
`openbadgecredential` and an SVG with `<openbadges:credential>` (Open Badges 3.0 §5.3). The files
are read here by a PNG chunk parser written from the PNG specification (length, type, data,
CRC-32 checked with zlib) and by Pillow, and by Python's XML parser: each gives back the signed
record byte for byte, which credsite's own verifier calls verified. The images still decode, a
revoked credential offers no baked badge, and the /verify/ batch check reads baked files.
"""

from __future__ import annotations

import datetime as dt
import json
import struct
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path
from typing import Any

import pytest
from labsite import BASE, Lab, make_lab
from PIL import Image, PngImagePlugin
from sitehost import host_site, wait_verified

from credsite.content.audit import VerificationInputs
from credsite.trust.verify import verify_credential

OB_NS = "https://purl.imsglobal.org/ob/v3p0"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Lab:
    return make_lab(tmp_path_factory.mktemp("baked"))


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, data) of every chunk, each CRC checked (PNG spec §5.3)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    out, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length:at + 12 + length])
        assert crc == zlib.crc32(kind + body), f"bad CRC in {kind!r}"
        out.append((kind, body))
        at += 12 + length
    return out


def itxt(body: bytes) -> tuple[str, str]:
    """(keyword, text) of an uncompressed iTXt chunk (PNG spec §11.3.3.4)."""
    keyword, rest = body.split(b"\0", 1)
    assert rest[:2] == b"\0\0", "compressed"
    _language, rest = rest[2:].split(b"\0", 1)
    _translated, text = rest.split(b"\0", 1)
    return keyword.decode("latin-1"), text.decode("utf-8")


def verdict_of(lab: Lab, text: str) -> str:
    inputs = VerificationInputs.load(lab.site.content)
    return verify_credential(json.loads(text), inputs.site, inputs.catalog, dt.datetime.now(dt.UTC),
                             inputs.status.check, text=text.encode()).verdict


def download(page: Any, button: str) -> bytes:
    with page.expect_download() as info:
        page.click(button)
    return Path(info.value.path()).read_bytes()


def open_credential(new_page: Any, lab: Lab, which: str) -> Any:
    page = new_page(accept_downloads=True)
    host_site(page.context, lab.out, BASE)
    page.goto(lab.url(which))
    wait_verified(page)
    return page


def test_baked_png_and_svg_carry_the_verified_credential(lab: Lab, new_page: Any,
                                                        tmp_path: Path) -> None:
    record = lab.record("ada-mms").strip()
    page = open_credential(new_page, lab, "ada-mms")
    assert page.is_visible("#badge-png") and page.is_visible("#badge-svg")

    png = download(page, "#badge-png")
    chunks = png_chunks(png)
    baked = [itxt(body) for kind, body in chunks if kind == b"iTXt"]
    assert baked == [("openbadgecredential", record)]
    assert [k for k, _ in chunks][-2:] == [b"iTXt", b"IEND"]
    original = (lab.out / "badges" / "TEST-MMS.png").read_bytes()
    assert [c for c in chunks if c[0] != b"iTXt"] == png_chunks(original)  # nothing else changed
    (tmp_path / "b.png").write_bytes(png)
    with Image.open(tmp_path / "b.png") as image:
        image.load()
        assert isinstance(image, PngImagePlugin.PngImageFile)
        assert image.text["openbadgecredential"] == record  # Pillow reads it too
        assert image.size == Image.open(lab.out / "badges" / "TEST-MMS.png").size

    svg = download(page, "#badge-svg")
    root = ET.fromstring(svg)  # noqa: S314 - our own test output
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root[0].tag == f"{{{OB_NS}}}credential"
    assert root[0].text == record
    assert len(root.findall(f".//{{{OB_NS}}}credential")) == 1
    assert verdict_of(lab, record) == "verified"
    assert json.loads(root[0].text) == json.loads((lab.out / "c" / f"{lab.ids['ada-mms']}.json").read_text())
    assert not page.credsite_errors


def test_a_revoked_credential_offers_no_baked_badge(lab: Lab, new_page: Any) -> None:
    page = open_credential(new_page, lab, "ada-pb")
    assert page.locator("#badge-png").count() == 0 or not page.is_visible("#badge-png")
    page = open_credential(new_page, lab, "ada-cnc")  # expired: the tools are withdrawn
    assert not page.is_visible("#badge-png") and not page.is_visible("#badge-svg")


def test_the_batch_check_reads_baked_badges(lab: Lab, new_page: Any) -> None:
    page = open_credential(new_page, lab, "ben-mms")
    png = download(page, "#badge-png")
    svg = download(page, "#badge-svg")
    page.goto(f"{BASE}/verify/")
    page.wait_for_selector("#batch:not([hidden])")
    page.set_input_files("#batch-files", [
        {"name": "ben.png", "mimeType": "image/png", "buffer": png},
        {"name": "ben.svg", "mimeType": "image/svg+xml", "buffer": svg},
        {"name": "plain.png", "mimeType": "image/png",
         "buffer": (lab.out / "badges" / "TEST-MMS.png").read_bytes()},
    ])
    page.click("#batch-button")
    page.wait_for_selector("#batch[data-checked='3']")
    rows = page.eval_on_selector_all("#batch-table tbody tr",
                                     "rs => rs.map(r => [r.dataset.verdict, r.cells[2].textContent])")
    assert rows == [["verified", "Ben Okafor"], ["verified", "Ben Okafor"], ["unreadable", ""]]


def test_linkedin_gets_the_organization_id_from_site_yaml(tmp_path: Path, new_page: Any) -> None:
    from sitekit import make_site

    from credsite.errors import ContentError

    site = make_site(tmp_path, BASE)
    text = site.site_yaml.read_text(encoding="utf-8")
    site.site_yaml.write_text(text.replace("  description: A test issuer.\n",
                                           "  description: A test issuer.\n"
                                           "  linkedin_organization_id: 'abc'\n"), encoding="utf-8")
    with pytest.raises(ContentError, match="linkedin_organization_id must be the number"):
        site.issue()
    site.site_yaml.write_text(text.replace("  description: A test issuer.\n",
                                           "  description: A test issuer.\n"
                                           "  linkedin_organization_id: 2414183\n"), encoding="utf-8")
    [cred_id] = site.issue()
    out = site.build()
    page = new_page()
    host_site(page.context, out, BASE)
    page.goto(f"{BASE}/c/{cred_id}")
    assert wait_verified(page) == "verified"
    href = page.get_attribute("#share-linkedin", "href")
    assert "&organizationId=2414183&" in href and "organizationName" not in href

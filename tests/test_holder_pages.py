"""Holder pages (issue 18, item 1) as the build writes them: /h/<holder key>.

One page per holder key of the private register, grouped as the catalog groups credentials with
"N of M" and the missing ones named; noindex, in no sitemap, never linked from a credential page
or any other page; opt-out per holder (content/holders.yaml) and per site (holder_pages: false);
an incremental build rewrites only the pages whose holder changed and removes opted-out ones.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from sitekit import award_row, parse_page

import credsite.build.holders as holders_build
import credsite.content.holders as holders_content
import credsite.content.register as register_module
from credsite.build.holderstate import Part
from credsite.build.pipeline import build_site
from credsite.content.catalog import load_catalog
from credsite.content.contentcheck import check_content
from credsite.content.register import load_register, register_files, register_path
from credsite.errors import ContentError
from credsite.issuer.corrections import amend_name, withdraw
from credsite.issuer.revocation import revoke

sys.path.insert(0, str(Path(__file__).resolve().parent / "browser"))
from labsite import Lab, make_lab  # noqa: E402


@pytest.fixture
def lab(tmp_path: Path) -> Lab:
    return make_lab(tmp_path)


def keys_of(lab: Lab) -> dict[str, str]:
    register = load_register(lab.site.content)
    return {name: register[lab.ids[f"{name}-{code}"]].holder
            for name, code in (("ada", "mms"), ("ben", "mms"), ("cy", "cnc"))}


def page_text(lab: Lab, key: str) -> str:
    return (lab.out / "h" / f"{key}.html").read_text(encoding="utf-8")


def test_one_page_per_holder_grouped_as_the_catalog(lab: Lab) -> None:
    keys = keys_of(lab)
    assert sorted(p.stem for p in (lab.out / "h").glob("*.html")) == sorted(keys.values())
    ada = parse_page(page_text(lab, keys["ada"]))
    assert [e.text for e in ada.find("h1")] == ["Ada Lovelace"]
    headings = [e.text for e in ada.find("h2")]
    assert "Machining Level I — 2/2" in headings and "Metalforming Level I — 1/1" in headings
    items = ada.find("li", **{"class": "holder-cred"})
    assert sorted(e.attrs["data-id"] or "" for e in items) == sorted(
        lab.ids[k] for k in ("ada-mms", "ada-cnc", "ada-pb"))
    revoked = [e for e in items if e.attrs["data-id"] == lab.ids["ada-pb"]]
    assert revoked[0].attrs["data-verdict"] == "revoked"
    assert revoked[0].attrs["data-note"] == "issued in error"
    ben = page_text(lab, keys["ben"])
    assert "Machining Level I — 1/2" in ben
    assert "Not held</span> (1):" in ben and "CNC Milling: Operations" in ben
    assert '<meta name="robots" content="noindex">' in ben
    assert "ben@example.org" not in ben  # the register's e-mail is never published


def test_holder_pages_are_listed_and_linked_nowhere(lab: Lab) -> None:
    keys = set(keys_of(lab).values())
    for path in lab.out.rglob("*"):
        if path.is_file() and path.parent.name != "h":
            data = path.read_bytes()
            # the QR code's base64 PNG (a data: URL) may hold "/h/" by chance: not a link
            links = re.sub(rb'data:[^"]*', b"", data)
            assert b"/h/" not in links or path.suffix not in (".html", ".xml", ".txt"), path
            for key in keys:
                assert key.encode() not in data, f"{key} in {path}"


def test_opt_out_per_holder_and_per_site(lab: Lab) -> None:
    keys = keys_of(lab)
    (lab.site.content / "holders.yaml").write_text(f"opt_out:\n  - {keys['ada'].lower()}\n",
                                                   encoding="utf-8")
    build_site(lab.site.content, lab.out, quiet=True)
    assert not (lab.out / "h" / f"{keys['ada']}.html").exists()
    assert (lab.out / "h" / f"{keys['ben']}.html").exists()
    site_yaml = lab.site.site_yaml
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "holder_pages: false\n", encoding="utf-8")
    build_site(lab.site.content, lab.out, quiet=True)
    assert not (lab.out / "h").exists()


def test_a_record_with_another_spelling_keeps_its_own_name(lab: Lab) -> None:
    [new_id] = lab.site.issue([award_row("Benjamin Okafor", "TEST-CNC", "2026-06-01T15:00:00Z",
                                         email="BEN@example.org ")])  # same holder by e-mail
    build_site(lab.site.content, lab.out, quiet=True)
    page = parse_page(page_text(lab, keys_of(lab)["ben"]))
    assert [e.text for e in page.find("h1")] == ["Benjamin Okafor"]  # the newest record's name
    items = {e.attrs["data-id"]: e.attrs for e in page.find("li", **{"class": "holder-cred"})}
    assert "data-holder" not in items[new_id]
    assert items[lab.ids["ben-mms"]]["data-holder"] == "Ben Okafor"  # checked against its record


def test_credential_pages_link_their_holder_only_when_the_site_says_so(lab: Lab) -> None:
    keys = keys_of(lab)
    page = (lab.out / "c" / f"{lab.ids['ben-pb']}.html").read_text(encoding="utf-8")
    assert "/h/" not in page and keys["ben"] not in page
    site_yaml = lab.site.site_yaml
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "holder_pages: linked\n",
                         encoding="utf-8")
    build_site(lab.site.content, lab.out, quiet=True)
    page = (lab.out / "c" / f"{lab.ids['ben-pb']}.html").read_text(encoding="utf-8")
    assert f'href="/h/{keys["ben"]}" data-t>All credentials of this holder</a>' in page
    (lab.site.content / "holders.yaml").write_text(f"opt_out: [{keys['ben']}]\n", encoding="utf-8")
    build_site(lab.site.content, lab.out, quiet=True)  # an opt-out removes the links too
    page = (lab.out / "c" / f"{lab.ids['ben-pb']}.html").read_text(encoding="utf-8")
    assert keys["ben"] not in page and not (lab.out / "h" / f"{keys['ben']}.html").exists()
    assert (lab.out / "h" / f"{keys['ada']}.html").exists()


def test_bad_holder_settings_are_one_clear_error(lab: Lab) -> None:
    (lab.site.content / "holders.yaml").write_text("opt_out:\n  - someone@example.org\n", encoding="utf-8")
    with pytest.raises(ContentError, match="holders.yaml.*not a holder key"):
        build_site(lab.site.content, lab.out, quiet=True)
    problems, _ = check_content(lab.site.content)  # credsite check says it too
    assert any("holders.yaml" in p and "not a holder key" in p for p in problems), problems
    (lab.site.content / "holders.yaml").unlink()
    lab.site.site_yaml.write_text(lab.site.site_yaml.read_text(encoding="utf-8")
                                  + "holder_pages: maybe\n", encoding="utf-8")
    with pytest.raises(ContentError, match="holder_pages must be true, false or linked"):
        build_site(lab.site.content, lab.out, quiet=True)


def test_an_incremental_build_updates_the_holder_who_got_a_credential(lab: Lab) -> None:
    keys = keys_of(lab)
    ben_before = page_text(lab, keys["ben"])
    cy_stat = (lab.out / "h" / f"{keys['cy']}.html").stat()
    [new_id] = lab.site.issue([award_row("Ben Okafor", "TEST-CNC", "2026-06-01T15:00:00Z",
                                         email="ben@example.org")])
    summary = build_site(lab.site.content, lab.out, quiet=True)
    assert "built 1 credentials" in summary and "public pages unchanged" in summary
    ben_after = page_text(lab, keys["ben"])
    assert new_id not in ben_before and new_id in ben_after
    assert "Machining Level I — 2/2" in ben_after
    assert (lab.out / "h" / f"{keys['cy']}.html").stat().st_mtime_ns == cy_stat.st_mtime_ns
    assert load_register(lab.site.content)[new_id].holder == keys["ben"]


def _holder_pages(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "h").glob("*.html"))}


def test_rebuilds_read_only_what_changed_and_give_a_full_builds_holder_pages(
        lab: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each kind of change built incrementally: the holder pages are byte for byte those of a
    full build of the same content, and only register files that name a changed holder are
    read (none when nothing changed)."""
    content = lab.site.content
    [dee_id] = lab.site.issue([award_row("Dee Park", "TEST-MMS", email="dee@example.org")])
    build_site(content, lab.out, quiet=True)
    dee_file = register_path(content, next(
        p for p in (content / "awards").glob("*.jsonl") if dee_id.encode() in p.read_bytes()))
    read: list[str] = []

    def spy(path: Path, only: Any = None) -> Any:
        read.append(path.name)
        return real(path, only)

    real = register_module.read_register_file
    monkeypatch.setattr(holders_build, "read_register_file", spy)
    monkeypatch.setattr(holders_content, "read_register_file", spy)

    def rebuilt() -> dict[str, bytes]:
        read.clear()
        build_site(content, lab.out, quiet=True)
        full = build_site(content, tmp_path / "full", quiet=True, incremental=False)
        assert "built" in full
        pages = _holder_pages(lab.out)
        assert pages == _holder_pages(tmp_path / "full")
        shutil.rmtree(tmp_path / "full")
        return pages

    keys = keys_of(lab)
    before = rebuilt()
    read_by_incremental = read[:len(read) - len(register_files(content))]
    assert read_by_incremental == []  # nothing changed: no register file read

    [new_id] = lab.site.issue([award_row("Ben Okafor", "TEST-CNC", "2026-06-01T15:00:00Z",
                                         email="ben@example.org")])
    files_now = len(register_files(content))
    after = rebuilt()
    assert dee_file.name not in read[:len(read) - files_now]  # Dee is not Ben
    assert new_id.encode() in after[f"{keys['ben']}.html"]
    assert {k for k in after if after[k] != before.get(k)} == {f"{keys['ben']}.html"}

    revoke(content, lab.site.site, lab.site.signer, [lab.ids["ben-mms"]], "exam voided")
    revoked = rebuilt()
    assert b"exam voided" in revoked[f"{keys['ben']}.html"]
    assert {k for k in revoked if revoked[k] != after[k]} == {f"{keys['ben']}.html"}

    withdraw(content, lab.site.site, lab.site.signer, lab.ids["cy-cnc"], "asked to")
    withdrawn = rebuilt()
    assert f"{keys['cy']}.html" not in withdrawn  # Cy's only credential: the page is gone

    amend_name(content, lab.site.site, load_catalog(content), lab.site.signer,
               lab.ids["ada-mms"], "Ada King")
    amended = rebuilt()
    assert b"Ada King" in amended[f"{keys['ada']}.html"]

    dee_key = load_register(content)[dee_id].holder
    assert f"{dee_key}.html" in amended
    dee_file.unlink()  # the award stays; nobody holds it in the register any more
    assert f"{dee_key}.html" not in rebuilt()


def test_a_full_build_read_part_by_part_writes_the_same_holder_pages(
        lab: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full build holds one part of the holders at a time when the register is large; the
    pages must not depend on how many parts there are (a holder whose credentials sit in
    several register files included)."""
    content = lab.site.content
    lab.site.issue([award_row("Ben Okafor", "TEST-CNC", email="ben@example.org"),
                    award_row("Dee Park", "TEST-MMS", email="dee@example.org")])
    one = _holder_pages(Path(build_site(content, tmp_path / "one", quiet=True).rsplit("→ ", 1)[1]))
    size = sum(p.stat().st_size for p in register_files(content))
    monkeypatch.setattr(holders_build, "PART_BYTES", size // 5)
    parts: list[int] = []

    def counted(number: int, count: int) -> Part:
        parts.append(count)
        return Part(number, count)

    monkeypatch.setattr(holders_build, "Part", counted)
    many = _holder_pages(Path(build_site(content, tmp_path / "many", quiet=True).rsplit("→ ", 1)[1]))
    assert set(parts) == {6} and len(parts) == 6
    assert many == one and len(one) == 4


def test_register_lines_are_scanned_as_they_parse(tmp_path: Path) -> None:
    """The holder keys and IDs a build reads from the raw lines are the parsed ones, for lines
    credsite writes and for a hand-edited line in another JSON layout."""
    lab = make_lab(tmp_path)
    [path] = register_files(lab.site.content)
    lines = path.read_bytes().splitlines()
    record = json.loads(lines[0])
    record["name"] = 'Ada "the Countess" Lovelace \\ King'
    record["email"] = " ADA@Example.org"
    lines[0] = json.dumps(record, indent=1).replace("\n", "").encode()  # spaces after colons
    lines[1] = json.dumps(json.loads(lines[1]), ensure_ascii=True, sort_keys=False).encode()
    path.write_bytes(b"\n".join(lines) + b"\n")
    parsed = register_module.read_register_file(path)
    assert register_module.keys_and_ids(path) == ([r.holder for r in parsed], [r.id for r in parsed])
    expected: dict[str, str] = {}
    for r in parsed:
        if r.email:
            expected.setdefault(register_module.normalize_email(r.email), r.holder)
    assert register_module.HolderKeys(lab.site.content).by_email == expected
    only = {parsed[0].holder}
    assert {r.id for r in register_module.read_register_file(path, only) if r.holder in only} == {
        r.id for r in parsed if r.holder in only}


def test_linked_holder_pages_map_exactly_the_credentials_on_holder_pages(lab: Lab) -> None:
    """holder_links reads the raw lines; it must give each credential shown on a holder page its
    holder, and nothing for a withdrawn credential or an opted-out holder."""
    content = lab.site.content
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "holder_pages: linked\n",
                         encoding="utf-8")
    withdraw(content, lab.site.site, lab.site.signer, lab.ids["ben-pb"], "asked to")
    (content / "holders.yaml").write_text(f"opt_out: [{keys_of(lab)['cy']}]\n", encoding="utf-8")
    settings = holders_content.load_holder_settings(content)
    expected = {c.id: key for key, holder in holders_content.load_holders(content, settings).items()
                for c in holder.credentials}
    links = holders_build.holder_links(content)
    assert links == expected
    assert lab.ids["ben-pb"] not in links and lab.ids["cy-cnc"] not in links
    assert lab.ids["ben-mms"] in links

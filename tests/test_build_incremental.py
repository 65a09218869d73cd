"""An incremental rebuild produces exactly the bytes a clean build does, after every kind of change."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from sitekit import MiniSite, make_site, row, tree_differences, tree_snapshot

from credsite import cli
from credsite.build.manifest import Manifest
from credsite.build.pipeline import build_site
from credsite.build.render import default_templates
from credsite.content.awards import batch_files


class Twin:
    """One output folder rebuilt incrementally, checked against a clean build after each step."""

    def __init__(self, site: MiniSite, root: Path) -> None:
        self.site, self.root = site, root
        self.templates = root / "templates-copy"
        shutil.copytree(default_templates(), self.templates)
        self.out = root / "incremental"
        self.steps = 0

    def build(self) -> tuple[int, int]:
        """Rebuild incrementally, compare with a fresh clean build; returns (built, skipped)."""
        self.steps += 1
        summary = build_site(self.site.content, self.out, templates=self.templates, quiet=True)
        clean = self.root / f"clean-{self.steps}"
        build_site(self.site.content, clean, templates=self.templates, quiet=True,
                   incremental=False)
        differences = tree_differences(tree_snapshot(self.out), tree_snapshot(clean))
        assert not differences, f"step {self.steps}:\n" + "\n".join(differences)
        assert not Manifest.path_for(self.out).is_relative_to(self.out)
        match = re.match(r"built (\d+) credentials .*, skipped (\d+) unchanged", summary)
        assert match, summary
        return int(match[1]), int(match[2])


@pytest.fixture
def twin(tmp_path: Path) -> Twin:
    site = make_site(tmp_path / "site")
    site.issue([row(), row("Grace Hopper", code="TEST-CNC"), row("Alan Turing", code="TEST-PB")])
    site.issue([row("Katherine Johnson"), row("Dorothy Vaughan", code="TEST-CNC")])
    return Twin(site, tmp_path)


def test_incremental_builds_equal_clean_builds_through_a_sequence_of_changes(twin: Twin) -> None:
    site = twin.site
    assert twin.build() == (5, 0)  # first build: everything
    assert twin.build() == (0, 5)  # nothing changed

    # a new award batch: only its credentials are rendered
    new_ids = site.issue([row("Mary Jackson"), row("Margaret Hamilton", code="TEST-PB")])
    assert twin.build() == (2, 5)
    assert all((twin.out / "c" / f"{i}.html").is_file() for i in new_ids)

    # revoke one credential with the CLI: its page gets the notice, the status list changes
    revoked = new_ids[0]
    status = cli.main(["revoke", revoked, "--reason", "issued in error", "--key",
                       str(site.key_path), "--content", str(site.content)])
    assert status == 0
    assert twin.build() == (1, 6)
    assert "issued in error" in (twin.out / "c" / f"{revoked}.html").read_text("utf-8")

    # a re-signed change to one existing credential
    other = sorted(site.credentials())[0]

    def rename(credential: dict[str, Any]) -> None:
        credential["credentialSubject"]["identifier"][0]["identityHash"] = "Ada King"

    site.rewrite(other, rename, resign=site.signer)
    assert twin.build() == (1, 6)
    assert "Ada King" in (twin.out / "c" / f"{other}.html").read_text("utf-8")

    # remove a batch file: its pages and JSON files disappear
    first_batch = batch_files(site.content)[0]
    gone = _ids_in(first_batch)
    first_batch.unlink()
    built, skipped = twin.build()
    assert built == 0 and skipped == 7 - len(gone)
    for cred_id in gone:
        assert not (twin.out / "c" / cred_id).exists()
        assert not (twin.out / "c" / f"{cred_id}.json").exists()

    # edit a template and the stylesheet in the templates copy: everything is rebuilt
    credential_html = twin.templates / "credential.html"
    credential_html.write_text(credential_html.read_text("utf-8").replace(
        "Scan to verify", "Scan this code to verify"), encoding="utf-8")
    css = twin.templates / "assets" / "site.css"
    css.write_text(css.read_text("utf-8") + "\n.qr { margin: 0; }\n", encoding="utf-8")
    assert twin.build() == (7 - len(gone), 0)
    survivor = next(i for i in sorted(site.credentials()) if i != revoked)  # revoked: no QR
    assert "Scan this code to verify" in (twin.out / "c" / f"{survivor}.html").read_text("utf-8")
    stylesheets = list((twin.out / "assets").glob("site.*.css"))
    assert len(stylesheets) == 1 and ".qr{margin:0}" in stylesheets[0].read_text("utf-8")  # minified

    # edit a catalog entry: everything is rebuilt
    entry = site.content / "credentials" / "TEST-MMS.md"
    entry.write_text(entry.read_text("utf-8").replace("What Measurement", "Whatever Measurement"),
                     encoding="utf-8")
    assert twin.build() == (7 - len(gone), 0)
    assert "Whatever Measurement" in (twin.out / "credentials" / "TEST-MMS" / "index.html").read_text(
        "utf-8")

    # and a final no-change rebuild
    assert twin.build() == (0, 7 - len(gone))


def _ids_in(batch: Path) -> list[str]:
    return [str(json.loads(line)["id"]).rsplit("/", 1)[-1]
            for line in batch.read_bytes().splitlines() if line.strip()]


def test_no_change_rebuild_reports_nothing_built(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    site.issue([row(), row("Grace Hopper"), row("Alan Turing")])
    site.build()
    summary = build_site(site.content, site.root / "output", quiet=True)
    assert summary.startswith("built 0 credentials (none), skipped 3 unchanged"), summary


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.old-"))


def _gone(out: Path, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while _leftovers(out):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_a_full_rebuild_replaces_the_output_and_deletes_the_old_one_afterwards(
        tmp_path: Path) -> None:
    site = make_site(tmp_path)
    site.issue([row(), row("Grace Hopper", code="TEST-CNC")])
    out = site.build()
    stale = out / "c" / "0000000000000000.html"  # a file only the old output has
    stale.write_text("old", encoding="utf-8")
    site.build(out, incremental=False)
    assert not stale.exists()
    assert not tree_differences(tree_snapshot(out), tree_snapshot(
        site.build(tmp_path / "clean", incremental=False)))
    assert _gone(out), _leftovers(out)


def test_an_old_output_left_behind_is_deleted_by_the_next_build(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    site.issue([row()])
    out = site.build()
    left = out.parent / f".{out.name}.old-killed"  # as if the deleting process had been stopped
    shutil.copytree(out, left)
    assert _leftovers(out) == [left.name]
    site.build(out)
    assert _gone(out), _leftovers(out)

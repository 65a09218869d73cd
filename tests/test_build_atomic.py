"""A build that fails leaves the previous output exactly as it was, and says which line failed why."""

from __future__ import annotations

import errno
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sitekit import MiniSite, make_site, row, tree_differences, tree_snapshot

from credsite import cli
from credsite.build.pipeline import build_site
from credsite.build.writer import write_file
from credsite.content.awards import batch_files
from credsite.errors import CredsiteError

Corruption = Callable[[MiniSite], tuple[Path, int, str]]  # → batch file, line number, check


def unsigned_edit(site: MiniSite) -> tuple[Path, int, str]:
    """Change a holder's name without re-signing: the signature no longer verifies."""
    batch = batch_files(site.content)[-1]
    lines = batch.read_bytes().splitlines()
    victim = json.loads(lines[1])["id"].rsplit("/", 1)[-1]

    def rename(credential: dict[str, Any]) -> None:
        for identifier in credential["credentialSubject"]["identifier"]:
            if identifier["identityType"] == "name":
                identifier["identityHash"] = "Mallory Forger"

    site.rewrite(victim, rename)
    return batch, 2, "signature"


def malformed_line(site: MiniSite) -> tuple[Path, int, str]:
    """Append a line that is not JSON to a batch."""
    batch = batch_files(site.content)[0]
    count = len(batch.read_bytes().splitlines())
    with batch.open("ab") as handle:
        handle.write(b'{"id": "truncated\n')
    return batch, count + 1, "format"


def duplicated_member(site: MiniSite) -> tuple[Path, int, str]:
    """Put a second validFrom before the signed one: a last-wins parser still reads a credential
    whose signature verifies, a first-wins parser another one; JCS needs unique names."""
    batch = batch_files(site.content)[-1]
    lines = batch.read_bytes().splitlines()
    lines[1] = b'{"validFrom":"1999-01-01T00:00:00Z",' + lines[1][1:]
    batch.write_bytes(b"\n".join(lines) + b"\n")
    return batch, 2, "signature"


CORRUPTIONS = {"unsigned-edit": unsigned_edit, "malformed-line": malformed_line,
               "duplicated-member": duplicated_member}


def built_site(tmp_path: Path) -> tuple[MiniSite, Path]:
    site = make_site(tmp_path)
    site.issue([row(), row("Grace Hopper", code="TEST-CNC")])
    site.issue([row("Katherine Johnson"), row("Dorothy Vaughan", code="TEST-PB"),
                row("Mary Jackson")])
    return site, site.build()


def assert_names_line_and_check(message: str, batch: Path, line: int, check: str) -> None:
    first = message.splitlines()[0]
    assert re.search(rf"{re.escape(batch.name)}:{line}\b", first), message
    assert f"[{check}]" in first, message
    assert "nothing was published" in message


def assert_untouched(out: Path, before: dict[str, bytes]) -> None:
    assert not tree_differences(before, tree_snapshot(out)), tree_differences(
        before, tree_snapshot(out))
    leftovers = [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")]
    assert not leftovers, leftovers


@pytest.mark.parametrize("incremental", [True, False], ids=["incremental", "full"])
@pytest.mark.parametrize("corrupt", CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
def test_failed_build_leaves_the_output_byte_identical(
        tmp_path: Path, corrupt: Corruption, incremental: bool) -> None:
    site, out = built_site(tmp_path)
    before = tree_snapshot(out)
    assert ".nojekyll" in before and ".well-known/did.json" in before
    batch, line, check = corrupt(site)
    with pytest.raises(CredsiteError) as failure:
        build_site(site.content, out, quiet=True, incremental=incremental)
    assert_names_line_and_check(str(failure.value), batch, line, check)
    assert_untouched(out, before)


@pytest.mark.parametrize("corrupt", CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
def test_cli_build_failure_is_one_error_line_and_leaves_the_output(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], corrupt: Corruption) -> None:
    site, out = built_site(tmp_path)
    before = tree_snapshot(out)
    batch, line, check = corrupt(site)
    capsys.readouterr()
    status = cli.main(["build", "--content", str(site.content), "--out", str(out), "--quiet"])
    captured = capsys.readouterr()
    assert status == 1
    assert "Traceback" not in captured.err and "Traceback" not in captured.out
    errors = [text for text in captured.err.splitlines() if text.startswith("error:")]
    assert len(errors) == 1, captured.err
    assert_names_line_and_check(errors[0].removeprefix("error: ") + "\n" + captured.err, batch,
                                line, check)
    assert not captured.out.startswith("built")
    assert_untouched(out, before)


@pytest.mark.parametrize("corrupt", CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
def test_after_a_failed_build_and_a_fix_the_rebuild_equals_a_clean_build(
        tmp_path: Path, corrupt: Corruption) -> None:
    """A failed build must not leave a manifest that makes the next rebuild skip work."""
    site, out = built_site(tmp_path)
    saved = {p: p.read_bytes() for p in (site.content / "awards").iterdir()}  # and their seals
    corrupt(site)
    with pytest.raises(CredsiteError):
        site.build(out)
    for path, data in saved.items():
        path.write_bytes(data)
    site.build(out)
    clean = site.build(tmp_path / "clean", incremental=False)
    assert not tree_differences(tree_snapshot(out), tree_snapshot(clean))


def test_a_full_disk_is_one_error_line_and_leaves_the_output(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The disk fills up halfway through writing pages (in the worker processes, which inherit
    the patched writer): one error line, no traceback, the previous output as it was."""
    site, out = built_site(tmp_path)
    site.issue([row(f"Holder {i}") for i in range(1200)])  # enough for worker processes
    before = tree_snapshot(out)
    calls = []

    def full_disk(path: str, data: bytes) -> None:
        calls.append(path)
        if len(calls) > 50:
            raise OSError(errno.ENOSPC, "No space left on device", path)
        write_file(path, data)

    monkeypatch.setattr("credsite.build.writer.write_file", full_disk)
    code = cli.main(["build", "--content", str(site.content), "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert code == 1
    assert len(err.strip().splitlines()) == 1, err
    assert "No space left on device" in err and "nothing was published" in err
    assert "Traceback" not in err
    assert_untouched(out, before)


def test_credsite_verify_names_the_repeated_member(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``credsite verify`` and the build run the same checks: the repeated name fails both."""
    site, _ = built_site(tmp_path)
    batch, line, _ = duplicated_member(site)
    capsys.readouterr()
    assert cli.main(["verify", "--content", str(site.content)]) == 1
    failed = [text for text in capsys.readouterr().out.splitlines() if text.startswith("FAIL")]
    assert len(failed) == 1 and f"{batch.name}:{line}" in failed[0], failed
    assert "'validFrom' twice in one object" in failed[0]

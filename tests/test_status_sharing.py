"""No shared status bits: the content lock serializes writers; check and build refuse two
credentials with one status list entry (the merge of two branches' batches), and repair-status
re-allocates a batch's entries with the same IDs and URLs."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sitekit import MiniSite, award_row

from credsite.content.lock import content_lock
from credsite.content.register import load_register
from credsite.content.statusentries import batch_entries, shared_entries
from credsite.errors import BuildError

RunCli = Callable[..., tuple[int, str, str]]


def _rows(count: int, tag: str) -> list[dict[str, str]]:
    return [award_row(name=f"Holder {tag}{i}", email=f"{tag}{i}@example.org") for i in range(count)]


def _credsite(*args: str | Path, cwd: Path | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "credsite", *map(str, args)],  # noqa: S603
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd)


def _git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,  # noqa: S603, S607
                            check=True, env={**os.environ, "GIT_AUTHOR_NAME": "t",
                                             "GIT_AUTHOR_EMAIL": "t@example.org",
                                             "GIT_COMMITTER_NAME": "t",
                                             "GIT_COMMITTER_EMAIL": "t@example.org"})
    return result.stdout


# --------------------------------------------------------------------------- the lock


def test_a_writing_command_waits_for_the_lock(mini_site: MiniSite) -> None:
    site = mini_site
    csv_path = site.write_csv(_rows(3, "a"))
    with content_lock(site.content):
        run = _credsite("issue", csv_path, "--content", site.content, "--key", site.key_path)
        time.sleep(1.5)
        assert run.poll() is None  # still waiting
        assert site.batches() == []
    out, err = run.communicate(timeout=60)
    assert run.returncode == 0, err
    assert "waiting for another credsite command that is writing" in err
    assert "issued 3 credential(s)" in out
    assert not [p for p in site.content.iterdir() if "lock" in p.name]  # no lock file left


def test_the_lock_is_exclusive_between_processes(mini_site: MiniSite) -> None:
    with content_lock(mini_site.content):
        fd = os.open(mini_site.content, os.O_RDONLY | os.O_DIRECTORY)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(fd)


def test_two_runs_at_once_share_no_status_entry(mini_site: MiniSite, run_cli: RunCli) -> None:
    site = mini_site
    site.issue([award_row(email="first@example.org")])  # the status list exists
    first, second = site.write_csv(_rows(400, "a")), site.write_csv(_rows(400, "b"))
    runs = [_credsite("issue", path, "--content", site.content, "--key", site.key_path)
            for path in (first, second)]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    entries = [(u, i) for path in site.batches() for u, i, _, _ in batch_entries(path, site.base_url)]
    assert len(entries) == 801 == len(set(entries))
    code, out, _ = run_cli("check", "--content", site.content)
    assert code == 0, out


# --------------------------------------------------------------------------- two branches


def test_merging_two_branches_batches(mini_site: MiniSite, run_cli: RunCli) -> None:
    """Two branches issue 1,500 awards each from the same starting point; their merge holds
    shared entries (about 17 expected: 1,500² / 131,072), which check and build refuse naming
    both credentials; repair-status on one branch's batch makes the merged site build."""
    site = mini_site
    repo = site.root
    site.issue([award_row(email="first@example.org")])
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "start")
    for branch in ("a", "b"):
        _git(repo, "checkout", "-q", "-b", branch, "main")
        code, _, err = run_cli("issue", site.write_csv(_rows(1500, branch), name=f"{branch}.csv"),
                               "--content", site.content, "--key", site.key_path)
        assert code == 0, err
        _git(repo, "add", "content")
        _git(repo, "commit", "-q", "-m", f"batch {branch}")
    _git(repo, "checkout", "-q", "a")
    _git(repo, "merge", "-q", "--no-edit", "b")  # no conflict: one file per batch
    batches = site.batches()
    assert len(batches) == 3
    b_batch = next(p for p in batches if "Holder b0" in p.read_text(encoding="utf-8"))
    ids_before = {p.name: [json.loads(x)["id"] for x in p.read_text().splitlines()]
                  for p in batches}

    problems = shared_entries(site.content, site.base_url)
    assert problems, "1,500 + 1,500 random entries in 131,072 shared none (p < 1e-7)"
    code, out, _ = run_cli("check", "--content", site.content)
    assert code == 1
    for problem in problems:
        assert f"FAIL  {problem}" in out
        assert problem.count("example.org") == 0  # names credentials by ID, not by person
    first = problems[0]
    assert "has the same status list entry" in first and "revoking either would revoke both" in first
    assert "credsite repair-status" in first
    with pytest.raises(BuildError, match="shared status list entr.*nothing was published"):
        site.build()
    assert not (site.root / "output").exists()

    code, out, err = run_cli("repair-status", b_batch, "--content", site.content,
                             "--key", site.key_path)
    assert code == 0, err
    assert out.startswith("re-allocated the status entries of 1500 credential(s)")
    assert shared_entries(site.content, site.base_url) == []
    code, out, _ = run_cli("check", "--content", site.content)
    assert code == 0, out
    assert {p.name: [json.loads(x)["id"] for x in p.read_text().splitlines()]
            for p in site.batches()} == ids_before  # same IDs and URLs
    summary_out = site.build()
    assert len(list((summary_out / "c").glob("*.json"))) == 3001
    register = load_register(site.content)
    repaired = [r for r in register.values() if any(e.action == "repaired" for e in r.events)]
    assert len(repaired) == 1500


def test_repair_refuses_a_batch_with_a_revoked_credential(mini_site: MiniSite,
                                                         run_cli: RunCli) -> None:
    site = mini_site
    [cred_id] = site.issue([award_row()])
    code, _, err = run_cli("revoke", cred_id, "--reason", "issued in error", "--content",
                           site.content, "--key", site.key_path)
    assert code == 0, err
    [batch] = site.batches()
    before = site.snapshot()
    code, _, err = run_cli("repair-status", batch, "--content", site.content,
                           "--key", site.key_path)
    assert code == 1
    assert f"{batch}:1: {cred_id} is revoked; its status entry must keep its bit" in err
    assert site.snapshot() == before


def test_repair_refuses_a_file_that_is_not_a_batch(mini_site: MiniSite, run_cli: RunCli,
                                                   tmp_path: Path) -> None:
    stray = tmp_path / "x.jsonl"
    stray.write_text("", encoding="utf-8")
    code, _, err = run_cli("repair-status", stray, "--content", mini_site.content,
                           "--key", mini_site.key_path)
    assert code == 1 and f"{stray}: not an award batch of" in err

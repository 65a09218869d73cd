"""A killed build's staging folder is removed by the next build; a running build's is kept.

The builds here are real ``credsite build`` processes, killed with SIGKILL (no chance to clean
up) or stopped with SIGSTOP (still running, as far as the kernel is concerned) while they write
into their staging folder.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sitekit import MiniSite, make_site, row

from credsite.build import staging
from credsite.build.pipeline import build_site

AWARDS = 1200  # enough for the build to take a good fraction of a second on a fast machine


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> MiniSite:
    made = make_site(tmp_path_factory.mktemp("staging"))
    made.issue([row(name=f"Holder {i}") for i in range(AWARDS)])
    return made


def _staging_folders(out: Path) -> list[Path]:
    return sorted(p for p in out.parent.glob(f".{out.name}.building-*") if p.is_dir())


def _start_build(site: MiniSite, out: Path) -> tuple[subprocess.Popen[bytes], Path]:
    """A ``credsite build`` in its own process group, returned once it is writing pages into
    its staging folder (with that folder)."""
    build = subprocess.Popen(  # noqa: S603 - our interpreter and arguments
        [sys.executable, "-m", "credsite", "build", "--content", str(site.content), "--out",
         str(out), "--jobs", "2", "--quiet"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    before = set(_staging_folders(out))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        new = [p for p in _staging_folders(out) if p not in before]
        if new and any((new[0] / "c").glob("*.html")):
            return build, new[0]
        assert build.poll() is None, f"the build ended before it was caught: {build.stderr}"
        time.sleep(0.002)
    raise AssertionError("no staging folder appeared")


def _gone(paths: list[Path], timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(p.exists() for p in paths):
            return True
        time.sleep(0.05)
    return False


def _old_folders(out: Path) -> list[Path]:
    return list(out.parent.glob(f".{out.name}.old-*"))


def test_the_next_build_removes_what_killed_builds_left(site: MiniSite, tmp_path: Path) -> None:
    out = tmp_path / "output"
    builds = []
    for _ in range(2):  # the second leaves the first's alone
        builds.append(_start_build(site, out))
        # Stopped (alive, its lock held) until both are killed: a loaded machine could otherwise
        # let the first build finish while the second starts.
        os.killpg(builds[-1][0].pid, signal.SIGSTOP)
    for build, _ in builds:
        os.killpg(build.pid, signal.SIGKILL)
        build.wait()
    killed = [folder for _, folder in builds]
    assert len(set(killed)) == 2
    assert all(folder.is_dir() for folder in killed)
    assert all(Path(f"{folder}{staging.LOCK}").is_file() for folder in killed)
    assert not out.exists()

    summary = build_site(site.content, out, quiet=True)
    assert f"built {AWARDS} credentials" in summary
    assert _staging_folders(out) == []
    assert list(out.parent.glob(f".{out.name}.building-*")) == []  # lock files too
    assert _gone(_old_folders(out)), _old_folders(out)
    assert len(list((out / "c").glob("*.html"))) == AWARDS


def test_a_running_builds_staging_folder_is_left_alone(site: MiniSite, tmp_path: Path) -> None:
    out = tmp_path / "output"
    build, folder = _start_build(site, out)
    os.killpg(build.pid, signal.SIGSTOP)  # still running, and owning its folder
    try:
        build_site(site.content, out, quiet=True, incremental=False)
        assert _staging_folders(out) == [folder]
        assert any((folder / "c").glob("*.html"))
    finally:
        os.killpg(build.pid, signal.SIGCONT)
    _, errors = build.communicate(timeout=300)
    assert build.returncode == 0, errors
    assert _staging_folders(out) == []
    assert len(list((out / "c").glob("*.html"))) == AWARDS


def test_a_leftover_lock_file_without_its_folder_is_removed(site: MiniSite, tmp_path: Path) -> None:
    out = tmp_path / "output"
    out.mkdir()
    lock = tmp_path / f".{out.name}.building-x1y2z3{staging.LOCK}"  # killed before its mkdir
    lock.write_bytes(b"")
    staging.discard_leftovers(out)
    assert not lock.exists()
    held = staging.new_staging(out)  # a live build's lock and folder stay
    try:
        staging.discard_leftovers(out)
        assert held.folder.is_dir() and Path(f"{held.folder}{staging.LOCK}").is_file()
    finally:
        held.folder.rmdir()
        held.release()
    assert list(tmp_path.glob(f".{out.name}.building-*")) == []


def test_delete_tree_deletes_everything_and_follows_no_link(tmp_path: Path) -> None:
    """The replaced output's deleter (staging.delete_tree) reads directories as a stream: it
    deletes nested folders and many files, and unlinks symbolic links without following them."""
    from credsite.build.staging import delete_tree

    keep = tmp_path / "keep"
    keep.mkdir()
    (keep / "precious.txt").write_text("x", encoding="utf-8")
    root = tmp_path / "old"
    for sub in ["c", "credentials/A-1", "credentials/B-2/deep", "empty"]:
        (root / sub).mkdir(parents=True)
    for i in range(3000):
        (root / "c" / f"{i:05d}.html").write_bytes(b"page")
    (root / "credentials" / "B-2" / "deep" / "index.html").write_bytes(b"x")
    (root / "link-to-keep").symlink_to(keep)
    (root / "c" / "file-link").symlink_to(keep / "precious.txt")
    delete_tree(str(root))
    assert not root.exists()
    assert (keep / "precious.txt").read_text(encoding="utf-8") == "x"
    delete_tree(str(root))  # a folder that is gone already: nothing happens


def _lock_held(folder: Path) -> bool:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def test_a_replaced_output_being_deleted_gets_no_second_deleter(tmp_path: Path) -> None:
    """A build started while the replaced output's deleter works (minutes at a million
    credentials) leaves that folder to it; once no deleter holds it, the next build deletes it."""
    out = tmp_path / "output"
    out.mkdir()
    old = tmp_path / f".{out.name}.old-abc123"
    (old / "c").mkdir(parents=True)
    for i in range(2000):
        (old / "c" / f"{i:05d}.html").write_bytes(b"page")
    fd = os.open(old, os.O_RDONLY | os.O_DIRECTORY)  # as a deleter at work holds it
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        staging.discard_leftovers(out)
        time.sleep(1.0)  # a deleter started by mistake would have deleted 2,000 files by now
        assert len(list((old / "c").iterdir())) == 2000
    finally:
        os.close(fd)
    staging.discard_leftovers(out)
    assert _gone([old])


def test_the_deleter_owns_the_folder_from_the_moment_it_is_started(tmp_path: Path) -> None:
    out = tmp_path / "output"
    (out / "c").mkdir(parents=True)
    for i in range(20000):
        (out / "c" / f"{i:05d}.html").write_bytes(b"page")
    new = tmp_path / "staging"
    new.mkdir()
    staging.swap(new, out)
    [old] = _old_folders(out)
    assert _lock_held(old)  # the deleter's Python is still starting: the lock is handed to it
    assert _gone([old])

"""The staging folder and how it replaces the output.

A build writes into a staging folder beside the output (``.<out>.building-*``). A full build then
puts it in place of the output with two renames (:func:`swap`); a rebuild moves its few files
into the output one atomic rename each (:func:`apply`). Either way the output is touched only after
every award verified and every page rendered. A replaced output is deleted in a detached process.

A build that is killed (``kill -9``, a power cut, a cancelled CI job) cannot clean up after itself,
so each staging folder has an owner: the build that holds an exclusive ``flock`` on its lock file
``.<out>.building-*.lock``. The kernel releases the lock when the process (and the workers it
forked) end, however they end, so a lock that can be taken marks a leftover; unlike a process ID,
it cannot be mistaken for another process that later got the same number. The next build for the
same output moves ownerless staging folders aside and deletes them, and leaves running builds'
folders alone. A replaced output's deleter likewise holds a ``flock`` on the folder it deletes,
so that a build started while it works (at a million credentials it runs for many minutes) does
not start a second deleter on the same folder.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

LOCK = ".lock"  # suffix of a staging folder's lock file (beside it, so it is never published)


@dataclass
class Staging:
    """A staging folder and the open, locked file that says this process owns it."""

    folder: Path
    lock_fd: int

    def release(self) -> None:
        """Give the folder up (after it was swapped in, applied or deleted)."""
        Path(f"{self.folder}{LOCK}").unlink(missing_ok=True)
        os.close(self.lock_fd)


def new_staging(out: Path) -> Staging:
    """A new, empty staging folder beside ``out``, owned by this process until released."""
    while True:
        fd, lock_name = tempfile.mkstemp(prefix=f".{out.name}.building-", suffix=LOCK,
                                         dir=out.parent)
        folder = Path(lock_name[: -len(LOCK)])
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # a cleaning build is looking at it: it removes it, we retry
            os.close(fd)
            continue
        try:
            # A cleaning build may have taken the brand-new file for a stale one and removed it.
            if os.fstat(fd).st_ino == os.stat(lock_name).st_ino:
                folder.mkdir()
                return Staging(folder, fd)
        except (FileNotFoundError, FileExistsError):  # removed, or a leftover folder's name
            pass
        Path(lock_name).unlink(missing_ok=True)
        os.close(fd)


def _owner_gone(lock: Path) -> int | None:
    """The locked descriptor of ``lock`` if no build holds it any more (the caller closes it),
    -1 if the lock file is missing, None if a running build owns it."""
    try:
        fd = os.open(lock, os.O_RDWR)
    except FileNotFoundError:
        return -1
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def _discard_staging(folder: Path, out: Path) -> None:
    """Delete a staging folder that no running build owns (a killed build's), else nothing."""
    lock = Path(f"{folder}{LOCK}")
    fd = _owner_gone(lock)
    if fd is None:
        return
    try:
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.replace(folder, old)  # renamed first: a deleter stopped half-way leaves an .old- folder
        _discard(old)
        lock.unlink(missing_ok=True)
    finally:
        if fd >= 0:
            os.close(fd)


def swap(staging: Path, out: Path) -> None:
    """Put the staging folder in place of ``out`` with two renames; the old one goes away later."""
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.replace(out, old)  # onto the new empty folder: a rename, however big ``out`` is
        os.replace(staging, out)
        _discard(old)
    else:
        os.replace(staging, out)


def _discard(folder: Path) -> None:
    """Delete a replaced output in a detached process: at 100,000 credentials that is 200,000
    files, seconds the build need not wait for. A folder whose deleter was stopped is deleted by
    the next build (:func:`discard_leftovers`); one whose deleter still runs is left to it.

    The deleter owns the folder by an exclusive ``flock`` on the folder itself, taken here before
    it starts and handed to it as an open descriptor (``pass_fds``), so the folder is never
    without an owner between the two; the kernel releases the lock when the deleter ends."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return  # gone already
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return  # a deleter is at work on it
        try:
            subprocess.Popen(  # noqa: S603 - our interpreter, a fixed script, a path we created
                [sys.executable, "-c", "import sys; from credsite.build.staging import delete_tree; "
                 "delete_tree(sys.argv[1])", str(folder)], stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                pass_fds=(fd,))
        except OSError:
            delete_tree(str(folder))
    finally:
        os.close(fd)  # the deleter keeps its own copy of the locked descriptor


def delete_tree(root: str) -> None:
    """Delete ``root`` and everything below it, ignoring errors, one directory entry at a time.

    ``shutil.rmtree`` lists each directory whole before deleting it (``list(os.scandir(…))``):
    for ``c/`` of a million credentials that is two million entries, about 300 MB in the deleting
    process, which pushed a template change's peak memory over 400 MB (issue 20). Here each file
    is unlinked as ``scandir`` reads it; symbolic links are unlinked, never followed. Unlinking
    while reading a directory may hide an entry from that pass (POSIX leaves it unspecified), so
    a directory that is not empty afterwards is read again (up to three times)."""
    pending: list[tuple[str, int]] = [(root, 0)]  # (folder, passes done)
    while pending:
        path, passes = pending.pop()
        if passes:
            try:
                os.rmdir(path)
            except OSError:
                if passes < 3 and os.path.isdir(path) and not os.path.islink(path):
                    pending.append((path, passes + 1))
                    pending.extend(_delete_files(path))
            continue
        pending.append((path, 1))
        pending.extend(_delete_files(path))


def _delete_files(path: str) -> list[tuple[str, int]]:
    """Unlink every non-folder in ``path``; return its sub-folders (to delete next)."""
    folders: list[tuple[str, int]] = []
    try:
        with os.scandir(path) as entries:
            for entry in entries:
                try:
                    if entry.is_dir(follow_symlinks=False):
                        folders.append((entry.path, 0))
                    else:
                        os.unlink(entry.path)
                except OSError:
                    continue
    except OSError:
        pass
    return folders


def discard_leftovers(out: Path) -> None:
    """Delete what earlier builds of ``out`` left beside it: replaced outputs whose deleter was
    stopped, and staging folders (with their lock files) of builds that were killed."""
    old_prefix, staging_prefix = f".{out.name}.old-", f".{out.name}.building-"
    for leftover in out.parent.iterdir():
        name = leftover.name
        if name.startswith(old_prefix) and leftover.is_dir():
            _discard(leftover)
        elif name.startswith(staging_prefix) and leftover.is_dir():
            _discard_staging(leftover, out)
        elif (name.startswith(staging_prefix) and name.endswith(LOCK)
              and not leftover.with_name(name[: -len(LOCK)]).exists()):
            fd = _owner_gone(leftover)  # killed before its folder was made, or after the swap
            if fd is not None and fd >= 0:
                leftover.unlink(missing_ok=True)
                os.close(fd)


def apply(staging: Path, out: Path, removed: set[str]) -> None:
    """Move every staged file into ``out`` (each replace is atomic), then drop removed pages."""
    for folder, _, files in os.walk(staging):
        target_dir = out / Path(folder).relative_to(staging)
        target_dir.mkdir(parents=True, exist_ok=True)
        for name in files:
            os.replace(Path(folder) / name, target_dir / name)
    for cred_id in removed:
        (out / "c" / f"{cred_id}.html").unlink(missing_ok=True)
        (out / "c" / f"{cred_id}.json").unlink(missing_ok=True)
    shutil.rmtree(staging, ignore_errors=True)

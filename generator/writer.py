"""Writing many small files without waiting on each one.

A cold build writes two files per credential: 200,000 for a 100,000-credential site. On many disks
(network and virtual ones above all) creating a file costs far more than filling it, and the time
goes in waiting, not in work; a few threads that create files while the build goes on rendering
hide most of that wait. Used inside each build worker process.
"""

from __future__ import annotations

import os
from concurrent.futures import Future, ThreadPoolExecutor

THREADS = 4
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


def write_file(path: str, data: bytes) -> None:
    fd = os.open(path, _FLAGS, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def _write_all(files: list[tuple[str, bytes]]) -> None:
    """Write every file; then raise the first error, if any."""
    error: OSError | None = None
    for path, data in files:
        try:
            write_file(path, data)
        except OSError as exc:
            error = error or exc
    if error is not None:
        raise error


class FileWriter:
    """``write`` queues a file; ``flush`` waits for every queued file and raises the first error.

    Files go to the threads in groups of ``GROUP``: one hand-over per file would cost more than
    writing the file does on a fast disk.
    """

    GROUP = 16

    def __init__(self, threads: int = THREADS) -> None:
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="credsite-write")
        self._pending: list[Future[None]] = []
        self._group: list[tuple[str, bytes]] = []

    def write(self, path: str, data: bytes) -> None:
        self._group.append((path, data))
        if len(self._group) >= self.GROUP:
            self._hand_over()

    def _hand_over(self) -> None:
        if self._group:
            self._pending.append(self._pool.submit(_write_all, self._group))
            self._group = []

    def flush(self) -> None:
        self._hand_over()
        pending, self._pending = self._pending, []
        errors = [exc for exc in (f.exception() for f in pending) if exc is not None]
        if errors:
            raise errors[0]

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self._pool.shutdown(wait=True)

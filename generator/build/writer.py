"""Writing the build's many small files: two per credential, 200,000 for a 100,000-credential site.

One ``os.open``/``os.write``/``os.close`` per file, without the buffered file object that
``open()`` would wrap around it. (Writing from a pool of threads was measured too, on this
project's development VM: no faster on its disk, slower on tmpfs, so the build does not.)
"""

from __future__ import annotations

import os

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


def write_file(path: str, data: bytes) -> None:
    """Create or replace ``path`` with ``data`` (mode 0644 before the umask)."""
    fd = os.open(path, _FLAGS, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)

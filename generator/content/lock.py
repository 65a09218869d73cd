"""One writer at a time per content folder: an exclusive ``flock`` on the folder itself.

Every command that writes awards, status lists or the register (issue, revoke, reissue, amend,
withdraw, repair-status, import) holds an exclusive ``flock`` on this file from before it reads
the content until it has written everything, so two runs on one machine serialize instead of
picking status list entries from the same snapshot. The lock is taken on the folder's own
descriptor (flock(2) works on directories), so no lock file is left in the content tree, and the
kernel releases it when the process ends, even if it crashes. flock is advisory and local: it
serializes credsite runs on one machine (for branches, see credsite.content.statusentries).
"""

from __future__ import annotations

import fcntl
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from credsite.errors import ContentError


@contextmanager
def content_lock(content: Path, *, wait_message: bool = True) -> Iterator[None]:
    """Hold the content folder's write lock; waits (saying so on stderr) while another run has it."""
    if not content.is_dir():
        raise ContentError("not a content folder (missing); run 'credsite init' or pass --content",
                           where=str(content))
    try:
        fd = os.open(content, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise ContentError(f"cannot lock the folder: {exc.strerror}", where=str(content)) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if wait_message:
                print(f"waiting for another credsite command that is writing {content} …",
                      file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock

"""The build's progress bar: rate and ETA on a terminal, for builds longer than a couple of seconds.

Silent when stderr is not a terminal (CI logs, pipes), with ``--quiet``, and for a build that
finishes within ``delay`` seconds: most rebuilds, which would only flicker.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

WIDTH = 30
DELAY = 2.0  # seconds before the bar appears
REDRAW = 0.2  # seconds between redraws


class Progress:
    def __init__(self, total: int, quiet: bool, *, stream: TextIO | None = None,
                 delay: float = DELAY, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = sys.stderr if stream is None else stream
        self.total, self.done, self.delay, self.clock = total, 0, delay, clock
        self.start = clock()
        self.active = not quiet and self.stream.isatty()
        self.shown = False
        self.last = 0.0

    def advance(self, count: int) -> None:
        """``count`` more credentials done (built or failed)."""
        self.done += count
        if not self.active:
            return
        now = self.clock()
        elapsed = now - self.start
        finished = self.done >= self.total
        if (elapsed < self.delay and not self.shown) or (now - self.last < REDRAW and not finished):
            return  # a short build so far, or drawn a moment ago
        self.shown, self.last = True, now
        rate = self.done / elapsed if elapsed else 0.0
        eta = (self.total - self.done) / rate if rate else 0.0
        filled = WIDTH * min(self.done, self.total) // max(self.total, 1)
        self.stream.write(f"\r[{'#' * filled}{'.' * (WIDTH - filled)}] {self.done}/{self.total} "
                          f"{rate:,.0f}/s ETA {eta:4.0f}s" + ("\n" if finished else ""))
        self.stream.flush()

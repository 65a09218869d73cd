"""The build's progress bar (issue: scale): rate and ETA on a terminal for builds longer than a
couple of seconds, nothing otherwise; and the one-line summary at the end."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

from credsite.build.progress import Progress

REPO = Path(__file__).resolve().parent.parent


class Terminal(io.StringIO):
    """What the bar writes to, as a terminal would receive it."""

    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def drive(stream: io.StringIO, *, quiet: bool = False, seconds_per_chunk: float) -> str:
    """Four chunks of 250 credentials, ``seconds_per_chunk`` apart."""
    clock = Clock()
    progress = Progress(1000, quiet, stream=stream, clock=clock)
    for _ in range(4):
        clock.now += seconds_per_chunk
        progress.advance(250)
    return stream.getvalue()


def test_a_long_build_on_a_terminal_shows_rate_and_eta_then_ends_the_line() -> None:
    out = drive(Terminal(), seconds_per_chunk=1.0)
    frames = out.split("\r")[1:]
    assert frames[0] == "[" + "#" * 15 + "." * 15 + "] 500/1000 250/s ETA    2s"  # after 2 s
    assert frames[-1] == "[" + "#" * 30 + "] 1000/1000 250/s ETA    0s\n"
    assert len(frames) == 3


def test_a_short_build_shows_nothing() -> None:
    assert drive(Terminal(), seconds_per_chunk=0.1) == ""


def test_nothing_when_not_a_terminal_or_quiet() -> None:
    assert drive(io.StringIO(), seconds_per_chunk=1.0) == ""
    assert drive(Terminal(), quiet=True, seconds_per_chunk=1.0) == ""


def test_redraws_at_most_five_times_a_second() -> None:
    clock = Clock()
    stream = Terminal()
    progress = Progress(100, False, stream=stream, clock=clock)
    clock.now += 3.0
    for _ in range(99):
        clock.now += 0.01
        progress.advance(1)
    assert stream.getvalue().count("\r") == 5  # at 3.01 s, then every 0.2 s up to 3.99 s
    progress.advance(1)
    assert stream.getvalue().endswith("100/100 25/s ETA    0s\n")


def test_the_real_command_in_a_terminal(tmp_path: Path) -> None:
    """``credsite build`` with a pseudo-terminal as stderr: a build of 20,000 awards on one
    worker takes several seconds, so the bar appears, and the summary line comes last."""
    sys.path.insert(0, str(REPO / "bench"))
    import build_bench

    build_bench.generate(tmp_path / "content", build_bench.make_scratch(tmp_path), 20_000)
    controller, terminal = pty.openpty()
    with subprocess.Popen([sys.executable, "-m", "credsite", "build", "--content",
                           str(tmp_path / "content"), "--out", str(tmp_path / "out"), "--jobs", "1"],
                          cwd=REPO, stdout=subprocess.PIPE, stderr=terminal) as build:
        os.close(terminal)
        shown = b""
        while True:
            try:
                data = os.read(controller, 4096)
            except OSError:  # EIO: the build closed its end
                break
            if not data:
                break
            shown += data
        stdout = build.stdout.read().decode() if build.stdout else ""
    os.close(controller)
    assert build.returncode == 0, shown
    frames = shown.decode().replace("\r\n", "\n").split("\r")[1:]
    assert frames, "no progress bar on the terminal"
    assert re.fullmatch(r"\[[#.]{30}\] \d+/20000 [\d,]+/s ETA +\d+s", frames[0])
    assert frames[-1].startswith("[" + "#" * 30 + "] 20000/20000 ") and frames[-1].endswith("\n")
    assert re.fullmatch(r"built 20000 credentials \(.*\), skipped 0 unchanged, 54 public pages, "
                        r"in [\d.]+ s → .*\n", stdout)

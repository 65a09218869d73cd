"""The benchmark scripts run and print every figure (issue: scale). They are run small, and only
their output's shape is checked: figures are for the README and the notes, never asserted."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NUMBER = r"[\d,]+(?:\.\d+)?"


def run(*args: str) -> str:
    done = subprocess.run([sys.executable, *args], cwd=REPO, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


def test_the_build_benchmark_prints_every_figure_and_cleans_up(tmp_path: Path) -> None:
    out = run("bench/build_bench.py", "--awards", "20", "--dir", str(tmp_path))
    assert "## N = 20 awards" in out
    rows = dict(re.findall(r"^\| (.+?) \| (.+?) \|$", out, re.M))
    expected = {
        "cold build (every JCS proof and every batch seal verified)": rf"{NUMBER} s",
        "cold build CPU time, all processes (user + system)": rf"{NUMBER} s \+ {NUMBER} s",
        "cold build CPU time a credential (user + system)": rf"{NUMBER} \+ {NUMBER} ms",
        "rebuild, nothing changed": rf"{NUMBER} s",
        "rebuild after adding one award": rf"{NUMBER} s",
        "rebuild after revoking one": rf"{NUMBER} s",
        "rebuild after a template change (every page re-rendered)": rf"{NUMBER} s",
        "peak RSS, whole process tree (cold / no-change / add / revoke / template)":
            rf"{NUMBER}( / {NUMBER}){{4}} MB",
        "disk per credential, file bytes (allocated blocks)": rf"{NUMBER} KB \({NUMBER} KB\)",
        "credentials per second (cold)": NUMBER,
    }
    for figure, pattern in expected.items():
        assert figure in rows, f"no row {figure!r} in:\n{out}"
        assert re.fullmatch(pattern, rows[figure]), (figure, rows[figure])
    assert "built 20 credentials" in out
    assert re.search(rf"this machine's speed: {NUMBER} ms a QR code before the cold build, "
                     rf"{NUMBER} ms after", out), out
    assert list(tmp_path.iterdir()) == []  # the scratch site is gone


def test_the_qr_benchmark_compares_the_encoders() -> None:
    out = run("bench/qr_bench.py", "--count", "40", "--repeat", "1")
    assert re.search(rf"qrencode.*{NUMBER}", out), out


def test_the_import_benchmark_prints_the_throughput(tmp_path: Path) -> None:
    out = run("bench/import_bench.py", "--rows", "30", "--dir", str(tmp_path))
    assert "## legacy import, N = 30 rows" in out
    rows = dict(re.findall(r"^\| (.+?) \| (.+?) \|$", out, re.M))
    assert rows["rows imported (one batch, all or nothing)"] == "30"
    assert re.fullmatch(r"\d+ \(eddsa-[a-z]+-2022(, eddsa-[a-z]+-2022)*\)",
                        rows["proofs per credential"]), rows
    for figure in ("awards issued per second (wall clock)",
                   "awards issued per CPU second (one idle core)"):
        assert re.fullmatch(NUMBER, rows[figure]), (figure, rows)
    assert "issued 30 credential(s)" in out
    assert list(tmp_path.iterdir()) == []  # the scratch site is gone

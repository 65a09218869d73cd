"""Issue benchmark: how many awards per second ``credsite issue`` signs with both proofs.

    python bench/issue_bench.py [--rows 10000]

Makes a scratch copy of the demo catalog with a fresh throwaway key and no awards, writes a CSV of
``--rows`` fictional exam results, and times ``credsite issue`` in a child process end to end:
reading the CSV, signing each award with the eddsa-jcs-2022 and eddsa-rdfc-2022 proof set
(RDF canonicalization of each credential), verifying both proofs of every award before anything is
written, and writing the sealed batch, the status list and the register. Never asserts on time.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIRST = ["Maria", "José", "Aisha", "Chen", "Dmitri", "Emily", "Fatima", "王", "Siobhán", "Noah"]
LAST = ["García", "O'Brien", "Nguyen", "Kowalski", "Okafor", "Müller", "Smith", "小明", "Patel"]


def credsite(*args: str, cwd: Path) -> str:
    result = subprocess.run([sys.executable, "-m", "credsite", *args], cwd=cwd, capture_output=True,
                            text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"credsite {args[0]} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    rows = parser.parse_args().rows
    with tempfile.TemporaryDirectory(prefix="credsite-issue-bench-") as scratch:
        root = Path(scratch)
        content = root / "content"
        shutil.copytree(ROOT / "content", content,
                        ignore=shutil.ignore_patterns("awards", "status", "register"))
        key = root / "bench.key"
        printed = credsite("keygen", "--out", str(key), "--id", "bench", "--no-passphrase",
                           "--valid-from", "2020-01-01T00:00:00Z", cwd=root)
        match = re.search(r"public_key: (z6Mk\w+)", printed)
        assert match, printed
        site_yaml = (content / "site.yaml").read_text(encoding="utf-8").split("\nkeys:\n")[0]
        (content / "site.yaml").write_text(
            f"{site_yaml}\nkeys:\n  - id: bench\n    public_key: {match.group(1)}\n"
            "    valid_from: 2020-01-01T00:00:00Z\n", encoding="utf-8")
        codes = sorted(p.stem for p in (content / "credentials").glob("*.md"))
        rng = random.Random(1)
        results = root / "results.csv"
        with results.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["name", "email", "code", "awarded", "performance_result",
                             "theory_result", "test_site"])
            for i in range(rows):
                writer.writerow([f"{rng.choice(FIRST)} {rng.choice(LAST)}", f"h{i}@example.com",
                                 rng.choice(codes), f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
                                 "Pass", f"{rng.randrange(70, 100)}%", "Bench Test Center"])
        start = time.perf_counter()
        cpu = os.times()
        out = credsite("issue", str(results), "--key", str(key), "--content", str(content),
                       "--report", str(root / "report.csv"), cwd=root)
        seconds = time.perf_counter() - start
        after = os.times()
        issued = next(line for line in out.splitlines() if line.startswith("issued "))
        print(f"## credsite issue, {rows:,} rows ({platform.machine()}, {os.cpu_count()} cores, "
              f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f})\n")
        print(f"{issued}\n")
        print("| figure | value |\n| --- | --- |")
        print(f"| wall time (CSV to sealed batch, both proofs signed and verified) | {seconds:.1f} s |")
        print(f"| CPU time of the issue process (user + system) | "
              f"{after.children_user - cpu.children_user:.1f} s + "
              f"{after.children_system - cpu.children_system:.1f} s |")
        print(f"| awards signed per second | {rows / seconds:,.0f} |")


if __name__ == "__main__":
    main()

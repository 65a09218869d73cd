"""Legacy import benchmark: a register of N past awards imported with `credsite import`.

    python bench/import_bench.py --rows 10000

Makes a scratch site (the demo catalog, a signing key made today), writes a CSV of N past awards
with historic dates (1995 to last year) and test sites, and times ``credsite import`` in this
process: parse, duplicate check, sign every credential with every proof it carries, verify each
one with the checklist, write the batch, the register and the report. Prints awards per second
and the proofs each credential carries. Never asserts on time: the figures are for the README.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import io
import json
import os
import platform
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from credsite.cli.commands import main  # noqa: E402
from credsite.content.awards import batch_files  # noqa: E402
from credsite.content.catalog import load_catalog  # noqa: E402
from credsite.content.register import register_files  # noqa: E402
from credsite.issuer import keys  # noqa: E402

FIRST = ["Maria", "José", "Aisha", "Chen", "Dmitri", "Emily", "Fatima", "王", "Siobhán", "Noah"]
LAST = ["García", "O'Brien", "Nguyen", "Kowalski", "Okafor", "Müller", "Smith", "小明", "Patel"]
SITES = ["Lakeside Technical College", "Northgate Training Centre", "Hilltop Machining Institute",
         "Riverside Community College", "Harbor Works Academy"]


def make_scratch(root: Path) -> Path:
    """The demo catalog and pages, a signing key valid from today, no awards; returns the key."""
    content = root / "content"
    shutil.copytree(ROOT / "content", content,
                    ignore=shutil.ignore_patterns("awards", "status", "register", "holders.yaml"))
    (content / "awards").mkdir()
    signer = keys.generate("import-bench")
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT00:00:00Z")
    head = (content / "site.yaml").read_text(encoding="utf-8").split("keys:")[0]
    (content / "site.yaml").write_text(
        f"{head}keys:\n  - id: import-bench\n    public_key: {signer.public_multikey}\n"
        f"    valid_from: {today}\n", encoding="utf-8")
    key_path = root / "bench.key"
    keys.write_key_file(key_path, signer, None)
    return key_path


def write_legacy_csv(path: Path, content: Path, rows: int) -> None:
    codes = sorted(load_catalog(content))
    rng = random.Random(rows)
    start = dt.date(1995, 1, 1)
    span = (dt.date(dt.datetime.now(dt.UTC).year - 1, 12, 31) - start).days
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "email", "code", "awarded", "performance_result",
                         "theory_result", "test_site", "legacy_record_no"])
        for i in range(rows):
            awarded = start + dt.timedelta(days=rng.randrange(span))
            writer.writerow([f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}",
                             f"holder{i}@example.com", rng.choice(codes), awarded.isoformat(),
                             "Pass", f"{rng.randrange(70, 100)}%", rng.choice(SITES),
                             f"R-{i:06d}"])


def bench(rows: int, base: Path | None) -> None:
    root = Path(tempfile.mkdtemp(prefix="credsite-import-bench-", dir=base))
    try:
        key = make_scratch(root)
        content = root / "content"
        legacy = root / "legacy.csv"
        write_legacy_csv(legacy, content, rows)
        out, err = io.StringIO(), io.StringIO()
        cpu0, wall0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["import", str(legacy), "--content", str(content), "--key", str(key),
                         "--quiet", "--report", str(root / "report.csv")])
        wall = time.perf_counter() - wall0
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        if code != 0:
            raise SystemExit(f"credsite import failed:\n{err.getvalue()}")
        [batch] = batch_files(content)
        first = json.loads(batch.read_text(encoding="utf-8").split("\n", 1)[0])
        proofs = first["proof"] if isinstance(first["proof"], list) else [first["proof"]]
        suites = ", ".join(str(p.get("cryptosuite")) for p in proofs)
        register = sum(p.stat().st_size for p in register_files(content))
        print(f"## legacy import, N = {rows:,} rows\n")
        print(f"{platform.machine()} {platform.python_version()}, {os.cpu_count()} cores, "
              f"load average {os.getloadavg()[0]:.1f}, {dt.datetime.now(dt.UTC):%Y-%m-%d}\n")
        print("| figure | value |\n| --- | --- |")
        print(f"| rows imported (one batch, all or nothing) | {rows:,} |")
        print(f"| proofs per credential | {len(proofs)} ({suites}) |")
        print(f"| import time: parse, duplicates, sign, verify every proof, write | {wall:.2f} s |")
        print(f"| import CPU time (user + system) | {cpu1.ru_utime - cpu0.ru_utime:.2f} s + "
              f"{cpu1.ru_stime - cpu0.ru_stime:.2f} s |")
        cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
        print(f"| awards issued per second (wall clock) | {rows / wall:,.0f} |")
        print(f"| awards issued per CPU second (one idle core) | {rows / cpu:,.0f} |")
        print(f"| batch file, register | {batch.stat().st_size / rows / 1024:.2f} KB, "
              f"{register / rows / 1024:.2f} KB per award |")
        warnings = [line for line in err.getvalue().splitlines() if line.startswith("warning")]
        print(f"| warning lines printed (already expired awards summarized) | {len(warnings)} |")
        print()
        print(out.getvalue().splitlines()[-2])  # "issued N credential(s) into …"
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000])
    parser.add_argument("--dir", type=Path, help="where to make the scratch site (e.g. /dev/shm)")
    args = parser.parse_args()
    for rows in args.rows:
        bench(rows, args.dir)


if __name__ == "__main__":
    main_bench()

"""Build benchmark: generate N signed awards in a scratch site, then time the build.

    python bench/build_bench.py --awards 1000 10000 100000

Prints one table per N: cold build (wall and CPU time), rebuild with no change, rebuild after
adding one award, after revoking one and after a template change, peak RSS (whole process tree),
bytes on disk per credential, and credentials per second. Never asserts on time: the figures
are for the README and the notes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from credsite.content.awards import seal_path, serialize  # noqa: E402
from credsite.content.catalog import load_catalog  # noqa: E402
from credsite.content.credential import Award, build_credential  # noqa: E402
from credsite.content.site import load_site  # noqa: E402
from credsite.issuer import keys  # noqa: E402
from credsite.trust import dataintegrity, rdfc  # noqa: E402
from credsite.trust.ids import new_credential_id  # noqa: E402
from credsite.trust.multibase import multibase_b58  # noqa: E402
from credsite.trust.seal import make_seal  # noqa: E402
from credsite.trust.statuslist import LIST_SIZE, status_entry  # noqa: E402

BATCH = 1000
FIRST = ["Maria", "José", "Aisha", "Chen", "Dmitri", "Emily", "Fatima", "王", "Siobhán", "Noah"]
LAST = ["García", "O'Brien", "Nguyen", "Kowalski", "Okafor", "Müller", "Smith", "小明", "Patel"]


def make_scratch(root: Path) -> keys.Signer:
    """A copy of the demo catalog and pages with a fresh throwaway key and no awards."""
    content = root / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("awards", "status"))
    (content / "awards").mkdir()
    signer = keys.generate("bench")
    site_yaml = (content / "site.yaml").read_text(encoding="utf-8")
    head = site_yaml.split("keys:")[0]
    (content / "site.yaml").write_text(
        f"{head}keys:\n  - id: bench\n    public_key: {signer.public_multikey}\n"
        "    valid_from: 2020-01-01T00:00:00Z\n", encoding="utf-8")
    return signer


def _generate_batch(args: tuple[Path, bytes, int, int, list[int]]) -> None:
    content, seed, number, count, indexes = args
    signer = keys.signer_from_seed("bench", seed)
    site, catalog = load_site(content), load_catalog(content)
    codes = sorted(catalog)
    rng = random.Random(number)
    method = site.verification_method("bench")
    lines = []
    for i in range(count):
        awarded = dt.datetime(2021, 1, 1, 15, tzinfo=dt.UTC) + dt.timedelta(days=rng.randrange(1800))
        award = Award(f"{rng.choice(FIRST)} {rng.choice(LAST)}", f"c{number}.{i}@example.com",
                      rng.choice(codes), awarded, "Pass", f"{rng.randrange(70, 100)}%",
                      "Bench Test Center")
        index = indexes[i]
        entry = status_entry(site.base_url, 1 + index // LIST_SIZE, index % LIST_SIZE)
        doc = build_credential(site, catalog[award.code], award, new_credential_id(), entry)
        lines.append(serialize(dict(doc, proof=[
            dataintegrity.create_proof(doc, signer.sign, method, CREATED),
            _stand_in_rdfc_proof(doc, signer, method)])))
    path = content / "awards" / f"bench-{number:05d}.jsonl"
    data = b"\n".join(lines) + b"\n"
    path.write_bytes(data)
    seal = make_seal(path.name, data, signer.sign, method, CREATED)
    seal_path(path).write_text(json.dumps(seal), encoding="utf-8")


CREATED = "2026-01-01T00:00:00Z"


def _stand_in_rdfc_proof(doc: dict[str, object], signer: keys.Signer, method: str) -> dict[str, str]:
    """An eddsa-rdfc-2022 proof of the real size whose proofValue is NOT an RDFC signature (it
    signs the JCS data): RDF canonicalization of 100,000 awards would take the setup ten minutes,
    and the build never canonicalizes awards (it checks each batch's seal, which is real)."""
    proof = {"type": "DataIntegrityProof", "cryptosuite": rdfc.CRYPTOSUITE, "created": CREATED,
             "verificationMethod": method, "proofPurpose": "assertionMethod"}
    proof["proofValue"] = multibase_b58(signer.sign(dataintegrity.hash_data(doc, proof)))
    return proof


def generate(content: Path, signer: keys.Signer, n: int) -> None:
    from credsite.issuer.revocation import save_list
    from credsite.trust.statuslist import Bitstring

    per_list = LIST_SIZE // 2
    lists = (n + per_list - 1) // per_list
    rng = random.Random(1)
    indexes: list[int] = []
    for number in range(lists):
        want = min(per_list, n - len(indexes))
        indexes += [number * LIST_SIZE + i for i in rng.sample(range(LIST_SIZE), want)]
    seed = bytes(signer._key)
    jobs = [(content, seed, b, min(BATCH, n - b * BATCH), indexes[b * BATCH:(b + 1) * BATCH])
            for b in range((n + BATCH - 1) // BATCH)]
    with multiprocessing.get_context("fork").Pool() as pool:
        pool.map(_generate_batch, jobs)
    site = load_site(content)
    for number in range(1, lists + 1):
        save_list(content, site, signer, number, Bitstring())


class TreeRss:
    """Peak resident memory of a process and its descendants, sampled every 50 ms.

    Follows ``/proc/<pid>/task/<tid>/children`` from the build's process and reads each one's
    ``statm``: a handful of small reads per sample, so the sampling itself takes next to no CPU
    from the build it measures (walking all of ``/proc`` every 20 ms took about a tenth of a core).
    """

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._page = os.sysconf("SC_PAGE_SIZE")
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree_rss(self) -> int:
        total, todo = 0, [self.pid]
        while todo:
            pid = todo.pop()
            try:
                with open(f"/proc/{pid}/statm", "rb") as handle:
                    total += int(handle.read().split()[1]) * self._page
                for tid in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{tid}/children", "rb") as handle:
                        todo.extend(int(child) for child in handle.read().split())
            except (OSError, IndexError, ValueError):
                continue  # the process ended between two reads
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._tree_rss())
            time.sleep(0.05)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def timed_build(content: Path, out: Path) -> tuple[float, int, str, tuple[float, float]]:
    """(wall seconds, peak tree RSS, the build's summary line, (user, system) CPU seconds)."""
    # Flush what the benchmark itself wrote (the generated awards, the previous build) first, so
    # the disk's write-back of it is not charged to this build. A CI runner's checkout and
    # restored cache are on disk in the same way.
    os.sync()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "credsite", "build", "--content", str(content), "--out", str(out),
         "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    rss = TreeRss(proc.pid)
    stdout, stderr = proc.communicate()
    elapsed = time.perf_counter() - start
    peak = rss.stop()
    if proc.returncode:
        raise SystemExit(f"build failed: {stderr.strip()}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the build and its workers, waited for
    cpu = (after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime)
    return elapsed, peak, stdout.strip(), cpu


def disk_usage(out: Path) -> tuple[int, int]:
    """(apparent bytes, allocated bytes) of every file under ``out``."""
    apparent = allocated = 0
    for folder, _, files in os.walk(out):
        for name in files:
            st = os.lstat(os.path.join(folder, name))
            apparent += st.st_size
            allocated += st.st_blocks * 512
    return apparent, allocated


def _fs_type(path: Path) -> str:
    best, kind, device = "", "?", ""
    for line in Path("/proc/mounts").read_text().splitlines():
        source, mount, fstype, *_ = line.split()
        if str(path).startswith(mount) and len(mount) > len(best):
            best, kind, device = mount, fstype, source
    journal = Path("/sys/fs/ext4") / Path(device).name / "journal_task"
    if kind == "ext4" and journal.is_file() and journal.read_text().strip() == "<none>":
        # See main(): creating files there is slow for minutes after a mass deletion.
        return f"{kind} without a journal ({best}; figures vary with recent deletions)"
    return f"{kind} ({best})"


@dataclass
class Run:
    """One N's scratch site and the figures measured on it so far."""

    n: int
    root: Path
    gen: float
    summary: str
    seconds: dict[str, float] = field(default_factory=dict)
    rss: dict[str, int] = field(default_factory=dict)
    cpu: tuple[float, float] = (0.0, 0.0)
    disk: tuple[int, int] = (0, 0)
    holders: int = 0  # holders in the generated register (--holders-per), 0 for none
    speed: tuple[float, float] = (0.0, 0.0)  # yardstick() before the cold build and after the last

    def timed(self, name: str) -> str:
        out = self.root / "output"
        self.seconds[name], self.rss[name], summary, cpu = timed_build(self.root / "content", out)
        if name == "cold":
            self.cpu = cpu
        # Each figure as soon as it is measured (a million awards take a long while; the load
        # average says how busy the machine was meanwhile).
        print(f"[N = {self.n:,}] {name}: {self.seconds[name]:.2f} s wall, {cpu[0]:.1f} + "
              f"{cpu[1]:.1f} s CPU, peak RSS {self.rss[name] / 2**20:.0f} MB, load average "
              f"{os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
        return summary


def yardstick() -> float:
    """Milliseconds a QR code (``qrencode.png_svg`` of 200 fixed 56-character URLs, the median of
    15 passes, about 0.3 s on one core): a pure-CPU figure printed beside the build's, because
    this VM's speed drifts on unchanged code (from one pass to the next by up to 2x, and medians
    of 0.076-0.101 ms within one minute on 2026-12-02), so that runs at different moments can be
    compared."""
    from credsite.build import qrencode

    urls = [f"https://credentials.example.org/c/{i:016d}" for i in range(200)]
    passes = []
    for _ in range(15):
        start = time.perf_counter()
        for url in urls:
            qrencode.png_svg(url)
        passes.append((time.perf_counter() - start) / len(urls) * 1000)
    return statistics.median(passes)


def generate_site(n: int, where: str | None) -> tuple[Path, float]:
    """A new scratch folder with N generated awards and the throwaway key; (folder, seconds)."""
    root = Path(tempfile.mkdtemp(prefix=f"credsite-bench-{n}-", dir=where))
    signer = make_scratch(root)
    keys.write_key_file(root / "bench.key", signer, None)
    t = time.perf_counter()
    generate(root / "content", signer, n)
    seconds = time.perf_counter() - t
    print(f"[N = {n:,}] awards generated in {seconds:.1f} s", file=sys.stderr, flush=True)
    return root, seconds


def add_register(content: Path, per_holder: int) -> int:
    """A private register for the generated awards, as ``credsite issue`` keeps one: one file per
    batch, every ``per_holder`` consecutive awards one holder (name and e-mail of the group's
    first). With a register the build writes a holder page per holder (holder pages are on
    unless ``site.yaml`` says ``holder_pages: false``). Returns the number of holders."""
    from credsite.content.register import Event, HolderRecord, new_holder_key, write_register_file

    folder = content / "register"
    shutil.rmtree(folder, ignore_errors=True)  # the demo's register names none of these awards
    folder.mkdir()
    count, key, name = 0, "", ""
    for batch in sorted((content / "awards").glob("bench-*.jsonl")):
        records = []
        for line in batch.read_bytes().splitlines():
            doc = json.loads(line)
            if count % per_holder == 0:
                key = new_holder_key()
                name = doc["credentialSubject"]["identifier"][0]["identityHash"]
            count += 1
            cred_id = doc["id"].rsplit("/", 1)[-1]
            records.append(HolderRecord(
                id=cred_id, url=doc["id"], holder=key, name=name,
                email=f"{key.lower()}@example.com",
                code=doc["credentialSubject"]["achievement"]["id"].rstrip("/").rsplit("/", 1)[-1],
                awarded=doc["validFrom"], valid_until=doc.get("validUntil"), issued=CREATED,
                events=[Event(CREATED, "issued", f"batch {batch.name}")]))
        write_register_file(folder / batch.name, records)
    return (count + per_holder - 1) // per_holder


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system
        shutil.copy2(source, target)


def copy_site(source: Path, where: str | None) -> tuple[Path, int]:
    """A new scratch folder made from one kept by ``--generate-only``; (folder, N).

    Batch files and seals are hard-linked (nothing rewrites a batch: ``issue`` adds a new one),
    or copied where ``where`` is another file system (``--dir /dev/shm``); everything else, the
    status lists that ``revoke`` rewrites included, is copied.
    """
    n = sum(1 for _ in (source / "content" / "awards").glob("bench-*.jsonl")) * BATCH
    root = Path(tempfile.mkdtemp(prefix="credsite-bench-copy-", dir=where))
    shutil.copy2(source / "bench.key", root / "bench.key")
    shutil.copytree(source / "content", root / "content", ignore=shutil.ignore_patterns("awards"))
    shutil.copytree(source / "content" / "awards", root / "content" / "awards", copy_function=_link_or_copy)
    return root, n


def measure_builds(n: int, where: str | None, source: Path | None = None,
                   holders_per: int = 0) -> Run:
    """Generate N awards in a new scratch folder (or reuse ``source``'s); time the cold build and
    the small rebuilds."""
    if source is None:
        root, seconds = generate_site(n, where)
    else:
        root, n = copy_site(source, where)
        seconds = 0.0
        print(f"[N = {n:,}] awards taken from {source}", file=sys.stderr, flush=True)
    content, out = root / "content", root / "output"
    key_file = root / "bench.key"
    run = Run(n, root, seconds, "")
    if holders_per:
        run.holders = add_register(content, holders_per)
        print(f"[N = {n:,}] register of {run.holders:,} holders written", file=sys.stderr,
              flush=True)
    start_speed = yardstick()
    run.summary = run.timed("cold")
    run.timed("no change")
    env = {**os.environ, "CREDSITE_SIGNING_KEY": key_file.read_text()}
    csv_path = root / "one.csv"
    csv_path.write_text("name,email,code,awarded\nNew Holder,new@example.com,MACH1-MMS,"
                        "2026-01-05T15:00:00Z\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "credsite", "issue", str(csv_path), "--content",
                    str(content)], env=env, check=True, capture_output=True)
    run.timed("add")
    victim = next((out / "c").glob("*.json")).stem
    subprocess.run([sys.executable, "-m", "credsite", "revoke", victim, "--reason", "bench",
                    "--content", str(content)], env=env, check=True, capture_output=True)
    run.timed("revoke")
    run.disk = disk_usage(out)
    run.speed = (start_speed, yardstick())
    return run


def measure_template_change(run: Run) -> None:
    """A template change (a comment in every page's footer) re-renders and replaces everything.

    The build takes templates/ beside the content folder. It deletes the replaced output in the
    background; this waits for that, so the deletion is not charged to whatever runs next.
    """
    root = run.root
    shutil.copytree(ROOT / "templates", root / "templates")
    base = root / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace(
        "</footer>", "</footer><!-- edited -->", 1), encoding="utf-8")
    run.timed("template")
    waited = time.monotonic()
    while any(root.glob(".output.old-*")) and time.monotonic() - waited < 300:
        time.sleep(0.1)


def report(run: Run) -> None:
    n, sec, mb = run.n, run.seconds, 1024 * 1024
    rss = " / ".join(f"{run.rss[k] / mb:.0f}" for k in ("cold", "no change", "add", "revoke",
                                                        "template"))
    apparent, allocated = run.disk
    print(f"\n## N = {n:,} awards  ({platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, output on {_fs_type(run.root)}; "
          f"awards generated in {run.gen:.1f} s)")
    print(f"{run.summary}\n")
    print(f"(this machine's speed: {run.speed[0]:.3f} ms a QR code before the cold build, "
          f"{run.speed[1]:.3f} ms after the small rebuilds; see yardstick())\n")
    if run.holders:
        print(f"(register of {run.holders:,} holders: a holder page each, included in the figures)\n")
    print("(setup: each award carries both proofs and each batch a real seal; the awards' "
          "eddsa-rdfc-2022 proofValues are stand-ins of the real size, see _stand_in_rdfc_proof)\n")
    print("| figure | value |\n| --- | --- |")
    print(f"| cold build (every JCS proof and every batch seal verified) | {sec['cold']:.2f} s |")
    print(f"| cold build CPU time, all processes (user + system) | {run.cpu[0]:.1f} s + "
          f"{run.cpu[1]:.1f} s |")
    print(f"| cold build CPU time a credential (user + system) | {run.cpu[0] / n * 1000:.3f} + "
          f"{run.cpu[1] / n * 1000:.3f} ms |")
    print(f"| rebuild, nothing changed | {sec['no change']:.2f} s |")
    print(f"| rebuild after adding one award | {sec['add']:.2f} s |")
    print(f"| rebuild after revoking one | {sec['revoke']:.2f} s |")
    print(f"| rebuild after a template change (every page re-rendered) | {sec['template']:.2f} s |")
    print(f"| peak RSS, whole process tree (cold / no-change / add / revoke / template) | "
          f"{rss} MB |")
    print(f"| disk per credential, file bytes (allocated blocks) | {apparent / (n + 1) / 1024:.2f} KB "
          f"({allocated / (n + 1) / 1024:.2f} KB) |")
    print(f"| total output | {apparent / mb:.0f} MB in files, {allocated / mb:.0f} MB allocated |")
    print(f"| credentials per second (cold) | {n / sec['cold']:,.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--awards", type=int, nargs="+", default=[1000])
    parser.add_argument("--keep", action="store_true", help="keep the scratch folders")
    parser.add_argument("--dir", help="where to make the scratch site (default: the temp folder); "
                        "e.g. /dev/shm to take the disk out of the figures")
    parser.add_argument("--holders-per", type=int, default=0, metavar="K",
                        help="also write a private register, K awards per holder, so that the build "
                        "makes holder pages (default: no register, no holder pages)")
    parser.add_argument("--generate-only", action="store_true",
                        help="only generate the awards (in a folder under --dir, kept) and say where")
    parser.add_argument("--awards-from", type=Path, metavar="FOLDER",
                        help="time builds of a copy of a folder made by --generate-only instead of "
                        "generating (a million awards take this VM about 18 minutes to generate)")
    args = parser.parse_args()
    if args.generate_only:
        for n in args.awards:
            print(f"generated {generate_site(n, args.dir)[0]}")
        return
    if args.awards_from:
        run = measure_builds(0, args.dir, args.awards_from.resolve(), args.holders_per)
        measure_template_change(run)
        report(run)
        if args.keep:
            print(f"kept {run.root}")
        else:
            shutil.rmtree(run.root)
        return
    # The scratch folders go only after the last N is measured. On ext4 without a journal (this
    # VM's disk) the kernel skips inodes freed in the last one to six minutes when it allocates
    # new ones, one inode-table lookup per skipped inode: right after a mass deletion, creating
    # files costs up to twenty times the system time. Deleting one N's 200,000 files just before
    # the next N's cold build would charge that to the build.
    # For the same reason every N's cold build comes before any template change (which deletes
    # the replaced output).
    runs = [measure_builds(n, args.dir, holders_per=args.holders_per) for n in args.awards]
    for run in runs:
        measure_template_change(run)
    for run in runs:
        report(run)
    for run in runs:
        if args.keep:
            print(f"kept {run.root}")
        else:
            shutil.rmtree(run.root)


if __name__ == "__main__":
    main()

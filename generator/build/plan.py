"""Which awards a build verifies and renders, and the manifest it leaves for the next one.

A full build takes every line of every batch file (as byte spans that the workers read
themselves). A rebuild with the same site key carries over every batch file whose size and
modification time are unchanged and whose credentials' revocation notes are unchanged, without
reading it; in the other batch files it redoes only the lines whose key (line bytes + note)
changed. Nothing here holds a record per credential of the whole site in memory: per-batch work
is bounded by the batch, and site-wide questions (where is a revoked credential, is a new ID
taken) go to the manifest's sorted ID index on disk.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from credsite.build.manifest import KEY_RECORD, BatchState, Manifest, iter_key_records, key_record, line_key
from credsite.content.awards import AwardLine, Span, batch_files, iter_award_lines, parse_award, spans
from credsite.content.sortedindex import ID_BYTES, IdIndexUpdate, Run, id_record, repeated_keys, sorted_run
from credsite.errors import CredsiteError


@dataclass
class Plan:
    """Which award lines to verify and render, and what the manifest will say afterwards."""

    lines: list[AwardLine] | None  # None: every line (full build), in ``spans``
    total: int
    notes: dict[str, str]  # revocation note shown on each revoked credential's page, by ID
    spans: list[Span] = field(default_factory=list)
    previous: Manifest | None = None
    unchanged: dict[str, BatchState] = field(default_factory=dict)  # carried over whole
    redone: dict[str, tuple[int, int]] = field(default_factory=dict)  # name → (size, mtime)
    kept: dict[str, bytearray] = field(default_factory=dict)  # reused lines' key records
    removed: set[str] = field(default_factory=set)  # IDs whose pages must go
    dropped: list[bytes] = field(default_factory=list)  # previous IDs of redone/deleted batches
    problems: list[str] = field(default_factory=list)  # duplicate IDs found while planning

    @property
    def skipped(self) -> int:
        return (sum(b.count for b in self.unchanged.values())
                + sum(len(r) // KEY_RECORD for r in self.kept.values()))


def line_id(line: AwardLine) -> str:
    try:
        return str(parse_award(line).get("id", "")).rsplit("/", 1)[-1]
    except CredsiteError:
        return f"?{line.where}"


def make_plan(content: Path, notes: dict[str, str], previous: Manifest | None,
              lines_per_span: int) -> Plan:
    paths = batch_files(content)
    if previous is None:
        cut = list(spans(paths, lines_per_span))
        return Plan(None, sum(span.lines for span in cut), notes, cut)
    changed_notes = {i for i in notes.keys() | previous.notes.keys()
                     if notes.get(i) != previous.notes.get(i)}
    touched = set(previous.locate(changed_notes).values())  # batches holding those credentials
    plan = Plan([], 0, notes, previous=previous)
    assert plan.lines is not None
    seen: dict[str, str] = {}  # ID → where, for every line of the redone batches
    names = set()
    for path in paths:
        name = str(path.relative_to(content))
        names.add(name)
        old = previous.batches.get(name)
        size, mtime = BatchState.stat_of(path)
        if old and (old.size, old.mtime_ns) == (size, mtime) and old.number not in touched:
            plan.unchanged[name] = old
            continue
        plan.redone[name] = (size, mtime)
        old_keys = previous.batch_keys(name)
        kept = plan.kept.setdefault(name, bytearray())
        for line in iter_award_lines([path]):
            cred_id = line_id(line)
            if cred_id in seen:
                plan.problems.append(f"{line.where}: {cred_id} [format] duplicate credential ID "
                                     f"(also at {seen[cred_id]})")
            seen.setdefault(cred_id, line.where)
            key = line_key(line.raw, notes.get(cred_id))
            if old_keys.get(cred_id) == key:
                kept.extend(key_record(cred_id, key))
            else:
                plan.lines.append(line)
    plan.total = len(plan.lines)
    unchanged_numbers = {b.number for b in plan.unchanged.values()}
    for cred_id, number in previous.locate(seen).items():
        if number in unchanged_numbers:
            other = next(n for n, b in plan.unchanged.items() if b.number == number)
            plan.problems.append(f"{seen[cred_id]}: {cred_id} [format] duplicate credential ID "
                                 f"(also in {other}, unchanged)")
    for name in previous.batches.keys() - plan.unchanged.keys():
        for cred_id, _ in iter_key_records(_keys_bytes(previous, name)):
            plan.dropped.append(cred_id.encode("ascii"))
            if cred_id not in seen:
                plan.removed.add(cred_id)
    return plan


def _keys_bytes(manifest: Manifest, name: str) -> bytes:
    assert manifest.folder is not None
    return (manifest.folder / "keys" / manifest.batches[name].keys_file).read_bytes()


def sort_records(records: dict[str, bytearray]) -> dict[str, bytes]:
    """Each batch's key records sorted by ID, so that :func:`duplicate_ids` and the manifest's ID
    index merge the batches instead of sorting one list of every ID (memory: issue 20)."""
    return {path: sorted_run(data, KEY_RECORD).data for path, data in records.items()}


def duplicate_ids(content: Path, records: dict[str, bytes]) -> list[str]:
    """A full build's duplicate credential IDs, each named with the file and line of both.

    ``records``: from :func:`sort_records`."""
    twice = repeated_keys(Run(data, KEY_RECORD, 0) for data in records.values())
    if not twice:
        return []
    return _locate_duplicates(content, {raw.decode("ascii") for raw in twice})


def _locate_duplicates(content: Path, twice: set[str]) -> list[str]:
    """Rare path: read the batch files again to say where each duplicate is."""
    seen: dict[str, str] = {}
    problems = []
    for line in iter_award_lines(batch_files(content)):
        cred_id = line_id(line)
        if cred_id in twice:
            if cred_id in seen:
                problems.append(f"{line.where}: {cred_id} [format] duplicate credential ID "
                                f"(also at {seen[cred_id]})")
            seen.setdefault(cred_id, line.where)
    return problems


def next_manifest(key: str, content: Path, plan: Plan, records: dict[str, bytes]
                  ) -> tuple[Manifest, dict[str, bytes], IdIndexUpdate]:
    """The manifest after this build, the keys files it needs, and how to make its ID index.

    ``records``: the key records of the credentials this build rendered, by batch file path
    (from :func:`sort_records` in a full build, whose index is merged from them).
    """
    rendered = {str(Path(path).relative_to(content)): data for path, data in records.items()}
    previous = plan.previous
    if plan.lines is None or previous is None:  # full build: every batch anew
        manifest = Manifest(key, notes=plan.notes)
        keys: dict[str, bytes] = {}
        runs: list[Run] = []
        for number, path in enumerate(batch_files(content), start=1):
            name = str(path.relative_to(content))
            size, mtime = BatchState.stat_of(path)
            manifest.batches[name] = BatchState(size, mtime, number, "", 0)
            data = bytes(rendered.get(name, b""))
            keys[name] = data
            runs.append(Run(data, KEY_RECORD, number))
        return manifest, keys, IdIndexUpdate(runs=runs)
    manifest = Manifest(key, dict(plan.unchanged), plan.notes)
    keys = {}
    added: list[bytes] = []
    number = previous.next_number()
    for name, (size, mtime) in sorted(plan.redone.items()):
        old = previous.batches.get(name)
        if old is not None:
            batch_number = old.number
        else:
            batch_number, number = number, number + 1
        manifest.batches[name] = BatchState(size, mtime, batch_number, "", 0)
        data = bytes(plan.kept.get(name, b"")) + bytes(rendered.get(name, b""))
        keys[name] = data
        added.extend(_id_records(data, batch_number))
    assert previous.folder is not None
    ids_path = previous.folder / previous.ids_file if previous.ids_file else None
    return manifest, keys, IdIndexUpdate(ids_path, plan.dropped, added)


def _id_records(data: bytes, number: int) -> Iterable[bytes]:
    return (id_record(data[at:at + ID_BYTES].decode("ascii"), number)
            for at in range(0, len(data), KEY_RECORD))

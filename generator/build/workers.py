"""Verifying and rendering credential pages in worker processes.

The main process loads everything first (site, catalog, status lists, templates) and then forks
the workers, so each starts with a copy of :class:`WorkerState` and is handed only award lines or
byte ranges of the batch files. Each worker writes its pages straight into the staging folder and
sends back a small :class:`Chunk` report.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from credsite.build import writer
from credsite.build.manifest import key_record, line_key
from credsite.build.plan import Plan
from credsite.build.progress import Progress
from credsite.build.render import Renderer
from credsite.content.audit import VerificationInputs
from credsite.content.awards import AwardLine, Span, parse_award, span_lines
from credsite.errors import CredsiteError
from credsite.trust.verify import verify_credential

CHUNK = 250  # award lines per worker task


@dataclass
class Chunk:
    """What a worker reports for a run of award lines."""

    count: int = 0  # credentials rendered
    failures: list[str] = field(default_factory=list)
    verdicts: Counter[str] = field(default_factory=Counter)
    # batch file → the manifest's key records (ID + line key) of its rendered credentials: 26
    # bytes a credential, not a Python object each (a million credentials in a few dozen MB)
    records: dict[str, bytearray] = field(default_factory=dict)


@dataclass
class WorkerState:
    """What every worker process holds for the whole build (set once, inherited by fork)."""

    inputs: VerificationInputs
    renderer: Renderer
    staging: Path
    now: Any


_WORKER_STATE: WorkerState | None = None


def note_text(inputs: VerificationInputs, cred_id: str) -> str | None:
    """The revocation note a credential's page shows (part of its manifest line key)."""
    note = inputs.status.notes.get(cred_id)
    if note is None:
        return None
    return f"{note.date.isoformat()} {note.reason}" + (" (withdrawn)" if note.withdrawn else "")


def _set_state(state: WorkerState) -> None:
    global _WORKER_STATE
    _WORKER_STATE = state


def _render_chunk(task: list[AwardLine] | Span) -> Chunk:
    state = _WORKER_STATE
    assert state is not None
    result = Chunk()
    folder = f"{state.staging}{os.sep}c{os.sep}"
    # A credential's objects form no cycles worth collecting mid-chunk; the collector's passes
    # over the young objects of each parsed record cost about 4% of a cold build.
    gc.disable()
    try:
        _render_lines(span_lines(task) if isinstance(task, Span) else task, state, folder, result)
    finally:
        gc.enable()
    return result


def _render_lines(lines: Iterable[AwardLine], state: WorkerState, folder: str, result: Chunk) -> None:
    inputs = state.inputs
    for line in lines:
        try:
            credential = parse_award(line)
        except CredsiteError as exc:
            result.failures.append(f"{line.where}: [format] {exc.message}")
            continue
        report = verify_credential(credential, inputs.site, inputs.catalog, state.now,
                                   inputs.status.check, text=line.raw)
        verdict = report.verdict
        failure = report.first_failure
        if not report.integrity_ok:
            assert failure is not None
            if not report.signed_by_compromised_key:
                result.failures.append(
                    f"{line.where}: {report.credential_id} [{failure.name}] {failure.reason}")
                continue
            verdict = "invalid (signing key compromised)"
        result.verdicts[verdict] += 1
        cred_id = report.credential_id
        try:
            record = key_record(cred_id, line_key(line.raw, note_text(inputs, cred_id) or ""))
        except ValueError:
            result.failures.append(f"{line.where}: {cred_id!r} [format] not a credential ID")
            continue
        result.count += 1
        result.records.setdefault(str(line.path), bytearray()).extend(record)
        note = inputs.status.notes.get(cred_id)
        if note is not None and note.withdrawn:
            # Taken down at the holder's request: a short notice, and no record (credsite withdraw).
            writer.write_file(f"{folder}{cred_id}.html", state.renderer.withdrawn_page(cred_id, note))
            continue
        entry = inputs.catalog[credential["credentialSubject"]["achievement"]["humanCode"]]
        html = state.renderer.credential_page(credential, line.raw.decode("utf-8"), entry, note)
        writer.write_file(f"{folder}{cred_id}.html", html)
        writer.write_file(f"{folder}{cred_id}.json", line.raw)


def _chunks(lines: Iterable[AwardLine]) -> Iterator[list[AwardLine]]:
    chunk: list[AwardLine] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def build_credentials(state: WorkerState, plan: Plan, jobs: int, quiet: bool,
                      meanwhile: Callable[[], None] = lambda: None) -> Chunk:
    """Verify and render the plan's credentials into the staging folder.

    A full build hands workers byte ranges of the batch files (they read the lines themselves,
    so the main process only cuts files and merges results); a rebuild hands them its few lines.
    ``meanwhile`` runs in the main process while the workers start on the credentials.
    """
    (state.staging / "c").mkdir(exist_ok=True)
    total = Chunk()
    progress = Progress(plan.total, quiet)
    tasks: Iterable[list[AwardLine] | Span] = (
        plan.spans if plan.lines is None else _chunks(plan.lines))
    # The loaded site (catalog, templates, keys) lives as long as the build: keep the cyclic GC
    # from walking it again and again, and keep the forked workers' copies of it shared.
    gc.freeze()
    if jobs <= 1 or plan.total < 2 * CHUNK:
        _set_state(state)
        results: Iterator[Chunk] = map(_render_chunk, tasks)
        pool = None
    else:
        context = multiprocessing.get_context("fork")
        pool = context.Pool(jobs, initializer=_set_state, initargs=(state,))
        results = pool.imap_unordered(_render_chunk, tasks)
    try:
        meanwhile()
        for chunk in results:
            total.count += chunk.count
            total.failures.extend(chunk.failures)
            total.verdicts.update(chunk.verdicts)
            for path, data in chunk.records.items():
                total.records.setdefault(path, bytearray()).extend(data)
            progress.advance(chunk.count + len(chunk.failures))
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        gc.unfreeze()
    return total

"""``credsite build``: load → verify → render → write → swap.

Everything is written into a staging folder beside the output; the output is replaced only when
every award has verified and every page has rendered, so a failed or interrupted build leaves the
previous output exactly as it was. Credential pages are verified and rendered in worker processes.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from credsite.build import holders as holder_pages
from credsite.build import writer
from credsite.build.badges import badge_files
from credsite.build.manifest import Manifest, key_record, line_key, site_key
from credsite.build.plan import Plan, duplicate_ids, make_plan, next_manifest
from credsite.build.progress import Progress
from credsite.build.render import Renderer, default_templates, hashed_assets, schema_org
from credsite.content.audit import VerificationInputs
from credsite.content.awards import (
    AwardLine,
    Span,
    parse_award,
    span_lines,
)
from credsite.content.freshness import assess, load_statement, statement_path
from credsite.content.freshness import warnings as freshness_warnings
from credsite.content.pages import Page, load_pages
from credsite.content.statusentries import shared_entries
from credsite.errors import BuildError, CredsiteError
from credsite.trust.did import VOCABULARY_PATH, did_document, key_history, vocabulary_html
from credsite.trust.freshness import INVALID, STATEMENT_PATH
from credsite.trust.timestamps import now_utc
from credsite.trust.verify import verify_credential

CHUNK = 250


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


def _note_text(inputs: VerificationInputs, cred_id: str) -> str | None:
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
            record = key_record(cred_id, line_key(line.raw, _note_text(inputs, cred_id) or ""))
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


def _build_credentials(state: WorkerState, plan: Plan, jobs: int, quiet: bool,
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


def _write(staging: Path, path: str, data: bytes) -> None:
    target = staging / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def _public_pages(inputs: VerificationInputs, pages: list[Page], renderer: Renderer) -> dict[str, bytes]:
    """Every public (indexable) page by its path."""
    catalog = sorted(inputs.catalog.values(), key=lambda e: (e.category, e.group, e.order, e.code))

    def groups(page: str) -> list[dict[str, Any]]:  # the catalog's groups, linked from ``page``
        by_group: dict[str, list[dict[str, Any]]] = {}
        for entry in catalog:
            by_group.setdefault(entry.group, []).append({
                "code": entry.code, "name": entry.name, "level": entry.level,
                "url": renderer.link(f"/credentials/{entry.code}/", page),
                "validity_years": entry.validity_years, "badge": renderer.badge(entry, page),
            })
        return [{"name": name, "entries": items} for name, items in by_group.items()]

    out = {
        "/": renderer.render("home.html", "/", groups=groups("/")),
        "/credentials/": renderer.render("catalog.html", "/credentials/",
                                         groups=groups("/credentials/")),
        "/verify/": renderer.render("verify.html", "/verify/"),
    }
    for entry in catalog:
        path = f"/credentials/{entry.code}/"
        out[path] = renderer.render(
            "credential_type.html", path, schema_jsonld=schema_org(entry, inputs.site),
            badge=renderer.badge(entry, path),
            entry={**entry.__dict__,
                   "description_html": renderer.markdown(entry.description_md, path)},
        )
    for page in pages:
        out[page.path] = renderer.render(
            "page.html", page.path,
            page={"title": page.title, "description": page.description,
                  "body_html": renderer.markdown(page.body_md, page.path)},
        )
    return out


def _sitemap(base_url: str, paths: list[str]) -> bytes:
    urls = "".join(f"<url><loc>{base_url}{p}</loc></url>" for p in sorted(paths))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns='
            f'"http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n').encode()


def _write_status_lists(staging: Path, inputs: VerificationInputs,
                        statement: dict[str, Any] | None) -> None:
    """The signed status lists and the freshness statement over them: the published files that
    change without any page being rendered again (a revocation re-renders one page)."""
    for number, document in inputs.status.documents.items():
        _write(staging, f"/status/{number}",
               json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode())
    if statement is not None:
        _write(staging, STATEMENT_PATH,
               json.dumps(statement, ensure_ascii=False, separators=(",", ":")).encode())


def _statement(content: Path, inputs: VerificationInputs) -> dict[str, Any] | None:
    """The freshness statement to publish; BuildError for one that is not validly signed by a
    freshness key of the site (an expired or outdated one is published: pages then say when
    the status was last confirmed, which is the truth)."""
    statement = load_statement(content) if inputs.site.freshness_keys else None
    freshness = inputs.status.freshness
    if statement is not None and freshness is not None and freshness.code == INVALID:
        raise BuildError(f"{statement_path(content)}: {freshness.reason}; sign a new one with "
                         "'credsite freshness-sign' or delete it")
    return statement


def _write_site_files(staging: Path, content: Path, inputs: VerificationInputs, pages: list[Page],
                      renderer: Renderer, assets: dict[str, Any]) -> int:
    """Every file made only from the site key's inputs (so a rebuild may keep the old ones)."""
    public = _public_pages(inputs, pages, renderer)
    for path, html in public.items():
        _write(staging, f"{path}index.html", html)
    _write(staging, "/404.html", renderer.render("404.html", "/404.html"))
    for asset in assets.values():
        _write(staging, asset.name, asset.data)
    site = inputs.site
    _write(staging, renderer.did_path, json.dumps(did_document(site), indent=2).encode() + b"\n")
    _write(staging, "/keys.json", json.dumps(key_history(site), indent=2).encode() + b"\n")
    _write(staging, f"{VOCABULARY_PATH}.html", renderer.render(  # served at /ns/credsite
        "page.html", VOCABULARY_PATH, page={
            "title": "credsite vocabulary", "description": "The terms of the issuer's key list.",
            "body_html": vocabulary_html(site, renderer.link(renderer.did_path, VOCABULARY_PATH),
                                         renderer.link("/keys.json", VOCABULARY_PATH))}))
    # /c/ stays crawlable: search engines must fetch a credential page to see its noindex.
    _write(staging, "/robots.txt",
           f"User-agent: *\nDisallow: {renderer.base_path}/status/\n"
           f"Sitemap: {site.base_url}/sitemap.xml\n".encode())
    _write(staging, "/sitemap.xml", _sitemap(site.base_url, list(public)))
    _write(staging, "/.nojekyll", b"")
    for badge_path, data in badge_files(inputs.catalog.values()):
        _write(staging, badge_path, data)
    static = content / "static"
    if static.is_dir():
        shutil.copytree(static, staging, dirs_exist_ok=True)
    return len(public)


def _swap(staging: Path, out: Path) -> None:
    """Put the staging folder in place of ``out`` with two renames; the old one goes away later."""
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.replace(out, old)  # onto the new empty folder: a rename, however big ``out`` is
        os.replace(staging, out)
        _discard(old)
    else:
        os.replace(staging, out)


def _discard(folder: Path) -> None:
    """Delete a replaced output in a detached process: at 100,000 credentials that is 200,000
    files, seconds the build need not wait for. A folder whose deleter was stopped is deleted by
    the next build (``_discard_leftovers``)."""
    try:
        subprocess.Popen(  # noqa: S603 - our interpreter, a fixed script, a path we created
            [sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], True)",
             str(folder)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


def _discard_leftovers(out: Path) -> None:
    prefix = f".{out.name}.old-"
    for leftover in out.parent.iterdir():
        if leftover.name.startswith(prefix) and leftover.is_dir():
            _discard(leftover)


def _apply(staging: Path, out: Path, removed: set[str]) -> None:
    """Move every staged file into ``out`` (each replace is atomic), then drop removed pages."""
    for folder, _, files in os.walk(staging):
        target_dir = out / Path(folder).relative_to(staging)
        target_dir.mkdir(parents=True, exist_ok=True)
        for name in files:
            os.replace(Path(folder) / name, target_dir / name)
    for cred_id in removed:
        (out / "c" / f"{cred_id}.html").unlink(missing_ok=True)
        (out / "c" / f"{cred_id}.json").unlink(missing_ok=True)
    shutil.rmtree(staging, ignore_errors=True)


def build_site(content: Path, out: Path, *, templates: Path | None = None, jobs: int = 0,
               quiet: bool = False, now: Any = None, incremental: bool = True,
               portable: bool = False) -> str:
    """Build the site from ``content`` into ``out``; returns a one-line summary.

    A full build renders into a staging folder that replaces ``out`` at the end. A rebuild (same
    code, templates, site.yaml, catalog, pages) verifies and renders only new or changed awards,
    stages them, and moves them into ``out`` only after all of them verified. ``portable``
    links pages relatively and by file name, so that the site also works opened from files.
    """
    start = time.monotonic()
    content, out = content.resolve(), out.resolve()
    if out == content or content in out.parents or out in content.parents:
        raise BuildError(f"the output folder {out} must be outside the content folder")
    if templates is None:
        beside = content.parent / "templates"
        templates = beside if (beside / "credential.html").is_file() else default_templates()
    inputs = VerificationInputs.load(content)
    statement = _statement(content, inputs)
    pages = load_pages(content)
    try:
        assets = hashed_assets(templates)
        key = site_key(content, templates, "portable" if portable else "web")
    except OSError as exc:
        raise BuildError(f"cannot read the templates: {exc}") from None
    nav = [{"title": p.title, "url": p.path} for p in sorted(
        (p for p in pages if p.nav is not None), key=lambda p: (p.nav or 0, p.slug))]
    previous = Manifest.load(out) if incremental else None
    if previous is not None and previous.site_key != key:
        previous = None
    shared = shared_entries(content, inputs.site.base_url,
                            Manifest.path_for(out).with_name(f"{out.name}.status-entries.json"))
    if shared:
        raise BuildError("\n".join(shared) + f"\n{len(shared)} shared status list entr"
                         f"{'y' if len(shared) == 1 else 'ies'}; nothing was published (the "
                         "previous output is unchanged)")
    notes = {cred_id: _note_text(inputs, cred_id) or "" for cred_id in inputs.status.notes}
    plan = make_plan(content, notes, previous, CHUNK)
    out.parent.mkdir(parents=True, exist_ok=True)
    _discard_leftovers(out)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        renderer = Renderer(inputs.site, templates, assets, nav, frozenset(p.path for p in pages),
                            portable=portable)
        state = WorkerState(inputs, renderer, staging, now or now_utc())
        public: list[int] = []

        def site_files() -> None:  # a full build's other files, written while workers render
            if plan.lines is None:
                public.append(_write_site_files(staging, content, inputs, pages, renderer, assets))

        result = _build_credentials(state, plan, jobs or os.cpu_count() or 1, quiet, site_files)
        failures = result.failures + plan.problems
        if plan.lines is None and not failures:
            failures = duplicate_ids(content, result.records)
        if failures:
            raise BuildError(
                "\n".join(failures) + f"\n{len(failures)} credential(s) failed verification; "
                "nothing was published (the previous output is unchanged)")
        _write_status_lists(staging, inputs, statement)
        holders = holder_pages.plan_holder_pages(content, out, notes, full=plan.lines is None)
        holder_pages.write_holder_pages(staging, holders, inputs.catalog, notes, renderer)
        manifest, keys, ids = next_manifest(key, content, plan, result.records)
        del result.records
        Manifest.remove(out)
        holder_pages.forget(out)
        if plan.lines is None:
            _swap(staging, out)
        else:
            _apply(staging, out, plan.removed)
            holder_pages.remove_pages(out, holders.remove)
            if statement is None:
                (out / STATEMENT_PATH.lstrip("/")).unlink(missing_ok=True)
        manifest.save(out, keys, ids)
        for cred_id, note in inputs.status.notes.items():  # a rebuild keeps older files
            if note.withdrawn:
                (out / "c" / f"{cred_id}.json").unlink(missing_ok=True)
        holders.save(out)
    except OSError as exc:  # disk full, no permission, …: one line, and nothing published
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(f"cannot write {exc.filename or out}: {exc.strerror or exc}; nothing was "
                         "published (the previous output is unchanged)") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    verdicts = ", ".join(f"{n} {v}" for v, n in sorted(result.verdicts.items()))
    skipped = plan.skipped
    pages_done = f"{public[0]} public pages" if public else "public pages unchanged"
    warned = "".join(f"\nWARNING: {line}" for line in freshness_warnings(
        inputs.status.freshness if statement is not None else assess(
            content, inputs.site, inputs.status, now or now_utc()),
        inputs.site, now or now_utc(), publishing=True))
    return (f"built {result.count} credentials ({verdicts or 'none'}), skipped {skipped} "
            f"unchanged, {pages_done}, in {time.monotonic() - start:.1f} s → {out}{warned}")

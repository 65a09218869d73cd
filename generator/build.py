"""``credsite build``: load → verify → render → write → swap.

Everything is written into a staging folder beside the output; the output is replaced only when
every award has verified and every page has rendered, so a failed or interrupted build leaves the
previous output exactly as it was. Credential pages are verified and rendered in worker processes.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.audit import Trust
from generator.awards import AwardLine, batch_files, iter_award_lines, parse_award
from generator.did import did_document, key_history
from generator.errors import BuildError, CredsiteError
from generator.pages import Page, load_pages
from generator.render import Renderer, default_templates, hashed_assets, markdown_html, schema_org
from generator.timestamps import now_utc
from generator.verify import verify_credential

CHUNK = 500


@dataclass
class Chunk:
    """What a worker reports for a run of award lines."""

    ids: list[tuple[str, str]] = field(default_factory=list)  # (credential ID, file:line)
    failures: list[str] = field(default_factory=list)
    verdicts: Counter[str] = field(default_factory=Counter)


@dataclass
class _Worker:
    trust: Trust
    renderer: Renderer
    staging: Path
    now: Any


_STATE: _Worker | None = None


def _set_state(state: _Worker) -> None:
    global _STATE
    _STATE = state


def _render_chunk(lines: list[AwardLine]) -> Chunk:
    state = _STATE
    assert state is not None
    result = Chunk()
    trust = state.trust
    for line in lines:
        try:
            credential = parse_award(line)
        except CredsiteError as exc:
            result.failures.append(f"{line.where}: [format] {exc.message}")
            continue
        report = verify_credential(credential, trust.site, trust.catalog, state.now,
                                   trust.status.check)
        verdict = report.verdict
        failure = report.first_failure
        if not report.integrity_ok:
            assert failure is not None
            fatal = not (failure.name == "issuer-key" and "compromised" in failure.reason)
            if fatal:
                result.failures.append(
                    f"{line.where}: {report.credential_id} [{failure.name}] {failure.reason}")
                continue
            verdict = "invalid (signing key compromised)"
        result.verdicts[verdict] += 1
        cred_id = report.credential_id
        result.ids.append((cred_id, line.where))
        entry = trust.catalog[credential["credentialSubject"]["achievement"]["humanCode"]]
        html = state.renderer.credential_page(
            credential, line.raw.decode("utf-8"), entry, trust.status.notes.get(cred_id)
            if verdict == "revoked" else None)
        folder = state.staging / "c" / cred_id
        folder.mkdir()
        (folder / "index.html").write_bytes(html)
        (state.staging / "c" / f"{cred_id}.json").write_bytes(line.raw)
    return result


def _chunks(content: Path) -> Iterator[list[AwardLine]]:
    chunk: list[AwardLine] = []
    for line in iter_award_lines(batch_files(content)):
        chunk.append(line)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class Progress:
    """A progress line with rate and ETA on a terminal; silent otherwise."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.total, self.done, self.start = total, 0, time.monotonic()
        self.active = not quiet and sys.stderr.isatty() and total > 2000
        self.last = 0.0

    def advance(self, count: int) -> None:
        self.done += count
        now = time.monotonic()
        if not self.active or (now - self.last < 0.2 and self.done < self.total):
            return
        self.last = now
        elapsed = now - self.start
        rate = self.done / elapsed if elapsed else 0.0
        eta = (self.total - self.done) / rate if rate else 0.0
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} "
                         f"{rate:,.0f}/s ETA {eta:4.0f}s")
        if self.done >= self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _count_lines(content: Path) -> int:
    total = 0
    for path in batch_files(content):
        with path.open("rb") as handle:
            total += sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    return total


def _build_credentials(state: _Worker, content: Path, jobs: int, quiet: bool) -> Chunk:
    (state.staging / "c").mkdir()
    total = Chunk()
    progress = Progress(_count_lines(content), quiet)
    if jobs <= 1:
        _set_state(state)
        results: Iterator[Chunk] = map(_render_chunk, _chunks(content))
        pool = None
    else:
        context = multiprocessing.get_context("fork")
        pool = context.Pool(jobs, initializer=_set_state, initargs=(state,))
        results = pool.imap_unordered(_render_chunk, _chunks(content))
    try:
        for chunk in results:
            total.ids.extend(chunk.ids)
            total.failures.extend(chunk.failures)
            total.verdicts.update(chunk.verdicts)
            progress.advance(len(chunk.ids) + len(chunk.failures))
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
    seen: dict[str, str] = {}
    for cred_id, where in sorted(total.ids, key=lambda item: item[1]):
        if cred_id in seen:
            total.failures.append(f"{where}: {cred_id} [format] duplicate credential ID "
                                  f"(also at {seen[cred_id]})")
        seen.setdefault(cred_id, where)
    return total


def _write(staging: Path, path: str, data: bytes) -> None:
    target = staging / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def _public_pages(trust: Trust, pages: list[Page], renderer: Renderer) -> dict[str, bytes]:
    """Every public (indexable) page by its path."""
    catalog = sorted(trust.catalog.values(), key=lambda e: (e.category, e.group, e.order, e.code))
    groups: dict[str, list[dict[str, Any]]] = {}
    for entry in catalog:
        groups.setdefault(entry.group, []).append({
            "code": entry.code, "name": entry.name, "level": entry.level,
            "url": renderer.url(f"/credentials/{entry.code}/"),
            "validity_years": entry.validity_years,
        })
    group_list = [{"name": name, "entries": items} for name, items in groups.items()]
    out = {
        "/": renderer.render("home.html", "/", groups=group_list),
        "/credentials/": renderer.render("catalog.html", "/credentials/", groups=group_list),
        "/verify/": renderer.render("verify.html", "/verify/"),
    }
    for entry in catalog:
        path = f"/credentials/{entry.code}/"
        out[path] = renderer.render(
            "credential_type.html", path, schema_jsonld=schema_org(entry, trust.site),
            entry={**entry.__dict__, "description_html": markdown_html(entry.description_md)},
        )
    for page in pages:
        out[page.path] = renderer.render(
            "page.html", page.path,
            page={"title": page.title, "description": page.description,
                  "body_html": markdown_html(page.body_md)},
        )
    return out


def _sitemap(base_url: str, paths: list[str]) -> bytes:
    urls = "".join(f"<url><loc>{base_url}{p}</loc></url>" for p in sorted(paths))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns='
            f'"http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n').encode()


def _write_site_files(staging: Path, content: Path, trust: Trust, pages: list[Page],
                      renderer: Renderer, assets: dict[str, Any]) -> int:
    public = _public_pages(trust, pages, renderer)
    for path, html in public.items():
        _write(staging, f"{path}index.html", html)
    _write(staging, "/404.html", renderer.render("404.html", "/404.html"))
    for asset in assets.values():
        _write(staging, asset.name, asset.data)
    site = trust.site
    _write(staging, "/.well-known/did.json",
           json.dumps(did_document(site), indent=2).encode() + b"\n")
    _write(staging, "/keys.json", json.dumps(key_history(site), indent=2).encode() + b"\n")
    for number, document in trust.status.documents.items():
        _write(staging, f"/status/{number}",
               json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode())
    _write(staging, "/robots.txt",
           f"User-agent: *\nDisallow: /c/\nDisallow: /status/\n"
           f"Sitemap: {site.base_url}/sitemap.xml\n".encode())
    _write(staging, "/sitemap.xml", _sitemap(site.base_url, list(public)))
    _write(staging, "/.nojekyll", b"")
    static = content / "static"
    if static.is_dir():
        shutil.copytree(static, staging, dirs_exist_ok=True)
    return len(public)


def _swap(staging: Path, out: Path) -> None:
    """Put the staging folder in place of ``out`` with two renames."""
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        os.replace(out, old)
        os.replace(staging, out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, out)


def build_site(content: Path, out: Path, *, templates: Path | None = None, jobs: int = 0,
               quiet: bool = False, now: Any = None) -> str:
    """Build the site from ``content`` into ``out``; returns a one-line summary."""
    start = time.monotonic()
    content, out = content.resolve(), out.resolve()
    if out == content or content in out.parents or out in content.parents:
        raise BuildError(f"the output folder {out} must be outside the content folder")
    if templates is None:
        beside = content.parent / "templates"
        templates = beside if (beside / "credential.html").is_file() else default_templates()
    trust = Trust.load(content)
    pages = load_pages(content)
    try:
        assets = hashed_assets(templates)
    except OSError as exc:
        raise BuildError(f"cannot read the templates' assets: {exc}") from None
    nav = [{"title": p.title, "url": p.path} for p in sorted(
        (p for p in pages if p.nav is not None), key=lambda p: (p.nav or 0, p.slug))]
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        renderer = Renderer(trust.site, templates, assets, nav)
        state = _Worker(trust, renderer, staging, now or now_utc())
        jobs = jobs or os.cpu_count() or 1
        result = _build_credentials(state, content, jobs, quiet)
        if result.failures:
            count = len(result.failures)
            raise BuildError(
                "\n".join(result.failures) + f"\n{count} credential(s) failed verification; "
                "nothing was published (the previous output is unchanged)")
        public = _write_site_files(staging, content, trust, pages, renderer, assets)
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    verdicts = ", ".join(f"{n} {v}" for v, n in sorted(result.verdicts.items()))
    return (f"built {len(result.ids)} credentials ({verdicts or 'none'}), {public} public pages "
            f"in {time.monotonic() - start:.1f} s → {out}")

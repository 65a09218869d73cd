"""``credsite build``: load → plan → verify and render → write → swap.

Everything is written into a staging folder beside the output; the output is replaced only when
every award has verified and every page has rendered, so a failed or interrupted build leaves the
previous output exactly as it was. The parts: :mod:`~credsite.build.plan` (what to do),
:mod:`~credsite.build.workers` (credential pages, in worker processes),
:mod:`~credsite.build.sitefiles` (every other file), :mod:`~credsite.build.staging` (the staging
folder and the swap) and :mod:`~credsite.build.manifest` (what the next build compares with).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from credsite.build import holders as holder_pages
from credsite.build import staging as staging_folder
from credsite.build.browsertext import browser_messages, catalog_messages
from credsite.build.links import broken_links
from credsite.build.manifest import Manifest, site_key
from credsite.build.plan import duplicate_ids, make_plan, next_manifest, sort_records
from credsite.build.render import Renderer, default_templates, hashed_assets
from credsite.build.sitefiles import freshness_statement, write_site_files, write_status_lists
from credsite.build.workers import CHUNK, WorkerState, build_credentials, note_text
from credsite.content.audit import VerificationInputs
from credsite.content.freshness import assess
from credsite.content.freshness import warnings as freshness_warnings
from credsite.content.languages import SOURCE_LANGUAGE, catalog
from credsite.content.pages import load_pages
from credsite.content.seals import check_seals
from credsite.content.statusentries import shared_entries
from credsite.errors import BuildError
from credsite.trust.freshness import STATEMENT_PATH
from credsite.trust.timestamps import now_utc


def build_site(content: Path, out: Path, *, templates: Path | None = None, jobs: int = 0,
               quiet: bool = False, now: Any = None, incremental: bool = True,
               portable: bool = False,
               on_links: Callable[[list[str]], None] | None = None) -> str:
    """Build the site from ``content`` into ``out``; returns a one-line summary.

    A full build renders into a staging folder that replaces ``out`` at the end. A rebuild (same
    code, templates, site.yaml, catalog, pages) verifies and renders only new or changed awards,
    stages them, and moves them into ``out`` only after all of them verified. ``portable``
    links pages relatively and by file name, so that the site also works opened from files.
    ``on_links`` is given the Markdown links to pages the site does not have, found in the
    content as loaded for the build (so it is read once), before anything is built; it may
    raise to stop the build.
    """
    start = time.monotonic()
    content, out = content.resolve(), out.resolve()
    if out == content or content in out.parents or out in content.parents:
        raise BuildError(f"the output folder {out} must be outside the content folder")
    if templates is None:
        beside = content.parent / "templates"
        templates = beside if (beside / "credential.html").is_file() else default_templates()
    inputs = VerificationInputs.load(content)
    statement = freshness_statement(content, inputs)
    pages = load_pages(content)
    if on_links is not None:
        on_links([str(link) for link in broken_links(inputs.site, inputs.catalog.values(), pages,
                                                     content)])
    try:
        languages = inputs.site.languages
        assets = hashed_assets(templates, languages, {
            lang: {**catalog_messages(inputs.catalog.values(), lang), **browser_messages(catalog(lang))}
            for lang in languages if lang != SOURCE_LANGUAGE},
            Manifest.path_for(out).with_name(f"{out.name}.minified.json") if incremental else None)
        key = site_key(content, templates, "portable" if portable else "web")
    except OSError as exc:
        raise BuildError(f"cannot read the templates: {exc}") from None
    nav = [{"title": p.title, "url": p.path,
            **{f"title:{lang}": text.title for lang, text in p.translations.items()}}
           for p in sorted((p for p in pages if p.nav is not None), key=lambda p: (p.nav or 0, p.slug))]
    previous = Manifest.load(out) if incremental else None
    if previous is not None and previous.site_key != key:
        previous = None
    notes = {cred_id: note_text(inputs, cred_id) or "" for cred_id in inputs.status.notes}
    plan = make_plan(content, notes, previous, CHUNK)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging_folder.discard_leftovers(out)
    owned = staging_folder.new_staging(out)
    staging = owned.folder
    try:
        renderer = Renderer(inputs.site, templates, assets, nav, frozenset(p.path for p in pages),
                            portable=portable)
        renderer.holder_links = holder_pages.holder_links(content)
        state = WorkerState(inputs, renderer, staging, now or now_utc())
        public: list[int] = []
        seal_problems: list[str] = []
        seal_warnings: list[str] = []
        holders: list[holder_pages.HolderPlan] = []

        def meanwhile() -> None:
            """What the main process checks and writes while the workers render: the batch-wide
            checks (both read every batch file once, serially; at 100,000 credentials about
            0.9 s of the build's wall time when they ran before the workers started) and a full
            build's other files and the holder pages. Nothing is published before both checks
            passed."""
            shared = shared_entries(content, inputs.site.base_url,
                                    Manifest.path_for(out).with_name(f"{out.name}.status-entries"))
            if shared:
                raise BuildError("\n".join(shared) + f"\n{len(shared)} shared status list entr"
                                 f"{'y' if len(shared) == 1 else 'ies'}; nothing was published "
                                 "(the previous output is unchanged)")
            problems, warnings = check_seals(content, inputs.site, Manifest.path_for(out).with_name(
                f"{out.name}.seals.json") if incremental else None)
            seal_problems.extend(problems)
            seal_warnings.extend(warnings)
            if plan.lines is None:
                public.append(write_site_files(staging, content, inputs, pages, renderer, assets))
            # Holder pages too (a third of a credential page's CPU for each holder, one core).
            holders.append(holder_pages.plan_holder_pages(content, out, notes,
                                                          full=plan.lines is None))
            holder_pages.write_holder_pages(staging, holders[0], inputs.catalog, notes, renderer)

        result = build_credentials(state, plan, jobs or os.cpu_count() or 1, quiet, meanwhile)
        failures = result.failures + plan.problems + seal_problems
        records = (sort_records(result.records) if plan.lines is None
                   else {path: bytes(data) for path, data in result.records.items()})
        del result.records
        if plan.lines is None and not failures:
            failures = duplicate_ids(content, records)
        if failures:
            raise BuildError(
                "\n".join(failures) + f"\n{len(failures)} credential(s) failed verification; "
                "nothing was published (the previous output is unchanged)")
        write_status_lists(staging, inputs, statement)
        manifest, keys, ids = next_manifest(key, content, plan, records)
        del records
        Manifest.remove(out)
        holder_pages.forget(out)
        if plan.lines is None:
            staging_folder.swap(staging, out)
        else:
            staging_folder.apply(staging, out, plan.removed)
            holder_pages.remove_pages(out, holders[0].removed)
            if statement is None:
                (out / STATEMENT_PATH.lstrip("/")).unlink(missing_ok=True)
        manifest.save(out, keys, ids)
        for cred_id, note in inputs.status.notes.items():  # a rebuild keeps older files
            if note.withdrawn:
                (out / "c" / f"{cred_id}.json").unlink(missing_ok=True)
        holders[0].save(out)
    except OSError as exc:  # disk full, no permission, …: one line, and nothing published
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(f"cannot write {exc.filename or out}: {exc.strerror or exc}; nothing was "
                         "published (the previous output is unchanged)") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        owned.release()
    verdicts = ", ".join(f"{n} {v}" for v, n in sorted(result.verdicts.items()))
    skipped = plan.skipped
    pages_done = f"{public[0]} public pages" if public else "public pages unchanged"
    warned = "".join(f"\nWARNING: {line}" for line in seal_warnings)
    warned += "".join(f"\nWARNING: {line}" for line in freshness_warnings(
        inputs.status.freshness if statement is not None else assess(
            content, inputs.site, inputs.status, now or now_utc()),
        inputs.site, now or now_utc(), publishing=True))
    return (f"built {result.count} credentials ({verdicts or 'none'}), skipped {skipped} "
            f"unchanged, {pages_done}, in {time.monotonic() - start:.1f} s → {out}{warned}")

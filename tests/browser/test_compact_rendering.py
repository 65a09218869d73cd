"""Compacted templates render the same text: the line breaks that generator/build/compact.py takes
out of the templates at compile time render nothing.

The demo is built twice, with compacting and with indentation removal only (what the loader did
before), and each kind of page is opened in Chromium from both builds, with the site's stylesheet
and without JavaScript (the static page every reader gets first): their `innerText` must be the
same, and the compacted page smaller.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sitehost import host_site

from credsite.build import render
from credsite.build.pipeline import build_site

REPO = Path(__file__).resolve().parents[2]
BASE = "http://localhost:8000"


def _indentation_only(source: str) -> str:
    return re.sub(r"\n[ \t]+", "\n", source)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("compact")
    compact = root / "compact"
    build_site(REPO / "content", compact, quiet=True, jobs=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render, "compact_template", _indentation_only)
        plain = root / "plain"
        build_site(REPO / "content", plain, quiet=True, jobs=1, incremental=False)
    return compact, plain


def _pages(out: Path) -> list[str]:
    """One page of each kind: credential pages, a holder page, the home page, the catalog, a
    credential type, /verify/, a plain page, Spanish pages, 404."""
    creds = sorted(p.stem for p in (out / "c").glob("*.html"))
    holder = sorted(p.stem for p in (out / "h").glob("*.html"))[:1]
    kind = sorted(p.name for p in (out / "credentials").iterdir() if p.is_dir())[:1]
    return ([f"/c/{c}" for c in creds[:2]] + [f"/h/{h}" for h in holder]
            + ["/", "/credentials/", *[f"/credentials/{k}/" for k in kind], "/verify/",
               "/pages/privacy/", "/es/", "/es/verify/", "/no-such-page"])


def _text(new_page: Any, out: Path, path: str) -> str:
    page = new_page(java_script_enabled=False)
    host_site(page.context, out, BASE)
    page.goto(BASE + path)
    return str(page.evaluate("() => document.body.innerText"))


def test_compacted_pages_show_the_same_text(builds: tuple[Path, Path], new_page: Any) -> None:
    compact, plain = builds
    paths = _pages(compact)
    assert any(p.startswith("/h/") for p in paths) and len(paths) == 11
    for path in paths:
        assert _text(new_page, compact, path) == _text(new_page, plain, path), path
    page = next((compact / "c").glob("*.html")).name
    assert (compact / "c" / page).stat().st_size < (plain / "c" / page).stat().st_size

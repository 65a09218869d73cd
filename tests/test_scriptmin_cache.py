"""Minified scripts kept between builds (``.credsite-cache/<output>.minified.json``, issue 20).

A rebuild whose scripts did not change must start no minifier process, and must publish the same
bytes as a build that minified them; a cache file of another minifier, or one that does not
parse, is not used.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sitekit import MiniSite, award_row

from credsite.build import scriptmin
from credsite.build.pipeline import build_site

SOURCES = ["function f(longName) { return longName + 1; }\n",
           "(function () { const message = 'hi'; console.log(message); })();\n"]


def no_child(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("the minifier was started")


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in a new build process: nothing minified yet in this one."""
    monkeypatch.setattr(scriptmin, "_done", {})


pytestmark = pytest.mark.skipif(not scriptmin.GO_MINIFIER, reason="rjsmin keeps no cache")


def test_a_second_process_takes_the_scripts_from_the_cache(tmp_path: Path, fresh: None,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache" / "out.minified.json"
    first = scriptmin.minified_scripts(SOURCES, cache)
    assert len(first[0]) < len(SOURCES[0]) and "longName" not in first[0]
    stored = json.loads(cache.read_text(encoding="utf-8"))
    assert stored["minifier"].startswith("minify-go ") and sorted(stored["scripts"].values()) == sorted(first)

    monkeypatch.setattr(scriptmin, "_done", {})
    monkeypatch.setattr(subprocess, "run", no_child)
    assert scriptmin.minified_scripts(SOURCES, cache) == first


def test_a_cache_of_another_minifier_or_unreadable_is_not_used(tmp_path: Path, fresh: None,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    expected = scriptmin.minified_scripts(SOURCES)
    cache = tmp_path / "out.minified.json"
    keys = [hashlib.sha256(s.encode()).hexdigest() for s in SOURCES]
    for text in (json.dumps({"minifier": "minify-go 0.0.1 x", "scripts": dict.fromkeys(keys, "evil()")}),
                 "{not json", json.dumps(["a list"]),
                 json.dumps({"minifier": scriptmin._minifier(), "scripts": dict.fromkeys(keys, 7)})):
        cache.write_text(text, encoding="utf-8")
        monkeypatch.setattr(scriptmin, "_done", {})
        assert scriptmin.minified_scripts(SOURCES, cache) == expected
        assert json.loads(cache.read_text(encoding="utf-8"))["minifier"] == scriptmin._minifier()


def test_the_cache_keeps_the_latest_scripts_only(tmp_path: Path, fresh: None,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scriptmin, "CACHE_ENTRIES", 3)
    cache = tmp_path / "out.minified.json"
    sources = [f"var value{n} = {n};\n" for n in range(5)]
    for source in sources:
        scriptmin.minified_scripts([source], cache)
    kept = json.loads(cache.read_text(encoding="utf-8"))["scripts"]
    assert sorted(kept) == sorted(hashlib.sha256(s.encode()).hexdigest() for s in sources[2:])


def test_a_rebuild_publishes_the_same_scripts_without_minifying(mini_site: MiniSite, tmp_path: Path,
                                                                fresh: None,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site" / "out"
    build_site(mini_site.content, out, quiet=True)
    assets = {p.name: p.read_bytes() for p in (out / "assets").glob("*.js")}
    assert (tmp_path / "site" / ".credsite-cache" / "out.minified.json").is_file()

    mini_site.issue([award_row("Second Holder", code="TEST-CNC")])  # something to build
    monkeypatch.setattr(scriptmin, "_done", {})
    monkeypatch.setattr(subprocess, "run", no_child)
    assert build_site(mini_site.content, out, quiet=True).startswith("built 1 credential")
    assert {p.name: p.read_bytes() for p in (out / "assets").glob("*.js")} == assets

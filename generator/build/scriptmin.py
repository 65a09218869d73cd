"""The shipped scripts minified: comments and layout whitespace removed, local names shortened.

The minifier is tdewolff's JavaScript minifier (minify-go, the one Hugo uses): it removes comments
and layout whitespace and shortens the names local to a function (a parameter or ``const`` inside
an IIFE becomes ``e``, ``t``…). Names that other scripts share stay as written: the globals
(``CredsiteI18n``, ``CredsiteVerifier``: properties of ``window``/``globalThis``, which no
minifier renames), property names, strings (the ``_('…')`` msgids the message catalogs key on)
and the top level of a bundle, which is a script's global scope. Output is ES2020 at most, as the
sources are (``js-version``). Measured on the credential page's script (issue 20): 22.1 KB
gzip-6 with rjsmin (comments and whitespace only), 18.5 KB with this.

minify-go is a Go library loaded into Python, and loading it starts Go's runtime with its own
threads. The build forks its workers (``multiprocessing`` ``fork``) after the assets are made,
and forking a process with other threads running is unsafe (a lock held by another thread stays
held in the child; Python 3.12 warns). So the build process never loads it: the scripts are
minified in one short child process per call, and each result is kept for the life of the
process (a test session builds the same scripts many times) and, when the build names a cache
file (``.credsite-cache/<output>.minified.json``, beside the build's manifest), between builds:
a rebuild whose scripts did not change starts no child process (two of them took 0.14 s of a
no-change rebuild's 1.2 s). The file names the minifier's version and this module's child
script; an entry is used only for the same source under the same minifier.

Where minify-go has no wheel (Windows on ARM), rjsmin stands in, in process: the same
behaviour, about 3.6 KB more on the wire.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import rjsmin  # type: ignore[import-untyped]

from credsite.content.awards import write_atomically
from credsite.errors import BuildError

# Whether minify-go is installed (looked up without loading it).
GO_MINIFIER = importlib.util.find_spec("minify") is not None

_CHILD = """
import json, sys
import minify
minify.config({"js-version": 2020})
sources = json.load(sys.stdin)
json.dump([minify.string("application/javascript", s) for s in sources], sys.stdout)
"""
_done: dict[bytes, str] = {}  # sha256 of a source → its minified text
CACHE_ENTRIES = 16  # scripts kept in a cache file (a build minifies five or six)


def _minifier() -> str:
    """What the minified text depends on besides the source: minify-go's version, the child."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        installed = version("minify-go")
    except PackageNotFoundError:  # pragma: no cover - found by find_spec, without metadata
        installed = "?"
    return f"minify-go {installed} {hashlib.sha256(_CHILD.encode()).hexdigest()[:16]}"


def _read_cache(cache: Path, minifier: str) -> dict[str, str]:
    try:
        data = json.loads(cache.read_bytes())
    except (OSError, ValueError):
        return {}  # none yet, or unreadable: minify again
    if not isinstance(data, dict) or data.get("minifier") != minifier:
        return {}
    scripts = data.get("scripts")
    if not isinstance(scripts, dict):
        return {}
    return {k: v for k, v in scripts.items() if isinstance(k, str) and isinstance(v, str)}


def _write_cache(cache: Path, minifier: str, scripts: dict[str, str]) -> None:
    kept = dict(list(scripts.items())[-CACHE_ENTRIES:])
    try:
        write_atomically(cache, json.dumps({"minifier": minifier, "scripts": kept}).encode("utf-8"))
    except OSError:
        pass  # a cache that cannot be written is only slower


def minified_scripts(sources: Sequence[str], cache: Path | None = None) -> list[str]:
    """Each of ``sources`` minified (see the module docstring); one child process for all of
    those minified neither before in this process nor, with ``cache``, in that file."""
    if not GO_MINIFIER:  # pragma: no cover - only where minify-go has no wheel
        return [str(rjsmin.jsmin(source)) for source in sources]
    keys = [hashlib.sha256(source.encode("utf-8")).digest() for source in sources]
    minifier = _minifier() if cache is not None else ""
    stored = _read_cache(cache, minifier) if cache is not None else {}
    for key in keys:
        if key not in _done and key.hex() in stored:
            _done[key] = stored[key.hex()]
    todo = {key: source for key, source in zip(keys, sources, strict=True) if key not in _done}
    if todo:
        result = subprocess.run(  # noqa: S603 - this Python, a fixed script
            [sys.executable, "-I", "-c", _CHILD], input=json.dumps(list(todo.values())),
            capture_output=True, text=True, encoding="utf-8", check=False)
        if result.returncode != 0:
            last = (result.stderr.strip().splitlines() or ["no message"])[-1]
            raise BuildError(f"the script minifier (minify-go) failed: {last}; "
                             "reinstall credsite (pip install --force-reinstall credsite)")
        _done.update(zip(todo, json.loads(result.stdout), strict=True))
    if cache is not None and any(key.hex() not in stored for key in keys):
        for key in keys:
            stored.pop(key.hex(), None)
            stored[key.hex()] = _done[key]  # last: kept when the file is cut to CACHE_ENTRIES
        _write_cache(cache, minifier, stored)
    return [_done[key] for key in keys]

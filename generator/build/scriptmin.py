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
process (a test session builds the same scripts many times).

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

import rjsmin  # type: ignore[import-untyped]

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


def minified_scripts(sources: Sequence[str]) -> list[str]:
    """Each of ``sources`` minified (see the module docstring); one child process for all of
    those not minified before in this process."""
    if not GO_MINIFIER:  # pragma: no cover - only where minify-go has no wheel
        return [str(rjsmin.jsmin(source)) for source in sources]
    keys = [hashlib.sha256(source.encode("utf-8")).digest() for source in sources]
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
    return [_done[key] for key in keys]

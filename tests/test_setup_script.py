"""The README's test command is ``scripts/test``, and ``.ci/run`` runs exactly it (issue 14, item 5).

What the script installs is exercised by every CI run (``.ci/run`` on a fresh Debian 12 machine);
here: the README, ``.ci/run`` and the workflows agree on the command, and on a machine without
Chromium a user who is not root is stopped at once with the one command that installs it, before
anything is downloaded.
"""

from __future__ import annotations

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

"""The site's browser JavaScript passes ESLint (eslint.config.mjs; installed by `npm ci`)."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ESLINT = ROOT / "node_modules" / ".bin" / "eslint"


def test_browser_javascript_passes_eslint() -> None:
    if not ESLINT.exists():
        message = "ESLint is not installed: run `npm ci`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    result = subprocess.run([str(ESLINT), "--max-warnings", "0", "templates/assets"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr

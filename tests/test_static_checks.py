"""ruff and strict mypy over the package, the tests, the benchmarks and the docs' scripts.

They run here so that CI, which runs pytest, checks them too. mypy must see the package under its
import name ``credsite`` although its source is ``generator/``: ``typings/credsite`` is a symlink
to it, on ``mypy_path`` (``[tool.mypy]`` in pyproject.toml). The browser tests have a conftest.py
of their own, so mypy checks them in a second run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True,  # noqa: S603
                          text=True, timeout=900, check=False)


def test_ruff_finds_nothing() -> None:
    result = _run("ruff", "check", "generator", "tests", "bench", "docs")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_passes_on_the_package_tests_and_benchmarks() -> None:
    result = _run("mypy", "--config-file", "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "typings/credsite/build/pipeline.py" not in result.stdout


def test_mypy_strict_passes_on_the_browser_tests() -> None:
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "browser").glob("*.py"))
    assert len(files) > 10
    result = _run("mypy", "--config-file", "pyproject.toml", *files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_resolves_credsite_to_the_source(tmp_path: Path) -> None:
    assert (ROOT / "typings" / "credsite").resolve() == (ROOT / "generator").resolve()
    wrong = tmp_path / "wrong.py"  # typed only if credsite.trust.ids is found and read
    wrong.write_text("from credsite.trust.ids import format_credential_id\n\n"
                     "grouped: int = format_credential_id('7QK2M9XRD4T8VNPA')\n", encoding="utf-8")
    result = _run("mypy", "--config-file", "pyproject.toml", str(wrong))
    assert result.returncode == 1
    assert 'expression has type "str", variable has type "int"' in result.stdout, result.stdout

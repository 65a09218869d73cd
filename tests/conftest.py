"""Shared fixtures for the credsite test suite (the mini-site kit itself is tests/sitekit.py).

- ``make_site(root=None, *, base_url=..., key_valid_from=..., key_id=...)`` → ``sitekit.MiniSite``
  in ``tmp_path / "site"`` (then ``site-2``, …);
- ``mini_site``: ``make_site()``;
- ``run_cli(*args) -> (exit_code, stdout, stderr)``: ``credsite.cli.main`` in-process;
- ``demo_output``: the demo ``content/`` built once per session (read-only: tests must not change it).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # `import sitekit` from any test folder

from sitekit import MiniSite  # noqa: E402
from sitekit import make_site as make_mini_site  # noqa: E402

from credsite import cli  # noqa: E402
from credsite.build.pipeline import build_site  # noqa: E402
from credsite.issuer import keys  # noqa: E402

REPO = Path(__file__).resolve().parent.parent

# The modules that take longest (tens of seconds each: issuing thousands of credentials, building
# and installing the wheel, builds of 20,000 awards, the demo in Chromium twice), longest first.
# They run before the rest, so that when scripts/test spreads whole modules over pytest-xdist
# workers (--dist loadscope --no-loadscope-reorder) none of them starts last while the other
# workers have nothing left to do. This changes the order only: every test runs.
RUN_FIRST = ("test_status_sharing.py", "test_wheel.py", "test_build_staging.py", "test_progress.py",
             "test_compact_rendering.py", "test_qrencode.py", "test_build_atomic.py",
             "test_e2e_lifecycle.py", "test_bench.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: place for place, name in enumerate(RUN_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(RUN_FIRST)))  # stable: the rest as collected


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., MiniSite]:
    """Factory: ``make_site(root=None, base_url=..., key_valid_from=..., key_id=...)``.

    ``root`` defaults to ``tmp_path / "site"`` (then ``site-2``, ``site-3`` … on later calls).
    """
    made: list[Path] = []

    def factory(root: Path | None = None, **options: Any) -> MiniSite:
        if root is None:
            root = tmp_path / ("site" if not made else f"site-{len(made) + 1}")
        made.append(root)
        return make_mini_site(root, **options)

    return factory


@pytest.fixture
def mini_site(make_site: Callable[..., MiniSite]) -> MiniSite:
    return make_site()


@pytest.fixture(scope="session")
def demo_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site as ``credsite build`` publishes it, built once; tests only read it."""
    out = tmp_path_factory.mktemp("demo") / "out"
    summary = build_site(REPO / "content", out, quiet=True)
    assert summary.startswith("built ")
    return out


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """``run_cli("verify", "--content", DIR)`` → (exit code, stdout, stderr)."""

    def run(*args: str | Path) -> tuple[int, str, str]:
        capsys.readouterr()  # drop anything printed before
        try:
            code = cli.main([str(a) for a in args])
        except SystemExit as exc:  # argparse usage errors
            code = exc.code if isinstance(exc.code, int) else 2
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture(autouse=True)
def no_key_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No signing key or passphrase from the environment of the person running the tests."""
    monkeypatch.delenv(keys.KEY_ENV, raising=False)
    monkeypatch.delenv(keys.PASSPHRASE_ENV, raising=False)
    yield

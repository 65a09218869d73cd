"""Shared fixtures for the credsite test suite.

- ``make_site(root=None, *, base_url=..., key_valid_from=..., key_id=...)`` → :class:`MiniSite`:
  a mini content tree (site.yaml with a fresh Ed25519 key from ``generator.keys.generate``, three
  catalog entries, one with ``validity_years``, one page) in a temporary folder, plus an
  unencrypted key file written by ``generator.keys.write_key_file``. ``MiniSite.issue(rows)``
  issues awards through ``generator.issuance`` (or, with ``via="cli"``, through
  ``credsite issue --key``) and returns the new credential IDs.
- ``mini_site``: ``make_site()`` in ``tmp_path / "site"``.
- ``run_cli(*args) -> (exit_code, stdout, stderr)``: ``generator.cli.main`` in-process, output
  captured with capsys.

Tests never use the demo key: every site here has its own key.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # for `import sitekit` in the build tests

from generator import cli, issuance, keys  # noqa: E402
from generator.awards import (  # noqa: E402
    batch_files,
    iter_award_lines,
    parse_award,
    rewrite_batch,
    serialize,
)
from generator.catalog import CatalogEntry, load_catalog  # noqa: E402
from generator.dataintegrity import add_proof  # noqa: E402
from generator.site import Site, load_site  # noqa: E402

BASE_URL = "http://127.0.0.1:8765"
CSV_COLUMNS = ["name", "email", "code", "awarded", "performance_result", "theory_result",
               "test_site"]

# code → (name, group, validity_years)
CATALOG: dict[str, tuple[str, str, int | None]] = {
    "TEST-MMS": ("Measurement, Materials & Safety", "Machining Level I", None),
    "TEST-CNC": ("CNC Milling: Operations", "Machining Level I", 5),
    "TEST-PB": ("Press Brake: Setup & Operations", "Metalforming Level I", None),
}
VALIDITY_CODE = "TEST-CNC"  # the entry with validity_years


def award_row(name: str = "Ada Lovelace", code: str = "TEST-MMS",
              awarded: str = "2026-03-14T15:00:00Z", **extra: str) -> dict[str, str]:
    """One CSV row with sensible defaults (override any column by keyword)."""
    return {"name": name, "email": "ada@example.org", "code": code, "awarded": awarded,
            "performance_result": "Pass", "theory_result": "88%", "test_site": "Test Center",
            **extra}


@dataclass
class MiniSite:
    root: Path
    base_url: str
    signer: keys.Signer
    key_path: Path
    content: Path = field(init=False)
    _csv_count: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self.content = self.root / "content"

    # ------------------------------------------------------------------ loading
    @property
    def site(self) -> Site:
        """site.yaml as loaded now (re-read on every access, so edits are seen)."""
        return load_site(self.content)

    @property
    def catalog(self) -> dict[str, CatalogEntry]:
        return load_catalog(self.content)

    @property
    def site_yaml(self) -> Path:
        return self.content / "site.yaml"

    @property
    def awards_dir(self) -> Path:
        return self.content / "awards"

    # ------------------------------------------------------------------ issuing
    def write_csv(self, rows: list[dict[str, str]], columns: list[str] | None = None,
                  name: str | None = None, bom: bool = False) -> Path:
        """Write ``rows`` as a results CSV beside the content folder; returns its path."""
        columns = columns or CSV_COLUMNS
        self._csv_count += 1
        path = self.root / (name or f"results-{self._csv_count}.csv")
        with path.open("w", newline="", encoding="utf-8-sig" if bom else "utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows({c: r.get(c, "") for c in columns} for r in rows)
        return path

    def issue(self, rows: list[dict[str, str]] | None = None, *, via: str = "api",
              now: dt.datetime | None = None) -> list[str]:
        """Issue ``rows`` (default: one row) and return the new IDs, in row order."""
        rows = rows if rows is not None else [award_row()]
        path = self.write_csv(rows)
        if via == "cli":
            return self.issue_cli(path)
        site, catalog = self.site, self.catalog
        moment = now or dt.datetime.now(dt.UTC)
        awards = issuance.parse_results(path, catalog, moment)
        _, issued = issuance.issue(self.content, site, catalog, awards, self.signer)
        return [item.credential_id for item in issued]

    def issue_cli(self, csv_path: Path) -> list[str]:
        import contextlib
        import io

        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(["issue", str(csv_path), "--content", str(self.content),
                             "--key", str(self.key_path)])
        if code != 0:
            raise AssertionError(f"credsite issue failed ({code}): {err.getvalue()}")
        return [line.split()[0] for line in out.getvalue().splitlines()
                if line and not line.startswith("issued ")]

    # ------------------------------------------------------------------ stored credentials
    def batches(self) -> list[Path]:
        return batch_files(self.content)

    def credentials(self) -> dict[str, dict[str, Any]]:
        """Every stored credential by ID."""
        found = {}
        for line in iter_award_lines(batch_files(self.content)):
            credential = parse_award(line)
            found[credential["id"].rsplit("/", 1)[-1]] = credential
        return found

    def credential(self, cred_id: str) -> dict[str, Any]:
        return self.credentials()[cred_id]

    def sign(self, credential: dict[str, Any], signer: keys.Signer | None = None,
             key_id: str | None = None) -> dict[str, Any]:
        """Re-sign ``credential`` (its proof is replaced) with the site key or ``signer``."""
        signer = signer or self.signer
        unsigned = {k: v for k, v in credential.items() if k != "proof"}
        created = "2026-03-14T15:00:00Z"
        proof = credential.get("proof")
        if isinstance(proof, list) and proof and isinstance(proof[0], dict):
            created = proof[0].get("created", created)
        method = f"{self.site.did}#{key_id or signer.key_id}"
        return add_proof(unsigned, signer.sign, method, created)

    def rewrite(self, cred_id: str, change: Callable[[dict[str, Any]], Any],
                resign: bool = False) -> None:
        """Apply ``change(credential)`` to one stored credential, re-signing it if asked."""
        for path in batch_files(self.content):
            lines, hit = [], False
            for line in iter_award_lines([path]):
                credential = parse_award(line)
                if credential["id"].endswith("/" + cred_id):
                    change(credential)
                    if resign:
                        credential = self.sign(credential)
                    lines.append(serialize(credential))
                    hit = True
                else:
                    lines.append(line.raw)
            if hit:
                rewrite_batch(path, lines)

    def snapshot(self) -> dict[str, bytes]:
        """Every file under content/ with its bytes (to prove that nothing was written)."""
        return {str(p.relative_to(self.content)): p.read_bytes()
                for p in sorted(self.content.rglob("*")) if p.is_file()}


def write_mini_site(root: Path, base_url: str = BASE_URL, *,
                    key_valid_from: str = "2024-01-01T00:00:00Z",
                    key_id: str = "key-1") -> MiniSite:
    content = root / "content"
    for sub in ("credentials", "pages", "awards"):
        (content / sub).mkdir(parents=True, exist_ok=True)
    signer = keys.generate(key_id)
    key_path = root / "signing.key"
    keys.write_key_file(key_path, signer, None)
    (content / "site.yaml").write_text(
        f"base_url: {base_url}\ntitle: Test Institute credentials\ndemo: true\n"
        "issuer:\n  name: Test Institute\n  url: https://test.example/\n"
        "  email: credentials@test.example\n  description: A test issuer.\n"
        f"keys:\n  - id: {key_id}\n    public_key: {signer.public_multikey}\n"
        f"    valid_from: {key_valid_from}\n", encoding="utf-8")
    for order, (code, (name, group, years)) in enumerate(CATALOG.items(), start=1):
        validity = f"validity_years: {years}\n" if years else ""
        (content / "credentials" / f"{code}.md").write_text(
            f"---\ncode: {code}\nname: {json.dumps(name)}\nlevel: Level I\ngroup: {group}\n"
            f"category: Test\norder: {order}\nperformance_exam: Make a part within ±0.005 in.\n"
            f"theory_exam: 50 questions in 90 minutes.\n{validity}skills: [testing]\n---\n"
            f"What {name} certifies.\n", encoding="utf-8")
    (content / "pages" / "about.md").write_text(
        "---\ntitle: About\ndescription: About the test site.\nnav: 1\n---\n"
        "See the [catalog](/credentials/).\n", encoding="utf-8")
    return MiniSite(root, base_url, signer, key_path)


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
        return write_mini_site(root, **options)

    return factory


@pytest.fixture
def mini_site(make_site: Callable[..., MiniSite]) -> MiniSite:
    return make_site()


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

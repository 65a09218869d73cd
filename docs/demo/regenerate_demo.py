"""Regenerate the demo's fictional awards (``content/awards/``, ``content/status/``) from
``docs/demo/awards.csv``, signed with a fresh throwaway key.

Run it whenever the credential format changes (``python docs/demo/regenerate_demo.py``). Each run
makes a new Ed25519 key in a temporary folder, puts its public half into ``content/site.yaml`` as
the demo's only key, issues every row of the CSV with ``credsite issue`` and deletes the private
half (and the run's mail-merge report): it is never written into the repository, so nobody can
sign more "demo" credentials later.
Credential IDs, salts and status list indexes are new on every run.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CSV = Path(__file__).resolve().parent / "awards.csv"
KEY_ID = "demo-2026"
KEY_VALID_FROM = "2024-01-01T00:00:00Z"  # before the earliest award date of the CSV


def credsite(*args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "credsite", *args], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"credsite {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def replace_keys(site_yaml: Path, public_key: str) -> None:
    """Make the fresh key the site's only key (the ``keys:`` list ends site.yaml)."""
    text = site_yaml.read_text(encoding="utf-8")
    head, found, _ = text.partition("\nkeys:\n")
    if not found:
        sys.exit(f"{site_yaml}: no 'keys:' list to replace")
    site_yaml.write_text(
        f"{head}\nkeys:\n  - id: {KEY_ID}\n    public_key: {public_key}\n"
        f"    valid_from: {KEY_VALID_FROM}\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--content", default=str(ROOT / "content"), help="the demo content folder")
    content = Path(parser.parse_args().content)
    with tempfile.TemporaryDirectory(prefix="credsite-demo-key-") as scratch:
        key = Path(scratch) / "demo.key"
        printed = credsite("keygen", "--out", str(key), "--id", KEY_ID, "--no-passphrase",
                           "--valid-from", KEY_VALID_FROM)
        match = re.search(r"public_key: (z6Mk\w+)", printed)
        if not match:
            sys.exit(f"keygen printed no public key:\n{printed}")
        for folder, pattern in (("awards", "*.jsonl*"), ("status", "*"), ("register", "*")):
            for old in (content / folder).glob(pattern):
                old.unlink()
        replace_keys(content / "site.yaml", match.group(1))
        issued = credsite("issue", str(CSV), "--key", str(key), "--content", str(content),
                          "--report", str(Path(scratch) / "report.csv"))
        print(next(line for line in issued.splitlines() if line.startswith("issued ")))
    print(credsite("verify", "--content", str(content)).splitlines()[-1])
    print("the private key is deleted; commit content/site.yaml, content/awards/, content/status/, "
          "content/register/")


if __name__ == "__main__":
    main()

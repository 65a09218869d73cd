"""The W3C vc-di-eddsa ``eddsa-jcs-2022`` test vector: where it is and what it holds.

Read from ``<repo>/../shared/vectors/eddsa-jcs-2022`` when present, else from the copy beside this
file. Its key pair is the specification's published test key, not a key of ours.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def vector_dir() -> Path:
    shared = HERE.parents[2] / "shared" / "vectors" / "eddsa-jcs-2022"
    return shared if (shared / "signedJCS.json").is_file() else HERE / "eddsa-jcs-2022"


def read_json(name: str) -> Any:
    return json.loads((vector_dir() / name).read_text(encoding="utf-8"))


def read_text(name: str) -> str:
    """A text file of the vector without a final newline (they hold exact canonical bytes)."""
    return (vector_dir() / name).read_text(encoding="utf-8").removesuffix("\n")


def public_multikey() -> str:
    return str(read_json("keyPair.json")["publicKeyMultibase"])


def private_multibase() -> str:
    """The test key's seed as the vector writes it: ``z`` + base58btc(0x80 0x26 ‖ 32-byte seed)."""
    return str(read_json("keyPair.json")["privateKeyMultibase"])

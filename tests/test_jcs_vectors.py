"""The shared JCS (RFC 8785) vectors agree with the Python `rfc8785` package.

The same file is run through the browser verifier in tests/browser/test_verifier_core.py, so the
Python signer and the JavaScript verifier canonicalize identically.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import rfc8785

VECTORS_FILE = Path(__file__).resolve().parent / "vectors" / "jcs.json"
VECTORS = json.loads(VECTORS_FILE.read_text(encoding="utf-8"))


def test_vector_file_is_well_formed() -> None:
    assert isinstance(VECTORS, list) and VECTORS
    names = [v["name"] for v in VECTORS]
    assert len(names) == len(set(names)), "vector names must be unique"
    for vector in VECTORS:
        assert set(vector) == {"name", "input", "canonical"}, vector["name"]
        assert isinstance(vector["canonical"], str)


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_rfc8785_matches_vector(vector: dict[str, Any]) -> None:
    assert rfc8785.dumps(vector["input"]).decode("utf-8") == vector["canonical"]


def _json_number_int(text: str) -> int | float:
    # JSON numbers are IEEE doubles; Python ints beyond 2^53 - 1 are refused by rfc8785.
    value = int(text)
    return value if abs(value) <= 2**53 - 1 else float(value)


def test_canonical_form_is_a_fixed_point() -> None:
    # Parsing the canonical text and canonicalizing again gives the same text.
    for vector in VECTORS:
        parsed = json.loads(vector["canonical"], parse_int=_json_number_int)
        again = rfc8785.dumps(parsed).decode("utf-8")
        assert again == vector["canonical"], vector["name"]


def test_utf16_key_order() -> None:
    vector = next(v for v in VECTORS if v["name"].startswith("key order by UTF-16"))
    keys = list(json.loads(vector["canonical"]))
    # U+1F600 (surrogates D83D DE00) sorts before U+FB33 by UTF-16 code units,
    # although it comes after it by code point.
    assert keys == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]

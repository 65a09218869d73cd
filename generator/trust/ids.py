"""Credential IDs: 80 random bits as 16 Crockford base32 characters.

Crockford's alphabet leaves out I, L, O and U, so an ID read aloud or typed from paper is
unambiguous; input is normalised (case, spaces, dashes, O→0, I/L→1) before use.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16  # 16 × 5 bits = 80 bits
ID_PATTERN = re.compile(rf"[{ALPHABET}]{{{LENGTH}}}")
_TYPO = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_credential_id() -> str:
    """A fresh, random, never-sequential credential ID from the OS CSPRNG."""
    n = secrets.randbits(5 * LENGTH)
    return "".join(ALPHABET[(n >> (5 * i)) & 31] for i in reversed(range(LENGTH)))


def normalize_credential_id(text: str) -> str:
    """Canonical form of a typed ID; ValueError if it is not one of ours."""
    cleaned = re.sub(r"[\s\-]", "", text).upper().translate(_TYPO)
    if not ID_PATTERN.fullmatch(cleaned):
        raise ValueError(
            f"{text!r} is not a credential ID ({LENGTH} characters of {ALPHABET})"
        )
    return cleaned


def is_credential_id(text: str) -> bool:
    return ID_PATTERN.fullmatch(text) is not None


def format_credential_id(cred_id: str) -> str:
    """Groups of four for reading aloud: ``7QK2-M9XR-D4T8-VNPA``."""
    return "-".join(cred_id[i : i + 4] for i in range(0, len(cred_id), 4))

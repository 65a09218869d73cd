"""Credential IDs: 80 random bits as 16 Crockford base32 characters.

Crockford's alphabet leaves out I, L, O and U, so an ID read aloud or typed from paper is
unambiguous; input is normalised (case, spaces, dashes, O→0, I/L→1) before use.

A *typed ID* adds Crockford's check symbol (https://www.crockford.com/base32.html, "Check
Symbol": the ID's value modulo the prime 37, written with the 32 digits and ``* ~ $ = U``). It
catches every single wrong character and every swap of two neighbours, so ``/verify/`` can say
"this ID has a typo" apart from "no credential with this ID". It is printed after the ID on the
certificate only: never in URLs, file names or signed data (``*``, ``~``, ``$`` and ``=`` are not
safe there, and the IDs already issued are inside signatures).
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16  # 16 × 5 bits = 80 bits
ID_PATTERN = re.compile(rf"[{ALPHABET}]{{{LENGTH}}}")
_TYPO = str.maketrans({"O": "0", "I": "1", "L": "1"})
CHECK_SYMBOLS = ALPHABET + "*~$=U"  # values 0-36 (Crockford's check symbols)


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


# Crockford's symbols as the digits int(..., 32) reads (0-9, a-v), so an ID's value is one call.
_AS_BASE32 = str.maketrans(ALPHABET, "0123456789abcdefghijklmnopqrstuv")


def check_symbol(cred_id: str) -> str:
    """Crockford's check symbol of an ID in canonical form: its 80-bit value modulo 37."""
    if cred_id.strip(ALPHABET):  # a character outside the alphabet (strip leaves it, and more)
        raise ValueError(f"not a credential ID in canonical form: {cred_id!r}")
    return CHECK_SYMBOLS[int(cred_id.translate(_AS_BASE32) or "0", 32) % 37]


def typed_credential_id(cred_id: str) -> str:
    """The ID as printed for typing: groups of four, then the check symbol.

    ``7QK2M9XRD4T8VNPA`` → ``7QK2-M9XR-D4T8-VNPA-0``."""
    return f"{format_credential_id(cred_id)}-{check_symbol(cred_id)}"


def parse_typed_id(text: str) -> tuple[str, bool | None]:
    """A typed ID → (canonical ID, whether its check symbol matches; None when none was typed).

    ValueError if the text is neither 16 ID characters nor 16 plus a check symbol.
    """
    cleaned = re.sub(r"[\s\-]", "", text).upper()
    if len(cleaned) == LENGTH + 1:
        try:
            body = normalize_credential_id(cleaned[:LENGTH])
        except ValueError:
            raise ValueError(f"{text!r} is not a credential ID ({LENGTH} characters of {ALPHABET}, "
                             "then perhaps the check symbol)") from None
        symbol = cleaned[LENGTH].translate(_TYPO)
        if symbol not in CHECK_SYMBOLS:
            raise ValueError(f"{text!r}: {symbol!r} is not a check symbol ({CHECK_SYMBOLS})")
        return body, symbol == check_symbol(body)
    return normalize_credential_id(text), None


def id_from_typed(text: str) -> str:
    """The canonical ID of a typed ID; ValueError if it is malformed or its check symbol is wrong
    (so a command such as ``credsite revoke`` never acts on a mistyped ID)."""
    cred_id, check_ok = parse_typed_id(text)
    if check_ok is False:
        raise ValueError(f"{text!r} has a typo: its last character is not the check symbol of "
                         f"the 16 before it; compare it with the certificate")
    return cred_id

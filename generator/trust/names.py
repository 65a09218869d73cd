"""What a name or other display text may contain (a display rule, not a signature rule)."""

from __future__ import annotations

import unicodedata
from typing import Any

# Bidi embeddings/overrides/isolates (U+202A-202E, U+2066-2069): they can make a name display as
# something else; with the C0/C1 controls, never allowed in a published name.
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def check_display_text(value: str, what: str) -> str:
    """Trimmed, NFC-normalised text; ValueError naming ``what`` for control or bidi characters."""
    text = unicodedata.normalize("NFC", value.strip())
    for ch in text:
        if ch in _BIDI:
            raise ValueError(f"{what} contains a bidi override character U+{ord(ch):04X}")
        if unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\u200d\u200c":
            raise ValueError(f"{what} contains a control character U+{ord(ch):04X}")
    if not text:
        raise ValueError(f"{what} is empty")
    return text


def holder_name(credential: dict[str, Any]) -> str | None:
    """The holder's name as signed: ``credentialSubject.identifier[]`` of ``identityType`` name."""
    subject = credential.get("credentialSubject")
    if not isinstance(subject, dict):
        return None
    identifiers = subject.get("identifier")
    if not isinstance(identifiers, list):
        return None
    for ident in identifiers:
        if isinstance(ident, dict) and ident.get("identityType") == "name":
            value = ident.get("identityHash")
            return value if isinstance(value, str) else None
    return None

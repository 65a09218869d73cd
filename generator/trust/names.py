"""What a holder's name may contain: a policy applied when credentials are issued.

Issue time only. At verification a name is never a reason to call a signed credential invalid:
pages show it as a quoted, bidi-isolated value (the browser's verdict banner, ``.cert-holder``),
so it cannot read as part of the page's own text whatever it holds.

The policy follows the PRECIS Nickname profile (RFC 8266 §2): non-ASCII spaces become U+0020,
leading and trailing spaces are removed and runs of spaces collapse to one, and the result is in
Unicode Normalization Form C. On top of it, for a name printed on a certificate:

- at most :data:`MAX_NAME_LENGTH` characters (a name, not a sentence);
- no control or format characters (line and paragraph separators, bidi embeddings, overrides and
  isolates, other invisible format characters), except ZERO WIDTH JOINER and NON-JOINER between
  two letters, marks or symbols, one at a time: Persian and Indic names need them (RFC 8264 §9.8
  allows ZWNJ/ZWJ in context, as in IDNA), and so do emoji sequences; a run of them only hides
  text;
- no invisible fillers that are letters or symbols in Unicode's eyes (HANGUL FILLER U+3164 and
  its jamo kin, BRAILLE PATTERN BLANK U+2800, …);
- no overlay or enclosing combining marks (combining class 1, general category Me: the strike-
  through U+0336, the enclosing circle U+20DD), and at most :data:`MAX_MARKS` combining marks on one
  letter: Thai, Vietnamese and Indic names stack two or three; more only piles ink ("Zalgo").
"""

from __future__ import annotations

import unicodedata
from typing import Any

MAX_NAME_LENGTH = 100
MAX_MARKS = 4
JOINERS = frozenset("\u200c\u200d")
# Letters or symbols that draw nothing (Unicode's Default_Ignorable and blank look-alikes).
INVISIBLE_FILLERS = frozenset(
    "\u115f\u1160\u3164\uffa0"  # Hangul choseong/jungseong fillers, Hangul filler, halfwidth
    "\u2800"  # braille pattern blank
    "\u180e\u034f\u17b4\u17b5"  # Mongolian vowel separator, combining grapheme joiner, Khmer
)


def normalize_name(value: str) -> str:
    """RFC 8266 §2.2 rules 1-4: spaces mapped to U+0020, trimmed and collapsed, then NFC."""
    spaced = "".join(" " if unicodedata.category(ch) == "Zs" else ch for ch in value)
    return unicodedata.normalize("NFC", " ".join(part for part in spaced.split(" ") if part))


def check_holder_name(value: str, what: str = "name") -> str:
    """The name as it will be signed (normalized); ValueError saying what is wrong, naming ``what``."""
    text = normalize_name(value.strip())
    if not text:
        raise ValueError(f"{what} is empty")
    if len(text) > MAX_NAME_LENGTH:
        raise ValueError(f"{what} has {len(text)} characters; at most {MAX_NAME_LENGTH} (a name, "
                         "not a sentence)")
    marks = 0
    for i, ch in enumerate(text):
        where = f"{what} contains U+{ord(ch):04X} {unicodedata.name(ch, '')}".rstrip()
        category = unicodedata.category(ch)
        if ch in JOINERS:
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if not (before and after and unicodedata.category(before)[0] in "LMS"
                    and unicodedata.category(after)[0] in "LMS"):
                raise ValueError(f"{where}, which may only join two letters (or emoji)")
            continue
        if category in ("Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn") or ch in INVISIBLE_FILLERS:
            raise ValueError(f"{where}, an invisible or control character")
        if category == "Me" or unicodedata.combining(ch) == 1:
            raise ValueError(f"{where}, a mark drawn over or around other characters")
        if category == "Mn" or category == "Mc":
            marks += 1
            if marks > MAX_MARKS:
                raise ValueError(f"{what} stacks more than {MAX_MARKS} combining marks on one "
                                 "character")
        else:
            marks = 0
    return text


def check_display_text(value: str, what: str) -> str:
    """Other short display text given at issue time (optional CSV columns): the same policy."""
    return check_holder_name(value, what)


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

"""Issue 16, finding 5: names that cannot pose as text of the page (generator/trust/names.py).

At issue time the PRECIS Nickname profile (RFC 8266) plus a few rules refuses names that are
sentences, break lines, hide text or pile marks; every real name still passes. At verification a
name is only displayed (quoted, isolated), never a reason to call a signed credential invalid:
the verdict vector ``name-outside-the-policy`` checks that in Python and in the browser.
"""

from __future__ import annotations

import pytest

from credsite.trust.names import MAX_NAME_LENGTH, check_holder_name

REAL_NAMES = {
    "Ada Lovelace": "Ada Lovelace",
    "  Jane\u3000Q.   Doe ": "Jane Q. Doe",  # ideographic space mapped, runs collapsed (RFC 8266)
    "Jose\u0301": "Jos\u00e9",  # NFC
    "สมชาย ใจดี": "สมชาย ใจดี",  # Thai
    "น้ำฝน": "น้ำฝน",  # Thai stacked marks: consonant, tone mark, vowel
    "Nguyễn Thị Minh Khai": "Nguyễn Thị Minh Khai",  # Vietnamese: two marks on a letter
    "مهرداد\u200cنیا": "مهرداد\u200cنیا",  # Persian: ZWNJ inside the name
    "क्\u200dष": "क्\u200dष",  # Devanagari: ZWJ after a virama
    "O'Brien-Smith": "O'Brien-Smith",
    "李小龍": "李小龍",
    "Zoë Ångström": "Zoë Ångström",
}


@pytest.mark.parametrize("raw", list(REAL_NAMES))
def test_real_names_pass(raw: str) -> None:
    assert check_holder_name(raw) == REAL_NAMES[raw]


@pytest.mark.parametrize(("name", "says"), [
    ("Ada Example holds Master Machinist III " + "x" * MAX_NAME_LENGTH, "not a sentence"),
    ("Ada\u2028Lovelace", "U+2028"),
    ("Ada\u2029Lovelace", "U+2029"),
    ("Ada\nLovelace", "U+000A"),
    ("Ada\u3164", "U+3164"),
    ("\u3164\u3164", "U+3164"),
    ("Ada \u2800", "U+2800"),
    ("Ada\u115f", "U+115F"),
    ("Ada\u200d\u200d\u200dLovelace", "U+200D"),
    ("\u200cAda", "U+200C"),
    ("Ada\u200b Lovelace", "U+200B"),
    ("A\u0336d\u0336a\u0336", "U+0336"),
    ("Ada\u20dd", "U+20DD"),
    ("Ada\u202eecalevoL", "U+202E"),
    ("Ada\u2066Lovelace", "U+2066"),
    ("Z\u0351\u0352\u0353\u0354\u0355ada", "combining marks"),
    ("   ", "empty"),
])
def test_names_that_could_pose_as_page_text_are_refused(name: str, says: str) -> None:
    with pytest.raises(ValueError, match=says.replace("+", r"\+")):
        check_holder_name(name)

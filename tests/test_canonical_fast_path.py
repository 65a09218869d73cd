"""The fast JCS path in credsite.trust.dataintegrity must give rfc8785's bytes for every input."""

import random
from typing import Any

import rfc8785

from credsite.trust.dataintegrity import canonicalize

CHARS = [chr(i) for i in [*range(0x80), 0x80, 0x9F, 0xE9, 0x2028, 0x2029, 0xFEFF, 0x4E2D,
                          0xE000, 0xFFFF, 0x1F600]]


def _random_value(rng: random.Random, depth: int = 0) -> Any:
    roll = rng.random()
    if depth > 3 or roll < 0.3:
        return "".join(rng.choice(CHARS) for _ in range(rng.randrange(6)))
    if roll < 0.4:
        return rng.randrange(-(2**60), 2**60) if rng.random() < 0.3 else rng.randrange(-999, 999)
    if roll < 0.45:
        return rng.choice([True, False, None, 0.1, 1e21, -0.0, 5e-324])
    if roll < 0.7:
        return [_random_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {"".join(rng.choice(CHARS) for _ in range(rng.randrange(1, 4))):
            _random_value(rng, depth + 1) for _ in range(rng.randrange(5))}


def test_fast_path_agrees_with_rfc8785_on_random_values() -> None:
    rng = random.Random(8785)
    compared = 0
    for _ in range(5000):
        value = _random_value(rng)
        try:
            expected = rfc8785.dumps(value)
        except rfc8785.CanonicalizationError:
            continue
        assert canonicalize(value) == expected, value
        compared += 1
    assert compared > 4000


def test_non_bmp_keys_sort_by_utf16_code_units() -> None:
    # U+1F600 (surrogates D83D DE00) sorts before U+E000 in UTF-16 but after it by code point.
    value = {"\ue000": 1, "\U0001f600": 2}
    assert canonicalize(value) == rfc8785.dumps(value)
    assert canonicalize(value).decode().index("\U0001f600") < canonicalize(value).decode().index("\ue000")



def test_stored_record_less_its_proof_is_cut_as_count_and_replace_would() -> None:
    """``_stored_without_proof`` finds the proof member through its short prefix; it must take
    the same bytes as ``text.replace(member, b"")`` when ``text.count(member) == 1``, and refuse
    (None) otherwise: no occurrence, two, a member cut short, prefixes that are not the member,
    and occurrences that overlap."""
    from credsite.trust.dataintegrity import _COMPACT, _stored_without_proof

    proof = [{"a": "x"}]
    member = b',"proof":' + _COMPACT.encode(proof).encode()
    document = {"proof": proof}
    pieces = [member, b',"proof":', b',"proof":[', b',"proof":[{"a":"y"}]', b"{", b"}", b"x",
              b'"', member[:-1], b',"proof":,"proof":']
    rng = random.Random(9)
    checked = set()
    for _ in range(4000):
        text = b"".join(rng.choice(pieces) for _ in range(rng.randrange(6)))
        if text in checked:
            continue
        checked.add(text)
        expected = text.replace(member, b"") if text.count(member) == 1 else None
        assert _stored_without_proof(text, document) == expected, text
    assert len(checked) > 1000
    # overlapping occurrences: count sees one, so the cut is the leftmost
    self_overlapping = {"proof": '",proof":'}
    tricky = b',"proof":' + _COMPACT.encode('",proof":').encode()
    for text in (tricky + tricky[9:], b"x" + tricky + b"," + tricky, tricky):
        expected = text.replace(tricky, b"") if text.count(tricky) == 1 else None
        assert _stored_without_proof(text, self_overlapping) == expected, text

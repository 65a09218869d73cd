"""base58btc: decoding inverts encoding and agrees with an independent textbook decoder."""

import random

import pytest

from credsite.trust.multibase import b58decode, b58encode

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def textbook_decode(text: str) -> bytes:
    n = 0
    for c in text:
        n = n * 58 + ALPHABET.index(c)
    zeros = len(text) - len(text.lstrip("1"))
    return b"\0" * zeros + (n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b"")


def test_round_trip_and_textbook_agreement() -> None:
    rng = random.Random(58)
    for length in range(0, 80):
        for _ in range(20):
            data = bytes(rng.randrange(256) for _ in range(length))
            if rng.random() < 0.2:
                data = b"\0" * rng.randrange(1, 4) + data
            text = b58encode(data)
            assert b58decode(text) == data == textbook_decode(text)
            odd = "".join(rng.choice(ALPHABET) for _ in range(length))  # odd and even lengths
            assert b58decode(odd) == textbook_decode(odd)


@pytest.mark.parametrize("text,bad", [("0abc", "0"), ("abcI", "I"), ("ab c", " "), ("zé", "é"),
                                      ("abl", "l"), ("O", "O")])
def test_a_character_outside_the_alphabet_is_named(text: str, bad: str) -> None:
    with pytest.raises(ValueError, match=f"{bad!r} is not a base58btc character"):
        b58decode(text)

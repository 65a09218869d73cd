"""Typed credential IDs: Crockford's check symbol (mod 37) printed after the ID.

The check symbol is computed here a second way (Python's own base-32 ``int()`` after mapping
Crockford's alphabet onto ``0-9a-v``), and the property the verify page relies on is checked
exhaustively for random IDs: every single wrong character and every swap of two different
neighbours changes the check symbol.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from credsite.trust.ids import (
    ALPHABET,
    CHECK_SYMBOLS,
    check_symbol,
    id_from_typed,
    new_credential_id,
    parse_typed_id,
    typed_credential_id,
)

TO_PYTHON_BASE32 = str.maketrans(ALPHABET, "0123456789abcdefghijklmnopqrstuv")


def test_check_symbol_is_the_value_modulo_37() -> None:
    for _ in range(500):
        cred_id = new_credential_id()
        assert check_symbol(cred_id) == CHECK_SYMBOLS[int(cred_id.translate(TO_PYTHON_BASE32), 32) % 37]
    assert check_symbol("0" * 16) == "0"
    assert check_symbol("0" * 15 + "Z") == "Z"  # 31
    assert CHECK_SYMBOLS[32:] == "*~$=U"  # Crockford's five extra symbols, in order


def test_every_single_substitution_and_neighbour_swap_is_caught() -> None:
    rng = random.Random(18)
    for _ in range(40):
        cred_id = "".join(rng.choice(ALPHABET) for _ in range(16))
        symbol = check_symbol(cred_id)
        for i in range(16):
            for char in ALPHABET:
                if char != cred_id[i]:
                    assert check_symbol(cred_id[:i] + char + cred_id[i + 1:]) != symbol
            if i < 15 and cred_id[i] != cred_id[i + 1]:
                swapped = cred_id[:i] + cred_id[i + 1] + cred_id[i] + cred_id[i + 2:]
                assert check_symbol(swapped) != symbol


def test_parse_typed_ids() -> None:
    cred_id = "7QK2M9XRD4T8VNPA"
    typed = typed_credential_id(cred_id)
    assert typed == f"7QK2-M9XR-D4T8-VNPA-{check_symbol(cred_id)}"
    assert parse_typed_id(typed) == (cred_id, True)
    assert parse_typed_id(typed.lower().replace("-", " ")) == (cred_id, True)
    assert parse_typed_id("7qk2-m9xr-d4t8-vnpa") == (cred_id, None)  # no check symbol typed
    assert parse_typed_id("7QK2-M9XR-D4T8-VNPB-" + check_symbol(cred_id)) == ("7QK2M9XRD4T8VNPB", False)
    assert parse_typed_id("7QK2-M9XR-D4T8-VNPA-O") == parse_typed_id("7QK2-M9XR-D4T8-VNPA-0")
    with pytest.raises(ValueError, match="not a check symbol"):
        parse_typed_id("7QK2-M9XR-D4T8-VNPA-#")
    with pytest.raises(ValueError, match="not a credential ID"):
        parse_typed_id("7QK2-M9XR-D4T8")


def test_a_command_never_acts_on_a_mistyped_id() -> None:
    cred_id = "7QK2M9XRD4T8VNPA"
    assert id_from_typed(typed_credential_id(cred_id)) == cred_id
    wrong = typed_credential_id("7QK2M9XRD4T8VNPB")[:-1] + check_symbol(cred_id)
    with pytest.raises(ValueError, match="has a typo"):
        id_from_typed(wrong)


def test_the_certificate_prints_the_check_symbol_outside_signed_data(tmp_path: Path) -> None:
    from sitekit import make_site

    lab = make_site(tmp_path)
    [cred_id] = lab.issue()
    out = lab.build()
    html = (out / "c" / f"{cred_id}.html").read_text(encoding="utf-8")
    symbol = check_symbol(cred_id)
    assert f'data-f="credential-id">{cred_id}</code><code class="cred-check"' in html
    assert f">-{symbol}</code>" in html
    assert typed_credential_id(cred_id) in html  # the page title
    record = (out / "c" / f"{cred_id}.json").read_text(encoding="utf-8")
    assert typed_credential_id(cred_id) not in record and f"{cred_id}-" not in record


def test_revoke_refuses_a_mistyped_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sitekit import make_site

    from credsite import cli

    lab = make_site(tmp_path)
    [cred_id] = lab.issue()
    other = next(c for c in ALPHABET if c != cred_id[0])
    typo = typed_credential_id(other + cred_id[1:])[:-1] + check_symbol(cred_id)
    before = lab.snapshot()
    code = cli.main(["revoke", typo, "--reason", "test", "--content", str(lab.content),
                     "--key", str(lab.key_path)])
    assert code != 0
    assert "has a typo" in capsys.readouterr().err
    assert lab.snapshot() == before

"""The exception hierarchy (generator/errors.py) that the CLI relies on to print one-line errors."""

from __future__ import annotations

import pytest

from credsite.errors import (
    BuildError,
    ContentError,
    CredsiteError,
    KeyFileError,
    ProblemList,
    VerificationError,
)


@pytest.mark.parametrize("cls", [ContentError, KeyFileError, VerificationError, BuildError,
                                 ProblemList])
def test_every_error_is_a_credsite_error(cls: type) -> None:
    assert issubclass(cls, CredsiteError)
    assert issubclass(cls, Exception)


def test_the_five_kinds_are_distinct() -> None:
    kinds = [ContentError, KeyFileError, VerificationError, BuildError, ProblemList]
    for a in kinds:
        for b in kinds:
            if a is not b:
                assert not issubclass(a, b), f"{a.__name__} must not derive from {b.__name__}"


def test_where_prefixes_the_message() -> None:
    error = ContentError("'title' is required", where="content/site.yaml:3")
    assert str(error) == "content/site.yaml:3: 'title' is required"
    assert error.message == "'title' is required"
    assert error.where == "content/site.yaml:3"
    assert str(ContentError("no where")) == "no where"
    assert ContentError("no where").where is None


def test_verification_error_has_check() -> None:
    error = VerificationError("signature", "the signature does not match", where="a.jsonl:2")
    assert error.check == "signature"
    assert error.message == "[signature] the signature does not match"
    assert str(error) == "a.jsonl:2: [signature] the signature does not match"
    with pytest.raises(CredsiteError):
        raise error


def test_problem_list_lists_every_problem_and_counts() -> None:
    one = ContentError("bad code", where="r.csv:2")
    two = ContentError("no time zone", where="r.csv:5")
    problems = ProblemList([one, two], "bad row")
    assert problems.problems == [one, two]
    assert str(problems).splitlines() == ["r.csv:2: bad code", "r.csv:5: no time zone",
                                          "2 bad rows found"]
    assert str(ProblemList([one], "bad row")).splitlines()[-1] == "1 bad row found"

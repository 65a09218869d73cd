"""Duplicate awards: the same holder, credential and award date, within a CSV or already issued.

Running the same results file twice, or a file that repeats a row, would otherwise sign every
such award again under a new ID. Two awards are the same when they have the same credential code
and award date (the UTC day: an exam system may export a time one month and only the date the
next) and the same holder: the same e-mail address (trimmed, lower-cased; from the private
register, as the awards publish only a salted hash) or the same name (Unicode NFC, case and
spacing ignored).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path

from credsite.content.awards import batch_files, iter_award_lines, parse_award
from credsite.content.credential import Award
from credsite.content.register import load_register, normalize_email
from credsite.errors import ContentError, CredsiteError
from credsite.trust.names import holder_name
from credsite.trust.timestamps import parse_timestamp

Key = tuple[str, str, str, str]


def normalize_name(name: str) -> str:
    return unicodedata.normalize("NFC", " ".join(name.split())).casefold()


def _keys(name: str, email: str | None, code: str, day: str) -> Iterator[Key]:
    yield ("name", code, day, normalize_name(name))
    if email:
        yield ("email", code, day, normalize_email(email))


def issued_awards(content: Path) -> dict[Key, str]:
    """Every issued award's keys → a description of it (ID and where it is stored)."""
    register = load_register(content)
    index: dict[Key, str] = {}
    for line in iter_award_lines(batch_files(content)):
        try:
            credential = parse_award(line)
            cred_id = str(credential["id"]).rsplit("/", 1)[-1]
            code = str(credential["credentialSubject"]["achievement"]["humanCode"])
            day = parse_timestamp(credential["validFrom"]).date().isoformat()
        except (CredsiteError, KeyError, TypeError, ValueError):
            continue  # check and build report malformed awards
        name = holder_name(credential) or ""
        record = register.get(cred_id)
        for key in _keys(name, record.email if record else None, code, day):
            index.setdefault(key, f"credential {cred_id} ({line.where})")
    return index


def find_duplicates(content: Path, awards: Sequence[Award]) -> list[CredsiteError]:
    """One problem per award that repeats an issued award or an earlier row of the same CSV."""
    index = issued_awards(content)
    problems: list[CredsiteError] = []
    for number, award in enumerate(awards, start=1):
        where = award.where or f"row {number}"
        keys = list(_keys(award.holder_name, award.email, award.code,
                          award.awarded.date().isoformat()))
        earlier = next((index[k] for k in keys if k in index), None)
        if earlier is not None:
            problems.append(ContentError(
                f"duplicate: {award.holder_name} already has {award.code} awarded on "
                f"{award.awarded.date().isoformat()} ({earlier}); pass --allow-duplicates to "
                "issue it again", where=where))
            continue
        for key in keys:
            index[key] = f"row {where.rsplit(':', 1)[-1]} of this file"
    return problems

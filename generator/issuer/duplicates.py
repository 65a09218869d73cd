"""Duplicate awards: the same holder, credential and award date, within a CSV or already issued.

Running the same results file twice, or a file that repeats a row, would otherwise sign every
such award again under a new ID. Two awards are the same when they have the same credential code
and award date (the UTC day: an exam system may export a time one month and only the date the
next) and the same holder: the same e-mail address (trimmed, lower-cased; from the private
register, as the awards publish only a salted hash), or, when either award has no address, the
same name (Unicode NFC, case and spacing ignored).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from credsite.content.awards import AwardLine, batch_files, iter_award_lines, lines_mentioning, parse_award
from credsite.content.credential import Award
from credsite.content.register import load_register, normalize_email
from credsite.errors import ContentError, CredsiteError
from credsite.trust.names import holder_name
from credsite.trust.timestamps import parse_timestamp

Key = tuple[str, str, str]  # (credential code, UTC day, normalized name or e-mail address)


def normalize_name(name: str) -> str:
    return unicodedata.normalize("NFC", " ".join(name.split())).casefold()


class AwardIndex:
    """Awards seen so far, by name and by e-mail address.

    Two awards with addresses are the same holder only if the addresses match (two people of one
    name can pass one exam on one day); when either has no address, the names decide."""

    def __init__(self) -> None:
        self.by_email: dict[Key, str] = {}
        self.by_name: dict[Key, list[tuple[str, bool]]] = {}  # → (description, has an address)

    def add(self, name: str, email: str | None, code: str, day: str, description: str) -> None:
        if email:
            self.by_email.setdefault((code, day, normalize_email(email)), description)
        self.by_name.setdefault((code, day, normalize_name(name)), []).append(
            (description, bool(email)))

    def match(self, name: str, email: str | None, code: str, day: str) -> str | None:
        if email and (found := self.by_email.get((code, day, normalize_email(email)))):
            return found
        for description, has_email in self.by_name.get((code, day, normalize_name(name)), []):
            if not (email and has_email):
                return description
        return None


def issued_awards(content: Path, rows: Sequence[Award] | None = None) -> AwardIndex:
    """Every issued award, described by its ID and where it is stored; with ``rows``, only
    those that could repeat one of them: stored with the row's credential code and award day
    (or the day before or after: a time zone offset moves the UTC day), found in the batch
    bytes without parsing the other records (a million awards: issue 20)."""
    register = load_register(content)
    index = AwardIndex()
    paths = batch_files(content)
    lines: Iterable[AwardLine] = iter_award_lines(paths)
    if rows is not None:
        days = {(a.awarded + dt.timedelta(days=shift)).date().isoformat()
                for a in rows for shift in (-1, 0, 1)}
        codes = [code.encode("utf-8") for code in {a.code for a in rows}]
        lines = lines_mentioning(paths, days, lambda raw: any(code in raw for code in codes))
    for line in lines:
        try:
            credential = parse_award(line)
            cred_id = str(credential["id"]).rsplit("/", 1)[-1]
            code = str(credential["credentialSubject"]["achievement"]["humanCode"])
            day = parse_timestamp(credential["validFrom"]).date().isoformat()
        except (CredsiteError, KeyError, TypeError, ValueError):
            continue  # check and build report malformed awards
        record = register.get(cred_id)
        index.add(holder_name(credential) or "", record.email if record else None, code, day,
                  f"credential {cred_id} ({line.where})")
    return index


def find_duplicates(content: Path, awards: Sequence[Award]) -> list[CredsiteError]:
    """One problem per award that repeats an issued award or an earlier row of the same CSV."""
    index = issued_awards(content, awards)
    problems: list[CredsiteError] = []
    for number, award in enumerate(awards, start=1):
        where = award.where or f"row {number}"
        day = award.awarded.date().isoformat()
        earlier = index.match(award.holder_name, award.email, award.code, day)
        if earlier is not None:
            problems.append(ContentError(
                f"duplicate: {award.holder_name} already has {award.code} awarded on {day} "
                f"({earlier}); pass --allow-duplicates to issue it again", where=where))
            continue
        index.add(award.holder_name, award.email, award.code, day,
                  f"row {where.rsplit(':', 1)[-1]} of this file")
    return problems

"""Questions a maintainer asks of the register: who holds what (``credsite find``), how many
(``credsite stats``) and whose credential lapses soon (``credsite expiring``).

A *holding* is one issued credential joined with its register record (name, e-mail, holder key)
and its state today. Awards issued before the register existed have no record: they are found by
what the signed award says (name, code, dates), without an e-mail address.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from credsite.content.awards import batch_files, iter_award_lines, parse_award
from credsite.content.register import load_register
from credsite.content.site import Site
from credsite.content.status import load_status_lists
from credsite.errors import CredsiteError
from credsite.trust.ids import normalize_credential_id
from credsite.trust.names import holder_name
from credsite.trust.timestamps import parse_timestamp

STATES = ("valid", "expired", "revoked", "withdrawn")


@dataclass(frozen=True)
class Holding:
    id: str
    url: str
    name: str
    email: str | None
    holder: str | None  # holder key, if the credential is in the register
    code: str
    awarded: dt.datetime
    valid_until: dt.datetime | None
    test_site: str | None
    where: str  # batch file and line
    state: str  # valid | expired | revoked | withdrawn
    reason: str = ""  # why revoked or withdrawn (the register's reason for a withdrawal)
    link: str = ""  # what the holder is given: url, or url#salt=… (site.yaml email_salt: link)


def holdings(content: Path, site: Site, now: dt.datetime) -> Iterator[Holding]:
    """Every issued credential with who holds it and its state at ``now``."""
    register = load_register(content)
    notes = load_status_lists(content, site).notes
    for line in iter_award_lines(batch_files(content)):
        try:
            credential = parse_award(line)
            url = str(credential["id"])
            code = str(credential["credentialSubject"]["achievement"]["humanCode"])
            awarded = parse_timestamp(credential["validFrom"])
            until = credential.get("validUntil")
            valid_until = parse_timestamp(until) if until else None
        except (CredsiteError, KeyError, TypeError, ValueError):
            continue  # credsite check reports it
        cred_id = url.rsplit("/", 1)[-1]
        record = register.get(cred_id)
        source = credential["credentialSubject"].get("source")
        note = notes.get(cred_id)
        state, reason = "valid", ""
        if note is not None:
            state, reason = ("withdrawn" if note.withdrawn else "revoked"), note.reason
            if note.withdrawn and record is not None and record.events:
                reason = next((e.detail for e in reversed(record.events)
                               if e.action == "withdrawn"), reason)
        elif valid_until is not None and valid_until <= now:
            state = "expired"
        yield Holding(
            id=cred_id, url=url,
            name=record.name if record else holder_name(credential) or "",
            email=record.email if record else None,
            holder=record.holder if record else None, code=code, awarded=awarded,
            valid_until=valid_until,
            test_site=(record.test_site if record else
                       source.get("name") if isinstance(source, dict) else None),
            where=line.where, state=state, reason=reason,
            link=record.link if record else url,
        )


def _fold(text: str) -> str:
    """Case, accents and spacing ignored: 'José  MÜLLER' finds 'jose muller'."""
    decomposed = unicodedata.normalize("NFKD", " ".join(text.split()))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def find(content: Path, site: Site, text: str, now: dt.datetime) -> list[Holding]:
    """Credentials whose ID, holder key, code, e-mail address or name matches ``text``."""
    query = text.strip()
    try:
        wanted_id: str | None = normalize_credential_id(query)
    except ValueError:
        wanted_id = None
    folded = _fold(query)
    hits = []
    for holding in holdings(content, site, now):
        if (holding.id == wanted_id or query.upper() in (holding.holder, holding.code)
                or (holding.email and folded in _fold(holding.email))
                or (folded and folded in _fold(holding.name))):
            hits.append(holding)
    return hits


def expiring(content: Path, site: Site, now: dt.datetime, within: dt.timedelta) -> list[Holding]:
    """Valid credentials whose validUntil falls before ``now + within``, soonest first."""
    limit = now + within
    found = [h for h in holdings(content, site, now)
             if h.state == "valid" and h.valid_until is not None and h.valid_until <= limit]
    return sorted(found, key=lambda h: (h.valid_until or now, h.id))


@dataclass
class Tally:
    """Counts of one group (a credential code, a test site or a month)."""

    issued: int = 0
    valid: int = 0
    expired: int = 0
    revoked: int = 0
    withdrawn: int = 0
    expiring: int = 0


def stats(content: Path, site: Site, now: dt.datetime, within: dt.timedelta
          ) -> dict[str, dict[str, Tally]]:
    """Tallies by credential code, test site and month of award (``YYYY-MM``)."""
    tables: dict[str, dict[str, Tally]] = {"credential": {}, "test site": {}, "month": {}}
    for holding in holdings(content, site, now):
        keys = {"credential": holding.code, "test site": holding.test_site or "(none)",
                "month": holding.awarded.strftime("%Y-%m")}
        for table, key in keys.items():
            tally = tables[table].setdefault(key, Tally())
            tally.issued += 1
            setattr(tally, holding.state, getattr(tally, holding.state) + 1)
            if (holding.state == "valid" and holding.valid_until is not None
                    and holding.valid_until <= now + within):
                tally.expiring += 1
    return {name: dict(sorted(rows.items())) for name, rows in tables.items()}


def parse_period(text: str) -> dt.timedelta:
    """``90d``, ``12w`` or a number of days; ValueError otherwise."""
    value = text.strip().lower()
    units = {"d": 1, "w": 7}
    unit = units.get(value[-1:], 0)
    digits = value[:-1] if unit else value
    if not digits.isdigit():
        raise ValueError(f"{text!r} is not a period: write days as 90d or weeks as 12w")
    return dt.timedelta(days=int(digits) * (unit or 1))

"""XML Schema dateTime values as VC 2.0 uses them (§4.9): always with a time zone, stored in UTC."""

from __future__ import annotations

import datetime as dt
import re

_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
MONTHS = (
    "January February March April May June July August September October November December"
).split()


_PARSED: dict[str, dt.datetime] = {}  # award dates repeat across a site's credentials


def parse_timestamp(value: object) -> dt.datetime:
    """A timezone-aware datetime; a bare date means midnight UTC; ValueError without a time zone."""
    if type(value) is str:
        parsed = _PARSED.get(value)
        if parsed is None:
            parsed = _parse(value)
            if len(_PARSED) >= 10_000:
                _PARSED.clear()
            _PARSED[value] = parsed
        return parsed
    return _parse(value)


def _parse(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    elif isinstance(value, str):
        text = value.strip()
        if _DATE_ONLY.fullmatch(text):
            return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)
        try:
            parsed = dt.datetime.fromisoformat(text.replace("z", "Z"))
        except ValueError:
            raise ValueError(
                f"{value!r} is not a date-time; write e.g. 2026-03-14T10:00:00Z"
            ) from None
    else:
        raise ValueError(f"{value!r} is not a date-time; write e.g. 2026-03-14T10:00:00Z")
    if parsed.tzinfo is None:
        raise ValueError(
            f"{value!r} has no time zone; add Z or an offset, e.g. 2026-03-14T10:00:00Z"
        )
    try:
        return parsed.astimezone(dt.UTC)
    except OverflowError:
        raise ValueError(f"{value!r} is out of the supported date range") from None


def format_timestamp(moment: dt.datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ`` in UTC (no fractional seconds)."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def display_date(moment: dt.datetime) -> str:
    """``March 14, 2026`` in UTC: the same text the browser verifier writes."""
    utc = moment.astimezone(dt.UTC)
    return f"{MONTHS[utc.month - 1]} {utc.day}, {utc.year}"


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def add_years(moment: dt.datetime, years: int) -> dt.datetime:
    """Same calendar day ``years`` later (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, day=28)

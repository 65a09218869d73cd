"""The private register of holders: ``content/register/<batch>.jsonl`` (docs/design.md, "Register").

The signed awards name each holder but publish the e-mail address only as a salted hash, so an
issuer cannot get back from an ID to a person, nor from a person to their IDs, with the awards
alone. The register records, for every credential ``credsite issue`` signs, who it belongs to:
ID, URL, name, e-mail, credential code, dates, and a stable random *holder key* that groups one
person's credentials. It is committed to the (private) site repository and is never published:
the build copies only ``content/static/``, and holder pages are made from it by key, not by name.

One register file per award batch, with the batch's file name, so that two git branches that each
issue a batch merge without conflicts; ``amend`` and ``withdraw`` rewrite the one line they change.
"""

from __future__ import annotations

import json
import re
from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from credsite.content.awards import write_atomically
from credsite.content.credential import Award, holder_link
from credsite.errors import ContentError
from credsite.trust.ids import ALPHABET, new_credential_id

REGISTER_DIR = "register"
HOLDER_KEY = re.compile(rf"H[{ALPHABET}]{{16}}")


def new_holder_key() -> str:
    """``H`` + 16 Crockford base32 characters (80 random bits from the OS CSPRNG)."""
    return "H" + new_credential_id()


def is_holder_key(text: str) -> bool:
    return HOLDER_KEY.fullmatch(text) is not None


def normalize_email(email: str) -> str:
    """The form e-mail addresses are compared in (as for the hashed identifier: trimmed, lower)."""
    return email.strip().lower()


@dataclass
class Event:
    """One change in a credential's life, kept so the register says what happened and why."""

    date: str  # UTC timestamp, YYYY-MM-DDTHH:MM:SSZ
    action: str  # issued | amended | withdrawn | reissued | repaired
    detail: str = ""


@dataclass
class HolderRecord:
    """One credential and who holds it (one line of a register file)."""

    id: str
    url: str
    holder: str  # the holder key, H + 16 Crockford base32 characters
    name: str
    email: str | None
    code: str
    awarded: str  # the credential's validFrom
    valid_until: str | None
    issued: str  # when it was signed (proof created)
    test_site: str | None = None
    source: str = ""  # the CSV row it came from, e.g. results-2026-03.csv:7
    state: str = "issued"  # issued | withdrawn
    events: list[Event] = field(default_factory=list)
    # The e-mail hash's salt when it is not in the credential (site.yaml email_salt: link): the
    # holder has it only in their link, so the register keeps it to send that link again.
    email_salt: str | None = None

    @property
    def link(self) -> str:
        """What the holder is given: the URL, with ``#salt=…`` when the salt is kept out of the
        credential (README, Privacy)."""
        return holder_link(self.url, self.email_salt)

    def to_json(self) -> bytes:
        data = dict(vars(self))  # shallow: dataclasses.asdict deep-copies, 4x slower
        data["events"] = [vars(e) for e in self.events]
        if data["email_salt"] is None:
            del data["email_salt"]  # registers written before email_salt existed stay as they are
        return json.dumps(data, ensure_ascii=False, sort_keys=True,
                          separators=(",", ":")).encode("utf-8")

    @classmethod
    def from_json(cls, data: Any, where: str) -> HolderRecord:
        if not isinstance(data, dict):
            raise ContentError("each register line must be a JSON object", where=where)
        try:
            events = [Event(**e) for e in data.get("events") or []]
            record = cls(**{**data, "events": events})
        except TypeError as exc:
            raise ContentError(f"not a register record: {exc}", where=where) from None
        if not is_holder_key(record.holder):
            raise ContentError(f"holder key {record.holder!r} is not H + 16 Crockford base32 "
                               "characters", where=where)
        return record


def register_dir(content: Path) -> Path:
    return content / REGISTER_DIR


def register_path(content: Path, batch: Path) -> Path:
    """The register file of an award batch: same file name, under ``content/register/``."""
    return register_dir(content) / batch.name


def register_files(content: Path) -> list[Path]:
    folder = register_dir(content)
    return sorted(folder.glob("*.jsonl")) if folder.is_dir() else []


def _field_of_line(raw: bytes, name: bytes) -> str | None:
    """The text of a top-level string field of a register line as credsite writes it (compact
    JSON: ``"name":"value"``; inside a string every quote is escaped, so the pattern is only ever
    a field), without parsing the line; None if absent or written some other way."""
    at = raw.find(b'"' + name + b'":"')
    if at < 0:
        return None
    start = at + len(name) + 4
    end = raw.find(b'"', start)
    value = raw[start:end]
    if end < 0 or b"\\" in value:
        return None
    try:
        return value.decode("ascii")
    except UnicodeDecodeError:
        return None


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """The non-blank lines of a register file with their line numbers."""
    try:
        lines = path.read_bytes().split(b"\n")
    except OSError as exc:
        raise ContentError(f"cannot read: {exc.strerror}", where=str(path)) from None
    return ((number, raw) for number, raw in enumerate(lines, start=1) if raw.strip())


def scan_fields(path: Path, names: tuple[str, ...]) -> Iterator[tuple[str | None, ...]]:
    """Some string fields of each line (or None for null), read from the bytes: only a line
    not in credsite's own compact form (a hand-edited one, say) is parsed."""
    patterns = [(name, name.encode(), f'"{name}":null'.encode()) for name in names]
    for number, raw in _lines(path):
        values = [_field_of_line(raw, field) for _, field, _ in patterns]
        if any(value is None and null not in raw
               for value, (_, _, null) in zip(values, patterns, strict=True)):
            record = _parse_line(raw, f"{path}:{number}")
            values = [getattr(record, name) for name in names]
        yield tuple(values)


def keys_and_ids(path: Path) -> tuple[list[str], list[str]]:
    """Each line's holder key and credential ID, in file order."""
    keys, ids = [], []
    for key, cred_id in scan_fields(path, ("holder", "id")):
        keys.append(str(key))
        ids.append(str(cred_id))
    return keys, ids


def read_register_file(path: Path, only: Container[str] | None = None) -> list[HolderRecord]:
    """The records of one register file; with ``only``, the records of those holder keys (and
    maybe a few others: lines not in credsite's own form are parsed to find out), without
    parsing the lines of other holders."""
    records = []
    for number, raw in _lines(path):
        if only is not None:
            key = _field_of_line(raw, b"holder")
            if key is not None and key not in only:
                continue
        records.append(_parse_line(raw, f"{path}:{number}"))
    return records


def _parse_line(raw: bytes, where: str) -> HolderRecord:
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ContentError(f"malformed JSON: {exc}", where=where) from None
    return HolderRecord.from_json(data, where)


def iter_register(content: Path) -> Iterator[tuple[Path, HolderRecord]]:
    """Every register record with its file, in file order."""
    for path in register_files(content):
        for record in read_register_file(path):
            yield path, record


def load_register(content: Path) -> dict[str, HolderRecord]:
    """Every register record by credential ID."""
    return {record.id: record for _, record in iter_register(content)}


def write_register_file(path: Path, records: Iterable[HolderRecord]) -> None:
    write_atomically(path, b"".join(r.to_json() + b"\n" for r in records))


def update_record(content: Path, record: HolderRecord) -> None:
    """Replace the record with the same ID in its register file (atomically)."""
    update_records(content, [record])


def update_records(content: Path, records: Iterable[HolderRecord]) -> None:
    """Replace the records with the same IDs, rewriting each register file once (atomically)."""
    wanted = {r.id: r for r in records}
    left = set(wanted)
    for path in register_files(content):
        current = read_register_file(path)
        if any(r.id in wanted for r in current):
            write_register_file(path, [wanted.get(r.id, r) for r in current])
            left -= {r.id for r in current}
    if left:
        raise ContentError(f"credential(s) {', '.join(sorted(left))} not in the register "
                           f"{register_dir(content)}")


class HolderKeys:
    """Hands out holder keys: the key already recorded for an e-mail address, else a new one."""

    def __init__(self, content: Path) -> None:
        self.by_email: dict[str, str] = {}
        for path in register_files(content):
            # From the raw lines: a million-line register in seconds, not a minute.
            for email, key in scan_fields(path, ("email", "holder")):
                if email and key:
                    self.by_email.setdefault(normalize_email(email), key)

    def key_for(self, email: str | None, given: str | None = None) -> str:
        """``given`` (a holder key from the CSV) wins; then the e-mail's key; then a new key."""
        if given:
            if email:
                self.by_email.setdefault(normalize_email(email), given)
            return given
        if not email:
            return new_holder_key()
        return self.by_email.setdefault(normalize_email(email), new_holder_key())


def record_batch(content: Path, batch: Path, awards: Sequence[Award],
                 credentials: Sequence[dict[str, Any]],
                 salts: Sequence[str | None] | None = None) -> list[HolderRecord]:
    """Write the register file of a freshly written award batch; returns its records.

    ``salts``: per award, the e-mail salt kept out of the credential (or None)."""
    keys = HolderKeys(content)
    records = []
    salt_list = list(salts) if salts is not None else [None] * len(awards)
    for award, credential, salt in zip(awards, credentials, salt_list, strict=True):
        created = str(credential["proof"][0]["created"])
        records.append(HolderRecord(
            id=str(credential["id"]).rsplit("/", 1)[-1], url=str(credential["id"]),
            holder=keys.key_for(award.email, award.holder_key), name=award.holder_name,
            email=award.email, code=award.code, awarded=str(credential["validFrom"]),
            valid_until=credential.get("validUntil"), issued=created,
            test_site=award.test_site, source=award.where,
            events=[Event(created, "issued", f"batch {batch.name}")], email_salt=salt,
        ))
    write_register_file(register_path(content, batch), records)
    return records

"""Bulk issuance: exam results (CSV) → validated awards → one signed batch file.

Every row is validated against the catalog before anything is signed; any bad row stops the run
with one line per problem, and nothing is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from credsite.content.awards import serialize, write_batch_lines
from credsite.content.catalog import CatalogEntry
from credsite.content.credential import EMAIL, Award, build_credential, holder_link, new_email_salt
from credsite.content.inuse import InUse
from credsite.content.register import is_holder_key, record_batch
from credsite.content.site import Site
from credsite.content.yamlfiles import read_text
from credsite.errors import ContentError, CredsiteError, KeyFileError, ProblemList
from credsite.issuer.admission import admit
from credsite.issuer.inuseindex import read_in_use
from credsite.issuer.keys import Signer
from credsite.issuer.revocation import StatusAllocator
from credsite.issuer.sealing import batch_sealer
from credsite.trust.ids import new_credential_id
from credsite.trust.names import check_display_text, check_holder_name
from credsite.trust.proofset import sign_document
from credsite.trust.timestamps import format_timestamp, now_utc, parse_timestamp

REQUIRED_COLUMNS = ("name", "email", "code", "awarded")
OPTIONAL_COLUMNS = ("performance_result", "theory_result", "test_site")
HOLDER_KEY_COLUMN = "holder_key"  # optional: links the row to a holder of the register


def _cell(row: dict[str, str | None], column: str) -> str:
    return (row.get(column) or "").strip()


DELIMITERS = {",": "commas", ";": "semicolons", "\t": "tabs"}
KNOWN_COLUMNS = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS, HOLDER_KEY_COLUMN)


def detect_delimiter(text: str, path: Path) -> str:
    """The separator of a results CSV: the one whose first line names the most known columns.

    Spreadsheets export with commas, or with semicolons where the comma is the decimal sign, or
    with tabs; the header line tells them apart. None naming a single known column is an error
    that says what the first line must hold."""
    first = text.split("\n", 1)[0].rstrip("\r")
    best, best_count = ",", 0
    for delimiter in DELIMITERS:
        try:
            cells = next(csv.reader([first], delimiter=delimiter), [])
        except csv.Error:
            continue
        count = len({c.strip() for c in cells} & set(KNOWN_COLUMNS))
        if count > best_count:
            best, best_count = delimiter, count
    if best_count == 0:
        shown = first if len(first) <= 60 else first[:57] + "..."
        raise ContentError(
            f"the first line must name the columns {', '.join(REQUIRED_COLUMNS)} (and any of "
            f"{', '.join(OPTIONAL_COLUMNS)}), separated by commas, semicolons or tabs; it is "
            f"{shown!r}", where=f"{path}:1")
    return best


def parse_results(
    path: Path, catalog: dict[str, CatalogEntry], now: dt.datetime,
    notes: list[str] | None = None,
) -> list[Award]:
    """Awards from an exam-system CSV export; ProblemList naming every bad line.

    ``notes`` receives what the user should know but need not fix (columns that are ignored)."""
    text = read_text(path).removeprefix("\ufeff")
    delimiter = detect_delimiter(text, path)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in reader.fieldnames or []]
    except csv.Error as exc:
        raise ContentError(f"not a readable CSV file: {exc}", where=f"{path}:1") from None
    reader.fieldnames = header
    repeated = sorted({c for c in header if header.count(c) > 1 and c in KNOWN_COLUMNS})
    if repeated:
        raise ContentError(f"column(s) {', '.join(repeated)} appear more than once",
                           where=f"{path}:1")
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ContentError(
            f"missing column(s) {', '.join(missing)}; expected "
            f"{', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)} (separated by "
            f"{DELIMITERS[delimiter]})", where=f"{path}:1",
        )
    unknown = [c for c in header if c not in KNOWN_COLUMNS]
    if unknown and notes is not None:
        notes.append(f"{path}:1: ignoring column(s) {', '.join(repr(c) for c in unknown)}: "
                     f"credsite reads only {', '.join(KNOWN_COLUMNS)}")
    awards: list[Award] = []
    problems: list[CredsiteError] = []
    rows = iter(reader)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            raise ContentError(f"not a readable CSV row: {exc}",
                               where=f"{path}:{reader.reader.line_num}") from None
        where = f"{path}:{reader.line_num}"
        if None in row:
            problems.append(ContentError("more cells than columns", where=where))
            continue
        try:
            awards.append(_parse_row(row, catalog, now, where))
        except ValueError as exc:
            problems.append(ContentError(str(exc), where=where))
    if problems:
        raise ProblemList(problems, "bad row")
    if not awards:
        raise ContentError("no rows to issue", where=str(path))
    return awards


def _parse_row(
    row: dict[str, Any], catalog: dict[str, CatalogEntry], now: dt.datetime, where: str = ""
) -> Award:
    name = check_holder_name(_cell(row, "name"), "name")
    email = _cell(row, "email")
    if email and not EMAIL.fullmatch(email):
        raise ValueError(f"e-mail {email!r} is not an address")
    code = _cell(row, "code").upper()
    if code not in catalog:
        raise ValueError(f"unknown credential code {code!r}; it must be one of the catalog's codes")
    raw_date = _cell(row, "awarded")
    if not raw_date:
        raise ValueError("'awarded' (award date) is empty")
    awarded = parse_timestamp(raw_date)
    if awarded > now:
        raise ValueError(f"award date {raw_date} is in the future")
    optional = {c: _cell(row, c) or None for c in OPTIONAL_COLUMNS}
    for column, value in optional.items():
        if value is not None:
            optional[column] = check_display_text(value, column)
    holder_key = _cell(row, HOLDER_KEY_COLUMN).upper() or None
    if holder_key is not None and not is_holder_key(holder_key):
        raise ValueError(f"holder_key {holder_key!r} is not a holder key of the register "
                         "(H + 16 characters, as 'credsite find' shows)")
    return Award(name, email or None, code, awarded, **optional, where=where,
                 holder_key=holder_key)


@dataclass(frozen=True)
class Issued:
    credential_id: str
    url: str
    holder: str = ""  # the register's holder key
    link: str = ""  # what the holder is given: url, or url#salt=… (site.yaml email_salt: link)


def check_signer(site: Site, signer: Signer, now: dt.datetime, *, period: bool = True) -> None:
    """KeyFileError unless ``signer`` is a listed, uncompromised key (valid now, with ``period``).

    ``issue`` passes ``period=False``: its rows are then judged by the verification checklist
    itself (credsite.issuer.admission), so a key outside its period gets verify's own message."""
    key = site.key(signer.key_id)
    if key is None or key.public_key != signer.public_multikey:
        raise KeyFileError(
            f"this key ({signer.key_id}, {signer.public_multikey}) is not in site.yaml; "
            "add its public key entry first"
        )
    if key.recovery:
        raise KeyFileError(
            f"key {key.id} is the recovery key: it signs no credential. Use it only to authorize "
            "a new signing key: credsite keygen --out new.key --id KEY-ID --rotate-from "
            "recovery.key")
    if key.compromised_from is not None:
        raise KeyFileError(f"key {key.id} is marked compromised; sign with a new key")
    if period and not key.valid_at(now):
        raise KeyFileError(f"key {key.id} is not valid now (see valid_from/valid_until)")


def fresh_ids(content: Path, site: Site, count: int) -> tuple[list[str], InUse]:
    """``count`` new credential IDs that no award has and that differ from each other, with the
    status entries in use (:func:`~credsite.issuer.inuseindex.read_in_use`: the build's
    indexes, and the batch files they do not hold).

    An ID is 80 random bits, so a repeat is not expected in the life of any site; the check
    stays because a repeat would give two people one URL. IDs found taken are drawn again and
    the awards read again for the new ones only."""
    chosen: list[str] = []
    in_use: InUse | None = None
    while len(chosen) < count:
        drawn: list[str] = []
        seen = set(chosen)
        while len(chosen) + len(drawn) < count:
            cred_id = new_credential_id()
            if cred_id not in seen:
                seen.add(cred_id)
                drawn.append(cred_id)
        found = read_in_use(content, site, drawn)
        in_use = in_use or found
        chosen.extend(cred_id for cred_id in drawn if cred_id not in found.taken)
    return chosen, in_use or InUse()


def sign_credential(document: dict[str, Any], signer: Signer, method: str,
                    created: str) -> dict[str, Any]:
    """``document`` (without proof) with every proof credsite issues on a credential: the
    eddsa-jcs-2022 and eddsa-rdfc-2022 proof set (:mod:`credsite.trust.proofset`)."""
    try:
        return sign_document(document, signer.sign, method, created)
    except ValueError as exc:  # RDF canonicalization refuses it (see credsite.trust.rdfc)
        raise ContentError(f"credential {document.get('id')} cannot be signed: {exc}") from None


@dataclass
class SignedBatch:
    """A batch signed and verified in memory: nothing written yet (what ``--dry-run`` shows)."""

    awards: list[Award]
    credentials: list[dict[str, Any]]
    issued: list[Issued]
    warnings: list[str]
    allocator: StatusAllocator
    lines: list[bytes]  # each credential as it is stored (its JCS form)
    # Per award, the e-mail salt kept out of the credential (site.yaml email_salt: link), or None.
    salts: list[str | None]


def sign_batch(
    content: Path,
    site: Site,
    catalog: dict[str, CatalogEntry],
    awards: list[Award],
    signer: Signer,
    now: dt.datetime | None = None,
    *,
    strict: bool = False,
    progress: Callable[[int], None] | None = None,
) -> SignedBatch:
    """Sign ``awards`` in memory and verify every one (:func:`credsite.issuer.admission.admit`):
    a row that would not verify raises ProblemList; warnings (already expired) are returned,
    errors with ``strict``. Writes nothing. ``progress`` is called with 1 for each credential
    signed and again for each verified (2 × len(awards) in all)."""
    now = now or now_utc()
    check_signer(site, signer, now, period=False)
    new_ids, in_use = fresh_ids(content, site, len(awards))
    allocator = StatusAllocator(content, site, in_use)
    method = site.verification_method(signer.key_id)
    created = format_timestamp(now)
    credentials, issued = [], []
    salts: list[str | None] = []
    for award, cred_id in zip(awards, new_ids, strict=True):
        salt = new_email_salt() if award.email and site.email_salt_in_link else None
        salts.append(salt)
        document = build_credential(site, catalog[award.code], award, cred_id, allocator.allocate(),
                                    private_salt=salt)
        credentials.append(sign_credential(document, signer, method, created))
        url = site.credential_url(cred_id)
        issued.append(Issued(cred_id, url, link=holder_link(url, salt)))
        if progress:
            progress(1)
    lines = [serialize(c) for c in credentials]
    warnings = admit([(a.where or f"row {n}", c, line) for n, (a, c, line) in
                      enumerate(zip(awards, credentials, lines, strict=True), start=1)],
                     site, catalog, now, strict=strict, progress=progress)
    return SignedBatch(awards, credentials, issued, warnings, allocator, lines, salts)


def write_signed(content: Path, signed: SignedBatch, signer: Signer) -> tuple[Path, list[Issued]]:
    """Write a signed batch: new status lists, the award batch, its register file."""
    signed.allocator.publish_new_lists(signer)
    batch = write_batch_lines(content, signed.lines,
                              sealer=batch_sealer(signed.allocator.site, signer))
    records = record_batch(content, batch, signed.awards, signed.credentials, signed.salts)
    return batch, [Issued(r.id, r.url, r.holder, r.link) for r in records]


def issue(
    content: Path,
    site: Site,
    catalog: dict[str, CatalogEntry],
    awards: list[Award],
    signer: Signer,
    now: dt.datetime | None = None,
    *,
    strict: bool = False,
    warn: Callable[[str], None] | None = None,
) -> tuple[Path, list[Issued]]:
    """Sign ``awards`` and write them as one new batch; returns the batch path and the new IDs.

    Every signed credential is verified first (:func:`sign_batch`): a row that would not verify
    stops the run before anything is written; ``warn`` receives the warnings (already expired),
    which ``strict`` turns into errors."""
    signed = sign_batch(content, site, catalog, awards, signer, now, strict=strict)
    for warning in signed.warnings:
        (warn or (lambda _: None))(warning)
    return write_signed(content, signed, signer)

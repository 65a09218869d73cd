"""The report of one ``credsite issue`` run: each CSV row with its new ID and URL (mail merge).

Written beside the results CSV (it holds e-mail addresses, like the CSV itself, so it belongs
with the exam system's exports, not in the published site); the register keeps the same facts
for good (credsite.content.register).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from credsite.content.awards import write_atomically
from credsite.content.credential import Award
from credsite.trust.ids import format_credential_id
from credsite.trust.timestamps import format_timestamp

COLUMNS = ("row", "name", "email", "code", "awarded", "id", "id_grouped", "url", "holder_key",
           "link")


def default_report_path(results: Path, batch: Path) -> Path:
    """``<results stem>.<batch stem>.csv`` beside the results CSV: one report per run."""
    return results.with_name(f"{results.stem}.{batch.stem}.csv")


def write_report(path: Path, awards: Sequence[Award],
                 issued: Sequence[tuple[str, str, str, str]]) -> None:
    """``issued``: (credential ID, URL, holder key, link) per award, in the same order.

    ``link`` is what to send the holder: the URL, or with site.yaml ``email_salt: link`` the URL
    with the e-mail salt in its fragment (``#salt=…``), which nothing else holds but the register."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for award, (cred_id, url, holder, link) in zip(awards, issued, strict=True):
        row = award.where.rsplit(":", 1)[-1] if award.where else ""
        writer.writerow([row, award.holder_name, award.email or "", award.code,
                         format_timestamp(award.awarded), cred_id,
                         format_credential_id(cred_id), url, holder, link or url])
    write_atomically(path, buffer.getvalue().encode("utf-8"))

"""Award batches: ``content/awards/*.jsonl``, one signed credential per line.

Batches keep 100,000 awards in a few hundred files instead of 100,000; a line's bytes are the
published ``/c/<ID>.json`` byte for byte. Reading streams line by line.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from credsite.errors import ContentError
from credsite.trust.dataintegrity import canonicalize
from credsite.trust.seal import SEAL_SUFFIX
from credsite.trust.timestamps import now_utc


@dataclass(frozen=True)
class AwardLine:
    path: Path
    line: int
    raw: bytes  # the line without its newline: the credential file's exact bytes

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def batch_files(content: Path) -> list[Path]:
    folder = content / "awards"
    return sorted(folder.glob("*.jsonl")) if folder.is_dir() else []


def iter_award_lines(paths: Iterable[Path]) -> Iterator[AwardLine]:
    for path in paths:
        try:
            handle = path.open("rb")
        except OSError as exc:
            raise ContentError(f"cannot read: {exc.strerror}", where=str(path)) from None
        with handle:
            for number, raw in enumerate(handle, start=1):
                raw = raw.rstrip(b"\r\n")
                if raw.strip():
                    yield AwardLine(path, number, raw)


def lines_mentioning(paths: Iterable[Path], texts: Iterable[str],
                     also: Callable[[bytes], bool] | None = None) -> Iterator[AwardLine]:
    """The award lines whose bytes contain one of ``texts`` (and pass ``also``), in file order,
    without parsing the others: how ``revoke`` finds its IDs and ``issue`` the awards that a
    row might repeat, at a million awards (issue 20). Each text is searched for in the whole
    file (C speed), so lines that hold none of them cost nothing. A record can only hide a text
    by writing it with JSON escapes (``\\u0041``), so every line of a file holding an escape is
    given too."""
    needles = [text.encode("utf-8") for text in texts]
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ContentError(f"cannot read: {exc.strerror}", where=str(path)) from None
        escaped = b"\\u" in data  # then neither the texts nor ``also`` can be trusted
        if escaped:
            starts: Iterable[int] = _line_starts(data)
        else:
            found: set[int] = set()
            for needle in needles:
                at = data.find(needle)
                while at >= 0:
                    found.add(data.rfind(b"\n", 0, at) + 1)
                    at = data.find(needle, at + len(needle))
            starts = sorted(found)
        line, counted = 1, 0
        for start in starts:
            line += data.count(b"\n", counted, start)
            counted = start
            end = data.find(b"\n", start)
            raw = data[start:end if end >= 0 else len(data)].rstrip(b"\r")
            if raw.strip() and (escaped or also is None or also(raw)):
                yield AwardLine(path, line, raw)


def _line_starts(data: bytes) -> Iterator[int]:
    at = 0
    while at < len(data):
        yield at
        end = data.find(b"\n", at)
        at = len(data) if end < 0 else end + 1


@dataclass(frozen=True)
class Span:
    """A run of whole lines of one batch file, by byte range: a build worker reads it itself."""

    path: Path
    start: int
    end: int
    first_line: int
    lines: int


def spans(paths: Iterable[Path], lines_per_span: int) -> Iterator[Span]:
    """Cut every batch file into spans of about ``lines_per_span`` lines."""
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ContentError(f"cannot read: {exc.strerror}", where=str(path)) from None
        start, line = 0, 1
        while start < len(data):
            end, count = start, 0
            while count < lines_per_span and end < len(data):
                newline = data.find(b"\n", end)
                end = len(data) if newline < 0 else newline + 1
                count += 1
            yield Span(path, start, end, line, count)
            start, line = end, line + count


def span_lines(span: Span) -> Iterator[AwardLine]:
    with span.path.open("rb") as handle:
        handle.seek(span.start)
        data = handle.read(span.end - span.start)
    for number, raw in enumerate(data.split(b"\n"), start=span.first_line):
        raw = raw.rstrip(b"\r")
        if raw.strip():
            yield AwardLine(span.path, number, raw)


def parse_award(line: AwardLine) -> dict[str, Any]:
    """The credential on a line; ContentError naming file and line if it is not a JSON object."""
    try:
        text = line.raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError(f"not UTF-8 (byte {exc.start})", where=line.where) from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ContentError(
            f"malformed JSON at column {exc.colno}: {exc.msg}", where=line.where
        ) from None
    except RecursionError:
        raise ContentError("malformed JSON: nested too deeply", where=line.where) from None
    if not isinstance(value, dict):
        raise ContentError("each line must be one JSON object (a credential)", where=line.where)
    return value


def serialize(credential: dict[str, Any]) -> bytes:
    """One line: the credential's JCS canonical form (compact, UTF-8, keys sorted, no newline).

    A record stored canonically lets verifiers hash the stored bytes (less its proof) instead of
    canonicalizing the parsed document again; see ``dataintegrity.verify_proof``.
    """
    return canonicalize(credential)


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


Sealer = Callable[[str, bytes], dict[str, Any]]
"""Makes the seal of a batch file from its name and bytes (``credsite.issuer.sealing``)."""


def seal_path(batch: Path) -> Path:
    """``<batch>.jsonl.seal``: the issuing key's signature over the batch file's SHA-256."""
    return batch.with_name(batch.name + SEAL_SUFFIX)


def _write_sealed(path: Path, data: bytes, sealer: Sealer) -> None:
    seal = json.dumps(sealer(path.name, data), ensure_ascii=False, indent=1).encode() + b"\n"
    write_atomically(path, data)
    write_atomically(seal_path(path), seal)


def write_batch(content: Path, credentials: list[dict[str, Any]], label: str = "batch", *,
                sealer: Sealer) -> Path:
    """A new batch file named by time and a random suffix, and its seal; never overwrites."""
    return write_batch_lines(content, [serialize(c) for c in credentials], label, sealer=sealer)


def write_batch_lines(content: Path, lines: list[bytes], label: str = "batch", *,
                      sealer: Sealer) -> Path:
    """:func:`write_batch` for credentials already serialized (:func:`serialize`)."""
    stamp = now_utc().strftime("%Y%m%dT%H%M%SZ")
    path = content / "awards" / f"{stamp}-{label}-{secrets.token_hex(3)}.jsonl"
    _write_sealed(path, b"".join(line + b"\n" for line in lines), sealer)
    return path


def rewrite_batch(path: Path, lines: list[bytes], *, sealer: Sealer) -> None:
    """Replace a batch file's lines, and seal it anew."""
    _write_sealed(path, b"".join(line + b"\n" for line in lines), sealer)

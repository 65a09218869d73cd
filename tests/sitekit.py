"""Mini credential sites made in temporary folders, and helpers to check what the build made.

``make_site(root, base_url)`` writes a content tree (site.yaml with a fresh key from
``credsite.issuer.keys.generate``, three catalog entries, one with ``validity_years``, one page) and an
unencrypted key file, and returns a :class:`MiniSite` that issues awards through the real
issuance code (or ``credsite issue`` with ``via="cli"``) and builds through the real build.
Tests never use the demo key: every site here has its own.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from credsite import cli
from credsite.build.pipeline import build_site
from credsite.content.awards import (
    batch_files,
    iter_award_lines,
    parse_award,
    rewrite_batch,
    seal_path,
    serialize,
)
from credsite.content.catalog import CatalogEntry, load_catalog
from credsite.content.site import Site, load_site
from credsite.issuer import issuance, keys
from credsite.issuer.sealing import batch_sealer
from credsite.trust.proofset import sign_document

BASE_URL = "http://127.0.0.1:8765"
CSV_COLUMNS = ["name", "email", "code", "awarded", "performance_result", "theory_result",
               "test_site"]

# code → (name, group, validity_years)
CATALOG: dict[str, tuple[str, str, int | None]] = {
    "TEST-MMS": ("Measurement, Materials & Safety", "Machining Level I", None),
    "TEST-CNC": ("CNC Milling: Operations", "Machining Level I", 5),
    "TEST-PB": ("Press Brake: Setup & Operations", "Metalforming Level I", None),
}
VALIDITY_CODE = "TEST-CNC"  # the entry with validity_years


def award_row(name: str = "Ada Lovelace", code: str = "TEST-MMS",
              awarded: str = "2026-03-14T15:00:00Z", **extra: str) -> dict[str, str]:
    """One CSV row with sensible defaults (override any column by keyword)."""
    return {"name": name, "email": "ada@example.org", "code": code, "awarded": awarded,
            "performance_result": "Pass", "theory_result": "88%", "test_site": "Test Center",
            **extra}


@dataclass
class MiniSite:
    root: Path
    base_url: str
    signer: keys.Signer
    key_path: Path
    content: Path = field(init=False)
    freshness_signer: keys.Signer | None = field(default=None, init=False)
    _csv_count: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self.content = self.root / "content"

    # ------------------------------------------------------------------ loading
    @property
    def site(self) -> Site:
        """site.yaml as loaded now (re-read on every access, so edits are seen)."""
        return load_site(self.content)

    @property
    def catalog(self) -> dict[str, CatalogEntry]:
        return load_catalog(self.content)

    @property
    def site_yaml(self) -> Path:
        return self.content / "site.yaml"

    @property
    def awards_dir(self) -> Path:
        return self.content / "awards"

    # ------------------------------------------------------------------ issuing
    def write_csv(self, rows: list[dict[str, str]], columns: list[str] | None = None,
                  name: str | None = None, bom: bool = False) -> Path:
        """Write ``rows`` as a results CSV beside the content folder; returns its path."""
        columns = columns or CSV_COLUMNS
        self._csv_count += 1
        path = self.root / (name or f"results-{self._csv_count}.csv")
        with path.open("w", newline="", encoding="utf-8-sig" if bom else "utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows({c: r.get(c, "") for c in columns} for r in rows)
        return path

    def issue(self, rows: list[dict[str, str]] | None = None, *, via: str = "api",
              now: dt.datetime | None = None) -> list[str]:
        """Issue ``rows`` (default: one row) and return the new IDs, in row order."""
        rows = rows if rows is not None else [award_row()]
        path = self.write_csv(rows)
        if via == "cli":
            return self.issue_cli(path)
        site, catalog = self.site, self.catalog
        moment = now or dt.datetime.now(dt.UTC)
        awards = issuance.parse_results(path, catalog, moment)
        _, issued = issuance.issue(self.content, site, catalog, awards, self.signer)
        return [item.credential_id for item in issued]

    def issue_cli(self, csv_path: Path) -> list[str]:
        import contextlib
        import io

        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(["issue", str(csv_path), "--content", str(self.content),
                             "--key", str(self.key_path)])
        if code != 0:
            raise AssertionError(f"credsite issue failed ({code}): {err.getvalue()}")
        return [line.split()[0] for line in out.getvalue().splitlines()
                if line and not line.startswith(("issued ", "report "))]

    # ------------------------------------------------------------------ stored credentials
    def batches(self) -> list[Path]:
        return batch_files(self.content)

    def credentials(self) -> dict[str, dict[str, Any]]:
        """Every stored credential by ID."""
        found = {}
        for line in iter_award_lines(batch_files(self.content)):
            credential = parse_award(line)
            found[credential["id"].rsplit("/", 1)[-1]] = credential
        return found

    def credential(self, cred_id: str) -> dict[str, Any]:
        return self.credentials()[cred_id]

    def sign(self, credential: dict[str, Any], signer: keys.Signer | None = None,
             key_id: str | None = None) -> dict[str, Any]:
        """Re-sign ``credential`` (its proof is replaced) with the site key or ``signer``."""
        signer = signer or self.signer
        unsigned = {k: v for k, v in credential.items() if k != "proof"}
        created = "2026-03-14T15:00:00Z"
        proof = credential.get("proof")
        if isinstance(proof, list) and proof and isinstance(proof[0], dict):
            created = proof[0].get("created", created)
        method = f"{self.site.did}#{key_id or signer.key_id}"
        return sign_document(unsigned, signer.sign, method, created)

    def rewrite(self, cred_id: str, change: Callable[[dict[str, Any]], Any],
                resign: bool | keys.Signer = False) -> None:
        """Apply ``change(credential)`` to one stored credential, re-signing it if asked
        (``resign=True``: with the site key; or with the given signer). The batch is sealed again
        with the site key, as the issuer's tools do (a test that edits a batch file's bytes
        itself leaves its seal stale)."""
        for path in batch_files(self.content):
            lines, hit = [], False
            for line in iter_award_lines([path]):
                credential = parse_award(line)
                if credential["id"].endswith("/" + cred_id):
                    change(credential)
                    if resign:
                        credential = self.sign(
                            credential, resign if isinstance(resign, keys.Signer) else None)
                    lines.append(serialize(credential))
                    hit = True
                else:
                    lines.append(line.raw)
            if hit:
                rewrite_batch(path, lines, sealer=batch_sealer(self.site, self.signer))

    def seal(self, *batches: Path) -> None:
        """Seal batch files a test wrote itself, as the issuer's tools seal what they write."""
        sealer = batch_sealer(self.site, self.signer)
        for path in batches:
            data = path.read_bytes()
            seal_path(path).write_text(json.dumps(sealer(path.name, data)), encoding="utf-8")

    def build(self, out: Path | None = None, **options: Any) -> Path:
        """``credsite.build.pipeline.build_site`` into ``out`` (default: ``root/output``)."""
        out = out or self.root / "output"
        build_site(self.content, out, quiet=True, **options)
        return out

    # ------------------------------------------------------------------ status freshness
    def add_freshness_key(self, key_id: str = "freshness-1",
                          valid_from: str = "2024-01-01T00:00:00Z") -> keys.Signer:
        """Create an online freshness key authorized by the site key (the real
        ``credsite.issuer.freshness.create_key``), list it in site.yaml, and return it."""
        from credsite.issuer import freshness
        from credsite.trust.timestamps import parse_timestamp

        signer, entry = freshness.create_key(self.site, self.signer, key_id,
                                             parse_timestamp(valid_from))
        text = self.site_yaml.read_text(encoding="utf-8")
        if "freshness_keys:" not in text:
            text += "freshness_keys:\n"
        auth = entry["authorized_by"]
        text += (f"  - id: {key_id}\n    public_key: {entry['public_key']}\n"
                 f"    valid_from: {entry['valid_from']}\n"
                 f"    authorized_by: {{key: {auth['key']}, signature: {auth['signature']}}}\n")
        self.site_yaml.write_text(text, encoding="utf-8")
        self.freshness_signer = signer
        return signer

    def sign_freshness(self, now: dt.datetime | None = None, days: int = 10,
                       signer: keys.Signer | None = None) -> dict[str, Any]:
        """Sign ``content/status/freshness.json`` as ``credsite freshness-sign`` does."""
        from credsite.issuer import freshness

        signer = signer or self.freshness_signer
        assert signer is not None, "call add_freshness_key first"
        _, statement = freshness.sign(self.content, self.site, signer,
                                      now or dt.datetime.now(dt.UTC).replace(microsecond=0), days)
        return statement

    def snapshot(self) -> dict[str, bytes]:
        """Every file under content/ with its bytes (to prove that nothing was written)."""
        return {str(p.relative_to(self.content)): p.read_bytes()
                for p in sorted(self.content.rglob("*")) if p.is_file()}


def make_site(root: Path, base_url: str = BASE_URL, *,
                    key_valid_from: str = "2024-01-01T00:00:00Z",
                    key_id: str = "key-1") -> MiniSite:
    content = root / "content"
    for sub in ("credentials", "pages", "awards"):
        (content / sub).mkdir(parents=True, exist_ok=True)
    signer = keys.generate(key_id)
    key_path = root / "signing.key"
    keys.write_key_file(key_path, signer, None)
    (content / "site.yaml").write_text(
        f"base_url: {base_url}\ntitle: Test Institute credentials\ndemo: true\n"
        "issuer:\n  name: Test Institute\n  url: https://test.example/\n"
        "  email: credentials@test.example\n  description: A test issuer.\n"
        f"keys:\n  - id: {key_id}\n    public_key: {signer.public_multikey}\n"
        f"    valid_from: {key_valid_from}\n", encoding="utf-8")
    for order, (code, (name, group, years)) in enumerate(CATALOG.items(), start=1):
        validity = f"validity_years: {years}\n" if years else ""
        (content / "credentials" / f"{code}.md").write_text(
            f"---\ncode: {code}\nname: {json.dumps(name)}\nlevel: Level I\ngroup: {group}\n"
            f"category: Test\norder: {order}\nperformance_exam: Make a part within ±0.005 in.\n"
            f"theory_exam: 50 questions in 90 minutes.\n{validity}skills: [testing]\n---\n"
            f"What {name} certifies.\n", encoding="utf-8")
    (content / "pages" / "about.md").write_text(
        "---\ntitle: About\ndescription: About the test site.\nnav: 1\n---\n"
        "See the [catalog](/credentials/).\n", encoding="utf-8")
    return MiniSite(root, base_url, signer, key_path)



row = award_row

# --------------------------------------------------------------------------- checking built sites
# Helpers for tests/test_build*.py: snapshots of output trees and a strict look at built HTML.

VOID_ELEMENTS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                           "source", "track", "wbr"})


def tree_snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (dot files included) by relative path, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() or p.is_symlink()}


def tree_differences(left: dict[str, bytes], right: dict[str, bytes]) -> list[str]:
    """Readable differences between two snapshots (empty when they are identical)."""
    problems = [f"only in the first: {p}" for p in sorted(left.keys() - right.keys())]
    problems += [f"only in the second: {p}" for p in sorted(right.keys() - left.keys())]
    problems += [f"different bytes: {p}" for p in sorted(left.keys() & right.keys())
                 if left[p] != right[p]]
    return problems


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    line: int
    text: str = ""  # text directly inside script/style/title elements


@dataclass
class ParsedPage:
    """One HTML page read with the stdlib parser, plus every strictness problem found."""

    elements: list[Element]
    ids: set[str]
    problems: list[str]
    doctype: str | None

    def find(self, tag: str, **attrs: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag
                and all(e.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())]


def parse_page(html: str) -> ParsedPage:
    """Parse with ``html.parser`` and check: balanced non-void tags, no end tags for void
    elements, no self-closing non-void HTML elements (SVG may self-close), unique ids and
    attributes, a doctype, ``<html lang>``, exactly one ``<main>`` and one non-empty ``<title>``."""

    elements: list[Element] = []
    problems: list[str] = []
    ids: dict[str, int] = {}
    stack: list[tuple[str, int]] = []
    doctype: list[str] = []
    capture: list[Element] = []

    class Parser(HTMLParser):
        def _open(self, tag: str, attrs: list[tuple[str, str | None]]) -> Element:
            line = self.getpos()[0]
            names = [name for name, _ in attrs]
            for name in {n for n in names if names.count(n) > 1}:
                problems.append(f"line {line}: <{tag}> repeats the attribute {name}")
            element = Element(tag, dict(attrs), line)
            elements.append(element)
            if "id" in element.attrs:
                value = element.attrs["id"] or ""
                if value in ids:
                    problems.append(f"line {line}: duplicate id {value!r} (first on line {ids[value]})")
                ids.setdefault(value, line)
            return element

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            element = self._open(tag, attrs)
            if tag not in VOID_ELEMENTS:
                stack.append((tag, element.line))
                capture.append(element)

        def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self._open(tag, attrs)
            if tag not in VOID_ELEMENTS and not any(t == "svg" for t, _ in stack):
                problems.append(f"line {self.getpos()[0]}: <{tag}/> is not a void element")

        def handle_endtag(self, tag: str) -> None:
            line = self.getpos()[0]
            if tag in VOID_ELEMENTS:
                problems.append(f"line {line}: end tag </{tag}> for a void element")
                return
            if not stack or stack[-1][0] != tag:
                open_tag = f"<{stack[-1][0]}> from line {stack[-1][1]}" if stack else "nothing"
                problems.append(f"line {line}: </{tag}> closes {open_tag}")
                return
            stack.pop()
            capture.pop()

        def handle_data(self, data: str) -> None:
            if capture:
                capture[-1].text += data

        def handle_decl(self, decl: str) -> None:
            doctype.append(decl)

    parser = Parser(convert_charrefs=True)
    parser.feed(html)
    parser.close()
    problems += [f"<{tag}> from line {line} is never closed" for tag, line in stack]
    if [d.lower() for d in doctype] != ["doctype html"]:
        problems.append(f"expected one <!doctype html>, found {doctype}")
    html_elements = [e for e in elements if e.tag == "html"]
    if len(html_elements) != 1 or not (html_elements[0].attrs.get("lang") or "").strip():
        problems.append("expected one <html> element with a lang attribute")
    if len([e for e in elements if e.tag == "main"]) != 1:
        problems.append("expected exactly one <main>")
    heads = [i for i, e in enumerate(elements) if e.tag in ("head", "body")]
    titles = [e for e in elements[heads[0]:heads[-1]] if e.tag == "title"] if len(heads) == 2 else []
    if len(titles) != 1 or not titles[0].text.strip():
        problems.append("expected exactly one non-empty <title> in <head>")
    return ParsedPage(elements, set(ids), problems, doctype[0] if doctype else None)


def qr_modules(svg_path_d: str, size: int) -> list[list[bool]]:
    """The dark modules of a QR code drawn as one SVG path of 1-unit strokes (``M``/``m``
    moves, ``H``/``h``/``V``/``v`` lines), as a ``size`` × ``size`` grid of the viewBox."""
    import math
    import re

    grid = [[False] * size for _ in range(size)]
    x = y = 0.0
    tokens = re.findall(r"[A-Za-z]|-?(?:\d+\.?\d*|\.\d+)", svg_path_d)
    command = ""
    i = 0
    while i < len(tokens):
        if tokens[i].isalpha():
            command = tokens[i]
            i += 1
            if command in "Zz":
                continue
        if command in "Mm":
            dx, dy = float(tokens[i]), float(tokens[i + 1])
            i += 2
            x, y = (x + dx, y + dy) if command == "m" else (dx, dy)
            command = "l" if command == "m" else "L"  # SVG: further pairs are line-tos
            continue
        if command in "HhVv":
            value = float(tokens[i])
            i += 1
            if command in "Hh":
                end = x + value if command == "h" else value
                row = math.floor(y)
                for col in range(math.floor(min(x, end)), math.ceil(max(x, end))):
                    grid[row][col] = True
                x = end
            else:
                end = y + value if command == "v" else value
                col = math.floor(x)
                for row in range(math.floor(min(y, end)), math.ceil(max(y, end))):
                    grid[row][col] = True
                y = end
            continue
        raise ValueError(f"unsupported path command {command!r} in a QR path")
    return grid

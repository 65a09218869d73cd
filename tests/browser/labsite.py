"""A small site with holders that have several credentials, one revoked and one expired.

``make_lab(root)`` issues through the real issuance code, revokes through the real revocation
code and builds through the real build, at ``http://localhost:8000`` (answered inside a browser
context by :func:`sitehost.host_site`, so no port is taken). Used by the batch check, the bad
verdict and the holder page tests.

Holders: Ada has TEST-MMS (current), TEST-CNC (awarded 2019, five years: expired) and TEST-PB
(revoked); Ben has TEST-MMS and TEST-PB; Cy has TEST-CNC (current).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from sitekit import MiniSite, award_row, make_site  # noqa: E402

from credsite.issuer.revocation import revoke  # noqa: E402

BASE = "http://localhost:8000"


@dataclass
class Lab:
    site: MiniSite
    out: Path
    ids: dict[str, str]  # "ada-mms", "ada-cnc", "ada-pb", "ben-mms", "ben-pb", "cy-cnc" → ID

    def record(self, key: str) -> str:
        return (self.out / "c" / f"{self.ids[key]}.json").read_text(encoding="utf-8")

    def url(self, key: str) -> str:
        return f"{BASE}/c/{self.ids[key]}"


ROWS = {
    "ada-mms": award_row("Ada Lovelace", "TEST-MMS", "2026-03-14T15:00:00Z", email="ada@example.org"),
    "ada-cnc": award_row("Ada Lovelace", "TEST-CNC", "2019-01-10T15:00:00Z", email="ada@example.org"),
    "ada-pb": award_row("Ada Lovelace", "TEST-PB", "2026-03-20T15:00:00Z", email="ada@example.org"),
    "ben-mms": award_row("Ben Okafor", "TEST-MMS", "2026-04-02T15:00:00Z", email="ben@example.org"),
    "ben-pb": award_row("Ben Okafor", "TEST-PB", "2026-04-03T15:00:00Z", email="ben@example.org"),
    "cy-cnc": award_row("Cy Tran", "TEST-CNC", "2026-05-05T15:00:00Z", email="cy@example.org"),
}


def make_lab(root: Path, languages: str | None = None) -> Lab:
    """The lab, built; ``languages``: site.yaml's ``languages`` value (``"[en, es]"``)."""
    site = make_site(root, BASE)
    if languages is not None:
        site.site_yaml.write_text(site.site_yaml.read_text(encoding="utf-8")
                                  + f"languages: {languages}\n", encoding="utf-8")
    ids = dict(zip(ROWS, site.issue(list(ROWS.values())), strict=True))
    revoke(site.content, site.site, site.signer, [ids["ada-pb"]], "issued in error")
    return Lab(site, site.build(), ids)

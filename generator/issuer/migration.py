"""``credsite migrate``: re-sign a site made before credsite 0.2 in the current form.

credsite 0.1 stored an ``eddsa-jcs-2022`` proof without the ``@context`` it hashed (other
verifiers reject it, vc-di-eddsa §3.3.2) and no ``eddsa-rdfc-2022`` proof (which wallets need).
Migration re-signs every award and every status list with the current key: the documents keep
their IDs, URLs, dates, status entries and revocation bits; only the proofs change (a proof set of
both suites, ``created`` now: the key is judged when it signs) and each batch gets its seal. Every
award must verify first (a legacy proof of the site's own key is accepted), and every re-signed
award is verified with both proofs before anything is written. ``dry_run`` writes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from credsite.content.awards import batch_files, iter_award_lines, parse_award, rewrite_batch, serialize
from credsite.content.catalog import CatalogEntry
from credsite.content.site import Site
from credsite.content.status import load_status_lists
from credsite.errors import ContentError, CredsiteError, ProblemList
from credsite.issuer.admission import admit
from credsite.issuer.issuance import check_signer, sign_credential
from credsite.issuer.keys import Signer
from credsite.issuer.revocation import save_list
from credsite.issuer.sealing import batch_sealer
from credsite.trust.timestamps import format_timestamp, now_utc
from credsite.trust.verify import verify_credential


@dataclass
class Migration:
    """What migrating changes (or, with ``dry_run``, would change)."""

    awards: int = 0
    changed: int = 0
    batches: list[Path] = field(default_factory=list)
    lists: list[int] = field(default_factory=list)

    def lines(self, dry_run: bool) -> list[str]:
        verb = "would re-sign" if dry_run else "re-signed"
        return [f"{verb} {self.changed} of {self.awards} award(s) in {len(self.batches)} batch "
                f"file(s) and {len(self.lists)} status list(s); IDs, URLs, dates and revocations "
                "are kept" + (" (dry run: nothing written)" if dry_run else "")]


def migrate(content: Path, site: Site, catalog: dict[str, CatalogEntry], signer: Signer, *,
            dry_run: bool = False, now: dt.datetime | None = None) -> Migration:
    now = now or now_utc()
    check_signer(site, signer, now)
    method, created = site.verification_method(signer.key_id), format_timestamp(now)
    lists = load_status_lists(content, site)
    problems: list[CredsiteError] = []
    result = Migration()
    rewritten: list[tuple[Path, list[bytes]]] = []
    for path in batch_files(content):
        lines: list[bytes] = []
        signed: list[tuple[str, dict[str, object], bytes]] = []
        for line in iter_award_lines([path]):
            credential = parse_award(line)
            report = verify_credential(credential, site, catalog, now, lists.check, text=line.raw,
                                       rdfc=True)
            failure = report.first_failure
            if not report.integrity_ok and failure is not None:
                hint = ("; use `credsite reissue --from-key`" if report.signed_by_compromised_key
                        else "")
                problems.append(ContentError(f"[{failure.name}] {failure.reason}{hint}",
                                             where=line.where))
                continue
            unsigned = {k: v for k, v in credential.items() if k != "proof"}
            new = sign_credential(unsigned, signer, method, created)
            raw = serialize(new)
            signed.append((line.where, new, raw))
            lines.append(raw)
            result.awards += 1
            result.changed += raw != line.raw
        if signed:
            admit(signed, site, catalog, now)  # both proofs verified before anything is written
        rewritten.append((path, lines))
        result.batches.append(path)
    if problems:
        raise ProblemList(problems, "award that does not verify (nothing was changed)")
    result.lists = sorted(lists.lists)
    if dry_run:
        return result
    sealer = batch_sealer(site, signer)
    for path, lines in rewritten:
        rewrite_batch(path, lines, sealer=sealer)
    for number in result.lists:
        save_list(content, site, signer, number, lists.lists[number])
    return result

"""The ``credsite`` command line: parse options, call the library, print OK/FAIL lines.

Errors are printed as one line (``error: …``) with exit status 1; ``--verbose`` adds tracebacks.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from credsite import __version__
from credsite.errors import CredsiteError

if TYPE_CHECKING:
    from credsite.issuer.keys import Signer
    from credsite.issuer.pinning import Pin
    from credsite.trust.issuer import Site

Handler = Callable[[argparse.Namespace], int]
# Commands that write content/: each holds the content folder's lock (credsite.content.lock)
# from before it reads anything until it has written everything, so concurrent runs serialize.
ALLOW_HTTP = ("accept an http:// base URL other than localhost (a test: did:web is resolved over "
              "https only, so nobody else could verify the credentials)")
MAX_WARNINGS = 10  # beyond this, issue prints the first few and a count (a legacy import)
WRITING_COMMANDS = frozenset({"issue", "revoke", "reissue", "repair-status", "amend", "withdraw",
                              "import", "reinstate", "freshness-sign", "migrate"})


def _content(args: argparse.Namespace) -> Path:
    return Path(args.content)


def cmd_keygen(args: argparse.Namespace) -> int:
    from credsite.content.site import load_site
    from credsite.issuer import keys, rotation
    from credsite.trust.timestamps import format_timestamp, now_utc

    old = keys.load_signer(Path(args.rotate_from)) if args.rotate_from else None
    site = load_site(_content(args)) if old else None
    old_entry = site.key(old.key_id) if site and old else None
    if old and (old_entry is None or old_entry.public_key != old.public_multikey):
        raise CredsiteError(f"--rotate-from: key {old.key_id} ({old.public_multikey}) is not in "
                            f"{_content(args) / 'site.yaml'}")
    signer = keys.generate(args.id)
    passphrase = None if args.no_passphrase else keys.passphrase_from_env_or_prompt(confirm=True)
    # A rotated key takes over the old key's valid_from by default. Keys are judged by when they
    # sign (proof created), so this is not needed for old award dates; it keeps the new key
    # authorized by the old one even after the old key is later marked compromised, as long as the
    # compromise came after that date (credsite.trust.keychain).
    default_from = old_entry.valid_from if old_entry else now_utc()
    valid_from = args.valid_from or format_timestamp(default_from)
    entry = {"id": args.id, "public_key": signer.public_multikey, "valid_from": valid_from}
    if old and site:
        entry["authorized_by"] = {"key": old.key_id,
                                  "signature": rotation.authorize(old, entry, site.did)}
    keys.write_key_file(Path(args.out), signer, passphrase)
    print(f"wrote {args.out} (mode 0600{', encrypted' if passphrase else ', NOT encrypted'})")
    print("add this entry under 'keys:' in content/site.yaml:")
    print(rotation.entry_yaml(entry))
    return 0


def _pin(args: argparse.Namespace) -> Pin | None:
    """Which credsite the site's workflows install (None with --no-ci)."""
    from credsite.issuer import pinning

    if getattr(args, "no_ci", False):
        return None
    if args.credsite_wheel:
        return pinning.wheel_pin(Path(args.credsite_wheel))
    if args.credsite_git:
        return pinning.git_pin(args.credsite_git)
    return pinning.detect_pin()


def _require_https(args: argparse.Namespace) -> None:
    """``check`` and ``build``: the site's base URL must be https (see ``require_https``)."""
    from credsite.content.site import load_site, require_https

    try:
        site = load_site(_content(args))
    except CredsiteError:
        return  # check and build report an unreadable site.yaml themselves
    require_https(site.base_url, args.allow_http, str(site.source))


def cmd_init(args: argparse.Namespace) -> int:
    from credsite.content.hosting import shared_host_warning
    from credsite.issuer import scaffold

    base_url = scaffold.choose_base_url(args.base_url, args.local)
    from credsite.content.site import require_https

    require_https(base_url, args.allow_http)
    # Before anything is written: a given wheel or commit that is wrong stops init. When the
    # running credsite's source cannot be found (a clone with local changes, no remote), the site
    # is made without workflows, and the output says how to add them.
    not_pinned = None
    try:
        pin = _pin(args)
    except CredsiteError as exc:
        if args.credsite_wheel or args.credsite_git:
            raise
        pin, not_pinned = None, str(exc)
    for line in scaffold.init_site(Path(args.dir), base_url, not args.no_passphrase,
                                   local=args.local, pin=pin):
        print(line)
    warning = shared_host_warning(args.base_url)
    if warning:
        print(f"WARN  {warning}")
    if not_pinned:
        print(f"CI: no workflows written: {not_pinned} to 'credsite workflows' in {args.dir}")
    return 0


def cmd_workflows(args: argparse.Namespace) -> int:
    from credsite.issuer.workflows import write_ci_files

    root = Path(args.dir)
    if not (root / "content" / "site.yaml").is_file():
        raise CredsiteError("is not a site repository (no content/site.yaml); run this in the "
                            "folder 'credsite init' made", where=str(root))
    pin = _pin(args)
    assert pin is not None
    for line in write_ci_files(root, pin):
        print(line)
    print("commit .github/ in a pull request: its check runs with this credsite")
    return 0


def cmd_issue(args: argparse.Namespace) -> int:
    from credsite.content.audit import VerificationInputs
    from credsite.errors import ProblemList
    from credsite.issuer import admission, duplicates, issuance, keys, report
    from credsite.trust.timestamps import format_timestamp, now_utc

    def warn(text: str) -> None:
        print(f"warning: {text}", file=sys.stderr)

    content = _content(args)
    inputs = VerificationInputs.load(content)
    notes: list[str] = []
    awards = issuance.parse_results(Path(args.results), inputs.catalog, now_utc(), notes)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    local = admission.local_address_warning(inputs.site)
    if local and args.strict:
        raise CredsiteError(f"{local}; refused with --strict")
    if local:
        warn(local)
    if not args.allow_duplicates:
        problems = duplicates.find_duplicates(content, awards)
        if problems:
            raise ProblemList(problems, "duplicate row")
    signer = keys.load_signer(Path(args.key) if args.key else None)
    from credsite.build.progress import Progress

    bar = Progress(2 * len(awards), args.quiet)  # each row signed, then verified
    signed = issuance.sign_batch(content, inputs.site, inputs.catalog, awards, signer,
                                 strict=args.strict, progress=bar.advance)
    shown = signed.warnings if len(signed.warnings) <= MAX_WARNINGS else (
        signed.warnings[:MAX_WARNINGS // 2])
    for warning in shown:
        warn(warning)
    if len(shown) < len(signed.warnings):
        warn(f"… and {len(signed.warnings) - len(shown)} more of the same kind (already expired "
             "when issued; the pages will say Expired); --strict refuses them")
    if args.dry_run:
        for award in awards:
            print(f"would issue  {award.where}  {award.code}  "
                  f"{format_timestamp(award.awarded)}  {award.holder_name}")
        print(f"dry run: {len(awards)} credential(s) would be issued, each verified as signed; "
              "nothing was written")
        return 0
    batch, issued = issuance.write_signed(content, signed, signer)
    report_path = Path(args.report) if args.report else report.default_report_path(
        Path(args.results), batch)
    report.write_report(report_path, awards,
                        [(i.credential_id, i.url, i.holder, i.link) for i in issued])
    for item in issued:
        print(f"{item.credential_id}  {item.url}")
    print(f"issued {len(issued)} credential(s) into {batch}")
    print(f"report (row → ID and URL, for a mail merge): {report_path}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from credsite.content.audit import VerificationInputs, audit_awards
    from credsite.trust.timestamps import now_utc

    content = _content(args)
    inputs = VerificationInputs.load(content)
    paths = [Path(p) for p in args.files] or None
    results, failures = [], 0
    legacy = 0
    for audited in audit_awards(inputs, paths, content, now_utc(), rdfc=True):
        report = audited.report
        legacy += report.legacy_proof
        verdict = report.verdict if len(report.checks) > 1 else "invalid"
        if verdict != "verified":
            failures += 1
        if args.json:
            results.append({"id": report.credential_id, "where": audited.line.where,
                            "verdict": verdict,
                            "checks": [c.__dict__ for c in report.checks]})
            continue
        failure = report.first_failure
        if verdict == "verified" and report.legacy_proof:
            print(f"WARN  {report.credential_id}  {audited.line.where}  "
                  f"{report.check('signature').reason}")
        elif verdict == "verified":
            print(f"OK    {report.credential_id}  {audited.line.where}")
        else:
            label = {"expired": "EXPIRED", "revoked": "REVOKED"}.get(verdict, "FAIL")
            reason = f"[{failure.name}] {failure.reason}" if failure else verdict
            note = inputs.status.notes.get(report.credential_id)
            if verdict == "revoked" and note:
                reason += f" on {note.date.date()}: {note.reason}"
            print(f"{label:<5} {report.credential_id}  {audited.line.where}  {reason}")
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        print(f"{failures} of the credentials did not verify" if failures else "all verified")
        if legacy:
            print(f"WARN  {legacy} credential(s) in the pre-0.2 form: run `credsite migrate`")
    return 1 if failures else 0


def _broken_links(content: Path) -> list[str]:
    """Markdown links to pages the site does not have (none if the content does not load: the
    check or the build then reports why)."""
    from credsite.build.links import broken_links
    from credsite.content.catalog import load_catalog
    from credsite.content.pages import load_pages
    from credsite.content.site import load_site

    try:
        site = load_site(content)
        catalog = load_catalog(content, [])
        pages = load_pages(content, [])
    except CredsiteError:
        return []
    return [str(link) for link in broken_links(site, catalog.values(), pages, content)]


def cmd_check(args: argparse.Namespace) -> int:
    from credsite.content.contentcheck import check_content
    from credsite.content.hosting import shared_host_warning
    from credsite.content.site import load_site

    _require_https(args)
    if args.live is not None:
        return _check_live(args)

    content = _content(args)
    problems, summary = check_content(content)
    links = _broken_links(content)
    for problem in problems:
        print(f"FAIL  {problem}")
    for warning in _freshness_warnings(_content(args)):
        print(f"WARN  {warning}")
    for link in links:
        print(f"{'FAIL' if args.strict else 'WARN'}  {link}")
    try:
        host_warning = shared_host_warning(load_site(content).base_url)
    except CredsiteError:
        host_warning = None  # already reported as a problem
    if host_warning:
        print(f"WARN  {host_warning}")
    if links and args.strict and not problems:
        summary = f"{len(links)} problem(s) found (broken links are errors with --strict)"
    elif links:
        summary += f"; {len(links)} broken link(s)"
    print(summary)
    return 1 if problems or (links and args.strict) else 0


def _freshness_warnings(content: Path, *, replacing: bool = False) -> list[str]:
    """The freshness statement's warnings (none when the content cannot be loaded: check has
    reported that). In a GitHub Actions log, each is also a ``::warning::`` annotation."""
    import os

    from credsite.content.audit import VerificationInputs
    from credsite.content.freshness import assess, statement_path, warnings
    from credsite.trust.timestamps import now_utc

    try:
        inputs = VerificationInputs.load(content)
    except CredsiteError:
        return []
    now = now_utc()
    if replacing and not statement_path(content).is_file():
        return []
    lines = warnings(assess(content, inputs.site, inputs.status, now), inputs.site, now,
                     publishing=False)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for line in lines:
            print(f"::warning title=credsite freshness::{line}")
    return lines


def cmd_freshness_key(args: argparse.Namespace) -> int:
    from credsite.content.site import load_site
    from credsite.issuer import freshness, keys, rotation
    from credsite.trust.timestamps import now_utc, parse_timestamp

    site = load_site(_content(args))
    offline = keys.load_signer(Path(args.key) if args.key else None)
    try:
        valid_from = parse_timestamp(args.valid_from) if args.valid_from else now_utc()
    except ValueError as exc:
        raise CredsiteError(f"--valid-from: {exc}") from None
    signer, entry = freshness.create_key(site, offline, args.id, valid_from)
    keys.write_key_file(Path(args.out), signer, None)
    print(f"wrote {args.out} (mode 0600, NOT encrypted: its text is the CI secret)")
    print("add this entry under 'freshness_keys:' in content/site.yaml:")
    print(rotation.entry_yaml(entry))
    print(f"then store the whole text of {args.out} as the secret {freshness.KEY_ENV} of the "
          "'status-freshness' environment (GitHub: Settings → Environments), and delete the file")
    return 0


def cmd_freshness_sign(args: argparse.Namespace) -> int:
    from credsite.content.site import load_site
    from credsite.issuer import freshness, keys
    from credsite.trust.timestamps import display_date, now_utc, parse_timestamp

    content = _content(args)
    site = load_site(content)
    signer = keys.load_signer(Path(args.key) if args.key else None, env=freshness.KEY_ENV)
    # The statement being replaced (restored from the last deploy's output in CI): had it fewer
    # than three days left, a scheduled run was missed, and that must not pass unseen.
    for warning in _freshness_warnings(content, replacing=True):
        print(f"WARN  the statement being replaced: {warning}")
    path, statement = freshness.sign(content, site, signer, now_utc(), args.days)
    until = display_date(parse_timestamp(statement["validUntil"]))
    print(f"signed freshness statement #{statement['sequence']} over "
          f"{len(statement['statusLists'])} status list(s), valid until {until} → {path}")
    return 0


def _check_live(args: argparse.Namespace) -> int:
    from credsite.build.livecheck import check_live

    report = check_live(_content(args), args.live or None, allow_http=args.allow_http,
                        sample=args.sample)
    for line in report.lines:
        print(line)
    print(report.summary)
    return 1 if report.problems else 0


def cmd_build(args: argparse.Namespace) -> int:
    from credsite.build.pipeline import build_site

    _require_https(args)

    def report_links(links: list[str]) -> None:
        for link in links:
            print(f"{'error' if args.strict else 'warning'}: {link}", file=sys.stderr)
        if links and args.strict:
            raise CredsiteError(f"{len(links)} broken link(s) with --strict; nothing was built")

    summary = build_site(
        Path(args.content), Path(args.out), templates=Path(args.templates) if args.templates else None,
        jobs=args.jobs, quiet=args.quiet, portable=args.portable, on_links=report_links,
    )
    print(summary)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from credsite.build.serve import serve

    serve(Path(args.out), args.port, args.bind)
    return 0


def _status_change(args: argparse.Namespace) -> tuple[Path, Site, Signer, list[str]]:
    """What revoke and reinstate share: the content, the site, the typed IDs (check character
    verified) and a signing key that may sign now."""
    from credsite.content.site import load_site
    from credsite.issuer import keys
    from credsite.issuer.issuance import check_signer
    from credsite.trust.ids import id_from_typed
    from credsite.trust.timestamps import now_utc

    content = _content(args)
    site = load_site(content)
    try:
        ids = [id_from_typed(i) for i in args.ids]
    except ValueError as exc:
        raise CredsiteError(str(exc)) from None
    signer = keys.load_signer(Path(args.key) if args.key else None)
    check_signer(site, signer, now_utc())
    return content, site, signer, ids


def cmd_revoke(args: argparse.Namespace) -> int:
    from credsite.issuer.revocation import revoke

    content, site, signer, ids = _status_change(args)
    for line in revoke(content, site, signer, ids, args.reason):
        print(line)
    return 0


def cmd_reinstate(args: argparse.Namespace) -> int:
    from credsite.issuer.revocation import reinstate

    content, site, signer, ids = _status_change(args)
    for line in reinstate(content, site, signer, ids):
        print(line)
    return 0


def cmd_reissue(args: argparse.Namespace) -> int:
    from credsite.content.site import load_site
    from credsite.issuer import keys
    from credsite.issuer.rotation import reissue

    content = _content(args)
    site = load_site(content)
    signer = keys.load_signer(Path(args.key) if args.key else None)
    count = reissue(content, site, signer, args.from_key)
    print(f"re-signed {count} credential(s) from key {args.from_key} with {signer.key_id}")
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from credsite.content.audit import VerificationInputs
    from credsite.issuer import keys
    from credsite.issuer.migration import migrate

    content = _content(args)
    inputs = VerificationInputs.load(content)
    signer = keys.load_signer(Path(args.key) if args.key else None)
    result = migrate(content, inputs.site, inputs.catalog, signer, dry_run=args.dry_run)
    for line in result.lines(args.dry_run):
        print(line)
    return 0


def cmd_repair_status(args: argparse.Namespace) -> int:
    from credsite.content.audit import VerificationInputs
    from credsite.issuer import keys
    from credsite.issuer.repair import repair_status

    content = _content(args)
    inputs = VerificationInputs.load(content)
    signer = keys.load_signer(Path(args.key) if args.key else None)
    count = repair_status(content, inputs.site, inputs.catalog, signer, Path(args.batch))
    print(f"re-allocated the status entries of {count} credential(s) in {args.batch} and re-signed "
          "them (same IDs and URLs); run 'credsite check' again")
    return 0


def _normalized_id(text: str) -> str:
    from credsite.trust.ids import normalize_credential_id

    try:
        return normalize_credential_id(text)
    except ValueError as exc:
        raise CredsiteError(str(exc)) from None


def cmd_find(args: argparse.Namespace) -> int:
    from credsite.content.holdings import find
    from credsite.content.site import load_site
    from credsite.trust.timestamps import now_utc

    content = _content(args)
    found = find(content, load_site(content), args.text, now_utc())
    for h in found:
        state = h.state + (f" ({h.reason})" if h.reason else "")
        print(f"{h.id}  {h.code}  {h.awarded.date().isoformat()}  {state}  {h.name}  "
              f"{h.email or '-'}  {h.holder or '-'}  {h.link or h.url}")
    print(f"{len(found)} credential(s) found" if found else
          f"nothing found for {args.text!r} (searched IDs, holder keys, codes, e-mail addresses "
          "and names)")
    return 0 if found else 1


def cmd_amend(args: argparse.Namespace) -> int:
    from credsite.content.audit import VerificationInputs
    from credsite.issuer import keys
    from credsite.issuer.corrections import amend_name

    content = _content(args)
    cred_id = _normalized_id(args.id)
    inputs = VerificationInputs.load(content)
    signer = keys.load_signer(Path(args.key) if args.key else None)
    print(amend_name(content, inputs.site, inputs.catalog, signer, cred_id, args.name))
    return 0


def cmd_withdraw(args: argparse.Namespace) -> int:
    from credsite.content.site import load_site
    from credsite.issuer import keys
    from credsite.issuer.corrections import withdraw

    content = _content(args)
    cred_id = _normalized_id(args.id)
    site = load_site(content)
    signer = keys.load_signer(Path(args.key) if args.key else None)
    print(withdraw(content, site, signer, cred_id, args.reason))
    return 0


def _within(text: str) -> dt.timedelta:
    from credsite.content.holdings import parse_period

    try:
        return parse_period(text)
    except ValueError as exc:
        raise CredsiteError(f"--within: {exc}") from None


def cmd_stats(args: argparse.Namespace) -> int:
    from credsite.content.holdings import stats
    from credsite.content.site import load_site
    from credsite.trust.timestamps import now_utc

    content = _content(args)
    within = _within(args.within)
    tables = stats(content, load_site(content), now_utc(), within)
    columns = ("issued", "valid", "expired", "revoked", "withdrawn", "expiring")
    for title, rows in tables.items():
        width = max([len(title), *(len(k) for k in rows)])
        print(f"{title:<{width}}  " + "  ".join(f"{c:>9}" for c in columns))
        for key, tally in rows.items():
            print(f"{key:<{width}}  " + "  ".join(f"{getattr(tally, c):>9}" for c in columns))
        print()
    print(f"expiring = valid and expiring within {within.days} days")
    return 0


def cmd_expiring(args: argparse.Namespace) -> int:
    import csv

    from credsite.content.holdings import expiring
    from credsite.content.site import load_site
    from credsite.trust.timestamps import format_timestamp, now_utc

    content = _content(args)
    within = _within(args.within)
    found = expiring(content, load_site(content), now_utc(), within)
    if args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["valid_until", "id", "code", "name", "email", "holder_key", "url",
                         "link"])
        for h in found:
            writer.writerow([format_timestamp(h.valid_until) if h.valid_until else "", h.id,
                             h.code, h.name, h.email or "", h.holder or "", h.url,
                             h.link or h.url])
        return 0
    for h in found:
        until = h.valid_until.date().isoformat() if h.valid_until else ""
        print(f"{until}  {h.id}  {h.code}  {h.name}  {h.email or '-'}  {h.link or h.url}")
    print(f"{len(found)} credential(s) expire within {within.days} days")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="credsite",
        description="Build a static site of verifiable credentials from a catalog and signed awards.",
    )
    top.add_argument("--version", action="version", version=f"credsite {__version__}")
    top.add_argument("--verbose", action="store_true", help="show tracebacks on errors")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(handler=handler)
        p.add_argument("--content", default="content", metavar="DIR",
                       help="content folder (default: content)")
        p.add_argument("--verbose", action="store_true", help="show tracebacks on errors")
        return p

    def pin_options(p: argparse.ArgumentParser) -> None:
        group = p.add_mutually_exclusive_group()
        group.add_argument("--credsite-wheel", metavar="WHEEL",
                           help="the wheel this credsite was installed from: copied into the site "
                                "and installed by CI with --require-hashes (default: found "
                                "from how credsite was installed)")
        group.add_argument("--credsite-git", metavar="URL@COMMIT",
                           help="CI installs credsite from this git commit (40 hex digits)")

    p = command("init", cmd_init, "create a new site repository: content, a fresh signing key, "
                "an example CSV, a README and GitHub Actions workflows")
    p.add_argument("dir", help="folder to create")
    p.add_argument("--allow-http", action="store_true", help=ALLOW_HTTP)
    p.add_argument("--base-url", metavar="URL",
                   help="the site's public address, e.g. https://credentials.example.org "
                   "(required: it is signed into every credential)")
    p.add_argument("--local", action="store_true",
                   help="a trial site at http://localhost:8000, marked as a demo on every page")
    p.add_argument("--no-passphrase", action="store_true", help="store the key unencrypted")
    pin_options(p)
    p.add_argument("--no-ci", action="store_true", help="no GitHub Actions workflows")

    p = command("workflows", cmd_workflows,
                "(re)write a site repository's GitHub Actions workflows for this credsite")
    p.add_argument("--dir", default=".", help="the site repository (default: .)")
    pin_options(p)

    p = command("keygen", cmd_keygen, "create a new Ed25519 signing key file (mode 0600)")
    p.add_argument("--out", required=True, help="path of the new private key file")
    p.add_argument("--id", default="key-1", help="key id used in site.yaml (default: key-1)")
    p.add_argument("--no-passphrase", action="store_true",
                   help="do not encrypt the key (for throwaway keys only)")
    p.add_argument("--valid-from", metavar="DATETIME",
                   help="first moment the key may sign, e.g. 2026-01-01T00:00:00Z (default: now; "
                   "with --rotate-from, the old key's valid_from)")
    p.add_argument("--rotate-from", metavar="OLD_KEY",
                   help="authorize the new key with this currently valid key (key rotation)")

    for name, text in (("issue", "sign awards from an exam-results CSV into a new batch file"),
                       ("import", "import a register of past awards (a CSV with historic dates "
                        "and test sites, any size): all or nothing, with a progress bar")):
        p = command(name, cmd_issue, text)
        p.add_argument("results", help="CSV: name,email,code,awarded[,performance_result,"
                       "theory_result,test_site]")
        p.add_argument("--key", help="private key file (or set CREDSITE_SIGNING_KEY)")
        p.add_argument("--strict", action="store_true",
                       help="treat warnings (a credential already expired, a local base URL) as "
                       "errors")
        p.add_argument("--dry-run", action="store_true",
                       help="check every row, sign and verify in memory, print what would be "
                       "issued; write nothing")
        p.add_argument("--allow-duplicates", action="store_true",
                       help="issue rows that repeat an issued award (same holder, credential and "
                       "award date) or an earlier row")
        p.add_argument("--report", metavar="PATH",
                       help="where to write the run's report CSV (row, name, e-mail, ID, URL, "
                       "holder key; default: beside RESULTS.csv, named after the batch)")
        p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = command("verify", cmd_verify, "verify award files (default: all of content/awards/)")
    p.add_argument("files", nargs="*", help="award batch files (.jsonl)")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = command("check", cmd_check, "validate the whole content tree and report every problem")
    p.add_argument("--strict", action="store_true",
                   help="a Markdown link to a page that does not exist is an error, not a warning")
    p.add_argument("--live", nargs="?", const="", metavar="URL",
                   help="check the published site instead (default URL: base_url): its DID "
                        "document, status lists and a few credential pages and records, fetched "
                        "and verified as a visitor's browser does")
    p.add_argument("--allow-http", action="store_true",
                   help=ALLOW_HTTP + "; with --live: accept an http site (a local preview)")
    p.add_argument("--sample", type=int, default=5, metavar="N",
                   help="with --live: how many credentials to fetch (default: 5)")

    p = command("build", cmd_build, "verify every award and render the static site")
    p.add_argument("--out", default="output", help="output folder (default: output)")
    p.add_argument("--allow-http", action="store_true", help=ALLOW_HTTP)
    p.add_argument("--templates", help="templates folder (default: templates/ beside the content)")
    p.add_argument("--jobs", type=int, default=0, help="worker processes (default: all cores)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--strict", action="store_true",
                   help="refuse to build when a Markdown link leads to a page that does not exist")
    p.add_argument("--portable", action="store_true",
                   help="relative links that name each file (../credentials/index.html), so the "
                        "site also works opened from files, e.g. a copy on a USB stick")

    p = command("serve", cmd_serve, "serve the built site on localhost for previewing")
    p.add_argument("--out", default="output", help="folder to serve (default: output)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument("--bind", default="127.0.0.1", help="address (default: 127.0.0.1)")

    p = command("freshness-key", cmd_freshness_key,
                "create the online key that signs status freshness statements, authorized by the "
                "signing key (its text becomes a CI secret)")
    p.add_argument("--key", help="the issuer's signing key file (or set CREDSITE_SIGNING_KEY)")
    p.add_argument("--out", required=True, help="path of the new key file")
    p.add_argument("--id", default="freshness-1", help="key id (default: freshness-1)")
    p.add_argument("--valid-from", metavar="DATETIME", help="first moment it may sign "
                   "(default: now)")

    p = command("freshness-sign", cmd_freshness_sign,
                "sign a freshness statement over the current status lists (daily, in CI)")
    p.add_argument("--key", help="the online key file (or set CREDSITE_FRESHNESS_KEY)")
    p.add_argument("--days", type=int, default=10,
                   help="days the statement stays valid, 7 to 14 (default: 10)")

    p = command("revoke", cmd_revoke, "revoke credentials: update and re-sign the status list")
    p.add_argument("ids", nargs="+", metavar="ID", help="credential IDs")
    p.add_argument("--reason", required=True, help="reason shown on the credential page")
    p.add_argument("--key", help="private key file (or set CREDSITE_SIGNING_KEY)")

    p = command("find", cmd_find, "find credentials by ID, holder key, credential code, e-mail "
                "address or name (in the private register)")
    p.add_argument("text", help="an ID (typed any way), holder key, code, or part of an e-mail "
                   "address or name (case and accents ignored)")

    p = command("amend", cmd_amend, "correct a holder's name: same ID and URL, re-signed with a "
                "new status entry; the old entry is revoked as superseded")
    p.add_argument("id", metavar="ID", help="credential ID")
    p.add_argument("--name", required=True, help="the holder's name as it should read")
    p.add_argument("--key", help="private key file (or set CREDSITE_SIGNING_KEY)")

    p = command("withdraw", cmd_withdraw, "take a credential page down at the holder's request: "
                "revoked, its page replaced by a short notice")
    p.add_argument("id", metavar="ID", help="credential ID")
    p.add_argument("--reason", required=True,
                   help="why the holder asked (kept in the private register only)")
    p.add_argument("--key", help="private key file (or set CREDSITE_SIGNING_KEY)")

    p = command("stats", cmd_stats, "issued, valid, expired, revoked, withdrawn and expiring "
                "counts by credential, test site and month")
    p.add_argument("--within", default="90d", help="what counts as expiring (default: 90d)")

    p = command("expiring", cmd_expiring, "credentials that expire soon, for reminders")
    p.add_argument("--within", default="90d", help="period: 90d or 12w (default: 90d)")
    p.add_argument("--csv", action="store_true", help="CSV for a mail merge")

    p = command("repair-status", cmd_repair_status,
                "new status list entries for a batch not yet deployed that shares some with "
                "another batch (after a git merge); same IDs and URLs")
    p.add_argument("batch", help="the award batch file (content/awards/….jsonl)")
    p.add_argument("--key", help="private key file (or set CREDSITE_SIGNING_KEY)")

    p = command("reinstate", cmd_reinstate,
                "reinstate credentials revoked in error: reissue them with the same ID and URL "
                "and a new status entry")
    p.add_argument("ids", nargs="+", metavar="ID", help="credential IDs")
    p.add_argument("--key", help="private key file (or set CREDSITE_SIGNING_KEY)")

    p = command("reissue", cmd_reissue, "re-sign every credential of a key with a new key")
    p.add_argument("--from-key", required=True, metavar="ID", help="id of the old key")
    p.add_argument("--key", help="the new private key file (or set CREDSITE_SIGNING_KEY)")
    p = command("migrate", cmd_migrate, "re-sign every award and status list in the current "
                "form (both proofs, sealed batches) with the current key; IDs, URLs, dates and "
                "revocations are kept")
    p.add_argument("--key", help="private key file (or set CREDSITE_SIGNING_KEY)")
    p.add_argument("--dry-run", action="store_true", help="say what would change; write nothing")
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.command in WRITING_COMMANDS:
            from credsite.content.lock import content_lock

            with content_lock(_content(args)):
                status = int(args.handler(args))
        else:
            status = int(args.handler(args))
        sys.stdout.flush()  # inside the try: a closed pipe must not surface at exit
        return status
    except CredsiteError as exc:
        if args.verbose:
            traceback.print_exc()
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``credsite verify | head``): say nothing more. Python would print
        # a second traceback when it flushes stdout at exit, so point stdout at /dev/null first
        # (the recipe of the Python docs, "Note on SIGPIPE", in the signal module).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1

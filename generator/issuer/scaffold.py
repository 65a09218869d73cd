"""``credsite init``: a new site repository: content, a fresh signing key, an example CSV, a
README for its maintainers and the GitHub Actions workflows that check and deploy it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from credsite import __version__
from credsite.content.site import check_base_url, load_site
from credsite.errors import ContentError
from credsite.issuer import freshness, keys, rotation
from credsite.issuer.pinning import Pin
from credsite.issuer.workflows import write_ci_files
from credsite.trust.issuer import did_web_for
from credsite.trust.timestamps import format_timestamp, now_utc

SITE_YAML = """\
base_url: {base_url}
title: Example Institute credentials
demo: {demo}
# languages: [en, es]   # pages in English and Spanish, the first the default (README, "Languages")
issuer:
  name: Example Institute
  url: {base_url}/
  email: credentials@example.org
  description: Replace this with one sentence about the issuer.
keys:
  - id: key-1
    public_key: {public_key}
    valid_from: {valid_from}
"""

EXAMPLE_ENTRY = """\
---
code: EXAMPLE-1
name: Example Credential
level: Level I
group: Example Level I
category: Example
order: 1
performance_exam: The candidate makes a part to the print, within ±0.005 in.
theory_exam: A 50-question written exam on measurement, safety and print reading.
validity_years: 5
skills: [measurement, safety]
---
Describe what the credential certifies and who it is for.
"""

ABOUT_PAGE = """\
---
title: About
description: About this credential site.
nav: 1
---
Every credential page on this site can be checked by your own browser.
"""

RESULTS_CSV = """\
name,email,code,awarded,performance_result,theory_result,test_site
Ada Example,ada@example.org,EXAMPLE-1,{awarded},Pass,91%,Example Test Center
"""


def _add_freshness_key(folder: Path, content: Path, signer: keys.Signer,
                       valid_from: dt.datetime) -> Path:
    """The online key that signs status freshness statements, authorized by the new signing key
    and listed under ``freshness_keys:``; unencrypted (mode 0600), since it becomes a CI secret."""
    online, entry = freshness.create_key(load_site(content), signer, "freshness-1", valid_from)
    path = folder / "freshness.key"
    keys.write_key_file(path, online, None)
    with (content / "site.yaml").open("a", encoding="utf-8") as handle:
        handle.write("# the online key that signs status freshness statements (README, Security)\n"
                     "freshness_keys:\n" + rotation.entry_yaml(entry) + "\n")
    return path


def _add_recovery_key(folder: Path, content: Path, signer: keys.Signer, valid_from: dt.datetime,
                      passphrase: str | None) -> Path:
    """A second key, authorized by the first and listed with ``role: recovery``: it signs no
    credential and is in no DID document relationship, but it can authorize a new signing key
    (``keygen --rotate-from recovery.key``) when the signing key is lost or stolen, so the site
    keeps its chain of keys. Kept offline (README, "Backup and recovery")."""
    recovery = keys.generate("recovery-1")
    entry: dict[str, object] = {"id": "recovery-1", "public_key": recovery.public_multikey,
                                "valid_from": format_timestamp(valid_from), "role": "recovery"}
    site = load_site(content)
    entry["authorized_by"] = {"key": signer.key_id,
                              "signature": rotation.authorize(signer, entry, site.did)}
    path = folder / "recovery.key"
    keys.write_key_file(path, recovery, passphrase)
    with (content / "site.yaml").open("a", encoding="utf-8") as handle:
        handle.write("  # the recovery key: kept offline, it only authorizes new keys "
                     "(README, Backup and recovery)\n" + rotation.entry_yaml(entry) + "\n")
    return path


LOCAL_BASE_URL = "http://localhost:8000"


def choose_base_url(base_url: str | None, local: bool) -> str:
    """The site's address: given, or the local preview address for a trial site. Never guessed:
    it is signed into every credential, so credentials issued for a wrong address must all be
    issued again."""
    if base_url and local:
        raise ContentError("give either --base-url or --local, not both")
    if local:
        return LOCAL_BASE_URL
    if not base_url:
        raise ContentError(
            "credsite init needs the site's public address: --base-url "
            "https://credentials.example.org (it is signed into every credential; choose it "
            "before issuing). For a trial site on this machine, pass --local instead")
    return base_url


SITE_README = """\
# {title}

The credential site of {issuer}, made with credsite {version}: one
verifiable page per credential at `{base_url}/c/<ID>`, checked by the visitor's own browser.

**Keep this repository private**: `content/awards/` lists every holder (the site lists none).

## What is where

- `content/`: `site.yaml` (the site, the issuer, its public keys), `credentials/` (the catalog),
  `pages/`, `awards/` (signed credentials, written by `credsite issue`), `status/` (revocations).
- `results-example.csv`: the columns `credsite issue` reads from an exam system.
- `.github/workflows/check.yml`: every pull request runs `credsite check --strict` and a build.
- `.github/workflows/deploy.yml`: every push to `main` builds the site (incrementally), publishes
  it to GitHub Pages (Settings → Pages → Source: GitHub Actions) and runs `credsite check --live`.
- `.github/credsite/`: the exact credsite the workflows install (pinned; never a bare name).

The signing key (`signing.key`) is not in this repository and must never be: keep it, encrypted,
on the maintainers' machines. CI does not need it.

## Issuing and revoking (on a maintainer's machine)

```sh
credsite issue results.csv --key ~/keys/signing.key   # signs a new batch into content/awards/
credsite revoke <ID> --reason "issued in error" --key ~/keys/signing.key
credsite check && credsite build && credsite serve     # preview at http://localhost:8000/
```

Commit `content/awards/` and `content/status/` in a pull request; merging it deploys.
After a deploy, `credsite check --live` fetches the published DID document and a few credentials
and verifies them as a visitor's browser does.

## Updating credsite

Install the new credsite release on your machine, then, in this repository:

```sh
credsite workflows --credsite-wheel credsite-<version>-py3-none-any.whl   # or --credsite-git URL@COMMIT
```

rewrites `.github/workflows/` and `.github/credsite/` for that release; commit them in a pull
request (its check runs with the new credsite before anything is deployed).
"""


def init_site(folder: Path, base_url: str, encrypt: bool, *, local: bool = False,
              pin: Pin | None = None) -> Iterator[str]:
    """Create the site repository ``folder``. ``local``: a trial site (demo: true, shown as such
    on every page); ``pin``: which credsite its CI installs (None: no workflows)."""
    if folder.exists() and not folder.is_dir():
        raise ContentError("exists and is not a folder; choose a new folder", where=str(folder))
    if folder.exists() and any(folder.iterdir()):
        raise ContentError("exists and is not empty; choose a new folder", where=str(folder))
    check_base_url(base_url)
    passphrase = keys.passphrase_from_env_or_prompt(confirm=True) if encrypt else None
    content = folder / "content"
    for sub in ("credentials", "pages", "awards"):
        (content / sub).mkdir(parents=True)
    signer = keys.generate("key-1")
    keys.write_key_file(folder / "signing.key", signer, passphrase)
    today = now_utc().replace(hour=0, minute=0, second=0)
    (content / "site.yaml").write_text(SITE_YAML.format(
        base_url=base_url.rstrip("/"), demo="true" if local else "false", public_key=signer.public_multikey,
        valid_from=format_timestamp(today)), encoding="utf-8")
    recovery_key = _add_recovery_key(folder, content, signer, today, passphrase)
    online_key = _add_freshness_key(folder, content, signer, today)
    (content / "credentials" / "EXAMPLE-1.md").write_text(EXAMPLE_ENTRY, encoding="utf-8")
    (content / "pages" / "about.md").write_text(ABOUT_PAGE, encoding="utf-8")
    (folder / "results-example.csv").write_text(
        RESULTS_CSV.format(awarded=format_timestamp(today)), encoding="utf-8")
    # The manifest (.credsite-cache/) lists every credential ID, like content/awards/: neither
    # belongs anywhere public.
    (folder / ".gitignore").write_text(
        "*.key\noutput/\n.credsite-cache/\n.output.building-*/\n.output.old-*/\n"
        "# signed in CI every day (credsite freshness-sign); never committed\n"
        "content/status/freshness.json\n", encoding="utf-8")
    (folder / "README.md").write_text(SITE_README.format(
        title="Example Institute credentials", issuer="Example Institute", version=__version__,
        base_url=base_url.rstrip("/")), encoding="utf-8")
    # No copy of the templates: the build uses credsite's own unless a templates/ folder stands
    # beside content/, so a site keeps working when credsite's templates gain new files.
    yield f"created {folder}"
    if pin is not None:
        yield from write_ci_files(folder, pin)
    yield f"signing key: {folder / 'signing.key'} (mode 0600; keep it out of git and CI)"
    yield ("content/awards/ will list every holder: keep it in a private repository "
           "(the published site lists none)")
    yield f"issuer: {did_web_for(base_url)}, key key-1 {signer.public_multikey}"
    yield (f"recovery key: {recovery_key} (authorizes a new signing key if signing.key is lost "
           "or stolen; signs nothing else): copy it to a USB stick or print it, keep that in a "
           "safe, then delete this file (README, Backup and recovery)")
    yield (f"freshness key: {online_key} (signs only status freshness statements): store its text "
           f"as the secret {freshness.KEY_ENV} of the GitHub environment 'status-freshness', "
           "then delete the file (README, Security)")
    yield (f"next: cd {folder} && credsite issue results-example.csv --key signing.key && "
           "credsite freshness-sign --key freshness.key && credsite build && credsite serve")

"""GitHub Actions workflows for a site repository made by ``credsite init``.

Three workflows, each installing the pinned credsite (:mod:`credsite.issuer.pinning`), neither
holding the signing key:

- ``check.yml``, on every pull request: ``credsite check --strict`` and a build, so that a batch
  that does not verify, or a page that links nowhere, is seen before it is merged;
- ``deploy.yml``, on every push to ``main``: check, build with the incremental state
  (``output/`` and ``.credsite-cache/``) restored from the Actions cache, publish to GitHub Pages,
  then ``credsite check --live`` against the published site;
- ``status-freshness.yml`` (:mod:`credsite.issuer.freshness_workflow`): signs the status freshness
  statement daily and after each deploy, in a protected environment.

Third-party actions are pinned by commit (a tag can be moved; GitHub's "Security hardening for
GitHub Actions", "Using third-party actions"); the tag each commit had is in a comment, as
Dependabot writes it. The commits were read from the actions' repositories.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

from credsite import __version__
from credsite.issuer import freshness_workflow
from credsite.issuer.pages_jobs import PAGES_HEADER, restore_state, upload_and_deploy
from credsite.issuer.pinning import FOLDER, Pin, dependency_pins

ACTIONS = {
    "checkout": "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1  # v7.0.1",
    "setup-python": "actions/setup-python@5fda3b95a4ea91299a34e894583c3862153e4b97  # v7.0.0",
    "cache": "actions/cache@27d5ce7f107fe9357f9df03efb73ab90386fccae  # v5.0.5",
    "upload-pages-artifact":
        "actions/upload-pages-artifact@fc324d3547104276b827a68afc52ff2a11cc49c9  # v5.0.0",
    "deploy-pages": "actions/deploy-pages@cd2ce8fcbc39b97be8ca5fce6e763baed58fa128  # v5.0.0",
}
PYTHON = "3.12"

_SETUP = """\
      - uses: {checkout}
        with:
          persist-credentials: false
      - uses: {setup-python}
        with:
          python-version: "{python}"
      - name: Install credsite {version} (pinned in {folder}/)
        run: |
          python -m pip install --no-deps {hashes}-r {folder}/requirements.txt
          python -m pip install -r {folder}/dependencies.txt
"""

CHECK = """\
# Every pull request: validate the content and build the site (nothing is published).
# Written by credsite {version} (credsite init / credsite workflows); no signing key is needed.
name: Check
on:
  pull_request:
  workflow_dispatch:
permissions:
  contents: read
jobs:
  check:
    runs-on: ubuntu-24.04
    steps:
{setup}\
      - run: credsite check --strict
      - run: credsite build --quiet --strict
"""

DEPLOY = """\
# Every push to main: check, build (incrementally, with the cached output/ and .credsite-cache/),
# publish to GitHub Pages (Settings → Pages → Source: GitHub Actions), then check the live site.
# Written by credsite {version} (credsite init / credsite workflows); no signing key is needed.
name: Deploy
on:
  push:
    branches: [main]
  workflow_dispatch:
""" + PAGES_HEADER + """\
  build:
    runs-on: ubuntu-24.04
    steps:
{setup}\
""" + restore_state("Restore the incremental build state") + """\
      - run: credsite check --strict
      - run: credsite build --quiet --strict
""" + upload_and_deploy("build") + """\
  live-check:
    needs: deploy
    runs-on: ubuntu-24.04
    steps:
{setup}\
      # The DID document, a few credential pages and their records, as a visitor's browser gets them.
      - run: credsite check --live
"""


def _values(pin: Pin) -> dict[str, str]:
    return {**ACTIONS, "version": __version__, "python": PYTHON, "folder": FOLDER,
            "hashes": "--require-hashes " if pin.hashed else ""}


def _fill(template: str, pin: Pin) -> str:
    values = _values(pin)
    return template.format(setup=_SETUP.format(**values), **values)


def write_ci_files(site_root: Path, pin: Pin) -> Iterator[str]:
    """Write the workflows and the pinned credsite into the site repository at ``site_root``."""
    folder = site_root / FOLDER
    if folder.is_dir():
        for old in folder.glob("credsite-*.whl"):
            old.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    if pin.wheel is not None:
        shutil.copyfile(pin.wheel, folder / pin.wheel.name)
    (folder / "requirements.txt").write_text(
        f"# credsite {__version__}, installed by the workflows in .github/workflows/ with "
        f"{'--require-hashes' if pin.hashed else 'its commit'}.\n"
        "# Rewritten by 'credsite workflows' (see README.md, 'Updating credsite').\n"
        f"{pin.requirement}\n", encoding="utf-8")
    (folder / "dependencies.txt").write_text(
        f"# credsite {__version__}'s runtime dependencies, at the versions it was tested with.\n"
        + "".join(f"{line}\n" for line in dependency_pins()), encoding="utf-8")
    workflows = site_root / ".github" / "workflows"
    workflows.mkdir(parents=True, exist_ok=True)
    (workflows / "check.yml").write_text(_fill(CHECK, pin), encoding="utf-8")
    (workflows / "deploy.yml").write_text(_fill(DEPLOY, pin), encoding="utf-8")
    (workflows / freshness_workflow.FILE_NAME).write_text(
        freshness_workflow.render(_SETUP.format(**_values(pin)), ACTIONS, __version__), encoding="utf-8")
    yield (f"CI: .github/workflows/check.yml, deploy.yml and {freshness_workflow.FILE_NAME} "
           f"install credsite from {pin.source}")

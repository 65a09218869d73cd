"""The scheduled GitHub Actions workflow that keeps the status freshness statement current.

``status-freshness.yml`` runs every day, after every deploy (new status lists need a new
statement at once) and on demand. Its signing job runs in the protected environment
``status-freshness``, the only place that holds the secret ``CREDSITE_FRESHNESS_KEY`` (the online
key of :mod:`credsite.issuer.freshness`; GitHub "Using environments for deployment": limit it to
the ``main`` branch), signs a statement with ``credsite freshness-sign``, builds incrementally and
deploys to GitHub Pages. The signing key is never needed. Third-party actions are pinned by
commit, as in the site's other workflows.

The statement being replaced comes from the last deploy's output (the Actions cache):
``freshness-sign`` takes its sequence number as a floor, and warns, as a ``::warning::``
annotation, when it had fewer than three days left (a scheduled run was missed).

:func:`render` fills the template with the same pieces as the site's other workflows: ``setup``
(checkout, Python, the pinned credsite) and the pinned ``cache``, ``upload-pages-artifact`` and
``deploy-pages`` actions.
"""

from __future__ import annotations

from collections.abc import Mapping

from credsite.issuer.pages_jobs import PAGES_HEADER, restore_state, upload_and_deploy

FILE_NAME = "status-freshness.yml"
ENVIRONMENT = "status-freshness"

TEMPLATE = """\
# Every day, after every deploy and on demand: sign a new status freshness statement with the
# online key and publish it, so that visitors' browsers can tell the current status lists from an
# older copy (README, Security). Written by credsite {version} (credsite init).
# Setup: Settings → Environments → New environment "status-freshness", deployment branches:
# main only; add the secret CREDSITE_FRESHNESS_KEY (the whole text of freshness.key).
# No signing key is needed or present: the online key can sign nothing but these statements.
name: Status freshness
on:
  schedule:
    - cron: "17 5 * * *"
  workflow_run:
    workflows: [Deploy]
    types: [completed]
    branches: [main]
  workflow_dispatch:
""" + PAGES_HEADER + """\
  sign:
    if: github.event_name != 'workflow_run' || github.event.workflow_run.conclusion == 'success'
    runs-on: ubuntu-24.04
    environment: {environment}
    steps:
{setup}\
""" + restore_state("Restore the last deploy's output (the statement it replaces, the build state)") + """\
      - name: Take the published statement as the one being replaced
        run: |
          if [ -f output/status/freshness ]; then
            cp output/status/freshness content/status/freshness.json
          fi
      - name: Sign a new freshness statement (warns if the old one had fewer than 3 days left)
        env:
          CREDSITE_FRESHNESS_KEY: ${{{{ secrets.CREDSITE_FRESHNESS_KEY }}}}
        run: credsite freshness-sign
      - run: credsite check --strict
      - run: credsite build --quiet --strict
""" + upload_and_deploy("sign")


def render(setup: str, actions: Mapping[str, str], version: str) -> str:
    """The workflow's text; ``actions`` maps ``cache``, ``upload-pages-artifact`` and
    ``deploy-pages`` to their pinned ``owner/name@<commit>`` references."""
    return TEMPLATE.format(setup=setup, version=version, environment=ENVIRONMENT, **actions)

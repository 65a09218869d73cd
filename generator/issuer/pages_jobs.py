"""The workflow text that every publishing workflow of a site repository shares.

``deploy.yml`` and ``status-freshness.yml`` both restore the last deploy's output and build state
from the Actions cache, build, upload ``output/`` and deploy it to GitHub Pages. They must do
that the same way (the same cache key, so the freshness workflow finds what the deploy left; the
same hidden files uploaded, or ``.well-known/did.json`` would vanish), so the text lives here
once. Each piece is a template for ``str.format`` with the pinned ``cache``,
``upload-pages-artifact`` and ``deploy-pages`` actions as fields.
"""

from __future__ import annotations

# After the triggers: read-only permissions, and one publishing run at a time ("pages"), never
# cancelled half-way (a deploy and a freshness statement must not overtake each other).
PAGES_HEADER = """\
permissions:
  contents: read
concurrency:
  group: pages
  cancel-in-progress: false
jobs:
"""

_RESTORE_BODY = """\
        uses: {cache}
        with:
          path: |
            output
            .credsite-cache
          key: credsite-site-${{{{ github.sha }}}}
          restore-keys: credsite-site-
"""

_UPLOAD_AND_DEPLOY = """\
      - uses: {upload-pages-artifact}
        with:
          path: output
          include-hidden-files: true  # .well-known/did.json and .nojekyll
  deploy:
    needs: BUILD_JOB
    runs-on: ubuntu-24.04
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: {deploy-pages}
"""


def restore_state(step_name: str) -> str:
    """A step restoring ``output/`` and ``.credsite-cache/`` (the incremental build state)."""
    return f"      - name: {step_name}\n" + _RESTORE_BODY


def upload_and_deploy(build_job: str) -> str:
    """The last steps of ``build_job`` (upload ``output/``) and the job deploying it to Pages."""
    return _UPLOAD_AND_DEPLOY.replace("BUILD_JOB", build_job)

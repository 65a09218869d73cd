"""The scheduled status-freshness workflow: a valid GitHub Actions workflow (checked offline with
check-jsonschema's copy of SchemaStore's schema), pinned actions, the secret only in the protected
environment, and the steps a daily run needs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from credsite.issuer import freshness_workflow

PIN = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}\b")
ACTIONS = {
    "cache": "actions/cache@27d5ce7f107fe9357f9df03efb73ab90386fccae  # v5.0.5",
    "upload-pages-artifact":
        "actions/upload-pages-artifact@fc324d3547104276b827a68afc52ff2a11cc49c9  # v5.0.0",
    "deploy-pages": "actions/deploy-pages@cd2ce8fcbc39b97be8ca5fce6e763baed58fa128  # v5.0.0",
}
SETUP = """\
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1  # v7.0.1
        with:
          persist-credentials: false
      - run: python -m pip install --no-deps --require-hashes -r .github/credsite/requirements.txt
"""


def test_the_workflow_is_valid_pinned_and_keeps_the_secret_in_its_environment(
    tmp_path: Path,
) -> None:
    text = freshness_workflow.render(SETUP, ACTIONS, "0.0.test")
    path = tmp_path / freshness_workflow.FILE_NAME
    path.write_text(text, encoding="utf-8")
    checked = subprocess.run(  # noqa: S603 - our interpreter, a fixed module
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
         str(path)], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    workflow = yaml.safe_load(text)
    triggers = workflow[True]  # YAML 1.1 reads the key "on" as True
    assert triggers["schedule"] == [{"cron": "17 5 * * *"}]
    assert triggers["workflow_run"]["workflows"] == ["Deploy"]
    sign, deploy = workflow["jobs"]["sign"], workflow["jobs"]["deploy"]
    assert sign["environment"] == "status-freshness"
    uses = [s["uses"] for job in (sign, deploy) for s in job["steps"] if "uses" in s]
    assert uses and all(PIN.match(u) for u in uses), uses
    runs = [s.get("run", "") for s in sign["steps"]]
    assert runs.index("credsite freshness-sign") < runs.index("credsite build --quiet --strict")
    env = [s.get("env", {}) for s in sign["steps"]]
    assert {"CREDSITE_FRESHNESS_KEY": "${{ secrets.CREDSITE_FRESHNESS_KEY }}"} in env
    assert "secrets." not in yaml.safe_dump(deploy)  # the deploy job never sees the key
    assert "SIGNING_KEY" not in text and workflow["permissions"] == {"contents": "read"}

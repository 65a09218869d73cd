"""``credsite init`` makes a complete site repository whose CI installs a pinned credsite (issue 14,
item 4); the workflows it writes, and this repository's own, pass a real workflow checker.

The checker is ``check-jsonschema --builtin-schema vendor.github-workflows`` (SchemaStore's
GitHub Actions schema, shipped inside check-jsonschema, so it runs offline). What the schema
cannot say is checked here: every third-party action is pinned by a 40-digit commit, and every
credsite the workflows install is pinned by a commit or by the SHA-256 of a wheel.

The path from a real wheel (init from an installed wheel, its workflows' install step run in a
fresh virtual environment) is in ``tests/test_wheel.py``.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from credsite.issuer import pinning

REPO = Path(__file__).resolve().parent.parent
COMMIT = "0123456789abcdef0123456789abcdef01234567"
GIT = f"https://github.com/example/credsite@{COMMIT}"
RunCli = Callable[..., tuple[int, str, str]]
PINNED_ACTION = re.compile(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}")


def check_workflows(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
         *map(str, paths)], capture_output=True, text=True, timeout=120)


def actions_used(workflow: Path) -> list[str]:
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    return [step["uses"] for job in data["jobs"].values() for step in job.get("steps", [])
            if "uses" in step]


def run_steps(workflow: Path) -> list[str]:
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    return [step["run"] for job in data["jobs"].values() for step in job.get("steps", [])
            if "run" in step]


@pytest.fixture
def site_repo(tmp_path: Path, run_cli: RunCli) -> Path:
    folder = tmp_path / "site-repo"
    code, out, err = run_cli("init", folder, "--no-passphrase", "--base-url",
                             "https://creds.example.org", "--credsite-git", GIT)
    assert (code, err) == (0, ""), err
    assert f"install credsite from git https://github.com/example/credsite@{COMMIT}" in out
    assert "status-freshness.yml" in out
    return folder


def test_init_writes_workflows_that_pass_the_checker(site_repo: Path) -> None:
    workflows = sorted((site_repo / ".github" / "workflows").glob("*.yml"))
    assert [w.name for w in workflows] == ["check.yml", "deploy.yml", "status-freshness.yml"]
    result = check_workflows(*workflows)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


def test_the_checker_can_fail(site_repo: Path) -> None:
    """A workflow the schema rejects (a step with neither ``uses`` nor ``run``) fails it."""
    broken = site_repo / ".github" / "workflows" / "check.yml"
    broken.write_text(broken.read_text(encoding="utf-8").replace(
        "      - run: credsite check --strict", "      - name: nothing to do"), encoding="utf-8")
    result = check_workflows(broken)
    assert result.returncode == 1, result.stdout


def test_this_repositorys_workflows_pass_the_checker() -> None:
    workflows = sorted((REPO / ".github" / "workflows").glob("*.yml"))
    assert {w.name for w in workflows} >= {"checks.yml", "pages.yml", "release.yml"}
    result = check_workflows(*workflows)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("where", ["generated", "this repository"])
def test_every_action_is_pinned_by_commit(site_repo: Path, where: str) -> None:
    folder = site_repo if where == "generated" else REPO
    used = [u for w in sorted((folder / ".github" / "workflows").glob("*.yml"))
            for u in actions_used(w)]
    assert used
    assert [u for u in used if not PINNED_ACTION.fullmatch(u)] == []


def test_ci_installs_credsite_only_from_the_pinned_source(site_repo: Path) -> None:
    pins = site_repo / ".github" / "credsite"
    requirements = [line for line in (pins / "requirements.txt").read_text().splitlines()
                    if line and not line.startswith("#")]
    assert requirements == [f"credsite @ git+{GIT.replace('@' + COMMIT, '')}@{COMMIT}"]
    dependencies = [line for line in (pins / "dependencies.txt").read_text().splitlines()
                    if line and not line.startswith("#")]
    names = {line.split("==")[0].lower() for line in dependencies}
    assert {"jinja2", "markdown", "pyyaml", "pynacl", "rfc8785", "pillow", "markupsafe"} <= names
    assert all(re.fullmatch(r"[\w.-]+==[\w.+!-]+", line) for line in dependencies)
    assert not any(name == "credsite" for name in names)
    for workflow in (site_repo / ".github" / "workflows").glob("*.yml"):
        for step in run_steps(workflow):
            for command in step.splitlines():
                if "pip install" in command:
                    assert command.strip() in {
                        "python -m pip install --no-deps -r .github/credsite/requirements.txt",
                        "python -m pip install -r .github/credsite/dependencies.txt"}, command


def test_deploy_keeps_the_incremental_state_and_publishes_hidden_files(site_repo: Path) -> None:
    data = yaml.safe_load((site_repo / ".github" / "workflows" / "deploy.yml").read_text())
    steps = data["jobs"]["build"]["steps"]
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"].split() == ["output", ".credsite-cache"]
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"] == {"path": "output", "include-hidden-files": True}  # .well-known/
    assert data["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert data["permissions"] == {"contents": "read"}
    assert "credsite check --live" in run_steps(site_repo / ".github" / "workflows" / "deploy.yml")
    text = (site_repo / ".github" / "workflows" / "deploy.yml").read_text()
    assert "secrets." not in text and "signing" not in text.replace("no signing key", "")


def test_site_readme_and_gitignore(site_repo: Path) -> None:
    readme = (site_repo / "README.md").read_text(encoding="utf-8")
    assert "Keep this repository private" in readme and "credsite workflows" in readme
    assert "https://creds.example.org/c/<ID>" in readme
    ignored = (site_repo / ".gitignore").read_text().splitlines()
    assert "*.key" in ignored and ".credsite-cache/" in ignored


def test_workflows_command_rewrites_the_ci_files(site_repo: Path, run_cli: RunCli) -> None:
    other = "f" * 40
    code, out, err = run_cli("workflows", "--dir", site_repo, "--credsite-git",
                             f"git@github.com:example/credsite.git@{other}")
    assert (code, err) == (0, "")
    requirement = (site_repo / ".github" / "credsite" / "requirements.txt").read_text()
    assert f"credsite @ git+ssh://git@github.com/example/credsite.git@{other}\n" in requirement
    code, out, err = run_cli("workflows", "--dir", site_repo.parent, "--credsite-git", GIT)
    assert code == 1 and "is not a site repository" in err


@pytest.mark.parametrize("spec", ["https://github.com/example/credsite@main",
                                  "https://github.com/example/credsite@v0.1.0",
                                  f"https://github.com/example/credsite@{COMMIT[:12]}", COMMIT])
def test_a_git_source_must_name_a_full_commit(tmp_path: Path, run_cli: RunCli, spec: str) -> None:
    folder = tmp_path / "site"
    code, out, err = run_cli("init", folder, "--no-passphrase", "--local", "--credsite-git", spec)
    assert (code, out) == (1, "")
    assert "give URL@COMMIT with the full 40-digit commit" in err
    assert not folder.exists()  # nothing half-made


def test_a_wheel_that_is_not_the_running_credsite_is_refused(tmp_path: Path, run_cli: RunCli) -> None:
    wheel = tmp_path / "credsite-0.1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("credsite/__init__.py", "# someone else's credsite\n")
    folder = tmp_path / "site"
    code, out, err = run_cli("init", folder, "--no-passphrase", "--local", "--credsite-wheel", wheel)
    assert (code, out) == (1, "")
    assert "is not the credsite 0.1.0 that is running" in err and "credsite/__init__.py" in err
    assert not folder.exists()
    code, out, err = run_cli("init", folder, "--no-passphrase", "--local", "--credsite-wheel",
                             tmp_path / "nothing.whl")
    assert code == 1 and "not a credsite wheel" in err


@pytest.mark.parametrize("installed_from", [
    {"url": "file:///nonexistent/credsite", "dir_info": {"editable": True}},
    {"url": "https://example.org/credsite-0.1.0-py3-none-any.whl", "archive_info": {}},
    None])
def test_init_without_a_known_source_makes_the_site_without_workflows(
        tmp_path: Path,
        run_cli: RunCli,
        monkeypatch: pytest.MonkeyPatch,
        installed_from: dict[str, object] | None,
) -> None:
    """How pip installed credsite (PEP 610) gives no source CI could install from: the site is
    made, without workflows, and the output says how to add them."""
    monkeypatch.setattr(pinning, "_direct_url", lambda: installed_from)
    folder = tmp_path / "site"
    code, out, err = run_cli("init", folder, "--no-passphrase", "--local")
    assert (code, err) == (0, "")
    last = out.splitlines()[-1]
    assert last.startswith("CI: no workflows written: ")
    assert last.endswith(": give --credsite-wheel WHEEL (the wheel you installed) or "
                         f"--credsite-git URL@COMMIT to 'credsite workflows' in {folder}")
    assert (folder / "content" / "site.yaml").is_file() and not (folder / ".github").exists()
    code, out, err = run_cli("workflows", "--dir", folder, "--credsite-git", GIT)
    assert code == 0 and (folder / ".github" / "workflows" / "deploy.yml").is_file()

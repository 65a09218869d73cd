"""The wheel is the product (issue 14, item 2): built from this repository, installed into a fresh
virtual environment outside it, it runs a maintainer's whole path with no access to the source.

``python -m build`` makes the sdist and then the wheel from the sdist (so the sdist is complete
too). The wheel must hold one package, ``credsite``, with every template inside it
(``credsite/templates/**``) and no top-level ``generator`` or ``templates``. Installed with pip
into a new venv (no system site-packages, no ``PYTHONPATH``, every command run from a temporary
folder), it must: ``init`` (whose workflows pin that very wheel) → ``issue`` → ``check`` →
``verify`` → ``build`` → ``serve`` (pages fetched over HTTP); a ``templates/`` folder beside the
site's ``content/``, or ``--templates``, still overrides the shipped templates; and the install step
of the workflows ``init`` wrote installs the same credsite into a second fresh venv.

With ``CREDSITE_WHEEL`` set (the release workflow), that wheel is tested instead of a new build.
Needs PyPI for the build backend and credsite's dependencies, as ``pip install`` does.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
TIMEOUT = 600


def run(*args: str | Path, cwd: Path, env: dict[str, str], check: bool = True,
        ) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    if check and done.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, args))} failed ({done.returncode}):\n"
                             f"{done.stdout}\n{done.stderr}")
    return done


def clean_env(venv: Path) -> dict[str, str]:
    """The environment of a shell where only ``venv`` is active: nothing points at the source."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP", "PYTHONSAFEPATH"}}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(venv)
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env.pop("CREDSITE_SIGNING_KEY", None)
    env.pop("CREDSITE_PASSPHRASE", None)
    return env


def new_venv(folder: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True, timeout=TIMEOUT)
    return folder


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("CREDSITE_WHEEL")
    if given:
        return Path(given).resolve()
    dist = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "build", "--outdir", str(dist), str(REPO)],
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    [built] = dist.glob("credsite-*.whl")
    [sdist] = dist.glob("credsite-*.tar.gz")
    assert sdist.stat().st_size > 0
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A fresh venv outside the repository with the wheel installed by pip, and its environment."""
    venv = new_venv(tmp_path_factory.mktemp("wheel-venv") / "venv")
    env = clean_env(venv)
    run(venv / "bin" / "python", "-m", "pip", "install", "-q", wheel, cwd=venv, env=env)
    return venv, env


def test_the_wheel_holds_one_package_with_its_templates(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    dist_info = [t for t in tops if t.endswith(".dist-info")]
    assert tops - set(dist_info) == {"credsite"}, tops  # no top-level generator/ or templates/
    shipped = {n.removeprefix("credsite/templates/") for n in names
               if n.startswith("credsite/templates/") and not n.endswith(".py")}
    source = {p.relative_to(REPO / "templates").as_posix() for p in (REPO / "templates").rglob("*")
              if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts}
    assert source and shipped == source
    assert {"credsite/__main__.py", "credsite/py.typed", "credsite/trust/verify.py",
            "credsite/issuer/keys.py", "credsite/build/pipeline.py"} <= set(names)
    # the message catalogs, as .po only (a build compiles them in memory)
    catalogs = {p.relative_to(REPO / "generator").as_posix()
                for p in (REPO / "generator" / "locale").rglob("*.po*")}
    assert "locale/es/LC_MESSAGES/messages.po" in catalogs
    assert {f"credsite/{c}" for c in catalogs} <= set(names)
    assert not [n for n in names if n.endswith(".mo")]


def test_the_installed_credsite_is_the_wheel_not_the_source(installed: tuple[Path, dict[str, str]],
                                                             tmp_path: Path) -> None:
    venv, env = installed
    probe = run(venv / "bin" / "python", "-c",
                "import importlib.resources, credsite, sys; print(credsite.__file__); "
                "print(importlib.resources.files('credsite.templates')); print(*sys.path, sep='\\n')",
                cwd=tmp_path, env=env).stdout.splitlines()
    site_packages = str(venv / "lib")
    assert probe[0].startswith(site_packages) and probe[1].startswith(site_packages), probe
    assert not [p for p in probe[2:] if p.startswith(str(REPO))]  # the source is not importable
    for module in ("generator", "templates"):
        missing = run(venv / "bin" / "python", "-c", f"import {module}", cwd=tmp_path, env=env,
                      check=False)
        assert missing.returncode == 1 and "ModuleNotFoundError" in missing.stderr
    assert str(REPO) not in (venv / "bin" / "credsite").read_text()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> bytes:
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our server
                return bytes(response.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_a_maintainers_whole_path_from_the_wheel(installed: tuple[Path, dict[str, str]],
                                                  wheel: Path, tmp_path: Path) -> None:
    venv, env = installed
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    out = run("credsite", "init", "site", "--no-passphrase", "--base-url", base_url,
              cwd=tmp_path, env=env).stdout
    site = tmp_path / "site"
    # init found the wheel it was installed from (PEP 610) and pinned it by its SHA-256
    assert f"install credsite from wheel {wheel.name} (sha256 " in out
    assert (site / ".github" / "credsite" / wheel.name).read_bytes() == wheel.read_bytes()

    issued = run("credsite", "issue", "results-example.csv", "--key", "signing.key",
                 cwd=site, env=env).stdout
    cred_id = issued.split()[0]
    assert issued.splitlines()[0] == f"{cred_id}  {base_url}/c/{cred_id}"
    assert run("credsite", "check", cwd=site, env=env).stdout == (
        "content OK: 1 credential types, 1 pages, 1 awards\n")
    assert run("credsite", "verify", cwd=site, env=env).stdout.startswith(f"OK    {cred_id}  ")
    built = run("credsite", "build", "--quiet", cwd=site, env=env).stdout
    assert built.startswith("built 1 credentials (1 verified)")

    server = subprocess.Popen(["credsite", "serve", "--port", str(port)], cwd=site, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        page = fetch(f"{base_url}/c/{cred_id}").decode()
        assert cred_id in page and "Ada Example" in page
        did = json.loads(fetch(f"{base_url}/.well-known/did.json"))
        assert did["id"] == f"did:web:127.0.0.1%3A{port}"
        home = fetch(f"{base_url}/").decode()
        assert "Example Institute" in home
        record = json.loads(fetch(f"{base_url}/c/{cred_id}.json"))
        assert record["id"] == f"{base_url}/c/{cred_id}"
    finally:
        server.terminate()
        server.wait(timeout=10)

    # A templates/ folder beside content/ overrides the shipped templates; so does --templates.
    shipped = Path(run("python", "-c", "import importlib.resources as r; "
                       "print(r.files('credsite.templates'))", cwd=site, env=env).stdout.strip())
    shutil.copytree(shipped, site / "templates", ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    base = site / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace(
        "</body>", "<p id=local-edit>edited here</p></body>"), encoding="utf-8")
    run("credsite", "build", "--quiet", cwd=site, env=env)
    assert "edited here" in (site / "output" / "c" / f"{cred_id}.html").read_text(encoding="utf-8")
    (site / "templates").rename(site / "my-templates")
    run("credsite", "build", "--quiet", "--out", "plain", cwd=site, env=env)
    assert "edited here" not in (site / "plain" / "index.html").read_text(encoding="utf-8")
    run("credsite", "build", "--quiet", "--out", "custom", "--templates", "my-templates",
        cwd=site, env=env)
    assert "edited here" in (site / "custom" / "index.html").read_text(encoding="utf-8")

    # The install step of the workflows init wrote, run as CI runs it: a fresh venv, the site's
    # checkout as working folder, then the workflow's own commands.
    ci = new_venv(tmp_path / "ci-venv")
    ci_env = clean_env(ci)
    steps = yaml.safe_load((site / ".github" / "workflows" / "check.yml").read_text())
    install = next(s["run"] for s in steps["jobs"]["check"]["steps"]
                   if s.get("name", "").startswith("Install credsite"))
    assert "--require-hashes" in install
    for command in install.splitlines():
        run("bash", "-c", command, cwd=site, env=ci_env)
    assert run(ci / "bin" / "credsite", "check", "--strict", cwd=site, env=ci_env).returncode == 0
    # the hash pins the wheel: a changed wheel is refused
    pinned = site / ".github" / "credsite" / wheel.name
    with zipfile.ZipFile(pinned, "a") as archive:
        archive.writestr("credsite/extra.txt", "not what was pinned")
    again = run("bash", "-c", install.splitlines()[0] + " --force-reinstall", cwd=site, env=ci_env,
                check=False)
    assert again.returncode != 0 and "THESE PACKAGES DO NOT MATCH THE HASHES" in again.stderr

"""Which credsite a site's CI installs: exactly the one running now, from a pinned source.

credsite is not on PyPI yet, so a workflow that ran ``pip install credsite`` would install
whatever anyone registered under that name. A site's workflows instead install one of:

- **a wheel kept in the site repository** (``.github/credsite/<wheel>``), checked against its
  SHA-256 with pip's ``--require-hashes`` (pip's "Secure installs" mode); used when credsite was
  installed from a wheel file, or when ``--credsite-wheel`` names one. A given wheel must hold the
  same files, byte for byte, as the credsite that is running;
- **a git commit** (``credsite @ git+https://…@<40 hex digits>``, PEP 440 direct reference):
  used when credsite was installed from git (PEP 610 ``direct_url.json`` names the commit), from
  a clean checkout whose ``origin`` is a remote, or when ``--credsite-git`` names one.

The runtime dependencies are pinned (``==``) to the versions installed beside the running credsite,
so CI builds with what the maintainer tested.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.resources
import json
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from credsite import __version__
from credsite.errors import CredsiteError

FOLDER = ".github/credsite"  # in the site repository
COMMIT = re.compile(r"[0-9a-f]{40}")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@dataclass(frozen=True)
class Pin:
    """How CI installs this credsite: a requirements line, and the wheel to copy (if any)."""

    requirement: str  # a line of requirements.txt
    source: str  # for people: "wheel credsite-….whl (sha256 …)" or "git …@<commit>"
    wheel: Path | None = None  # copied into FOLDER

    @property
    def hashed(self) -> bool:
        return self.wheel is not None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _running_files() -> dict[str, bytes]:
    """The running credsite's files by their path inside a wheel (``credsite/trust/did.py``)."""
    files: dict[str, bytes] = {}
    for package, prefix in (("credsite", "credsite"), ("credsite.templates", "credsite/templates")):
        root = Path(str(importlib.resources.files(package)))
        for path in root.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                files.setdefault(f"{prefix}/{path.relative_to(root).as_posix()}", path.read_bytes())
    return files


def check_wheel_matches(wheel: Path) -> None:
    """CredsiteError unless ``wheel`` holds the running credsite's files, byte for byte."""
    try:
        with zipfile.ZipFile(wheel) as archive:
            packed = {n: archive.read(n) for n in archive.namelist()
                      if n.startswith("credsite/") and not n.endswith("/")}
    except (OSError, zipfile.BadZipFile) as exc:
        raise CredsiteError(f"cannot read the wheel: {exc}", where=str(wheel)) from None
    running = _running_files()
    differ = sorted(n for n in packed.keys() | running.keys() if packed.get(n) != running.get(n))
    if differ:
        raise CredsiteError(
            f"is not the credsite {__version__} that is running ({len(differ)} file(s) differ, e.g. "
            f"{differ[0]}): give the wheel this credsite was installed from", where=str(wheel))


def _direct_url() -> dict[str, object] | None:
    """PEP 610's record of where pip installed credsite from (None: an index or unknown)."""
    # A source checkout may hold a stale credsite.egg-info beside the installed metadata: take
    # the first record that says where it came from.
    for dist in importlib.metadata.distributions(name="credsite"):
        text = dist.read_text("direct_url.json")
        data = json.loads(text) if text else None
        if isinstance(data, dict):
            return data
    return None


def _git(folder: Path, *args: str) -> str | None:
    git = shutil.which("git")
    if git is None:
        return None
    done = subprocess.run([git, "-C", str(folder), *args], capture_output=True, text=True,  # noqa: S603
                          check=False)
    return done.stdout.strip() if done.returncode == 0 else None


def _checkout_pin(folder: Path) -> Pin:
    """The commit of a source checkout credsite runs from, if it is clean and has a remote."""
    commit = _git(folder, "rev-parse", "HEAD")
    if commit is None:
        raise CredsiteError(f"credsite runs from {folder}, which is not a git checkout")
    if _git(folder, "status", "--porcelain", "--untracked-files=no"):
        raise CredsiteError(f"credsite runs from {folder}, which has uncommitted changes: CI "
                            "could not install the same code; commit and push them first")
    remote = _git(folder, "remote", "get-url", "origin")
    if not remote or not remote.startswith(("https://", "ssh://", "git@")):
        raise CredsiteError(f"credsite runs from {folder}, whose commit CI cannot fetch (no "
                            "'origin' remote)")
    return git_pin(f"{remote}@{commit}")


def git_pin(spec: str) -> Pin:
    """A pin from ``URL@COMMIT`` (the commit as 40 hex digits: a branch or tag can move)."""
    url, _, commit = spec.rpartition("@")
    if not url or not COMMIT.fullmatch(commit):
        raise CredsiteError(f"--credsite-git {spec!r}: give URL@COMMIT with the full 40-digit "
                            "commit, e.g. https://github.com/ORG/credsite@3f2a…")
    url = url.removeprefix("git+")
    if url.startswith("git@"):  # scp-like syntax → an ssh:// URL pip understands
        host, _, path = url[4:].partition(":")
        url = f"ssh://git@{host}/{path}"
    return Pin(f"credsite @ git+{url}@{commit}", f"git {url}@{commit}")


def wheel_pin(wheel: Path) -> Pin:
    """A pin to ``wheel`` (checked to be the running credsite), installed by its SHA-256."""
    if not wheel.is_file() or not wheel.name.startswith("credsite-") or wheel.suffix != ".whl":
        raise CredsiteError("not a credsite wheel (credsite-<version>-py3-none-any.whl)",
                            where=str(wheel))
    check_wheel_matches(wheel)
    digest = _sha256(wheel)
    return Pin(f"./{FOLDER}/{wheel.name} --hash=sha256:{digest}",
               f"wheel {wheel.name} (sha256 {digest})", wheel)


def detect_pin() -> Pin:
    """How the running credsite was installed, as a pin (PEP 610 ``direct_url.json``)."""
    direct = _direct_url()
    hint = ": give --credsite-wheel WHEEL (the wheel you installed) or --credsite-git URL@COMMIT"
    if direct is None:
        raise CredsiteError("cannot tell where this credsite was installed from" + hint)
    url = str(direct.get("url", ""))
    vcs = direct.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and vcs.get("commit_id"):
        return git_pin(f"{url}@{vcs['commit_id']}")
    parts = urlsplit(url)
    if parts.scheme != "file":
        raise CredsiteError(f"credsite was installed from {url}" + hint)
    path = Path(unquote(parts.path))
    try:
        if "archive_info" in direct:
            return wheel_pin(path)
        return _checkout_pin(path)
    except CredsiteError as exc:
        raise CredsiteError(exc.message + hint, where=exc.where) from None


def dependency_pins() -> list[str]:
    """``name==version`` for every runtime dependency of credsite, as installed here."""
    pins: dict[str, str] = {}
    todo = ["credsite"]
    while todo:
        try:
            dist = importlib.metadata.distribution(todo.pop())
        except importlib.metadata.PackageNotFoundError:
            continue
        for requirement in dist.requires or []:
            name_match, _, marker = requirement.partition(";")
            if "extra" in marker:
                continue
            found = _NAME.match(name_match.strip())
            if found is None:
                continue
            name = found[0]
            key = re.sub(r"[-_.]+", "-", name).lower()  # PEP 503 normalized
            if key in pins:
                continue
            try:
                pins[key] = f"{name}=={importlib.metadata.version(name)}"
            except importlib.metadata.PackageNotFoundError:
                continue  # not for this platform (a marker): pip decides on the runner
            todo.append(name)
    return [pins[k] for k in sorted(pins)]

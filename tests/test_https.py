"""did:web is https: ``init``, ``check`` and ``build`` refuse an http:// base URL other than this
machine's (nobody else could resolve its DID document), unless ``--allow-http`` is given."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sitekit import make_site


def test_init_refuses_a_public_http_base_url(tmp_path: Path, run_cli: Any) -> None:
    code, _, err = run_cli("init", tmp_path / "site", "--base-url", "http://credentials.example.org",
                           "--no-passphrase")
    assert code != 0 and "did:web is resolved over https only" in err and "--allow-http" in err
    assert "Traceback" not in err and not (tmp_path / "site").exists()


def test_init_accepts_https_localhost_and_allow_http(tmp_path: Path, run_cli: Any) -> None:
    for name, url, extra in (("a", "https://credentials.example.org", ()),
                             ("b", "http://localhost:8000", ()),
                             ("c", "http://credentials.example.org", ("--allow-http",))):
        code, _, err = run_cli("init", tmp_path / name, "--base-url", url, "--no-passphrase", *extra)
        assert "did:web is resolved over https only" not in err, (url, err)
        assert code == 0 or "https only" not in err, (url, err)


def test_check_and_build_refuse_a_public_http_base_url(tmp_path: Path, run_cli: Any) -> None:
    site = make_site(tmp_path / "site", "http://credentials.example.org")
    for command in (("check",), ("build", "--out", str(tmp_path / "out"))):
        code, _, err = run_cli(*command, "--content", site.content)
        assert code != 0 and "did:web is resolved over https only" in err, (command, err)
        assert "site.yaml" in err
    assert not (tmp_path / "out").exists()
    code, out, err = run_cli("build", "--out", tmp_path / "out", "--content", site.content,
                             "--allow-http")
    assert code == 0, err
    code, _, err = run_cli("check", "--content", site.content, "--allow-http")
    assert "https only" not in err

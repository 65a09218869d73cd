"""Signing keys: ``credsite keygen``, key files, passphrases, CREDSITE_SIGNING_KEY, ``credsite init``.

Keys encrypted by ``keygen`` use argon2id with MODERATE limits (about half a second and 256 MiB per
derivation), so only a few tests use them; the others use unencrypted keys or ``fast_kdf``.
"""

from __future__ import annotations

import base64
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import nacl.pwhash
import pytest
import yaml
from sitekit import MiniSite, award_row

from credsite.errors import KeyFileError
from credsite.issuer import keys

RunCli = Callable[..., tuple[int, str, str]]
PASSPHRASE = "correct horse battery staple"  # noqa: S105 - a test passphrase


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _printed_entry(out: str) -> dict[str, str]:
    lines = out.splitlines()
    assert lines[1] == "add this entry under 'keys:' in content/site.yaml:"
    [entry] = yaml.safe_load("\n".join(lines[2:]))
    return dict(entry)


def _seed(signer: keys.Signer) -> bytes:
    return bytes(signer._key)


# ------------------------------------------------------------------------------ keygen

def test_keygen_encrypts_with_argon2id_by_default(tmp_path: Path, run_cli: RunCli,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREDSITE_PASSPHRASE", PASSPHRASE)
    path = tmp_path / "new.key"
    code, out, err = run_cli("keygen", "--out", path, "--id", "key-2027",
                             "--valid-from", "2027-01-01T00:00:00Z")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == f"wrote {path} (mode 0600, encrypted)"
    assert _mode(path) == 0o600
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "credsite-signing-key/1"
    assert "seed" not in data
    assert data["kdf"]["name"] == "argon2id"
    assert data["kdf"]["opslimit"] == nacl.pwhash.argon2id.OPSLIMIT_MODERATE
    assert data["kdf"]["memlimit"] == nacl.pwhash.argon2id.MEMLIMIT_MODERATE
    assert len(base64.b64decode(data["kdf"]["salt"])) == nacl.pwhash.argon2id.SALTBYTES
    entry = _printed_entry(out)
    assert entry == {"id": "key-2027", "public_key": data["public_key"],
                     "valid_from": "2027-01-01T00:00:00Z"}
    signer = keys.load_signer(path)  # passphrase from CREDSITE_PASSPHRASE
    assert signer.key_id == "key-2027"
    assert signer.public_multikey == entry["public_key"]
    text = path.read_text(encoding="utf-8")
    assert base64.b64encode(_seed(signer)).decode() not in text
    assert _seed(signer).hex() not in text + out


def test_keygen_without_passphrase(tmp_path: Path, run_cli: RunCli) -> None:
    path = tmp_path / "plain.key"
    code, out, err = run_cli("keygen", "--out", path, "--no-passphrase")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == f"wrote {path} (mode 0600, NOT encrypted)"
    assert _mode(path) == 0o600
    data = json.loads(path.read_text(encoding="utf-8"))
    assert "kdf" not in data and "sealed_seed" not in data
    signer = keys.load_signer(path)
    entry = _printed_entry(out)
    assert entry["id"] == "key-1" == signer.key_id
    assert entry["public_key"] == signer.public_multikey == data["public_key"]
    assert entry["public_key"].startswith("z6Mk")
    assert _seed(signer).hex() not in out


def test_keygen_refuses_to_overwrite(tmp_path: Path, run_cli: RunCli) -> None:
    path = tmp_path / "taken.key"
    path.write_text("precious", encoding="utf-8")
    code, out, err = run_cli("keygen", "--out", path, "--no-passphrase")
    assert code == 1 and out == ""
    assert err == f"error: {path}: already exists; choose another --out path\n"
    assert path.read_text(encoding="utf-8") == "precious"


def test_printed_entry_works_in_site_yaml(make_site: Callable[..., MiniSite], run_cli: RunCli,
                                          tmp_path: Path) -> None:
    site = make_site()
    path = tmp_path / "fresh.key"
    code, out, _ = run_cli("keygen", "--out", path, "--no-passphrase", "--id", "key-1",
                           "--valid-from", "2024-01-01T00:00:00Z")
    assert code == 0
    entry_text = "\n".join(out.splitlines()[2:]) + "\n"
    text = site.site_yaml.read_text(encoding="utf-8")
    site.site_yaml.write_text(text[:text.index("keys:\n") + 6] + entry_text, encoding="utf-8")
    csv_path = site.write_csv([award_row()])
    code, out, err = run_cli("issue", csv_path, "--content", site.content, "--key", path)
    assert code == 0, err
    code, out, err = run_cli("verify", "--content", site.content)
    assert code == 0, out
    assert out.splitlines()[-1] == "all verified"


# ------------------------------------------------------------------------------ passphrases

def _encrypted_site_key(site: MiniSite, passphrase: str) -> Path:
    path = site.root / "encrypted.key"
    path.write_text(keys.key_file_text(site.signer, passphrase, fast_kdf=True), encoding="utf-8")
    return path


def test_wrong_passphrase_is_a_clear_error(mini_site: MiniSite, run_cli: RunCli,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = _encrypted_site_key(mini_site, PASSPHRASE)
    csv_path = mini_site.write_csv([award_row()])
    monkeypatch.setenv("CREDSITE_PASSPHRASE", "not the passphrase")
    code, out, err = run_cli("issue", csv_path, "--content", mini_site.content, "--key", path)
    assert code == 1 and out == ""
    assert err == f"error: {path}: wrong passphrase (or the key file is damaged)\n"
    assert mini_site.batches() == []
    monkeypatch.setenv("CREDSITE_PASSPHRASE", PASSPHRASE)
    code, out, err = run_cli("issue", csv_path, "--content", mini_site.content, "--key", path)
    assert code == 0, err
    assert len(mini_site.batches()) == 1


def test_encrypted_key_without_a_passphrase(mini_site: MiniSite) -> None:
    text = keys.key_file_text(mini_site.signer, PASSPHRASE, fast_kdf=True)
    with pytest.raises(KeyFileError, match="key is encrypted; give the passphrase at the prompt "
                                           "or in CREDSITE_PASSPHRASE"):
        keys.read_key_text(text, "k.key", None)
    assert keys.needs_passphrase(text)
    assert not keys.needs_passphrase(keys.key_file_text(mini_site.signer, None))


@pytest.mark.parametrize(("damage", "message"), [
    (lambda d: "not json", "not a credsite key file (line 1)"),
    (lambda d: json.dumps({**d, "format": "other/1"}), "not a credsite key file"),
    (lambda d: json.dumps({**d, "public_key": keys.generate("x").public_multikey}),
     "key file is damaged: public key does not match"),
    (lambda d: json.dumps({**d, "seed": base64.b64encode(b"short").decode()}),
     "key file is damaged: the seed is not 32 bytes"),
    (lambda d: json.dumps({**d, "seed": "!!!"}), "key file is damaged or incomplete"),
], ids=["not json", "format", "public key", "seed length", "seed base64"])
def test_damaged_key_file(mini_site: MiniSite, run_cli: RunCli,
                          damage: Callable[[dict[str, str]], str], message: str) -> None:
    data = json.loads(mini_site.key_path.read_text(encoding="utf-8"))
    path = mini_site.root / "damaged.key"
    path.write_text(damage(data), encoding="utf-8")
    csv_path = mini_site.write_csv([award_row()])
    code, _, err = run_cli("issue", csv_path, "--content", mini_site.content, "--key", path)
    assert code == 1
    assert err.startswith(f"error: {path}: {message}"), err
    assert len(err.splitlines()) == 1
    assert mini_site.batches() == []


# ------------------------------------------------------------------------------ CREDSITE_SIGNING_KEY

def test_signing_key_from_environment(mini_site: MiniSite, run_cli: RunCli,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREDSITE_SIGNING_KEY", mini_site.key_path.read_text(encoding="utf-8"))
    csv_path = mini_site.write_csv([award_row(),
                                    award_row(name="Alan Turing", email="alan@example.org")])
    code, out, err = run_cli("issue", csv_path, "--content", mini_site.content)
    assert code == 0, err
    assert len(out.splitlines()) == 4  # two IDs, "issued …", "report …"
    code, out, _ = run_cli("verify", "--content", mini_site.content)
    assert code == 0 and out.splitlines()[-1] == "all verified"


def test_encrypted_signing_key_from_environment(mini_site: MiniSite, run_cli: RunCli,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    text = keys.key_file_text(mini_site.signer, PASSPHRASE, fast_kdf=True)
    monkeypatch.setenv("CREDSITE_SIGNING_KEY", text)
    monkeypatch.setenv("CREDSITE_PASSPHRASE", PASSPHRASE)
    csv_path = mini_site.write_csv([award_row()])
    code, _, err = run_cli("issue", csv_path, "--content", mini_site.content)
    assert code == 0, err
    monkeypatch.setenv("CREDSITE_PASSPHRASE", "wrong")
    code, _, err = run_cli("issue", mini_site.write_csv([award_row(name="Alan Turing",
                                                                   email="alan@example.org")]),
                           "--content", mini_site.content)
    assert code == 1
    assert err == "error: CREDSITE_SIGNING_KEY: wrong passphrase (or the key file is damaged)\n"


def test_no_signing_key_at_all(mini_site: MiniSite, run_cli: RunCli) -> None:
    assert "CREDSITE_SIGNING_KEY" not in os.environ  # cleared by the autouse fixture
    csv_path = mini_site.write_csv([award_row()])
    code, out, err = run_cli("issue", csv_path, "--content", mini_site.content)
    assert (code, out) == (1, "")
    assert err == "error: no signing key: pass --key PATH or set CREDSITE_SIGNING_KEY\n"
    assert mini_site.batches() == []


def test_key_that_is_not_valid_now_cannot_sign(make_site: Callable[..., MiniSite],
                                               run_cli: RunCli) -> None:
    site = make_site(key_valid_from="2099-01-01T00:00:00Z")
    csv_path = site.write_csv([award_row()])
    code, _, err = run_cli("issue", csv_path, "--content", site.content, "--key", site.key_path)
    assert code == 1
    # Refused by the verification checklist itself, with verify's message, naming the row.
    assert err.startswith(f"error: {csv_path}:2: [issuer-key] key key-1 was not yet valid when "
                          "it signed on "), err
    assert err.endswith("(valid from 2099-01-01T00:00:00Z)\n1 bad row found\n"), err
    assert site.batches() == []


# ------------------------------------------------------------------------------ credsite init

def test_init_creates_a_working_site(tmp_path: Path, run_cli: RunCli) -> None:
    folder = tmp_path / "newsite"
    code, out, err = run_cli("init", folder, "--no-passphrase", "--local", "--credsite-git",
                             "https://github.com/example/credsite@" + "0" * 40)
    assert (code, err) == (0, "")
    assert "demo: true\n" in (folder / "content" / "site.yaml").read_text(encoding="utf-8")
    assert out.splitlines()[0] == f"created {folder}"
    assert {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} == {
        "signing.key", "recovery.key", "freshness.key", ".gitignore", "README.md",
        "results-example.csv", "content/site.yaml",
        "content/credentials/EXAMPLE-1.md", "content/pages/about.md",
        ".github/workflows/check.yml", ".github/workflows/deploy.yml",
        ".github/workflows/status-freshness.yml",
        ".github/credsite/requirements.txt", ".github/credsite/dependencies.txt"}
    key = folder / "signing.key"
    assert _mode(key) == 0o600
    assert "seed" in json.loads(key.read_text(encoding="utf-8"))
    ignored = (folder / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {"*.key", "output/", ".credsite-cache/"} <= set(ignored)  # key; list of credential IDs
    assert "private repository" in out
    content = folder / "content"
    code, out, err = run_cli("check", "--content", content)
    assert code == 0, out
    assert out == "content OK: 1 credential types, 1 pages, 0 awards\n"
    code, out, err = run_cli("issue", folder / "results-example.csv", "--content", content,
                             "--key", key)
    assert code == 0, err
    [cred_id] = [line.split()[0] for line in out.splitlines()[:-2]]
    assert out.splitlines()[0] == f"{cred_id}  http://localhost:8000/c/{cred_id}"
    code, out, err = run_cli("verify", "--content", content)
    assert code == 0, out
    assert out.splitlines()[0].startswith(f"OK    {cred_id}  ")
    assert out.splitlines()[-1] == "all verified"
    code, out, _ = run_cli("check", "--content", content)
    assert out == "content OK: 1 credential types, 1 pages, 1 awards\n"


def test_init_encrypts_the_key_by_default(tmp_path: Path, run_cli: RunCli,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREDSITE_PASSPHRASE", PASSPHRASE)
    folder = tmp_path / "encrypted-site"
    code, _, err = run_cli("init", folder, "--base-url", "https://creds.example.org", "--no-ci")
    assert code == 0, err
    data = json.loads((folder / "signing.key").read_text(encoding="utf-8"))
    assert data["kdf"]["name"] == "argon2id" and "seed" not in data
    site_yaml = (folder / "content" / "site.yaml").read_text(encoding="utf-8")
    assert "base_url: https://creds.example.org\n" in site_yaml and "demo: false\n" in site_yaml


def test_init_refuses_to_guess_the_address(tmp_path: Path, run_cli: RunCli) -> None:
    folder = tmp_path / "site"
    code, out, err = run_cli("init", folder, "--no-passphrase")
    assert (code, out) == (1, "")
    assert err == ("error: credsite init needs the site's public address: --base-url "
                   "https://credentials.example.org (it is signed into every credential; choose "
                   "it before issuing). For a trial site on this machine, pass --local instead\n")
    assert not folder.exists()
    code, _, err = run_cli("init", folder, "--local", "--base-url", "https://creds.example.org")
    assert code == 1 and err == "error: give either --base-url or --local, not both\n"


def test_init_refuses_an_existing_folder(tmp_path: Path, run_cli: RunCli) -> None:
    folder = tmp_path / "taken"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    code, out, err = run_cli("init", folder, "--no-passphrase", "--local", "--no-ci")
    assert (code, out) == (1, "")
    assert err == f"error: {folder}: exists and is not empty; choose a new folder\n"
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    code, out, err = run_cli("init", a_file, "--no-passphrase", "--local", "--no-ci")
    assert code == 1 and "Traceback" not in err
    assert err == f"error: {a_file}: exists and is not a folder; choose a new folder\n"


@pytest.mark.parametrize("url", ["ftp://creds.example.org", "creds.example.org", "https://",
                                 "https://creds.example.org/?x=1",
                                 "http://localhost:99999", "http://localhost:port"])
def test_init_refuses_a_base_url_that_is_not_http(tmp_path: Path, run_cli: RunCli,
                                                  url: str) -> None:
    folder = tmp_path / "site"
    code, out, err = run_cli("init", folder, "--no-passphrase", "--base-url", url, "--no-ci")
    assert (code, out) == (1, "")
    assert err == (f"error: base_url {url!r} must be an http(s) URL such as "
                   "https://credentials.example.org\n")
    assert not folder.exists()

"""Small things a maintainer meets (issue 14, item 8).

- A Markdown link to a page the site does not have is reported as MkDocs reports it: a warning
  naming the file, line and link from ``credsite build`` and ``credsite check``; ``--strict``
  makes it an error (and then nothing is built).
- ``credsite verify | head`` ends quietly: a reader that closes the pipe early is no traceback.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from sitekit import MiniSite, award_row

RunCli = Callable[..., tuple[int, str, str]]

ENTRY = "TEST-MMS"


def add_links(site: MiniSite, *links: str) -> Path:
    """Append a paragraph with ``links`` to the TEST-MMS catalog entry; returns its file."""
    path = site.content / "credentials" / f"{ENTRY}.md"
    body = " ".join(f"[link {n}]({target})" for n, target in enumerate(links))
    path.write_text(path.read_text(encoding="utf-8") + f"\nSee {body}.\n", encoding="utf-8")
    return path


def test_links_to_published_targets_are_not_reported(mini_site: MiniSite, run_cli: RunCli,
                                                     tmp_path: Path) -> None:
    (mini_site.content / "static").mkdir()
    (mini_site.content / "static" / "guide.pdf").write_bytes(b"%PDF-1.4\n")
    add_links(mini_site, "/pages/about/", "/pages/about", "/credentials/", "/credentials/TEST-CNC/",
              "/verify/#email", "/guide.pdf", "/badges/TEST-PB.svg", "https://example.org/missing/",
              "mailto:x@example.org", "#theory", "../TEST-PB/", "/c/0000000000000000",
              "/.well-known/did.json")
    code, out, err = run_cli("check", "--content", mini_site.content, "--strict")
    assert (code, out.splitlines()[-1]) == (0, "content OK: 3 credential types, 1 pages, 0 awards")
    code, out, err = run_cli("build", "--content", mini_site.content, "--out", tmp_path / "out",
                             "--quiet", "--strict")
    assert code == 0 and err == ""


def test_a_link_to_a_missing_page_is_a_warning_with_file_and_line(mini_site: MiniSite, run_cli: RunCli,
                                                                   tmp_path: Path) -> None:
    source = add_links(mini_site, "/pages/credentialing-process/")
    line = source.read_text(encoding="utf-8").splitlines().index(
        "See [link 0](/pages/credentialing-process/).") + 1
    (mini_site.content / "pages" / "fees.md").write_text(
        "---\ntitle: Fees\n---\nSee [the guide](../guide/) and [about](../about/).\n", encoding="utf-8")
    expected_entry = (f"{source}:{line}: links to '/pages/credentialing-process/', which is not a "
                      "page or file of this site (fix the link, or add the page under content/pages/)")
    expected_page = f"{mini_site.content / 'pages' / 'fees.md'}:4: links to '../guide/'"

    code, out, err = run_cli("check", "--content", mini_site.content)
    assert code == 0
    assert f"WARN  {expected_entry}" in out.splitlines()
    assert any(line.startswith(f"WARN  {expected_page}") for line in out.splitlines())
    assert "'../about/'" not in out  # /pages/about/ exists
    assert out.splitlines()[-1].endswith("; 2 broken link(s)")

    code, out, err = run_cli("build", "--content", mini_site.content, "--out", tmp_path / "out",
                             "--quiet")
    assert code == 0 and out.startswith("built ")
    assert f"warning: {expected_entry}" in err.splitlines()
    assert (tmp_path / "out" / "index.html").is_file()


def test_strict_makes_a_broken_link_an_error(mini_site: MiniSite, run_cli: RunCli,
                                             tmp_path: Path) -> None:
    add_links(mini_site, "/pages/credentialing-process/")
    code, out, err = run_cli("check", "--content", mini_site.content, "--strict")
    assert code == 1
    assert out.splitlines()[-2].startswith("FAIL  ")
    assert "/pages/credentialing-process/" in out.splitlines()[-2]
    assert out.splitlines()[-1] == "1 problem(s) found (broken links are errors with --strict)"

    code, out, err = run_cli("build", "--content", mini_site.content, "--out", tmp_path / "out",
                             "--quiet", "--strict")
    assert code == 1
    assert err.splitlines()[-1] == "error: 1 broken link(s) with --strict; nothing was built"
    assert not (tmp_path / "out").exists()


def test_verify_into_a_closed_pipe_ends_without_a_traceback(mini_site: MiniSite) -> None:
    """``credsite verify | head -1``: the reader closes the pipe before credsite has written."""
    mini_site.issue([award_row(name=f"Holder {n}", email=f"h{n}@example.org") for n in range(300)])
    process = subprocess.Popen(
        [sys.executable, "-m", "credsite", "verify", "--content", str(mini_site.content)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # as head does once it has its lines
    err = process.stderr.read().decode()
    assert process.wait(timeout=60) == 1
    assert err == ""

    shell = subprocess.run(
        f"'{sys.executable}' -m credsite verify --content '{mini_site.content}' | head -n 2",
        shell=True, capture_output=True, text=True, timeout=60, check=True)
    assert len(shell.stdout.splitlines()) == 2 and shell.stdout.startswith("OK    ")
    assert shell.stderr == ""

"""Issue 16, finding 4, in Chromium: a signed field must be really seen, not only present.

The page check used to compare each field's textContent only, so a page that hid the real name
(``hidden``, a closed ``<details>``, opacity 0, a box laid over it) and showed a fake one beside it
said Verified. Now each signed field must pass checkVisibility() with every option, have a box in
the page, and be what a hit test at its middle finds; dates must be ``<time datetime>``. The
pages are edited as an attacker would, CSP included (inline styles allowed).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from e2e_kit import open_and_verify, page_path
from sitekit import make_site, row

HOLDER = '<p class="cert-holder" data-f="holder">Ada Lovelace</p>'
FAKE = '<p class="cert-holder">Mallory Evil</p>'


@pytest.fixture
def site(tmp_path: Path, serve_dir: Callable[..., str]) -> tuple[Path, str, str]:
    out = tmp_path / "out"
    base = serve_dir(out)
    mini = make_site(tmp_path / "site", base)
    [cred_id] = mini.issue([row("Ada Lovelace", "TEST-MMS", "2026-03-14T15:00:00Z")])
    mini.build(out)
    return out, base, cred_id


def edit(out: Path, cred_id: str, old: str, new: str) -> None:
    path = page_path(out, cred_id)
    html = path.read_text(encoding="utf-8")
    assert old in html, old
    html = html.replace(old, new, 1).replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
    path.write_text(html, encoding="utf-8")


DISGUISES = {
    "hidden attribute": HOLDER.replace("<p ", "<p hidden ") + FAKE,
    "closed details": f"<details><summary>More</summary>{HOLDER}</details>{FAKE}",
    "opacity 0": HOLDER.replace("<p ", '<p style="opacity:0" ') + FAKE,
    "visibility hidden": HOLDER.replace("<p ", '<p style="visibility:hidden" ') + FAKE,
    "off the page": HOLDER.replace("<p ", '<p style="position:absolute;left:-9999px" ') + FAKE,
    "zero size": HOLDER.replace("<p ", '<p style="height:0;overflow:hidden;margin:0" ') + FAKE,
    "box laid over it": ('<div style="position:relative">' + HOLDER +
                         '<p style="position:absolute;inset:0;margin:0;background:#fff">'
                         "Mallory Evil</p></div>"),
}


@pytest.mark.parametrize("disguise", list(DISGUISES.values()), ids=list(DISGUISES))
def test_a_hidden_or_covered_name_is_never_verified(
    site: tuple[Path, str, str], new_page: Callable[..., Any], disguise: str
) -> None:
    out, base, cred_id = site
    assert open_and_verify(new_page(), f"{base}/c/{cred_id}").verdict == "verified"
    edit(out, cred_id, HOLDER, disguise)
    result = open_and_verify(new_page(), f"{base}/c/{cred_id}")
    assert result.verdict == "invalid", result.summary()
    page = result.check("page")
    assert (page.status, page.code) == ("failed", "hidden-field"), result.summary()
    assert "holder" in page.reason
    # The verdict names the holder from the signed data, as a quoted value.
    assert "Ada Lovelace" in result.text and "Verified" not in result.text


def test_a_date_not_in_a_time_element_is_altered(
    site: tuple[Path, str, str], new_page: Callable[..., Any]
) -> None:
    out, base, cred_id = site
    html = page_path(out, cred_id).read_text(encoding="utf-8")
    start = html.index('<time data-f="valid-from"')
    end = html.index("</time>", start) + len("</time>")
    shown = html[html.index(">", start) + 1:end - len("</time>")]
    edit(out, cred_id, html[start:end], f'<span data-f="valid-from">{shown}</span>')
    result = open_and_verify(new_page(), f"{base}/c/{cred_id}")
    assert result.verdict == "invalid", result.summary()
    assert result.check("page").code == "page-altered"
    assert "valid-from datetime" in result.check("page").reason


def test_the_holder_is_named_on_a_copy(
    site: tuple[Path, str, str], tmp_path: Path, serve_dir: Callable[..., str],
    new_page: Callable[..., Any]
) -> None:
    """A genuine record on a copy with a fake name shown: the banner names the signed holder."""
    out, _, cred_id = site
    mirror = tmp_path / "mirror"
    shutil.copytree(out, mirror)
    result = open_and_verify(new_page(), f"{serve_dir(mirror)}/c/{cred_id}")
    assert result.verdict == "copy", result.summary()
    assert "The credential of “Ada Lovelace” is genuine" in result.text or \
        "The credential of Ada Lovelace is genuine" in result.text, result.text


# Issue 16: the certificate's whole visible text must be its labels and the signed values. Text
# added anywhere in it (a copy that claims more than was signed) fails the page check, even when
# every signed field is still there, visible and unchanged.
NAME_LINE = '<p class="cert-name" data-f="credential-name">Measurement, Materials &amp; Safety</p>'
ISSUED_BY = '<div class="wide"><dt data-l="issued-by">Issued by</dt>'
INJECTIONS = {
    "a paragraph after the credential name": (
        NAME_LINE, NAME_LINE + '<p class="cert-lead">and also holds Master Machinist III</p>'),
    "a fact in the list": (
        ISSUED_BY, "<div><dt>Also holds</dt><dd>Master Machinist III</dd></div>" + ISSUED_BY),
    "a second label element": (
        NAME_LINE, NAME_LINE + '<p class="cert-lead" data-l="earned">and Master III</p>'),
    "words beside a label": (
        '<p class="cert-lead" data-l="certifies">This certifies that</p>',
        '<p class="cert-lead" data-l="certifies">This certifies that</p>'
        '<p class="cert-lead">, with honours,</p>'),
    "an image of text": (NAME_LINE, NAME_LINE + '<img src="/assets/logo.svg" alt="">'),
    "a date text of another year (same datetime)": (">March 14, 2026</time>",
                                                     ">March 14, 2016</time>"),
    "a sentence in the date": (">March 14, 2026</time>", ">March 14, 2026, with honours</time>"),
    "a Spanish date on an English page": (">March 14, 2026</time>",
                                          ">14 de marzo de 2026</time>"),
}


@pytest.mark.parametrize("injection", list(INJECTIONS.values()), ids=list(INJECTIONS))
def test_text_added_to_the_certificate_is_never_verified(
    site: tuple[Path, str, str], new_page: Callable[..., Any], injection: tuple[str, str]
) -> None:
    out, base, cred_id = site
    edit(out, cred_id, *injection)
    result = open_and_verify(new_page(), f"{base}/c/{cred_id}")
    assert result.verdict == "invalid", result.summary()
    page = result.check("page")
    assert (page.status, page.code) == ("failed", "page-altered"), result.summary()
    assert "Verified" not in result.text and "Ada Lovelace" in result.text


TRANSLATED = {
    "a label in Spanish": ('<p class="cert-lead" data-l="certifies">This certifies that</p>',
                           '<p class="cert-lead" data-l="certifies">Se certifica que</p>'),
    "a date formatted in Spanish": (">March 14, 2026</time>", ">14 de marzo de 2026</time>"),
}


@pytest.mark.parametrize("change", list(TRANSLATED.values()), ids=list(TRANSLATED))
def test_labels_and_dates_in_another_language_still_verify(
    site: tuple[Path, str, str], new_page: Callable[..., Any], change: tuple[str, str]
) -> None:
    """Labels are read from the page's own label elements and dates by their datetime, so a
    page localized by the build or in the browser is compared in its own words."""
    out, base, cred_id = site
    edit(out, cred_id, *change)
    if change == TRANSLATED["a date formatted in Spanish"]:
        edit(out, cred_id, '<html lang="en"', '<html lang="es"')
    result = open_and_verify(new_page(), f"{base}/c/{cred_id}")
    assert result.verdict == "verified", result.summary()

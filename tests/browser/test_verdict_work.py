"""Issue 20, item 3: what a credential page's verdict waits for, counted in Chromium (not timed).

On a throttled phone the verdict waited less for arithmetic than for trips: each WebCrypto call
goes to the browser's crypto thread and comes back as a task, and each scroll of the page check's
hit test costs a layout. The verifier now imports a key once for the record and its status list,
hashes the proof options and the document at once, reads the status list beside the record's
signature check, and scrolls only for fields outside the middle of the viewport. These tests
count those calls on a real page, at a phone's viewport, with the verdict still Verified; and a
covered field is still found when the tester has not scrolled to it (the field in the first
screen).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from e2e_kit import open_and_verify, page_path
from sitekit import make_site, row

# Counts the calls, and how many crypto calls were in flight at once, before any page script.
COUNT_CALLS = """
(() => {
  const counts = { importKey: 0, digest: 0, verify: 0, scrollTo: 0, inFlight: 0, maxInFlight: 0 };
  window.__calls = counts;
  const subtle = crypto.subtle;
  for (const name of ['importKey', 'digest', 'verify']) {
    const original = subtle[name].bind(subtle);
    subtle[name] = function (...args) {
      counts[name] += 1;
      counts.inFlight += 1;
      counts.maxInFlight = Math.max(counts.maxInFlight, counts.inFlight);
      const done = () => { counts.inFlight -= 1; };
      const result = original(...args);
      result.then(done, done);
      return result;
    };
  }
  const scrollTo = window.scrollTo.bind(window);
  window.scrollTo = function (...args) { counts.scrollTo += 1; return scrollTo(...args); };
})();
"""


@pytest.fixture
def site(tmp_path: Path, serve_dir: Callable[..., str]) -> tuple[Path, str, str]:
    out = tmp_path / "out"
    base = serve_dir(out)
    mini = make_site(tmp_path / "site", base)
    [cred_id] = mini.issue([row("Ada Lovelace", "TEST-MMS", "2026-03-14T15:00:00Z")])
    mini.build(out)
    return out, base, cred_id


def phone_page(new_page: Callable[..., Any]) -> Any:
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.add_init_script(COUNT_CALLS)
    return page


def test_one_key_import_for_the_record_and_its_status_list(
    site: tuple[Path, str, str], new_page: Callable[..., Any]
) -> None:
    _, base, cred_id = site
    page = phone_page(new_page)
    result = open_and_verify(page, f"{base}/c/{cred_id}")
    assert result.verdict == "verified", result.summary()
    calls = page.evaluate("window.__calls")
    # The support probe's key and the issuer's key, which signed both the record and the list
    # (before: one import per proof, three in all).
    assert calls["importKey"] == 2, calls
    # Two proofs verified, each hashing its options and its document.
    assert calls["verify"] == 2 and calls["digest"] == 4, calls
    # Hashes, imports and the list's check overlap: more than one trip in flight at a time
    # (before: one after the other, never two).
    assert calls["maxInFlight"] >= 3, calls


def test_the_page_check_scrolls_a_few_times_and_back(
    site: tuple[Path, str, str], new_page: Callable[..., Any]
) -> None:
    _, base, cred_id = site
    page = phone_page(new_page)
    result = open_and_verify(page, f"{base}/c/{cred_id}")
    assert result.verdict == "verified", result.summary()
    fields = page.evaluate("document.querySelectorAll('[data-f]').length")
    calls = page.evaluate("window.__calls")
    assert fields >= 8
    # Before: two scrolls a field (there and back). Now: one per screen of fields, and one back.
    assert 1 <= calls["scrollTo"] <= 5, (calls, fields)
    assert page.evaluate("[window.scrollX, window.scrollY]") == [0, 0]


def test_a_covered_field_in_the_first_screen_is_found_without_scrolling(
    site: tuple[Path, str, str], new_page: Callable[..., Any]
) -> None:
    """The holder's name sits in the first screen: tested where it is, and a box laid over it
    there still fails the page check."""
    out, base, cred_id = site
    holder = '<p class="cert-holder" data-f="holder">Ada Lovelace</p>'
    path = page_path(out, cred_id)
    html = path.read_text(encoding="utf-8")
    assert holder in html
    html = html.replace(holder, '<div style="position:relative">' + holder +
                        '<p style="position:absolute;inset:0;margin:0;background:#fff">Mallory</p>'
                        "</div>", 1).replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
    path.write_text(html, encoding="utf-8")
    page = phone_page(new_page)
    result = open_and_verify(page, f"{base}/c/{cred_id}")
    assert result.verdict == "invalid", result.summary()
    check = result.check("page")
    assert (check.status, check.code) == ("failed", "hidden-field"), result.summary()
    assert "holder is covered by another element" in check.reason

"""Accessibility and small screens on a real build of the demo, in Chromium.

- axe-core (npm devDependency, ``node_modules/axe-core/axe.min.js``; ``.ci/run`` runs ``npm ci``)
  finds no violations on every page type: home, catalog, a credential type, a credential page
  after verification, /verify/ (before and after checking a credential and an e-mail), a plain
  page and the 404 page.
- Keyboard: Tab reaches every sharing and employer control of a credential page, in order, each
  with a visible focus outline.
- No horizontal scrolling at 360 px wide on every page type.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import missing
from e2e_kit import credential_ids
from sitehost import host_site, wait_verified

from credsite.build.pipeline import build_site

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
BASE = "http://localhost:8000"
PAGES = {
    "home": "/",
    "catalog": "/credentials/",
    "credential type": "/credentials/MACH1-MMS/",
    "plain page": "/pages/accessing-and-printing/",
    "verify": "/verify/",
    "404": "/no/such/page/",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("a11y") / "out"
    build_site(REPO_ROOT / "content", out, quiet=True)
    return out


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        missing("axe-core is not installed: run `npm ci` in the repository")
    return AXE.read_text(encoding="utf-8")


def open_site(new_page: Any, out: Path, path: str, **options: Any) -> Any:
    page = new_page(**options)
    host_site(page.context, out, BASE)
    response = page.goto(BASE + path)
    assert response is not None
    assert response.ok or path == PAGES["404"], f"{path}: HTTP {response.status}"
    if path.startswith("/c/"):
        wait_verified(page)
    return page


def axe_violations(page: Any, axe_source: str) -> list[str]:
    """Run axe-core (injected through the DevTools protocol, so the page's CSP stays on)."""
    page.evaluate(axe_source)
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)}));
    }""")
    return [f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"][:5])
            for v in result]


@pytest.mark.parametrize("name", list(PAGES))
def test_no_axe_violations(demo: Path, new_page: Any, axe_source: str, name: str) -> None:
    page = open_site(new_page, demo, PAGES[name])
    if name == "404":
        assert page.locator("h1").inner_text() == "Page not found"
    violations = axe_violations(page, axe_source)
    assert not violations, f"{name}:\n" + "\n".join(violations)
    assert not page.credsite_errors


def test_no_axe_violations_on_a_verified_credential_page(demo: Path, new_page: Any,
                                                          axe_source: str) -> None:
    page = open_site(new_page, demo, f"/c/{credential_ids(demo)[0]}")
    assert page.get_attribute("#verdict", "data-verdict") == "verified"
    assert page.locator("#checks li").count() >= 7
    violations = axe_violations(page, axe_source)
    assert not violations, "\n".join(violations)
    # and with the sharing and e-mail results showing
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=BASE)
    page.click("#copy-link")
    page.wait_for_selector("#share-status:not(:empty)")
    page.fill("#email-check-input", "someone@example.org")
    page.click("#email-check-form button[type=submit]")
    page.wait_for_selector("#email-check-result[data-result]")
    violations = axe_violations(page, axe_source)
    assert not violations, "\n".join(violations)
    assert not page.credsite_errors


def test_no_axe_violations_on_the_verify_page_with_a_result(demo: Path, new_page: Any,
                                                            axe_source: str) -> None:
    page = open_site(new_page, demo, "/verify/")
    cred_id = credential_ids(demo)[1]
    page.fill("#verify-input", (demo / "c" / f"{cred_id}.json").read_text(encoding="utf-8"))
    page.click("#verify-button")
    page.wait_for_selector("#verdict[data-verdict='verified']")
    page.fill("#email-check-input", "someone@example.org")
    page.click("#email-check-form button[type=submit]")
    page.wait_for_selector("#email-check-result[data-result='mismatch']")
    page.fill("#lookup-id", "not an id")
    page.click("#lookup button[type=submit]")
    page.wait_for_selector("#lookup-error:not([hidden])")
    violations = axe_violations(page, axe_source)
    assert not violations, "\n".join(violations)


# --------------------------------------------------------------------------- keyboard

FOCUS_JS = r"""() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const text = el.tagName === 'INPUT' ? el.value : el.textContent;
  return {id: el.id, tag: el.tagName.toLowerCase(), text: text.replace(/\s+/g, ' ').trim(),
          focusVisible: el.matches(':focus-visible'),
          outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
          visible: box.width > 0 && box.height > 0};
}"""


def test_keyboard_reaches_every_sharing_and_employer_control(demo: Path, new_page: Any) -> None:
    page = open_site(new_page, demo, f"/c/{credential_ids(demo)[2]}")
    page.wait_for_selector("#copy-link:not([hidden])")
    page.wait_for_selector("#qr-svg[href]")
    wanted = ["Copy link", "Add to LinkedIn profile (opens in a new tab)",
              "Download QR code (SVG)", "Download QR code (PNG)", "Download credential (JSON)",
              "email-check-input", "Check e-mail"]
    reached: list[str] = []
    for _ in range(80):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_JS)
        if focus is None:
            continue
        label = focus["id"] if focus["tag"] == "input" else focus["text"]
        if label in wanted and label not in reached:
            assert focus["visible"], focus
            assert focus["focusVisible"] and focus["outline"] != "none" and focus["outlineWidth"] >= 2, (
                f"no visible focus on {label!r}: {focus}")
            reached.append(label)
        if len(reached) == len(wanted):
            break
    assert reached == wanted
    # Enter on the focused e-mail button runs the check
    page.keyboard.press("Shift+Tab")
    page.keyboard.type("someone@example.org")
    page.keyboard.press("Enter")
    page.wait_for_selector("#email-check-result[data-result='mismatch']")


# --------------------------------------------------------------------------- small screens


@pytest.mark.parametrize("name", [*PAGES, "credential"])
def test_no_horizontal_scrolling_at_360_px(demo: Path, new_page: Any, name: str) -> None:
    path = f"/c/{credential_ids(demo)[3]}" if name == "credential" else PAGES[name]
    page = open_site(new_page, demo, path, viewport={"width": 360, "height": 740},
                     device_scale_factor=2, is_mobile=True, has_touch=True)
    sizes = page.evaluate("() => [document.documentElement.scrollWidth, "
                          "document.documentElement.clientWidth]")
    assert sizes[0] <= 360 and sizes[1] == 360, f"{name}: scrollWidth {sizes[0]}"
    wide = page.evaluate("""() => Array.from(document.querySelectorAll('body *'))
        .filter(e => e.getBoundingClientRect().right > 361 && getComputedStyle(e).position !== 'absolute')
        .slice(0, 5).map(e => e.tagName + '.' + e.className)""")
    assert wide == [], f"{name}: {json.dumps(wide)}"


# --------------------------------------------------------------------------- issue 18 pages
# The batch check on /verify/ (and, below, the other new views) at 360 px and 1280 px, with
# their results showing: no axe-core violations and no page wider than the screen.

WIDTHS: dict[str, dict[str, Any]] = {
    "phone": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}}}


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from labsite import make_lab

    return make_lab(tmp_path_factory.mktemp("a11y-lab"))


def assert_fits(page: Any, width: int) -> None:
    sizes = page.evaluate("() => [document.documentElement.scrollWidth, "
                          "document.documentElement.clientWidth]")
    assert sizes[0] <= width and sizes[1] == width, f"scrollWidth {sizes[0]} at {width} px"


@pytest.mark.parametrize("size", list(WIDTHS))
def test_no_axe_violations_on_the_batch_check(lab: Any, new_page: Any, axe_source: str,
                                              size: str) -> None:
    page = open_site(new_page, lab.out, "/verify/?require=TEST-MMS,TEST-PB", **WIDTHS[size])
    page.fill("#batch-input", "\n".join([lab.url("ada-mms"), lab.url("ada-pb"), "not an id",
                                         lab.ids["ben-mms"]]))
    page.click("#batch-button")
    page.wait_for_selector("#batch[data-checked='4']")
    page.fill("#lookup-id", lab.ids["ben-mms"][:15] + "X-0")  # a typed ID with a typo, or unknown
    page.click("#lookup button[type=submit]")
    page.wait_for_selector("#lookup[data-lookup]")
    violations = axe_violations(page, axe_source)
    assert not violations, "\n".join(violations)
    assert_fits(page, WIDTHS[size]["viewport"]["width"])
    assert not page.credsite_errors


@pytest.mark.parametrize("size", list(WIDTHS))
@pytest.mark.parametrize("which", ["ada-pb", "ada-cnc"])  # revoked, expired
def test_no_axe_violations_on_a_marked_certificate(lab: Any, new_page: Any, axe_source: str,
                                                   which: str, size: str) -> None:
    page = open_site(new_page, lab.out, f"/c/{lab.ids[which]}", **WIDTHS[size])
    assert page.get_attribute(".cert-frame", "data-verdict") in ("revoked", "expired")
    assert page.is_visible(".cert-stamp")
    violations = axe_violations(page, axe_source)
    assert not violations, "\n".join(violations)
    assert_fits(page, WIDTHS[size]["viewport"]["width"])


@pytest.mark.parametrize("size", list(WIDTHS))
def test_no_axe_violations_on_a_holder_page(lab: Any, new_page: Any, axe_source: str,
                                            size: str) -> None:
    from credsite.content.register import load_register

    key = load_register(lab.site.content)[lab.ids["ada-mms"]].holder
    page = open_site(new_page, lab.out, f"/h/{key}?require=TEST-MMS,TEST-PB", **WIDTHS[size])
    page.wait_for_selector("html[data-holder-checked]", state="attached")
    assert page.is_visible("#requirements")
    violations = axe_violations(page, axe_source)
    assert not violations, "\n".join(violations)
    assert_fits(page, WIDTHS[size]["viewport"]["width"])
    assert not page.credsite_errors

"""Issue 16, finding 8: only http(s) and mailto URLs in content (``issuer.url``, Markdown links).

Before, the build published ``javascript:`` URLs from site.yaml and from Markdown: a script under
the site's origin, one click away, that could rewrite any verdict.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sitekit import MiniSite

from credsite.content.urlschemes import unsafe_scheme
from credsite.errors import ContentError

BAD = ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)",
       "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)"]


@pytest.mark.parametrize("url", BAD)
def test_scripts_and_documents_are_refused(url: str) -> None:
    assert unsafe_scheme(url) is not None


@pytest.mark.parametrize("url", ["https://x.example/", "HTTP://x.example", "mailto:a@b.example",
                                 "/pages/fees/", "../x", "#top", "?q=1", "fees.html"])
def test_web_mail_and_site_links_are_allowed(url: str) -> None:
    assert unsafe_scheme(url) is None


@pytest.mark.parametrize("url", BAD[:2])
def test_an_issuer_url_with_a_script_is_refused(
    mini_site: MiniSite, run_cli: Callable[..., Any], url: str
) -> None:
    text = mini_site.site_yaml.read_text(encoding="utf-8")
    mini_site.site_yaml.write_text(text.replace("url: https://test.example/", f"url: '{url}'"),
                                   encoding="utf-8")
    code, out, err = run_cli("check", "--content", mini_site.content)
    assert code == 1
    [line] = [x for x in (out + err).splitlines() if "site.yaml" in x and x.startswith("FAIL")]
    assert "javascript:" in line and "https://" in line and "Traceback" not in out + err
    with pytest.raises(ContentError, match="javascript"):
        mini_site.build()


def test_a_markdown_link_with_a_script_is_refused(
    mini_site: MiniSite, run_cli: Callable[..., Any]
) -> None:
    page = mini_site.content / "pages" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[Click](javascript:alert(1)) "
                    "![x](data:image/svg+xml,<svg/onload=alert(1)>)\n", encoding="utf-8")
    code, out, _ = run_cli("check", "--content", mini_site.content)
    assert code == 1
    fails = [x for x in out.splitlines() if x.startswith("FAIL")]
    assert len(fails) == 2 and all("about.md" in x for x in fails), out
    with pytest.raises(ContentError) as caught:
        mini_site.build()
    assert "about.md" in str(caught.value) and "javascript:alert(1)" in str(caught.value)


def test_the_verify_page_caps_what_can_be_pasted(mini_site: MiniSite) -> None:
    out = mini_site.build()
    page = (out / "verify" / "index.html").read_text(encoding="utf-8")
    assert 'maxlength="4194305"' in page  # 4 MB and one: the verifier then names the cap

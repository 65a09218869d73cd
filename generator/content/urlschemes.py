"""Which link targets content may use: web pages and e-mail addresses, nothing a browser runs.

A ``javascript:`` (or ``data:``, ``vbscript:``…) URL in ``issuer.url`` or in a Markdown link would
put a script on every page that links it, under the site's origin, where it could rewrite the
verifier's verdict. Only ``http``, ``https`` and ``mailto`` URLs, and links without a scheme
(site paths, relative links, ``#fragments``), are allowed. The scheme is read as the WHATWG URL
parser reads it (leading C0 controls and spaces dropped, tabs and newlines removed anywhere,
case folded), so ``" Java\\tScript:"`` is caught too.
"""

from __future__ import annotations

import html
import re

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_LINK = re.compile(r'\b(?:href|src)="([^"]*)"')


def unsafe_scheme(url: str) -> str | None:
    """The scheme of ``url`` if it is not http, https or mailto; None for safe or scheme-less URLs."""
    text = re.sub(r"[\t\n\r]", "", url).lstrip("".join(chr(c) for c in range(0x21)))
    match = _SCHEME.match(text)
    if match is None:
        return None
    scheme = match.group(1).lower()
    return None if scheme in SAFE_SCHEMES else scheme


def unsafe_markdown_links(text: str) -> list[str]:
    """The links and images of Markdown ``text`` whose scheme is not allowed."""
    import markdown  # only the check needs it here; the build renders with its own options

    return unsafe_links(markdown.markdown(text))


def unsafe_links(rendered_html: str) -> list[str]:
    """The href/src values of rendered HTML whose scheme is not allowed."""
    return [url for url in (html.unescape(m) for m in _LINK.findall(rendered_html))
            if unsafe_scheme(url) is not None]

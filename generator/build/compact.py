"""Template sources made smaller once, at compile time: bytes that every page would repeat.

A site of 100,000 credentials writes the credential template 100,000 times, so each byte the
template spends on layout is 100 KB of output (README "Scale", docs/performance.md "Bytes per
credential"). Jinja2 compiles a template once per build, so whatever is taken out of its source
here costs nothing per page.

Two things go, both invisible:

- each line's indentation;
- a line break right after a block-level tag (``<p>``, ``</div>``, ``<meta …>``) or right
  before one. CSS 2.2 §16.6.1 (white-space: normal) removes white space at the start and at the
  end of a line, and a block's start or end begins or ends a line, so such a break renders
  nothing. A break between two inline elements (``</span>\\n<span>``) renders as a space and is
  kept, as is any break beside template code (``\\n{% if %}``), whose output is not known here.

``{% trans %}`` blocks are left exactly as written: their text is a message ID (babel extracts
it from the files as they are). Templates keep ``<pre>`` and ``<textarea>`` contents on one line,
so nothing there changes. The page check compares the certificate's text with every white space
removed (verifier-page.js, ``squash``), so it reads the same either way.
"""

from __future__ import annotations

import re

# Elements that are blocks in the HTML rendering rules (HTML §15.3.3) and site.css keeps them so
# (its lists are flex boxes), plus those of <head>, which render nothing; <br> ends a line.
_BLOCK = (r"(?:address|article|aside|blockquote|body|br|dd|details|div|dl|dt|fieldset|figcaption"
          r"|figure|footer|form|h[1-6]|head|header|hr|html|legend|li|link|main|meta|nav|ol|p"
          r"|section|summary|table|tbody|td|tfoot|th|thead|title|tr|ul)")
# A line break after a block-level tag (opening or closing; the tag's attributes may hold
# template expressions, never a < or >), or before one.
_AFTER_BLOCK = re.compile(r"(</?" + _BLOCK + r"\b[^<>]*>)\n")
_BEFORE_BLOCK = re.compile(r"\n(?=</?" + _BLOCK + r"\b)")
_INDENT = re.compile(r"\n[ \t]+")
_TRANS = re.compile(r"(\{%-?\s*trans\b.*?\{%-?\s*endtrans\s*-?%\})", re.DOTALL)


def compact_template(source: str) -> str:
    """``source`` without indentation and without the line breaks that render nothing."""
    parts = _TRANS.split(_INDENT.sub("\n", source))
    for i in range(0, len(parts), 2):  # the even parts are outside {% trans %} blocks
        text = _AFTER_BLOCK.sub(r"\1", parts[i])
        parts[i] = _BEFORE_BLOCK.sub("", text)
    return "".join(parts)

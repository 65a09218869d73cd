"""Template sources made smaller at compile time (generator/build/compact.py), and the byte budget
of a credential page that this keeps (issue 20: ≤ 10 KB per credential on disk at 100,000).

That compacting changes nothing a reader sees is checked in Chromium
(tests/browser/test_compact_rendering.py): every kind of page, built with and without it, has
the same innerText.
"""

from __future__ import annotations

import re
from pathlib import Path

from credsite.build.compact import compact_template


def test_breaks_beside_block_level_tags_go() -> None:
    source = ('<div class="a">\n  <p>One</p>\n  <p>Two</p>\n</div>\n'
              '<meta name="x" content="y">\n<title>T</title>\n')
    assert compact_template(source) == ('<div class="a"><p>One</p><p>Two</p></div>'
                                        '<meta name="x" content="y"><title>T</title>')


def test_breaks_between_inline_elements_and_beside_template_code_stay() -> None:
    # Between two inline elements a break renders as a space; beside {% %} what follows is not
    # known when the template is compiled.
    source = '<span>a</span>\n<span>b</span>\n<a href="x">c</a>\n{% if x %}\n<span>d</span>{% endif %}\n'
    assert compact_template(source) == source


def test_template_expressions_in_a_block_tag_do_not_stop_it() -> None:
    source = '<li{% if here %} aria-current="page"{% endif %}><a href="{{ url }}">x</a></li>\n<li>y</li>\n'
    assert compact_template(source) == ('<li{% if here %} aria-current="page"{% endif %}>'
                                        '<a href="{{ url }}">x</a></li><li>y</li>')


def test_trans_blocks_are_left_as_written() -> None:
    # Their text is a message ID, extracted by babel from the file as it is.
    block = "{% trans %}<strong>One.</strong>\n<p>Two</p>{% endtrans %}"
    assert compact_template(f"<div>\n{block}\n</div>\n") == f"<div>{block}</div>"
    trimmed = "{%- trans n=1 -%}a\n<br>\nb{%- endtrans %}"
    assert trimmed in compact_template(f"<p>\n{trimmed}\n</p>")


def test_indentation_goes_everywhere() -> None:
    assert compact_template("<span>a</span>\n    <span>b</span>") == "<span>a</span>\n<span>b</span>"


def test_demo_credential_pages_keep_their_byte_budget(demo_output: Path) -> None:
    """A credential page and its record are two files of every credential: at 100,000 they must
    fit in 10 KB together with the rest of the site (README "Scale"). The demo's pages averaged
    6,760 bytes when this budget was set; a page that grows past it needs bytes taken elsewhere
    (docs/performance.md, "Bytes per credential")."""
    pages = list((demo_output / "c").glob("*.html"))
    assert pages
    average = sum(p.stat().st_size for p in pages) / len(pages)
    assert average <= 7000, f"credential pages average {average:.0f} bytes, budget 7,000"
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"</(?:p|div|li|ul|dl|dd|dt|h1|h2|figure|section|article)>\n<", text), page

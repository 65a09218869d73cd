"""The verifier's explanations written later (issue 20, bytes before a credential page's verdict).

The credential page's script carries no text of verifier-core.js written ``_('…')``: each is
``_(n)`` there, and ``/assets/i18n-later.<hash>.js`` lists the texts by ``n``. What a verified,
revoked or expired credential's checks say is written ``gettext('…')`` and stays in the script.
The browser side (loaded only when a result needs it, written in the reader's language, the
verdict standing without it) is tested in tests/browser/test_texts_written_later_in_chromium.py.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from credsite.build.render import (
    JS_NOT_ON_CREDENTIAL_PAGES,
    LATER_PART,
    PAGE_SCRIPTS,
    Asset,
    bundle_source,
    default_templates,
    hashed_assets,
    js_string,
    written_later,
)
from credsite.content.languages import catalog

TEMPLATES = default_templates()
CORE = JS_NOT_ON_CREDENTIAL_PAGES.sub("", (TEMPLATES / "assets" / LATER_PART).read_text(encoding="utf-8"))
MESSAGE = re.compile(r"""\b(_|gettext)\(\s*('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")""")


def later_texts(assets: dict[str, Asset]) -> list[str]:
    data = assets["i18n_later_js"].data.decode("utf-8")
    match = re.fullmatch(r"CredsiteI18n\.later\((.*)\);\n", data, re.S)
    assert match, data[:80]
    return list(json.loads(match[1]))


def test_whole_messages_are_numbered_and_nothing_else_changes() -> None:
    source = ("a(_('one'), _(\"tw\\u00f6 \\\"q\\\" \\u2026\", { n: 1 })); _( 'one' ); "
              "_('con' + 'cat'); gettext('kept'); x_('not a call'); _(name);")
    out, texts = written_later(source)
    assert texts == ["one", "twö \"q\" …"]
    assert out == ("a(_(0), _(1, { n: 1 })); _(0 ); "
                   "_('con' + 'cat'); gettext('kept'); x_('not a call'); _(name);")
    assert js_string(r"'it\'s \x41\u{1F600}\\n'") == "it's A\U0001F600\\n"


def test_each_number_in_the_credential_script_stands_for_the_text_written_there() -> None:
    """The k-th whole ``_('…')`` of verifier-core.js (as a credential page gets it) is the k-th
    ``_(n`` of the credential page's script, and the published file's text n is that text."""
    assets = hashed_assets(TEMPLATES)
    texts = later_texts(assets)
    written = [js_string(m[2]) for m in MESSAGE.finditer(CORE) if m[1] == "_"
               and re.match(r"\s*[,)]", CORE[m.end():])]
    source = bundle_source(TEMPLATES, PAGE_SCRIPTS["credential_js"][1], credential_page=True)
    core_part = source[source.index("CredsiteVerifier"):]  # after i18n.js, which defines _ itself
    numbers = [int(n) for n in re.findall(r"\b_\((\d+)\b", core_part)]
    assert len(numbers) == len(written) > 100
    assert [texts[n] for n in numbers] == written
    assert sorted(set(written)) == sorted(texts)


def test_the_credential_script_leaves_the_texts_out_and_the_other_pages_keep_them() -> None:
    assets = hashed_assets(TEMPLATES)
    texts = later_texts(assets)
    credential = assets["credential_js"].data.decode("utf-8")
    def quoted(text: str, data: str) -> bool:  # as a string literal, in the minifier's quotes
        return json.dumps(text, ensure_ascii=False) in data or repr(text) in data

    assert len(texts) > 100
    assert not [t for t in texts if quoted(t, credential)]
    for page in ("verify_js", "holder_js"):  # their own copies of the verifier say everything
        data = assets[page].data.decode("utf-8")
        assert not [t for t in texts if len(t) > 30 and t not in data], page
    assert "CredsiteI18n.later" not in credential


def test_what_a_passing_revoked_or_expired_result_says_stays_in_the_script() -> None:
    assets = hashed_assets(TEMPLATES)
    texts = set(later_texts(assets))
    credential = assets["credential_js"].data.decode("utf-8")
    eager = [js_string(m[2]) for m in MESSAGE.finditer(CORE) if m[1] == "gettext"]
    assert {"revoked", "expired on %(date)s", "not revoked (status list %(lists)s)",
            "eddsa-jcs-2022 signature verifies with key %(key)s", "Signature"} <= set(eager)
    assert not texts & set(eager)
    for text in eager:
        assert text.replace("'", "\\'") in credential or text in credential, text


def test_every_text_written_later_can_be_translated() -> None:
    """The file holds English msgids; a reader of another language gets them from the same
    message catalog as every other text (the msgids must be the catalog's)."""
    spanish = catalog("es")
    texts = later_texts(hashed_assets(TEMPLATES))
    missing = [t for t in texts if spanish.get(t) is None]
    assert not missing, missing[:5]
    assert "the explanation could not be loaded" in {m.id for m in spanish}


def test_a_sites_own_older_templates_keep_every_text_in_the_credential_script(
        tmp_path: Path) -> None:
    """A site may build with its own copy of the templates (``templates/`` beside its content);
    one made before texts were written later has an i18n.js whose gettext takes no numbers, so
    its credential page's script must keep every text and name no file of them."""
    own = tmp_path / "templates"
    shutil.copytree(TEMPLATES, own, ignore=shutil.ignore_patterns("__pycache__"))
    i18n = own / "assets" / "i18n.js"
    i18n.write_text(i18n.read_text(encoding="utf-8").replace(
        "    if (typeof msgid === 'number') return placeholder(msgid, values);\n", ""), encoding="utf-8")
    texts = later_texts(hashed_assets(TEMPLATES))
    assets = hashed_assets(own)
    assert "i18n_later_js" not in assets
    credential = assets["credential_js"].data.decode("utf-8")
    assert "i18n-later" not in credential  # the configure line names no file of texts
    assert not [t for t in texts if len(t) > 30 and t not in credential]

"""The page cache (``credsite.build.slotcache``) must give Jinja2's exact output, for any template.

Every comparison here is byte for byte against the same template rendered by plain Jinja2. The
cache is only worth having if it is used, so the tests also check that it is used for templates
that only write values out, test them and loop over lists.
"""

from __future__ import annotations

import functools
import shutil
from pathlib import Path
from typing import Any

import jinja2
import pytest
from sitekit import make_site, row

from credsite.build import slotcache
from credsite.build.holders import HolderPages
from credsite.build.render import Renderer, default_templates, hashed_assets
from credsite.build.slotcache import Fixed, SlotTemplate
from credsite.build.workers import note_text
from credsite.content.audit import VerificationInputs
from credsite.content.awards import batch_files, iter_award_lines, parse_award
from credsite.content.holders import load_holder_settings, load_holders

NASTY = ['</script><script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "O'Brien & Søn",
         "王小明", "  spaced  "]


def _pages_equal(content: Path) -> int:
    inputs = VerificationInputs.load(content)
    templates = default_templates()
    renderer = Renderer(inputs.site, templates, hashed_assets(templates),
                        [{"title": "About", "url": "/pages/about/"}])
    count = 0
    for line in iter_award_lines(batch_files(content)):
        credential = parse_award(line)
        entry = inputs.catalog[credential["credentialSubject"]["achievement"]["humanCode"]]
        fast = renderer.credential_page(credential, line.raw.decode(), entry)
        slow = renderer.credential_page(credential, line.raw.decode(), entry, jinja_only=True)
        assert fast == slow, credential["id"]
        count += 1
    return count


def test_demo_pages_identical_to_jinja() -> None:
    assert _pages_equal(Path(__file__).resolve().parents[1] / "content") == 50


def test_hostile_and_varied_values_identical_to_jinja(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    rows = [row(name=name, code=code, test_site=site_name)
            for name in NASTY for code in ("TEST-MMS", "TEST-CNC")
            for site_name in ("", "Lab <b>1</b>")]
    site.issue(rows)
    assert _pages_equal(site.content) == len(rows)


def _holder_pages_equal(content: Path) -> int:
    """Every holder page through the slot cache is byte for byte Jinja2's, and none of them
    needed Jinja2 (the template is cacheable and no shape was refused)."""
    inputs = VerificationInputs.load(content)
    templates = default_templates()
    renderer = Renderer(inputs.site, templates, hashed_assets(templates),
                        [{"title": "About", "url": "/pages/about/"}])
    notes = {cred_id: note_text(inputs, cred_id) or "" for cred_id in inputs.status.notes}
    pages = HolderPages(inputs.catalog, notes, renderer)
    count = 0
    for holder in load_holders(content, load_holder_settings(content)).values():
        assert pages.page(holder) == pages.page(holder, jinja_only=True), holder.key
        count += 1
    assert pages.template.blocker is None
    assert pages.template.compiled and None not in pages.template.compiled.values()
    return count


def test_demo_holder_pages_identical_to_jinja() -> None:
    assert _holder_pages_equal(Path(__file__).resolve().parents[1] / "content") == 49


def test_hostile_holder_names_identical_to_jinja(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    site.issue([row(name=name, email=f"h{i}@example.org", code=code)
                for i, name in enumerate(NASTY) for code in ("TEST-MMS", "TEST-CNC")])
    assert _holder_pages_equal(site.content) == len(NASTY)


def test_the_default_credential_template_uses_the_cache_for_every_page() -> None:
    content = Path(__file__).resolve().parents[1] / "content"
    inputs = VerificationInputs.load(content)
    templates = default_templates()
    renderer = Renderer(inputs.site, templates, hashed_assets(templates), [])
    cache = renderer._credential
    assert cache.blocker is None
    for line in iter_award_lines(batch_files(content)):
        credential = parse_award(line)
        entry = inputs.catalog[credential["credentialSubject"]["achievement"]["humanCode"]]
        renderer.credential_page(credential, line.raw.decode(), entry)
    assert cache.compiled and None not in cache.compiled.values()


# --------------------------------------------------------------------------- any template

# Contexts of one shape (same keys, lengths, empty values) whose text differs in ways a template
# that transforms text would show: length, case, first letters, the value compared.
CONTEXTS: list[dict[str, Any]] = [
    {"name": "Ada", "code": "A", "items": [{"v": "x<1"}, {"v": "b"}], "tags": ["a&b", "c"],
     "n": 3, "note": ""},
    {"name": "Bartholomew Featherstonehaugh", "code": "B", "items": [{"v": "Zeta"}, {"v": "alpha"}],
     "tags": ["D", "e'f"], "n": 3, "note": ""},
    {"name": "ébène & <co>", "code": "a", "items": [{"v": "10"}, {"v": "9"}],
     "tags": ["", "g"], "n": 3, "note": ""},
    {"name": "Ada", "code": "A ", "items": [{"v": "1"}, {"v": "1"}], "tags": ["h", "h"],
     "n": 3, "note": ""},
]

# Templates the cache must decline for values it would get wrong (the first three are the
# issue's: each gave a right first page and a wrong second page).
TRANSFORMING = {
    "truncate": "<p>{{ name|truncate(12) }}</p>",
    "compare": "{% if code == 'A' %}first{% else %}other{% endif %}: {{ code }}",
    "slice": "<b>{{ name[:3] }}</b>",
    "index": "{{ name[0] }}",
    "upper": "{{ name|upper }} {{ name|lower }} {{ name|title }} {{ name|capitalize }}",
    "length": "{{ name|length }} {{ name|count }} {{ name|wordcount }}",
    "replace": "{{ name|replace('a', 'o') }} {{ name|trim }} {{ name|center(40) }}",
    "first-last": "{{ name|first }}{{ name|last }} {{ name|reverse }} {{ name|list }}",
    "string-ops": "{{ name ~ '!' }} {{ name + code }} {{ '%s-%s'|format(name, code) }}",
    "method": "{{ name.upper() }} {{ name.split(' ')[0] }} {{ name.startswith('A') }}",
    "in": "{{ 'a' in name }} {{ code in ['A', 'B'] }} {{ name in 'Ada Lovelace' }}",
    "tests": "{{ name is lower }} {{ name is upper }} {{ code is in ['A'] }} {{ name is sequence }}",
    "eq-test": "{{ code is eq 'A' }} {{ code is ne 'A' }} {{ code is sameas code }}",
    "string-test": "{{ name is string }} {{ name is escaped }}",
    "sort": "{% for i in items|sort(attribute='v') %}{{ i.v }},{% endfor %}",
    "minmax": "{{ tags|max }} {{ tags|min }} {{ tags|unique|join('/') }} {{ tags|sort|first }}",
    "loop-over-text": "{% for c in name %}.{% endfor %}",
    "dict-key": "{{ {'A': 'alpha'}.get(code, 'none') }}",
    "safe": "{{ name|safe }}",
    "forceescape": "{{ name|forceescape }}",
    "striptags": "{{ name|striptags }}",
    "urlize": "{{ name|urlize }}",
    "tojson": "{{ name|tojson }} {{ items|tojson }}",
    "pprint": "{{ items|pprint }} {{ items }}",
    "int": "{{ code|int }} {{ name|float }} {{ items[0].v|int }}",
    "macro-text": "{% macro b(x) %}<b>{{ x }}</b>{% endmacro %}{{ b(name)|length }}",
    "set-block": "{% set t %}{{ name }}{% endset %}{{ t|upper }}",
    "filter-block": "{% filter upper %}{{ name }}{% endfilter %}",
    "groupby": "{% for g in items|groupby('v') %}{{ g.grouper }}{% endfor %}",
    "map-upper": "{{ tags|map('upper')|join(',') }}",
    "select-test": "{{ tags|select('lower')|list|length }}",
    "batch": "{% for b in name|batch(2) %}{{ b|join }}|{% endfor %}",
    "sum": "{{ [n, n]|sum }} {{ items|map(attribute='v')|map('int')|sum }}",
    "indent": "{{ name|indent(2) }}",
    "urlencode": "{{ name|urlencode }}",
}

# Templates that only write values out, test them for emptiness and loop over lists: the cache
# must serve them, and give Jinja2's bytes.
WRITING = {
    "write": '<p title="{{ name }}">{{ name }}</p>{{ code|e }}{{ code|escape }}',
    "truth": "{% if name %}yes{% endif %}{% if not note %}no note{% endif %}{{ note or 'none' }}",
    "loop": "{% for i in items %}<i>{{ loop.index }}/{{ loop.length }} {{ i.v }}</i>{% endfor %}",
    "join": "{{ tags|join(', ') }} {{ items|map(attribute='v')|join(' & ') }}",
    "length-of-list": "{{ items|length }} {{ tags|count }} {{ n + 1 }} {{ n is odd }}",
    "macro": "{% macro b(x, y='-') %}<b>{{ x }}{{ y }}</b>{% endmacro %}{{ b(name) }}{{ b(code, name) }}",
    "call-block": "{% macro w() %}<div>{{ caller() }}</div>{% endmacro %}"
                  "{% call w() %}{{ name }}{% endcall %}",
    "default": "{{ missing|default(name) }} {{ note|default('empty', true) }}",
    "defined": "{{ name is defined }} {{ note is none }} {{ n is number }} {{ items is mapping }}",
    "get": "{{ items[0].get('v') }} {{ items[1]['v'] }} {{ items[0].v }}",
    "set": "{% set who = name %}{{ who }}{% set ns = namespace(t=code) %}{{ ns.t }}",
    "xmlattr": "<a {{ {'title': name, 'data-code': code}|xmlattr }}>",
    "cycle": "{% for t in tags %}<i class=\"{{ loop.cycle('odd', 'even') }}\">{{ t }}</i>{% endfor %}",
    "dictsort": "{% for k, v in items[0]|dictsort %}{{ k }}={{ v }}{% endfor %}",
}


def _env(sources: dict[str, str]) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.DictLoader(sources), autoescape=True,
                              undefined=jinja2.ChainableUndefined)


def _render_all(source: str) -> SlotTemplate:
    """Render every context twice through a fresh cache, starting from each context in turn (the
    first page of a shape is compiled, and compared: the pages after it are the ones at risk)."""
    env = _env({"t.html": source})
    for start in range(len(CONTEXTS)):
        cached = SlotTemplate(env.get_template("t.html"))
        for context in (CONTEXTS[start:] + CONTEXTS[:start]) * 2:
            expected = env.get_template("t.html").render(**context)
            assert cached.render(**context) == expected, (source, context)
    return cached


@pytest.mark.parametrize("name", TRANSFORMING)
def test_a_template_that_transforms_text_renders_as_jinja(name: str) -> None:
    cached = _render_all(TRANSFORMING[name])
    assert cached.blocker is not None or None in cached.compiled.values()


@pytest.mark.parametrize("name", WRITING)
def test_a_template_that_writes_text_out_renders_as_jinja_from_the_cache(name: str) -> None:
    cached = _render_all(WRITING[name])
    assert cached.blocker is None
    assert cached.compiled and None not in cached.compiled.values()


@pytest.mark.parametrize(("source", "reason"), [
    ("{{ name|safe }}", "t.html:1: the filter 'safe'"),
    ("\n{{ name is string }}", "t.html:2: the test 'string'"),
    ("{{ name.__class__ }}", "t.html:1: the attribute '__class__'"),
    ("{{ name['__len__'] }}", "t.html:1: the item '__len__'"),
    ("{% set t %}{{ name }}{% endset %}", "t.html:1: rendered text captured by {% set %}…{% endset %}"),
    ("{% filter upper %}{{ name }}{% endfilter %}", "t.html:1: rendered text captured by {% filter %}"),
    ("{% block b %}{{ name }}{% endblock %}{{ self.b()|upper }}",
     "t.html:1: rendered text (a call's result) used other than written out"),
    ("{% macro url(x) %}{{ x }}{% endmacro %}{% set u = url(name) %}{{ u[:2] }}",
     "t.html:1: rendered text (a call's result) used other than written out"),
    ("{% include name %}", "t.html: a template name that is not a constant"),
])
def test_the_template_check_names_what_bars_the_cache(source: str, reason: str) -> None:
    env = _env({"t.html": source})
    assert SlotTemplate(env.get_template("t.html")).blocker == reason


def test_the_check_covers_extended_included_and_imported_templates() -> None:
    sources = {"base.html": "<title>{% block title %}{% endblock %}</title>{% include 'inc.html' %}",
               "inc.html": "{% import 'm.html' as m %}{{ m.short(name) }}",
               "m.html": "{% macro short(x) %}{{ x|safe }}{% endmacro %}",
               "page.html": "{% extends 'base.html' %}{% block title %}{{ name }}{% endblock %}"}
    env = _env(sources)
    assert SlotTemplate(env.get_template("page.html")).blocker == "m.html:1: the filter 'safe'"
    sources["m.html"] = "{% macro short(x) %}{{ x|truncate(5) }}{% endmacro %}"
    env = _env(sources)
    cached = SlotTemplate(env.get_template("page.html"))
    assert cached.blocker is None  # truncate is refused by the slot itself, while rendering
    for context in CONTEXTS * 2:
        assert cached.render(**context) == env.get_template("page.html").render(**context)
    assert set(cached.compiled.values()) == {None}


def test_a_filter_that_swallows_the_refusal_still_falls_back() -> None:
    # ``is sequence`` catches every exception: the slot records that it was used all the same.
    cached = _render_all("{% if name is sequence %}seq{% endif %}{{ name }}")
    assert set(cached.compiled.values()) == {None}


def test_values_of_other_types_are_rendered_by_jinja() -> None:
    class Name(str):
        pass

    env = _env({"t.html": "{{ name }} {{ when }}"})
    cached = SlotTemplate(env.get_template("t.html"))
    for context in [{"name": Name("Ada"), "when": 1}, {"name": "Bo", "when": object()}]:
        assert cached.render(**context) == env.get_template("t.html").render(**context)
    assert cached.compiled == {}


def test_a_nul_in_the_template_or_a_fixed_value_is_never_taken_for_a_slot() -> None:
    env = _env({"t.html": "{{ fixed.t }}\x00{{ name }}"})
    cached = SlotTemplate(env.get_template("t.html"))
    fixed = Fixed(t="\x000\x00")
    for name in ("Ada", "Bo"):
        assert cached.render(fixed=fixed, name=name) == env.get_template("t.html").render(
            fixed=fixed, name=name)


def test_escaping_matches_autoescape_in_text_and_attributes() -> None:
    env = _env({"t.html": '<a title="{{ t }}">{{ t }}</a>{% if e %}!{% endif %}'})
    template = SlotTemplate(env.get_template("t.html"))
    for value in ['"quoted"', "<tag>", "a&b", "it's"]:
        assert template.render(t=value, e="") == env.from_string(
            '<a title="{{ t }}">{{ t }}</a>').render(t=value)
    assert None not in template.compiled.values()


def test_pages_with_no_slot_one_slot_and_repeated_slots() -> None:
    cases: list[tuple[str, dict[str, Any]]] = [("<p>{{ n }}</p>", {"n": 3}), ("<p>{{ t }}</p>", {"t": "a<b"}),
             ("{{ t }}|{{ u }}|{{ t }}|{{ u }}", {"t": "x&y", "u": "{0}"}),
             ("{{ '{' }}{{ t }}{{ '}' }}", {"t": "}{"})]
    for source, context in cases:
        env = _env({"t.html": source})
        template = SlotTemplate(env.get_template("t.html"))
        expected = env.get_template("t.html").render(**context)
        assert template.render(**context) == expected
        assert template.render(**context) == expected  # the second time from the compiled page
        assert list(template.compiled.values()) != [None]


# --------------------------------------------------------------------------- a real build

# Lines added to a site's own copy of credential.html: the issue's three, and more uses of
# filters, tests, slicing, loops and macros, in one template each.
CUSTOM_LINES = {
    "truncate": "<p class=x>{{ cred.holder|truncate(12) }}</p>",
    "compare": "<p class=x>{% if cred.holder == '王小明' %}Wang{% else %}Other{% endif %} "
               "{% if cred.code == 'TEST-MMS' %}Measurement{% endif %}</p>",
    "slice": "<p class=x>{{ cred.holder[:3] }}</p>",
    "filters": "<p class=x>{{ cred.holder|upper }} {{ cred.name|replace('&', 'and') }} "
               "{{ cred.holder|length }} {{ cred.holder|wordcount }}</p>",
    "tests": "<p class=x>{{ cred.holder is string }} {{ cred.code is in ['TEST-CNC'] }} "
             "{{ cred.test_site is none }}</p>",
    "loops": "<ol class=x>{% for r in cred.results|sort(attribute='value') %}<li>{{ loop.index }} "
             "{{ r.value|lower }}</li>{% endfor %}{% for c in cred.id[:4] %}{{ c }}.{% endfor %}</ol>",
    "macros": "{% macro initials(n) %}{{ n.split(' ')|map('first')|join }}{% endmacro %}"
              "<p class=x>{{ initials(cred.holder) }} {{ m.validity(cred.type.level|length) }}</p>",
    "writing-only": "<p class=x data-h=\"{{ cred.holder }}\">{% if cred.test_site %}{{ cred.test_site }}"
                    "{% endif %}{% for r in cred.results %}{{ r.value }};{% endfor %}"
                    "{{ cred.results|map(attribute='value')|join(', ') }}</p>",
}


@pytest.fixture(scope="module")
def varied_site(tmp_path_factory: pytest.TempPathFactory) -> Any:
    site = make_site(tmp_path_factory.mktemp("custom"))
    names = ["Ada", "Bartholomew Featherstonehaugh", "Zoë O'Brien-Smith", "王小明", "Al B. Cé",
             "Maximiliano Fernández de la Cruz"]
    site.issue([row(name=name, code=code, theory_result=result, test_site=place)
                for name in names for code in ("TEST-MMS", "TEST-CNC", "TEST-PB")
                for result, place in (("88%", "Lab <1>"), ("Pass", ""))])
    return site


@pytest.mark.parametrize("name", CUSTOM_LINES)
def test_a_site_with_its_own_templates_builds_the_pages_jinja_renders(
        name: str, varied_site: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    templates = varied_site.root / "templates"
    shutil.rmtree(templates, ignore_errors=True)
    shutil.copytree(default_templates(), templates, ignore=shutil.ignore_patterns("__*"))
    page = templates / "credential.html"
    source = page.read_text(encoding="utf-8")
    page.write_text(source.replace("<article ", CUSTOM_LINES[name] + "\n<article ", 1),
                    encoding="utf-8")
    fills: list[int] = []
    fill, fill_utf8 = slotcache._Compiled.fill, slotcache._Compiled.fill_utf8

    def counted(self: slotcache._Compiled, values: list[str]) -> str:
        fills.append(len(values))
        return fill(self, values)

    def counted_utf8(self: slotcache._Compiled, values: list[str]) -> bytes:
        fills.append(len(values))
        return fill_utf8(self, values)

    monkeypatch.setattr(slotcache._Compiled, "fill", counted)
    monkeypatch.setattr(slotcache._Compiled, "fill_utf8", counted_utf8)
    cached = varied_site.build(tmp_path / "cached", jobs=1, incremental=False)
    monkeypatch.setattr(Renderer, "credential_page",
                        functools.partialmethod(Renderer.credential_page, jinja_only=True))
    plain = varied_site.build(tmp_path / "plain", jobs=1, incremental=False)
    pages = sorted((cached / "c").glob("*.html"))
    assert len(pages) == 36
    for path in pages:
        built = path.read_text(encoding="utf-8")
        assert 'class=x' in built
        assert built == (plain / "c" / path.name).read_text(encoding="utf-8"), path.name
    if name == "writing-only":
        assert len(fills) >= 36  # the cache served the pages (and first pages were compared)


# --------------------------------------------------------------------------- translated templates

def _i18n_env(sources: dict[str, str]) -> jinja2.Environment:
    """An environment like the build's: the i18n extension, trimmed, newstyle, with a catalog."""
    import io

    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.support import Translations

    catalog = Catalog(locale="es")
    catalog.add("Catalog", "Catálogo")
    catalog.add("Hello %(who)s & co", "Hola <i>%(who)s</i> y cía")
    catalog.add(("%(num)s item", "%(num)s items"), ("%(num)s artículo", "%(num)s artículos"))
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    env = jinja2.Environment(loader=jinja2.DictLoader(sources), autoescape=True,
                             undefined=jinja2.ChainableUndefined, extensions=["jinja2.ext.i18n"])
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(Translations(fp=buffer), newstyle=True)  # type: ignore[attr-defined]
    return env


TRANSLATED_WRITING = {
    "trans-block": "<p>{% trans who=name %}Hello {{ who }} & co{% endtrans %}</p>",
    "trans-plural": "{% trans num=n %}{{ num }} item{% pluralize %}{{ num }} items{% endtrans %}",
    "underscore": "<a title=\"{{ _('Catalog') }}\">{{ _('Hello %(who)s & co', who=code) }}</a>",
    "constant-in-set": "{% set nav = [{'t': _('Catalog')}, {'t': name}] %}"
                       "{% for i in nav %}{{ i.t }}{% endfor %}",
}
TRANSLATED_REFUSED = {
    "variable-message": ("{{ _(name) }}", "t.html:1: a message of _() that is not a constant"),
    "variable-plural": ("{{ ngettext(name, 'x', n) }}",
                        "t.html:1: a message of ngettext() that is not a constant"),
    "values-transformed": ("{{ _('Hello %(who)s & co', who=name)|upper }}",
                           "t.html:1: rendered text (a call's result) used other than written out"),
}


@pytest.mark.parametrize("name", TRANSLATED_WRITING)
def test_translated_templates_are_served_from_the_cache_with_jinjas_bytes(name: str) -> None:
    env = _i18n_env({"t.html": TRANSLATED_WRITING[name]})
    for start in range(len(CONTEXTS)):
        cached = SlotTemplate(env.get_template("t.html"))
        assert cached.blocker is None
        for context in (CONTEXTS[start:] + CONTEXTS[:start]) * 2:
            assert cached.render(**context) == env.get_template("t.html").render(**context)
        assert cached.compiled and None not in cached.compiled.values()
    assert "Catálogo" in env.from_string("{{ _('Catalog') }}").render()  # the catalog is in use


@pytest.mark.parametrize("name", TRANSLATED_REFUSED)
def test_a_translated_template_that_could_differ_is_refused(name: str) -> None:
    source, reason = TRANSLATED_REFUSED[name]
    env = _i18n_env({"t.html": source})
    cached = SlotTemplate(env.get_template("t.html"))
    assert cached.blocker == reason
    for context in CONTEXTS:
        assert cached.render(**context) == env.get_template("t.html").render(**context)


def test_the_spanish_credential_template_uses_the_cache_and_gives_jinjas_bytes() -> None:
    import dataclasses

    content = Path(__file__).resolve().parents[1] / "content"
    inputs = VerificationInputs.load(content)
    site = dataclasses.replace(inputs.site, languages=("es", "en"))
    templates = default_templates()
    renderer = Renderer(site, templates, hashed_assets(templates), [])
    assert renderer._credential.blocker is None
    pages = 0
    for line in iter_award_lines(batch_files(content)):
        credential = parse_award(line)
        entry = inputs.catalog[credential["credentialSubject"]["achievement"]["humanCode"]]
        fast = renderer.credential_page(credential, line.raw.decode(), entry)
        assert fast == renderer.credential_page(credential, line.raw.decode(), entry, jinja_only=True)
        assert b'<html lang="es" data-localize>' in fast and b'Se certifica que' in fast
        pages += 1
    assert pages and None not in renderer._credential.compiled.values()


def test_filled_values_are_escaped_as_markupsafe_escapes_them() -> None:
    """The cache escapes a page's text values with plain ``str.replace`` (no ``Markup`` per
    value): the same text as ``markupsafe.escape`` for every character that escape changes, in
    any order and repetition, and for text it leaves alone."""
    from markupsafe import escape

    specials = "&<>'\""
    samples = [*NASTY, "", "plain", specials, specials[::-1] * 3, "&amp;", "&&<<>>''\"\"",
               "a&b<c>d'e\"f", "\x00\u2028\U0001f600&"]
    samples += ["".join(specials[(i * 7 + j) % 5] + chr(65 + j) for j in range(i)) for i in range(12)]
    for text in samples:
        assert slotcache._escape_text(text) == str(escape(text)), text


def test_a_page_filled_as_utf8_is_the_filled_text_encoded() -> None:
    """``render_utf8`` joins pre-encoded parts: the same bytes as the page text encoded, for
    values beyond Latin-1 and values that need escaping."""
    env = jinja2.Environment(loader=jinja2.DictLoader(
        {"t.html": "<p title='{{ a }}'>{{ b }} – {{ c }}</p>{% if b %}<i>{{ b }}</i>{% endif %}"}),
        autoescape=True)
    cached = SlotTemplate(env.get_template("t.html"))
    for a in NASTY:
        for b in NASTY:
            context = {"a": a, "b": b, "c": "王小明 😀"}
            text = env.get_template("t.html").render(**context)
            assert cached.render_utf8(**context) == text.encode("utf-8")
            assert cached.render(**context) == text
    assert len(cached.compiled) == 1 and None not in cached.compiled.values()

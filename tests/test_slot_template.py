"""The slot-filling fast path for credential pages must give Jinja2's exact output."""

from pathlib import Path

import jinja2
from sitekit import make_site, row

from credsite.build.render import Renderer, SlotTemplate, default_templates, hashed_assets
from credsite.content.audit import VerificationInputs
from credsite.content.awards import batch_files, iter_award_lines, parse_award

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


def test_template_that_transforms_a_value_falls_back_to_jinja() -> None:
    env = jinja2.Environment(autoescape=True)
    template = SlotTemplate(env.from_string("<p>{{ name|upper }} {{ name|length }}</p>"))
    assert template.render(name="ada <x>") == "<p>ADA &lt;X&gt; 7</p>"
    assert template.render(name="bo") == "<p>BO 2</p>"
    assert list(template.compiled.values()) == [None]


def test_escaping_matches_autoescape_in_text_and_attributes() -> None:
    env = jinja2.Environment(autoescape=True)
    template = SlotTemplate(env.from_string('<a title="{{ t }}">{{ t }}</a>{% if e %}!{% endif %}'))
    for value in ['"quoted"', "<tag>", "a&b", "it's"]:
        assert template.render(t=value, e="") == env.from_string(
            '<a title="{{ t }}">{{ t }}</a>').render(t=value)


def test_pages_with_no_slot_one_slot_and_repeated_slots() -> None:
    env = jinja2.Environment(autoescape=True)
    cases = [("<p>{{ n }}</p>", {"n": 3}), ("<p>{{ t }}</p>", {"t": "a<b"}),
             ("{{ t }}|{{ u }}|{{ t }}|{{ u }}", {"t": "x&y", "u": "{0}"}),
             ("{{ '{' }}{{ t }}{{ '}' }}", {"t": "}{"})]
    for source, context in cases:
        template = SlotTemplate(env.from_string(source))
        expected = env.from_string(source).render(**context)
        assert template.render(**context) == expected
        assert template.render(**context) == expected  # the second time from the compiled page
        assert list(template.compiled.values()) != [None]

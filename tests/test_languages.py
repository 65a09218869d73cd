"""A site in two languages (issue 19): the demo builds in English and Spanish.

The catalog, /verify/, the home page and plain pages exist per language (/es/...) with
``<html lang>``, ``hreflang`` alternates (and ``x-default``) and a language switch; a credential
page stays one file at its permanent URL, in the default language, marked for the browser to
localize. Content translations are shown where given; where not, the page says so and shows the
original marked with its language. Dates are Babel's, in ``<time datetime>``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from sitekit import MiniSite, parse_page

from credsite.build.pipeline import build_site
from credsite.build.render import Renderer, default_templates, hashed_assets
from credsite.content.catalog import load_catalog
from credsite.content.pages import load_pages
from credsite.content.site import load_site
from credsite.errors import ContentError

REPO = Path(__file__).resolve().parent.parent
BASE = "http://localhost:8000"


def read(out: Path, path: str) -> str:
    return (out / path.lstrip("/") / "index.html").read_text(encoding="utf-8") if path.endswith("/") \
        else (out / path.lstrip("/")).read_text(encoding="utf-8")


def html_lang(html: str) -> str:
    match = re.search(r"<html lang=\"([^\"]+)\"", html)
    assert match, html[:200]
    return match[1]


def alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


PUBLIC = ["/", "/credentials/", "/verify/", "/credentials/MACH1-MMS/", "/pages/about/",
          "/pages/fees/"]


@pytest.mark.parametrize("path", PUBLIC)
def test_each_public_page_exists_in_both_languages_with_lang_and_alternates(
        demo_output: Path, path: str) -> None:
    english, spanish = read(demo_output, path), read(demo_output, f"/es{path}")
    assert html_lang(english) == "en" and html_lang(spanish) == "es"
    expected = {"en": f"{BASE}{path}", "es": f"{BASE}/es{path}", "x-default": f"{BASE}{path}"}
    assert alternates(english) == expected == alternates(spanish)
    assert f'<link rel="canonical" href="{BASE}/es{path}">' in spanish
    for html in (english, spanish):
        page = parse_page(html)
        assert page.problems == []
        switch = [e for e in page.find("a") if e.attrs.get("hreflang")]
        assert [(e.attrs["hreflang"], e.attrs["lang"]) for e in switch] == [("en", "en"), ("es", "es")]
    assert '<nav class="lang-switch" aria-label="Idioma">' in spanish
    assert 'lang="es" aria-current="true">Español</a>' in spanish
    assert 'hreflang="en" lang="en">English</a>' in spanish


def test_spanish_pages_speak_spanish_and_link_spanish_pages(demo_output: Path) -> None:
    catalog = read(demo_output, "/es/credentials/")
    assert "<title>Catálogo de credenciales — " in catalog
    assert "<h1>Catálogo de credenciales</h1>" in catalog
    assert 'href="/es/credentials/MACH1-MMS/">Medición, materiales y seguridad</a>' in catalog
    assert "Válida por 5 años" in catalog or "No vence" in catalog
    verify = read(demo_output, "/es/verify/")
    assert "<h1>Verificar una credencial</h1>" in verify
    assert '<label for="lookup-id">ID de la credencial</label>' in verify
    assert 'action="/es/verify/"' in verify
    home = read(demo_output, "/es/")
    assert 'href="/es/pages/about/">Acerca de</a>' in home  # a translated page's menu title
    assert 'href="/es/pages/fees/" lang="en">Credentialing fees</a>' in home  # not translated
    # assets, records and keys exist once, linked from every language
    assert re.search(r'href="/assets/site\.[0-9a-f]{10}\.css"', verify)
    assert 'href="/.well-known/did.json"' in verify
    assert not (demo_output / "es" / "c").exists() and not (demo_output / "es" / "assets").exists()


def test_a_translated_credential_type_shows_the_signed_name_beside_the_translation(
        demo_output: Path) -> None:
    page = read(demo_output, "/es/credentials/MACH1-MMS/")
    assert "<h1>Medición, materiales y seguridad</h1>" in page
    assert ('Nombre en la credencial firmada: <span lang="en">Measurement, Materials &amp; Safety'
            '</span>') in page
    assert "notice-untranslated" not in page
    assert "Esta credencial certifica que el titular" in page
    english = read(demo_output, "/credentials/MACH1-MMS/")
    assert "type-signed-name" not in english and "<h1>Measurement, Materials &amp; Safety</h1>" in english


def test_a_missing_translation_is_announced_and_the_original_marked_with_its_language(
        demo_output: Path) -> None:
    page = read(demo_output, "/es/credentials/MF1-PB/")  # the demo leaves Metalforming untranslated
    assert ('<p class="notice notice-untranslated">Aún sin traducir: partes de esta página se '
            'muestran en el idioma original (inglés).</p>') in page
    assert '<h1 lang="en">Press Brake: Setup &amp; Operations</h1>' in page
    assert '<div class="prose" lang="en">' in page
    assert "<h3>Examen práctico</h3>" in page  # the site's own texts are translated all the same
    partly = read(demo_output, "/es/credentials/MACH1-GRND/")  # a name, no description
    assert "<h1>Rectificado I</h1>" in partly and "notice-untranslated" in partly
    assert '<div class="prose" lang="en">' in partly
    fees = read(demo_output, "/es/pages/fees/")
    assert "notice-untranslated" in fees and '<article class="prose" lang="en">' in fees
    about = read(demo_output, "/es/pages/about/")
    assert "notice-untranslated" not in about and "<h1>Acerca de</h1>" in about
    assert 'href="/es/pages/credentialing-process/"' in about  # Markdown links stay in Spanish
    assert "notice-untranslated" not in read(demo_output, "/pages/fees/")


def test_the_site_title_and_issuer_description_are_translated_where_given(
        demo_output: Path, mini_site: MiniSite, tmp_path: Path) -> None:
    home = read(demo_output, "/es/")
    assert "<title>Credenciales del Northbridge Institute (demostración)</title>" in home
    assert '<p class="lead">Un instituto nacional ficticio' in home
    assert "<title>Northbridge Institute credentials (demo)</title>" in read(demo_output, "/")
    # without a translation: the original, marked with its language
    _with_site_yaml(mini_site, lambda data: data.__setitem__("languages", ["en", "es"]))
    mini_site.issue()
    build_site(mini_site.content, tmp_path / "out", quiet=True)
    spanish = read(tmp_path / "out", "/es/")
    assert re.search(r'<p class="lead" lang="en">[^<]+</p>', spanish), spanish


def test_a_credential_page_is_one_file_in_the_default_language_marked_for_the_browser(
        demo_output: Path) -> None:
    page = next((demo_output / "c").glob("*.html")).read_text(encoding="utf-8")
    assert '<html lang="en" data-localize>' in page
    assert "hreflang" not in page  # one URL for every language
    # the page check's labels are translated in the browser without a data-t mark (i18n.js)
    assert re.search(r'<p class="cert-lead" data-l="certifies">This certifies that</p>', page)
    assert re.search(r'<dt data-l="awarded">Awarded</dt>', page)
    assert re.search(r'<span data-t>Credential record</span>', page)
    # signed values are never marked for translation
    assert not re.search(r'data-f="[^"]+"[^>]*data-[tl]\b', page)
    assert re.search(r'<time data-f="valid-from" datetime="[0-9T:Z-]+">[A-Z][a-z]+ \d{1,2}, \d{4}</time>',
                     page)
    holder = next((demo_output / "h").glob("*.html")).read_text(encoding="utf-8")
    assert '<html lang="en" data-localize>' in holder
    assert "<html lang=\"en\">" in read(demo_output, "/verify/")  # not on a page that exists per language


def test_dates_are_written_for_the_language_and_kept_in_time_datetime(mini_site: MiniSite) -> None:
    site = mini_site.site
    templates = default_templates()
    spanish = Renderer(site, templates, hashed_assets(templates), [], language="es")
    english = Renderer(site, templates, hashed_assets(templates), [])
    moment = dt.datetime(2026, 3, 14, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert english.date(moment) == "March 15, 2026"  # UTC, as the signed timestamp
    assert spanish.date(moment) == "15 de marzo de 2026"


def _with_site_yaml(site: MiniSite, change: Callable[[dict[str, object]], None]) -> None:
    data = yaml.safe_load(site.site_yaml.read_text(encoding="utf-8"))
    change(data)
    site.site_yaml.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize(("value", "message"), [
    (["en", "xx"], "languages: no message catalog for 'xx'"),
    ("es", "'languages' must be a list of language codes such as [en, es]"),
])
def test_a_bad_languages_value_stops_the_build_with_one_line(
        mini_site: MiniSite, run_cli: Callable[..., tuple[int, str, str]], tmp_path: Path,
        value: object, message: str) -> None:
    _with_site_yaml(mini_site, lambda data: data.__setitem__("languages", value))
    code, out, err = run_cli("build", "--content", mini_site.content, "--out", tmp_path / "out",
                             "--quiet")
    assert code != 0
    assert len(err.strip().splitlines()) == 1, err
    assert "site.yaml" in err and message in err
    assert not (tmp_path / "out").exists()


def test_a_site_with_spanish_first_writes_spanish_at_the_plain_paths(mini_site: MiniSite,
                                                                      tmp_path: Path) -> None:
    mini_site.issue()
    _with_site_yaml(mini_site, lambda data: data.__setitem__("languages", ["es", "en"]))
    assert load_site(mini_site.content).languages == ("es", "en")
    out = tmp_path / "out"
    build_site(mini_site.content, out, quiet=True)
    assert html_lang(read(out, "/credentials/")) == "es" and html_lang(read(out, "/en/credentials/")) == "en"
    assert alternates(read(out, "/verify/"))["x-default"] == f"{mini_site.base_url}/verify/"
    for page in (out / "c").glob("*.html"):
        assert '<html lang="es" data-localize>' in page.read_text(encoding="utf-8")


@pytest.mark.parametrize(("front", "message"), [
    ("translations: [es]", "'translations' must map a language code to its texts"),
    ("translations: {Spanish: {name: x}}", "translations: 'Spanish' is not a language code"),
    ("translations: {es: {title: x}}", "translations: es: unknown field(s) title"),
    ("translations: {es: {name: ''}}", "translations: es: 'name' must be text"),
])
def test_bad_translations_in_a_catalog_entry_are_one_line(mini_site: MiniSite, front: str,
                                                          message: str) -> None:
    path = next((mini_site.content / "credentials").glob("*.md"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n---\n", f"\n{front}\n---\n", 1), encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_catalog(mini_site.content)
    assert str(error.value) == f"{path}: {message}" or str(error.value).startswith(f"{path}: {message}")


def test_a_page_translation_needs_its_original_and_a_proper_name(mini_site: MiniSite) -> None:
    pages = mini_site.content / "pages"
    pages.mkdir(exist_ok=True)
    (pages / "ghost.es.md").write_text("---\ntitle: Fantasma\n---\nHola\n", encoding="utf-8")
    with pytest.raises(ContentError, match="a translation of a page that does not exist"):
        load_pages(mini_site.content)
    (pages / "ghost.es.md").unlink()
    (pages / "ghost.md").write_text("---\ntitle: Ghost\n---\nHello\n", encoding="utf-8")
    (pages / "ghost.spanish.md").write_text("---\ntitle: Fantasma\n---\nHola\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"named <slug>\.<language>\.md"):
        load_pages(mini_site.content)
    (pages / "ghost.spanish.md").rename(pages / "ghost.es.md")
    [page] = [p for p in load_pages(mini_site.content) if p.slug == "ghost"]
    assert page.translations["es"].title == "Fantasma"


def test_a_changed_translation_changes_the_site_key(tmp_path: Path) -> None:
    """A rebuild re-renders every page when a message catalog changes, as when the code does."""
    import shutil

    from credsite.build.manifest import code_digest
    from credsite.content import languages

    code = tmp_path / "credsite"
    shutil.copytree(languages.LOCALE, code / "locale")
    (code / "x.py").write_text("pass\n", encoding="utf-8")
    before = code_digest(code)
    po = code / "locale" / "es" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Verificar"', 'msgstr "Comprobar"'),
                  encoding="utf-8")
    assert code_digest(code) != before


def test_links_in_translations_are_checked_like_the_originals(
        mini_site: MiniSite, run_cli: Callable[..., tuple[int, str, str]]) -> None:
    _with_site_yaml(mini_site, lambda data: data.__setitem__("languages", ["en", "es"]))
    pages = mini_site.content / "pages"
    pages.mkdir(exist_ok=True)
    (pages / "about.md").write_text("---\ntitle: About\n---\nSee [fees](/pages/fees/).\n", encoding="utf-8")
    (pages / "fees.md").write_text("---\ntitle: Fees\n---\nNone.\n", encoding="utf-8")
    (pages / "about.es.md").write_text(
        "---\ntitle: Acerca de\n---\nVea [tarifas](/pages/fees/), [verificar](/es/verify/) y "
        "[nada](/pages/nada/).\n", encoding="utf-8")
    code, out, _ = run_cli("check", "--content", mini_site.content, "--strict")
    assert code == 1
    fails = [line for line in out.splitlines() if line.startswith("FAIL  ")]
    assert len(fails) == 1 and f"{pages / 'about.es.md'}:4: links to '/pages/nada/'" in fails[0]

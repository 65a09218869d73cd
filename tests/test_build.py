"""The built demo site as a static host would serve it: every link resolves, every page is strict
HTML under the CSP, credential data is published byte for byte, and nothing private is indexed."""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml
from sitekit import ParsedPage, make_site, parse_page, row

from credsite.build.pipeline import build_site

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
LINK_ATTRIBUTES = ("href", "src", "action", "poster", "data")
ASSETS = Path(__file__).resolve().parents[1] / "templates" / "assets"
HASHED_ASSET = re.compile(r"(?P<stem>[a-z0-9-]+)\.(?P<digest>[0-9a-f]{10})\.(?P<ext>css|js)")


def base_url_of(content: Path) -> str:
    return str(yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8"))["base_url"])


def page_url(base_url: str, rel: str) -> str:
    """The public URL of an output file: ``x/index.html`` is served as ``<base>/x/``, and a
    credential page ``c/ID.html`` as ``<base>/c/ID``."""
    if rel == "index.html":
        return f"{base_url}/"
    if rel.endswith("/index.html"):
        return f"{base_url}/{rel[: -len('index.html')]}"
    if rel.startswith("c/") and rel.endswith(".html"):
        return f"{base_url}/{rel[: -len('.html')]}"
    return f"{base_url}/{rel}"


def read_pages(out: Path) -> dict[str, ParsedPage]:
    return {str(p.relative_to(out)): parse_page(p.read_text(encoding="utf-8"))
            for p in sorted(out.rglob("*.html"))}


def resolve(out: Path, base_url: str, url: str) -> tuple[str | None, str]:
    """The output file an internal absolute URL names (``None``: external), or a problem."""
    base = urlsplit(base_url)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or (parts.scheme, parts.netloc) != (base.scheme,
                                                                                base.netloc):
        return None, ""
    base_path = base.path.rstrip("/")
    if not (parts.path == base_path or parts.path.startswith(base_path + "/")):
        return "", f"{url} is outside the site's base path {base_path!r}"
    rel = unquote(parts.path[len(base_path):]).lstrip("/")
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    elif (out / rel).is_dir():  # static hosts redirect /x to /x/
        rel += "/index.html"
    elif (out / f"{rel}.html").is_file():  # and serve /c/ID from c/ID.html
        rel += ".html"
    if not (out / rel).is_file():
        return "", f"{url} → {rel} does not exist"
    return rel, ""


def crawl(out: Path, base_url: str) -> tuple[list[str], int]:
    """Follow every internal href/src/action of every page; returns problems and a link count."""
    pages = read_pages(out)
    problems: list[str] = []
    checked = 0
    for rel, page in pages.items():
        here = page_url(base_url, rel)
        for element in page.elements:
            for attribute in LINK_ATTRIBUTES:
                value = element.attrs.get(attribute)
                if value is None or (element.tag == "object" and attribute != "data"):
                    continue
                where = f"{rel}:{element.line} <{element.tag} {attribute}={value!r}>"
                if value.strip().lower().startswith("javascript:"):
                    problems.append(f"{where}: javascript: URL")
                    continue
                if rel == "404.html" and not re.match(r"(/|#|[a-z][a-z0-9+.-]*:)", value):
                    problems.append(f"{where}: 404.html is served at any path; relative link")
                target, problem = resolve(out, base_url, urljoin(here, value))
                if target is None:
                    continue
                checked += 1
                if problem:
                    problems.append(f"{where}: {problem}")
                    continue
                fragment = unquote(urlsplit(urljoin(here, value)).fragment)
                if fragment:
                    if target not in pages:
                        problems.append(f"{where}: #{fragment} on a non-HTML file {target}")
                    elif fragment not in pages[target].ids:
                        problems.append(f"{where}: no id {fragment!r} in {target}")
    return problems, checked


@pytest.fixture(scope="module")
def demo(demo_output: Path) -> Path:
    return demo_output


@pytest.fixture(scope="module")
def demo_pages(demo: Path) -> dict[str, ParsedPage]:
    return read_pages(demo)


def demo_awards() -> list[bytes]:
    lines = []
    for path in sorted((CONTENT / "awards").glob("*.jsonl")):
        lines += [line for line in path.read_bytes().split(b"\n") if line.strip()]
    assert lines, "the demo has awards"
    return lines


def award_id(line: bytes) -> str:
    return str(json.loads(line)["id"]).rsplit("/", 1)[-1]


# --------------------------------------------------------------------------- links


def test_every_internal_link_and_asset_of_the_demo_resolves(demo: Path) -> None:
    problems, checked = crawl(demo, base_url_of(CONTENT))
    assert not problems, "\n".join(problems)
    assert checked > 1000  # 78 pages with ~20 links each: the crawl really followed them


def test_every_internal_link_of_a_site_below_a_base_path_resolves(tmp_path: Path) -> None:
    """A site published under a path (``https://host/sub/dir``): every link keeps the path,
    including Markdown links in pages and the footer, and the credential's permanent URL."""
    site = make_site(tmp_path, "https://creds.example.org/sub/dir")
    ids = site.issue([row(), row("Grace Hopper", code="TEST-CNC")])
    out = site.build()
    problems, checked = crawl(out, site.base_url)
    assert not problems, "\n".join(problems)
    assert checked > 100
    page = (out / "c" / f"{ids[0]}.html").read_text(encoding="utf-8")
    assert 'href="/sub/dir/c/' in page and 'href="/c/' not in page
    about = (out / "pages" / "about" / "index.html").read_text(encoding="utf-8")
    assert 'href="/sub/dir/credentials/"' in about


def test_crawler_reports_a_missing_target_and_a_missing_fragment(tmp_path: Path) -> None:
    """The crawl itself can fail: a dangling link and an unknown #fragment are reported."""
    out = tmp_path / "out"
    (out / "a").mkdir(parents=True)
    shell = ('<!doctype html><html lang="en"><head><title>t</title></head><body><main id="m">'
             '{}</main></body></html>')
    (out / "index.html").write_text(shell.format(
        '<a href="/a/#m">ok</a><a href="/a/#nope">bad</a><a href="/missing/">bad</a>'))
    (out / "a" / "index.html").write_text(shell.format(""))
    problems, checked = crawl(out, "https://example.org")
    assert checked == 3
    assert len(problems) == 2 and "nope" in problems[0] and "missing" in problems[1]


# --------------------------------------------------------------------------- HTML


def test_every_page_is_strict_well_formed_html(demo_pages: dict[str, ParsedPage]) -> None:
    assert len(demo_pages) > 70
    problems = [f"{rel}: {p}" for rel, page in demo_pages.items() for p in page.problems]
    assert not problems, "\n".join(problems)


def test_strict_html_check_catches_broken_markup() -> None:
    page = parse_page('<!doctype html><html><head></head><body><main id="x"><p id="x"><b></p>'
                      '<br></br><div/></main><main></main></body></html>')
    text = "\n".join(page.problems)
    for expected in ("duplicate id 'x'", "</p> closes <b>", "void element", "<div/>",
                     "exactly one <main>", "lang", "<title>", "never closed"):
        assert expected in text, text


def test_every_credential_page_and_the_404_page_are_noindex(
        demo: Path, demo_pages: dict[str, ParsedPage]) -> None:
    credential_pages = [rel for rel in demo_pages if rel.startswith("c/")]
    assert len(credential_pages) == len(demo_awards())
    for rel in [*credential_pages, "404.html"]:
        robots = demo_pages[rel].find("meta", name="robots")
        assert [m.attrs.get("content") for m in robots] == ["noindex"], rel
    holder_pages = [rel for rel in demo_pages if rel.startswith("h/")]
    for rel in holder_pages:
        assert [m.attrs.get("content") for m in demo_pages[rel].find("meta", name="robots")] == [
            "noindex"], rel
    public = [rel for rel in demo_pages if not rel.startswith(("c/", "h/")) and rel != "404.html"]
    for rel in public:
        assert not demo_pages[rel].find("meta", name="robots"), f"{rel} is public but noindex"


def test_the_404_page_exists_and_says_so(demo: Path, demo_pages: dict[str, ParsedPage]) -> None:
    assert (demo / "404.html").is_file()
    assert "Page not found" in (demo / "404.html").read_text(encoding="utf-8")


def test_the_404_page_says_so_in_every_language_with_links_to_that_language(demo: Path) -> None:
    """Hosts serve one 404.html for every missing address, /es/… included: the page carries the
    other languages' text too, each marked with its language and linking to its own pages."""
    html = (demo / "404.html").read_text(encoding="utf-8")
    main = html[html.index("<main"):html.index("</main>")]
    assert main.count("<h1>") == 1 and "<h1>Page not found</h1>" in main
    spanish = main[main.index('<section class="not-found-other" lang="es">'):]
    assert "<h2>Página no encontrada</h2>" in spanish
    assert {'href="/es/verify/"', 'href="/es/credentials/"', 'href="/es/"'} <= set(
        re.findall(r'href="[^"]*"', spanish))
    assert 'href="/verify/"' not in spanish


# --------------------------------------------------------------------------- robots and sitemap


def expected_public_paths(content: Path) -> set[str]:
    codes = {p.stem for p in (content / "credentials").glob("*.md")}
    slugs = {p.stem for p in (content / "pages").glob("*.md") if "." not in p.stem}  # not about.es
    paths = ({"/", "/credentials/", "/verify/"} | {f"/credentials/{c}/" for c in codes}
             | {f"/pages/{s}/" for s in slugs})
    languages = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8")).get("languages")
    return paths | {f"/{lang}{path}" for lang in (languages or ["en"])[1:] for path in paths}


def test_robots_txt_lets_crawlers_see_noindex_and_names_the_sitemap(demo: Path) -> None:
    """Credential pages are kept out of search results by their ``noindex`` meta, which a crawler
    only sees if robots.txt lets it fetch them; robots.txt must not list ``/c/`` either (it is a
    map of where the personal pages are)."""
    robots = (demo / "robots.txt").read_text(encoding="utf-8")
    assert "/c/" not in robots
    assert f"Sitemap: {base_url_of(CONTENT)}/sitemap.xml" in robots.splitlines()


def test_sitemap_lists_exactly_the_public_pages_and_each_exists(demo: Path) -> None:
    base_url = base_url_of(CONTENT)
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    root = ET.fromstring((demo / "sitemap.xml").read_bytes())  # noqa: S314 - our own output
    assert root.tag == f"{namespace}urlset"
    locs = [(loc.text or "") for loc in root.iter(f"{namespace}loc")]
    assert len(locs) == len(set(locs))
    assert not [loc for loc in locs if "/c/" in loc]
    assert all(loc.startswith(base_url + "/") for loc in locs)
    paths = {loc[len(base_url):] for loc in locs}
    assert paths == expected_public_paths(CONTENT)
    for path in paths:
        assert (demo / path.lstrip("/") / "index.html").is_file(), path


def test_sitemap_names_every_language_version_of_each_page(demo: Path) -> None:
    """Each URL lists its versions in every language, itself included, and x-default (the
    default language's): what the pages' own hreflang links say, for crawlers reading the map."""
    base_url = base_url_of(CONTENT)
    sitemap, xhtml = "{http://www.sitemaps.org/schemas/sitemap/0.9}", "{http://www.w3.org/1999/xhtml}"
    languages = yaml.safe_load((CONTENT / "site.yaml").read_text(encoding="utf-8"))["languages"]
    assert len(languages) > 1, "the demo must have two languages for this test to mean anything"
    root = ET.fromstring((demo / "sitemap.xml").read_bytes())  # noqa: S314 - our own output
    for url in root.iter(f"{sitemap}url"):
        loc = url.findtext(f"{sitemap}loc") or ""
        path = loc[len(base_url):]
        original = next((path[len(lang) + 1:] for lang in languages[1:]
                         if path.startswith(f"/{lang}/")), path)
        links = {link.get("hreflang"): link.get("href") for link in url.iter(f"{xhtml}link")}
        assert links == {**{lang: base_url + (original if i == 0 else f"/{lang}{original}")
                            for i, lang in enumerate(languages)},
                         "x-default": base_url + original}, loc
        assert loc in links.values()
        page = (demo / path.lstrip("/") / "index.html").read_text(encoding="utf-8")
        for lang, href in links.items():
            assert f'<link rel="alternate" hreflang="{lang}" href="{href}">' in page, (loc, lang)


# --------------------------------------------------------------------------- credential data


def test_credential_json_files_are_the_award_lines_byte_for_byte(demo: Path) -> None:
    lines = demo_awards()
    for line in lines:
        assert (demo / "c" / f"{award_id(line)}.json").read_bytes() == line
    assert len(list((demo / "c").glob("*.json"))) == len(lines)
    assert len(list((demo / "c").glob("*.html"))) == len(lines)
    assert not [p for p in (demo / "c").iterdir() if p.is_dir()]


def test_a_credential_page_names_its_record_and_preloads_what_it_fetches(
        demo_pages: dict[str, ParsedPage], demo: Path) -> None:
    """The web build publishes each record once (c/<ID>.json); the page names it and announces
    it, the DID document and its status list, so that they load beside the scripts."""
    for line in demo_awards():
        cred_id = award_id(line)
        page = demo_pages[f"c/{cred_id}.html"]
        data = page.find("script", id="credential-data")
        assert len(data) == 1 and data[0].attrs.get("type") == "application/ld+json"
        assert data[0].text == "" and data[0].attrs.get("data-src") == f"/c/{cred_id}.json"
        assert (demo / "c" / f"{cred_id}.json").read_bytes() == line
        status = json.loads(line)["credentialStatus"]["statusListCredential"]
        preloads = [(e.attrs.get("href"), e.attrs.get("as"), "crossorigin" in e.attrs)
                    for e in page.find("link", rel="preload")]
        # the documents a verdict must have fresh carry the ID: no other page's cached copy
        assert preloads == [(f"/c/{cred_id}.json", "fetch", True),
                            (f"/.well-known/did.json?{cred_id}", "fetch", True),
                            (status.removeprefix("http://localhost:8000") + f"?{cred_id}", "fetch", True)]


def test_a_portable_page_embeds_its_record(tmp_path: Path) -> None:
    """Opened from files, a page can fetch nothing: the portable build embeds the record."""
    out = tmp_path / "usb"
    build_site(CONTENT, out, quiet=True, portable=True)
    for line in demo_awards():
        page = parse_page((out / "c" / f"{award_id(line)}.html").read_text(encoding="utf-8"))
        data = page.find("script", id="credential-data")
        assert len(data) == 1 and "data-src" not in data[0].attrs
        assert "</script" not in data[0].text.lower()
        assert json.loads(data[0].text) == json.loads(line)
        assert not page.find("link", rel="preload")


# --------------------------------------------------------------------------- CSP and assets


def csp_directives(page: ParsedPage) -> dict[str, list[str]]:
    metas = [e for e in page.elements if e.tag == "meta"
             and (e.attrs.get("http-equiv") or "").lower() == "content-security-policy"]
    assert len(metas) == 1
    policy = metas[0].attrs.get("content") or ""
    return {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}


def test_every_page_has_a_csp_meta_with_script_src_self_before_any_resource(
        demo_pages: dict[str, ParsedPage]) -> None:
    for rel, page in demo_pages.items():
        directives = csp_directives(page)
        assert directives.get("script-src") == ["'self'"], rel
        assert directives.get("style-src") == ["'self'"], rel
        assert directives.get("default-src") == ["'none'"], rel
        tags = [e.tag for e in page.elements]
        first_resource = min((i for i, e in enumerate(page.elements)
                              if e.tag in ("script", "link", "style")), default=len(tags))
        csp_at = next(i for i, e in enumerate(page.elements)
                      if (e.attrs.get("http-equiv") or "").lower() == "content-security-policy")
        assert csp_at < first_resource, f"{rel}: the CSP meta must come before scripts and styles"


def test_no_inline_script_style_or_event_handler(demo_pages: dict[str, ParsedPage]) -> None:
    problems = []
    for rel, page in demo_pages.items():
        for e in page.elements:
            where = f"{rel}:{e.line} <{e.tag}>"
            if e.tag == "script":
                if e.attrs.get("src"):
                    if e.text.strip():
                        problems.append(f"{where}: script with both src and text")
                elif e.attrs.get("type") != "application/ld+json":
                    problems.append(f"{where}: inline script")
            if e.tag == "style":
                problems.append(f"{where}: <style> element")
            for name in e.attrs:
                if name == "style" or name.startswith("on"):
                    problems.append(f"{where}: {name}= attribute")
    assert not problems, "\n".join(problems)


def test_css_and_js_have_content_hashed_names_and_pages_use_them(
        demo: Path, demo_pages: dict[str, ParsedPage]) -> None:
    # sw.js, the site worker, is at the root under a fixed name (docs/design.md, "The site worker")
    assert (demo / "sw.js").is_file()
    files = sorted(p for p in demo.rglob("*") if p.suffix in (".css", ".js") and p.name != "sw.js")
    assert {p.name.split(".")[0] for p in files} == {"site", "verify", "credential", "holder",
                                                          "credential-tools", "es", "i18n-page",
                                                          "i18n-later"}
    for path in files:
        match = HASHED_ASSET.fullmatch(path.name)
        # the Spanish texts of the scripts, loaded by the bundle for a Spanish reader only
        folder = demo / "assets" / "i18n" if path.name.startswith("es.") else demo / "assets"
        assert match and path.parent == folder, path
        assert match["digest"] == hashlib.sha256(path.read_bytes()).hexdigest()[:10], path
    published = {f"/assets/{p.name}" for p in files}
    for rel, page in demo_pages.items():
        used = {e.attrs["src"] or "" for e in page.elements if e.tag == "script" and e.attrs.get("src")}
        used |= {e.attrs["href"] or "" for e in page.elements
                 if e.tag == "link" and e.attrs.get("rel") == "stylesheet"}
        assert used and used <= published, f"{rel}: {used - published}"
        assert any(u.endswith(".css") for u in used), rel
        # each page loads only the scripts it needs: the verify page's tools nowhere else, and
        # one script at most (a credential page's tools come after the verdict, by its script)
        assert any("/verify." in u for u in used) == rel.startswith(("verify/", "es/verify/")), rel
        assert len([u for u in used if u.endswith(".js")]) <= 1, rel
    tools = next(p.name for p in files if p.name.startswith("credential-tools."))
    credential_js = next(p for p in files if p.name.startswith("credential.") and p.suffix == ".js")
    assert tools.encode() in credential_js.read_bytes()
    # a site of two languages: the page's own translation and the switch, named by each bundle
    page_text = next(p.name for p in files if p.name.startswith("i18n-page."))
    assert all(page_text.encode() in p.read_bytes() for p in files
               if p.name.split(".")[0] in ("credential", "verify", "holder") and p.suffix == ".js")


def test_credential_pages_load_the_credential_stylesheet_with_every_rule_they_use(
        demo: Path, demo_pages: dict[str, ParsedPage]) -> None:
    """A credential page's stylesheet is site.css without the catalog's, tables', holder page's
    and verify page's rules (fewer bytes before the verdict on a slow phone): it still has a rule
    for every class that the page and the scripts it loads use and that site.css styles."""
    sheets = {p.name.split(".")[0]: p.read_text(encoding="utf-8")
              for p in (demo / "assets").glob("*.css")}
    site, credential = sheets["site"], sheets["credential"]
    assert len(credential) < 0.85 * len(site)
    assert ".holder-cred" in site and ".holder-cred" not in credential
    styled = set(re.findall(r"\.([a-z][a-z0-9-]*)", site))
    kept = set(re.findall(r"\.([a-z][a-z0-9-]*)", credential))
    used: set[str] = set()
    credential_pages = [(rel, page) for rel, page in demo_pages.items() if rel.startswith("c/")]
    assert credential_pages
    for rel, page in credential_pages:
        links = [e.attrs.get("href") or "" for e in page.elements
                 if e.tag == "link" and e.attrs.get("rel") == "stylesheet"]
        assert len(links) == 1 and links[0].startswith("/assets/credential."), rel
        for element in page.elements:
            used.update((element.attrs.get("class") or "").split())
    scripts = ("verifier-page.js", "cert-verdict.js", "i18n-page.js", "share.js", "email-check.js",
               "badge-bake.js")
    for name in scripts:
        text = (ASSETS / name).read_text(encoding="utf-8")
        for written in re.findall(r"(?:class: |className = |el\('[a-z0-9]+', )'([^']+)'", text):
            used.update(written.split())
    assert {"cert", "verdict", "check", "share-status", "email-check-result"} <= used
    assert sorted((used & styled) - kept) == []


def test_scripts_and_stylesheet_ship_without_comments(demo: Path) -> None:
    for path in (p for p in (demo / "assets").rglob("*") if p.is_file()):  # and i18n/
        text = path.read_text(encoding="utf-8")
        assert "/*" not in text and "\n  " not in text, path.name
        assert "CREDSITE_TOOLS_FILE" not in text, path.name


# --------------------------------------------------------------------------- DID document


def expected_did(base_url: str) -> str:
    parts = urlsplit(base_url)
    assert parts.hostname is not None
    host = parts.hostname + (f"%3A{parts.port}" if parts.port else "")
    return ":".join(["did:web", host, *[s for s in parts.path.split("/") if s]])


def test_did_document_lists_the_site_keys_as_multikey_assertion_methods(demo: Path) -> None:
    site = yaml.safe_load((CONTENT / "site.yaml").read_text(encoding="utf-8"))
    did = expected_did(site["base_url"])
    assert did == "did:web:localhost%3A8000"
    document = json.loads((demo / ".well-known" / "did.json").read_bytes())
    assert document["id"] == did
    assert "https://www.w3.org/ns/did/v1" in document["@context"]
    assert "https://w3id.org/security/multikey/v1" in document["@context"]
    methods = {m["id"]: m for m in document["verificationMethod"]}
    assert len(methods) == len(document["verificationMethod"]) == len(site["keys"])
    for key in site["keys"]:
        method = methods[f"{did}#{key['id']}"]
        assert method["type"] == "Multikey"
        assert method["controller"] == did
        assert method["publicKeyMultibase"] == key["public_key"]
        assert method["publicKeyMultibase"].startswith("z6Mk")
        if "compromised_from" not in key:
            assert f"{did}#{key['id']}" in document["assertionMethod"]
    assert set(document["assertionMethod"]) <= set(methods)


def test_did_web_id_of_a_site_below_a_path(tmp_path: Path) -> None:
    site = make_site(tmp_path, "https://creds.example.org/sub/dir")
    out = site.build()
    # did:web §3.2: did:web:host:sub:dir resolves to https://host/sub/dir/did.json
    document = json.loads((out / "did.json").read_bytes())
    assert not (out / ".well-known").exists()
    assert document["id"] == "did:web:creds.example.org:sub:dir" == expected_did(site.base_url)
    assert document["assertionMethod"] == ["did:web:creds.example.org:sub:dir#key-1"]


def test_robots_txt_of_a_site_below_a_path_disallows_its_own_status_folder(tmp_path: Path) -> None:
    site = make_site(tmp_path, "https://creds.example.org/sub/dir")
    robots = (site.build() / "robots.txt").read_text(encoding="utf-8")
    disallowed = [line.split(":", 1)[1].strip() for line in robots.splitlines()
                  if line.lower().startswith("disallow:")]
    assert disallowed and all(d.startswith("/sub/dir/") for d in disallowed), robots
    assert "/c/" not in robots


def test_headers_file_keeps_status_fresh_and_assets_forever(demo: Path) -> None:
    """Netlify / Cloudflare Pages: the documents a verdict depends on are revalidated before each
    use (so a page's preload of them came from the server), the hashed assets are kept."""
    rules: dict[str, list[str]] = {}
    path = ""
    for line in (demo / "_headers").read_text(encoding="utf-8").splitlines():
        if line.startswith("/"):
            path = line
        elif line.startswith("  "):
            rules.setdefault(path, []).append(line.strip())
    for fresh in ("/.well-known/did.json", "/status/*"):
        assert rules[fresh] == ["Cache-Control: no-cache"], fresh
    assert rules["/assets/*"] == ["Cache-Control: public, max-age=31536000, immutable"]

"""Standards conformance, checked by independent validators against published artifacts.

- Open Badges 3.0: every credential credsite emits (the demo awards, the built ``/c/<ID>.json``, a
  credential fresh from ``credsite issue``) validates against 1EdTech's AchievementCredential JSON
  Schema with the ``jsonschema`` package (the schema's own draft 2019-09, formats checked).
- JSON-LD: expanding each document with pyld, with only the published contexts of
  ``tests/vectors/conformance/`` to hand (any other URL fails), raises nothing (no protected-term
  redefinition), drops no property, keeps every value, and maps every property and type through the
  context onto an http(s) IRI. VC 2.0 requires every term to be defined by the ``@context``; an
  undefined term is silently dropped by a processor, so an RDF-based verifier would not see it.

The fixtures are unmodified copies of the published files; their sources are in
``tests/vectors/conformance/README.md`` and their digests are pinned below.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft201909Validator
from pyld import jsonld
from sitekit import MiniSite, award_row, parse_page

from credsite.trust.did import TERMS, did_document

REPO = Path(__file__).resolve().parent.parent
DEMO_CONTENT = REPO / "content"
VECTORS = Path(__file__).resolve().parent / "vectors" / "conformance"
SCHEMA_FILE = "ob_v3p0_achievementcredential_schema.json"

# every fixture with its SHA-256 (see the README beside the files)
FIXTURES = {
    SCHEMA_FILE: "86a141ff0c1b1a6b4e08460f786a8ffe0f737d8256a86243d134a2e6450efe4d",
    "credentials-v2.jsonld": "8a9f494a89ecc51db093e90e84713e07e84d6d9204364a9b3c7868b21751236f",
    "ob-v3p0-context-3.0.3.json": "01d87cc8b5357af557bfb09428f603c4691c49ef8a6089945a70bda1b96b1db2",
    "did-v1.jsonld": "62c1054bf404d6dd3a4b26b64f830fd72095f6a26edc4469908c94351352ce5f",
    "multikey-v1.jsonld": "9ae9f9e8c8078caa4018d3491d69b175744334f60536339cc7ab365ba7d789a8",
}
# the only URLs the JSON-LD document loader serves
CONTEXTS = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-context-3.0.3.json",
    "https://www.w3.org/ns/did/v1": "did-v1.jsonld",
    "https://w3id.org/security/multikey/v1": "multikey-v1.jsonld",
}
# terms that only a catch-all @vocab would map (the VC 2.0 context has none; these catch the
# "undefined-terms" context or an older draft of the base context if either ever comes back)
UNDEFINED_TERM_NAMESPACES = ("https://www.w3.org/ns/credentials/issuer-dependent#",
                             "https://www.w3.org/ns/credentials/undefined-term#")
NOT_DEFINED = "not defined by the @context"


def _fixture(name: str) -> Any:
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


def _jsonl(folder: Path) -> list[dict[str, Any]]:
    found = [json.loads(line) for path in sorted(folder.glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert found, f"no credentials in {folder}"
    return found


def _name(credential: dict[str, Any]) -> str:
    return str(credential.get("id", "?")).rsplit("/", 1)[-1]


# --------------------------------------------------------------------------- Open Badges JSON Schema


@pytest.fixture(scope="module")
def ob_schema() -> Draft201909Validator:
    schema = _fixture(SCHEMA_FILE)
    Draft201909Validator.check_schema(schema)
    return Draft201909Validator(schema, format_checker=Draft201909Validator.FORMAT_CHECKER)


def schema_errors(validator: Draft201909Validator, credential: dict[str, Any]) -> list[str]:
    """``path: message`` for every way ``credential`` fails the schema (empty: it validates)."""
    return [f"{e.json_path}: {e.message}"
            for e in sorted(validator.iter_errors(credential), key=lambda e: list(e.absolute_path))]


def assert_schema_valid(validator: Draft201909Validator, credentials: list[dict[str, Any]]) -> None:
    assert credentials
    failures = {_name(c): errors for c in credentials if (errors := schema_errors(validator, c))}
    assert not failures, json.dumps(failures, indent=1, ensure_ascii=False)


# --------------------------------------------------------------------------- JSON-LD


def load_pinned_context(url: str, options: Any = None) -> dict[str, Any]:
    """pyld document loader: the pinned copy of a published context; any other URL fails."""
    if url not in CONTEXTS:
        raise jsonld.JsonLdError(f"no pinned copy of {url} (the tests never fetch)",
                                 "jsonld.LoadDocumentError", code="loading document failed")
    return {"contextUrl": None, "documentUrl": url, "document": _fixture(CONTEXTS[url])}


def _keys(value: Any, path: str = "$") -> Iterator[tuple[str, str, Any]]:
    """(path, key, value) of every member of every object, ``@context`` members left out."""
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield from _keys(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != "@context":
                yield f"{path}.{key}", key, item
                yield from _keys(item, f"{path}.{key}")


def _source_leaves(value: Any) -> int:
    """Scalars (null included) in the document, ``@context`` left out."""
    if isinstance(value, list):
        return sum(_source_leaves(v) for v in value)
    if isinstance(value, dict):
        return sum(_source_leaves(v) for k, v in value.items() if k != "@context")
    return 1


def _expanded(value: Any, properties: set[str], types: set[str]) -> int:
    """Collect the property IRIs and node types of an expanded document; return its values
    (each ``@value``, each node ``@id`` and each node ``@type``)."""
    if isinstance(value, list):
        return sum(_expanded(v, properties, types) for v in value)
    if not isinstance(value, dict):
        return 0
    if "@value" in value:
        return 1
    node_types = value.get("@type", [])
    types.update(node_types)
    count = len(node_types) + ("@id" in value)
    for key, item in value.items():
        if not key.startswith("@"):
            properties.add(key)
        if key not in ("@id", "@type"):
            count += _expanded(item, properties, types)
    return count


def _is_defined_iri(iri: str) -> bool:
    return iri.startswith(("https://", "http://")) and not iri.startswith(UNDEFINED_TERM_NAMESPACES)


def _error_chain(error: BaseException | None) -> str:
    """``message (code)`` of a pyld error and of each error that caused it."""
    parts = []
    while error is not None:
        message = error.args[0] if error.args else str(error)
        code = getattr(error, "code", None)
        parts.append(f"{message} ({code})" if code else str(message))
        error = error.__cause__
    return "; caused by: ".join(parts)


def jsonld_problems(document: dict[str, Any]) -> list[str]:
    """Everything a JSON-LD processor would not carry over from ``document`` (empty: none)."""
    dropped: list[str | None] = []
    try:
        # base None: no document base, so a relative IRI stays relative (pyld would otherwise
        # resolve it against its placeholder http://example.org/base/)
        expanded = jsonld.expand(copy.deepcopy(document),
                                 {"documentLoader": load_pinned_context, "base": None},
                                 on_property_dropped=dropped.append)
    except jsonld.JsonLdError as error:
        return [f"expansion failed: {_error_chain(error)}"]
    problems = []
    members = list(_keys(document))
    for term in dict.fromkeys(dropped):
        paths = [p for p, key, _ in members if key == term] or ["?"]
        problems += [f"{p}: dropped by JSON-LD expansion (no term definition for {term!r})"
                     for p in paths]
    properties: set[str] = set()
    types: set[str] = set()
    kept = _expanded(expanded, properties, types)
    for iri in sorted(p for p in properties if not _is_defined_iri(p)):
        paths = [p for p, key, _ in members if key == iri] or ["?"]
        problems += [f"{p}: {NOT_DEFINED} (expands to the IRI {iri!r})" for p in paths]
    for iri in sorted(t for t in types if not _is_defined_iri(t)):
        paths = [p for p, key, value in members
                 if key == "type" and iri in (value if isinstance(value, list) else [value])]
        problems += [f"{p}: type {iri!r} is {NOT_DEFINED}" for p in paths or ["?"]]
    if kept != (held := _source_leaves(document)):
        problems.append(f"$: the expanded document keeps {kept} of its {held} values")
    return problems


def assert_jsonld_clean(documents: list[dict[str, Any]]) -> None:
    assert documents
    failures = {_name(d): problems for d in documents if (problems := jsonld_problems(d))}
    assert not failures, json.dumps(failures, indent=1, ensure_ascii=False)


# --------------------------------------------------------------------------- what credsite emits


@pytest.fixture
def cli_issued(mini_site: MiniSite) -> list[dict[str, Any]]:
    """Credentials fresh from ``credsite issue`` with a throwaway key: one plain, one of a type with
    ``validity_years`` (so with ``validUntil``), one without an e-mail address."""
    ids = mini_site.issue([award_row(), award_row(name="Zoë D’Arcy", code="TEST-CNC"),
                           award_row(name="王小明", code="TEST-PB", email="")], via="cli")
    stored = mini_site.credentials()
    assert len(ids) == 3 and set(ids) <= stored.keys()
    assert "validUntil" in stored[ids[1]]
    return [stored[i] for i in ids]


def built_credentials(out: Path) -> list[dict[str, Any]]:
    found = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((out / "c").glob("*.json"))]
    assert found, "the build wrote no /c/<ID>.json"
    return found


def built_status_lists(out: Path) -> list[dict[str, Any]]:
    found = [json.loads(p.read_text(encoding="utf-8"))
             for p in sorted((out / "status").iterdir()) if p.is_file()]
    assert found, "the build wrote no /status/<n>"
    assert all("BitstringStatusListCredential" in s["type"] for s in found)
    return found


# --------------------------------------------------------------------------- the fixtures


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_fixtures_are_the_pinned_published_copies(name: str) -> None:
    data = (VECTORS / name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == FIXTURES[name]
    json.loads(data)


def test_schema_is_draft_2019_09_and_date_times_are_checked(ob_schema: Draft201909Validator) -> None:
    assert ob_schema.schema["$schema"] == "https://json-schema.org/draft/2019-09/schema#"
    # jsonschema checks "date-time" only when rfc3339-validator is installed: make sure it is
    assert "date-time" in Draft201909Validator.FORMAT_CHECKER.checkers


# --------------------------------------------------------------------------- Open Badges 3.0 schema


def test_demo_awards_validate_against_the_ob3_schema(ob_schema: Draft201909Validator) -> None:
    assert_schema_valid(ob_schema, _jsonl(DEMO_CONTENT / "awards"))


def test_built_credential_files_validate_against_the_ob3_schema(
        ob_schema: Draft201909Validator, demo_output: Path) -> None:
    assert_schema_valid(ob_schema, built_credentials(demo_output))


def test_cli_issued_credentials_validate_against_the_ob3_schema(
        ob_schema: Draft201909Validator, cli_issued: list[dict[str, Any]]) -> None:
    assert_schema_valid(ob_schema, cli_issued)


def test_the_schema_rejects_a_credential_without_criteria(ob_schema: Draft201909Validator) -> None:
    credential = _jsonl(DEMO_CONTENT / "awards")[0]
    assert schema_errors(ob_schema, credential) == []
    del credential["credentialSubject"]["achievement"]["criteria"]
    assert schema_errors(ob_schema, credential) == [
        "$.credentialSubject.achievement: 'criteria' is a required property"]


def test_the_schema_rejects_an_impossible_date(ob_schema: Draft201909Validator) -> None:
    credential = _jsonl(DEMO_CONTENT / "awards")[0]
    credential["validFrom"] = "2026-02-30T15:00:00Z"
    assert schema_errors(ob_schema, credential) == [
        "$.validFrom: '2026-02-30T15:00:00Z' is not a 'date-time'"]


# --------------------------------------------------------------------------- JSON-LD: every term defined


def test_demo_awards_define_every_term() -> None:
    assert_jsonld_clean(_jsonl(DEMO_CONTENT / "awards"))


def test_built_credential_files_define_every_term(demo_output: Path) -> None:
    assert_jsonld_clean(built_credentials(demo_output))


def test_built_status_list_credentials_define_every_term(demo_output: Path) -> None:
    assert_jsonld_clean(built_status_lists(demo_output))


def test_cli_issued_credentials_define_every_term(cli_issued: list[dict[str, Any]]) -> None:
    assert_jsonld_clean(cli_issued)


def test_did_document_expands_without_dropping_anything(demo_output: Path) -> None:
    """The weaker property: a processor keeps every member of the DID document."""
    did = json.loads((demo_output / ".well-known" / "did.json").read_text(encoding="utf-8"))
    problems = jsonld_problems(did)
    assert all(NOT_DEFINED in p for p in problems), problems


def test_did_document_defines_every_term(demo_output: Path) -> None:
    did = json.loads((demo_output / ".well-known" / "did.json").read_text(encoding="utf-8"))
    assert jsonld_problems(did) == []


def test_did_document_defines_every_key_validity_term(mini_site: MiniSite) -> None:
    """A retired key and a compromised one: all three ``credsite:`` dates are defined terms."""
    site = mini_site.site
    key = site.keys[0]
    when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    keys = [dataclasses.replace(key, id="old", valid_until=when),
            dataclasses.replace(key, id="stolen", compromised_from=when)]
    did = json.loads(json.dumps(did_document(dataclasses.replace(site, keys=tuple(keys)))))
    names = {name for method in did["verificationMethod"] for name in method}
    assert {"credsite:validFrom", "credsite:validUntil", "credsite:compromisedFrom"} <= names
    assert jsonld_problems(did) == []


def test_the_did_documents_namespace_is_published_with_every_term(demo_output: Path) -> None:
    """``<base_url>/ns/credsite#`` resolves: the build writes the page (served from ``.html``, as
    credential pages are) and it has an element per term, so each term IRI dereferences."""
    did = json.loads((demo_output / ".well-known" / "did.json").read_text(encoding="utf-8"))
    namespace = did["@context"][-1]["credsite"]
    assert namespace == "http://localhost:8000/ns/credsite#"  # the demo's base_url
    page = parse_page((demo_output / "ns" / "credsite.html").read_text(encoding="utf-8"))
    assert page.problems == []
    used = {name.removeprefix("credsite:") for method in did["verificationMethod"]
            for name in method if name.startswith("credsite:")}
    assert used and used <= set(TERMS) <= page.ids


# --------------------------------------------------------------------------- the check can fail


def test_an_undefined_term_is_reported() -> None:
    credential = _jsonl(DEMO_CONTENT / "awards")[0]
    assert jsonld_problems(credential) == []
    credential["credentialSubject"]["favouriteColour"] = "red"
    held = _source_leaves(credential)
    assert jsonld_problems(credential) == [
        "$.credentialSubject.favouriteColour: dropped by JSON-LD expansion "
        "(no term definition for 'favouriteColour')",
        f"$: the expanded document keeps {held - 1} of its {held} values",
    ]


def test_an_undefined_type_and_an_undefined_prefix_are_reported() -> None:
    credential = _jsonl(DEMO_CONTENT / "awards")[0]
    credential["credentialSubject"]["type"] = ["AchievementSubject", "Apprentice"]
    credential["credentialSubject"]["credsite:note"] = "x"
    assert jsonld_problems(credential) == [
        "$.credentialSubject.credsite:note: not defined by the @context "
        "(expands to the IRI 'credsite:note')",
        "$.credentialSubject.type: type 'Apprentice' is not defined by the @context",
    ]


def test_a_null_value_is_reported_as_lost() -> None:
    credential = _jsonl(DEMO_CONTENT / "awards")[0]
    credential["name"] = None
    [problem] = jsonld_problems(credential)
    assert problem.startswith("$: the expanded document keeps ")


def test_redefining_a_protected_term_is_reported() -> None:
    credential = _jsonl(DEMO_CONTENT / "awards")[0]
    credential["@context"] = [*credential["@context"], {"name": "https://example.org/name"}]
    [problem] = jsonld_problems(credential)
    assert problem.startswith("expansion failed:") and "protected term redefinition" in problem


def test_a_context_without_a_pinned_copy_is_not_fetched() -> None:
    credential = _jsonl(DEMO_CONTENT / "awards")[0]
    credential["@context"] = [*credential["@context"], "https://example.org/extra-context.json"]
    [problem] = jsonld_problems(credential)
    assert problem.startswith("expansion failed:")
    assert "no pinned copy of https://example.org/extra-context.json" in problem

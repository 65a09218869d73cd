"""verifier-core.js in real headless Chromium: JCS, encodings, did:web and eddsa-jcs-2022.

The page loads the scripts under a CSP `script-src 'self'` (see conftest.HARNESS_HTML).
"""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path
from typing import Any

import pytest
import vc_testkit as kit
from nacl.signing import SigningKey
from vc_testkit import b58decode, b58encode
from vectors import w3c

JCS_FILE = Path(__file__).resolve().parents[1] / "vectors" / "jcs.json"
JCS_VECTORS = json.loads(JCS_FILE.read_text(encoding="utf-8"))
B58_CHARS = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def js(harness: Any, expression: str, arg: Any = None) -> Any:
    return harness.page.evaluate(expression, arg)


@pytest.fixture(scope="module")
def js_canonical(core_harness: Any) -> dict[str, Any]:
    """name -> JS canonical form (or the error text), parsing the vector file in the page."""
    text = JCS_FILE.read_text(encoding="utf-8")
    return dict(
        js(
            core_harness,
            """text => JSON.parse(text).map(v => {
                 try { return [v.name, CredsiteVerifier.canonicalize(v.input)]; }
                 catch (e) { return [v.name, 'ERROR: ' + e.message]; }
               })""",
            text,
        )
    )


@pytest.fixture(scope="module")
def vector(w3c_vector_dir: Path) -> dict[str, Any]:
    def read(name: str) -> str:
        return (w3c_vector_dir / name).read_text(encoding="utf-8")

    return {
        "signed": json.loads(read("signedJCS.json")),
        "unsigned": json.loads(read("unsigned.json")),
        "proof_config": json.loads(read("proofConfigJCS.json")),
        "key_pair": json.loads(read("keyPair.json")),
        "canon_doc": read("canonDocJCS.txt").strip(),
        "canon_proof": read("proofCanonJCS.txt").strip(),
        "sig": read("sigBTC58JCS.txt").strip(),
    }


def verify_proof(harness: Any, doc: Any, multikey: str) -> dict[str, Any]:
    return dict(js(
        harness,
        """([doc, key]) => CredsiteVerifier.verifyProof(
               doc, CredsiteVerifier.decodeMultikeyEd25519(key))""",
        [doc, multikey],
    ))


# --- page health ------------------------------------------------------------------------------


def test_scripts_load_under_csp_without_errors(core_harness: Any) -> None:
    names = js(core_harness, "Object.keys(CredsiteVerifier)")
    for name in (
        "canonicalize",
        "verifyProof",
        "verifyCredential",
        "didWebToUrl",
        "base58btcDecode",
        "base64urlDecode",
        "multibaseDecode",
        "decodeMultikeyEd25519",
    ):
        assert name in names
    assert js(core_harness, "isSecureContext") is True
    assert core_harness.page.credsite_errors == []


def test_ed25519_supported(core_harness: Any) -> None:
    assert js(core_harness, "CredsiteVerifier.checkSupport()")["ok"] is True


# --- JCS --------------------------------------------------------------------------------------


@pytest.mark.parametrize("vec", JCS_VECTORS, ids=[v["name"] for v in JCS_VECTORS])
def test_jcs_vector_in_browser(js_canonical: dict[str, Any], vec: dict[str, Any]) -> None:
    assert js_canonical[vec["name"]] == vec["canonical"]


def test_jcs_w3c_intermediates(core_harness: Any, vector: dict[str, Any]) -> None:
    assert (
        js(core_harness, "d => CredsiteVerifier.canonicalize(d)", vector["unsigned"]) == (vector["canon_doc"])
    )
    assert (
        js(core_harness, "d => CredsiteVerifier.canonicalize(d)", vector["proof_config"])
        == (vector["canon_proof"])
    )


def test_jcs_rejects_non_json(core_harness: Any) -> None:
    results = js(
        core_harness,
        """() => {
             const bad = ['\\ud800', 'x\\udc00', NaN, Infinity, -Infinity, undefined, () => 1,
                          {a: undefined}, [1n], {b: 'ok\\ud83d'}];
             return bad.map(v => {
               try { return 'accepted ' + CredsiteVerifier.canonicalize(v); }
               catch (e) { return 'rejected'; } });
           }""",
    )
    assert results == ["rejected"] * 10, results
    # A proper surrogate pair is fine.
    assert js(core_harness, "() => CredsiteVerifier.canonicalize('\\ud83d\\ude00')") == ('"\U0001f600"')


# --- encodings --------------------------------------------------------------------------------


def test_multikey_decoding_of_vector_key(core_harness: Any, vector: dict[str, Any]) -> None:
    public_mb = vector["key_pair"]["publicKeyMultibase"]
    private_mb = w3c.private_multibase()
    raw = b58decode(public_mb[1:])
    assert raw[:2] == b"\xed\x01" and len(raw) == 34

    js_raw = js(core_harness, "k => Array.from(CredsiteVerifier.base58btcDecode(k.slice(1)))", public_mb)
    assert bytes(js_raw) == raw
    js_mb = js(core_harness, "k => Array.from(CredsiteVerifier.multibaseDecode(k))", public_mb)
    assert bytes(js_mb) == raw
    js_key = js(core_harness, "k => Array.from(CredsiteVerifier.decodeMultikeyEd25519(k))", public_mb)
    assert bytes(js_key) == raw[2:]

    # The private seed (multicodec 0x8026) derives the same public key.
    seed = b58decode(private_mb[1:])
    assert seed[:2] == b"\x80\x26" and len(seed) == 34
    assert bytes(SigningKey(seed[2:]).verify_key) == bytes(js_key)


def test_multikey_rejects_non_ed25519(core_harness: Any, vector: dict[str, Any]) -> None:
    public_mb = vector["key_pair"]["publicKeyMultibase"]
    raw = b58decode(public_mb[1:])
    bad = [
        w3c.private_multibase(),  # ed25519-priv multicodec
        "z" + b58encode(b"\xec\x01" + raw[2:]),  # x25519-pub multicodec
        "z" + b58encode(raw[:-1]),  # 31 key bytes
        "z" + b58encode(raw + b"\x00"),  # 33 key bytes
        "u" + base64.urlsafe_b64encode(raw).rstrip(b"=").decode(),  # not base58btc
        public_mb[1:],  # no multibase prefix
        public_mb[:10] + "0" + public_mb[11:],  # '0' is not base58
        public_mb[:10] + "l" + public_mb[11:],  # 'l' is not base58
        "",
    ]
    results = js(
        core_harness,
        """keys => keys.map(k => {
             try { CredsiteVerifier.decodeMultikeyEd25519(k); return 'accepted'; }
             catch (e) { return 'rejected'; } })""",
        bad,
    )
    assert results == ["rejected"] * len(bad)


def test_base58_round_trip(core_harness: Any) -> None:
    samples = [b"", b"\x00", b"\x00\x00\x01", b"\xff" * 40, bytes(range(256)), b"hello world"]
    for data in samples:
        text = b58encode(data)
        got = js(core_harness, "t => Array.from(CredsiteVerifier.base58btcDecode(t))", text)
        assert bytes(got) == data
        assert (
            js(core_harness, "b => CredsiteVerifier.base58btcEncode(new Uint8Array(b))", list(data)) == text
        )


def test_base64url_and_multibase_u(core_harness: Any) -> None:
    for data in [b"", b"f", b"fo", b"foo", b"foob", bytes(range(256)), b"\xfb\xff\xfe"]:
        text = base64.urlsafe_b64encode(data).rstrip(b"=").decode()
        assert bytes(js(core_harness, "t => Array.from(CredsiteVerifier.base64urlDecode(t))", text)) == data
        assert (
            bytes(js(core_harness, "t => Array.from(CredsiteVerifier.multibaseDecode(t))", "u" + text))
            == data
        )
    rejected = js(
        core_harness,
        """() => ['ab+c', 'ab/c', 'a', 'abcde', 'a b'].map(t => {
             try { CredsiteVerifier.base64urlDecode(t); return 'accepted ' + t; }
             catch (e) { return 'rejected'; } })""",
    )
    assert rejected == ["rejected"] * 5


def test_status_list_bits(core_harness: Any) -> None:
    bits = bytearray(16384)
    for index in (0, 7, 8, 48213, 131071):
        bits[index // 8] |= 0x80 >> (index % 8)
    encoded = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits))).rstrip(b"=").decode()
    got = js(
        core_harness,
        """async enc => {
             const bytes = await CredsiteVerifier.decodeStatusList(enc);
             return [0, 1, 6, 7, 8, 9, 48212, 48213, 48214, 131071].map(
               i => CredsiteVerifier.statusBit(bytes, i)).concat([bytes.length]);
           }""",
        encoded,
    )
    assert got == [1, 0, 0, 1, 1, 0, 0, 1, 0, 1, 16384]


# --- did:web, IDs, dates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("did", "url"),
    [
        ("did:web:example.com", "https://example.com/.well-known/did.json"),
        ("did:web:localhost%3A8000", "http://localhost:8000/.well-known/did.json"),
        ("did:web:127.0.0.1%3A5500", "http://127.0.0.1:5500/.well-known/did.json"),
        ("did:web:127.1.2.3", "http://127.1.2.3/.well-known/did.json"),
        ("did:web:example.com%3A8443:user:alice", "https://example.com:8443/user/alice/did.json"),
        ("did:web:skills.example.org:credsite", "https://skills.example.org/credsite/did.json"),
        ("did:web:localhost.example.com", "https://localhost.example.com/.well-known/did.json"),
        ("did:web:128.0.0.1", "https://128.0.0.1/.well-known/did.json"),
    ],
)
def test_did_web_to_url(core_harness: Any, did: str, url: str) -> None:
    assert js(core_harness, "d => CredsiteVerifier.didWebToUrl(d)", did) == url


def test_did_web_rejects_bad_dids(core_harness: Any) -> None:
    bad = [
        "did:key:z6Mk",
        "did:web:",
        "did:web:example.com#key-1",
        "did:web:exa mple.com",
        "did:web:example.com/path",
        "did:web:example.com?x",
        "https://example.com",
        "",
    ]
    results = js(
        core_harness,
        """ds => ds.map(d => { try { return CredsiteVerifier.didWebToUrl(d); }
                                catch (e) { return 'rejected'; } })""",
        bad,
    )
    assert results == ["rejected"] * len(bad)


def test_credential_id_normalisation(core_harness: Any) -> None:
    cases = {
        "7QK2M9XRD4T8VNPA": "7QK2M9XRD4T8VNPA",
        "7qk2-m9xr-d4t8-vnpa": "7QK2M9XRD4T8VNPA",
        " 7qk2 m9xr d4t8 vnpa ": "7QK2M9XRD4T8VNPA",
        "OOOO IIII LLLL oilx": "000011111111011X",
        "http://localhost:8000/c/7QK2M9XRD4T8VNPA/": "7QK2M9XRD4T8VNPA",
        "http://localhost:8000/c/7QK2M9XRD4T8VNPA": "7QK2M9XRD4T8VNPA",
        "https://x.example/creds/c/7qk2m9xrd4t8vnpa.json": "7QK2M9XRD4T8VNPA",
        "https://x.example/c/7QK2M9XRD4T8VNPA.html?x=1#y": "7QK2M9XRD4T8VNPA",
        "7QK2M9XRD4T8VNP": None,  # 15 characters
        "7QK2M9XRD4T8VNPAA": None,  # 17 characters
        "7QK2M9XRD4T8VNPU": None,  # U is not Crockford base32
        "7QK2M9XRD4T8VNP!": None,
        "": None,
    }
    got = js(core_harness, "ids => ids.map(i => CredsiteVerifier.normalizeCredentialId(i))", list(cases))
    assert got == list(cases.values())


def test_page_fields(core_harness: Any) -> None:
    base = "https://x.example"
    achievement = f"{base}/credentials/C/"
    cred = kit.credential(base, "did:web:x.example", "7QK2M9XRD4T8VNPA", valid_until=None,
                          results={"performance": "Pass", "theory": "94%"}, test_site="Site A")
    fields = js(core_harness, "c => CredsiteVerifier.pageFields(c)", cred)
    by_name = {f["field"]: f for f in fields}
    assert [f["field"] for f in fields] == [
        "holder", "credential-name", "credential-code", "description", "valid-from", "valid-until",
        "result-performance", "result-theory", "issuer-name", "test-site", "credential-id"]
    assert {name: f["text"] for name, f in by_name.items()} == {
        "holder": "Jane Q. Doe", "credential-name": "Measurement, Materials & Safety",
        "credential-code": "MACH1-MMS", "description": "Measures parts; knows materials; works safely.",
        "valid-from": "March 14, 2026", "valid-until": None, "result-performance": "Pass",
        "result-theory": "94%", "issuer-name": "Test Skills Council", "test-site": "Site A",
        "credential-id": "7QK2M9XRD4T8VNPA"}
    optional = {"description", "valid-until", "result-performance", "result-theory", "test-site"}
    assert {name for name, f in by_name.items() if f.get("optional")} == optional

    # Absent values; the result's part is what follows the last '#' of its resultDescription.
    bare = kit.credential(base, "did:web:x.example", "7QK2M9XRD4T8VNPA", description=None, results={})
    bare["credentialSubject"]["result"] = [
        {"resultDescription": f"{achievement}#performance-extra", "value": "x"},
        {"resultDescription": f"{achievement}#theoryx", "value": "y"},
        {"resultDescription": "theory", "value": "no hash"},
        {"value": "no description"}, "not an object",
        {"resultDescription": f"{achievement}#theory", "value": 87.5},
        {"resultDescription": f"{achievement}#theory", "value": "91%"},  # the last one counts
        {"resultDescription": f"{achievement}#performance"},  # no value: shown empty
    ]
    bare["credentialSubject"]["source"] = {"id": "x"}  # a source without a name
    got = {f["field"]: f["text"] for f in js(core_harness, "c => CredsiteVerifier.pageFields(c)", bare)}
    assert (got["description"], got["result-theory"], got["result-performance"], got["test-site"]) == (
        None, "91%", "", None)
    bare["credentialSubject"]["result"] = {"resultDescription": f"{achievement}#theory", "value": 87.5}
    got = {f["field"]: f["text"] for f in js(core_harness, "c => CredsiteVerifier.pageFields(c)", bare)}
    assert (got["result-theory"], got["result-performance"]) == ("87.5", None)
    bare["credentialSubject"]["achievement"]["description"] = ""  # empty: not shown
    got = {f["field"]: f["text"] for f in js(core_harness, "c => CredsiteVerifier.pageFields(c)", bare)}
    assert got["description"] is None
    garbage: Any
    for garbage in (None, 42, "text", [], {}):
        got = js(core_harness, "c => CredsiteVerifier.pageFields(c)", garbage)
        assert {f["field"]: f["text"] for f in got}["test-site"] is None


def test_format_date(core_harness: Any) -> None:
    got = js(
        core_harness,
        """() => ['2026-03-14T00:00:00Z', '2031-12-31T23:59:59Z', '2026-03-14T00:30:00+01:00',
                  '2024-02-29T12:00:00Z'].map(d => CredsiteVerifier.formatDate(d))""",
    )
    assert got == ["March 14, 2026", "December 31, 2031", "March 13, 2026", "February 29, 2024"]


# --- eddsa-jcs-2022 -----------------------------------------------------------------------------


def test_w3c_vector_verifies(core_harness: Any, vector: dict[str, Any]) -> None:
    assert vector["signed"]["proof"]["proofValue"] == vector["sig"]
    result = verify_proof(core_harness, vector["signed"], vector["key_pair"]["publicKeyMultibase"])
    assert result["ok"] is True, result


def test_w3c_vector_proof_as_array_of_one(core_harness: Any, vector: dict[str, Any]) -> None:
    doc = json.loads(json.dumps(vector["signed"]))
    doc["proof"] = [doc["proof"]]
    assert verify_proof(core_harness, doc, vector["key_pair"]["publicKeyMultibase"])["ok"] is True


def test_proof_shape_errors(core_harness: Any, vector: dict[str, Any]) -> None:
    key = vector["key_pair"]["publicKeyMultibase"]
    signed = vector["signed"]
    no_proof = {k: v for k, v in signed.items() if k != "proof"}
    two = dict(signed, proof=[signed["proof"], signed["proof"]])
    empty = dict(signed, proof=[])
    short_sig = dict(signed, proof=dict(signed["proof"], proofValue="z" + b58encode(b"\x01" * 63)))
    for doc in (no_proof, two, empty, short_sig):
        result = verify_proof(core_harness, doc, key)
        assert result["ok"] is False and result["reason"], result


def test_wrong_key_fails(core_harness: Any, vector: dict[str, Any]) -> None:
    other = "z" + b58encode(b"\xed\x01" + bytes(SigningKey(b"\x07" * 32).verify_key))
    assert verify_proof(core_harness, vector["signed"], other)["ok"] is False


def _string_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        out = []
        for key, item in value.items():
            out += _string_paths(item, (*path, key))
        return out
    if isinstance(value, list):
        out = []
        for index, item in enumerate(value):
            out += _string_paths(item, (*path, index))
        return out
    return [path] if isinstance(value, str) else []


def _key_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            out.append((*path, key))
            out += _key_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += _key_paths(item, (*path, index))
    return out


def _other_char(ch: str, alphabet: str) -> str:
    index = alphabet.find(ch)
    return alphabet[(index + 1) % len(alphabet)] if index >= 0 else "x" if ch != "x" else "y"


def _mutations(signed: dict[str, Any]) -> list[tuple[str, Any]]:
    """(description, document) for one-character changes of every string value and key."""
    out = []
    for path in _string_paths(signed):
        parent = signed
        for step in path[:-1]:
            parent = parent[step]
        text = parent[path[-1]]
        alphabet = B58_CHARS if path[-1] == "proofValue" else "abcdefghijklmnopqrstuvwxyz"
        for pos in sorted({0, len(text) // 2, len(text) - 1}):
            if path[-1] == "proofValue" and pos == 0:
                continue  # the multibase prefix: covered by the shape checks
            changed = text[:pos] + _other_char(text[pos], alphabet) + text[pos + 1 :]
            doc = json.loads(json.dumps(signed))
            target = doc
            for step in path[:-1]:
                target = target[step]
            target[path[-1]] = changed
            out.append((f"value {'/'.join(map(str, path))}[{pos}]", doc))
    for path in _key_paths(signed):
        doc = json.loads(json.dumps(signed))
        target = doc
        for step in path[:-1]:
            target = target[step]
        key = path[-1]
        new_key = key[:-1] + _other_char(key[-1], "abcdefghijklmnopqrstuvwxyz")
        target[new_key] = target.pop(key)
        out.append((f"key {'/'.join(map(str, path))}", doc))
    return out


def test_one_character_change_anywhere_fails(core_harness: Any, vector: dict[str, Any]) -> None:
    for signed in (vector["signed"], dict(vector["signed"], proof=[vector["signed"]["proof"]])):
        mutations = _mutations(signed)
        assert len(mutations) > 40
        results = js(
            core_harness,
            """async ([docs, key]) => {
                 const pub = CredsiteVerifier.decodeMultikeyEd25519(key);
                 const out = [];
                 for (const d of docs) out.push(await CredsiteVerifier.verifyProof(d, pub));
                 return out;
               }""",
            [[doc for _, doc in mutations], vector["key_pair"]["publicKeyMultibase"]],
        )
        accepted = [name for (name, _), r in zip(mutations, results, strict=True) if r["ok"]]
        assert accepted == [], f"mutations accepted: {accepted}"


REPEATS = [
    '{"a": 1, "b": 2}',
    '{"a": 1, "a": 2}',
    '{"a": 1, "\\u0061": 2}',  # the same name, escaped
    '{"x": {"a": 1}, "y": {"a": 2}}',  # same name in two objects: fine
    '{"x": [{"a": 1, "b": {"c": 1, "c": 2}}]}',
    '{"s": "\\"a\\": 1, \\"a\\": 2", "t": ["a", "a"]}',  # names inside strings and arrays
    '{"k\\\\": 1, "k\\\\\\"": 2, "k\\\\": 3}',
    '[{"a": 1}, {"a": 1, "a" : 1}]',
    '{"a":{},"a":[]}',
    '{"é": 1, "e\\u0301": 2, "\\u00e9": 3}',
]


def test_repeated_names_agree_with_python(core_harness: Any) -> None:
    from credsite.trust.dataintegrity import duplicate_key

    expected = [duplicate_key(text.encode()) for text in REPEATS]
    assert expected == [None, "a", "a", None, "c", None, "k\\", "a", "a", "é"]
    assert js(core_harness, "texts => texts.map(CredsiteVerifier.repeatedName)", REPEATS) == expected


# --- eddsa-jcs-2022, both directions (vc-di-eddsa 3.3.1 Create Proof, 3.3.2 Verify Proof) ------


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


SIGN_IN_PAGE = """async ([unsigned, options, seed, pub]) => {
    const V = CredsiteVerifier;
    const key = await crypto.subtle.importKey('jwk',
        { kty: 'OKP', crv: 'Ed25519', d: seed, x: pub }, { name: 'Ed25519' }, false, ['sign']);
    const data = await V.jcsHashData(unsecuredOf(unsigned), options);
    const sig = new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, key, data));
    return 'z' + V.base58btcEncode(sig);
    function unsecuredOf(d) { const u = Object.assign({}, d); delete u.proof; return u; }
}"""


def _vector_keys() -> tuple[str, str]:
    seed = b58decode(w3c.private_multibase()[1:])[2:]
    pub = b58decode(w3c.public_multikey()[1:])[2:]
    return _b64url(seed), _b64url(pub)


def test_w3c_vector_signed_in_the_page_byte_for_byte(core_harness: Any, vector: dict[str, Any]) -> None:
    """Create Proof in the browser: the proof configuration of the vector (its proof options with
    the document's @context, as the stored proof carries it) hashed by verifier-core.js and
    signed with WebCrypto gives the published proofValue; the stored proof is the vector's."""
    config = vector["proof_config"]
    assert config["@context"] == vector["unsigned"]["@context"]
    value = js(core_harness, SIGN_IN_PAGE, [vector["unsigned"], config, *_vector_keys()])
    assert value == vector["sig"]
    assert dict(config, proofValue=value) == vector["signed"]["proof"]
    canon = js(core_harness, "c => CredsiteVerifier.canonicalize(c)", config)
    assert canon == vector["canon_proof"]


def test_a_proof_without_context_is_verified_without_it(core_harness: Any, vector: dict[str, Any]) -> None:
    """3.3.2 step 4 applies only to a proof that carries @context: such a proof is verified with
    its options as they are, and a proof stripped of the vector's @context fails (it was signed
    with it) unless the page allows credsite's pre-0.2 form for its own site."""
    options = {k: v for k, v in vector["proof_config"].items() if k != "@context"}
    value = js(core_harness, SIGN_IN_PAGE, [vector["unsigned"], options, *_vector_keys()])
    signed = dict(vector["unsigned"], proof=dict(options, proofValue=value))
    key = vector["key_pair"]["publicKeyMultibase"]
    assert verify_proof(core_harness, signed, key)["ok"] is True
    stripped = json.loads(json.dumps(vector["signed"]))
    del stripped["proof"]["@context"]
    assert verify_proof(core_harness, stripped, key)["ok"] is False
    legacy = js(core_harness, """([doc, key]) => CredsiteVerifier.verifyProof(
        doc, CredsiteVerifier.decodeMultikeyEd25519(key), undefined, true)""", [stripped, key])
    assert legacy["ok"] is True and legacy["legacy"] is True
    assert "credsite migrate" in legacy["reason"]


def test_the_jcs_proof_of_a_proof_set_is_checked(core_harness: Any, vector: dict[str, Any]) -> None:
    key = vector["key_pair"]["publicKeyMultibase"]
    rdfc = dict(vector["signed"]["proof"], cryptosuite="eddsa-rdfc-2022", proofValue="z111")
    rdfc.pop("@context")
    for proofs in ([vector["signed"]["proof"], rdfc], [rdfc, vector["signed"]["proof"]]):
        doc = dict(vector["signed"], proof=proofs)
        assert verify_proof(core_harness, doc, key)["ok"] is True
        picked = js(core_harness, "d => CredsiteVerifier.pickProof(d).others", doc)
        assert picked == ["eddsa-rdfc-2022"]
    two_jcs = dict(vector["signed"], proof=[vector["signed"]["proof"]] * 2)
    assert verify_proof(core_harness, two_jcs, key)["ok"] is False

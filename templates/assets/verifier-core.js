/* credsite browser verifier: pure verification functions.
 *
 * Plain ES2020, no modules, no third-party code. Everything is exposed on the one global
 * `CredsiteVerifier`. The contracts (credential shape, DID document, check names, order,
 * statuses and verdicts) are fixed in docs/design.md.
 *
 * Specifications followed:
 * - RFC 8785 JSON Canonicalization Scheme (JCS);
 * - W3C Data Integrity EdDSA Cryptosuites v1.0, section 3.3 (eddsa-jcs-2022);
 * - W3C Controlled Identifiers v1.0 (Multikey, multibase base58btc);
 * - did:web method specification;
 * - W3C Bitstring Status List v1.0.
 */
(function (global) {
  'use strict';

  // Texts in the reader's language: i18n.js (CredsiteI18n), first in every page script.
  const _ = global.CredsiteI18n.gettext;
  // The texts a result holds when every check passes (and when a credential is revoked or has
  // expired), and the checks' names. The credential page's script leaves out every other text
  // this file writes with `_`, to be loaded only when shown (i18n.js, "Texts written later").
  const gettext = _;

  // ---------------------------------------------------------------------------------------------
  // Small helpers

  function isObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  }

  function asArray(value) {
    if (value === undefined || value === null) return [];
    return Array.isArray(value) ? value : [value];
  }

  function hasOwn(obj, key) {
    return Object.prototype.hasOwnProperty.call(obj, key);
  }

  function concatBytes(a, b) {
    const out = new Uint8Array(a.length + b.length);
    out.set(a, 0);
    out.set(b, a.length);
    return out;
  }

  function utf8(text) {
    return new TextEncoder().encode(text);
  }

  /** An error meaning "this browser cannot do it", as opposed to "the data is wrong". */
  class UnsupportedError extends Error {
    constructor(message) {
      super(message);
      this.name = 'UnsupportedError';
    }
  }

  // ---------------------------------------------------------------------------------------------
  // RFC 8785 JSON Canonicalization Scheme

  const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?:^|[^\ud800-\udbff])[\udc00-\udfff]/;

  function canonicalString(text) {
    if (LONE_SURROGATE.test(text)) {
      throw new TypeError(_('JCS: string contains a lone UTF-16 surrogate'));
    }
    // JSON.stringify escapes exactly what RFC 8785 section 3.2.2.2 asks for: '"', '\\', and
    // control characters below U+0020 (\b \t \n \f \r short forms, \u00xx lower-case otherwise).
    return JSON.stringify(text);
  }

  function canonicalNumber(num) {
    if (!Number.isFinite(num)) {
      throw new TypeError(_('JCS: %(number)s is not a valid JSON number', { number: String(num) }));
    }
    // ECMAScript Number::toString is the JCS number format; JSON.stringify(-0) gives "0".
    return JSON.stringify(num);
  }

  /** RFC 8785 canonical form of a JSON value (the result of JSON.parse). */
  function canonicalize(value) {
    if (value === null) return 'null';
    switch (typeof value) {
      case 'boolean':
        return value ? 'true' : 'false';
      case 'number':
        return canonicalNumber(value);
      case 'string':
        return canonicalString(value);
      case 'object':
        break;
      default:
        throw new TypeError(_('JCS: cannot canonicalize a value of type %(type)s', { type: typeof value }));
    }
    if (Array.isArray(value)) {
      const parts = [];
      for (let i = 0; i < value.length; i++) parts.push(canonicalize(value[i]));
      return '[' + parts.join(',') + ']';
    }
    // Default Array.prototype.sort compares strings by UTF-16 code units, as JCS requires.
    const keys = Object.keys(value).sort();
    const members = [];
    for (const key of keys) {
      members.push(canonicalString(key) + ':' + canonicalize(value[key]));
    }
    return '{' + members.join(',') + '}';
  }

  // ---------------------------------------------------------------------------------------------
  // base58btc, base64url, multibase, Multikey

  const B58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  const B58_VALUES = (function () {
    const table = new Int16Array(128).fill(-1);
    for (let i = 0; i < B58_ALPHABET.length; i++) table[B58_ALPHABET.charCodeAt(i)] = i;
    return table;
  })();

  /** Decode base58btc (Bitcoin alphabet) text to bytes; throws on any other character. */
  function base58btcDecode(text) {
    if (typeof text !== 'string') throw new TypeError(_('base58btc: expected a string'));
    let zeros = 0;
    while (zeros < text.length && text.charCodeAt(zeros) === 0x31 /* '1' */) zeros++;
    const little = []; // the number, little-endian bytes
    for (let i = zeros; i < text.length; i++) {
      const code = text.charCodeAt(i);
      const digit = code < 128 ? B58_VALUES[code] : -1;
      if (digit < 0) {
        throw new Error(_('base58btc: invalid character %(char)s at position %(position)s',
          { char: JSON.stringify(text[i]), position: i }));
      }
      let carry = digit;
      for (let j = 0; j < little.length; j++) {
        carry += little[j] * 58;
        little[j] = carry & 0xff;
        carry >>= 8;
      }
      while (carry > 0) {
        little.push(carry & 0xff);
        carry >>= 8;
      }
    }
    const out = new Uint8Array(zeros + little.length);
    for (let k = 0; k < little.length; k++) out[out.length - 1 - k] = little[k];
    return out;
  }

  // [not on credential pages]
  /** Encode bytes as base58btc text (used by tests). */
  function base58btcEncode(bytes) {
    let zeros = 0;
    while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
    const digits = []; // little-endian base-58 digits
    for (let i = zeros; i < bytes.length; i++) {
      let carry = bytes[i];
      for (let j = 0; j < digits.length; j++) {
        carry += digits[j] << 8;
        digits[j] = carry % 58;
        carry = (carry / 58) | 0;
      }
      while (carry > 0) {
        digits.push(carry % 58);
        carry = (carry / 58) | 0;
      }
    }
    let out = '1'.repeat(zeros);
    for (let k = digits.length - 1; k >= 0; k--) out += B58_ALPHABET[digits[k]];
    return out;
  }
  // [end]

  /** Decode base64url (RFC 4648 section 5); padding is optional. */
  function base64urlDecode(text) {
    if (typeof text !== 'string') throw new TypeError(_('base64url: expected a string'));
    let body = text;
    if (body.length % 4 === 0) body = body.replace(/={1,2}$/, '');
    if (!/^[A-Za-z0-9_-]*$/.test(body)) throw new Error(_('base64url: invalid character'));
    if (body.length % 4 === 1) throw new Error(_('base64url: invalid length'));
    const out = new Uint8Array(Math.floor(body.length * 3 / 4));
    let acc = 0;
    let bits = 0;
    let pos = 0;
    for (let i = 0; i < body.length; i++) {
      const c = body.charCodeAt(i);
      let v;
      if (c >= 65 && c <= 90) v = c - 65; // A-Z
      else if (c >= 97 && c <= 122) v = c - 71; // a-z
      else if (c >= 48 && c <= 57) v = c + 4; // 0-9
      else if (c === 45) v = 62; // -
      else v = 63; // _
      acc = (acc << 6) | v;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[pos++] = (acc >> bits) & 0xff;
      }
      acc &= 0xff;
    }
    return out;
  }

  // [not on credential pages]
  /** Decode a multibase string: `z` (base58btc) or `u` (base64url, no padding). */
  function multibaseDecode(text) {
    if (typeof text !== 'string' || text.length === 0) {
      throw new Error(_('multibase: expected a non-empty string'));
    }
    const prefix = text[0];
    if (prefix === 'z') return base58btcDecode(text.slice(1));
    if (prefix === 'u') return base64urlDecode(text.slice(1));
    throw new Error(_('multibase: unsupported prefix %(prefix)s (expected "z" or "u")',
      { prefix: JSON.stringify(prefix) }));
  }
  // [end]

  /** The 32 raw bytes of an Ed25519 Multikey (`z6Mk…`); throws for anything else. */
  function decodeMultikeyEd25519(text) {
    if (typeof text !== 'string' || text[0] !== 'z') {
      throw new Error(_('not an Ed25519 Multikey: expected a base58btc multibase value ("z6Mk…")'));
    }
    const raw = base58btcDecode(text.slice(1));
    if (raw.length !== 34 || raw[0] !== 0xed || raw[1] !== 0x01) {
      throw new Error(_('not an Ed25519 Multikey: expected multicodec 0xed01 and 32 key bytes'));
    }
    return raw.slice(2);
  }

  // ---------------------------------------------------------------------------------------------
  // Dates

  const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
    'September', 'October', 'November', 'December'];

  const DATETIME_RE =
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|z|[+-]\d{2}:\d{2})$/;

  /** Milliseconds since the epoch of an XML Schema dateTime WITH a time zone; NaN otherwise. */
  function parseDateTime(text) {
    if (typeof text !== 'string') return NaN;
    const m = DATETIME_RE.exec(text);
    if (!m) return NaN;
    const year = +m[1];
    const month = +m[2];
    const day = +m[3];
    const hour = +m[4];
    const minute = +m[5];
    const second = +m[6];
    if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return NaN;
    const base = Date.UTC(year, month - 1, day, hour, minute, second);
    const check = new Date(base);
    if (check.getUTCFullYear() !== year || check.getUTCDate() !== day) return NaN;
    const fraction = m[7] ? Math.floor(Number('0' + m[7]) * 1000) : 0;
    let offset = 0;
    if (m[8] !== 'Z' && m[8] !== 'z') {
      const sign = m[8][0] === '-' ? -1 : 1;
      const oh = +m[8].slice(1, 3);
      const om = +m[8].slice(4, 6);
      if (oh > 14 || om > 59) return NaN;
      offset = sign * (oh * 60 + om) * 60000;
    }
    return base + fraction - offset;
  }

  /** Like parseDateTime but also accepts a plain date `YYYY-MM-DD` (midnight UTC). */
  function parseDateOrDateTime(text) {
    if (typeof text === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(text)) {
      return parseDateTime(text + 'T00:00:00Z');
    }
    return parseDateTime(text);
  }

  /**
   * "March 14, 2026", "14 de marzo de 2026": the date in the page's language, UTC. Accepts a
   * Date, milliseconds or a dateTime. In English (`en`, the scripts' own language, or without
   * i18n.js) it is written here, as CLDR's English long date ("MMMM d, y", what
   * Intl.DateTimeFormat('en', {dateStyle: 'long'}) gives), not with Intl: a page's first
   * Intl.DateTimeFormat loads the locale data, about 120 ms on a phone (4× CPU slowdown), which
   * an English reader would otherwise wait for before the verdict (issue 20). Any other language
   * goes to i18n.js (Intl).
   */
  function formatDate(value) {
    let ms;
    if (value instanceof Date) ms = value.getTime();
    else if (typeof value === 'number') ms = value;
    else ms = parseDateOrDateTime(value);
    if (!Number.isFinite(ms)) return String(value);
    const i18n = global.CredsiteI18n;
    if (i18n && i18n.language() !== 'en') return i18n.formatDate(ms);
    const d = new Date(ms);
    return MONTHS[d.getUTCMonth()] + ' ' + d.getUTCDate() + ', ' + d.getUTCFullYear();
  }

  // ---------------------------------------------------------------------------------------------
  // WebCrypto

  const ED25519_BASE_POINT = new Uint8Array(32).fill(0x66);
  ED25519_BASE_POINT[0] = 0x58;

  let supportPromise = null;

  /** {ok, reason}: whether this browser has WebCrypto with Ed25519 and SHA-256. Cached. */
  function checkSupport() {
    if (!supportPromise) supportPromise = probeSupport();
    return supportPromise;
  }

  async function probeSupport() {
    const c = global.crypto;
    if (!c || !c.subtle) {
      if (global.isSecureContext === false) {
        return {
          ok: false,
          reason: _('WebCrypto is not available because the page is not served over HTTPS'),
        };
      }
      return { ok: false, reason: _('this browser does not provide WebCrypto (crypto.subtle)') };
    }
    try {
      await c.subtle.importKey('raw', ED25519_BASE_POINT, { name: 'Ed25519' }, false, ['verify']);
    } catch (err) {
      return { ok: false, reason: noEd25519(err).message };
    }
    return { ok: true, reason: _('WebCrypto with Ed25519 is available') };
  }

  function noEd25519(err) {
    return new UnsupportedError(_('this browser does not support Ed25519 signatures in WebCrypto (%(error)s)',
      { error: err && err.name ? err.name : String(err) }));
  }

  async function sha256(bytes) {
    const c = global.crypto;
    if (!c || !c.subtle) throw new UnsupportedError(_('WebCrypto (crypto.subtle) is not available'));
    return new Uint8Array(await c.subtle.digest('SHA-256', bytes));
  }

  // Ed25519 public keys imported into WebCrypto, by their bytes. A credential, its status
  // list and the freshness statement are usually signed with one key, and each import is a trip
  // to the browser's crypto thread and back: on a slow phone the trips, not the arithmetic, are
  // what a verdict waits for. Kept as promises, so that verifyProof starts the import beside the
  // hashing. Resolves to the CryptoKey, or to null for bytes that are no curve point.
  const importedKeys = new Map();

  function importVerifyKey(publicKey) {
    const id = String.fromCharCode.apply(null, publicKey);
    let imported = importedKeys.get(id);
    if (!imported) {
      imported = global.crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify'])
        .catch(function (err) {
          if (err && err.name === 'DataError') return null; // not a valid curve point
          throw noEd25519(err);
        });
      imported.catch(function () {}); // awaited (and so reported) by ed25519Verify
      importedKeys.set(id, imported);
    }
    return imported;
  }

  async function ed25519Verify(publicKey, signature, message) {
    const c = global.crypto;
    if (!c || !c.subtle) throw new UnsupportedError(_('WebCrypto (crypto.subtle) is not available'));
    const key = await importVerifyKey(publicKey);
    if (key === null) return false;
    return c.subtle.verify({ name: 'Ed25519' }, key, signature, message);
  }

  // ---------------------------------------------------------------------------------------------
  // eddsa-jcs-2022 (vc-di-eddsa section 3.3)

  function legacyReason() {
    return _('eddsa-jcs-2022 signature verifies in credsite\'s pre-0.2 form (no ' +
      '@context in the proof; other verifiers reject it): the issuer should run `credsite migrate`');
  }

  function contextsStartWith(docContext, proofContext) {
    const doc = asArray(docContext);
    const prefix = asArray(proofContext);
    if (prefix.length > doc.length) return false;
    for (let i = 0; i < prefix.length; i++) {
      if (canonicalize(doc[i]) !== canonicalize(prefix[i])) return false;
    }
    return true;
  }

  /**
   * The eddsa-jcs-2022 proof of a document: its one proof, or the one of that suite in a proof
   * set (VC Data Integrity 2.1; the other proofs, such as eddsa-rdfc-2022, are for verifiers that
   * expand JSON-LD). `others` lists the other proofs' suites, so the verdict can name the proof
   * that was checked.
   */
  function pickProof(document) {
    const proof = document.proof;
    const all = Array.isArray(proof) ? proof : proof === undefined ? [] : [proof];
    if (!all.length) return { error: _('the credential has no proof') };
    if (!all.every(isObject)) return { error: _('the proof is not an object') };
    const jcs = all.filter(function (p) { return p.cryptosuite === 'eddsa-jcs-2022'; });
    if (all.length === 1 && !jcs.length) return { proof: all[0], others: [] };
    if (jcs.length !== 1) {
      return { error: _('expected one eddsa-jcs-2022 proof, found %(count)s', { count: jcs.length }) };
    }
    const others = all.filter(function (p) { return p !== jcs[0]; })
      .map(function (p) { return String(p.cryptosuite); });
    return { proof: jcs[0], others: others };
  }

  /**
   * vc-di-eddsa 3.3.1-3.3.5: SHA-256(JCS(proof configuration)) followed by
   * SHA-256(JCS(unsecured document)), for an unsecured document and proof options (with the
   * proof's @context when it has one: Create Proof step 2 puts it there). Resolves to bytes.
   */
  async function jcsHashData(unsecured, options) {
    // Both hashes at once: each is a trip to the crypto thread.
    const hashes = await Promise.all([sha256(utf8(canonicalize(options))),
      sha256(utf8(canonicalize(unsecured)))]);
    return concatBytes(hashes[0], hashes[1]);
  }

  /**
   * The first member name that occurs twice in one object of the JSON text, or null. JCS
   * (RFC 8785) is defined for I-JSON, which has unique names; JSON.parse keeps the last of two,
   * other parsers the first, so such a record means different things to different verifiers.
   * Names are compared decoded, as JSON.parse reads them. The text must be valid JSON.
   */
  function repeatedName(text) {
    const stack = []; // per open container: a Set of names for an object, null for an array
    const n = text.length;
    let i = 0;
    while (i < n) {
      const ch = text[i];
      if (ch === '"') {
        let j = i + 1;
        while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
        const token = text.slice(i, j + 1);
        i = j + 1;
        let k = i;
        while (k < n && (text[k] === ' ' || text[k] === '\t' || text[k] === '\n' || text[k] === '\r')) k++;
        const names = stack[stack.length - 1];
        if (names && text[k] === ':') {
          const name = JSON.parse(token);
          if (names.has(name)) return name;
          names.add(name);
        }
        continue;
      }
      if (ch === '{') stack.push(new Set());
      else if (ch === '[') stack.push(null);
      else if (ch === '}' || ch === ']') stack.pop();
      i++;
    }
    return null;
  }

  /**
   * Verify an `eddsa-jcs-2022` Data Integrity proof. Resolves to {ok, reason}; when the browser
   * lacks the needed cryptography, also `unsupported: true`. `text`, if given, is the JSON text
   * the credential was parsed from: one that repeats a member name fails, as in Python.
   * `allowLegacy`: accept credsite's pre-0.2 form (see legacyReason) for the site's own DID.
   * `purpose`: the proofPurpose the proof must state (default "assertionMethod").
   */
  async function verifyProof(credential, publicKeyBytes, text, allowLegacy, purpose) {
    const expectedPurpose = purpose || 'assertionMethod';
    const fail = function (reason) { return { ok: false, reason: reason }; };
    try {
      if (!isObject(credential)) return fail(_('the credential is not a JSON object'));
      const repeated = typeof text === 'string' ? repeatedName(text) : null;
      if (repeated !== null) {
        return fail(_('the credential JSON has the member %(name)s twice in one object (JCS needs unique names)',
          { name: JSON.stringify(repeated) }));
      }
      const picked = pickProof(credential);
      if (picked.error) return fail(picked.error);
      const proof = picked.proof;
      if (proof.type !== 'DataIntegrityProof') {
        return fail(_('proof type is %(type)s, expected "DataIntegrityProof"', { type: JSON.stringify(proof.type) }));
      }
      if (proof.cryptosuite !== 'eddsa-jcs-2022') {
        return fail(_('cryptosuite is %(suite)s, expected "eddsa-jcs-2022"',
          { suite: JSON.stringify(proof.cryptosuite) }));
      }
      if (proof.proofPurpose !== expectedPurpose) {
        return fail(_('proofPurpose is %(purpose)s, expected %(expected)s',
          { purpose: JSON.stringify(proof.proofPurpose), expected: JSON.stringify(expectedPurpose) }));
      }
      if (hasOwn(proof, 'created') && !Number.isFinite(parseDateTime(proof.created))) {
        return fail(_('proof created is not a date-time with a time zone'));
      }
      if (typeof proof.proofValue !== 'string' || proof.proofValue[0] !== 'z') {
        return fail(_('proofValue is not a base58btc multibase value'));
      }
      let signature;
      try {
        signature = base58btcDecode(proof.proofValue.slice(1));
      } catch {
        return fail(_('proofValue is not valid base58btc'));
      }
      if (signature.length !== 64) {
        return fail(_('the signature is %(count)s bytes, expected 64', { count: signature.length }));
      }
      if (!(publicKeyBytes instanceof Uint8Array) || publicKeyBytes.length !== 32) {
        return fail(_('the public key is not 32 bytes'));
      }

      // Verify Proof (3.3.2), step by step: 1 the document without its proofs, 2 the proof
      // options without proofValue, 4 only when the options carry @context, the document's must
      // start with it and the proof's is the one hashed; 5-7 the options are the configuration
      // as they are (3.3.5 adds nothing). Spread defines each member as an own property;
      // Object.assign would *set* them, and setting "__proto__" changes the prototype instead,
      // so an unsigned "__proto__" member (JSON.parse makes it an ordinary own member) would
      // drop out of the signed bytes.
      const unsecured = { ...credential };
      delete unsecured.proof;
      const options = { ...proof };
      delete options.proofValue;
      if (hasOwn(options, '@context')) {
        if (!contextsStartWith(credential['@context'], options['@context'])) {
          return fail(_('the proof @context does not match the credential @context'));
        }
        unsecured['@context'] = options['@context'];
      }
      // The key's import runs beside the hashing (ed25519Verify awaits it).
      if (global.crypto && global.crypto.subtle) importVerifyKey(publicKeyBytes);
      let hashData;
      try {
        hashData = await jcsHashData(unsecured, options);
      } catch (err) {
        if (err instanceof UnsupportedError) throw err;
        return fail(_('the credential cannot be canonicalized: %(error)s', { error: err.message }));
      }
      if (await ed25519Verify(publicKeyBytes, signature, hashData)) {
        return { ok: true, reason: _('eddsa-jcs-2022 signature verifies') };
      }
      // credsite before 0.2 hashed the document's @context without storing it in the proof;
      // accepted only for the site's own credentials (allowLegacy), with the issuer's remedy.
      if (allowLegacy === true && !hasOwn(options, '@context') && hasOwn(unsecured, '@context')) {
        const legacy = Object.assign({}, options, { '@context': unsecured['@context'] });
        if (await ed25519Verify(publicKeyBytes, signature, await jcsHashData(unsecured, legacy))) {
          return { ok: true, legacy: true, reason: legacyReason() };
        }
      }
      return fail(_('the signature does not match the signed data'));
    } catch (err) {
      if (err instanceof UnsupportedError) return { ok: false, reason: err.message, unsupported: true };
      return fail(_('proof could not be verified: %(error)s', { error: err && err.message ? err.message : String(err) }));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // did:web

  const DID_WEB_RE = /^did:web:([^:#?/]+)((?::[^:#?/]+)*)$/;

  function parseDidWeb(did) {
    if (typeof did !== 'string') throw new Error(_('not a did:web identifier'));
    const m = DID_WEB_RE.exec(did);
    if (!m) throw new Error(_('not a did:web identifier: %(did)s', { did: JSON.stringify(did) }));
    let host;
    try {
      host = decodeURIComponent(m[1]);
    } catch (err) {
      throw new Error(_('bad percent-encoding in %(did)s', { did: JSON.stringify(did) }), { cause: err });
    }
    if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host) || host[0] === '.' || host[0] === '-') {
      throw new Error(_('not a valid did:web host: %(host)s', { host: JSON.stringify(host) }));
    }
    const path = m[2] ? m[2].slice(1).split(':') : [];
    return { host: host, path: path };
  }

  /** The host (with port) of a did:web DID, `%3A` decoded to `:`. */
  function didWebHost(did) {
    return parseDidWeb(did).host;
  }

  function isLocalHost(host) {
    const name = host.replace(/:\d+$/, '').toLowerCase();
    return name === 'localhost' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
  }

  /** The URL of the DID document of a did:web DID (http: for localhost and 127.x.x.x). */
  function didWebToUrl(did) {
    const parsed = parseDidWeb(did);
    const scheme = isLocalHost(parsed.host) ? 'http' : 'https';
    const path = parsed.path.length ? '/' + parsed.path.join('/') : '/.well-known';
    return new URL(scheme + '://' + parsed.host + path + '/did.json').href;
  }

  function normalizeHost(host) {
    try {
      return new URL('http://' + host).host;
    } catch {
      return String(host).toLowerCase();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Credential IDs

  // [not on credential pages]
  const CREDENTIAL_ID_RE = /^[0-9A-HJKMNP-TV-Z]{16}$/;

  /** Normalise a typed credential ID (Crockford base32); null when it is not a valid ID. */
  function normalizeCredentialId(text) {
    if (typeof text !== 'string') return null;
    let value = text.trim();
    const inUrl = /\/c\/([^/?#.]+)/.exec(value); // …/c/ID, …/c/ID.json
    if (inUrl) value = inUrl[1];
    value = value.toUpperCase().replace(/[\s-]+/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
    return CREDENTIAL_ID_RE.test(value) ? value : null;
  }
  // [end]

  function credentialIdOf(credential) {
    if (!isObject(credential) || typeof credential.id !== 'string') return '';
    const parts = credential.id.split(/[?#]/)[0].split('/').filter(function (p) { return p; });
    return parts.length ? parts[parts.length - 1] : '';
  }

  // Crockford's check symbol of a credential ID (docs/design.md, "Typed ID"): the ID's 80-bit
  // value modulo 37, written with the ID alphabet and * ~ $ = U. The certificate prints it.
  const ID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const CHECK_SYMBOLS = ID_ALPHABET + '*~$=U';

  /** The check symbol of a 16-character credential ID, or '' for anything else. */
  function checkSymbol(id) {
    if (typeof id !== 'string' || !/^[0-9A-HJKMNP-TV-Z]{16}$/.test(id)) return '';
    let value = 0n;
    for (const ch of id) value = value * 32n + BigInt(ID_ALPHABET.indexOf(ch));
    return CHECK_SYMBOLS[Number(value % 37n)];
  }

  // ---------------------------------------------------------------------------------------------
  // The visible fields of a credential page (docs/design.md, DOM contract)

  function holderName(credential) {
    const subject = isObject(credential) ? credential.credentialSubject : null;
    if (!isObject(subject)) return null;
    for (const ident of asArray(subject.identifier)) {
      if (isObject(ident) && ident.identityType === 'name' && ident.hashed !== true &&
        typeof ident.identityHash === 'string') {
        return ident.identityHash;
      }
    }
    return null;
  }

  function achievementOf(credential) {
    const subject = isObject(credential) ? credential.credentialSubject : null;
    return isObject(subject) && isObject(subject.achievement) ? subject.achievement : {};
  }

  function issuerOf(credential) {
    if (!isObject(credential)) return {};
    if (typeof credential.issuer === 'string') return { id: credential.issuer };
    return isObject(credential.issuer) ? credential.issuer : {};
  }

  function subjectOf(credential) {
    return isObject(credential) && isObject(credential.credentialSubject)
      ? credential.credentialSubject : {};
  }

  /**
   * The shown value of the exam result `part` ('performance' or 'theory'): the `value` of the
   * credentialSubject.result whose `resultDescription` ends with `#<part>` (the last one, as the
   * generator renders it); '' when that result has no value; null when there is no such result.
   */
  function resultValue(credential, part) {
    let found = null;
    for (const result of asArray(subjectOf(credential).result)) {
      if (!isObject(result) || typeof result.resultDescription !== 'string') continue;
      const hash = result.resultDescription.lastIndexOf('#');
      if (hash < 0 || result.resultDescription.slice(hash + 1) !== part) continue;
      const value = result.value;
      if (typeof value === 'string') found = value;
      else if (typeof value === 'number' && Number.isFinite(value)) found = String(value);
      else found = '';
    }
    return found;
  }

  /** credentialSubject.source.name (where the exams were taken), or null. */
  function testSite(credential) {
    const source = subjectOf(credential).source;
    return isObject(source) && typeof source.name === 'string' && source.name ? source.name : null;
  }

  /**
   * The expected content of each `data-f` element: a list of {field, text, datetime?,
   * optional?}. `text` is null when the signed credential has no such value: for a field marked
   * `optional` (and for `valid-until`, when the credential does not expire) the page must then not
   * show the field at all; for the others a missing value is itself a problem.
   */
  function pageFields(credential) {
    const achievement = achievementOf(credential);
    const issuer = issuerOf(credential);
    const validFrom = isObject(credential) ? credential.validFrom : undefined;
    const validUntil = isObject(credential) ? credential.validUntil : undefined;
    const str = function (v) { return typeof v === 'string' ? v : null; };
    return [
      { field: 'holder', text: holderName(credential) },
      { field: 'credential-name', text: str(achievement.name) },
      { field: 'credential-code', text: str(achievement.humanCode) },
      { field: 'description', text: str(achievement.description) || null, optional: true },
      {
        field: 'valid-from',
        text: typeof validFrom === 'string' ? formatDate(validFrom) : null,
        datetime: str(validFrom),
      },
      {
        field: 'valid-until',
        text: typeof validUntil === 'string' ? formatDate(validUntil) : null,
        datetime: str(validUntil),
        optional: true,
      },
      { field: 'result-performance', text: resultValue(credential, 'performance'), optional: true },
      { field: 'result-theory', text: resultValue(credential, 'theory'), optional: true },
      { field: 'issuer-name', text: str(issuer.name) },
      { field: 'test-site', text: testSite(credential), optional: true },
      { field: 'credential-id', text: credentialIdOf(credential) || null },
    ];
  }

  // ---------------------------------------------------------------------------------------------
  // The checks

  const VC2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
  const OB3_CONTEXT_RE = /^https:\/\/purl\.imsglobal\.org\/spec\/ob\/v3p0\/context-3\.0\.\d+\.json$/;
  const CREDENTIAL_URL_RE = /^https?:\/\/[^\s/?#]+(?:\/[^\s?#]*)?\/c\/[0-9A-HJKMNP-TV-Z]{16}\/?$/;

  const CHECK_NAMES = ['format', 'issuer-key', 'signature', 'catalog', 'validity', 'status',
    'origin', 'page'];

  // Check names for people, in the reader's language (a getter each: read when shown).
  const CHECK_LABELS = {};
  for (const [name, label] of [
    ['format', function () { return gettext('Well-formed credential'); }],
    ['issuer-key', function () { return gettext('Issuer key'); }],
    ['signature', function () { return gettext('Signature'); }],
    ['catalog', function () { return gettext('Catalog entry'); }],
    ['validity', function () { return gettext('Validity period'); }],
    ['status', function () { return gettext('Revocation status'); }],
    ['origin', function () { return gettext('Origin'); }],
    ['page', function () { return gettext('Page text'); }],
  ]) Object.defineProperty(CHECK_LABELS, name, { get: label, enumerable: true });

  /** First problem of the credential's shape, or null when it is well formed. */
  function formatProblem(c) {
    if (!isObject(c)) return _('the credential is not a JSON object');
    const contexts = c['@context'];
    if (!Array.isArray(contexts) || contexts[0] !== VC2_CONTEXT) {
      return _('@context must be a list starting with %(context)s', { context: VC2_CONTEXT });
    }
    if (!contexts.some(function (x) { return typeof x === 'string' && OB3_CONTEXT_RE.test(x); })) {
      return _('@context lacks the Open Badges 3.0 context');
    }
    if (contexts.length !== 2) {  // a context appended after the signed ones could redefine terms
      return _('@context must be exactly the VC 2.0 and Open Badges 3.0 contexts');
    }
    const types = asArray(c.type);
    if (types.indexOf('VerifiableCredential') < 0) return _('type lacks "VerifiableCredential"');
    if (types.indexOf('OpenBadgeCredential') < 0 && types.indexOf('AchievementCredential') < 0) {
      return _('type lacks "OpenBadgeCredential"');
    }
    if (typeof c.id !== 'string' || !CREDENTIAL_URL_RE.test(c.id)) {
      return _('id %(id)s is not of the form <base>/c/<ID>', { id: JSON.stringify(c.id) });
    }
    if (typeof c.name !== 'string' || !c.name) return _('missing name');
    const issuer = c.issuer;
    if (!isObject(issuer)) return _('issuer must be a profile object');
    if (typeof issuer.id !== 'string') return _('missing issuer.id');
    try {
      parseDidWeb(issuer.id);
    } catch (err) {
      return 'issuer.id: ' + err.message;
    }
    if (typeof issuer.name !== 'string' || !issuer.name) return _('missing issuer.name');
    if (!Number.isFinite(parseDateTime(c.validFrom))) {
      return _('validFrom is missing or not a date-time with a time zone');
    }
    if (c.validUntil !== undefined) {
      if (!Number.isFinite(parseDateTime(c.validUntil))) {
        return _('validUntil is not a date-time with a time zone');
      }
      if (parseDateTime(c.validUntil) <= parseDateTime(c.validFrom)) {
        return _('validUntil is not after validFrom');
      }
    }
    const subject = c.credentialSubject;
    if (!isObject(subject)) return _('missing credentialSubject');
    if (asArray(subject.type).indexOf('AchievementSubject') < 0) {
      return _('credentialSubject.type lacks "AchievementSubject"');
    }
    if (holderName(c) === null) return _('credentialSubject has no name identifier');
    const achievement = subject.achievement;
    if (!isObject(achievement)) return _('missing credentialSubject.achievement');
    if (asArray(achievement.type).indexOf('Achievement') < 0) {
      return _('credentialSubject.achievement.type lacks "Achievement"');
    }
    if (typeof achievement.name !== 'string' || !achievement.name) {
      return _('missing credentialSubject.achievement.name');
    }
    if (typeof achievement.humanCode !== 'string' || !achievement.humanCode) {
      return _('missing credentialSubject.achievement.humanCode');
    }
    if (c.credentialStatus !== undefined) {
      const entries = asArray(c.credentialStatus);
      if (!entries.length) return _('credentialStatus is empty');
      for (const entry of entries) {
        if (!isObject(entry)) return _('credentialStatus is not an object');
        if (typeof entry.statusListCredential !== 'string') {
          return _('credentialStatus lacks statusListCredential');
        }
        if (typeof entry.statusListIndex !== 'string' || !/^\d+$/.test(entry.statusListIndex)) {
          return _('credentialStatus.statusListIndex is not a string of digits');
        }
      }
    }
    const picked = pickProof(c);
    if (picked.error) return picked.error;
    if (typeof picked.proof.verificationMethod !== 'string') return _('proof lacks verificationMethod');
    if (hasOwn(picked.proof, 'created') && !Number.isFinite(parseDateTime(picked.proof.created))) {
      return _('proof created is not a date-time with a time zone');
    }
    return null;
  }

  function errorText(err) {
    return err && err.message ? err.message : String(err);
  }

  /** Run `fetchJson(url)` now; the promise never rejects: {ok, value} or {ok: false, error}. */
  function settle(fetchJson, url) {
    return Promise.resolve()
      .then(function () { return fetchJson(url); })
      .then(function (value) { return { ok: true, value: value }; },
        function (err) { return { ok: false, error: errorText(err) }; });
  }

  function problem(code, reason) {
    return { code: code, reason: reason };
  }

  function fragmentOf(id) {
    const i = typeof id === 'string' ? id.indexOf('#') : -1;
    return i >= 0 ? id.slice(i + 1) : '';
  }

  /**
   * Find verification method `vmId` of DID `did` in `didDoc`: {ok: true, vm, key, listed} (listed =
   * named under assertionMethod) or {ok: false, reason}.
   */
  function findKey(didDoc, did, vmId) {
    const absolute = function (id) {
      return typeof id === 'string' && id[0] === '#' ? did + id : id;
    };
    if (typeof vmId !== 'string' || vmId.indexOf(did + '#') !== 0 || vmId.length <= did.length + 1) {
      return {
        ok: false,
        code: 'key-unknown',
        reason: _('verification method %(key)s is not a key of %(did)s', { key: JSON.stringify(vmId), did: did }),
      };
    }
    if (!isObject(didDoc)) {
      return { ok: false, code: 'key-invalid', reason: _('the DID document is not a JSON object') };
    }
    if (didDoc.id !== did) {
      return {
        ok: false,
        code: 'key-invalid',
        reason: _('the DID document is for %(id)s, not %(did)s', { id: JSON.stringify(didDoc.id), did: did }),
      };
    }
    const vm = asArray(didDoc.verificationMethod).find(function (m) {
      return isObject(m) && absolute(m.id) === vmId;
    });
    if (!vm) {
      return { ok: false, code: 'key-unknown', reason: _('key %(key)s is not in the issuer\'s DID document', { key: vmId }) };
    }
    if (vm.type !== 'Multikey') {
      return { ok: false, code: 'key-invalid', reason: _('key %(key)s has type %(type)s, expected "Multikey"', { key: vmId, type: JSON.stringify(vm.type) }) };
    }
    if (vm.controller !== did) {
      return { ok: false, code: 'key-invalid', reason: _('key %(key)s is controlled by %(controller)s, not %(did)s', { key: vmId, controller: JSON.stringify(vm.controller), did: did }) };
    }
    let key;
    try {
      key = decodeMultikeyEd25519(vm.publicKeyMultibase);
    } catch (err) {
      return { ok: false, code: 'key-invalid', reason: 'key ' + vmId + ': ' + err.message };
    }
    const listed = asArray(didDoc.assertionMethod).some(function (a) {
      return absolute(typeof a === 'string' ? a : isObject(a) ? a.id : null) === vmId;
    });
    return { ok: true, vm: vm, key: key, listed: listed };
  }

  /**
   * Whether key `found` (from findKey) may have made a proof created at `createdMs`: null when
   * yes, else {code, reason} (docs/design.md, "Verification checklist", check 2).
   *
   * A key is judged by when it signed (the proof's `created`), not by the award date, which may
   * lie before the key existed. A key with credsite:compromisedFrom taints everything it signed,
   * whatever the dates (a thief can back-date `created`), listed under assertionMethod or not.
   * Otherwise the key must be listed for assertions and credsite:validFrom <= created <
   * credsite:validUntil.
   */
  function keyProblem(found, createdMs) {
    const vm = found.vm;
    const read = function (name) {
      const v = vm[name];
      if (v === undefined || v === null) return null;
      const ms = parseDateOrDateTime(v);
      return Number.isFinite(ms) ? ms : NaN;
    };
    const compromised = read('credsite:compromisedFrom');
    const from = read('credsite:validFrom');
    const until = read('credsite:validUntil');
    if (Number.isNaN(compromised) || Number.isNaN(from) || Number.isNaN(until)) {
      return problem('key-invalid', _('the DID document has an unreadable key validity date for %(key)s', { key: vm.id }));
    }
    if (compromised !== null) {
      return problem('key-compromised', found.listed ? _('signing key compromised')
        : _('signing key compromised (since %(date)s; no longer listed under assertionMethod)',
          { date: formatDate(compromised) }));
    }
    if (!found.listed) {
      return problem('key-not-listed', _('key %(key)s is not listed under assertionMethod', { key: vm.id }));
    }
    if (!Number.isFinite(createdMs)) {
      return problem('key-not-valid',
        _('the proof has no \'created\' time, so the signing key\'s period cannot be checked'));
    }
    if (from !== null && createdMs < from) {
      return problem('key-not-valid', _('key %(key)s was not yet valid when it signed on %(signed)s (valid from %(from)s)',
        { key: fragmentOf(vm.id), signed: formatDate(createdMs), from: formatDate(from) }));
    }
    if (until !== null && createdMs >= until) {
      return problem('key-not-valid', _('key %(key)s was no longer valid when it signed on %(signed)s (valid until %(until)s)',
        { key: fragmentOf(vm.id), signed: formatDate(createdMs), until: formatDate(until) }));
    }
    return null;
  }

  const MAX_STATUS_LIST_BYTES = 16 * 1024 * 1024;

  async function gunzip(bytes) {
    if (typeof global.DecompressionStream !== 'function') {
      throw new UnsupportedError(_('this browser cannot decompress status lists (DecompressionStream)'));
    }
    const stream = new Blob([bytes]).stream().pipeThrough(new global.DecompressionStream('gzip'));
    return readBounded(stream.getReader(), MAX_STATUS_LIST_BYTES, function () {
      return new Error(_('the status list is too large'));
    });
  }

  /**
   * Every byte `reader` gives, as one Uint8Array; past `limit` bytes it stops reading (cancels)
   * and throws `tooLarge()`, so that a huge or endless stream is never held whole.
   */
  async function readBounded(reader, limit, tooLarge) {
    const chunks = [];
    let total = 0;
    for (;;) {
      const step = await reader.read();
      if (step.done) break;
      total += step.value.length;
      if (total > limit) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(step.value);
    }
    const out = new Uint8Array(total);
    let pos = 0;
    for (const chunk of chunks) {
      out.set(chunk, pos);
      pos += chunk.length;
    }
    return out;
  }

  /** Bytes of a Bitstring Status List `encodedList` (multibase base64url of GZIP). */
  async function decodeStatusList(encodedList) {
    if (typeof encodedList !== 'string' || encodedList[0] !== 'u') {
      throw new Error(_('encodedList is not a multibase base64url value'));
    }
    return gunzip(base64urlDecode(encodedList.slice(1)));
  }

  /** Bit `index` of a status list; bit 0 is the most significant bit of byte 0. */
  function statusBit(bytes, index) {
    if (!Number.isSafeInteger(index) || index < 0 || index >= bytes.length * 8) {
      throw new RangeError(_('status list index %(index)s is out of range', { index: index }));
    }
    return (bytes[index >> 3] >> (7 - (index & 7))) & 1;
  }

  /**
   * Verify a credential as docs/design.md describes: checks `format` … `origin`, one function
   * each, in the checklist's order (the `page` check belongs to the page script). Resolves to
   * {verdict, checks: [{name, status, code, reason}]}; `code` is the stable code to branch on.
   *
   * options.now: Date or milliseconds (default: now). options.fetchJson(url): fetch JSON.
   * options.text: the JSON text the credential was parsed from; a record that repeats a member
   * name fails the signature check, as in `credsite verify` and the build.
   * options.site: {did, baseUrl}, the site this page belongs to, as the build wrote it into the
   * page: a credential of another issuer fails `format` with code `wrong-issuer` (and nothing is
   * fetched for it). options.pageUrl: the page's URL (location.href), for the `origin` check;
   * options.pageKind: 'credential' (its own page, the default) or 'verify' (a page that shows
   * any credential of the site: only the DID is pinned); options.framed: the page is inside a
   * frame.
   */
  async function verifyCredential(credential, options) {
    const ctx = verificationContext(credential, options || {});
    checkSupport(); // started now: the probe's trip to the crypto thread runs beside the fetches
    const checks = [];
    let gateOpen = true;
    for (const step of CHECK_STEPS) {
      const result = gateOpen ? await step.run(ctx)
        : outcome('not-checked', 'skipped', _('not checked: an earlier check did not pass'));
      checks.push({ name: step.name, status: result.status, code: result.code, reason: result.reason });
      if (GATE_CHECKS.indexOf(step.name) >= 0 && result.status !== 'passed') gateOpen = false;
    }
    return { verdict: decideVerdict(checks), checks: checks };
  }

  function verificationContext(credential, opts) {
    const now = opts.now === undefined ? Date.now()
      : opts.now instanceof Date ? opts.now.getTime() : Number(opts.now);
    return {
      credential: credential,
      now: now,
      fetchJson: opts.fetchJson || defaultFetchJson,
      text: opts.text,
      site: isObject(opts.site) && typeof opts.site.did === 'string' ? opts.site : null,
      pageUrl: typeof opts.pageUrl === 'string' ? opts.pageUrl : null,
      pageKind: opts.pageKind === 'verify' ? 'verify' : 'credential',
      framed: opts.framed === true,
      // credsite's pre-0.2 proofs are accepted only on the issuer's own site (the format check
      // holds the credential to the pinned site's DID), never on a copy opened from a file.
      ownSite: isObject(opts.site) && typeof opts.pageUrl === 'string' &&
        opts.pageUrl.indexOf('file:') !== 0,
      // Filled in by the checks, in order:
      didFetch: null, // settled fetch of the DID document (started once the format passed)
      listFetches: {}, // statusListCredential URL -> settled fetch
      issuerId: null,
      didDoc: null,
      key: null, // the issuer key's 32 bytes
      statusBits: null, // per status entry, its revocationBit (startStatusBits)
    };
  }

  function outcome(status, code, reason) {
    return { status: status, code: code, reason: reason };
  }

  const passed = function (reason) { return outcome('passed', 'ok', reason); };
  const failed = function (code, reason) { return outcome('failed', code, reason); };
  const notChecked = function (code, reason) { return outcome('not-checked', code, reason); };

  function proofOf(c) {
    return pickProof(c).proof || {};
  }

  function statusEntriesOf(c) {
    return asArray(c.credentialStatus);
  }

  /** 1 format: the record's shape, and (on the issuer's own site) that this site issued it. */
  async function checkFormat(ctx) {
    const c = ctx.credential;
    const problemText = formatProblem(c);
    if (problemText) return failed('malformed', problemText);
    if (ctx.site) {
      if (c.issuer.id !== ctx.site.did) {
        return failed('wrong-issuer', _('not issued by this site (%(did)s): it names %(name)s (%(issuer)s) as its issuer',
          { did: ctx.site.did, name: JSON.stringify(c.issuer.name), issuer: c.issuer.id }));
      }
      const base = String(ctx.site.baseUrl || '').replace(/\/$/, '');
      if (c.id.indexOf(base + '/c/') !== 0) {
        return failed('malformed', _('id %(id)s is not a credential URL of %(base)s', { id: JSON.stringify(c.id), base: base }));
      }
    }
    // Start the fetches now, in parallel: the next checks need them.
    ctx.issuerId = c.issuer.id;
    ctx.didFetch = settle(ctx.fetchJson, didWebToUrl(c.issuer.id));
    for (const entry of statusEntriesOf(c)) {
      const url = entry.statusListCredential;
      if (!ctx.listFetches[url]) ctx.listFetches[url] = settle(ctx.fetchJson, url);
    }
    return passed(gettext('well-formed Open Badges 3.0 credential'));
  }

  /** 2 issuer-key: the proof's key is the issuer's, listed for assertions, valid, not compromised. */
  async function checkIssuerKey(ctx) {
    const c = ctx.credential;
    const issuerId = c.issuer.id;
    const vmId = proofOf(c).verificationMethod;
    if (vmId.indexOf(issuerId + '#') !== 0 || vmId.length <= issuerId.length + 1) {
      return failed('key-unknown', _('verification method %(key)s is not a key of the issuer %(issuer)s',
        { key: JSON.stringify(vmId), issuer: issuerId }));
    }
    const fetched = await ctx.didFetch;
    if (!fetched.ok) {
      return notChecked('did-unavailable', _('could not fetch the issuer\'s DID document %(url)s: %(error)s',
        { url: didWebToUrl(issuerId), error: fetched.error }));
    }
    ctx.didDoc = fetched.value;
    const found = findKey(ctx.didDoc, issuerId, vmId);
    if (!found.ok) return failed(found.code, found.reason);
    const bad = keyProblem(found, parseDateTime(proofOf(c).created));
    if (bad) return failed(bad.code, bad.reason);
    ctx.key = found.key;
    return passed(gettext('key %(key)s of %(issuer)s is listed for assertions', { key: fragmentOf(vmId), issuer: issuerId }));
  }

  /** 3 signature: the eddsa-jcs-2022 proof verifies with that key. */
  async function checkSignature(ctx) {
    const support = await checkSupport();
    if (!support.ok) return notChecked('unsupported', support.reason);
    startStatusBits(ctx);
    const verified = await verifyProof(ctx.credential, ctx.key, ctx.text, ctx.ownSite);
    if (verified.ok && verified.legacy) return outcome('passed', 'legacy-proof', verified.reason);
    if (verified.ok) {
      const others = pickProof(ctx.credential).others || [];
      const key = fragmentOf(proofOf(ctx.credential).verificationMethod);
      return passed(others.length
        ? gettext('eddsa-jcs-2022 signature verifies with key %(key)s (checked the eddsa-jcs-2022 proof; the set also has %(others)s)',
          { key: key, others: others.join(', ') })
        : gettext('eddsa-jcs-2022 signature verifies with key %(key)s', { key: key }));
    }
    if (verified.unsupported) return notChecked('unsupported', verified.reason);
    return failed('bad-signature', verified.reason);
  }

  /** 4 catalog: only the issuer's build knows the catalog. */
  async function checkCatalog() {
    return notChecked('not-consulted', gettext('checked by the issuer\'s build'));
  }

  /** 5 validity: validFrom <= now < validUntil. */
  async function checkValidity(ctx) {
    const c = ctx.credential;
    const fromMs = parseDateTime(c.validFrom);
    if (fromMs > ctx.now) {
      return failed('not-yet-valid', _('not yet valid (valid from %(date)s)', { date: formatDate(fromMs) }));
    }
    if (c.validUntil === undefined) {
      return passed(gettext('valid from %(date)s; does not expire', { date: formatDate(fromMs) }));
    }
    const untilMs = parseDateTime(c.validUntil);
    if (untilMs <= ctx.now) return failed('expired', gettext('expired on %(date)s', { date: formatDate(untilMs) }));
    return passed(gettext('valid from %(from)s until %(until)s', { from: formatDate(fromMs), until: formatDate(untilMs) }));
  }

  /** 6 status: the revocation bit of every status entry, in a list validly signed by the issuer. */
  async function checkRevocation(ctx) {
    const entries = statusEntriesOf(ctx.credential);
    if (!entries.length) return notChecked('no-status-list', gettext('no status list'));
    const support = await checkSupport();
    if (!support.ok) return notChecked('status-unavailable', support.reason);
    const freshness = startFreshness(ctx);
    const checked = [];
    const lists = [];
    startStatusBits(ctx);
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      const bit = await ctx.statusBits[i];
      if (bit.problem) return notChecked('status-unavailable', bit.problem);
      // A list that says revoked is proof of it, however old: only "not revoked" needs freshness.
      if (bit.value === 1) return failed('revoked', gettext('revoked'));
      checked.push(entry.statusListCredential + ' #' + entry.statusListIndex);
      lists.push({ url: entry.statusListCredential, list: bit.list });
    }
    const notRevoked = gettext('not revoked (status list %(lists)s)', { lists: checked.join(', ') });
    if (!freshness) {
      // The issuer's DID document declares no freshness key (and this browser never saw a
      // statement of it): the signed list is believed as published, and the check says so.
      return outcome('passed', 'as-published', notRevoked +
        gettext('; revocation status as published: this site does not sign status freshness'));
    }
    const fresh = await assessFreshness(ctx, freshness, lists);
    if (fresh.code === 'fresh') return passed(notRevoked + fresh.reason);
    // "revocation status last confirmed on <date>": never Verified (docs/design.md).
    return outcome('warning', 'status-stale', fresh.reason);
  }

  /**
   * The revocation bits of the credential's status entries (revocationBit), worked out beside
   * the signature check: reading a list needs only its fetch and the issuer's DID document, and
   * changes nothing, so checkRevocation takes the results in order as if it had asked then.
   */
  function startStatusBits(ctx) {
    if (ctx.statusBits) return;
    ctx.statusBits = statusEntriesOf(ctx.credential).map(function (entry) {
      const bit = revocationBit(ctx, entry);
      bit.catch(function () {}); // awaited (and so reported) by checkRevocation
      return bit;
    });
  }

  /** {value: 0 | 1} for one status entry, or {problem} when it cannot be read. */
  async function revocationBit(ctx, entry) {
    const url = entry.statusListCredential;
    if (entry.type !== 'BitstringStatusListEntry') {
      return { problem: _('unsupported status entry type %(type)s', { type: JSON.stringify(entry.type) }) };
    }
    if (entry.statusPurpose !== 'revocation') {
      return { problem: _('unsupported status purpose %(purpose)s', { purpose: JSON.stringify(entry.statusPurpose) }) };
    }
    if (ctx.site && url.indexOf(String(ctx.site.baseUrl).replace(/\/$/, '') + '/status/') !== 0) {
      return { problem: _('the status list %(url)s is not one of this site\'s status lists', { url: url }) };
    }
    const fetched = await ctx.listFetches[url];
    if (!fetched.ok) return { problem: _('could not fetch the status list %(url)s: %(error)s', { url: url, error: fetched.error }) };
    const list = fetched.value;
    const listProblem = await statusListProblem(list, url, entry, ctx);
    if (listProblem) return { problem: _('status list %(url)s: %(problem)s', { url: url, problem: listProblem }) };
    let bytes;
    try {
      bytes = await decodeStatusList(list.credentialSubject.encodedList);
    } catch (err) {
      return { problem: _('status list %(url)s cannot be decoded: %(error)s', { url: url, error: errorText(err) }) };
    }
    if (statusSizeOf(entry, list) !== 1) {
      return { problem: _('status list %(url)s uses an unsupported statusSize', { url: url }) };
    }
    try {
      return { value: statusBit(bytes, Number(entry.statusListIndex)), list: list };
    } catch (err) {
      return { problem: _('status list %(url)s: %(problem)s', { url: url, problem: errorText(err) }) };
    }
  }

  /**
   * 7 origin: a credential page is genuine only at its permanent URL, the signed `id` (which the
   * format check tied to the site's base URL): same scheme, host, base path and ID, as `/c/<ID>`
   * or `/c/<ID>.html`; the query and the fragment do not count. Elsewhere it is a copy; a page
   * inside a frame is never Verified (the framing page can cover its text).
   */
  async function checkOrigin(ctx) {
    if (ctx.framed) return failed('framed', _('this page is shown inside a frame of another page'));
    if (ctx.pageUrl === null) return notChecked('no-page', _('not shown on a page'));
    if (ctx.pageKind !== 'credential') {
      return notChecked('no-page', _('checked on the verify page of the issuer\'s site'));
    }
    const permanent = ctx.credential.id;
    let shown;
    let want;
    try {
      shown = new URL(ctx.pageUrl);
      want = new URL(permanent);
    } catch {
      return outcome('warning', 'copy', _('this page\'s address cannot be compared with %(url)s', { url: permanent }));
    }
    if (shown.protocol === 'file:') {
      return outcome('warning', 'file-copy', _('this page was opened from a file on this device, not from %(url)s',
        { url: permanent }));
    }
    const here = shown.protocol + '//' + shown.host + shown.pathname;
    const there = want.protocol + '//' + want.host + want.pathname;
    if (here === there || here === there + '.html') {
      return passed(gettext('served from its permanent address %(url)s', { url: permanent }));
    }
    return outcome('warning', 'copy', _('this page is served from %(here)s, not from %(url)s', { here: here, url: permanent }));
  }

  const CHECK_STEPS = [
    { name: 'format', run: checkFormat },
    { name: 'issuer-key', run: checkIssuerKey },
    { name: 'signature', run: checkSignature },
    { name: 'catalog', run: checkCatalog },
    { name: 'validity', run: checkValidity },
    { name: 'status', run: checkRevocation },
    { name: 'origin', run: checkOrigin },
  ];
  // Until these pass, nothing else the credential says is worth checking.
  const GATE_CHECKS = ['format', 'issuer-key', 'signature'];
  const INTEGRITY_CHECKS = ['format', 'issuer-key', 'signature', 'catalog', 'page'];
  // (name, status, code) that do not stand in the way of Verified.
  const ALLOWED_NOT_PASSED = ['catalog not-checked not-consulted', 'status not-checked no-status-list',
    'status not-checked not-consulted', 'origin not-checked no-page'];
  // Not-checked codes that mean "could not be checked": Cannot verify.
  const UNAVAILABLE = ['did-unavailable', 'unsupported', 'status-unavailable'];

  /** The verdict from the checks' statuses and codes (generator/trust/verify.py decide_verdict). */
  function decideVerdict(checks) {
    const byName = {};
    for (const c of checks) byName[c.name] = c;
    const has = function (name, status, code) {
      const c = byName[name];
      return !!c && c.status === status && (code === undefined || c.code === code);
    };
    if (INTEGRITY_CHECKS.some(function (n) { return has(n, 'failed'); })) return 'invalid';
    if (has('validity', 'failed', 'not-yet-valid')) return 'invalid';
    if (has('origin', 'failed', 'framed')) return 'framed';
    if (GATE_CHECKS.some(function (n) {
      return has(n, 'not-checked') && UNAVAILABLE.indexOf(byName[n].code) >= 0;
    })) return 'cannot-verify';
    if (has('status', 'failed')) return 'revoked';
    if (has('validity', 'failed')) return 'expired';
    for (const c of checks) {
      if (c.status === 'passed') continue;
      if (ALLOWED_NOT_PASSED.indexOf(c.name + ' ' + c.status + ' ' + c.code) >= 0) continue;
      if (c.name === 'origin' && c.status === 'warning') continue;
      return 'cannot-verify';
    }
    if (has('origin', 'warning')) return 'copy';
    return 'verified';
  }

  // ---------------------------------------------------------------------------------------------
  // Status freshness (docs/design.md, "Status freshness"; TUF's timestamp role): a statement,
  // signed by an online key listed under credsite:freshnessMethod, with a sequence number, a
  // validity of at most two weeks and the digest of every status list. The browser remembers
  // the highest sequence it has accepted from each of the issuer's freshness keys and refuses a
  // lower one.

  const FRESHNESS_RELATIONSHIP = 'credsite:freshnessMethod';
  // Said by the status check of a site whose DID document lists no freshness key.
  const FRESHNESS_TYPE = 'CredsiteStatusFreshness';
  const FRESHNESS_MAX_MS = 14 * 86400000;
  const CLOCK_SKEW_MS = 3600000; // a visitor's clock may be this far behind the signer's
  const SEQUENCE_KEY = 'credsite:freshness-sequence:';

  /**
   * The highest sequence this browser accepted from each freshness key of `issuer`
   * ({keyId: sequence}, from localStorage), or null when it never accepted a statement of the
   * issuer. Kept per key: a stolen key that signed a huge sequence must not lock the issuer's
   * next key out of these browsers once it is replaced (it then leaves the DID document).
   */
  function seenSequences(issuer) {
    try {
      const value = JSON.parse(global.localStorage.getItem(SEQUENCE_KEY + issuer));
      return isObject(value) ? value : null;
    } catch {
      return null; // no storage (a file: page, a privacy mode), or unreadable: nothing remembered
    }
  }

  function rememberSequence(issuer, keyId, sequence) {
    try {
      const seen = seenSequences(issuer) || {};
      if (!(Number.isSafeInteger(seen[keyId]) && seen[keyId] >= sequence)) {
        seen[keyId] = sequence;
        global.localStorage.setItem(SEQUENCE_KEY + issuer, JSON.stringify(seen));
      }
    } catch {
      // storage full or refused: the next visit simply remembers less
    }
  }

  /** The embedded freshness verification methods of the issuer's DID document. */
  function freshnessMethods(didDoc) {
    return asArray(isObject(didDoc) ? didDoc[FRESHNESS_RELATIONSHIP] : null).filter(isObject);
  }

  /** `<scheme>://<host>[/<path>]` of a did:web DID: the site its documents are published on. */
  function didWebBase(did) {
    return didWebToUrl(did).replace(/\/(?:\.well-known\/)?did\.json$/, '');
  }

  /**
   * Start fetching the statement, if this issuer uses one (or this browser saw one before).
   * A DID document that names the relationship at all, even with nothing usable in it (a
   * reference instead of an embedded key, an empty list), requires a statement: only one
   * without it is a site that does not sign status freshness.
   */
  function startFreshness(ctx) {
    const seen = seenSequences(ctx.issuerId);
    const methods = freshnessMethods(ctx.didDoc);
    const declared = isObject(ctx.didDoc) &&
      Object.prototype.hasOwnProperty.call(ctx.didDoc, FRESHNESS_RELATIONSHIP);
    if (!methods.length && !declared && seen === null) return null;
    let url;
    try {
      url = didWebBase(ctx.issuerId) + '/status/freshness';
    } catch {
      return null;
    }
    return { seen: seen, methods: methods, url: url, fetched: settle(ctx.fetchJson, url) };
  }

  async function listDigest(list) {
    const bytes = await sha256(utf8(canonicalize(list)));
    return Array.from(bytes, function (b) { return b.toString(16).padStart(2, '0'); }).join('');
  }

  /**
   * Whether the statement vouches, at ctx.now, for each of `lists` ({url, list}): {code, reason}.
   * `code` is 'fresh' (reason: a clause to append) or a freshness-* code whose reason reads
   * "revocation status last confirmed on <date> (<why>)", as in credsite verify.
   */
  async function assessFreshness(ctx, started, lists) {
    if (!started) return { code: 'fresh', reason: '' }; // the issuer publishes no statements
    const listed = lists.map(function (l) { return parseDateTime(l.list.validFrom); })
      .filter(Number.isFinite);
    const listDate = listed.length ? Math.min.apply(null, listed) : NaN;
    const stale = function (code, why, confirmedMs) {
      const when = Number.isFinite(confirmedMs) ? confirmedMs : listDate;
      const reason = Number.isFinite(when)
        ? _('revocation status last confirmed on %(date)s (%(why)s)', { date: formatDate(when), why: why })
        : _('revocation status not confirmed (%(why)s)', { why: why });
      return { code: code, reason: reason };
    };
    const fetched = await started.fetched;
    if (!fetched.ok) {
      return stale('freshness-missing', _('no freshness statement could be fetched from %(url)s: %(error)s',
        { url: started.url, error: fetched.error }));
    }
    const st = fetched.value;
    const issuer = ctx.issuerId;
    if (!isObject(st) || st.type !== FRESHNESS_TYPE) {
      return stale('freshness-invalid', _('the freshness statement is not a %(type)s', { type: FRESHNESS_TYPE }));
    }
    if (st.issuer !== issuer) {
      return stale('freshness-invalid', _('the freshness statement is not by %(issuer)s', { issuer: issuer }));
    }
    const picked = pickProof(st);
    if (picked.error) return stale('freshness-invalid', _('the freshness statement: %(error)s', { error: picked.error }));
    const vmId = picked.proof.verificationMethod;
    const vm = started.methods.find(function (m) { return m.id === vmId; });
    if (!vm || vm.type !== 'Multikey' || vm.controller !== issuer ||
      vm['credsite:compromisedFrom'] !== undefined) {
      return stale('freshness-invalid', _('the freshness statement is signed by %(key)s, not by a freshness key of the issuer',
        { key: JSON.stringify(vmId) }));
    }
    let key;
    try {
      key = decodeMultikeyEd25519(vm.publicKeyMultibase);
    } catch (err) {
      return stale('freshness-invalid', _('freshness key %(key)s: %(error)s', { key: vmId, error: errorText(err) }));
    }
    const created = parseDateTime(picked.proof.created);
    const keyFrom = vm['credsite:validFrom'] === undefined ? -Infinity
      : parseDateOrDateTime(vm['credsite:validFrom']);
    const keyUntil = vm['credsite:validUntil'] === undefined ? Infinity
      : parseDateOrDateTime(vm['credsite:validUntil']);
    if (!Number.isFinite(created) || !(created >= keyFrom && created < keyUntil)) {
      return stale('freshness-invalid', _('the freshness statement was not signed while its key was valid'));
    }
    const verified = await verifyProof(st, key, undefined, false, FRESHNESS_RELATIONSHIP);
    if (!verified.ok) {
      return stale('freshness-invalid', _('the freshness statement does not verify (%(reason)s)',
        { reason: verified.reason }));
    }
    const from = parseDateTime(st.validFrom);
    const until = parseDateTime(st.validUntil);
    if (!Number.isFinite(from) || !Number.isFinite(until)) {
      return stale('freshness-invalid', _('the freshness statement has a bad date'));
    }
    const sequence = st.sequence;
    if (!Number.isSafeInteger(sequence) || sequence < 0) {
      return stale('freshness-invalid', _('the freshness statement\'s sequence is not a whole number'));
    }
    const highest = started.seen !== null && Number.isSafeInteger(started.seen[vmId])
      ? started.seen[vmId] : null;
    if (highest !== null && sequence < highest) {
      return stale('freshness-rolled-back', _('the freshness statement #%(sequence)s is older than #%(highest)s, which this browser has seen',
        { sequence: sequence, highest: highest }));
    }
    rememberSequence(issuer, vmId, sequence);
    const digests = {};
    for (const item of asArray(st.statusLists)) {
      if (isObject(item) && typeof item.id === 'string') digests[item.id] = item.digest;
    }
    for (const l of lists) {
      let digest;
      try {
        digest = await listDigest(l.list);
      } catch (err) {
        return stale('freshness-mismatch', _('the status list cannot be canonicalized: %(error)s', { error: errorText(err) }));
      }
      if (digests[l.url] !== digest) {
        return stale('freshness-mismatch', _('the status list %(url)s is not the one the freshness statement of %(date)s vouches for',
          { url: l.url, date: formatDate(from) }));
      }
    }
    if (until - from > FRESHNESS_MAX_MS + CLOCK_SKEW_MS) {
      return stale('freshness-invalid', _('the freshness statement claims more than 14 days'));
    }
    if (ctx.now + CLOCK_SKEW_MS < from) {
      return stale('freshness-invalid', _('the freshness statement is dated in the future (%(date)s)',
        { date: st.validFrom }));
    }
    if (ctx.now >= until) {
      return stale('freshness-expired', _('the freshness statement expired on %(date)s', { date: formatDate(until) }),
        from);
    }
    return {
      code: 'fresh',
      reason: gettext('; confirmed on %(date)s (freshness statement #%(sequence)s, valid until %(until)s)',
        { date: formatDate(from), sequence: sequence, until: formatDate(until) }),
    };
  }

  function statusSizeOf(entry, list) {
    const a = entry.statusSize === undefined ? 1 : Number(entry.statusSize);
    const b = list.credentialSubject.statusSize === undefined ? 1 : Number(list.credentialSubject.statusSize);
    return a === b ? a : NaN;
  }

  /** Why a fetched status list credential cannot be trusted, or null. */
  async function statusListProblem(list, url, entry, ctx) {
    if (!isObject(list)) return _('not a JSON object');
    if (asArray(list.type).indexOf('BitstringStatusListCredential') < 0) {
      return _('not a BitstringStatusListCredential');
    }
    if (list.id !== url) return _('its id is %(id)s', { id: JSON.stringify(list.id) });
    const listIssuer = typeof list.issuer === 'string' ? list.issuer
      : isObject(list.issuer) ? list.issuer.id : undefined;
    if (listIssuer !== ctx.credential.issuer.id) {
      return _('issued by %(issuer)s, not by the credential\'s issuer', { issuer: JSON.stringify(listIssuer) });
    }
    const subject = list.credentialSubject;
    if (!isObject(subject) || subject.type !== 'BitstringStatusList') {
      return _('credentialSubject is not a BitstringStatusList');
    }
    if (subject.statusPurpose !== entry.statusPurpose) {
      return _('its purpose is %(purpose)s, not %(expected)s',
        { purpose: JSON.stringify(subject.statusPurpose), expected: JSON.stringify(entry.statusPurpose) });
    }
    if (list.validUntil !== undefined) {
      const until = parseDateTime(list.validUntil);
      if (!Number.isFinite(until)) return _('validUntil is not a date');
      if (until <= ctx.now) return gettext('expired on %(date)s', { date: formatDate(until) });
    }
    const picked = pickProof(list);
    if (picked.error) return picked.error;
    const found = findKey(ctx.didDoc, ctx.credential.issuer.id, picked.proof.verificationMethod);
    if (!found.ok) return found.reason;
    const bad = keyProblem(found, parseDateTime(picked.proof.created));
    if (bad) return bad.reason;
    const verified = await verifyProof(list, found.key, undefined, ctx.ownSite === true);
    if (!verified.ok) return _('not validly signed (%(reason)s)', { reason: verified.reason });
    return null;
  }

  /**
   * The site a page belongs to, as the build wrote it into the page's <meta name="credsite">
   * (docs/design.md, "The site a page belongs to": the DID as its content, the base URL, the
   * issuer's name and logo as data-base, data-name, data-logo): {did, baseUrl, issuerName,
   * issuerLogo}, or null.
   */
  function siteOfPage(doc) {
    const meta = doc.querySelector('meta[name="credsite"]');
    const read = function (attribute) {
      const value = meta ? meta.getAttribute(attribute) : null;
      return value ? value : null;
    };
    const did = read('content');
    const baseUrl = read('data-base');
    return did && baseUrl ? {
      did: did, baseUrl: baseUrl, issuerName: read('data-name'), issuerLogo: read('data-logo'),
    } : null;
  }

  /** Whether this page is shown inside a frame of another page. */
  function isFramed() {
    try {
      return global.self !== global.top;
    } catch {
      return true; // a cross-origin parent cannot even be compared
    }
  }

  // The largest document the verifier fetches or takes from a paste: a credential is a few KB,
  // a DID document less, a status list of 131,072 entries about 16 KB. Parsing is bounded by it.
  const MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;

  /** The JSON body of a fetch Response, refused once it passes MAX_DOCUMENT_BYTES. */
  async function readJson(response, url) {
    const tooLarge = function () {
      return new Error(_('the document at %(url)s is larger than %(size)s MB',
        { url: url, size: MAX_DOCUMENT_BYTES / 1048576 }));
    };
    const declared = Number(response.headers.get('content-length'));
    if (declared > MAX_DOCUMENT_BYTES) throw tooLarge();
    if (!response.body) return response.json();
    const bytes = await readBounded(response.body.getReader(), MAX_DOCUMENT_BYTES, tooLarge);
    return JSON.parse(new TextDecoder().decode(bytes));
  }

  async function defaultFetchJson(url) {
    const response = await fetch(url, { cache: 'no-store', credentials: 'omit' });
    if (!response.ok) throw new Error('HTTP ' + response.status);
    return readJson(response, url);
  }

  // ---------------------------------------------------------------------------------------------
  // Fetching for the pages (verifier-page.js, holder-page.js, verify-batch.js share these)

  const FETCH_TIMEOUT_MS = 15000;

  /**
   * GET `url`, never from the HTTP cache, giving up after FETCH_TIMEOUT_MS; `credentials`:
   * 'omit' (default) or 'same-origin' (which lets a fetch take the page's <link rel=preload>
   * response). Resolves to the Response whatever its status; rejects with a reason to show.
   */
  function fetchWithin(url, credentials) {
    const controller = typeof AbortController === 'function' ? new AbortController() : null;
    const timer = controller ? setTimeout(function () { controller.abort(); }, FETCH_TIMEOUT_MS) : null;
    return fetch(url, {
      cache: 'no-store',
      credentials: credentials || 'omit',
      signal: controller ? controller.signal : undefined,
    }).catch(function (err) {
      if (err && err.name === 'AbortError') {
        throw new Error(_('no answer within %(seconds)s s', { seconds: FETCH_TIMEOUT_MS / 1000 }), { cause: err });
      }
      throw err;
    }).finally(function () {
      if (timer) clearTimeout(timer);
    });
  }

  // [not on credential pages]
  /**
   * The text at `url` (fetchWithin), at most `maxBytes` characters: {ok: true, text} or
   * {ok: false, status (the HTTP status, 0 when there was no answer), error}.
   */
  async function fetchText(url, maxBytes) {
    let response;
    try {
      response = await fetchWithin(url);
    } catch (err) {
      return { ok: false, status: 0, error: err && err.message ? err.message : String(err) };
    }
    if (!response.ok) return { ok: false, status: response.status, error: 'HTTP ' + response.status };
    const text = await response.text();
    if (text.length > maxBytes) return { ok: false, status: response.status, error: _('the answer is too large to be a credential') };
    return { ok: true, text: text };
  }

  /** A fetchJson for verifyCredential that asks for each URL (DID document, status list) once:
   *  for a page or a batch that checks many credentials of one issuer. */
  function fetchJsonOnce() {
    const seen = new Map();
    return function (url) {
      if (!seen.has(url)) {
        seen.set(url, fetchText(url, MAX_DOCUMENT_BYTES).then(function (got) {
          if (!got.ok) throw new Error(got.error);
          return JSON.parse(got.text);
        }));
      }
      return seen.get(url);
    };
  }

  // Codes of a check that could not be made (docs/design.md, verification checklist).
  const CANNOT_CHECK = UNAVAILABLE.concat(['status-stale']);

  /**
   * The reason to show beside a verdict in a list (holder page, batch table): the reason of the
   * check that decided it; '' when verified or when no check says why.
   */
  function verdictReason(result) {
    const checks = (result && result.checks) || [];
    const first = function (predicate) {
      for (const c of checks) if (predicate(c)) return c.reason;
      return '';
    };
    switch (result && result.verdict) {
      case 'verified': return '';
      case 'expired': return first(function (c) { return c.name === 'validity'; });
      case 'revoked': return first(function (c) { return c.name === 'status' && c.status === 'failed'; });
      case 'copy': return first(function (c) { return c.name === 'origin'; });
      case 'cannot-verify':
        return first(function (c) { return c.status !== 'passed' && CANNOT_CHECK.indexOf(c.code) >= 0; });
      default: return first(function (c) { return c.status === 'failed'; });
    }
  }
  // [end]

  global.CredsiteVerifier = Object.freeze({
    canonicalize: canonicalize,
    base58btcDecode: base58btcDecode,
    base64urlDecode: base64urlDecode,
    decodeMultikeyEd25519: decodeMultikeyEd25519,
    parseDateTime: parseDateTime,
    formatDate: formatDate,
    MONTHS: Object.freeze(MONTHS.slice()),
    checkSupport: checkSupport,
    sha256: sha256,
    verifyProof: verifyProof,
    jcsHashData: jcsHashData,
    pickProof: pickProof,
    didWebToUrl: didWebToUrl,
    didWebHost: didWebHost,
    normalizeHost: normalizeHost,
    credentialIdOf: credentialIdOf,
    checkSymbol: checkSymbol,
    holderName: holderName,
    pageFields: pageFields,
    decodeStatusList: decodeStatusList,
    statusBit: statusBit,
    verifyCredential: verifyCredential,
    repeatedName: repeatedName,
    defaultFetchJson: defaultFetchJson,
    fetchWithin: fetchWithin,
    readJson: readJson,
    siteOfPage: siteOfPage,
    isFramed: isFramed,
    MAX_DOCUMENT_BYTES: MAX_DOCUMENT_BYTES,
    decideVerdict: decideVerdict,
    CHECK_NAMES: Object.freeze(CHECK_NAMES.slice()),
    CHECK_LABELS: Object.freeze(CHECK_LABELS),
    // [not on credential pages]: the verify and holder pages' helpers, and the tests'
    base58btcEncode: base58btcEncode,
    multibaseDecode: multibaseDecode,
    normalizeCredentialId: normalizeCredentialId,
    fetchText: fetchText,
    fetchJsonOnce: fetchJsonOnce,
    verdictReason: verdictReason,
    // [end]
  });
})(typeof globalThis !== 'undefined' ? globalThis : window);

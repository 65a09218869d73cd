/* credsite: "Check the holder's e-mail" for employers.
 *
 * A credential stores the holder's e-mail address only as
 *   sha256$ + hex(SHA-256(UTF-8(trimmed, lower-cased address + salt)))
 * (generator/content/credential.py email_identity). The address typed here is hashed the same
 * way with WebCrypto and compared in the browser: it is never sent anywhere (no request is made).
 *
 * Where the salt is: inside the credential's IdentityObject (`salt`, the default), or, on a site
 * with `email_salt: link`, only in the holder's link, as the URL fragment `#salt=<22 base64url
 * characters>` (never sent to a server): without it the check says it needs the holder's full
 * link. An IdentityObject without `salt` is also tried unsalted, as Open Badges 3.0 reads it.
 * The check answers "matches" only beside a Verified verdict: on any other verdict it says that
 * the credential itself did not verify (docs/design.md, "Sharing and the e-mail check").
 *
 * On a credential page the credential is `#credential-data`; on /verify/ it is the one that was
 * last checked (verifier-page.js dispatches `credsite:result`). The page has an empty, hidden
 * `<div data-email-check="credential|verify">`; this script replaces it with the section
 * (`#email-check-form`, `#email-check-input`, `#email-check-result` with role=status), so pages
 * without JavaScript show nothing and each of 100,000 credential pages saves its bytes.
 * Plain ES2020, no inline script, text via textContent.
 * Global: `CredsiteEmailCheck` {normalize, emailHash, checkEmail, linkSalt} (used by the tests).
 */
(function (global) {
  'use strict';

  // Texts in the reader's language: i18n.js (CredsiteI18n), first in every page script.
  const _ = window.CredsiteI18n.gettext;

  // Python's str.strip() removes the characters for which str.isspace() is true: the same set
  // here, so that both sides hash the same text (JavaScript's trim() differs: U+FEFF, U+0085...).
  const SPACE = '[\\t\\n\\x0b\\x0c\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029' +
    '\\u202f\\u205f\\u3000]';
  const STRIP = new RegExp('^' + SPACE + '+|' + SPACE + '+$', 'g');
  const HASH = /^sha256\$([0-9a-fA-F]{64})$/;
  // The salt in a holder's link: 128 bits as base64url (credsite writes 22 characters).
  const LINK_SALT = /^[A-Za-z0-9_-]{16,86}$/;

  /** What the check says for each result (`data-result`), in the reader's language. */
  function message(kind) {
    switch (kind) {
      case 'match': return _('Matches: this is the e-mail address stored (hashed) in the credential.');
      case 'mismatch': return _('Does not match: this is not the e-mail address stored in the credential. ' +
        'Check it for typing mistakes, or ask the holder which address they used for the exams.');
      case 'no-hash': return _('This credential has no e-mail hash, so an address cannot be checked against it.');
      case 'needs-link': return _('This check needs the holder\'s full link: the issuer keeps the key to the ' +
        'e-mail check out of the public credential and gives it only to the holder, at the end of ' +
        'their link to this page (after "#salt="). Ask the holder for their full link and open it.');
      case 'not-verified': return _('The e-mail check is given only for a Verified credential, and this one is ' +
        'not (see the verdict above): nothing it says about the holder can be relied on.');
      case 'pending': return _('Wait until the credential has been checked.');
      case 'empty': return _('Enter an e-mail address to check.');
      case 'no-credential': return _('Check a credential first (look it up, paste it or choose its file above).');
      default: return _('This browser cannot compute the check (WebCrypto is not available here).');
    }
  }
  function intro(kind) {
    return (kind === 'credential'
      ? _('Ask the holder for the e-mail address they used for the exams and enter it here.')
      : _('After checking a credential above, enter the e-mail address the holder gave you.')) + ' ' +
      _('Your browser compares it with the protected (salted and hashed) copy in the signed credential: the address is not sent anywhere.');
  }

  function isObj(v) {
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  }

  /** The address as the issuer hashed it: Python's email.strip().lower(). */
  function normalize(email) {
    return String(email).replace(STRIP, '').toLowerCase();
  }

  function hex(buffer) {
    return Array.from(new Uint8Array(buffer), function (b) {
      return b.toString(16).padStart(2, '0');
    }).join('');
  }

  async function emailHash(email, salt) {
    const c = global.crypto;
    if (!c || !c.subtle) throw new Error('unsupported');
    const bytes = new TextEncoder().encode(normalize(email) + (salt || ''));
    return 'sha256$' + hex(await c.subtle.digest('SHA-256', bytes));
  }

  function emailIdentities(credential) {
    const subject = isObj(credential) && isObj(credential.credentialSubject)
      ? credential.credentialSubject : {};
    const list = Array.isArray(subject.identifier) ? subject.identifier
      : (isObj(subject.identifier) ? [subject.identifier] : []);
    return list.filter(function (item) {
      return isObj(item) && item.identityType === 'emailAddress' &&
        typeof item.identityHash === 'string';
    });
  }

  /** The salt in a holder's link (`#salt=…` in `hash`, default this page's), or null. */
  function linkSalt(hash) {
    const text = String(hash === undefined ? global.location.hash : hash).replace(/^#/, '');
    let salt;
    try {
      salt = new URLSearchParams(text).get('salt');
    } catch {
      return null;
    }
    return salt && LINK_SALT.test(salt) ? salt : null;
  }

  /**
   * 'match', 'mismatch', 'no-hash' or 'needs-link' (the hash's salt is not in the credential and
   * `fromLink`, the salt of the holder's link, was not given); throws Error('unsupported')
   * without WebCrypto.
   */
  async function checkEmail(credential, email, fromLink) {
    const identities = emailIdentities(credential);
    let comparable = 0;
    let needsLink = 0;
    for (const identity of identities) {
      if (identity.hashed === false) {
        comparable += 1;
        if (normalize(identity.identityHash) === normalize(email)) return 'match';
        continue;
      }
      const expected = HASH.exec(identity.identityHash);
      if (!expected) continue; // a hash this page does not know how to compute
      const want = 'sha256$' + expected[1].toLowerCase();
      if (typeof identity.salt === 'string') { // the salt in the credential (the default)
        comparable += 1;
        if (await emailHash(email, identity.salt) === want) return 'match';
        continue;
      }
      // No salt in the credential: unsalted as Open Badges reads it, or the holder's link salt.
      if (await emailHash(email, '') === want) return 'match';
      if (!fromLink) {
        needsLink += 1;
        continue;
      }
      comparable += 1;
      if (await emailHash(email, fromLink) === want) return 'match';
    }
    if (comparable) return 'mismatch';
    return needsLink ? 'needs-link' : 'no-hash';
  }

  // -------------------------------------------------------------------------------------------

  function embeddedCredential() {
    const node = document.getElementById('credential-data');
    if (!node) return undefined;
    try {
      return JSON.parse(node.textContent);
    } catch {
      return null;
    }
  }

  function pageVerdict() {
    const banner = document.getElementById('verdict');
    return banner ? banner.getAttribute('data-verdict') : null;
  }

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const name of Object.keys(attrs || {})) node.setAttribute(name, attrs[name]);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** The section that replaces the `[data-email-check]` placeholder. Input without `name`: a
   *  form submitted some other way cannot put the address in a URL. */
  function build(kind) {
    const section = el('section', {
      class: 'panel email-check', 'aria-labelledby': 'email-check-heading', 'data-email-check': kind,
    });
    section.appendChild(el('h2', { id: 'email-check-heading' }, _('Check the holder\'s e-mail')));
    section.appendChild(el('p', {}, intro(kind)));
    const form = el('form', { id: 'email-check-form', class: 'email-check-form', novalidate: '' });
    form.appendChild(el('label', { for: 'email-check-input' }, _('Holder\'s e-mail address')));
    const row = el('div', { class: 'field-row' });
    row.appendChild(el('input', {
      id: 'email-check-input', type: 'email', autocomplete: 'off', spellcheck: 'false',
      inputmode: 'email',
    }));
    row.appendChild(el('button', { type: 'submit' }, _('Check e-mail')));
    form.appendChild(row);
    form.appendChild(el('p', {
      id: 'email-check-result', class: 'email-check-result', role: 'status', 'aria-live': 'polite',
    }));
    section.appendChild(form);
    return section;
  }

  function setUp(placeholder) {
    const section = build(placeholder.getAttribute('data-email-check'));
    placeholder.replaceWith(section);
    const form = document.getElementById('email-check-form');
    const input = document.getElementById('email-check-input');
    const output = document.getElementById('email-check-result');
    let credential = embeddedCredential();
    const onCredentialPage = credential !== undefined;
    let verdict = null;
    // The salt of the holder's link (`#salt=…`): only a credential page is opened with one.
    const fromLink = onCredentialPage ? linkSalt() : null;

    const show = function (kind, extra) {
      output.setAttribute('data-result', kind);
      output.textContent = message(kind) + (extra || '');
    };
    const clear = function () {
      output.removeAttribute('data-result');
      output.textContent = '';
    };

    if (!onCredentialPage) {
      credential = null;
      document.addEventListener('credsite:result', function (event) {
        const detail = event.detail || {};
        credential = isObj(detail.credential) ? detail.credential : null;
        verdict = detail.verdict || null;
        clear();
      });
    }
    input.addEventListener('input', clear);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      const email = input.value;
      if (!normalize(email)) {
        show('empty');
        input.focus();
        return;
      }
      if (onCredentialPage && !isObj(credential)) credential = embeddedCredential(); // loaded since
      if (!isObj(credential)) {
        show(onCredentialPage ? 'no-hash' : 'no-credential');
        return;
      }
      const current = onCredentialPage ? pageVerdict() : verdict;
      if (current === 'pending') {
        show('pending');
        return;
      }
      checkEmail(credential, email, fromLink).then(function (result) {
        // "Matches" (or "does not match") is said only beside a Verified verdict: on a revoked,
        // expired, copied or invalid credential it would vouch for a person it cannot.
        if (current !== 'verified' && (result === 'match' || result === 'mismatch')) {
          show('not-verified');
        } else {
          show(result);
        }
      }, function () {
        show('unsupported');
      });
    });
  }

  global.CredsiteEmailCheck = {
    normalize: normalize, emailHash: emailHash, checkEmail: checkEmail, linkSalt: linkSalt,
  };

  function start() {
    const placeholder = document.querySelector('div[data-email-check]');
    if (placeholder) setUp(placeholder);
  }

  // Texts are written once the page's language is known and loaded (i18n.js).
  function whenTranslated() {
    if (window.CredsiteI18n) window.CredsiteI18n.whenReady(start);
    else start();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', whenTranslated);
  else whenTranslated();
})(typeof window !== 'undefined' ? window : globalThis);

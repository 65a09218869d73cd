/* credsite: "Check the holder's e-mail" for employers.
 *
 * A credential stores the holder's e-mail address only as
 *   sha256$ + hex(SHA-256(UTF-8(trimmed, lower-cased address + salt)))
 * (generator/credential.py email_identity). The address typed here is hashed the same way with
 * WebCrypto and compared in the browser: it is never sent anywhere (no request is made).
 *
 * On a credential page the credential is `#credential-data`; on /verify/ it is the one that was
 * last checked (verifier-page.js dispatches `credsite:result`). The page has an empty, hidden
 * `<div data-email-check="credential|verify">`; this script replaces it with the section
 * (`#email-check-form`, `#email-check-input`, `#email-check-result` with role=status), so pages
 * without JavaScript show nothing and each of 100,000 credential pages saves its bytes.
 * Plain ES2020, no inline script, text via textContent.
 * Global: `CredsiteEmailCheck` {normalize, emailHash, checkEmail} (used by the tests).
 */
(function (global) {
  'use strict';

  // Python's str.strip() removes the characters for which str.isspace() is true: the same set
  // here, so that both sides hash the same text (JavaScript's trim() differs: U+FEFF, U+0085...).
  const SPACE = '[\\t\\n\\x0b\\x0c\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029' +
    '\\u202f\\u205f\\u3000]';
  const STRIP = new RegExp('^' + SPACE + '+|' + SPACE + '+$', 'g');
  const HASH = /^sha256\$([0-9a-fA-F]{64})$/;

  const MESSAGES = {
    match: 'Matches: this is the e-mail address stored (hashed) in the credential.',
    mismatch: 'Does not match: this is not the e-mail address stored in the credential. ' +
      'Check it for typing mistakes, or ask the holder which address they used for the exams.',
    'no-hash': 'This credential has no e-mail hash, so an address cannot be checked against it.',
    empty: 'Enter an e-mail address to check.',
    'no-credential': 'Check a credential first (look it up, paste it or choose its file above).',
    unsupported: 'This browser cannot compute the check (WebCrypto is not available here).',
  };
  const NOT_VALID = ' Note: the credential itself did not verify, so do not rely on it.';
  const INTRO = {
    credential: 'Ask the holder for the e-mail address they used for the exams and enter it here.',
    verify: 'After checking a credential above, enter the e-mail address the holder gave you.',
  };
  const PRIVACY = ' Your browser compares it with the protected (salted and hashed) copy in the ' +
    'signed credential: the address is not sent anywhere.';

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

  /** 'match', 'mismatch' or 'no-hash'; throws Error('unsupported') without WebCrypto. */
  async function checkEmail(credential, email) {
    const identities = emailIdentities(credential);
    let comparable = 0;
    for (const identity of identities) {
      if (identity.hashed === false) {
        comparable += 1;
        if (normalize(identity.identityHash) === normalize(email)) return 'match';
        continue;
      }
      const expected = HASH.exec(identity.identityHash);
      if (!expected) continue; // a hash this page does not know how to compute
      comparable += 1;
      const salt = typeof identity.salt === 'string' ? identity.salt : '';
      const actual = await emailHash(email, salt);
      if (actual === 'sha256$' + expected[1].toLowerCase()) return 'match';
    }
    return comparable ? 'mismatch' : 'no-hash';
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
    section.appendChild(el('h2', { id: 'email-check-heading' }, 'Check the holder\'s e-mail'));
    section.appendChild(el('p', {}, (INTRO[kind] || INTRO.verify) + PRIVACY));
    const form = el('form', { id: 'email-check-form', class: 'email-check-form', novalidate: '' });
    form.appendChild(el('label', { for: 'email-check-input' }, 'Holder\'s e-mail address'));
    const row = el('div', { class: 'field-row' });
    row.appendChild(el('input', {
      id: 'email-check-input', type: 'email', autocomplete: 'off', spellcheck: 'false',
      inputmode: 'email',
    }));
    row.appendChild(el('button', { type: 'submit' }, 'Check e-mail'));
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

    const show = function (kind, extra) {
      output.setAttribute('data-result', kind);
      output.textContent = MESSAGES[kind] + (extra || '');
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
      checkEmail(credential, email).then(function (result) {
        show(result, result === 'match' && current === 'invalid' ? NOT_VALID : '');
      }, function () {
        show('unsupported');
      });
    });
  }

  global.CredsiteEmailCheck = { normalize: normalize, emailHash: emailHash, checkEmail: checkEmail };

  function start() {
    const placeholder = document.querySelector('div[data-email-check]');
    if (placeholder) setUp(placeholder);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})(typeof window !== 'undefined' ? window : globalThis);

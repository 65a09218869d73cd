/* credsite /verify/ page: looking a credential up by its typed ID.
 *
 * A typed ID is the 16-character credential ID, optionally followed by Crockford's check symbol
 * (https://www.crockford.com/base32.html: the ID's value modulo 37, written with the 32 ID
 * digits and * ~ $ = U), as the certificate prints it: 7QK2-M9XR-D4T8-VNPA-0. The check symbol
 * catches every single wrong character and every swap of two neighbours, so the page can say
 * "this ID has a typo" apart from "no credential with this ID". Before leaving the page, the
 * look-up asks the site whether /c/<ID>.json exists, so an unknown ID is said here, with the typed
 * text still in the field, not on a generic "Page not found". The form is a GET form: without
 * JavaScript it reloads /verify/?id=…, and this script puts the ID back in the field and checks it.
 *
 * Also: on a narrow screen the result of any check (credsite:result, dispatched by
 * verifier-page.js) is scrolled into view and focused, since it appears far below the form.
 * Plain ES2020, no inline script, DOM built with textContent only.
 */
(function () {
  'use strict';

  // Texts in the reader's language: i18n.js (CredsiteI18n), first in every page script.
  const _ = window.CredsiteI18n.gettext;

  const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const CHECK_SYMBOLS = ALPHABET + '*~$=U';
  const FROM_FILE = location.protocol === 'file:';
  const FETCH_TIMEOUT_MS = 15000;

  function help() {
    return _('A credential ID has 16 letters and digits (0-9 and A-Z without I, L, O, U), ' +
      'for example 7QK2 M9XR D4T8 VNPA, and may end with the check character printed after it.');
  }

  function fixTypos(text) {
    return text.replace(/O/g, '0').replace(/[IL]/g, '1');
  }

  /** Crockford's check symbol of a canonical 16-character ID. */
  function checkSymbol(id) {
    let value = 0n;
    for (const char of id) value = value * 32n + BigInt(ALPHABET.indexOf(char));
    return CHECK_SYMBOLS[Number(value % 37n)];
  }

  /**
   * Parse typed text: {id, check: true|false|null} (null: no check symbol typed), or {error}.
   * Spaces and dashes are ignored; case, O→0 and I/L→1 are forgiven as on the certificate.
   */
  function parseTypedId(text) {
    const cleaned = String(text).toUpperCase().replace(/[\s-]+/g, '');
    if (cleaned.length !== 16 && cleaned.length !== 17) return { error: 'length' };
    const id = fixTypos(cleaned.slice(0, 16));
    if (!/^[0-9A-HJKMNP-TV-Z]{16}$/.test(id)) return { error: 'characters' };
    if (cleaned.length === 16) return { id: id, check: null };
    const symbol = fixTypos(cleaned[16]);
    if (CHECK_SYMBOLS.indexOf(symbol) < 0) return { error: 'characters' };
    return { id: id, check: symbol === checkSymbol(id) };
  }

  /** 'found', 'unknown' (HTTP 404/410) or 'unsure' (no answer: let the page itself say). */
  function credentialExists(url) {
    const controller = new AbortController();
    const timer = setTimeout(function () { controller.abort(); }, FETCH_TIMEOUT_MS);
    return fetch(url, { method: 'HEAD', cache: 'no-store', credentials: 'omit', signal: controller.signal })
      .then(function (response) {
        if (response.ok) return 'found';
        return response.status === 404 || response.status === 410 ? 'unknown' : 'unsure';
      }, function () { return 'unsure'; })
      .finally(function () { clearTimeout(timer); });
  }

  function siteRoot(form) {
    if (form.dataset.base) return new URL(form.dataset.base, location.href).href.replace(/\/?$/, '/');
    const at = location.pathname.lastIndexOf('/verify/');
    return new URL(at >= 0 ? location.pathname.slice(0, at + 1) : '/', location.href).href;
  }

  function setUpLookup(form) {
    const input = document.getElementById('lookup-id');
    const message = document.getElementById('lookup-error');
    if (!input || !message) return;
    const button = form.querySelector('button[type="submit"]');

    const show = function (kind, text) {
      message.textContent = text;
      message.hidden = false;
      form.setAttribute('data-lookup', kind);
      input.setAttribute('aria-invalid', 'true');
      const described = (input.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
      if (described.indexOf('lookup-error') < 0) described.push('lookup-error');
      input.setAttribute('aria-describedby', described.join(' '));
    };
    const clear = function () {
      message.textContent = '';
      message.hidden = true;
      form.removeAttribute('data-lookup');
      input.removeAttribute('aria-invalid');
    };

    /** Check the typed text; resolves to the page URL to open, or null after saying why not. */
    async function check(text) {
      const parsed = parseTypedId(text);
      if (parsed.error) {
        show('malformed', help());
        return null;
      }
      if (parsed.check === false) {
        show('typo', _('This ID has a typo: its last character (the check character) does not ' +
          'match the 16 before it. Compare each character with the certificate.'));
        return null;
      }
      const root = siteRoot(form);
      // Opened from files, there is no server to ask or to map /c/<ID> to c/<ID>.html.
      if (FROM_FILE) return root + 'c/' + parsed.id + '.html';
      const found = await credentialExists(root + 'c/' + parsed.id + '.json');
      if (found === 'unknown') {
        show('unknown', _('No credential with the ID %(id)s was issued on this site.', { id: parsed.id }) + ' ' +
          (parsed.check === null
            ? _('Check each character against the certificate, and type the check character ' +
              'printed after the ID too: it tells a typing mistake apart.')
            : _('The check character matches, so the ID was typed as printed: the credential ' +
              'may have been withdrawn, or it was issued by another site.')));
        return null;
      }
      clear();
      return root + 'c/' + parsed.id;
    }

    input.addEventListener('input', clear);
    form.addEventListener('submit', async function (event) {
      event.preventDefault();
      if (button) button.disabled = true;
      form.setAttribute('aria-busy', 'true');
      try {
        const target = await check(input.value);
        if (target) {
          // Back from the credential page finds the typed text again.
          history.replaceState(null, '', '?id=' + encodeURIComponent(input.value.trim()));
          location.assign(target);
        } else {
          input.focus();
        }
      } finally {
        if (button) button.disabled = false;
        form.removeAttribute('aria-busy');
      }
    });

    const typed = new URLSearchParams(location.search).get('id');
    if (typed) {
      input.value = typed;
      check(typed);  // says what is wrong with it, if anything; opening it is one click away
    }
  }

  /** On a narrow screen, bring a new result into view and give it the focus. */
  function followResults() {
    const narrow = window.matchMedia('(max-width: 48em)');
    document.addEventListener('credsite:result', function (event) {
      if (!narrow.matches || (event.detail && event.detail.batch)) return;
      const target = document.getElementById('verdict');
      if (!target) return;
      if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
      target.scrollIntoView({ block: 'start' });
      target.focus({ preventScroll: true });
    });
  }

  window.CredsiteTypedId = { parse: parseTypedId, checkSymbol: checkSymbol };

  function start() {
    const form = document.getElementById('lookup');
    if (form) setUpLookup(form);
    if (document.getElementById('verify-drop')) followResults();
  }

  // Texts are written once the page's language is known and loaded (i18n.js).
  function whenTranslated() {
    if (window.CredsiteI18n) window.CredsiteI18n.whenReady(start);
    else start();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', whenTranslated);
  else whenTranslated();
})();

/* credsite holder page (/h/<holder key>): every credential of one person, each verified here.
 *
 * For each `li.holder-cred[data-id][data-code][data-record]` the page fetches the signed record
 * (`c/<ID>.json`, as text), verifies it with CredsiteVerifier.verifyCredential (the DID document
 * and the status list are fetched once for the page), and checks that it is the credential the
 * page lists: same ID, same credential code, and the holder named by the page's heading
 * (`[data-holder-name]`, or the item's own `data-holder` when its record spells the name
 * differently); a record that is not is `invalid`. Each item gets `data-verdict` and a
 * reason; `#verdict` sums them up. With `?require=CODE,CODE`, `#requirements` says which required
 * credentials are held and verified, and which are missing, revoked or expired.
 * Also: "Copy link" and "Print" for the page's permanent address.
 * Needs verifier-core.js (global `CredsiteVerifier`). Plain ES2020, DOM built with textContent.
 */
(function () {
  'use strict';

  // Texts in the reader's language: i18n.js (CredsiteI18n), first in every page script.
  const _ = window.CredsiteI18n.gettext;

  const MAX_RECORD_BYTES = 1024 * 1024;

  function word(verdict) {
    switch (verdict) {
      case 'verified': return _('Verified');
      case 'invalid': return _('Invalid');
      case 'expired': return _('Expired');
      case 'revoked': return _('Revoked');
      case 'cannot-verify': return _('Cannot verify');
      case 'copy': return _('Genuine (copy of the page)');
      default: return verdict;
    }
  }
  function requirementWord(state) {
    switch (state) {
      case 'verified': case 'copy': return _('held and verified');
      case 'expired': return _('held but expired');
      case 'revoked': return _('revoked');
      case 'invalid': return _('not verified (invalid)');
      case 'cannot-verify': return _('could not be verified');
      case 'missing': return _('missing');
      default: return state;
    }
  }
  const ngettext = window.CredsiteI18n.ngettext;
  const RANK = { verified: 5, copy: 5, expired: 3, revoked: 2 };

  function core() {
    return typeof window.CredsiteVerifier === 'object' ? window.CredsiteVerifier : null;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** Verify one listed credential; resolves to {verdict, reason}. */
  async function checkOne(item, holderName, fetchJson) {
    const V = core();
    if (!V) return { verdict: 'cannot-verify', reason: _('the verifier script did not load') };
    const got = await V.fetchText(new URL(item.getAttribute('data-record'), location.href).href, MAX_RECORD_BYTES);
    if (!got.ok) {
      return { verdict: 'cannot-verify', reason: _('could not fetch the credential: %(error)s', { error: got.error }) };
    }
    const text = got.text;
    let credential;
    try {
      credential = JSON.parse(text);
    } catch {
      return { verdict: 'invalid', reason: _('the credential file is not JSON') };
    }
    let result;
    try {
      result = await V.verifyCredential(credential, {
        now: new Date(), fetchJson: fetchJson, text: text,
        site: V.siteOfPage(document), pageUrl: location.href, pageKind: 'verify', framed: V.isFramed(),
      });
    } catch (err) {
      return { verdict: 'cannot-verify', reason: _('the verifier failed: %(error)s', { error: err.message }) };
    }
    const subject = credential && credential.credentialSubject;
    const code = subject && subject.achievement ? subject.achievement.humanCode : null;
    const mismatch = [];
    if (V.credentialIdOf(credential) !== item.getAttribute('data-id')) mismatch.push(_('its ID'));
    if (code !== item.getAttribute('data-code')) mismatch.push(_('its credential code'));
    const expected = item.getAttribute('data-holder') || holderName; // a record may spell it differently
    if (V.holderName(credential) !== expected) mismatch.push(_('its holder (%(name)s)', { name: JSON.stringify(V.holderName(credential)) }));
    if (mismatch.length && result.verdict !== 'invalid') {
      return { verdict: 'invalid', reason: _('this page lists it wrongly: %(what)s differ from the signed record', { what: mismatch.join(', ') }) };
    }
    return { verdict: result.verdict, reason: V.verdictReason(result) };
  }

  function show(item, outcome) {
    item.setAttribute('data-verdict', outcome.verdict);
    const wordNode = item.querySelector('.holder-verdict');
    const reason = item.querySelector('.holder-reason');
    if (wordNode) wordNode.textContent = word(outcome.verdict);
    const note = item.getAttribute('data-note');
    const text = outcome.verdict === 'revoked' && note ? note : outcome.reason;
    if (reason) reason.textContent = text ? '— ' + text : '';
  }

  function summarize(banner, outcomes) {
    const counts = {};
    for (const o of outcomes) counts[o.verdict] = (counts[o.verdict] || 0) + 1;
    const total = outcomes.length;
    const good = (counts.verified || 0) + (counts.copy || 0);
    banner.textContent = '';
    let verdict;
    let title;
    if (good === total) {
      verdict = counts.copy ? 'copy' : 'verified';
      title = total === 1 ? _('The credential is verified') : _('All %(n)s credentials are verified', { n: total });
    } else {
      verdict = counts.invalid ? 'invalid' : good ? 'mixed' : (Object.keys(counts)[0] || 'cannot-verify');
      title = ngettext('%(good)s of %(n)s credential verified', '%(good)s of %(n)s credentials verified', total, { good: good });
    }
    banner.setAttribute('data-verdict', verdict);
    banner.appendChild(el('h2', 'verdict-title', title));
    const parts = Object.keys(counts).filter(function (v) { return v !== 'verified'; })
      .map(function (v) { return counts[v] + ' ' + word(v).toLowerCase(); });
    banner.appendChild(el('p', 'verdict-text', parts.length
      ? _('Not verified: %(counts)s. Each credential below says why.', { counts: parts.join(', ') })
      : _('Each signature, date and revocation status checks out.')));
  }

  function requirements(items, outcomes) {
    const box = document.getElementById('requirements');
    const list = document.getElementById('requirements-list');
    const wanted = new URLSearchParams(location.search).get('require');
    if (!box || !list || !wanted) return;
    const codes = [];
    for (const part of wanted.toUpperCase().split(/[\s,;]+/)) if (part && codes.indexOf(part) < 0) codes.push(part);
    if (!codes.length) return;
    const best = {};
    items.forEach(function (item, i) {
      const code = item.getAttribute('data-code');
      const v = outcomes[i].verdict;
      if (!best[code] || (RANK[v] || 1) > (RANK[best[code]] || 1)) best[code] = v;
    });
    list.textContent = '';
    let met = 0;
    for (const code of codes) {
      const state = best[code] || 'missing';
      if (state === 'verified' || state === 'copy') met += 1;
      const li = el('li');
      li.setAttribute('data-code', code);
      li.setAttribute('data-state', state);
      li.appendChild(el('span', 'code', code));
      li.appendChild(document.createTextNode(': ' + requirementWord(state)));
      list.appendChild(li);
    }
    box.setAttribute('data-met', met === codes.length ? 'true' : 'false');
    const summary = el('p', 'requirement-title', met === codes.length
      ? _('Every required credential is held and verified.')
      : ngettext('%(met)s of %(n)s required credential is held and verified.',
        '%(met)s of %(n)s required credentials are held and verified.', codes.length, { met: met }));
    summary.id = 'requirements-summary';
    const old = document.getElementById('requirements-summary');
    if (old) old.remove();
    box.insertBefore(summary, list);
    box.hidden = false;
  }

  function setUpSharing() {
    const input = document.getElementById('holder-url');
    const copy = document.getElementById('holder-copy');
    const print = document.getElementById('holder-print');
    const status = document.getElementById('holder-status');
    if (copy && input) {
      copy.hidden = false;
      copy.addEventListener('click', function () {
        const url = input.defaultValue;
        const fallback = function () {
          input.focus();
          input.select();
          if (status) status.textContent = _('Your browser did not allow copying: the link is selected, press Ctrl+C (Cmd+C on a Mac) to copy it.');
        };
        if (!navigator.clipboard || !window.isSecureContext) {
          fallback();
          return;
        }
        navigator.clipboard.writeText(url).then(function () {
          if (status) status.textContent = _('Copied: the link to this page is on your clipboard.');
        }, fallback);
      });
    }
    if (print) {
      print.hidden = false;
      print.addEventListener('click', function () { window.print(); });
    }
  }

  async function start() {
    setUpSharing();
    const heading = document.querySelector('[data-holder-name]');
    const banner = document.getElementById('verdict');
    if (!heading || !banner) return;
    const holderName = heading.getAttribute('data-holder-name');
    const items = Array.from(document.querySelectorAll('li.holder-cred'));
    const fetchJson = core() ? core().fetchJsonOnce() : null;
    const outcomes = await Promise.all(items.map(function (item) {
      return checkOne(item, holderName, fetchJson).then(function (outcome) {
        show(item, outcome);
        return outcome;
      });
    }));
    summarize(banner, outcomes);
    requirements(items, outcomes);
    document.documentElement.setAttribute('data-holder-checked', String(items.length));
  }

  // Texts are written once the page's language is known and loaded (i18n.js).
  function whenTranslated() {
    if (window.CredsiteI18n) window.CredsiteI18n.whenReady(start);
    else start();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', whenTranslated);
  else whenTranslated();
})();

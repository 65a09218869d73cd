/* credsite browser verifier: page glue.
 *
 * On a credential page (`#credential-data`): verifies the embedded credential, compares the
 * visible `data-field` text with the signed values, and writes `#verdict` and `#checks`.
 * On the /verify/ page (`#verify-drop`): verifies a pasted or dropped credential (the ID look-up
 * and the batch check are verify-lookup.js and verify-batch.js, loaded by that page only).
 * Needs verifier-core.js (global `CredsiteVerifier`) loaded first.
 * After each result it dispatches `credsite:result` on document ({verdict, credential}).
 * Plain ES2020, no inline script, DOM built with textContent only.
 */
(function () {
  'use strict';

  const FETCH_TIMEOUT_MS = 15000;
  const MAX_UPLOAD_BYTES = 1024 * 1024;
  // A copy of the site opened from files (credsite build --portable, e.g. on a USB stick).
  const FROM_FILE = location.protocol === 'file:';

  const TITLES = {
    verified: 'Verified',
    invalid: 'Invalid',
    expired: 'Expired',
    revoked: 'Revoked',
    'cannot-verify': 'Cannot verify',
    copy: 'Copy of a credential page',
  };

  const STATUS_WORDS = {
    passed: 'Passed',
    failed: 'Failed',
    warning: 'Warning',
    'not-checked': 'Not checked',
  };

  function core() {
    return typeof window.CredsiteVerifier === 'object' ? window.CredsiteVerifier : null;
  }

  function fetchJson(url) {
    const controller = typeof AbortController === 'function' ? new AbortController() : null;
    const timer = controller ? setTimeout(function () { controller.abort(); }, FETCH_TIMEOUT_MS) : null;
    return fetch(url, {
      cache: 'no-store',
      credentials: 'omit',
      signal: controller ? controller.signal : undefined,
    }).then(function (response) {
      if (!response.ok) throw new Error('HTTP ' + response.status);
      return response.json();
    }).catch(function (err) {
      if (err && err.name === 'AbortError') throw new Error('no answer within ' + (FETCH_TIMEOUT_MS / 1000) + ' s');
      throw err;
    }).finally(function () {
      if (timer) clearTimeout(timer);
    });
  }

  function normalizeText(text) {
    return String(text === null || text === undefined ? '' : text).replace(/\s+/g, ' ').trim();
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // -------------------------------------------------------------------------------------------
  // Verdict banner and check list

  function isObj(v) {
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  }

  function describe(credential) {
    const V = core();
    const c = isObj(credential) ? credential : {};
    const subject = isObj(c.credentialSubject) ? c.credentialSubject : {};
    const achievement = isObj(subject.achievement) ? subject.achievement : {};
    const issuer = isObj(c.issuer) ? c.issuer : {};
    return {
      holder: V ? V.holderName(c) : null,
      name: typeof achievement.name === 'string' ? achievement.name : null,
      code: typeof achievement.humanCode === 'string' ? achievement.humanCode : null,
      issuer: typeof issuer.name === 'string' ? issuer.name : null,
      validFrom: V && typeof c.validFrom === 'string' ? V.formatDate(c.validFrom) : null,
    };
  }

  function issuerHost(credential) {
    try {
      return core().normalizeHost(core().didWebHost(credential.issuer.id));
    } catch {
      return 'unknown';
    }
  }

  function firstCheck(checks, predicate) {
    for (const check of checks) if (predicate(check)) return check;
    return null;
  }

  function sentenceFor(verdict, checks, credential) {
    const d = describe(credential);
    const what = d.name ? (d.code ? d.name + ' (' + d.code + ')' : d.name) : 'this credential';
    const issuer = d.issuer || 'the issuer';
    const reasonOf = function (predicate) {
      const check = firstCheck(checks, predicate);
      return check ? check.reason : '';
    };
    switch (verdict) {
      case 'verified': {
        const status = firstCheck(checks, function (c) { return c.name === 'status'; });
        return (d.holder ? d.holder + ' holds ' : 'Holds ') + what + ', issued by ' + issuer +
          (d.validFrom ? ' on ' + d.validFrom : '') +
          (status && status.status === 'passed'
            ? '; the signature, dates and revocation status all check out.'
            : '; the signature and dates check out.');
      }
      case 'invalid': {
        const page = firstCheck(checks, function (c) { return c.name === 'page' && c.status === 'failed'; });
        if (page) return 'Do not rely on this page: its text does not match the signed credential.';
        return 'Do not rely on this credential: ' +
          reasonOf(function (c) { return c.status === 'failed'; }) + '.';
      }
      case 'expired':
        return what + ' was issued by ' + issuer + ' but ' +
          reasonOf(function (c) { return c.name === 'validity'; }) + '.';
      case 'revoked':
        return issuer + ' has revoked ' + what + '.';
      case 'cannot-verify': {
        // Signed and in date, but the status list may be an old copy (docs/design.md, "Status
        // freshness"): say when its status was last confirmed, never Verified.
        const stale = firstCheck(checks, function (c) { return c.name === 'status' && c.status === 'warning'; });
        if (stale && !firstCheck(checks, function (c) { return c.status === 'not-checked' && c.name !== 'catalog'; })) {
          return 'Signed by ' + issuer + ', but its ' +
            stale.reason.replace(/^revocation status last/, 'revocation status was last') +
            '; it may have been revoked since.';
        }
        return 'This credential could not be checked: ' +
          (reasonOf(function (c) {
            return c.status === 'not-checked' && c.name !== 'catalog' &&
              !(c.name === 'status' && c.reason === 'no status list');
          }) || 'unknown problem') + '.';
      }
      case 'copy':
        if (FROM_FILE) {
          return 'The credential is genuine, but this copy was opened from a file on this ' +
            'device, not from the issuer\'s site ' + issuerHost(credential) + '.';
        }
        return 'The credential is genuine, but this copy is served from ' +
          core().normalizeHost(location.host) + ', not from the issuer\'s site ' +
          issuerHost(credential) + '.';
      default:
        return '';
    }
  }

  function originalLink(credential) {
    if (!isObj(credential) || typeof credential.id !== 'string') return null;
    let url;
    try {
      url = new URL(credential.id);
    } catch {
      return null;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    const a = el('a', 'verdict-original', 'Open the original page');
    a.href = url.href;
    a.rel = 'noopener';
    return a;
  }

  function renderResult(result, credential) {
    const banner = document.getElementById('verdict');
    if (banner) {
      banner.setAttribute('data-verdict', result.verdict);
      banner.textContent = '';
      banner.appendChild(el('h2', 'verdict-title', TITLES[result.verdict] || result.verdict));
      const p = el('p', 'verdict-text', sentenceFor(result.verdict, result.checks, credential));
      if (result.verdict === 'copy') {
        const link = originalLink(credential);
        if (link) {
          p.appendChild(document.createTextNode(' '));
          p.appendChild(link);
        }
      }
      banner.appendChild(p);
    }
    const list = document.getElementById('checks');
    if (list) {
      const V = core();
      const labels = V ? V.CHECK_LABELS : {}; // without the core script, show check names
      list.textContent = '';
      for (const check of result.checks) {
        const li = el('li', 'check');
        li.setAttribute('data-check', check.name);
        li.setAttribute('data-status', check.status);
        li.appendChild(el('span', 'check-label', labels[check.name] || check.name));
        li.appendChild(document.createTextNode(' '));
        li.appendChild(el('span', 'check-status', STATUS_WORDS[check.status] || check.status));
        li.appendChild(document.createTextNode(' '));
        li.appendChild(el('span', 'check-reason', check.reason));
        list.appendChild(li);
      }
    }
    // For email-check.js: the credential just checked (null when the input was not a credential).
    document.dispatchEvent(new CustomEvent('credsite:result', {
      detail: { verdict: result.verdict, credential: isObj(credential) ? credential : null },
    }));
  }

  function renderPending(message) {
    const banner = document.getElementById('verdict');
    if (banner) {
      banner.setAttribute('data-verdict', 'pending');
      banner.textContent = '';
      banner.appendChild(el('p', 'verdict-text', message));
    }
    const list = document.getElementById('checks');
    if (list) list.textContent = '';
  }

  function cannotVerify(reason) {
    return {
      verdict: 'cannot-verify',
      checks: [{ name: 'signature', status: 'not-checked', reason: reason }],
    };
  }

  function notJson(reason) {
    return {
      verdict: 'invalid',
      checks: [{ name: 'format', status: 'failed', reason: reason }],
    };
  }

  /** Verify; a missing script or missing WebCrypto/Ed25519 gives cannot-verify with the reason. */
  async function runVerification(credential, text) {
    const V = core();
    if (!V) return cannotVerify('the verifier script (verifier-core.js) did not load');
    // verifyCredential itself reports missing WebCrypto / Ed25519 as cannot-verify with the reason.
    return V.verifyCredential(credential, {
      now: new Date(),
      fetchJson: fetchJson,
      pageHost: location.host,
      pageFile: FROM_FILE,
      text: text,
    });
  }

  // -------------------------------------------------------------------------------------------
  // Credential page

  function quote(text) {
    return '"' + text + '"';
  }

  /** Compare and fill the data-field elements; returns the `page` check. */
  function checkPageFields(credential) {
    const V = core();
    const problems = [];
    for (const expected of V.pageFields(credential)) {
      const nodes = document.querySelectorAll('[data-field="' + expected.field + '"]');
      if (expected.text === null) {
        if (expected.optional) {
          // Not signed, so the page must not show it.
          for (const node of nodes) {
            problems.push('page altered: ' + expected.field + ' shows ' +
              quote(normalizeText(node.textContent)) + (expected.field === 'valid-until'
              ? ', but the signed credential does not expire'
              : ', but the signed credential has no such value'));
          }
        } else {
          problems.push('page altered: ' + expected.field + ' has no signed value');
        }
        continue;
      }
      if (!nodes.length) {
        problems.push('page altered: ' + expected.field + ' is not shown, signed value is ' +
          quote(expected.text));
        continue;
      }
      for (const node of nodes) {
        const shown = normalizeText(node.textContent);
        if (shown !== normalizeText(expected.text)) {
          problems.push('page altered: ' + expected.field + ' shows ' + quote(shown) +
            ', signed value is ' + quote(expected.text));
          node.textContent = expected.text;
        }
        if (expected.datetime && node.tagName === 'TIME') {
          const attr = node.getAttribute('datetime');
          if (attr !== expected.datetime) {
            problems.push('page altered: ' + expected.field + ' datetime shows ' +
              quote(attr === null ? '' : attr) + ', signed value is ' + quote(expected.datetime));
          }
          node.setAttribute('datetime', expected.datetime);
        }
      }
    }
    if (problems.length) return { name: 'page', status: 'failed', reason: problems.join('; ') };
    return { name: 'page', status: 'passed', reason: 'the text on this page matches the signed credential' };
  }

  async function verifyCredentialPage(dataNode, t0) {
    let credential = null;
    let result;
    try {
      credential = JSON.parse(dataNode.textContent);
    } catch {
      result = notJson('the embedded credential is not valid JSON');
    }
    if (!result) {
      try {
        result = await runVerification(credential, dataNode.textContent);
        if (core()) {
          const page = checkPageFields(credential);
          result.checks.push(page);
          if (page.status === 'failed') result.verdict = 'invalid';
        }
      } catch (err) {
        result = cannotVerify('the verifier failed: ' + (err && err.message ? err.message : String(err)));
      }
    }
    renderResult(result, credential);
    document.documentElement.dataset.verifyMs = String(Math.round((performance.now() - t0) * 10) / 10);
  }

  // -------------------------------------------------------------------------------------------
  // /verify/ page: paste, file, drag-and-drop

  function parseUpload(text) {
    const trimmed = String(text).trim();
    if (!trimmed) return { error: 'nothing to verify: paste or drop a credential JSON file' };
    try {
      return { value: JSON.parse(trimmed), text: trimmed };
    } catch {
      // An award batch line file: take the first non-empty line.
      const first = trimmed.split(/\r?\n/).find(function (line) { return line.trim(); });
      if (first && first !== trimmed) {
        try {
          return { value: JSON.parse(first), text: first };
        } catch { /* fall through */ }
      }
      return { error: 'the input is not valid JSON' };
    }
  }

  async function verifyUploadText(text) {
    const t0 = performance.now();
    renderPending('Checking the credential…');
    const parsed = parseUpload(text);
    let result;
    if (parsed.error) {
      result = notJson(parsed.error);
    } else {
      try {
        result = await runVerification(parsed.value, parsed.text);
      } catch (err) {
        result = cannotVerify('the verifier failed: ' + (err && err.message ? err.message : String(err)));
      }
    }
    renderResult(result, parsed.value);
    document.documentElement.dataset.verifyMs = String(Math.round((performance.now() - t0) * 10) / 10);
  }

  function verifyFile(file) {
    if (!file) return;
    if (file.size > MAX_UPLOAD_BYTES) {
      renderResult(notJson('the file is too large to be a credential'), null);
      return;
    }
    file.text().then(verifyUploadText, function () {
      renderResult(notJson('the file could not be read'), null);
    });
  }

  function setUpDropArea(area) {
    const textarea = document.getElementById('verify-text') || area.querySelector('textarea');
    const fileInput = document.getElementById('verify-file') ||
      area.querySelector('input[type="file"]');
    const button = document.getElementById('verify-button') ||
      area.querySelector('button:not([type="reset"])');

    if (textarea && button) {
      const form = button.form;
      if (form) {
        form.addEventListener('submit', function (event) {
          event.preventDefault();
          verifyUploadText(textarea.value);
        });
      } else {
        button.addEventListener('click', function (event) {
          event.preventDefault();
          verifyUploadText(textarea.value);
        });
      }
    }
    if (fileInput) {
      fileInput.addEventListener('change', function () {
        if (fileInput.files && fileInput.files[0]) verifyFile(fileInput.files[0]);
      });
    }
    area.addEventListener('dragover', function (event) {
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
      area.classList.add('is-dragover');
    });
    area.addEventListener('dragleave', function () {
      area.classList.remove('is-dragover');
    });
    area.addEventListener('drop', function (event) {
      event.preventDefault();
      area.classList.remove('is-dragover');
      const dt = event.dataTransfer;
      if (!dt) return;
      if (dt.files && dt.files.length) {
        verifyFile(dt.files[0]);
      } else {
        const text = dt.getData('text/plain');
        if (text) {
          if (textarea) textarea.value = text;
          verifyUploadText(text);
        }
      }
    });
  }

  // -------------------------------------------------------------------------------------------

  function start() {
    const t0 = performance.now();
    const drop = document.getElementById('verify-drop');
    if (drop) setUpDropArea(drop);
    const data = document.getElementById('credential-data');
    if (data) verifyCredentialPage(data, t0);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();

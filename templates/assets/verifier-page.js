/* credsite browser verifier: page glue.
 *
 * On a credential page (`#credential-data`): verifies the embedded credential, compares the
 * visible `data-f` text with the signed values, and writes `#verdict` and `#checks`.
 * On the /verify/ page it shows the verdict on a pasted or dropped credential for
 * verify-upload.js (`CredsiteVerifierPage`); that part, the ID look-up and the batch check
 * (verify-lookup.js, verify-batch.js) are in that page's script only.
 * Needs verifier-core.js (global `CredsiteVerifier`) loaded first.
 * After each result it dispatches `credsite:result` on document ({verdict, credential}).
 * Plain ES2020, no inline script, DOM built with textContent only.
 */
(function () {
  'use strict';

  // Texts in the reader's language: i18n.js (CredsiteI18n), first in every page script.
  const _ = window.CredsiteI18n.gettext;

  /** A translated sentence as parts: strings, and the values that are not strings (i18n.js). */
  function parts(text, values) {
    const out = [];
    let last = 0;
    text.replace(/%\((\w+)\)s/g, function (all, name, at) {
      out.push(text.slice(last, at), values[name] === undefined ? all : values[name]);
      last = at + all.length;
      return all;
    });
    out.push(text.slice(last));
    return out.filter(function (p) { return p !== ''; });
  }

  const MAX_UPLOAD_BYTES = 1024 * 1024;

  function title(verdict) {
    switch (verdict) {
      case 'verified': return _('Verified');
      case 'invalid': return _('Invalid');
      case 'expired': return _('Expired');
      case 'revoked': return _('Revoked');
      case 'cannot-verify': return _('Cannot verify');
      case 'copy': return _('Copy of a credential page');
      case 'framed': return _('Shown inside another page');
      default: return verdict;
    }
  }

  // Not-checked codes that mean "could not be checked" (docs/design.md, verification checklist).
  const UNAVAILABLE_CODES = ['did-unavailable', 'unsupported', 'status-unavailable'];

  function statusWord(status) {
    switch (status) {
      case 'passed': return _('Passed');
      case 'failed': return _('Failed');
      case 'warning': return _('Warning');
      case 'not-checked': return _('Not checked');
      default: return status;
    }
  }

  function core() {
    return typeof window.CredsiteVerifier === 'object' ? window.CredsiteVerifier : null;
  }

  /** GET `url` (verifier-core.js fetchWithin: no cache, a time limit); resolves to a Response
   *  with an OK status, rejects with a reason. */
  function get(url, credentials) {
    return core().fetchWithin(url, credentials).then(function (response) {
      if (!response.ok) throw new Error('HTTP ' + response.status);
      return response;
    });
  }

  /** The Resource Timing entries of `url` so far. */
  function timingsOf(url) {
    if (typeof performance === 'undefined' || !performance.getEntriesByName) return null;
    return performance.getEntriesByName(url);
  }

  /**
   * The DID document, a status list or the freshness statement, as fresh as the network gives
   * it. A credential page announces them (<link rel=preload>) so they load beside the scripts;
   * a same-origin fetch with the preload's credentials mode takes that response. It is used only
   * where it proves that it came from the server: once its body is in, every Resource Timing
   * entry of the URL (the preload's among them) has a transferSize,
   * as a response from the network or a revalidated one (a 304: the build's `_headers` makes
   * these documents `no-cache` on Netlify and Cloudflare Pages) has. One from the browser's HTTP
   * cache (transferSize 0: GitHub Pages lets browsers keep every file for ten minutes), or one
   * without an entry yet, is fetched again, never cached (credentials 'omit' never matches a
   * preload), so a revocation published since always counts.
   */
  async function fetchFresh(href, sameOrigin) {
    if (!sameOrigin || timingsOf(href) === null) return get(href, 'omit');
    const response = await get(href, 'same-origin');
    // Too large for readJson, which says so; nothing here is worth reading it for.
    if (Number(response.headers.get('content-length')) > MAX_UPLOAD_BYTES * 4) return response;
    const body = await response.arrayBuffer();
    await new Promise(function (resolve) { setTimeout(resolve, 0); });
    // Every fetch of it so far, the preload's included, came from the server.
    const timings = timingsOf(href);
    const fromServer = timings.length > 0 && timings.every(function (entry) { return entry.transferSize > 0; });
    if (!fromServer) return get(href, 'omit');
    return new Response(body, { status: response.status, headers: response.headers });
  }

  // URL (without its query) → fetchFresh of an announced document, started when this script runs.
  const announced = new Map();

  /**
   * fetchFresh for each document the page announces, started now rather than when the verifier
   * asks. The build announces the DID document, the status list and the freshness statement
   * with the credential's ID as a query (`/status/1?<ID>`; static hosts ignore it), so that a
   * browser which keeps files for a while (GitHub Pages: max-age=600) has no copy of them when an
   * employer opens a second credential: the preload goes to the server beside the record, and
   * the verifier, asking for `/status/1`, is given that answer. Should it still have come from
   * the HTTP cache (the same page opened again), fetchFresh fetches it again, as early as it can.
   * The record is not among them: its signature decides, not its age.
   */
  function fetchAnnounced(recordUrl) {
    if (location.protocol === 'file:') return;
    for (const link of document.querySelectorAll('link[rel="preload"][as="fetch"]')) {
      const url = link.href;
      if (!url || url === recordUrl) continue;
      const parsed = new URL(url);
      const key = parsed.origin + parsed.pathname;
      if (parsed.origin !== location.origin || announced.has(key)) continue;
      const response = fetchFresh(url, true);
      response.catch(function () { /* fetchJson reports it, if the verifier asks for it */ });
      announced.set(key, response);
    }
  }

  function fetchJson(url) {
    let absolute;
    try {
      absolute = new URL(url, location.href);
    } catch {
      return Promise.reject(new Error(_('not a URL')));
    }
    const sameOrigin = absolute.origin === location.origin && location.protocol !== 'file:';
    const early = announced.get(absolute.href);
    const response = early
      ? early.then(function (r) { return r.clone(); })
      : fetchFresh(absolute.href, sameOrigin);
    return response.then(function (r) {
      return core().readJson(r, absolute.href);
    });
  }

  /**
   * The web build publishes a credential's record once, as /c/<ID>.json, and the page names it
   * in `data-src` (a portable copy embeds it instead). Loaded, it is put into the page's
   * #credential-data, where the sharing and e-mail tools read it, and `credsite:record` is
   * dispatched on document. Any copy of the record will do: the signature decides.
   */
  function loadRecord(dataNode) {
    const src = dataNode.getAttribute('data-src');
    if (!src || dataNode.textContent.trim()) return Promise.resolve();
    return get(new URL(src, location.href).href, 'same-origin').then(function (response) {
      if (Number(response.headers.get('content-length')) > MAX_UPLOAD_BYTES) {
        throw new Error(_('the record is larger than a credential can be'));
      }
      return response.text();
    }).then(function (text) {
      if (text.length > MAX_UPLOAD_BYTES) throw new Error(_('the record is larger than a credential can be'));
      dataNode.textContent = text;
      document.dispatchEvent(new CustomEvent('credsite:record'));
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

  /**
   * The verdict sentence, as a list of parts: strings, and {holder: name} for the holder's name,
   * which is shown as a quoted, styled value so that a name cannot read as part of the sentence.
   * The issuer is named from the site this page belongs to (the build pins its DID and name),
   * with the domain that vouches for the credential. Each sentence is one message with
   * placeholders, so that a translation may order its parts as its language needs.
   */
  function sentenceFor(verdict, checks, credential) {
    const d = describe(credential);
    const what = d.name ? (d.code ? d.name + ' (' + d.code + ')' : d.name) : _('this credential');
    const site = pinnedSite();
    // The site's own name (its build pins it with the DID), never the credential's issuer.name:
    // a credential's text names whatever its signer wrote. Only a page without a pinned site
    // (none that the build writes) falls back to the credential.
    const issuer = site ? (site.issuerName || _('the issuer')) : (d.issuer || _('the issuer'));
    const holder = d.holder ? { holder: d.holder } : _('the holder');
    const say = function (text, values) {
      return parts(text, Object.assign({ holder: holder, what: what, issuer: issuer }, values || {}));
    };
    const reasonOf = function (predicate) {
      const check = firstCheck(checks, predicate);
      return check ? check.reason : '';
    };
    const hasCode = function (name, code) {
      return !!firstCheck(checks, function (c) { return c.name === name && c.code === code; });
    };
    switch (verdict) {
      case 'verified': {
        const status = firstCheck(checks, function (c) { return c.name === 'status'; });
        const values = { date: d.validFrom, domain: vouchingDomain(credential) };
        if (status && status.status === 'passed' && status.code === 'as-published') {
          return d.validFrom
            ? say(_('%(holder)s holds %(what)s, issued by %(issuer)s on %(date)s — verified by %(domain)s. The signature, dates and revocation status check out; the revocation status is as published (this site does not sign status freshness).'), values)
            : say(_('%(holder)s holds %(what)s, issued by %(issuer)s — verified by %(domain)s. The signature, dates and revocation status check out; the revocation status is as published (this site does not sign status freshness).'), values);
        }
        if (status && status.status === 'passed') {
          return d.validFrom
            ? say(_('%(holder)s holds %(what)s, issued by %(issuer)s on %(date)s — verified by %(domain)s. The signature, dates and revocation status all check out.'), values)
            : say(_('%(holder)s holds %(what)s, issued by %(issuer)s — verified by %(domain)s. The signature, dates and revocation status all check out.'), values);
        }
        return d.validFrom
          ? say(_('%(holder)s holds %(what)s, issued by %(issuer)s on %(date)s — verified by %(domain)s. The signature and dates check out.'), values)
          : say(_('%(holder)s holds %(what)s, issued by %(issuer)s — verified by %(domain)s. The signature and dates check out.'), values);
      }
      case 'invalid': {
        if (hasCode('format', 'wrong-issuer')) return [wrongIssuerSentence(credential)];
        if (hasCode('page', 'page-altered') || hasCode('page', 'hidden-field')) {
          return say(_('Do not rely on this page: its text does not match the signed credential, which names %(holder)s as its holder.'));
        }
        const failure = reasonOf(function (c) { return c.status === 'failed'; });
        return d.holder
          ? say(_('Do not rely on this credential (it names %(holder)s as its holder): %(reason)s.'), { reason: failure })
          : say(_('Do not rely on this credential: %(reason)s.'), { reason: failure });
      }
      case 'expired':
        return say(_('%(what)s of %(holder)s was issued by %(issuer)s but %(reason)s.'),
          { reason: reasonOf(function (c) { return c.name === 'validity'; }) });
      case 'revoked':
        return say(_('%(issuer)s has revoked %(what)s of %(holder)s.'));
      case 'cannot-verify': {
        // Signed and in date, but the status list may be an old copy (docs/design.md, "Status
        // freshness"): say when its status was last confirmed, never Verified.
        const stale = firstCheck(checks, function (c) { return c.name === 'status' && c.code === 'status-stale'; });
        if (stale && !firstCheck(checks, function (c) {
          return c.status === 'not-checked' && UNAVAILABLE_CODES.indexOf(c.code) >= 0;
        })) {
          return say(_('Signed by %(issuer)s for %(holder)s, but its %(reason)s; it may have been revoked since.'),
            { reason: stale.reason.replace(/^revocation status last/, 'revocation status was last') });
        }
        return say(_('This credential could not be checked: %(reason)s.'), {
          reason: reasonOf(function (c) {
            return c.status === 'not-checked' && UNAVAILABLE_CODES.indexOf(c.code) >= 0;
          }) || _('unknown problem'),
        });
      }
      case 'framed':
        return say(_('This page is shown inside another page, which can cover or change what you see. Open the page on its own to check the credential of %(holder)s.'));
      case 'copy':
        if (hasCode('origin', 'file-copy')) {
          return say(_('The credential of %(holder)s is genuine, but this copy was opened from a file on this device, not from the issuer\'s site %(domain)s.'),
            { domain: vouchingDomain(credential) });
        }
        return say(_('The credential of %(holder)s is genuine, but this page is a copy: %(reason)s.'),
          { reason: reasonOf(function (c) { return c.name === 'origin'; }) });
      default:
        return [''];
    }
  }

  /** The domain (host and base path) that vouches for a credential: its signed id's site. */
  function vouchingDomain(credential) {
    const site = pinnedSite();
    try {
      const url = new URL(site ? site.baseUrl : credential.id);
      const path = site ? url.pathname.replace(/\/$/, '') : url.pathname.replace(/\/c\/[^/]*$/, '');
      return url.host + path;
    } catch {
      return issuerHost(credential);
    }
  }

  /** Said on the site's own pages when a credential names another issuer (code wrong-issuer). */
  function wrongIssuerSentence(credential) {
    const claimed = isObj(credential) && isObj(credential.issuer) ? credential.issuer : {};
    const site = pinnedSite();
    const named = (typeof claimed.name === 'string' && claimed.name ? claimed.name : _('another issuer')) +
      (typeof claimed.id === 'string' ? ' (' + claimed.id + ')' : '');
    return site && site.issuerName
      ? _('%(site)s did not issue this credential. It says it was issued by %(named)s; only that issuer\'s own site can check it.',
        { site: site.issuerName, named: named })
      : _('This site\'s issuer did not issue this credential. It says it was issued by %(named)s; only that issuer\'s own site can check it.',
        { named: named });
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
    const a = el('a', 'verdict-original', _('Open the original page'));
    a.target = '_top';
    a.href = url.href;
    a.rel = 'noopener';
    return a;
  }

  /**
   * The issuer's logo for a verdict about a credential of this site (verified, expired, revoked):
   * the image the build pinned with the site's DID (`data-logo` of `<meta name="credsite">`), never
   * the credential's `issuer.image`, which says whatever its signer wrote. Null otherwise.
   */
  function issuerLogo(verdict) {
    if (['verified', 'expired', 'revoked'].indexOf(verdict) < 0) return null;
    const site = pinnedSite();
    if (!site || !site.issuerLogo) return null;
    let src;
    try {
      src = new URL(site.issuerLogo, location.href);
    } catch {
      return null;
    }
    if (src.origin !== location.origin) return null; // the site's own file only
    const img = el('img', 'verdict-logo');
    img.src = src.href;
    img.alt = '';
    return img;
  }

  /**
   * `#checks`: on /verify/ it is in the page; a credential page gets it here, with its first
   * result, in an open "Verification details" disclosure at the end of <main>. Without
   * JavaScript there is nothing to list, and the bytes stay off every credential page.
   */
  function checkList() {
    const list = document.getElementById('checks');
    if (list || !document.getElementById('credential-data')) return list;
    const details = el('details', 'checks-details');
    details.open = true;
    details.appendChild(el('summary', '', _('Verification details')));
    const made = el('ol', 'checks');
    made.id = 'checks';
    details.appendChild(made);
    (document.getElementById('main') || document.body).appendChild(details);
    return made;
  }

  function renderResult(result, credential) {
    const banner = document.getElementById('verdict');
    if (banner) {
      banner.setAttribute('data-verdict', result.verdict);
      banner.textContent = '';
      const logo = issuerLogo(result.verdict);
      if (logo) banner.appendChild(logo);
      banner.appendChild(el('h2', 'verdict-title', title(result.verdict)));
      const p = el('p', 'verdict-text');
      for (const part of sentenceFor(result.verdict, result.checks, credential)) {
        if (typeof part === 'string') p.appendChild(document.createTextNode(part));
        else p.appendChild(el('q', 'verdict-holder', part.holder));
      }
      if (result.verdict === 'copy' || result.verdict === 'framed') {
        const link = originalLink(credential);
        if (link) {
          p.appendChild(document.createTextNode(' '));
          p.appendChild(link);
        }
      }
      banner.appendChild(p);
    }
    const list = checkList();
    if (list) {
      const V = core();
      const labels = V ? V.CHECK_LABELS : {}; // without the core script, show check names
      list.textContent = '';
      for (const check of result.checks) {
        const li = el('li', 'check');
        li.setAttribute('data-check', check.name);
        li.setAttribute('data-status', check.status);
        li.setAttribute('data-code', check.code || '');
        li.appendChild(el('span', 'check-label', labels[check.name] || check.name));
        li.appendChild(document.createTextNode(' '));
        li.appendChild(el('span', 'check-status', statusWord(check.status)));
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

  // [not on credential pages]: /verify/ only (verify-upload.js)
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
  // [end]

  function cannotVerify(reason) {
    return {
      verdict: 'cannot-verify',
      checks: [{ name: 'signature', status: 'not-checked', code: 'unsupported', reason: reason }],
    };
  }

  function notJson(reason) {
    return {
      verdict: 'invalid',
      checks: [{ name: 'format', status: 'failed', code: 'malformed', reason: reason }],
    };
  }

  /** The site this page belongs to, from the build's <meta> elements, or null. */
  function pinnedSite() {
    return core() ? core().siteOfPage(document) : null;
  }

  /** Verify; a missing script or missing WebCrypto/Ed25519 gives cannot-verify with the reason. */
  async function runVerification(credential, text, pageKind) {
    const V = core();
    if (!V) return cannotVerify(_('the verifier script (verifier-core.js) did not load'));
    // verifyCredential itself reports missing WebCrypto / Ed25519 as cannot-verify with the reason.
    return V.verifyCredential(credential, {
      now: new Date(),
      fetchJson: fetchJson,
      site: pinnedSite(),
      pageUrl: location.href,
      pageKind: pageKind,
      framed: core().isFramed(),
      text: text,
    });
  }

  // -------------------------------------------------------------------------------------------
  // Credential page

  function quote(text) {
    return '"' + text + '"';
  }

  // checkVisibility() with every option (CSSOM View): display, content-visibility (a closed
  // <details>), visibility and opacity.
  const VISIBILITY_OPTIONS = {
    checkOpacity: true, checkVisibilityCSS: true, contentVisibilityAuto: true,
    opacityProperty: true, visibilityProperty: true,
  };

  /**
   * Hit tests at points of the page (document coordinates), for hiddenReason. A point is tested
   * where it is: only one outside the middle of the viewport (the middle 60 % of its height) is
   * first scrolled to the middle, where no sticky header or footer sits, and `finish` scrolls
   * back once all are done, within the same task, so nothing moves on screen. Each scroll costs
   * a layout; a phone tests a dozen fields with two or three instead of two each.
   */
  function hitTester() {
    const x0 = window.scrollX;
    const y0 = window.scrollY;
    let moved = false;
    return {
      at: function (x, y) {
        const w = window.innerWidth;
        const h = window.innerHeight;
        let vx = x - window.scrollX;
        let vy = y - window.scrollY;
        if (!(vx >= 0 && vx < w && vy >= h * 0.2 && vy <= h * 0.8)) {
          window.scrollTo({ left: Math.max(0, x - w / 2), top: Math.max(0, y - h / 2), behavior: 'instant' });
          moved = true;
          vx = x - window.scrollX;
          vy = y - window.scrollY;
        }
        return document.elementFromPoint(vx, vy);
      },
      finish: function () {
        if (moved) window.scrollTo({ left: x0, top: y0, behavior: 'instant' });
      },
    };
  }

  /**
   * Why the reader may not really see `node`, or null: it (or an ancestor) is hidden, it has no
   * box inside the page, or something else is drawn over its middle (`tester`: hitTester).
   */
  function hiddenReason(node, tester) {
    if (typeof node.checkVisibility === 'function' && !node.checkVisibility(VISIBILITY_OPTIONS)) {
      return _('is hidden');
    }
    const rect = node.getBoundingClientRect();
    if (!(rect.width > 0 && rect.height > 0)) return _('has no visible box');
    const root = document.documentElement;
    const left = rect.left + window.scrollX;
    const top = rect.top + window.scrollY;
    if (left + rect.width <= 0 || top + rect.height <= 0 ||
      left >= root.scrollWidth || top >= root.scrollHeight) {
      return _('is outside the page');
    }
    const hit = tester.at(left + rect.width / 2, top + rect.height / 2);
    if (hit && hit !== node && !node.contains(hit)) return _('is covered by another element');
    return null;
  }

  /** The text the reader sees in `node`: its innerText (CSS applied), spaces collapsed. */
  function shownText(node) {
    return normalizeText(typeof node.innerText === 'string' ? node.innerText : node.textContent);
  }

  /** The page check's field by field part (checkPageFields): each signed field shown, visible
   *  and with its signed value; problems are added to `altered` and `hidden`. */
  function fieldProblems(fields, tester, altered, hidden) {
    for (const expected of fields) {
      const nodes = document.querySelectorAll('[data-f="' + expected.field + '"]');
      if (expected.text === null) {
        if (expected.optional) {
          // Not signed, so the page must not show it.
          for (const node of nodes) {
            altered.push(expected.field === 'valid-until'
              ? _('page altered: %(field)s shows %(shown)s, but the signed credential does not expire',
                { field: expected.field, shown: quote(shownText(node)) })
              : _('page altered: %(field)s shows %(shown)s, but the signed credential has no such value',
                { field: expected.field, shown: quote(shownText(node)) }));
          }
        } else {
          altered.push(_('page altered: %(field)s has no signed value', { field: expected.field }));
        }
        continue;
      }
      if (!nodes.length) {
        altered.push(_('page altered: %(field)s is not shown, signed value is %(signed)s',
          { field: expected.field, signed: quote(expected.text) }));
        continue;
      }
      for (const node of nodes) {
        const why = hiddenReason(node, tester);
        if (why) hidden.push(_('page altered: %(field)s %(why)s', { field: expected.field, why: why }));
        // A hidden node renders no text: compare what it holds, so the reason says "hidden".
        const shown = why ? normalizeText(node.textContent) : shownText(node);
        // A date is its <time datetime> (below); its text is any formatting of it, which the
        // whole-text check reads (certificateParts).
        if (!expected.datetime && shown !== normalizeText(expected.text)) {
          altered.push(_('page altered: %(field)s shows %(shown)s, signed value is %(signed)s',
            { field: expected.field, shown: quote(shown), signed: quote(expected.text) }));
          node.textContent = expected.text;
        }
        if (expected.datetime) {
          const attr = node.tagName === 'TIME' ? node.getAttribute('datetime') : null;
          if (attr !== expected.datetime) {
            altered.push(_('page altered: %(field)s datetime shows %(shown)s, signed value is %(signed)s',
              { field: expected.field, shown: quote(attr === null ? '' : attr), signed: quote(expected.datetime) }));
          }
          if (node.tagName === 'TIME') node.setAttribute('datetime', expected.datetime);
        }
      }
    }
  }

  /**
   * The `page` check: every signed field is shown, really visible, with the signed value (dates
   * by their <time datetime>); an unsigned optional field is not shown at all. A field that
   * shows another value is corrected on the page, so the reader sees the signed one. Then the
   * certificate's whole visible text must be its labels and the signed values, nothing more
   * (certificateTextProblem): text added anywhere in it fails the check.
   */
  function checkPageFields(credential) {
    const V = core();
    const altered = [];
    const hidden = [];
    const tester = hitTester();
    try {
      fieldProblems(V.pageFields(credential), tester, altered, hidden);
    } finally {
      tester.finish();
    }
    if (altered.length) {
      return { name: 'page', status: 'failed', code: 'page-altered', reason: altered.concat(hidden).join('; ') };
    }
    if (hidden.length) {
      return { name: 'page', status: 'failed', code: 'hidden-field', reason: hidden.join('; ') };
    }
    const whole = certificateTextProblem(credential);
    if (whole) return { name: 'page', status: 'failed', code: 'page-altered', reason: whole };
    return {
      name: 'page', status: 'passed', code: 'ok',
      reason: _('the certificate shows exactly its labels and the signed credential\'s values, ' +
        'and every field is visible'),
    };
  }

  // -------------------------------------------------------------------------------------------
  // The certificate's whole text (issue 16): everything the certificate region shows must be
  // the page's own labels and the signed values, in the order of the template. Label texts are
  // read from the page's label elements (`data-l`), so a translated page (labels localized
  // in the browser or by the build) is compared in its own words; dates are checked by their
  // <time datetime> and by the numbers their text shows, never by one formatting of them.

  /** The whole text as compared: every white space removed (innerText puts line breaks and
   *  tabs where CSS makes blocks and cells, which no rendering from data can predict). */
  function squash(text) {
    return String(text).replace(/\s+/g, '');
  }

  function rawText(node) {
    return typeof node.innerText === 'string' ? node.innerText : node.textContent;
  }

  /** Whether `node` adds its text to its ancestors' innerText (not display: none, not in a
   *  closed <details>, not visibility: hidden); for such a node innerText gives textContent. */
  function rendered(node) {
    return typeof node.checkVisibility !== 'function' ||
      node.checkVisibility({ contentVisibilityAuto: true, visibilityProperty: true });
  }

  /** The words (letters only, lower case) that the browser's own long and medium formats of
   *  `when` use in the page's language and in English: "march"; "de", "marzo". */
  function dateWords(when) {
    const words = new Set();
    const lang = document.documentElement.lang || 'en';
    for (const locale of [lang, 'en']) {
      for (const style of ['long', 'medium']) {
        let text;
        try {
          text = new Intl.DateTimeFormat(locale, { dateStyle: style, timeZone: 'UTC' }).format(when);
        } catch {
          continue; // an unknown language tag
        }
        for (const word of text.toLowerCase().match(/\p{L}+/gu) || []) words.add(word);
      }
    }
    return words;
  }

  /**
   * Why a date's visible text is not a rendering of `iso`, or null. The date is compared by its
   * <time datetime>; its text may be any formatting of it (the build's or the browser's, in the
   * page's language: "March 14, 2026", "14 de marzo de 2026") but may say nothing else: no
   * number but the day, the month and the year (which it must show), and no word that the
   * browser's own formats of that date in the page's language or in English do not use.
   */
  function dateTextProblem(text, iso) {
    const when = new Date(iso);
    if (!iso || Number.isNaN(when.getTime())) return _('has no signed date');
    const shown = normalizeText(text);
    const wrong = _('shows %(shown)s, signed date is %(date)s', { shown: quote(shown), date: iso.slice(0, 10) });
    if (!shown || shown.length > 40) return wrong;
    const year = when.getUTCFullYear();
    const allowed = [when.getUTCDate(), when.getUTCMonth() + 1, year, year % 100];
    const numbers = (shown.match(/\d+/g) || []).map(Number);
    if (numbers.indexOf(year) < 0 || numbers.some(function (n) { return allowed.indexOf(n) < 0; })) {
      return wrong;
    }
    const shownWords = shown.toLowerCase().match(/\p{L}+/gu) || [];
    // The English long format's only word is the month's name ("March 14, 2026"): a text with no
    // other word passes without Intl, whose first formatter costs about 120 ms on a phone
    // (verifier-core.js formatDate); anything else is judged by the browser's formats.
    const month = core() ? core().MONTHS[when.getUTCMonth()].toLowerCase() : null;
    if (shownWords.every(function (w) { return w === month; })) return null;
    const words = dateWords(when);
    if (shownWords.some(function (w) { return !words.has(w); })) return wrong;
    return null;
  }

  // Elements that draw something other than text: in the certificate, only its badge and the QR.
  const PICTURES = 'img, svg, canvas, video, picture, object, embed, iframe, input, textarea';

  /** {parts, problems}: the certificate's expected text, piece by piece, from the signed data
   *  and the page's labels; problems: what is missing or not allowed. */
  function certificateParts(credential, cert) {
    const V = core();
    const fields = {};
    for (const f of V.pageFields(credential)) fields[f.field] = f;
    const has = function (name) { return !!fields[name] && fields[name].text !== null; };
    const parts = [];
    const problems = [];
    const label = function (key, optional) {
      const nodes = cert.querySelectorAll('[data-l="' + key + '"]');
      if (nodes.length !== 1) {
        if (nodes.length || !optional) {
          problems.push(_('page altered: the certificate has %(count)s "%(label)s" labels, not one',
            { count: nodes.length, label: key }));
        }
        return false;
      }
      if (rendered(nodes[0])) parts.push(rawText(nodes[0]));
      return true;
    };
    const signed = function (name) {
      if (has(name)) parts.push(fields[name].text);
    };
    const date = function (name) {
      const nodes = cert.querySelectorAll('time[data-f="' + name + '"]');
      if (nodes.length !== 1) return; // the field check reports it
      const text = rawText(nodes[0]);
      const why = dateTextProblem(text, fields[name].datetime);
      if (why) problems.push(_('page altered: %(field)s %(why)s', { field: name, why: why }));
      parts.push(text);
    };
    label('certifies');
    signed('holder');
    label('earned');
    signed('credential-name');
    signed('credential-code');
    parts.push('·');
    label('level');
    parts.push('·');
    label('group');
    signed('description');
    label('awarded');
    date('valid-from');
    label('valid-until');
    if (has('valid-until')) date('valid-until');
    else label('no-expiry');
    for (const part of ['performance', 'theory']) {
      if (!has('result-' + part)) continue;
      label('exam-' + part);
      signed('result-' + part);
    }
    label('credential-id');
    signed('credential-id');
    parts.push('-' + V.checkSymbol(has('credential-id') ? fields['credential-id'].text : ''));
    label('issued-by');
    signed('issuer-name');
    if (has('test-site')) {
      label('test-site');
      signed('test-site');
    }
    // The QR code's caption: the label and the permanent URL (the signed id), while shown (the
    // stylesheet hides the QR code until the verdict, and on revoked pages there is none).
    const url = cert.querySelectorAll('a.cert-url');
    if (label('scan', true) && url.length === 1 && rendered(url[0])) parts.push(credential.id);
    label('demo', true);
    for (const node of cert.querySelectorAll(PICTURES)) {
      if (node.matches('img.cert-badge') || node.closest('.cert-qr')) continue;
      problems.push(_('page altered: the certificate shows a %(element)s that the page does not have',
        { element: node.tagName.toLowerCase() }));
    }
    return { parts: parts, problems: problems };
  }

  /** The `page` check's whole-text part: null when the certificate shows exactly its labels and
   *  the signed values, else a reason. */
  function certificateTextProblem(credential) {
    const cert = document.querySelector('article.cert');
    if (!cert) return _('page altered: the certificate is missing');
    const built = certificateParts(credential, cert);
    if (built.problems.length) return built.problems.join('; ');
    const expected = squash(built.parts.join(''));
    const actual = squash(rawText(cert));
    if (expected === actual) return null;
    let at = 0;
    while (at < expected.length && at < actual.length && expected[at] === actual[at]) at += 1;
    const excerpt = function (text) {
      return quote(text.slice(at, at + 40) + (text.length > at + 40 ? '…' : ''));
    };
    if (at >= actual.length) {
      return _('page altered: the certificate lacks signed text (%(text)s)', { text: excerpt(expected) });
    }
    return _('page altered: the certificate shows text that is not in the signed credential: %(text)s',
      { text: excerpt(actual) });
  }

  /** Shows `result` once the texts its checks write later are in (i18n.js, `resolve`: the
   *  credential page's script leaves out the explanations of failed checks). */
  function show(result, credential) {
    const I18n = window.CredsiteI18n;
    return (I18n && I18n.resolve ? I18n.resolve(result) : Promise.resolve(result))
      .then(function (texts) { renderResult(texts, credential); });
  }

  async function verifyCredentialPage(dataNode, t0) {
    let credential = null;
    let result;
    try {
      credential = JSON.parse(dataNode.textContent);
    } catch {
      result = notJson(_('the embedded credential is not valid JSON'));
    }
    if (!result) {
      try {
        result = await runVerification(credential, dataNode.textContent, 'credential');
        if (core()) {
          result.checks.push(checkPageFields(credential));
          result.verdict = core().decideVerdict(result.checks);
        }
      } catch (err) {
        result = cannotVerify(_('the verifier failed: %(error)s', { error: err && err.message ? err.message : String(err) }));
      }
    }
    // The page has been read as served: now its dates and <html lang> may follow the reader.
    if (window.CredsiteI18n) window.CredsiteI18n.finishPage();
    await show(result, credential);
    document.documentElement.dataset.verifyMs = String(Math.round((performance.now() - t0) * 10) / 10);
  }

  // [not on credential pages]
  // The /verify/ page's paste, file and drag-and-drop (verify-upload.js, in that page's script
  // only) verify and show their verdict with these.
  window.CredsiteVerifierPage = Object.freeze({
    renderResult: renderResult,
    renderPending: renderPending,
    runVerification: runVerification,
    cannotVerify: cannotVerify,
    notJson: notJson,
    MAX_UPLOAD_BYTES: MAX_UPLOAD_BYTES,
  });
  // [end]

  // -------------------------------------------------------------------------------------------

  function start() {
    const t0 = performance.now();
    const data = document.getElementById('credential-data');
    if (data) {
      const src = data.getAttribute('data-src');
      fetchAnnounced(src ? new URL(src, location.href).href : null);
      loadRecord(data).then(function () {
        return verifyCredentialPage(data, t0);
      }, function (err) {
        if (window.CredsiteI18n) window.CredsiteI18n.finishPage();
        show(cannotVerify(_('the credential record could not be loaded (%(error)s)',
          { error: err && err.message ? err.message : String(err) })), null);
      });
    }
  }

  // The page's texts are translated first (i18n.js, `ready`), then checked: the page check
  // compares what the reader sees, in the language they see it in.
  function startTranslated() {
    if (window.CredsiteI18n) window.CredsiteI18n.whenReady(start);
    else start();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', startTranslated);
  else startTranslated();
})();

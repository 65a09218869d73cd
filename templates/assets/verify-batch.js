/* credsite /verify/ page: many credentials at once, and a list of required credentials.
 *
 * A registrar or an employer with a stack of résumés pastes links, IDs (typed as printed, with or
 * without the check character) or credential JSON, and chooses or drops many files (.json, a
 * .jsonl award batch, or a baked badge .png/.svg with the credential inside). Each item is verified
 * in this browser with CredsiteVerifier.verifyCredential, the same checklist as a credential
 * page; the results are one table (input, holder, credential, awarded, verdict, reason) that can
 * be saved as CSV. Nothing leaves the browser except the requests a credential page makes too:
 * the credential record for a link or an ID, the issuer's DID document and status list (each
 * fetched once per batch). With required credential codes, a second table says for each holder
 * which are held and verified, missing, revoked, expired or not verified.
 * Needs verifier-core.js (global `CredsiteVerifier`) and verify-lookup.js (`CredsiteTypedId`).
 * Plain ES2020, no inline script, DOM built with textContent only.
 */
(function () {
  'use strict';

  // Texts in the reader's language: i18n.js (CredsiteI18n), first in every page script.
  const _ = window.CredsiteI18n.gettext;

  const MAX_ITEM_BYTES = 1024 * 1024;
  const MAX_ITEMS = 1000;
  const PARALLEL = 4;
  const FROM_FILE = location.protocol === 'file:';
  const ID_IN_URL = /\/c\/([0-9A-HJKMNP-TV-Z]{16})(?:\.json|\.html)?\/?$/;

  function title(verdict) {
    switch (verdict) {
      case 'verified': return _('Verified');
      case 'invalid': return _('Invalid');
      case 'expired': return _('Expired');
      case 'revoked': return _('Revoked');
      case 'cannot-verify': return _('Cannot verify');
      case 'copy': return _('Copy (genuine, other host)');
      case 'typo': return _('Typo in the ID');
      case 'unknown': return _('No such credential');
      case 'unreadable': return _('Not a credential');
      default: return verdict;
    }
  }

  /** "3 verified", "1 with a typo in the ID": how many items had a verdict. */
  function counted(verdict, n) {
    const values = { n: n };
    switch (verdict) {
      case 'verified': return ngettext('%(n)s verified', '%(n)s verified', n, values);
      case 'invalid': return ngettext('%(n)s invalid', '%(n)s invalid', n, values);
      case 'expired': return ngettext('%(n)s expired', '%(n)s expired', n, values);
      case 'revoked': return ngettext('%(n)s revoked', '%(n)s revoked', n, values);
      case 'cannot-verify': return ngettext('%(n)s could not be verified', '%(n)s could not be verified', n, values);
      case 'copy': return ngettext('%(n)s copy', '%(n)s copies', n, values);
      case 'typo': return ngettext('%(n)s with a typo in the ID', '%(n)s with a typo in the ID', n, values);
      case 'unknown': return ngettext('%(n)s with no such credential', '%(n)s with no such credential', n, values);
      case 'unreadable': return ngettext('%(n)s not a credential', '%(n)s not credentials', n, values);
      default: return n + ' ' + verdict;
    }
  }

  const ngettext = window.CredsiteI18n.ngettext;

  function core() {
    return typeof window.CredsiteVerifier === 'object' ? window.CredsiteVerifier : null;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function isObj(v) {
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  }

  function siteRoot() {
    const form = document.getElementById('lookup');
    if (form && form.dataset.base) return new URL(form.dataset.base, location.href).href.replace(/\/?$/, '/');
    const at = location.pathname.lastIndexOf('/verify/');
    return new URL(at >= 0 ? location.pathname.slice(0, at + 1) : '/', location.href).href;
  }

  // -------------------------------------------------------------------------------------------
  // Items: what was pasted or dropped, one per credential to check

  function credentialItems(text, label) {
    const trimmed = text.trim();
    if (!trimmed) return [];
    try {
      const value = JSON.parse(trimmed);
      if (Array.isArray(value)) {
        return value.map(function (v, i) {
          return { label: label + ' [' + (i + 1) + ']', credential: v, text: JSON.stringify(v) };
        });
      }
      return [{ label: label, credential: value, text: trimmed }];
    } catch {
      // an award batch (.jsonl): one credential per line
      const lines = trimmed.split(/\r?\n/);
      if (lines.length > 1) {
        const items = [];
        lines.forEach(function (line, i) {
          if (line.trim()) items.push.apply(items, credentialItems(line, label + ' line ' + (i + 1)));
        });
        return items;
      }
      return [{ label: label, problem: 'unreadable', reason: _('not valid JSON') }];
    }
  }

  /** Items from pasted text: each line a link, an ID or a credential (JSON, possibly pretty). */
  function textItems(text) {
    const trimmed = text.trim();
    if (!trimmed) return [];
    if (trimmed[0] === '{' || trimmed[0] === '[') {
      try {
        JSON.parse(trimmed);
        return credentialItems(trimmed, _('pasted JSON'));
      } catch { /* one credential per line, below */ }
    }
    const items = [];
    trimmed.split(/\r?\n/).forEach(function (raw, i) {
      const line = raw.trim();
      if (!line) return;
      const label = line.length > 80 ? line.slice(0, 77) + '…' : line;
      if (line[0] === '{') {
        items.push.apply(items, credentialItems(line, 'line ' + (i + 1)));
      } else if (/^https?:\/\//i.test(line)) {
        items.push({ label: label, link: line });
      } else {
        items.push({ label: label, typed: line });
      }
    });
    return items;
  }

  /** The credential text baked into a PNG (iTXt "openbadgecredential") or an SVG badge. */
  function bakedText(bytes, name) {
    const B = window.CredsiteBadge;
    if (!B) return null;
    if (/\.png$/i.test(name)) return B.readPng(bytes);
    if (/\.svg$/i.test(name)) return B.readSvg(new TextDecoder().decode(bytes));
    return null;
  }

  async function fileItems(files) {
    const items = [];
    for (const file of files) {
      if (file.size > MAX_ITEM_BYTES) {
        items.push({ label: file.name, problem: 'unreadable', reason: _('the file is too large to be a credential') });
        continue;
      }
      let bytes;
      try {
        bytes = new Uint8Array(await file.arrayBuffer());
      } catch {
        items.push({ label: file.name, problem: 'unreadable', reason: _('the file could not be read') });
        continue;
      }
      if (/\.(png|svg)$/i.test(file.name)) {
        const baked = bakedText(bytes, file.name);
        if (baked === null) items.push({ label: file.name, problem: 'unreadable', reason: _('no credential is baked into this image') });
        else items.push.apply(items, credentialItems(baked, file.name));
        continue;
      }
      let text;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        items.push({ label: file.name, problem: 'unreadable', reason: _('the file is not UTF-8 text') });
        continue;
      }
      const found = credentialItems(text, file.name);
      if (!found.length) items.push({ label: file.name, problem: 'unreadable', reason: _('the file is empty') });
      items.push.apply(items, found);
    }
    return items;
  }

  // -------------------------------------------------------------------------------------------
  // Checking one item

  function describe(credential) {
    const V = core();
    const c = isObj(credential) ? credential : {};
    const subject = isObj(c.credentialSubject) ? c.credentialSubject : {};
    const achievement = isObj(subject.achievement) ? subject.achievement : {};
    let awarded = '';
    if (typeof c.validFrom === 'string') {
      try {
        awarded = V.formatDate(c.validFrom);
      } catch { awarded = ''; }
    }
    return {
      holder: V.holderName(c) || '',
      name: typeof achievement.name === 'string' ? achievement.name : '',
      code: typeof achievement.humanCode === 'string' ? achievement.humanCode : '',
      id: V.credentialIdOf(c) || '',
      awarded: awarded,
    };
  }

  /** The reason beside a verdict in the table: the deciding check's (verifier-core.js). */
  function reasonFor(result) {
    if (result.verdict === 'verified') return _('signature, dates and revocation status check out');
    const reason = core().verdictReason(result);
    return reason || (result.verdict === 'revoked' ? _('revoked by the issuer') : '');
  }

  async function verifyText(credential, text, fetchJson) {
    const V = core();
    try {
      const result = await V.verifyCredential(credential, {
        now: new Date(), fetchJson: fetchJson, text: text,
        site: V.siteOfPage(document), pageUrl: location.href, pageKind: 'verify', framed: V.isFramed(),
      });
      return { verdict: result.verdict, reason: reasonFor(result), credential: credential };
    } catch (err) {
      return { verdict: 'cannot-verify', reason: _('the verifier failed: %(error)s', { error: err && err.message ? err.message : String(err) }), credential: credential };
    }
  }

  async function checkRecordAt(url, fetchJson, shownId) {
    const got = await core().fetchText(url, MAX_ITEM_BYTES);
    if (!got.ok) {
      if (got.status === 404 || got.status === 410) {
        return { verdict: 'unknown', reason: _('no credential with the ID %(id)s on this site', { id: shownId }) };
      }
      return {
        verdict: 'cannot-verify',
        reason: got.status ? got.error : _('could not fetch %(url)s (%(error)s)', { url: url, error: got.error }),
      };
    }
    let credential;
    try {
      credential = JSON.parse(got.text);
    } catch {
      return { verdict: 'unreadable', reason: _('%(url)s is not a credential record', { url: url }) };
    }
    return verifyText(credential, got.text, fetchJson);
  }

  async function checkItem(item, fetchJson) {
    if (item.problem) return { verdict: item.problem, reason: item.reason };
    if (item.credential !== undefined) return verifyText(item.credential, item.text, fetchJson);
    if (item.link) {
      let url;
      try {
        url = new URL(item.link);
      } catch {
        return { verdict: 'unreadable', reason: _('not a link') };
      }
      const match = ID_IN_URL.exec(url.pathname);
      if (!match) return { verdict: 'unreadable', reason: _('not a link to a credential page (…/c/ID)') };
      const record = url.origin + url.pathname.replace(ID_IN_URL, '/c/' + match[1] + '.json');
      return checkRecordAt(record, fetchJson, match[1]);
    }
    const parsed = window.CredsiteTypedId ? window.CredsiteTypedId.parse(item.typed) : { error: 'no parser' };
    if (parsed.error) return { verdict: 'unreadable', reason: _('neither a link, an ID nor a credential') };
    if (parsed.check === false) {
      return { verdict: 'typo', reason: _('the check character does not match the ID: compare it with the certificate') };
    }
    if (FROM_FILE) return { verdict: 'cannot-verify', reason: _('IDs can be looked up only on the issuer\'s site') };
    return checkRecordAt(siteRoot() + 'c/' + parsed.id + '.json', fetchJson, parsed.id);
  }

  // -------------------------------------------------------------------------------------------
  // Results: table, CSV, requirements

  function rowOf(item, result) {
    const d = result.credential !== undefined ? describe(result.credential) : { holder: '', name: '', code: '', id: '', awarded: '' };
    return {
      input: item.label, holder: d.holder, credential: d.name, code: d.code, id: d.id,
      awarded: d.awarded, verdict: result.verdict, reason: result.reason || '',
    };
  }

  function renderTable(rows, table) {
    const body = table.tBodies[0];
    body.textContent = '';
    rows.forEach(function (row, i) {
      const tr = el('tr');
      tr.setAttribute('data-verdict', row.verdict);
      tr.appendChild(el('td', 'batch-n', String(i + 1)));
      tr.appendChild(el('td', 'batch-input', row.input));
      tr.appendChild(el('td', null, row.holder));
      const cred = el('td', null, row.credential);
      if (row.code) {
        cred.appendChild(document.createTextNode(' '));
        cred.appendChild(el('span', 'code', '(' + row.code + ')'));
      }
      tr.appendChild(cred);
      tr.appendChild(el('td', 'nowrap', row.awarded));
      const verdict = el('td', 'batch-verdict');
      verdict.appendChild(el('span', 'batch-badge', title(row.verdict)));
      tr.appendChild(verdict);
      tr.appendChild(el('td', 'batch-reason', row.reason));
      body.appendChild(tr);
    });
  }

  /** One CSV field (RFC 4180), with a leading = + - @ made inert for spreadsheets. */
  function csvField(value) {
    let text = String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = '\'' + text;
    return '"' + text.replace(/"/g, '""') + '"';
  }

  function csvOf(rows) {
    const columns = ['input', 'holder', 'credential', 'code', 'id', 'awarded', 'verdict', 'reason'];
    const lines = [columns.join(',')];
    for (const row of rows) lines.push(columns.map(function (c) { return csvField(row[c]); }).join(','));
    return lines.join('\r\n') + '\r\n';
  }

  function parseCodes(text) {
    const codes = [];
    for (const part of String(text).toUpperCase().split(/[\s,;]+/)) {
      if (part && codes.indexOf(part) < 0) codes.push(part);
    }
    return codes;
  }

  const REQUIREMENT_RANK = { verified: 5, copy: 4, expired: 3, revoked: 2 };
  function requirementWord(state) {
    switch (state) {
      case 'verified': return _('held and verified');
      case 'copy': return _('held and verified (a copy from another host)');
      case 'expired': return _('expired');
      case 'revoked': return _('revoked');
      case 'invalid': return _('not verified (invalid)');
      case 'cannot-verify': return _('could not be verified');
      case 'missing': return _('missing');
      default: return state;
    }
  }

  /**
   * For each holder (by the name in the signed credentials), the state of each required code:
   * the best verdict among that holder's credentials of that code, or missing.
   */
  function requirements(rows, codes) {
    const holders = new Map();
    for (const row of rows) {
      if (!row.holder || !row.code) continue;
      if (!holders.has(row.holder)) holders.set(row.holder, {});
      const held = holders.get(row.holder);
      const rank = REQUIREMENT_RANK[row.verdict] || 1;
      if (!held[row.code] || rank > (REQUIREMENT_RANK[held[row.code]] || 1)) held[row.code] = row.verdict;
    }
    const out = [];
    holders.forEach(function (held, holder) {
      const states = codes.map(function (code) { return { code: code, state: held[code] || 'missing' }; });
      const met = states.every(function (s) { return s.state === 'verified' || s.state === 'copy'; });
      out.push({ holder: holder, met: met, states: states });
    });
    return out;
  }

  function renderRequirements(container, report, codes) {
    container.textContent = '';
    if (!codes.length) {
      container.hidden = true;
      return;
    }
    container.hidden = false;
    container.appendChild(el('h3', null, _('Required credentials: %(codes)s', { codes: codes.join(', ') })));
    if (!report.length) {
      container.appendChild(el('p', null, _('None of the items checked is a credential with a holder.')));
      return;
    }
    for (const entry of report) {
      const block = el('div', 'requirement-holder');
      block.setAttribute('data-holder', entry.holder);
      block.setAttribute('data-met', entry.met ? 'true' : 'false');
      const title = el('p', 'requirement-title');
      title.appendChild(el('strong', null, entry.holder));
      title.appendChild(document.createTextNode(': ' + (entry.met ? _('meets every requirement') : _('does not meet every requirement'))));
      block.appendChild(title);
      const list = el('ul', 'requirement-list');
      for (const s of entry.states) {
        const li = el('li');
        li.setAttribute('data-code', s.code);
        li.setAttribute('data-state', s.state);
        li.appendChild(el('span', 'code', s.code));
        li.appendChild(document.createTextNode(': ' + requirementWord(s.state)));
        list.appendChild(li);
      }
      block.appendChild(list);
      container.appendChild(block);
    }
  }

  function download(text, name) {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  // -------------------------------------------------------------------------------------------

  function setUp(section) {
    const input = document.getElementById('batch-input');
    const filesInput = document.getElementById('batch-files');
    const requireInput = document.getElementById('batch-require');
    const button = document.getElementById('batch-button');
    const status = document.getElementById('batch-status');
    const result = document.getElementById('batch-result');
    const table = document.getElementById('batch-table');
    const csvButton = document.getElementById('batch-csv');
    const reqBox = document.getElementById('batch-requirements');
    const drop = document.getElementById('batch-drop');
    if (!input || !button || !table || !status || !result) return;
    section.hidden = false;

    const fromQuery = new URLSearchParams(location.search).get('require');
    if (fromQuery && requireInput) requireInput.value = parseCodes(fromQuery).join(', ');

    let rows = [];
    let running = false;

    async function run(files) {
      if (running || !core()) return;
      running = true;
      button.disabled = true;
      section.setAttribute('aria-busy', 'true');
      try {
        const items = textItems(input.value).concat(await fileItems(files));
        if (!items.length) {
          status.textContent = _('Nothing to check: paste links, IDs or credentials, or choose files.');
          return;
        }
        if (items.length > MAX_ITEMS) {
          status.textContent = _('Too many items: at most %(max)s at once.', { max: MAX_ITEMS });
          return;
        }
        status.textContent = ngettext('Checking %(n)s item…', 'Checking %(n)s items…', items.length);
        const fetchJson = core().fetchJsonOnce();
        const results = new Array(items.length);
        let next = 0;
        let done = 0;
        const worker = async function () {
          while (next < items.length) {
            const i = next++;
            results[i] = await checkItem(items[i], fetchJson);
            done += 1;
            if (done % 10 === 0) status.textContent = _('Checked %(done)s of %(n)s…', { done: done, n: items.length });
          }
        };
        const workers = [];
        for (let w = 0; w < PARALLEL; w++) workers.push(worker());
        await Promise.all(workers);
        rows = items.map(function (item, i) { return rowOf(item, results[i]); });
        renderTable(rows, table);
        const counts = {};
        for (const row of rows) counts[row.verdict] = (counts[row.verdict] || 0) + 1;
        const summary = Object.keys(counts).map(function (v) { return counted(v, counts[v]); });
        const caption = table.caption || table.createCaption();
        caption.textContent = ngettext('%(n)s item checked: %(summary)s', '%(n)s items checked: %(summary)s', rows.length, { summary: summary.join(', ') });
        const codes = requireInput ? parseCodes(requireInput.value) : [];
        if (reqBox) renderRequirements(reqBox, requirements(rows, codes), codes);
        result.hidden = false;
        status.textContent = _('Done: %(caption)s.', { caption: caption.textContent });
        section.setAttribute('data-checked', String(rows.length));
        result.scrollIntoView({ block: 'start' });
      } finally {
        running = false;
        button.disabled = false;
        section.removeAttribute('aria-busy');
      }
    }

    button.addEventListener('click', function () {
      const chosen = filesInput && filesInput.files ? Array.from(filesInput.files) : [];
      run(chosen);
    });
    if (csvButton) {
      csvButton.addEventListener('click', function () {
        if (rows.length) download(csvOf(rows), 'credential-check-' + new Date().toISOString().slice(0, 10) + '.csv');
      });
    }
    if (drop) {
      drop.addEventListener('dragover', function (event) {
        event.preventDefault();
        if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
        drop.classList.add('is-dragover');
      });
      drop.addEventListener('dragleave', function () { drop.classList.remove('is-dragover'); });
      drop.addEventListener('drop', function (event) {
        event.preventDefault();
        drop.classList.remove('is-dragover');
        const dt = event.dataTransfer;
        if (!dt) return;
        if (dt.files && dt.files.length) {
          run(Array.from(dt.files));
        } else {
          const text = dt.getData('text/plain');
          if (text) input.value = (input.value.trim() ? input.value.trim() + '\n' : '') + text;
        }
      });
    }
  }

  window.CredsiteBatch = { textItems: textItems, csvOf: csvOf, requirements: requirements, parseCodes: parseCodes };

  function start() {
    const section = document.getElementById('batch');
    if (section) setUp(section);
  }

  // Texts are written once the page's language is known and loaded (i18n.js).
  function whenTranslated() {
    if (window.CredsiteI18n) window.CredsiteI18n.whenReady(start);
    else start();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', whenTranslated);
  else whenTranslated();
})();

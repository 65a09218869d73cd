/* credsite: baked badges, the Open Badges 3.0 way, made in the browser.
 *
 * Open Badges 3.0 §5.3 "Badge Baking": a PNG badge carries the credential in an `iTXt` chunk with
 * the keyword `openbadgecredential` (no compression, no language tag); an SVG badge carries it in
 * an `<openbadges:credential>` element (namespace https://purl.imsglobal.org/ob/v3p0), the JSON of
 * a credential with an embedded proof inside CDATA. A backpack or wallet that accepts a badge
 * image reads the credential from it, and anyone can still verify it.
 *
 * On a credential page, two links in the sharing tools make such a file from the site's badge
 * image and the signed record (`c/<ID>.json`, byte for byte), so the site stores nothing more
 * per credential. They sit in `#share`, which the stylesheet withdraws when the verdict is bad.
 * The same readers (`CredsiteBadge.readPng`, `readSvg`) let the /verify/ batch check take baked
 * badge files. Plain ES2020, no inline script, DOM built with textContent only.
 */
(function () {
  'use strict';

  // Texts in the reader's language: i18n.js (CredsiteI18n), first in every page script.
  const _ = window.CredsiteI18n.gettext;

  const KEYWORD = 'openbadgecredential';
  const OB_NS = 'https://purl.imsglobal.org/ob/v3p0';
  const PNG_SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

  // ---------------------------------------------------------------------------------------------
  // PNG chunks (PNG specification, 3rd edition, §5.3 chunk layout, §11.3.3.4 iTXt)

  let crcTable = null;

  function crc32(bytes) {
    if (!crcTable) {
      crcTable = new Uint32Array(256);
      for (let n = 0; n < 256; n++) {
        let c = n;
        for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
        crcTable[n] = c >>> 0;
      }
    }
    let crc = 0xffffffff;
    for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
    return (crc ^ 0xffffffff) >>> 0;
  }

  function isPng(bytes) {
    return bytes.length > 8 && PNG_SIGNATURE.every(function (b, i) { return bytes[i] === b; });
  }

  /** The chunks of a PNG: [{type, start, end, data}] (start/end: the whole chunk's bytes). */
  function chunks(bytes) {
    if (!isPng(bytes)) throw new Error(_('not a PNG file'));
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out = [];
    let at = 8;
    while (at + 12 <= bytes.length) {
      const length = view.getUint32(at);
      const end = at + 12 + length;
      if (end > bytes.length) throw new Error(_('the PNG file is cut short'));
      const type = String.fromCharCode.apply(null, bytes.subarray(at + 4, at + 8));
      out.push({ type: type, start: at, end: end, data: bytes.subarray(at + 8, at + 8 + length) });
      at = end;
      if (type === 'IEND') break;
    }
    return out;
  }

  function itxtText(data) {
    const zero = data.indexOf(0);
    if (zero < 0) return null;
    const keyword = new TextDecoder('latin1').decode(data.subarray(0, zero));
    if (keyword !== KEYWORD || data[zero + 1] !== 0) return null; // compressed: not ours
    let at = zero + 3; // compression flag and method
    const lang = data.indexOf(0, at);
    if (lang < 0) return null;
    const translated = data.indexOf(0, lang + 1);
    if (translated < 0) return null;
    at = translated + 1;
    return new TextDecoder('utf-8', { fatal: true }).decode(data.subarray(at));
  }

  /** The credential text baked into a PNG, or null. */
  function readPng(bytes) {
    try {
      for (const chunk of chunks(bytes)) {
        if (chunk.type === 'iTXt') {
          const text = itxtText(chunk.data);
          if (text !== null) return text;
        }
      }
    } catch {
      return null;
    }
    return null;
  }

  /** A copy of the PNG with `text` in one iTXt `openbadgecredential` chunk before IEND. */
  function bakePng(bytes, text) {
    const list = chunks(bytes);
    const iend = list.find(function (c) { return c.type === 'IEND'; });
    if (!iend) throw new Error(_('the PNG file has no IEND chunk'));
    const keyword = new TextEncoder().encode(KEYWORD);
    const body = new TextEncoder().encode(text);
    // keyword, NUL, compression flag 0, method 0, empty language tag + NUL, empty translation + NUL
    const data = new Uint8Array(keyword.length + 5 + body.length);
    data.set(keyword, 0);
    data.set(body, keyword.length + 5);
    const chunk = new Uint8Array(12 + data.length);
    const view = new DataView(chunk.buffer);
    view.setUint32(0, data.length);
    chunk.set(new TextEncoder().encode('iTXt'), 4);
    chunk.set(data, 8);
    view.setUint32(8 + data.length, crc32(chunk.subarray(4, 8 + data.length)));
    const parts = [bytes.subarray(0, 8)];
    for (const c of list) {
      if (c === iend) parts.push(chunk);
      if (c.type === 'iTXt' && itxtText(c.data) !== null) continue; // one credential only
      parts.push(bytes.subarray(c.start, c.end));
    }
    const total = parts.reduce(function (n, p) { return n + p.length; }, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // SVG

  /** `text` as CDATA content: a "]]>" inside is split across two sections. */
  function cdata(text) {
    return '<![CDATA[' + text.split(']]>').join(']]]]><![CDATA[>') + ']]>';
  }

  /** The SVG text with `<openbadges:credential>` (the credential in CDATA) first in its root. */
  function bakeSvg(svgText, text) {
    const doc = new DOMParser().parseFromString(svgText, 'image/svg+xml');
    const root = doc.documentElement;
    if (!root || root.localName !== 'svg' || doc.getElementsByTagName('parsererror').length) {
      throw new Error(_('not an SVG file'));
    }
    for (const old of Array.from(root.getElementsByTagNameNS(OB_NS, 'credential'))) old.remove();
    root.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:openbadges', OB_NS);
    const element = doc.createElementNS(OB_NS, 'openbadges:credential');
    element.appendChild(doc.createCDATASection('@@CREDENTIAL@@'));
    root.insertBefore(element, root.firstChild);
    const serialized = new XMLSerializer().serializeToString(doc);
    return serialized.replace('<![CDATA[@@CREDENTIAL@@]]>', cdata(text));
  }

  /** The credential text baked into an SVG, or null. */
  function readSvg(svgText) {
    const doc = new DOMParser().parseFromString(svgText, 'image/svg+xml');
    if (doc.getElementsByTagName('parsererror').length) return null;
    const found = doc.getElementsByTagNameNS(OB_NS, 'credential');
    return found.length ? found[0].textContent.trim() : null;
  }

  // ---------------------------------------------------------------------------------------------
  // Credential page: the two downloads

  function save(blob, name) {
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  async function fetchBytes(url) {
    const response = await fetch(url, { credentials: 'omit' });
    if (!response.ok) throw new Error('HTTP ' + response.status + ' for ' + url);
    return new Uint8Array(await response.arrayBuffer());
  }

  /** The signed record as published (c/<ID>.json), else the one embedded in the page. */
  async function recordText(jsonLink) {
    if (jsonLink) {
      try {
        return new TextDecoder().decode(await fetchBytes(jsonLink.href)).trim();
      } catch { /* the embedded copy below */ }
    }
    const node = document.getElementById('credential-data');
    if (!node) throw new Error(_('the signed credential is not available'));
    return JSON.stringify(JSON.parse(node.textContent));
  }

  function setUpDownloads() {
    const share = document.getElementById('share');
    const jsonItem = document.getElementById('share-json');
    const badge = document.querySelector('.cert-badge');
    const idNode = document.querySelector('[data-f="credential-id"]');
    if (!share || !jsonItem || !badge || !idNode) return;
    const jsonLink = jsonItem.querySelector('a');
    const id = idNode.textContent.trim();
    const png = document.querySelector('meta[property="og:image"]');
    const status = document.createElement('p');
    status.className = 'share-status badge-status';
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');

    const make = function (label, kind, source, bake, type) {
      const li = document.createElement('li');
      li.className = 'badge-download';
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'button-secondary';
      button.id = 'badge-' + kind;
      button.textContent = label;
      button.addEventListener('click', async function () {
        button.disabled = true;
        try {
          const text = await recordText(jsonLink);
          const bytes = await fetchBytes(source);
          save(new Blob([bake(bytes, text)], { type: type }), 'credential-' + id + '-badge.' + kind);
          status.textContent = _('The badge image with the signed credential inside is downloading.');
        } catch (err) {
          status.textContent = _('The badge could not be made: %(error)s', { error: err && err.message ? err.message : String(err) });
        } finally {
          button.disabled = false;
        }
      });
      li.appendChild(button);
      jsonItem.parentNode.insertBefore(li, jsonItem.nextSibling);
    };
    const svgSource = badge.getAttribute('src') || '';
    if (/\.svg(?:$|\?)/i.test(svgSource)) {
      make(_('Download badge with credential (SVG)'), 'svg', new URL(svgSource, location.href).href,
        function (bytes, text) { return bakeSvg(new TextDecoder().decode(bytes), text); }, 'image/svg+xml');
    }
    if (png && png.content) {
      make(_('Download badge with credential (PNG)'), 'png', png.content, bakePng, 'image/png');
    }
    share.appendChild(status);
  }

  window.CredsiteBadge = { bakePng: bakePng, readPng: readPng, bakeSvg: bakeSvg, readSvg: readSvg, crc32: crc32 };

  function start() {
    if (document.getElementById('credential-data') || document.querySelector('.cert-frame')) setUpDownloads();
  }

  // Texts are written once the page's language is known and loaded (i18n.js).
  function whenTranslated() {
    if (window.CredsiteI18n) window.CredsiteI18n.whenReady(start);
    else start();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', whenTranslated);
  else whenTranslated();
})();

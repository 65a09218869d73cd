/* credsite: sharing tools on a credential page.
 *
 * The page itself carries only the JSON download and the credential type link, in
 * `#share ul.share-actions` (each of 100,000 credential pages stays small, and pages without
 * JavaScript show no dead controls). This script builds the rest from the signed credential
 * embedded in `<script id="credential-data">`, with DOM APIs only (text via textContent):
 * - before the list: the label "Permanent link to this page", the read-only `#share-url` holding
 *   the credential's `id` (its permanent URL), "Copy link" (`#copy-link`: navigator.clipboard
 *   .writeText of the URL; where the clipboard cannot be used, the text of `#share-url` is
 *   selected for the visitor to copy) and the `#share-status` live region;
 * - in the list, before `#share-json`: "Add to LinkedIn profile" (LinkedIn's add-certification
 *   URL, every value encoded with encodeURIComponent; the expiration fields only when the
 *   credential has `validUntil`; left out when the embedded credential cannot be read), then
 *   "Download QR code (SVG)" (`#qr-svg`: a Blob URL of the page's inline QR code `.cert-qr svg`
 *   on white with a 4-module quiet zone) and "Download QR code (PNG)" (`#qr-png`: the same SVG
 *   drawn on a canvas, about 600 px, whole pixels per module, saved with canvas.toBlob);
 * - after the list: the print hint.
 * On a page without `#share` (the /verify/ page, the home page: the scripts are one bundle) it does
 * nothing. Plain ES2020, no inline script, no network requests.
 */
(function () {
  'use strict';

  // Texts in the reader's language: i18n.js (CredsiteI18n), first in every page script.
  const _ = window.CredsiteI18n.gettext;

  const SVG_NS = 'http://www.w3.org/2000/svg';
  const LINKEDIN_ADD = 'https://www.linkedin.com/profile/add';
  const PNG_TARGET_PX = 600;
  const EXTRA_QUIET = 2; // modules added around the page's 2-module quiet zone: 4 in all

  function say(status, text) {
    if (!status) return;
    status.textContent = text;
  }

  // -------------------------------------------------------------------------------------------
  // Copy link

  function selectUrl(input) {
    if (!input) return false;
    input.focus();
    input.select();
    try {
      input.setSelectionRange(0, input.value.length);
    } catch { /* some input types do not support it */ }
    return true;
  }

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const name of Object.keys(attrs || {})) node.setAttribute(name, attrs[name]);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** The label, `#share-url`, `#copy-link` and `#share-status`, before the list `actions`. */
  function setUpCopy(url, actions) {
    const label = el('label', { for: 'share-url' }, _('Permanent link to this page'));
    const row = el('div', { class: 'field-row share-link' });
    const input = el('input', {
      id: 'share-url', class: 'share-url', type: 'url', readonly: '', spellcheck: 'false',
    });
    input.defaultValue = url;
    const button = el('button', { type: 'button', id: 'copy-link' }, _('Copy link'));
    row.appendChild(input);
    row.appendChild(button);
    const status = el('p', {
      id: 'share-status', class: 'share-status', role: 'status', 'aria-live': 'polite',
    });
    const parent = actions.parentNode;
    for (const node of [label, row, status]) parent.insertBefore(node, actions);

    button.addEventListener('click', function () {
      const fallback = function () {
        const selected = selectUrl(input);
        say(status, selected
          ? _('Your browser did not allow copying: the link is selected, press Ctrl+C (Cmd+C on a Mac) to copy it.')
          : _('Your browser did not allow copying. The link is: %(url)s', { url: url }));
      };
      if (!navigator.clipboard || typeof navigator.clipboard.writeText !== 'function' ||
          !window.isSecureContext) {
        fallback();
        return;
      }
      navigator.clipboard.writeText(url).then(function () {
        button.setAttribute('data-copied', 'true');
        say(status, _('Copied: the link to this page is on your clipboard.'));
      }, fallback);
    });
    return status;
  }

  // -------------------------------------------------------------------------------------------
  // The embedded credential and LinkedIn

  function isObj(v) {
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  }

  /** The signed credential embedded in the page, or null when it is missing or not JSON. */
  function embeddedCredential() {
    const node = document.getElementById('credential-data');
    if (!node) return null;
    try {
      const value = JSON.parse(node.textContent);
      return isObj(value) ? value : null;
    } catch {
      return null;
    }
  }

  /** `text` when it is an absolute http(s) URL, else null. */
  function webUrl(text) {
    if (typeof text !== 'string' || !text) return null;
    try {
      const url = new URL(text);
      return url.protocol === 'https:' || url.protocol === 'http:' ? text : null;
    } catch {
      return null;
    }
  }

  /** The credential's permanent URL: its `id`, else the page's canonical URL; or null. */
  function permanentUrl(credential) {
    const fromId = credential ? webUrl(credential.id) : null;
    if (fromId) return fromId;
    const canonical = document.querySelector('link[rel="canonical"]');
    return canonical ? webUrl(canonical.getAttribute('href')) : null;
  }

  /** [year, month] (UTC) of an RFC 3339 date-time, or null. */
  function yearMonth(text) {
    if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(text)) return null;
    const ms = Date.parse(text);
    if (!Number.isFinite(ms)) return null;
    const date = new Date(ms);
    return [date.getUTCFullYear(), date.getUTCMonth() + 1];
  }

  function credentialIdOf(url) {
    const parts = url.split(/[?#]/)[0].split('/').filter(function (p) { return p; });
    return parts.length ? parts[parts.length - 1] : '';
  }

  /** LinkedIn's "add certification" URL for `credential`, or null when it lacks a needed value. */
  function linkedinUrl(credential, organizationId) {
    if (!credential) return null;
    const subject = isObj(credential.credentialSubject) ? credential.credentialSubject : {};
    const achievement = isObj(subject.achievement) ? subject.achievement : {};
    const issuer = isObj(credential.issuer) ? credential.issuer : {};
    const url = webUrl(credential.id);
    const issued = yearMonth(credential.validFrom);
    if (typeof achievement.name !== 'string' || !achievement.name ||
        typeof issuer.name !== 'string' || !issuer.name || !url || !issued) {
      return null;
    }
    const params = [['startTask', 'CERTIFICATION_NAME'], ['name', achievement.name],
      organizationId ? ['organizationId', organizationId] : ['organizationName', issuer.name],
      ['issueYear', String(issued[0])],
      ['issueMonth', String(issued[1])]];
    const expires = credential.validUntil === undefined ? null : yearMonth(credential.validUntil);
    if (expires) {
      params.push(['expirationYear', String(expires[0])], ['expirationMonth', String(expires[1])]);
    }
    params.push(['certUrl', url], ['certId', credentialIdOf(url)]);
    return LINKEDIN_ADD + '?' + params.map(function (p) {
      return encodeURIComponent(p[0]) + '=' + encodeURIComponent(p[1]);
    }).join('&');
  }

  function addLinkedin(href, actions, before) {
    const link = el('a', {
      class: 'button button-secondary', id: 'share-linkedin', href: href, rel: 'noopener',
      target: '_blank',
    }, _('Add to LinkedIn profile'));
    link.appendChild(el('span', { class: 'visually-hidden' }, ' ' + _('(opens in a new tab)')));
    const item = el('li');
    item.appendChild(link);
    actions.insertBefore(item, before);
  }

  // -------------------------------------------------------------------------------------------
  // QR code downloads

  /** The inline QR code as a standalone SVG document, `px` wide, on white with a quiet zone. */
  function qrSvgDocument(svg, px) {
    const box = svg.viewBox && svg.viewBox.baseVal;
    const clone = svg.cloneNode(true);
    const x = box.x - EXTRA_QUIET;
    const y = box.y - EXTRA_QUIET;
    const w = box.width + 2 * EXTRA_QUIET;
    const h = box.height + 2 * EXTRA_QUIET;
    clone.setAttribute('viewBox', [x, y, w, h].join(' '));
    clone.setAttribute('width', String(px));
    clone.setAttribute('height', String(px));
    clone.removeAttribute('class');
    const background = document.createElementNS(SVG_NS, 'rect');
    background.setAttribute('x', String(x));
    background.setAttribute('y', String(y));
    background.setAttribute('width', String(w));
    background.setAttribute('height', String(h));
    background.setAttribute('fill', '#ffffff');
    clone.insertBefore(background, clone.firstChild);
    return '<?xml version="1.0" encoding="UTF-8"?>\n' +
      new XMLSerializer().serializeToString(clone) + '\n';
  }

  function modulesAcross(svg) {
    return svg.viewBox.baseVal.width + 2 * EXTRA_QUIET;
  }

  function saveBlob(blob, filename) {
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  function loadImage(url) {
    return new Promise(function (resolve, reject) {
      const img = new Image();
      img.addEventListener('load', function () { resolve(img); });
      img.addEventListener('error', function () { reject(new Error(_('the QR code image did not load'))); });
      img.src = url;
    });
  }

  async function qrPngBlob(svg) {
    const modules = modulesAcross(svg);
    const scale = Math.max(1, Math.floor(PNG_TARGET_PX / modules));
    const px = modules * scale;
    const svgUrl = URL.createObjectURL(new Blob([qrSvgDocument(svg, px)], { type: 'image/svg+xml' }));
    try {
      const img = await loadImage(svgUrl);
      const canvas = document.createElement('canvas');
      canvas.width = px;
      canvas.height = px;
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, px, px);
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(img, 0, 0, px, px);
      return await new Promise(function (resolve, reject) {
        canvas.toBlob(function (blob) {
          if (blob) resolve(blob);
          else reject(new Error(_('the PNG could not be made')));
        }, 'image/png');
      });
    } finally {
      URL.revokeObjectURL(svgUrl);
    }
  }

  function setUpQr(svg, actions, before, status, baseName) {
    const px = modulesAcross(svg) * 8;
    const blob = new Blob([qrSvgDocument(svg, px)], { type: 'image/svg+xml' });
    const svgLink = el('a', {
      class: 'button button-secondary', id: 'qr-svg', href: URL.createObjectURL(blob),
      download: baseName + '.svg',
    }, _('Download QR code (SVG)'));
    const pngButton = el('button', { type: 'button', class: 'button-secondary', id: 'qr-png' },
      _('Download QR code (PNG)'));
    for (const control of [svgLink, pngButton]) {
      const item = el('li');
      item.appendChild(control);
      actions.insertBefore(item, before);
    }
    pngButton.addEventListener('click', function () {
      pngButton.disabled = true;
      qrPngBlob(svg).then(function (blob) {
        saveBlob(blob, baseName + '.png');
      }, function (err) {
        say(status, _('The PNG could not be made in this browser: %(error)s. Download the SVG instead.',
          { error: err.message }));
      }).finally(function () {
        pngButton.disabled = false;
      });
    });
  }

  // -------------------------------------------------------------------------------------------

  function start() {
    const section = document.getElementById('share');
    const actions = section ? section.querySelector('ul.share-actions') : null;
    if (!actions || section.hasAttribute('data-share-ready')) return;
    const data = document.getElementById('credential-data');
    if (data && data.hasAttribute('data-src') && !data.textContent.trim()) {
      // The web build's record is still on its way (verifier-page.js loads it).
      document.addEventListener('credsite:record', start, { once: true });
      return;
    }
    section.setAttribute('data-share-ready', '');
    const credential = embeddedCredential();
    const url = permanentUrl(credential);
    const status = url ? setUpCopy(url, actions) : null;
    const json = document.getElementById('share-json');
    const before = json && json.parentNode === actions ? json : null; // null: at the end
    // The issuer's LinkedIn page, when site.yaml names it (issuer.linkedin_organization_id).
    const organizationId = /^[0-9]+$/.test(section.dataset.linkedinOrg || '') ? section.dataset.linkedinOrg : null;
    const linkedin = linkedinUrl(credential, organizationId);
    if (linkedin) addLinkedin(linkedin, actions, before);
    const svg = document.querySelector('.cert-qr svg');
    if (svg && svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width) {
      const idNode = document.querySelector('[data-f="credential-id"]');
      const id = (credential && webUrl(credential.id) ? credentialIdOf(credential.id) : '') ||
        (idNode ? idNode.textContent.trim() : '');
      setUpQr(svg, actions, before, status,
        /^[0-9A-Za-z]+$/.test(id) ? 'credential-' + id + '-qr' : 'credential-qr');
    }
    actions.insertAdjacentElement('afterend', el('p', { class: 'muted print-hint' },
      _('To print a one-page certificate on US Letter or A4 paper, use your browser\'s Print command.')));
  }

  // Texts are written once the page's language is known and loaded (i18n.js).
  function whenTranslated() {
    if (window.CredsiteI18n) window.CredsiteI18n.whenReady(start);
    else start();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', whenTranslated);
  else whenTranslated();
})();

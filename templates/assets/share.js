/* credsite: sharing tools on a credential page.
 *
 * The page carries what works without JavaScript (the permanent URL in `#share-url`, the LinkedIn
 * link, the JSON download); this script adds the controls that need it, so pages without
 * JavaScript show no dead buttons and each credential page stays small:
 * - "Copy link" (`#copy-link`, after `#share-url`): navigator.clipboard.writeText of the URL, with
 *   a status in `#share-status` (aria-live); where the clipboard cannot be used, the URL text in
 *   `#share-url` is selected for the visitor to copy.
 * - "Download QR code (SVG)" (`#qr-svg`): a Blob URL of the page's inline QR code (`.cert-qr svg`)
 *   with a white 4-module quiet zone.
 * - "Download QR code (PNG)" (`#qr-png`): the same SVG drawn on a canvas (about 600 px, whole
 *   pixels per module) and saved with canvas.toBlob.
 * The two QR items go before `#share-json` in the list of actions. Plain ES2020, no inline
 * script, no network requests.
 */
(function () {
  'use strict';

  const SVG_NS = 'http://www.w3.org/2000/svg';
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

  function setUpCopy(input, status) {
    const url = input.defaultValue;
    const button = el('button', { type: 'button', id: 'copy-link' }, 'Copy link');
    input.insertAdjacentElement('afterend', button);
    button.addEventListener('click', function () {
      const fallback = function () {
        const selected = selectUrl(input);
        say(status, selected
          ? 'Your browser did not allow copying: the link is selected, press Ctrl+C (Cmd+C on a Mac) to copy it.'
          : 'Your browser did not allow copying. The link is: ' + url);
      };
      if (!navigator.clipboard || typeof navigator.clipboard.writeText !== 'function' ||
          !window.isSecureContext) {
        fallback();
        return;
      }
      navigator.clipboard.writeText(url).then(function () {
        button.setAttribute('data-copied', 'true');
        say(status, 'Copied: the link to this page is on your clipboard.');
      }, fallback);
    });
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
      img.addEventListener('error', function () { reject(new Error('the QR code image did not load')); });
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
          else reject(new Error('the PNG could not be made'));
        }, 'image/png');
      });
    } finally {
      URL.revokeObjectURL(svgUrl);
    }
  }

  function setUpQr(svg, before, status, baseName) {
    const px = modulesAcross(svg) * 8;
    const blob = new Blob([qrSvgDocument(svg, px)], { type: 'image/svg+xml' });
    const svgLink = el('a', {
      class: 'button button-secondary', id: 'qr-svg', href: URL.createObjectURL(blob),
      download: baseName + '.svg',
    }, 'Download QR code (SVG)');
    const pngButton = el('button', { type: 'button', class: 'button-secondary', id: 'qr-png' },
      'Download QR code (PNG)');
    for (const control of [svgLink, pngButton]) {
      const item = el('li');
      item.appendChild(control);
      before.parentNode.insertBefore(item, before);
    }
    pngButton.addEventListener('click', function () {
      pngButton.disabled = true;
      qrPngBlob(svg).then(function (blob) {
        saveBlob(blob, baseName + '.png');
      }, function (err) {
        say(status, 'The PNG could not be made in this browser: ' + err.message +
          '. Download the SVG instead.');
      }).finally(function () {
        pngButton.disabled = false;
      });
    });
  }

  // -------------------------------------------------------------------------------------------

  function start() {
    const status = document.getElementById('share-status');
    const input = document.getElementById('share-url');
    if (input) setUpCopy(input, status);
    const svg = document.querySelector('.cert-qr svg');
    const before = document.getElementById('share-json');
    const idNode = document.querySelector('[data-field="credential-id"]');
    const id = idNode ? idNode.textContent.trim() : 'credential';
    if (before && svg && svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width) {
      setUpQr(svg, before, status, 'credential-' + id + '-qr');
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();

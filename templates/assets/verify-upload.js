/* credsite /verify/ page: a credential pasted, chosen as a file or dropped (`#verify-drop`).
 *
 * The JSON (or an award batch's first line) is verified by verifier-core.js and its verdict shown
 * by verifier-page.js (CredsiteVerifierPage) in `#verdict` and `#checks`, as on a credential page.
 * Needs i18n.js, verifier-core.js and verifier-page.js loaded first (the /verify/ page's script
 * has them in that order). Only the /verify/ page's script carries this part: a credential page, which a phone on a slow
 * connection opens far more often, does not load it before its verdict (issue 20).
 * Plain ES2020, no inline script, DOM built with textContent only.
 */
(function () {
  'use strict';

  const _ = window.CredsiteI18n.gettext; // i18n.js, first in every page script
  const P = window.CredsiteVerifierPage;

  function core() {
    return typeof window.CredsiteVerifier === 'object' ? window.CredsiteVerifier : null;
  }


  function parseUpload(text) {
    const limit = core() ? core().MAX_DOCUMENT_BYTES : P.MAX_UPLOAD_BYTES;
    if (String(text).length > limit) {
      return {
        error: _('the text is larger than %(size)s MB, far more than a credential (a few kilobytes): paste only the credential',
          { size: limit / 1048576 }),
      };
    }
    const trimmed = String(text).trim();
    if (!trimmed) return { error: _('nothing to verify: paste or drop a credential JSON file') };
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
      return { error: _('the input is not valid JSON') };
    }
  }

  async function verifyUploadText(text) {
    const t0 = performance.now();
    P.renderPending(_('Checking the credential…'));
    const parsed = parseUpload(text);
    let result;
    if (parsed.error) {
      result = P.notJson(parsed.error);
    } else {
      try {
        result = await P.runVerification(parsed.value, parsed.text, 'verify');
      } catch (err) {
        result = P.cannotVerify(_('the verifier failed: %(error)s', { error: err && err.message ? err.message : String(err) }));
      }
    }
    P.renderResult(result, parsed.value);
    document.documentElement.dataset.verifyMs = String(Math.round((performance.now() - t0) * 10) / 10);
  }

  function verifyFile(file) {
    if (!file) return;
    if (file.size > P.MAX_UPLOAD_BYTES) {
      P.renderResult(P.notJson(_('the file is larger than %(size)s MB, too large to be a credential (a few kilobytes)',
        { size: P.MAX_UPLOAD_BYTES / 1048576 })), null);
      return;
    }
    file.text().then(verifyUploadText, function () {
      P.renderResult(P.notJson(_('the file could not be read')), null);
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

  function start() {
    const drop = document.getElementById('verify-drop');
    if (drop && P) setUpDropArea(drop);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();

/* credsite credential page: the tools that are not the verdict load after it.
 *
 * A credential page's one script verifies (verifier-core, verifier-page, cert-verdict). The
 * sharing tools, the baked-badge downloads and the e-mail check (share.js, badge-bake.js,
 * email-check.js: a third of the bytes) are one more script, `credential-tools.<hash>.js`, which
 * this adds to the page once the verdict is shown (`credsite:result`), so that on a slow
 * connection they neither delay the verdict nor share its bandwidth. The build writes that
 * script's file name in place of CREDSITE_TOOLS_FILE; it sits beside this script, so the URL is
 * resolved against this script's own (a site below the root, a portable copy opened from files).
 * A classic <script> element, not import(): Chromium refuses module scripts from file:// pages,
 * and the page's CSP (script-src 'self') allows a same-origin script element.
 */
(function () {
  'use strict';

  const FILE = 'CREDSITE_TOOLS_FILE';
  const self = document.currentScript;
  let loaded = false;

  function load() {
    if (loaded || !self || !self.src) return;
    loaded = true;
    // <html data-tools>: "loading", then "ready" once the tools have run (their set-up too: it
    // waits only for the translations, loaded before the verdict), or "failed".
    const html = document.documentElement;
    html.dataset.tools = 'loading';
    const script = document.createElement('script');
    script.onload = function () { html.dataset.tools = 'ready'; };
    script.onerror = function () { html.dataset.tools = 'failed'; };
    script.src = new URL(FILE, self.src).href;
    document.head.appendChild(script);
  }

  if (document.getElementById('credential-data')) {
    document.addEventListener('credsite:result', load, { once: true });
  }
})();

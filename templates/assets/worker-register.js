/* credsite credential page: registers the site worker once the verdict is shown.
 *
 * Part of the tools script (credential-tools.<hash>.js), which tools-loader.js adds to a
 * credential page after its verdict: so it neither delays the verdict nor adds to the bytes
 * before it. It registers the site's worker (<base>/sw.js, site-worker.js; scope: the base path,
 * the folder above this script's /assets/) and tells it which documents this page announced
 * (its record, and the DID document, status list and freshness statement that its freshness
 * check fetches), so that the worker can fetch them for the next credential page beside its HTML
 * (docs/design.md, "The site worker"). Nothing happens in a portable copy (its pages embed their
 * record), from files, or where browsers have no service workers or refuse this one.
 */
(function () {
  'use strict';

  const script = document.currentScript;
  const workers = navigator.serviceWorker;
  const data = document.getElementById('credential-data');
  const src = data && data.getAttribute('data-src');
  if (!workers || !script || !script.src || !src || !/^https?:$/.test(location.protocol)) return;
  const base = new URL('../', script.src);
  if (base.origin !== location.origin) return;
  const record = new URL(src, location.href).href;
  const fresh = Array.from(document.querySelectorAll('link[rel="preload"][as="fetch"]'),
    function (link) { return link.href; }).filter(function (href) { return href && href !== record; });
  workers.register(new URL('sw.js', base).href, { scope: base.pathname }).then(function () {
    return workers.ready;
  }).then(function (registration) {
    if (registration.active) {
      registration.active.postMessage({ credsite: 'announced', record: record, fresh: fresh });
    }
  }).catch(function () { /* no worker: the next page fetches as this one did */ });
})();

/* credsite site worker, published unhashed as <base>/sw.js (web build only; docs/design.md,
 * "The site worker: a second credential page in one round trip").
 *
 * An employer on a slow connection who opens a second credential page waits two round trips:
 * the HTML, then the record, the DID document and the status list that the HTML announces. This
 * worker starts those fetches when the navigation starts, beside the HTML, and hands each
 * response to the page's own request for it when the page makes that request. It changes the
 * timing only, never what the page receives or how it checks it:
 *
 * - Navigations in scope are answered with the navigation preload response (the network's), or
 *   the network itself: the worker never makes or keeps a page.
 * - For a navigation to <base>/c/<ID>, it fetches the URLs that credential pages of this site
 *   announce (<link rel=preload as=fetch>), with that ID: the page tells the worker which they
 *   were after each verdict (worker-register.js); kept in IndexedDB, the latest MAX_TEMPLATES.
 *   The record is fetched as the page's preload fetches it (cors, same-origin credentials,
 *   default cache mode). The DID document, status lists and freshness statement are fetched as
 *   the page's freshness check itself fetches them when it must be sure of the server's answer
 *   (verifier-page.js fetchFresh: cors, credentials omitted, cache 'no-store'): always from the
 *   server, after the employer opened the page.
 * - A prefetched response answers only a request of the page that navigation made (its client),
 *   for the same URL, within WINDOW_MS: the record answers the page's preload once; a fresh
 *   document answers the page's preload once and its no-store fetch once. Whatever is not
 *   answered from a prefetch goes to the network untouched. Where a prefetch failed or was not
 *   OK, the request it would have answered is fetched as the page made it.
 *
 * The page's own freshness rule stays what decides: a response a worker hands over has no
 * transfer size in the page's Resource Timing, so the page refetches the DID document and the
 * status list with cache 'no-store' and credentials omitted; that request is answered by the
 * no-store prefetch, a response of the server fetched after this navigation began. Nothing is
 * cached: responses live in memory for WINDOW_MS at most. No third-party code, no imports.
 */
(function () {
  'use strict';

  const WINDOW_MS = 10000;
  const MAX_TEMPLATES = 6;
  const ID_MARK = '{ID}'; // never in a URL's href: the URL parser percent-encodes braces
  const PAGE = /^c\/([0-9A-HJKMNP-TV-Z]{16})$/;
  const DB_NAME = 'credsite-worker';
  const STORE = 'learned';
  const scope = new URL(self.registration.scope);

  // client ID → {at, docs: Map(url → {fresh, response: Promise<Response|null>, uses: Set})}
  const pending = new Map();
  let learned = null; // Promise of the templates: [{url: with ID_MARK, fresh: boolean}]

  /** The credential ID of a page URL in this worker's scope, or null. */
  function pageId(href) {
    let url;
    try {
      url = new URL(href);
    } catch {
      return null;
    }
    if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return null;
    const match = PAGE.exec(url.pathname.slice(scope.pathname.length));
    return match ? match[1] : null;
  }

  function inScope(url) {
    return url.origin === scope.origin && url.pathname.startsWith(scope.pathname);
  }

  // ---- what the pages announce, kept across worker restarts (IndexedDB, one small value) ----

  function openDb() {
    return new Promise(function (resolve, reject) {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function valid(list) {
    return Array.isArray(list) ? list.filter(function (t) {
      return t && typeof t.url === 'string' && t.url.includes(ID_MARK) && typeof t.fresh === 'boolean';
    }).slice(0, MAX_TEMPLATES) : [];
  }

  function loadTemplates() {
    if (!learned) {
      learned = openDb().then(function (db) {
        return new Promise(function (resolve) {
          const request = db.transaction(STORE).objectStore(STORE).get('templates');
          request.onsuccess = function () { resolve(valid(request.result)); };
          request.onerror = function () { resolve([]); };
        });
      }).catch(function () { return []; });
    }
    return learned;
  }

  function saveTemplates(list) {
    return openDb().then(function (db) {
      return new Promise(function (resolve) {
        const tx = db.transaction(STORE, 'readwrite');
        tx.objectStore(STORE).put(list, 'templates');
        tx.oncomplete = resolve;
        tx.onerror = resolve;
        tx.onabort = resolve;
      });
    }).catch(function () { /* kept in memory only */ });
  }

  /** A credential page's announcement after its verdict: {record: URL, fresh: [URL]}. Only
   *  URLs in scope that hold the page's own ID are kept, the ID replaced by ID_MARK. */
  function learn(event) {
    const source = event.source;
    const id = source && typeof source.url === 'string' ? pageId(source.url) : null;
    const data = event.data;
    if (!id || !data || typeof data !== 'object' || data.credsite !== 'announced') return;
    const got = [];
    const add = function (href, fresh) {
      if (typeof href !== 'string' || got.length >= MAX_TEMPLATES) return;
      let url;
      try {
        url = new URL(href);
      } catch {
        return;
      }
      if (!inScope(url) || !url.href.includes(id)) return;
      const template = url.href.split(id).join(ID_MARK);
      if (!got.some(function (t) { return t.url === template; })) got.push({ url: template, fresh: fresh });
    };
    add(data.record, false);
    if (Array.isArray(data.fresh)) data.fresh.forEach(function (href) { add(href, true); });
    if (!got.length) return;
    event.waitUntil(loadTemplates().then(function (old) {
      // The latest page's documents first; older status lists after them, up to the bound.
      const merged = got.concat(old.filter(function (t) {
        return !got.some(function (n) { return n.url === t.url; });
      })).slice(0, MAX_TEMPLATES);
      learned = Promise.resolve(merged);
      return saveTemplates(merged);
    }));
  }

  // ---- the prefetch of one navigation ----

  function prefetch(clientId, id) {
    const now = Date.now();
    for (const [client, entry] of pending) {
      if (now - entry.at > WINDOW_MS) pending.delete(client);
    }
    const entry = { at: now, docs: new Map() };
    pending.set(clientId, entry);
    return loadTemplates().then(function (templates) {
      const all = [];
      for (const template of templates) {
        const url = template.url.split(ID_MARK).join(id);
        const init = template.fresh
          ? { mode: 'cors', credentials: 'omit', cache: 'no-store' } // as fetchFresh's own fetch
          : { mode: 'cors', credentials: 'same-origin' }; // as the page's <link rel=preload>
        const response = fetch(url, init).then(function (r) {
          return r.ok ? r : null;
        }, function () { return null; });
        entry.docs.set(url, { fresh: template.fresh, response: response, uses: new Set() });
        all.push(response);
      }
      setTimeout(function () {
        if (pending.get(clientId) === entry) pending.delete(clientId);
      }, WINDOW_MS);
      return Promise.all(all);
    }).catch(function () { pending.delete(clientId); });
  }

  /** Which use of a prefetched document `request` is, or null when it is not one it answers:
   *  the page's preload (cors, same-origin credentials, default cache), and for a fresh
   *  document also the page's own no-store fetch with credentials omitted. */
  function useOf(doc, request) {
    if (request.mode !== 'cors') return null;
    if (request.credentials === 'same-origin' && request.cache === 'default') return 'preload';
    if (doc.fresh && request.credentials === 'omit' && request.cache === 'no-store') return 'fresh';
    return null;
  }

  function answer(event) {
    const request = event.request;
    const entry = pending.get(event.clientId);
    if (!entry || Date.now() - entry.at > WINDOW_MS) return;
    const doc = entry.docs.get(request.url);
    const use = doc ? useOf(doc, request) : null;
    if (!use || doc.uses.has(use)) return;
    doc.uses.add(use);
    event.respondWith(doc.response.then(function (response) {
      // A clone each time: the prefetched response itself stays unread until the window ends.
      return response ? response.clone() : fetch(request);
    }).catch(function () { return fetch(request); }));
  }

  // ---- events ----

  self.addEventListener('install', function () {
    self.skipWaiting();
  });

  self.addEventListener('activate', function (event) {
    if (self.registration.navigationPreload) {
      event.waitUntil(self.registration.navigationPreload.enable().catch(function () {}));
    }
  });

  self.addEventListener('message', learn);

  self.addEventListener('fetch', function (event) {
    const request = event.request;
    if (request.method !== 'GET') return;
    if (request.mode !== 'navigate') {
      answer(event);
      return;
    }
    const id = pageId(request.url);
    if (id && event.resultingClientId) event.waitUntil(prefetch(event.resultingClientId, id));
    // With navigation preload on, the network's answer is already on its way: pass it on.
    event.respondWith(Promise.resolve(event.preloadResponse).then(function (response) {
      return response || fetch(request);
    }).catch(function () { return fetch(request); }));
  });
})();

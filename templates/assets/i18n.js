/* credsite browser text in the reader's language (global `CredsiteI18n`).
 *
 * Every text the scripts show is written `_('English text')` (placeholders `%(name)s`, as in the
 * templates, so Babel flags them python-format and checks that a translation keeps them; a
 * literal % in a message with placeholders is written %%). `pybabel extract` (babel.cfg) puts them
 * into the one catalog of the site, generator/locale/<lang>/LC_MESSAGES/messages.po. The English
 * text is the msgid, so English needs no file: the build writes, for each other language of the
 * site, /assets/i18n/<lang>.<hash>.js (`CredsiteI18n.add(lang, {msgid: msgstr})`, only the
 * browser's messages) and tells this script where (`configure`, the line after this part in the
 * bundle). A reader who stays in the page's language loads nothing more.
 *
 * A script file rather than JSON: a portable copy opened from files cannot fetch(), but it can
 * load a script; the pages' CSP (script-src 'self') allows it either way.
 *
 * Which language. A page is written in the language of `<html lang>`. A page that exists as one
 * file only (a credential page at its permanent URL, a holder page) carries `data-localize` on
 * `<html>`: there the reader chooses, by the language switch added to the header (remembered in
 * localStorage `credsite:lang`) or else by `navigator.languages`, among the site's languages;
 * the page's marked texts are then translated in place (below) before any script writes its
 * own. Other pages keep their language (a site may publish them per language).
 *
 * Translating the page itself and the switch are in i18n-page.js, a file of its own that this
 * script loads (beside the message file) only for a reader of another language than the page's,
 * and after the page check for the switch on a site of several languages: the reader of a page
 * in their own language, the usual case, gets none of it before the verdict (issue 20).
 *
 * Marked static text (data-localize pages): an element with `data-t` holds one message: its
 * msgid is the attribute's value, or when empty, the element's text as the build wrote it (on a
 * site whose default language is not English, the msgid whose translation that text is: the
 * page language's messages are loaded too and read backwards). A label of the page check
 * (`data-l`, whose value is the label's name) is such an element without the mark, which would
 * be on every one of them (a few bytes on each of many pages). `data-ta="aria-label title"`
 * translates those attributes the same way. Nothing that is, holds or sits in a `data-f`
 * (a signed value) is ever translated. `ready` resolves once the messages are in and the labels
 * translated; scripts that write text wait for it. The page check (verifier-page.js) then reads
 * the page with its labels as shown, and its dates and <html lang> as served; only after it
 * does `finishPage` write every `<time datetime>` with Intl.DateTimeFormat in the reader's
 * language (UTC, as the build writes dates) and set <html lang>. So translating can neither
 * hide an altered field or date nor make a genuine page fail.
 */
(function (global) {
  'use strict';

  if (global.CredsiteI18n) return;
  const STORE_KEY = 'credsite:lang';
  const SOURCE = 'en';
  const doc = global.document;
  // The bundle's own URL: message files are named relative to it (also from file:// copies).
  const scriptUrl = doc && doc.currentScript && doc.currentScript.src ? doc.currentScript.src : null;
  const catalogs = {};
  let languages = [SOURCE];
  let files = {};
  let pageTextFile = null;
  let active = pageLanguage();
  let resolveReady;
  const ready = new Promise(function (resolve) { resolveReady = resolve; });

  function pageLanguage() {
    const lang = doc && doc.documentElement ? doc.documentElement.getAttribute('lang') : null;
    return lang || SOURCE;
  }

  /** The primary subtag, lower case: es-419 → es. */
  function primary(tag) {
    return String(tag || '').toLowerCase().split(/[-_]/)[0];
  }

  /** The site's language that matches `tag` (exactly, else by primary subtag), or null. */
  function match(tag) {
    const wanted = String(tag || '').toLowerCase();
    for (const lang of languages) if (lang.toLowerCase() === wanted) return lang;
    for (const lang of languages) if (primary(lang) === primary(wanted)) return lang;
    return null;
  }

  function stored() {
    try {
      return global.localStorage ? global.localStorage.getItem(STORE_KEY) : null;
    } catch {
      return null; // storage refused (privacy settings): no remembered choice
    }
  }

  /** The reader's language on a data-localize page: remembered choice, browser, page. */
  function chooseLanguage() {
    const remembered = match(stored());
    if (remembered) return remembered;
    const nav = global.navigator || {};
    const wanted = nav.languages && nav.languages.length ? nav.languages : [nav.language];
    for (const tag of wanted) {
      const found = match(tag);
      if (found) return found;
    }
    return match(pageLanguage()) || languages[0];
  }

  function localizable() {
    return !!(doc && doc.documentElement && doc.documentElement.hasAttribute('data-localize'));
  }

  /** `text` with `%(name)s` replaced by `values[name]` and `%%` by `%` (Python's % operator). */
  function format(text, values) {
    if (!values) return text;
    return text.replace(/%(?:\((\w+)\)s|%)/g, function (all, name) {
      if (name === undefined) return '%';
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  }

  /** The translation of `msgid` in the active language (the msgid itself when there is none). */
  function lookup(msgid) {
    const catalog = catalogs[active];
    const found = catalog ? catalog[msgid] : undefined;
    return typeof found === 'string' && found ? found : null;
  }

  function gettext(msgid, values) {
    if (typeof msgid === 'number') return placeholder(msgid, values);
    return format(lookup(msgid) || msgid, values);
  }

  // ---------------------------------------------------------------------------------------------
  // Texts written later (issue 20: the bytes before a credential page's verdict)
  //
  // A credential page's script leaves out the verifier's explanations of checks that did not
  // pass: the build replaces each `_('English text', values)` of verifier-core.js by `_(n,
  // values)`, n the text's place in a file of its own (`later` in `configure`), and gettext
  // then returns a placeholder: U+0001, a mark drawn at random when the page loads, n, U+0002,
  // the values as JSON, U+0003 (a placeholder inside another's values is escaped by JSON, so
  // they nest; text of a credential that looks like one lacks the mark and stays as it is, so
  // no record can make the page show an explanation it did not earn). Before the page shows a
  // result, `resolve` loads that file (only when the result holds a placeholder: the checks of
  // a verified credential say nothing that is written later) and writes each placeholder as
  // gettext would have, in the reader's language. Texts the verifier shows when every check
  // passes are written `gettext('…')` in verifier-core.js, which the build leaves as they are.

  const OPEN = '\u0001' + randomMark();
  const PLACEHOLDER = new RegExp(OPEN + '(\\d+)\u0002([^\u0003]*)\u0003', 'g');
  let laterFile = null;
  let laterTexts = null;
  let laterLoading = null;

  /** 12 hex digits from the browser's random source. */
  function randomMark() {
    const bytes = new Uint8Array(6);
    try {
      global.crypto.getRandomValues(bytes);
    } catch {
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
    }
    return Array.from(bytes, function (b) { return b.toString(16).padStart(2, '0'); }).join('');
  }

  function placeholder(n, values) {
    return OPEN + n + '\u0002' + (values ? JSON.stringify(values) : '') + '\u0003';
  }

  /** Whether `value` (a string, or arrays and plain objects of them) holds a placeholder. */
  function holdsPlaceholder(value) {
    if (typeof value === 'string') return value.indexOf(OPEN) >= 0;
    if (Array.isArray(value)) return value.some(holdsPlaceholder);
    if (value && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.keys(value).some(function (key) { return holdsPlaceholder(value[key]); });
    }
    return false;
  }

  function writeOut(text) {
    return text.replace(PLACEHOLDER, function (all, n, json) {
      let values;
      try {
        values = json ? JSON.parse(json) : undefined;
      } catch {
        values = undefined;
      }
      if (values && typeof values === 'object') {
        for (const key of Object.keys(values)) {
          if (typeof values[key] === 'string') values[key] = writeOut(values[key]);
        }
      }
      const msgid = laterTexts ? laterTexts[Number(n)] : undefined;
      // Without the file (offline since the page loaded): the verdict stands, its reason is lost.
      if (typeof msgid !== 'string') return gettext('the explanation could not be loaded');
      return gettext(msgid, values);
    });
  }

  function rewrite(value) {
    if (typeof value === 'string') return value.indexOf(OPEN) >= 0 ? writeOut(value) : value;
    if (Array.isArray(value)) return value.map(rewrite);
    if (value && Object.getPrototypeOf(value) === Object.prototype) {
      const out = {};
      for (const key of Object.keys(value)) out[key] = rewrite(value[key]);
      return out;
    }
    return value;
  }

  /** `value` with every placeholder written out (a copy where one was); never rejects. */
  function resolve(value) {
    if (!holdsPlaceholder(value)) return Promise.resolve(value);
    if (!laterLoading) {
      laterLoading = laterTexts ? Promise.resolve(true) : loadScript(laterFile);
    }
    return laterLoading.then(function () { return rewrite(value); });
  }

  /** Called by the file of texts written later: its msgids, in their numbers' order. */
  function later(texts) {
    if (Array.isArray(texts)) laterTexts = texts.slice();
  }

  // [not on credential pages]
  /** Plural forms by CLDR category (the build maps the .po's msgstr[i] to Intl.PluralRules'). */
  function ngettext(singular, plural, n, values) {
    const catalog = catalogs[active];
    const forms = catalog ? catalog[singular] : undefined;
    const all = Object.assign({ n: n }, values || {});
    if (forms && typeof forms === 'object') {
      let category = 'other';
      try {
        category = new Intl.PluralRules(active).select(n);
      } catch { /* no Intl: 'other' */ }
      const text = forms[category] || forms.other;
      if (text) return format(text, all);
    }
    return format(n === 1 ? singular : plural, all);
  }
  // [end]

  /**
   * A date as the page's language writes it, in UTC (the build's dates are UTC days): "March 14,
   * 2026", "14 de marzo de 2026". `value`: a Date, milliseconds or an ISO date-time.
   */
  function formatDate(value) {
    const date = value instanceof Date ? value : new Date(value);
    const ms = date.getTime();
    if (!Number.isFinite(ms)) return String(value);
    try {
      return new Intl.DateTimeFormat(active, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
    } catch {
      return date.toISOString().slice(0, 10); // no Intl: the ISO date
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Loading a language's messages

  function add(lang, messages) {
    catalogs[lang] = Object.assign(catalogs[lang] || {}, messages);
  }

  /** Adds the script at `file` (relative to the bundle); resolves true once it ran, else false. */
  function loadScript(file) {
    if (!file || !doc) return Promise.resolve(false);
    return new Promise(function (resolve) {
      const script = doc.createElement('script');
      script.src = scriptUrl ? new URL(file, scriptUrl).href : file;
      script.onload = function () { resolve(true); };
      script.onerror = function () { resolve(false); };
      (doc.head || doc.documentElement).appendChild(script);
    });
  }

  /** Loads the message file of `lang` (a script that calls `add`); resolves whether or not. */
  function load(lang) {
    if (catalogs[lang] || lang === SOURCE) return Promise.resolve(true);
    return loadScript(files[lang]).then(function () { return !!catalogs[lang]; });
  }

  // ---------------------------------------------------------------------------------------------
  // The page's own text (i18n-page.js, loaded only when needed)

  // i18n-page.js once loaded: {translate, finish, addSwitch}. Translating a page's labels, its
  // dates and the credential's name, and the language switch, are needed only by a reader of
  // another language than the page's (before the page check) and, on a site of several
  // languages, for the switch (after the check): a reader in the page's language, the usual
  // case, downloads and compiles none of it before the verdict (issue 20, a weak phone).
  let pageText = null;
  let pageTextLoading = null;

  function usePageText(make) {
    if (!pageText) {
      pageText = make({
        catalog: function (lang) { return catalogs[lang]; },
        pageLanguage: pageLanguage,
        language: function () { return active; },
        languages: function () { return languages.slice(); },
        gettext: gettext,
        formatDate: formatDate,
        storeKey: STORE_KEY,
      });
    }
  }

  /** Loads i18n-page.js (named by the build's configure line); resolves whether or not. */
  function loadPageText() {
    if (!pageTextLoading) {
      pageTextLoading = pageText ? Promise.resolve(true)
        : loadScript(pageTextFile).then(function () { return !!pageText; });
    }
    return pageTextLoading;
  }

  let finished = false;

  /**
   * The rest, once the page check has read the page as it was served (verifier-page.js calls
   * this after it; pages without a check get it at once): every <time datetime> written with
   * Intl in the active language, the catalog's translation of the credential's name, and <html
   * lang> (i18n-page.js, loaded already when the reader's language is not the page's); and the
   * language switch on a site of several languages. Done after the check, so that a date whose
   * text was altered is judged as served and not rewritten before.
   */
  function finishPage() {
    if (finished || !localizable()) return;
    finished = true;
    if (pageText) pageText.finish();
    // The switch once the task that writes the verdict is over: nothing it needs goes before it.
    if (languages.length > 1) {
      setTimeout(function () {
        loadPageText().then(function (ok) { if (ok) pageText.addSwitch(); });
      }, 0);
    }
  }

  /**
   * Called by the build's line after this part: the site's languages (the first the default)
   * and where each language's messages are, relative to the bundle. Starts loading the page's
   * language; `ready` resolves when its messages (if any) are in and the page is translated.
   */
  function configure(options) {
    languages = options && Array.isArray(options.languages) && options.languages.length
      ? options.languages.slice() : [SOURCE];
    files = (options && options.files) || {};
    pageTextFile = (options && options.page) || null;
    laterFile = (options && options.later) || null;
    const wanted = localizable() ? chooseLanguage() : pageLanguage();
    const pageLang = pageLanguage();
    const translating = localizable() && wanted !== pageLang;
    // Translating a page written in another language than English needs its own messages too.
    const needsPage = translating && pageLang !== SOURCE;
    Promise.all([load(wanted), needsPage ? load(pageLang) : true,
      translating ? loadPageText() : true]).then(function (loaded) {
      const ok = loaded[0] && loaded[1] && loaded[2];
      active = ok ? wanted : pageLang;
      if (localizable() && doc.body) {
        if (pageText && active !== pageLang) {
          pageText.translate();
          pageText.addSwitch();
        }
        if (!doc.getElementById('credential-data')) finishPage();
      }
      resolveReady(active);
    });
  }

  /** Runs `fn` once the page's language is known and its messages are loaded. */
  function whenReady(fn) {
    ready.then(function () { fn(); });
  }

  // Without the build's configure line (a test page with the bare scripts), English at once.
  let configured = false;
  const fallbackTimer = setTimeout(function () { if (!configured) resolveReady(active); }, 0);

  global.CredsiteI18n = Object.freeze({
    configure: function (options) {
      configured = true;
      clearTimeout(fallbackTimer);
      configure(options);
    },
    add: add,
    gettext: gettext,
    format: format,
    formatDate: formatDate,
    language: function () { return active; },
    languages: function () { return languages.slice(); },
    ready: ready,
    whenReady: whenReady,
    finishPage: finishPage,
    usePageText: usePageText,
    resolve: resolve,
    later: later,
    // [not on credential pages]
    ngettext: ngettext,
    // [end]
  });
})(typeof globalThis !== 'undefined' ? globalThis : window);

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
 * `<html>`: there the reader chooses, by the language switch this script adds to the header
 * (remembered in localStorage `credsite:lang`) or else by `navigator.languages`, among the site's
 * languages; the page's marked texts are then translated in place (below) before any script
 * writes its own. Other pages keep their language (a site may publish them per language).
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
    return format(lookup(msgid) || msgid, values);
  }

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

  /** Loads the message file of `lang` (a script that calls `add`); resolves whether or not. */
  function load(lang) {
    if (catalogs[lang] || lang === SOURCE || !files[lang] || !doc) return Promise.resolve(!!catalogs[lang] || lang === SOURCE);
    return new Promise(function (resolve) {
      const script = doc.createElement('script');
      script.src = scriptUrl ? new URL(files[lang], scriptUrl).href : files[lang];
      script.onload = function () { resolve(!!catalogs[lang]); };
      script.onerror = function () { resolve(false); };
      (doc.head || doc.documentElement).appendChild(script);
    });
  }

  // ---------------------------------------------------------------------------------------------
  // The page's static text

  const originals = new WeakMap();

  let reverse = null; // the page language's msgstr → msgid, when that is not English

  /** The msgid of a text the build wrote in the page's language. */
  function msgidOf(text) {
    const page = pageLanguage();
    if (page === SOURCE || !catalogs[page]) return text;
    if (!reverse) {
      reverse = {};
      for (const [msgid, msgstr] of Object.entries(catalogs[page])) {
        if (typeof msgstr === 'string' && !(msgstr in reverse)) reverse[msgstr] = msgid;
      }
    }
    return Object.prototype.hasOwnProperty.call(reverse, text) ? reverse[text] : text;
  }

  function original(node, key, current) {
    let saved = originals.get(node);
    if (!saved) originals.set(node, saved = {});
    if (!(key in saved)) saved[key] = msgidOf(current);
    return saved[key];
  }

  // Attributes a page may have translated (data-ta): never one that carries data.
  const TRANSLATED_ATTRIBUTES = ['aria-label', 'title', 'alt', 'placeholder'];

  /**
   * Writes the marked texts (data-t, data-l, data-ta) in the active language. Never a signed
   * value: an element that is, holds or sits in a `data-f` is left as it is, whatever it is
   * marked.
   */
  function translateLabels() {
    if (active === pageLanguage()) return;
    for (const node of doc.querySelectorAll('[data-t], [data-l]')) {
      if (node.closest('[data-f]') || node.querySelector('[data-f]')) continue;
      const msgid = node.getAttribute('data-t') || original(node, 'text', node.textContent.trim());
      node.textContent = gettext(msgid);
    }
    for (const node of doc.querySelectorAll('[data-ta]')) {
      for (const attr of node.getAttribute('data-ta').split(/\s+/)) {
        if (TRANSLATED_ATTRIBUTES.indexOf(attr) < 0 || !node.hasAttribute(attr)) continue;
        node.setAttribute(attr, gettext(original(node, attr, node.getAttribute(attr))));
      }
    }
  }

  let finished = false;

  /**
   * The rest, once the page check has read the page as it was served (verifier-page.js calls
   * this after it; pages without a check get it at once): every <time datetime> written with
   * Intl in the active language, from its datetime, and <html lang>. Done after the check, so
   * that a date whose text was altered is judged as served and not rewritten before.
   */
  function finishPage() {
    if (finished || !localizable()) return;
    finished = true;
    if (active === pageLanguage()) return;
    for (const node of doc.querySelectorAll('time[datetime]')) {
      const ms = Date.parse(node.getAttribute('datetime'));
      if (Number.isFinite(ms)) node.textContent = formatDate(ms);
    }
    showTranslatedName();
    doc.documentElement.setAttribute('lang', active);
  }

  /**
   * The credential's signed name stays as signed (the issuer's language); the catalog's
   * translation of it, when the site gives one (the message file carries it), is shown beside
   * it, marked with its language; without one the page says that the name is shown as signed.
   * Added after the page check, which compares the certificate with the signed data.
   */
  function showTranslatedName() {
    const signed = doc.querySelector('.cert [data-f="credential-name"]');
    if (!signed || doc.querySelector('.cert-translation')) return;
    const original = signed.textContent.trim();
    const translated = gettext(original);
    const note = doc.createElement('p');
    note.className = 'cert-translation';
    if (translated !== original) {
      note.lang = active;
      note.textContent = gettext('Translation: %(name)s', { name: translated });
    } else {
      note.textContent = gettext('This credential\'s name has no translation into this language: it is shown as signed.');
    }
    signed.after(note);
  }

  function displayName(lang) {
    try {
      const name = new Intl.DisplayNames([lang], { type: 'language' }).of(lang);
      return name ? name.charAt(0).toLocaleUpperCase(lang) + name.slice(1) : lang;
    } catch {
      return lang;
    }
  }

  /**
   * The language switch of a data-localize page: one button per site language, each named in
   * its own language; the choice is remembered and the page reloaded, so that every check and
   * verdict is made again in the new language (nothing half-translated).
   */
  function addSwitch() {
    if (languages.length < 2 || doc.getElementById('lang-switch')) return;
    const nav = doc.createElement('nav');
    nav.id = 'lang-switch';
    nav.className = 'lang-switch';
    nav.setAttribute('aria-label', gettext('Language'));
    const list = doc.createElement('ul');
    for (const lang of languages) {
      const li = doc.createElement('li');
      const button = doc.createElement('button');
      button.type = 'button';
      button.lang = lang;
      button.setAttribute('data-lang', lang);
      button.setAttribute('aria-pressed', lang === active ? 'true' : 'false');
      button.textContent = displayName(lang);
      button.addEventListener('click', function () {
        if (lang === active) return;
        try {
          global.localStorage.setItem(STORE_KEY, lang);
        } catch { /* not remembered; still shown now */ }
        global.location.reload();
      });
      li.appendChild(button);
      list.appendChild(li);
    }
    nav.appendChild(list);
    const header = doc.querySelector('.site-header-inner') || doc.body;
    if (header) header.appendChild(nav);
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
    const wanted = localizable() ? chooseLanguage() : pageLanguage();
    const pageLang = pageLanguage();
    // Translating a page written in another language than English needs its own messages too.
    const needsPage = localizable() && wanted !== pageLang && pageLang !== SOURCE;
    Promise.all([load(wanted), needsPage ? load(pageLang) : true]).then(function (loaded) {
      const ok = loaded[0] && loaded[1];
      active = ok ? wanted : pageLang;
      if (localizable() && doc.body) {
        translateLabels();
        addSwitch();
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
    ngettext: ngettext,
    format: format,
    formatDate: formatDate,
    language: function () { return active; },
    languages: function () { return languages.slice(); },
    ready: ready,
    whenReady: whenReady,
    finishPage: finishPage,
  });
})(typeof globalThis !== 'undefined' ? globalThis : window);

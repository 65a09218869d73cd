/* credsite: a data-localize page in the reader's language (i18n.js loads this when needed).
 *
 * i18n.js, in every page script, chooses the reader's language and translates the scripts' own
 * texts. This part acts on the page itself: its marked labels (data-t, data-ta), its dates and
 * the catalog's translation of the credential's name (after the page check), and the language
 * switch. A reader whose language is the page's needs none of it before the verdict, so it is a
 * file of its own (/assets/i18n-page.<hash>.js, named by the build's configure line): loaded
 * beside the message file for a reader of another language, and after the page check on a site
 * of several languages, for the switch. See i18n.js for the rules (never a signed value).
 */
(function (global) {
  'use strict';

  const i18n = global.CredsiteI18n;
  if (!i18n) return;
  const doc = global.document;
  const SOURCE = 'en';

  i18n.usePageText(function (core) {
    const gettext = core.gettext;
    const originals = new WeakMap();

    let reverse = null; // the page language's msgstr → msgid, when that is not English

    /** The msgid of a text the build wrote in the page's language. */
    function msgidOf(text) {
      const page = core.pageLanguage();
      const catalog = core.catalog(page);
      if (page === SOURCE || !catalog) return text;
      if (!reverse) {
        reverse = {};
        for (const [msgid, msgstr] of Object.entries(catalog)) {
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
    function translate() {
      if (core.language() === core.pageLanguage()) return;
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

    /**
     * After the page check: every <time datetime> written with Intl in the active language, from
     * its datetime, the credential's name translated beside the signed one, and <html lang>.
     */
    function finish() {
      const active = core.language();
      if (active === core.pageLanguage()) return;
      for (const node of doc.querySelectorAll('time[datetime]')) {
        const ms = Date.parse(node.getAttribute('datetime'));
        if (Number.isFinite(ms)) node.textContent = core.formatDate(ms);
      }
      showTranslatedName(active);
      doc.documentElement.setAttribute('lang', active);
    }

    /**
     * The credential's signed name stays as signed (the issuer's language); the catalog's
     * translation of it, when the site gives one (the message file carries it), is shown beside
     * it, marked with its language; without one the page says that the name is shown as signed.
     * Added after the page check, which compares the certificate with the signed data.
     */
    function showTranslatedName(active) {
      const signed = doc.querySelector('.cert [data-f="credential-name"]');
      if (!signed || doc.querySelector('.cert-translation')) return;
      const name = signed.textContent.trim();
      const translated = gettext(name);
      const note = doc.createElement('p');
      note.className = 'cert-translation';
      if (translated !== name) {
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
      const languages = core.languages();
      if (languages.length < 2 || doc.getElementById('lang-switch')) return;
      const active = core.language();
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
            global.localStorage.setItem(core.storeKey, lang);
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

    return { translate: translate, finish: finish, addSwitch: addSwitch };
  });
})(typeof globalThis !== 'undefined' ? globalThis : window);

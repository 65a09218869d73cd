/* credsite credential page: the certificate wears its verdict.
 *
 * A crisp certificate with a QR code next to a red "Revoked" banner is still a good screenshot.
 * So `.cert-frame[data-verdict]` follows the verdict that verifier-page.js announces
 * (`credsite:result`): `pending` while the check runs (faded, "Checking…"; set by the template);
 * `verified` and `copy` as printed; `revoked`, `expired`, `invalid` and `cannot-verify` greyed, with
 * the verdict and its reason stamped across it (`.cert-stamp`, laid over the certificate with
 * `pointer-events: none`, so hit tests still find the fields beneath), and the stylesheet then
 * withdraws the QR code, the sharing tools ("Add to LinkedIn", downloads) and the badge download.
 * A page the build already knows to be revoked comes with all of that in its HTML; on the
 * others this script adds the stamp when a verdict needs one.
 * Plain ES2020, no inline script, DOM built with textContent only.
 */
(function () {
  'use strict';

  // Texts in the reader's language: i18n.js (CredsiteI18n), first in every page script.
  const _ = window.CredsiteI18n.gettext;

  function stampTitle(verdict) {
    switch (verdict) {
      case 'revoked': return _('Revoked');
      case 'expired': return _('Expired');
      case 'invalid': return _('Not valid');
      case 'cannot-verify': return _('Not verified');
      case 'framed': return _('Shown inside another page');
      default: return null;
    }
  }

  /** The reason the check list gives for a bad verdict (first failed, else first not checked). */
  function reasonFor(verdict) {
    const list = document.getElementById('checks');
    if (!list) return '';
    const pick = function (selector) {
      const item = list.querySelector(selector);
      if (!item) return '';
      const reason = item.querySelector('.check-reason');
      return (reason ? reason.textContent : '').trim();
    };
    if (verdict === 'expired') return pick('li[data-check="validity"]');
    if (verdict === 'revoked') {
      const notice = document.querySelector('.notice-revoked');
      return notice ? notice.textContent.trim() : pick('li[data-check="status"]');
    }
    if (verdict === 'cannot-verify') {
      // The first check that could not be done (codes: docs/design.md, verification checklist).
      return pick('li[data-code="did-unavailable"], li[data-code="unsupported"], ' +
        'li[data-code="status-unavailable"], li[data-code="status-stale"]');
    }
    if (verdict === 'framed') return pick('li[data-check="origin"]');
    return pick('li[data-status="failed"]');
  }

  function mark(frame, verdict) {
    // A revocation the build already published stays marked, whatever a stale list says.
    const known = frame.getAttribute('data-verdict') === 'revoked' && frame.querySelector('.cert-stamp-title');
    if (known) return;
    frame.setAttribute('data-verdict', verdict);
    let stamp = frame.querySelector('.cert-stamp');
    if (stamp) stamp.textContent = '';
    const title = stampTitle(verdict);
    if (!title) return;
    if (!stamp) {
      // Only a page the build knows to be revoked comes with its stamp: the others get it here.
      stamp = document.createElement('p');
      stamp.className = 'cert-stamp';
      stamp.setAttribute('aria-hidden', 'true');
      frame.appendChild(stamp);
    }
    const head = document.createElement('span');
    head.className = 'cert-stamp-title';
    head.textContent = title;
    stamp.appendChild(head);
    const reason = reasonFor(verdict);
    if (reason) {
      stamp.appendChild(document.createTextNode(' '));
      const text = document.createElement('span');
      text.className = 'cert-stamp-reason';
      text.textContent = reason;
      stamp.appendChild(text);
    }
  }

  function start() {
    const frame = document.querySelector('.cert-frame');
    if (!frame) return;
    document.addEventListener('credsite:result', function (event) {
      mark(frame, event.detail && event.detail.verdict ? event.detail.verdict : 'cannot-verify');
    });
    // The verdict may already be written if this script ran after verifier-page.js finished.
    const banner = document.getElementById('verdict');
    const now = banner ? banner.getAttribute('data-verdict') : null;
    if (now && now !== 'pending') mark(frame, now);
  }

  // Texts are written once the page's language is known and loaded (i18n.js).
  function whenTranslated() {
    if (window.CredsiteI18n) window.CredsiteI18n.whenReady(start);
    else start();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', whenTranslated);
  else whenTranslated();
})();

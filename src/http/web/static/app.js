// Rapport web UI: keyboard shortcuts for the lists. Loaded as a file (the CSP allows no inline
// script); every page works without it.
(function () {
  'use strict';
  document.documentElement.classList.add('js');

  function isTyping(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable;
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll('[data-row]'));
  }

  function currentIndex(list) {
    for (var i = 0; i < list.length; i++) {
      if (list[i].classList.contains('is-current')) return i;
    }
    return -1;
  }

  function select(list, index) {
    if (list.length === 0) return;
    index = Math.max(0, Math.min(list.length - 1, index));
    list.forEach(function (r) { r.classList.remove('is-current'); });
    var row = list[index];
    row.classList.add('is-current');
    var link = row.querySelector('[data-open]') || row.querySelector('a');
    if (link) link.focus({ preventScroll: true });
    row.scrollIntoView({ block: 'nearest' });
  }

  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (isTyping(document.activeElement)) {
      if (e.key === 'Escape') document.activeElement.blur();
      return;
    }
    var list;
    if (e.key === '/') {
      var search = document.querySelector('[data-search]');
      if (search) {
        e.preventDefault();
        search.focus();
        search.select();
      }
    } else if (e.key === 'j' || e.key === 'k') {
      list = rows();
      if (list.length === 0) return;
      e.preventDefault();
      var i = currentIndex(list);
      select(list, i < 0 ? 0 : i + (e.key === 'j' ? 1 : -1));
    } else if (e.key === 'Enter') {
      list = rows();
      var at = currentIndex(list);
      if (at >= 0) {
        var link = list[at].querySelector('[data-open]') || list[at].querySelector('a');
        if (link && document.activeElement !== link) {
          e.preventDefault();
          link.click();
        }
      }
    }
  });

  // The ticket list refreshes itself every 30 s: keep the row the person had selected.
  var kept = null;
  document.addEventListener('htmx:beforeSwap', function (e) {
    if (!e.detail.target || e.detail.target.id !== 'ticket-list') return;
    var list = rows();
    var at = currentIndex(list);
    var link = at >= 0 ? list[at].querySelector('[data-open]') : null;
    kept = link ? { href: link.getAttribute('href'), focused: list[at].contains(document.activeElement) } : null;
  });
  document.addEventListener('htmx:afterSwap', function (e) {
    if (!kept || !e.detail.target) return;
    var list = rows();
    for (var i = 0; i < list.length; i++) {
      var link = list[i].querySelector('[data-open]');
      if (link && link.getAttribute('href') === kept.href) {
        list[i].classList.add('is-current');
        if (kept.focused) link.focus({ preventScroll: true });
        break;
      }
    }
    kept = null;
  });

  // A click on a row (outside its link) opens it, like the inbox of a mail client.
  document.addEventListener('click', function (e) {
    var row = e.target.closest && e.target.closest('[data-row]');
    if (!row || e.target.closest('a, button, input, select, textarea, label')) return;
    var link = row.querySelector('[data-open]');
    if (link) link.click();
  });
})();

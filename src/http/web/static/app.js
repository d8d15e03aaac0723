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

  // A click on a row (outside its link) opens it, like the inbox of a mail client.
  document.addEventListener('click', function (e) {
    var row = e.target.closest && e.target.closest('[data-row]');
    if (!row || e.target.closest('a, button, input, select, textarea, label')) return;
    var link = row.querySelector('[data-open]');
    if (link) link.click();
  });
})();

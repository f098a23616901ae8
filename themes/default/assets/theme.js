// facet default theme: applies the reader's light/dark choice before the
// page paints. Loaded without defer in <head>; features.js owns the toggle.
// Without a stored choice the page follows prefers-color-scheme.
(function () {
  'use strict';
  var t = null;
  try { t = window.localStorage.getItem('facet-theme'); } catch (e) { /* storage off */ }
  if (t === 'light' || t === 'dark') document.documentElement.setAttribute('data-theme', t);
})();

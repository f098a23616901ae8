// facet default theme: the sidebar, prev/next links and audience badge
// drawn from the build's _facet/nav.js, menu toggle, client-side search,
// and links that work when a build is opened from disk. No inline
// scripts, no external requests: nav.js is loaded with a <script src>
// before this script; the search index is this build's own
// search-index.js, loaded the first time the search box is used.
//
// A page's HTML is the same in every build that holds it: what differs
// per build (which pages exist, their order, the badge) comes from nav.js.
// The body carries data-root (the link to the build root from this page)
// and data-url (the page's root-relative URL, by which it finds itself in
// the navigation).
(function () {
  'use strict';

  var body = document.body;
  var fromDisk = location.protocol === 'file:';
  // The build root, as an absolute URL: this script is <root>assets/facet.js.
  var me = document.currentScript;
  var root = me && me.src ? me.src.replace(/assets\/facet\.js(?:[?#].*)?$/, '') : '';
  // The same, as the page links it, and the page's own URL.
  var relRoot = body.getAttribute('data-root') || '';
  var here = body.getAttribute('data-url') || '';

  // Under file:// a folder link ("../c/") opens a directory listing, so
  // point it at the folder's index.html.
  function diskHref(href) {
    if (!fromDisk || !href) return href;
    if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(href) && !/^file:/i.test(href)) return href;
    if (href.charAt(0) === '#' || href.slice(0, 2) === '//') return href;
    var cut = href.search(/[?#]/);
    var path = cut < 0 ? href : href.slice(0, cut);
    var rest = cut < 0 ? '' : href.slice(cut);
    if (path === '' || path.charAt(path.length - 1) !== '/') return href;
    return path + 'index.html' + rest;
  }

  function fixLinks(scope) {
    if (!fromDisk) return;
    var links = scope.querySelectorAll('a[href]');
    for (var i = 0; i < links.length; i++) {
      var href = links[i].getAttribute('href');
      var fixed = diskHref(href);
      if (fixed !== href) links[i].setAttribute('href', fixed);
    }
  }

  // pageHref is the link from this page to the root-relative URL url.
  function pageHref(url) {
    var href = (relRoot === './' ? '' : relRoot) + url.slice(1);
    if (href === '') href = './';
    else if (/^[^\/]*:/.test(href)) href = './' + href; // "a:b/" is no scheme
    return diskHref(href);
  }

  drawNav(window.FACET_NAV);

  // drawNav draws the sidebar, prev/next and badge from nav.js: pages are
  // [url, title, parent, flags] in sidebar order, parent the index of the
  // entry the page is listed under (-1: top level), flags 1 for a section
  // and 2 for the home page.
  function drawNav(nav) {
    if (!nav || !nav.pages) return;
    var pages = nav.pages;
    var kids = [[]]; // kids[i + 1]: the entries listed under entry i
    var cur = -1;
    var i;
    for (i = 0; i < pages.length; i++) kids.push([]);
    for (i = 0; i < pages.length; i++) {
      if (pages[i][0] === here) cur = i;
      if (!(pages[i][3] & 2)) kids[pages[i][2] + 1].push(i);
    }
    // Open: the current section, or the current page's section, and
    // their ancestors: their entries are listed.
    var open = {};
    if (cur >= 0 && !(pages[cur][3] & 2)) {
      for (var c = pages[cur][3] & 1 ? cur : pages[cur][2]; c >= 0; c = pages[c][2]) open[c] = true;
    }
    function list(items) {
      var ul = document.createElement('ul');
      for (var j = 0; j < items.length; j++) {
        var k = items[j], p = pages[k];
        var shown = open[k] && kids[k + 1].length > 0;
        var li = document.createElement('li');
        li.className = (p[3] & 1 ? 'fc-nav-section' : 'fc-nav-page') + (shown ? ' fc-nav-open' : '');
        var a = document.createElement('a');
        a.setAttribute('href', pageHref(p[0]));
        a.textContent = p[1];
        if (k === cur) a.setAttribute('aria-current', 'page');
        li.appendChild(a);
        if (shown) li.appendChild(list(kids[k + 1]));
        ul.appendChild(li);
      }
      return ul;
    }
    var side = document.getElementById('fc-sidebar');
    if (side) {
      side.textContent = '';
      if (kids[0].length) side.appendChild(list(kids[0]));
    }
    drawPrevNext(pages, cur);
    drawBadge(nav.badge);
  }

  // drawPrevNext links the neighbours in sidebar order; a home page that
  // is not in the list (a generated one) is before the first entry.
  function drawPrevNext(pages, cur) {
    var box = document.getElementById('fc-prevnext');
    if (!box) return;
    var prev = cur > 0 ? cur - 1 : -1;
    var next = cur >= 0 ? cur + 1 : (here === '/' ? 0 : -1);
    if (next >= pages.length) next = -1;
    function link(k, cls, rel, label) {
      var a = document.createElement('a');
      a.className = cls;
      a.setAttribute('href', pageHref(pages[k][0]));
      a.setAttribute('rel', rel);
      a.appendChild(text('fc-pn-label', label));
      a.appendChild(text('fc-pn-title', pages[k][1]));
      box.appendChild(a);
    }
    box.textContent = '';
    if (prev >= 0) link(prev, 'fc-prev', 'prev', 'Previous');
    if (next >= 0) link(next, 'fc-next', 'next', 'Next');
    box.hidden = prev < 0 && next < 0;
  }

  // drawBadge shows whom the build is for: nav.js gives a kind and groups
  // ("Guest · Partners"), never a person, since several people may share
  // a build. A guest's own name and expiry come from the gateway.
  function drawBadge(b) {
    if (!b) return;
    showBadge(b.kind, b.label, '');
    var foot = document.querySelector('.fc-foot-build');
    if (foot && b.label) foot.textContent = ' · ' + b.label;
    if (b.kind === 'guest') whoami();
  }

  function showBadge(kind, label, until) {
    var el = document.getElementById('fc-badge');
    if (!el) return;
    kind = /^[a-z]+$/.test(kind || '') ? kind : 'member';
    el.className = 'fc-badge fc-badge-' + kind;
    el.title = 'This is the build for: ' + label + (until ? ', until ' + until : '');
    el.textContent = label;
    if (until) el.appendChild(text('fc-badge-expires', '· until ' + until));
    el.hidden = false;
  }

  // whoami asks the gateway that serves the page who is signed in, at
  // <root>_facet/whoami, and shows a guest's own name and expiry. From
  // disk or on a static host there is no such address: the badge keeps
  // the build's label.
  function whoami() {
    if (fromDisk || !root || !window.fetch) return;
    fetch(root + '_facet/whoami', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) {
        var json = /^application\/json/.test(r.headers.get('Content-Type') || '');
        return r.ok && json ? r.json() : null;
      })
      .then(function (w) {
        if (!w || w.kind !== 'guest') return;
        var who = typeof w.name === 'string' && w.name ? w.name : w.email;
        if (typeof who !== 'string' || !who) return;
        showBadge('guest', 'Guest: ' + who, until(w.expires));
      })
      .catch(function () {});
  }

  // until shows the first instant a guest is no longer valid (RFC 3339)
  // as the last day they are, or as a UTC time when it is not midnight.
  function until(s) {
    if (typeof s !== 'string' || !s) return '';
    var d = new Date(s);
    if (isNaN(d.getTime())) return '';
    var months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    function day(x) { return x.getUTCDate() + ' ' + months[x.getUTCMonth()] + ' ' + x.getUTCFullYear(); }
    function two(n) { return (n < 10 ? '0' : '') + n; }
    if (!d.getUTCHours() && !d.getUTCMinutes() && !d.getUTCSeconds()) return day(new Date(d.getTime() - 1));
    return day(d) + ' ' + two(d.getUTCHours()) + ':' + two(d.getUTCMinutes()) + ' UTC';
  }

  function text(cls, s) {
    var el = document.createElement('span');
    el.className = cls;
    el.textContent = s;
    return el;
  }

  // Mobile menu.
  var menu = document.querySelector('.fc-menu');
  if (menu) {
    menu.addEventListener('click', function () {
      var open = body.classList.toggle('fc-nav-shown');
      menu.setAttribute('aria-expanded', open ? 'true' : 'false');
    });
  }

  // Keep the current page visible in a long sidebar.
  var sidebar = document.querySelector('.fc-sidebar');
  var current = sidebar && sidebar.querySelector('[aria-current="page"]');
  if (current && current.offsetTop > sidebar.clientHeight * 0.6) {
    sidebar.scrollTop = current.offsetTop - sidebar.clientHeight / 3;
  }

  fixLinks(document);
  initSearch();

  function initSearch() {
    var box = document.querySelector('.fc-search');
    var input = document.getElementById('fc-q');
    var list = document.getElementById('fc-results');
    if (!box || !input || !list) return;
    box.hidden = false;

    var state = { loading: false, failed: false, then: null, active: -1, results: [] };

    // load fetches the index once; then runs when it is there (only the
    // latest then of those asked for while it loads).
    function load(then) {
      if (window.FACET_SEARCH) { then(); return; }
      state.then = then;
      if (state.loading || state.failed) return;
      state.loading = true;
      var s = document.createElement('script');
      s.src = root + 'search-index.js';
      s.onload = function () { state.loading = false; state.then(); };
      s.onerror = function () { state.loading = false; state.failed = true; show([], 'Search is not available.'); };
      document.head.appendChild(s);
    }

    input.addEventListener('focus', function () { load(function () {}); });
    input.addEventListener('input', function () { load(run); });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown') { move(1); e.preventDefault(); }
      else if (e.key === 'ArrowUp') { move(-1); e.preventDefault(); }
      else if (e.key === 'Enter') { go(); e.preventDefault(); }
      else if (e.key === 'Escape') { input.value = ''; hide(); input.blur(); }
    });
    document.addEventListener('keydown', function (e) {
      var t = e.target;
      var typing = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable);
      if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
        input.focus();
        e.preventDefault();
      }
    });
    document.addEventListener('click', function (e) {
      if (!box.contains(e.target)) hide();
    });

    function run() {
      var q = input.value.trim().toLowerCase();
      if (!q || !window.FACET_SEARCH) { hide(); return; }
      var terms = q.split(/\s+/);
      show(search(window.FACET_SEARCH, terms).slice(0, 12), 'No results.', terms);
    }

    function move(step) {
      if (!state.results.length) return;
      state.active = (state.active + step + state.results.length) % state.results.length;
      var items = list.children;
      for (var i = 0; i < items.length; i++) items[i].classList.toggle('fc-active', i === state.active);
      var a = items[state.active];
      if (a && a.scrollIntoView) a.scrollIntoView({ block: 'nearest' });
    }

    function go() {
      var links = list.querySelectorAll('a');
      var a = links[state.active >= 0 ? state.active : 0];
      if (a) location.href = a.href;
    }

    function hide() {
      list.hidden = true;
      state.active = -1;
    }

    function show(results, emptyText, terms) {
      state.results = results;
      state.active = -1;
      list.textContent = '';
      if (!results.length) {
        var li = document.createElement('li');
        li.className = 'fc-empty';
        li.textContent = emptyText;
        list.appendChild(li);
      }
      for (var i = 0; i < results.length; i++) list.appendChild(item(results[i], terms));
      list.hidden = false;
    }

    function item(e, terms) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = diskHref(root + e.u);
      a.appendChild(span('fc-result-title', e.t, terms));
      if (e.s) a.appendChild(span('fc-result-section', e.s));
      var snip = snippet(e.x || '', terms);
      if (snip) a.appendChild(span('fc-result-text', snip, terms));
      li.appendChild(a);
      return li;
    }
  }

  // search scores every entry holding all terms: title matches count most,
  // then section and headings, then the text.
  function search(index, terms) {
    var out = [];
    for (var i = 0; i < index.length; i++) {
      var e = index[i];
      if (!e._t) {
        e._t = (e.t || '').toLowerCase();
        e._s = (e.s || '').toLowerCase();
        e._h = (e.h || []).join('\n').toLowerCase();
        e._x = (e.x || '').toLowerCase();
      }
      var score = 0;
      for (var j = 0; j < terms.length; j++) {
        var t = terms[j], s = 0;
        if (e._t === t) s += 20;
        if (e._t.indexOf(t) === 0) s += 8;
        if (e._t.indexOf(t) >= 0) s += 10;
        if (e._s.indexOf(t) >= 0) s += 2;
        if (e._h.indexOf(t) >= 0) s += 4;
        if (e._x.indexOf(t) >= 0) s += 1;
        if (!s) { score = 0; break; }
        score += s;
      }
      if (score) out.push({ e: e, score: score, i: i });
    }
    out.sort(function (a, b) { return b.score - a.score || a.i - b.i; });
    return out.map(function (r) { return r.e; });
  }

  // snippet cuts the text around the first term found.
  function snippet(text, terms) {
    var lower = text.toLowerCase();
    var at = -1;
    for (var i = 0; i < terms.length && at < 0; i++) at = lower.indexOf(terms[i]);
    if (at < 0) return text.slice(0, 120);
    var start = Math.max(0, at - 40);
    return (start > 0 ? '…' : '') + text.slice(start, start + 120);
  }

  // span builds an element whose text has the terms wrapped in <mark>,
  // through DOM nodes only (the index is data, never HTML).
  function span(cls, text, terms) {
    var el = document.createElement('span');
    el.className = cls;
    var lower = text.toLowerCase();
    var pos = 0;
    while (terms && pos < text.length) {
      var best = -1, len = 0;
      for (var i = 0; i < terms.length; i++) {
        var at = terms[i] ? lower.indexOf(terms[i], pos) : -1;
        if (at >= 0 && (best < 0 || at < best)) { best = at; len = terms[i].length; }
      }
      if (best < 0) break;
      el.appendChild(document.createTextNode(text.slice(pos, best)));
      var m = document.createElement('mark');
      m.textContent = text.slice(best, best + len);
      el.appendChild(m);
      pos = best + len;
    }
    el.appendChild(document.createTextNode(text.slice(pos)));
    return el;
  }
})();

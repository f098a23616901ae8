// facet default theme: the sidebar, prev/next links and audience badge
// drawn from the build's _facet/nav.js, menu toggle, client-side search,
// and links that work when a build is opened from disk. No inline
// scripts, no external requests: nav.js is loaded with a <script src>
// before this script; the search index is this build's own scripts
// under _facet/search/, loaded on demand (see the search part).
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
  menuSiteLinks();

  // menuSiteLinks puts the site title (the home link) and the top bar's
  // links at the head of the menu: on a phone the top bar has no room for
  // them, and facet.css shows this copy there only.
  function menuSiteLinks() {
    var side = document.getElementById('fc-sidebar');
    var brand = document.querySelector('.fc-brand');
    if (!side || !brand) return;
    var ul = document.createElement('ul');
    ul.className = 'fc-side-site';
    var links = [brand].concat(Array.prototype.slice.call(document.querySelectorAll('.fc-toplinks a')));
    for (var i = 0; i < links.length; i++) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.setAttribute('href', links[i].getAttribute('href'));
      a.textContent = links[i].textContent.trim();
      li.appendChild(a);
      ul.appendChild(li);
    }
    side.insertBefore(ul, side.firstChild);
  }

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
    // Every section's entries are listed; those of closed sections are
    // hidden behind a button that opens them in place.
    function list(items) {
      var ul = document.createElement('ul');
      for (var j = 0; j < items.length; j++) {
        var k = items[j], p = pages[k];
        var has = kids[k + 1].length > 0;
        var shown = open[k] && has;
        var li = document.createElement('li');
        li.className = (p[3] & 1 ? 'fc-nav-section' : 'fc-nav-page') + (shown ? ' fc-nav-open' : '');
        var a = document.createElement('a');
        a.setAttribute('href', pageHref(p[0]));
        a.textContent = p[1];
        if (k === cur) a.setAttribute('aria-current', 'page');
        li.appendChild(a);
        if (has) {
          var sub = list(kids[k + 1]);
          sub.id = 'fc-nav-' + k;
          sub.hidden = !shown;
          li.appendChild(expander(li, sub, p[1], shown));
          li.appendChild(sub);
        }
        ul.appendChild(li);
      }
      return ul;
    }
    function expander(li, sub, title, shown) {
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'fc-nav-toggle';
      b.setAttribute('aria-controls', sub.id);
      b.setAttribute('aria-expanded', shown ? 'true' : 'false');
      b.setAttribute('aria-label', 'Show the pages of ' + title);
      b.addEventListener('click', function () {
        var now = sub.hidden;
        sub.hidden = !now;
        li.classList.toggle('fc-nav-open', now);
        b.setAttribute('aria-expanded', now ? 'true' : 'false');
      });
      return b;
    }
    var side = document.getElementById('fc-sidebar');
    if (side) {
      side.textContent = '';
      if (kids[0].length) side.appendChild(list(kids[0]));
    }
    drawPrevNext(pages, cur);
    drawBadge(nav.badge);
    drawWho(nav.facetWhoCanSee, cur);
  }

  // drawWho shows who can read the current page, from nav.js's readers
  // list, which only member builds carry: labels, and per page entry the
  // positions of its readers among them.
  function drawWho(who, cur) {
    if (!who || !who.pages || cur < 0 || !who.pages[cur] || !who.pages[cur].length) return;
    var anchor = document.getElementById('fc-prevnext');
    if (!anchor || !anchor.parentNode) return;
    var box = document.createElement('aside');
    box.className = 'fc-who';
    box.setAttribute('aria-label', 'Who can see this page');
    box.appendChild(text('fc-who-title', 'Who can see this page'));
    var ul = document.createElement('ul');
    for (var i = 0; i < who.pages[cur].length; i++) {
      var li = document.createElement('li');
      li.textContent = who.labels[who.pages[cur][i]] || '';
      ul.appendChild(li);
    }
    box.appendChild(ul);
    anchor.parentNode.insertBefore(box, anchor);
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

  // Search. The build's index is a set of small scripts under
  // _facet/search/ (see internal/render/search.go), each calling
  // window.facetSearch with one value: index.js lists the first term of
  // each shard and its name, w/<name>.js holds that shard's postings,
  // f/<id>.js the text of page id (its position in nav.js). A query loads index.js, the shards
  // of its words, then the fragments of the results shown: nothing else,
  // and nothing from another site. Scripts rather than fetch(), so that
  // it works from file:// too.
  var SEARCH = '_facet/search/';
  var got = {}, failed = {}, loading = {}, waiters = [];

  window.facetSearch = function (v) {
    var s = document.currentScript;
    var key = s && s.getAttribute('data-fc-key');
    if (key) got[key] = v;
  };

  function file(key) {
    if (key === 'i') return 'index.js';
    if (key.charAt(0) === 'w') return 'w/' + got.i.w[+key.slice(1)] + '.js';
    return 'f/' + key.slice(1) + '.js';
  }

  // need loads the scripts of keys (if not yet) and calls then once each
  // has loaded or failed.
  function need(keys, then) {
    waiters.push({ keys: keys, then: then });
    for (var i = 0; i < keys.length; i++) {
      var k = keys[i];
      if (got[k] || failed[k] || loading[k]) continue;
      loading[k] = true;
      var s = document.createElement('script');
      s.setAttribute('data-fc-key', k);
      s.src = root + SEARCH + file(k);
      s.onload = s.onerror = settle(k);
      document.head.appendChild(s);
    }
    wake();
  }

  function settle(k) {
    return function () {
      loading[k] = false;
      if (!got[k]) failed[k] = true;
      wake();
    };
  }

  function wake() {
    var still = [];
    var ready = [];
    for (var i = 0; i < waiters.length; i++) {
      var w = waiters[i], done = true;
      for (var j = 0; j < w.keys.length && done; j++) done = !!(got[w.keys[j]] || failed[w.keys[j]]);
      (done ? ready : still).push(w);
    }
    waiters = still;
    for (var r = 0; r < ready.length; r++) ready[r].then();
  }

  // terms folds text as the index does (internal/render/searchwords.go):
  // compatibility decomposition, accents dropped, lower case, words of
  // letters and digits, one word per Han, Hiragana or Katakana character.
  var cjk = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}';
  var wordRe = new RegExp('[' + cjk + ']|(?:(?![' + cjk + '])[\\p{L}\\p{Nd}])+', 'gu');
  var enc = window.TextEncoder ? new TextEncoder() : null;
  function fold(w) {
    return w.normalize('NFKD').replace(/\p{Mn}/gu, '').toLowerCase().replace(/ς/g, 'σ');
  }
  function terms(text) {
    var out = [], m;
    var t = fold(text);
    wordRe.lastIndex = 0;
    while ((m = wordRe.exec(t))) {
      if (enc && enc.encode(m[0]).length > 64) continue;
      if (out.indexOf(m[0]) < 0) out.push(m[0]);
    }
    return out;
  }

  // The postings' number code (search.go: finalDigits, moreDigits).
  var FINAL = "!#$%'()*+,-.:", MORE = ';=?@[]^_`{|}~';
  var digit = {};
  for (var d = 0; d < 13; d++) { digit[FINAL.charAt(d)] = d; digit[MORE.charAt(d)] = 13 + d; }

  // decode calls fn(page id, info) for each posting of a term.
  function decode(s, fn) {
    var n = 0, first = true, id = -1;
    for (var i = 0; i < s.length; i++) {
      var v = digit[s.charAt(i)];
      if (v >= 13) { n = n * 13 + v - 13; continue; }
      n = n * 13 + v;
      if (first) id += n + 1;
      else fn(id, n);
      first = !first;
      n = 0;
    }
  }

  // shardOf is the shard whose range holds term: the last whose first
  // term is not after it.
  function shardOf(starts, term) {
    var lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= term) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  // plan lists the shards a query needs: each word's, and for the last
  // word, read as a prefix while it is being typed, up to two more.
  function plan(starts, words, prefix) {
    var keys = [];
    for (var i = 0; i < words.length; i++) {
      var k = shardOf(starts, words[i]);
      keys.push('w' + k);
      if (prefix && i === words.length - 1) {
        for (var x = 0; x < 2 && k + 1 < starts.length && starts[k + 1].indexOf(words[i]) === 0; x++) keys.push('w' + (++k));
      }
    }
    return keys;
  }

  // matches gathers, for one word, each page's best posting: the word
  // itself, or (as a prefix) any word it begins, worth a little less.
  function matches(word, keys, prefix) {
    var res = {}, count = 0;
    function add(weight) {
      return function (id, info) {
        var f = info & 15;
        var w = (1 + (f & 3) + (f & 4 ? 6 : 0) + (f & 8 ? 12 : 0)) * weight;
        var r = res[id];
        if (!r) { res[id] = { w: w, anchor: info >> 4 }; count++; }
        else if (w > r.w) { r.w = w; r.anchor = info >> 4; }
      };
    }
    for (var i = 0; i < keys.length; i++) {
      var shard = got[keys[i]];
      if (!shard) continue;
      if (Object.prototype.hasOwnProperty.call(shard, word)) decode(shard[word], add(1));
      if (!prefix) continue;
      for (var t in shard) {
        if (t !== word && t.indexOf(word) === 0 && Object.prototype.hasOwnProperty.call(shard, t)) decode(shard[t], add(0.7));
      }
    }
    return { pages: res, count: count };
  }

  // rank scores the pages that hold every word: title matches count
  // most, then headings, then how often the body says it, each weighed
  // by how rare the word is. The anchor is where the rarest word is.
  function rank(n, words, keys, prefix) {
    var lists = [];
    for (var i = 0; i < words.length; i++) {
      var m = matches(words[i], keys, prefix && i === words.length - 1);
      if (!m.count) return [];
      m.idf = Math.log(1 + n / m.count);
      lists.push(m);
    }
    lists.sort(function (a, b) { return a.count - b.count; });
    var out = [];
    for (var id in lists[0].pages) {
      var score = 0;
      for (var j = 0; j < lists.length && score >= 0; j++) {
        var p = lists[j].pages[id];
        score = p ? score + p.w * lists[j].idf : -1;
      }
      if (score >= 0) out.push({ id: +id, score: score, anchor: lists[0].pages[id].anchor });
    }
    out.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
    return out;
  }

  // query runs a search; then gets the ranked results, or null when the
  // index cannot be loaded. Timings are kept in window.FACET_SEARCH_STATS.
  function query(q, prefix, then) {
    var words = terms(q);
    var t0 = performance.now();
    if (!words.length) { then([], words); return; }
    need(['i'], function () {
      var meta = got.i;
      if (!meta) { then(null, words); return; }
      var keys = plan(meta.s, words, prefix);
      need(keys, function () {
        var t1 = performance.now();
        var res = rank(meta.n, words, keys, prefix);
        var t2 = performance.now();
        window.FACET_SEARCH_STATS = { query: q, shards: keys.length, loadMs: t1 - t0, rankMs: t2 - t1, results: res.length };
        then(res, words);
      });
    });
  }

  // withFragments loads the fragments of results and calls then.
  function withFragments(results, then) {
    var keys = [];
    for (var i = 0; i < results.length; i++) keys.push('f' + results[i].id);
    need(keys, then);
  }

  // describe turns a result into what is shown: title, link (to the
  // heading where the word is), section and heading, snippet.
  function describe(r, words, prefix) {
    var nav = (window.FACET_NAV && window.FACET_NAV.pages) || [];
    var e = nav[r.id], f = got['f' + r.id];
    var url = e ? e[0] : f ? '/' + f.u : '';
    var d = { title: e ? e[1] : f ? f.t : '', href: '', where: '', text: '' };
    if (e && e[2] >= 0 && nav[e[2]]) d.where = nav[e[2]][1];
    var hash = '';
    if (f && r.anchor > 0 && f.h[r.anchor - 1]) {
      hash = '#' + encodeURIComponent(f.h[r.anchor - 1][0]);
      d.where = (d.where ? d.where + ' › ' : '') + f.h[r.anchor - 1][1];
    }
    d.href = diskHref(root + url.slice(1)) + hash;
    if (f) d.text = snippet(f.x[r.anchor] || f.x[0] || '', words, prefix);
    return d;
  }

  // isHit says whether a word of the text matches the query's words.
  function isHit(w, words, prefix) {
    var t = fold(w);
    for (var i = 0; i < words.length; i++) {
      if (t === words[i] || (prefix && i === words.length - 1 && t.indexOf(words[i]) === 0)) return true;
    }
    return false;
  }

  // snippet cuts about 160 characters of text around its first hit.
  function snippet(text, words, prefix) {
    var re = /[\p{L}\p{N}\p{M}]+/gu, m, at = -1;
    while ((m = re.exec(text))) {
      if (isHit(m[0], words, prefix)) { at = m.index; break; }
    }
    if (at < 0) return text.length > 160 ? text.slice(0, 160) + '…' : text;
    var start = Math.max(0, at - 50);
    while (start > 0 && start > at - 70 && text.charAt(start - 1) !== ' ') start--;
    var end = Math.min(text.length, start + 160);
    return (start > 0 ? '…' : '') + text.slice(start, end) + (end < text.length ? '…' : '');
  }

  // marked builds an element whose words that match are wrapped in
  // <mark>, through DOM nodes only (the index is data, never HTML).
  function marked(tag, cls, text, words, prefix) {
    var el = document.createElement(tag);
    el.className = cls;
    var re = /[\p{L}\p{N}\p{M}]+/gu, m, pos = 0;
    while ((m = re.exec(text))) {
      if (!isHit(m[0], words, prefix)) continue;
      el.appendChild(document.createTextNode(text.slice(pos, m.index)));
      var mk = document.createElement('mark');
      mk.textContent = m[0];
      el.appendChild(mk);
      pos = m.index + m[0].length;
    }
    el.appendChild(document.createTextNode(text.slice(pos)));
    return el;
  }

  function resultLink(d, words, prefix) {
    var a = document.createElement('a');
    a.href = d.href;
    a.appendChild(marked('span', 'fc-result-title', d.title, words, prefix));
    if (d.where) a.appendChild(marked('span', 'fc-result-section', d.where, words, prefix));
    if (d.text) a.appendChild(marked('span', 'fc-result-text', d.text, words, prefix));
    return a;
  }

  function pageURL(q) {
    return diskHref(root + SEARCH) + '?q=' + encodeURIComponent(q);
  }

  // The search box: results as you type, the last word read as a prefix;
  // arrows move, Enter opens the chosen result or the results page,
  // Escape closes, "/" focuses the box.
  function initSearch() {
    var box = document.querySelector('.fc-search');
    var input = document.getElementById('fc-q');
    var list = document.getElementById('fc-results');
    if (!box || !input || !list) return;
    box.hidden = false;
    var active = -1, seq = 0;

    input.addEventListener('focus', function () { need(['i'], function () {}); });
    input.addEventListener('input', run);
    // Enter submits the form: the chosen result, or the results page.
    box.addEventListener('submit', function (e) {
      e.preventDefault();
      go();
    });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown') { move(1); e.preventDefault(); }
      else if (e.key === 'ArrowUp') { move(-1); e.preventDefault(); }
      else if (e.key === 'Escape') { input.value = ''; hide(); input.blur(); }
      else if (e.key === 'Enter' && box.tagName !== 'FORM') { go(); e.preventDefault(); } // a theme's older box
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
      var q = input.value;
      var mine = ++seq;
      if (!q.trim()) { hide(); return; }
      var prefix = !/\s$/.test(q);
      query(q, prefix, function (res, words) {
        if (mine !== seq) return;
        if (res === null) { show([], 'Search is not available.'); return; }
        var top = res.slice(0, 8);
        withFragments(top, function () {
          if (mine !== seq) return;
          var items = [];
          for (var i = 0; i < top.length; i++) items.push(resultLink(describe(top[i], words, prefix), words, prefix));
          show(items, 'No results.', res.length > top.length ? q.trim() : '');
          list.setAttribute('data-fc-query', q); // what the list shows
        });
      });
    }

    function move(step) {
      var items = list.querySelectorAll('li > a');
      if (!items.length) return;
      active = (active + step + items.length) % items.length;
      for (var i = 0; i < items.length; i++) items[i].parentNode.classList.toggle('fc-active', i === active);
      if (items[active].scrollIntoView) items[active].scrollIntoView({ block: 'nearest' });
    }

    function go() {
      var items = list.querySelectorAll('li > a');
      if (active >= 0 && items[active]) location.href = items[active].href;
      else if (input.value.trim()) location.href = pageURL(input.value.trim());
    }

    function hide() {
      list.hidden = true;
      active = -1;
    }

    function show(items, emptyText, more) {
      active = -1;
      list.textContent = '';
      if (!items.length) {
        var li = document.createElement('li');
        li.className = 'fc-empty';
        li.textContent = emptyText;
        list.appendChild(li);
      }
      for (var i = 0; i < items.length; i++) {
        var item = document.createElement('li');
        item.appendChild(items[i]);
        list.appendChild(item);
      }
      if (more) {
        var all = document.createElement('li');
        all.className = 'fc-more';
        var a = document.createElement('a');
        a.href = pageURL(more);
        a.textContent = 'All results for “' + more + '”';
        all.appendChild(a);
        list.appendChild(all);
      }
      list.hidden = false;
    }
  }

  // The results page (_facet/search/?q=): every result, twenty at a time.
  function initSearchPage() {
    var ol = document.getElementById('fc-search-results');
    var status = document.getElementById('fc-search-status');
    var more = document.getElementById('fc-search-more');
    var input = document.getElementById('fc-sq');
    if (!ol || !status || !more) return;
    var q = '';
    var m = /[?&]q=([^&#]*)/.exec(location.search);
    if (m) {
      try { q = decodeURIComponent(m[1].replace(/\+/g, ' ')); } catch (e) { q = ''; }
    }
    var form = input && input.form;
    if (form) {
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        location.href = pageURL(input.value.trim());
      });
    }
    if (input) input.value = q;
    if (!q.trim()) { status.textContent = 'Type words to search for.'; return; }
    status.textContent = 'Searching…';
    query(q, false, function (res, words) {
      if (res === null) { status.textContent = 'Search is not available.'; return; }
      status.textContent = res.length ? res.length + (res.length === 1 ? ' page' : ' pages') + ' found.' : 'No page holds every word of “' + q + '”.';
      var shown = 0;
      function page() {
        var next = res.slice(shown, shown + 20);
        shown += next.length;
        more.hidden = true;
        withFragments(next, function () {
          for (var i = 0; i < next.length; i++) {
            var li = document.createElement('li');
            li.appendChild(resultLink(describe(next[i], words, false), words, false));
            ol.appendChild(li);
          }
          more.hidden = shown >= res.length;
        });
      }
      more.addEventListener('click', page);
      page();
    });
  }

  initSearch();
  initSearchPage();
})();

// facet default theme: what readers expect of a documentation page, on
// top of facet.js. The light/dark toggle (kept in localStorage), copy
// buttons on code blocks, content tabs, the table of contents following
// the scroll, a back-to-top button, and diagrams (mermaid) and math
// (KaTeX) drawn by the scripts shipped under assets/vendor/, loaded only
// on pages that have them. No inline script or style, no external request:
// it works under the gateway's Content-Security-Policy and from disk.
(function () {
  'use strict';

  var doc = document.documentElement;
  var me = document.currentScript;
  var root = me && me.src ? me.src.replace(/assets\/features\.js(?:[?#].*)?$/, '') : '';
  var KEY = 'facet-theme';

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  // Theme: the stored choice, else the system's.
  var dark = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  function theme() {
    var t = doc.getAttribute('data-theme');
    if (t === 'light' || t === 'dark') return t;
    return dark && dark.matches ? 'dark' : 'light';
  }
  function initToggle() {
    var btn = document.getElementById('fc-theme');
    if (!btn) return;
    function label() {
      var next = theme() === 'dark' ? 'light' : 'dark';
      btn.setAttribute('aria-label', 'Switch to ' + next + ' theme');
      btn.title = 'Switch to ' + next + ' theme';
      btn.setAttribute('data-current', theme());
    }
    btn.hidden = false;
    label();
    btn.addEventListener('click', function () {
      var next = theme() === 'dark' ? 'light' : 'dark';
      doc.setAttribute('data-theme', next);
      try { window.localStorage.setItem(KEY, next); } catch (e) { /* storage off */ }
      label();
      redrawDiagrams();
    });
    if (dark && dark.addEventListener) dark.addEventListener('change', function () { label(); redrawDiagrams(); });
  }

  // Copy buttons: the code as text, without line numbers.
  function codeText(pre) {
    var copy = pre.cloneNode(true);
    var nums = copy.querySelectorAll('.ln, .lnt');
    for (var i = 0; i < nums.length; i++) nums[i].parentNode.removeChild(nums[i]);
    return copy.textContent;
  }
  function initCopy() {
    var frames = document.querySelectorAll('.fc-code');
    for (var i = 0; i < frames.length; i++) addCopy(frames[i]);
  }
  function addCopy(frame) {
    var pre = frame.querySelector('pre');
    if (!pre) return;
    var btn = el('button', 'fc-copy', 'Copy');
    btn.type = 'button';
    btn.setAttribute('aria-label', 'Copy the code');
    btn.addEventListener('click', function () {
      var text = codeText(pre);
      var done = function (ok) {
        btn.textContent = ok ? 'Copied' : 'Press Ctrl+C';
        btn.setAttribute('data-copied', ok ? 'true' : 'false');
        setTimeout(function () { btn.textContent = 'Copy'; btn.removeAttribute('data-copied'); }, 2000);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(selectCopy(pre)); });
      } else {
        done(selectCopy(pre));
      }
    });
    frame.insertBefore(btn, frame.firstChild);
  }
  // selectCopy selects the block, for a browser without the clipboard API.
  function selectCopy(pre) {
    var r = document.createRange();
    r.selectNodeContents(pre);
    var s = window.getSelection();
    s.removeAllRanges();
    s.addRange(r);
    try { return document.execCommand('copy'); } catch (e) { return false; }
  }

  // Tabs: each set becomes a tab list; choosing a title chooses it in
  // every set of the page that has it.
  var sets = [];
  function initTabs() {
    var boxes = document.querySelectorAll('.fc-tabs');
    for (var i = 0; i < boxes.length; i++) sets.push(makeTabs(boxes[i], i));
  }
  function makeTabs(box, n) {
    var tabs = [], panels = [];
    var list = el('div', 'fc-tablist');
    list.setAttribute('role', 'tablist');
    var kids = box.children;
    for (var i = 0; i < kids.length; i++) {
      if (!kids[i].classList.contains('fc-tab')) continue;
      var panel = kids[i];
      var title = panel.querySelector('.fc-tab-title');
      var b = el('button', 'fc-tabbtn', title ? title.textContent : String(panels.length + 1));
      var id = 'fc-tab-' + n + '-' + panels.length;
      b.type = 'button';
      b.id = id;
      b.setAttribute('role', 'tab');
      panel.setAttribute('role', 'tabpanel');
      panel.setAttribute('aria-labelledby', id);
      panel.setAttribute('tabindex', '0');
      tabs.push(b);
      panels.push(panel);
      list.appendChild(b);
    }
    box.insertBefore(list, box.firstChild);
    box.classList.add('fc-tabs-ready');
    function select(k, focus) {
      for (var j = 0; j < tabs.length; j++) {
        var on = j === k;
        tabs[j].setAttribute('aria-selected', on ? 'true' : 'false');
        tabs[j].tabIndex = on ? 0 : -1;
        panels[j].hidden = !on;
      }
      if (focus) tabs[k].focus();
    }
    tabs.forEach(function (b, k) {
      b.addEventListener('click', function () { selectAll(b.textContent); select(k); });
      b.addEventListener('keydown', function (e) {
        var d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
        if (!d) return;
        e.preventDefault();
        select((k + d + tabs.length) % tabs.length, true);
      });
    });
    select(0);
    return { tabs: tabs, select: select };
  }
  function selectAll(title) {
    for (var i = 0; i < sets.length; i++) {
      for (var j = 0; j < sets[i].tabs.length; j++) {
        if (sets[i].tabs[j].textContent === title) sets[i].select(j);
      }
    }
  }

  // The table of contents marks the section being read: the last heading
  // whose top has scrolled above a line below the top bar.
  function initTOC() {
    var links = document.querySelectorAll('.fc-toc a[href^="#"]');
    if (!links.length) return;
    var items = [];
    for (var i = 0; i < links.length; i++) {
      var id = decodeURIComponent(links[i].getAttribute('href').slice(1));
      var h = document.getElementById(id);
      if (h) items.push({ a: links[i], h: h });
    }
    var current = null, queued = false;
    function update() {
      queued = false;
      var line = 96, pick = items.length ? items[0] : null;
      for (var j = 0; j < items.length; j++) {
        if (items[j].h.getBoundingClientRect().top <= line) pick = items[j];
      }
      if (window.innerHeight + window.scrollY >= document.body.scrollHeight - 2 && items.length) pick = items[items.length - 1];
      if (pick === current) return;
      if (current) { current.a.removeAttribute('aria-current'); current.a.classList.remove('fc-toc-active'); }
      current = pick;
      if (current) { current.a.setAttribute('aria-current', 'true'); current.a.classList.add('fc-toc-active'); }
    }
    window.addEventListener('scroll', function () {
      if (!queued) { queued = true; window.requestAnimationFrame(update); }
    }, { passive: true });
    update();
  }

  // Back to top: shown once the reader has scrolled a screen down.
  function initToTop() {
    var btn = el('button', 'fc-totop', 'Top');
    btn.type = 'button';
    btn.setAttribute('aria-label', 'Back to top');
    btn.hidden = true;
    btn.addEventListener('click', function () {
      window.scrollTo(0, 0);
      var main = document.getElementById('fc-main');
      if (main) { main.setAttribute('tabindex', '-1'); main.focus({ preventScroll: true }); }
    });
    document.body.appendChild(btn);
    var queued = false;
    window.addEventListener('scroll', function () {
      if (queued) return;
      queued = true;
      window.requestAnimationFrame(function () {
        queued = false;
        btn.hidden = window.scrollY < window.innerHeight;
      });
    }, { passive: true });
  }

  // load adds a script of this build once and calls then when it ran.
  var loaded = {};
  function load(path, then) {
    if (loaded[path]) { loaded[path].push(then); return; }
    loaded[path] = [then];
    var s = document.createElement('script');
    s.src = root + path;
    s.onload = function () { var w = loaded[path]; loaded[path] = { push: function (f) { f(); } }; for (var i = 0; i < w.length; i++) w[i](); };
    document.head.appendChild(s);
  }
  function stylesheet(path) {
    var l = document.createElement('link');
    l.rel = 'stylesheet';
    l.href = root + path;
    document.head.appendChild(l);
  }

  // Math: KaTeX replaces each fc-math element's TeX with its rendering.
  function initMath() {
    var els = document.querySelectorAll('.fc-math');
    if (!els.length) return;
    stylesheet('assets/vendor/katex/katex.min.css');
    load('assets/vendor/katex/katex.min.js', function () {
      for (var i = 0; i < els.length; i++) {
        var e = els[i];
        window.katex.render(e.textContent, e, {
          displayMode: e.classList.contains('fc-math-display'),
          throwOnError: false
        });
        e.classList.add('fc-math-done');
      }
    });
  }

  // Diagrams: mermaid draws each fc-mermaid block, in the page's theme,
  // at its strict security level (labels are text, no script in them).
  var diagrams = [];
  function initDiagrams() {
    var els = document.querySelectorAll('pre.fc-mermaid');
    if (!els.length) return;
    for (var i = 0; i < els.length; i++) {
      var box = el('div', 'fc-diagram');
      box.setAttribute('data-src-index', String(i));
      diagrams.push({ src: els[i].textContent, box: box, pre: els[i] });
    }
    drawDiagrams();
  }
  function drawDiagrams() {
    if (!diagrams.length) return;
    load('assets/vendor/mermaid/mermaid.min.js', function () {
      var m = window.mermaid;
      m.initialize({ startOnLoad: false, securityLevel: 'strict', theme: theme() === 'dark' ? 'dark' : 'default' });
      var nodes = [];
      for (var i = 0; i < diagrams.length; i++) {
        var d = diagrams[i];
        d.box.removeAttribute('data-processed');
        d.box.textContent = d.src;
        if (d.pre.parentNode) { d.pre.parentNode.replaceChild(d.box, d.pre); }
        nodes.push(d.box);
      }
      m.run({ nodes: nodes }).then(function () {
        doc.setAttribute('data-diagrams', 'drawn');
      }, function (e) {
        doc.setAttribute('data-diagrams', 'failed');
        if (window.console) window.console.warn('facet: a diagram could not be drawn: ' + (e && e.message ? e.message : e));
      });
    });
  }
  function redrawDiagrams() {
    if (diagrams.length && window.mermaid) drawDiagrams();
  }

  initToggle();
  initCopy();
  initTabs();
  initTOC();
  initToTop();
  initMath();
  initDiagrams();
})();

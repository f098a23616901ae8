// facet serve: live reload and the "view as" switch. Reloads the page after
// each rebuild; after a failed one, shows the errors in an overlay while the
// previous build stays in place.
(function () {
  "use strict";
  if (!window.EventSource) {
    return;
  }
  var generation = null;
  var overlay = null;
  var badge = null;

  // showBadge draws the preview's bar: the audience the site is viewed
  // as, with a switch to any other that stays on this page, and who can
  // read this page (whatever the audience viewed as).
  function showBadge(as) {
    if (!badge) {
      badge = document.createElement("div");
      badge.id = "facet-preview-bar";
      var s = badge.style;
      s.position = "fixed"; s.right = "1em"; s.bottom = "1em"; s.zIndex = "2147483646"; s.maxWidth = "28em";
      s.padding = "0.4em 0.8em"; s.borderRadius = "0.8em"; s.font = "13px/1.4 system-ui, sans-serif";
      s.background = "#1f2937"; s.color = "#fff"; s.opacity = "0.92";
      var link = document.createElement("a");
      link.id = "facet-preview-as";
      link.href = "/_facet/";
      link.title = "facet serve: every audience";
      link.style.color = "#fff";
      badge.appendChild(link);
      document.body.appendChild(badge);
    }
    document.getElementById("facet-preview-as").textContent = "view as: " + (as || "anonymous");
    loadPage();
  }

  // loadPage asks the preview for the audiences and this page's readers.
  function loadPage() {
    if (!window.fetch) return;
    fetch("/_facet/page?url=" + encodeURIComponent(window.location.pathname), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (info) { if (info) drawBar(info); })
      .catch(function () {});
  }

  function drawBar(info) {
    var old = document.getElementById("facet-preview-switch");
    if (old) old.remove();
    old = document.getElementById("facet-preview-readers");
    if (old) old.remove();
    var sel = document.createElement("select");
    sel.id = "facet-preview-switch";
    sel.setAttribute("aria-label", "View this page as");
    sel.style.marginLeft = "0.6em";
    for (var i = 0; i < info.audiences.length; i++) {
      var a = info.audiences[i];
      var o = document.createElement("option");
      o.value = a.id;
      o.textContent = a.id + (a.name ? " (" + a.name + ")" : "");
      if (a.id === info.as) o.selected = true;
      sel.appendChild(o);
    }
    sel.addEventListener("change", function () {
      var here = window.location.pathname + window.location.search + window.location.hash;
      window.location.href = "/_facet/as?id=" + encodeURIComponent(sel.value) + "&rd=" + encodeURIComponent(here);
    });
    badge.appendChild(sel);
    if (info.readers && info.readers.length) {
      var who = document.createElement("div");
      who.id = "facet-preview-readers";
      who.style.marginTop = "0.3em";
      who.textContent = "Who can see this page: " + info.readers.join(", ");
      badge.appendChild(who);
    }
  }

  function showError(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "facet-preview-error";
      var s = overlay.style;
      s.position = "fixed"; s.left = "0"; s.right = "0"; s.top = "0"; s.maxHeight = "60vh";
      s.overflow = "auto"; s.zIndex = "2147483647"; s.margin = "0"; s.padding = "1em 1.5em";
      s.background = "#7f1d1d"; s.color = "#fff"; s.font = "14px/1.5 ui-monospace, monospace";
      s.whiteSpace = "pre-wrap"; s.boxShadow = "0 2px 8px rgba(0,0,0,0.4)";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "facet serve: the last build failed; showing the previous build.\n\n" + text;
  }

  function parse(data) {
    try {
      return JSON.parse(data);
    } catch (e) {
      return {};
    }
  }

  var events = new EventSource("/_facet/events");
  events.addEventListener("hello", function (e) {
    var msg = parse(e.data);
    if (generation !== null && msg.generation !== generation) {
      window.location.reload();
      return;
    }
    generation = msg.generation;
    showBadge(msg.as);
  });
  events.addEventListener("reload", function (e) {
    var msg = parse(e.data);
    if (msg.generation !== generation) {
      window.location.reload();
    } else if (overlay) {
      overlay.remove();
      overlay = null;
    }
  });
  events.addEventListener("error", function (e) {
    if (typeof e.data === "string") {
      showError(e.data);
    }
  });
})();

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

  function showBadge(as) {
    if (!badge) {
      badge = document.createElement("a");
      badge.id = "facet-preview-as";
      badge.href = "/_facet/";
      badge.title = "facet serve: switch the audience you view the site as";
      var s = badge.style;
      s.position = "fixed"; s.right = "1em"; s.bottom = "1em"; s.zIndex = "2147483646";
      s.padding = "0.3em 0.8em"; s.borderRadius = "1em"; s.font = "13px/1.4 system-ui, sans-serif";
      s.background = "#1f2937"; s.color = "#fff"; s.textDecoration = "none"; s.opacity = "0.85";
      document.body.appendChild(badge);
    }
    badge.textContent = "view as: " + (as || "anonymous");
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

// ldnsite preview: reload when a rebuild succeeds; show the problems when it fails.
// Injected by `ldnsite serve` only; never part of the built site.
(function () {
  "use strict";
  var seen = null;
  var overlay = null;

  function showProblems(report) {
    if (!overlay) {
      overlay = document.createElement("section");
      overlay.setAttribute("role", "alert");
      overlay.setAttribute("aria-label", "ldnsite build problems");
      overlay.id = "ldnsite-problems";
      var s = overlay.style;
      s.position = "fixed"; s.left = "0"; s.right = "0"; s.bottom = "0"; s.maxHeight = "60vh";
      s.overflow = "auto"; s.margin = "0"; s.padding = "1rem"; s.zIndex = "2147483647";
      s.background = "#2b0b0b"; s.color = "#ffe4e4"; s.borderTop = "4px solid #ff6b6b";
      s.font = "14px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace"; s.whiteSpace = "pre-wrap";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "ldnsite: the last build failed; this is the last good site.\n\n" + report;
  }

  function hideProblems() {
    if (overlay) { overlay.remove(); overlay = null; }
  }

  function poll() {
    fetch("/__ldnsite__/status", { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (seen !== null && state.generation !== seen && state.ok) { window.location.reload(); return; }
        seen = state.generation;
        if (state.ok) { hideProblems(); } else { showProblems(state.report); }
      })
      .catch(function () { /* server restarting: try again */ })
      .finally(function () { window.setTimeout(poll, 700); });
  }
  poll();
}());

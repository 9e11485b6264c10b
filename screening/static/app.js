// Small enhancements only: everything works without this file (no inline script: strict CSP).
(function () {
  "use strict";
  // Move focus to the error summary so screen readers and keyboard users start there.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }

  // A print button is only useful when script can call the browser's print dialog.
  var print = document.querySelector("[data-print]");
  if (print) {
    print.hidden = false;
    var hint = document.querySelector("[data-print-hint]");
    if (hint) { hint.hidden = true; }
    print.addEventListener("click", function () { window.print(); });
  }

  // Idle timer: warn before the answers are cleared (WCAG 2.2.1), then clear them. The server
  // clears them anyway a few seconds later, so this only makes the timeout visible and kind.
  var body = document.body;
  var warnAfter = parseInt(body.getAttribute("data-idle-warn"), 10);
  var endAfter = parseInt(body.getAttribute("data-idle-end"), 10);
  var dialog = document.getElementById("idle-dialog");
  if (!warnAfter || !endAfter || !dialog || typeof dialog.showModal !== "function") { return; }
  var keepaliveUrl = body.getAttribute("data-keepalive-url");
  var endForm = dialog.querySelector("[data-idle-end-form]");
  var warnTimer = null;
  var endTimer = null;
  var lastPing = Date.now();

  function ping() {
    lastPing = Date.now();
    fetch(keepaliveUrl, { credentials: "same-origin", cache: "no-store" });
  }
  // Clearing is a POST with the page's CSRF token: the same form as "Clear my answers now".
  function end() { endForm.submit(); }
  function warn() {
    if (!dialog.open) { dialog.showModal(); }
    dialog.querySelector("[data-idle-continue]").focus();
  }
  function restart() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(warn, warnAfter * 1000);
    endTimer = setTimeout(end, endAfter * 1000);
  }
  dialog.querySelector("[data-idle-continue]").addEventListener("click", function () {
    dialog.close();
    ping();
    restart();
  });
  // Typing, tapping, touching, scrolling and the mouse wheel count as use; tell the server now
  // and then so the session stays alive (never past its absolute end).
  ["keydown", "pointerdown", "touchstart", "input", "wheel", "scroll"].forEach(function (name) {
    document.addEventListener(name, function () {
      if (dialog.open) { return; }
      if (Date.now() - lastPing > 30000) { ping(); }
      restart();
    }, { passive: true });
  });
  restart();
}());

// /open: the answers code is in the address after "#", which browsers never send to a
// server. Post it (with the page's CSRF token) so the answers open; no script, no code sent.
(function () {
  "use strict";
  var form = document.querySelector("[data-open-code]");
  if (!form || !window.location.hash || window.location.hash.length < 5) { return; }
  var code = window.location.hash.slice(1);
  form.querySelector("input[name=code]").value = code;
  form.hidden = false;
  var fallback = document.querySelector("[data-open-fallback]");
  if (fallback) { fallback.hidden = true; }
  history.replaceState(null, "", window.location.pathname);  // the code leaves the address bar
  form.submit();
}());

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
    print.addEventListener("click", function () { window.print(); });
  }
}());

// The "finished" button of a lesson waits for the minimum reading time. The server enforces the same minimum; this
// only saves the learner a refused click. Without JavaScript the button stays disabled until the page is reloaded.
(function () {
  "use strict";
  var form = document.querySelector("[data-reading-form]");
  if (!form) { return; }
  var wait = parseInt(form.getAttribute("data-wait"), 10) || 0;
  if (wait <= 0) { return; }
  var button = form.querySelector("button[type=submit]");
  var note = form.querySelector("[data-reading-note]");
  window.setTimeout(function () {
    button.disabled = false;
    if (note) { note.hidden = true; }
  }, wait * 1000 + 500);
})();

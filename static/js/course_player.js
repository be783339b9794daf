// The reading clock of a lesson page (ADR 0019). While the page is visible and has the focus it sends a heartbeat
// every few seconds; the server credits the time since the learner's previous heartbeat in this course, to this
// lesson only, so lessons left open in other tabs do not add up. Leaving the page (hidden, blurred, closed) sends a
// last heartbeat with sendBeacon and stops the clock; coming back restarts it without crediting the time away.
// The server decides what counts; the "finished" button is enabled here when the server says no time is left.
// Without JavaScript no reading time is counted, and the page says so (<noscript>).
(function () {
  "use strict";
  var form = document.querySelector("[data-reading-form]");
  if (!form) { return; }
  var wait = parseInt(form.getAttribute("data-wait"), 10) || 0;
  if (wait <= 0) { return; }
  var url = form.getAttribute("data-heartbeat-url");
  var interval = (parseInt(form.getAttribute("data-heartbeat-seconds"), 10) || 15) * 1000;
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var button = form.querySelector("button[type=submit]");
  var note = form.querySelector("[data-reading-note]");
  var clock = form.querySelector("[data-testid=reading-clock]");
  var left = form.querySelector("[data-reading-left]");
  var timer = null;
  var done = false;

  function show(remaining) {
    var minutes = Math.floor(remaining / 60);
    var seconds = remaining % 60;
    left.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
    form.setAttribute("data-remaining", String(remaining));
    if (remaining <= 0) {
      done = true;  // enough time credited: stop, and leave the course's clock to its other lessons
      if (timer !== null) { window.clearInterval(timer); timer = null; }
      button.disabled = false;
      if (note) { note.hidden = true; }
      if (clock) { clock.hidden = true; }
    }
  }

  function body(start) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", token);
    if (start) { data.append("start", "1"); }
    return data;
  }

  function beat(start) {
    fetch(url, {
      method: "POST",
      body: body(start),
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, "X-Requested-With": "XMLHttpRequest" }
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (data) { show(data.remaining_seconds); }
    }).catch(function () { /* the next heartbeat tries again; the server credits at most one interval */ });
  }

  // An embedded video or map takes the focus into its iframe: the learner is still on the page.
  function focused() {
    var active = document.activeElement;
    return document.hasFocus() || (active !== null && active.tagName === "IFRAME");
  }

  function active() { return document.visibilityState === "visible" && focused(); }

  function begin() {
    if (timer !== null || done || !active()) { return; }
    beat(true);
    timer = window.setInterval(function () {
      if (active()) { beat(false); } else { pause(false); }
    }, interval);
  }

  function pause(leaving) {
    if (timer === null) { return; }
    window.clearInterval(timer);
    timer = null;
    if (leaving && navigator.sendBeacon) {
      navigator.sendBeacon(url, body(false));
    } else {
      beat(false);
    }
  }

  if (clock) { clock.hidden = false; }
  show(wait);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { begin(); } else { pause(true); }
  });
  window.addEventListener("focus", begin);
  window.addEventListener("blur", function () {
    window.setTimeout(function () { if (!focused()) { pause(false); } }, 0);
  });
  window.addEventListener("pagehide", function () { pause(true); });
  begin();
})();

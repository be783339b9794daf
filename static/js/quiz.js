// Quiz autosave and timer. The server holds the answers and the deadline: a reload shows what was saved and the
// server's remaining time. Without JavaScript the form still submits normally.
(function () {
  "use strict";
  var form = document.querySelector("[data-quiz-form]");
  if (!form) { return; }
  var statusElement = document.querySelector("[data-quiz-status]");
  var timerElement = document.querySelector("[data-quiz-timer]");
  var saveUrl = form.getAttribute("data-save-url");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var saveTimer = null;
  var saving = false;
  var again = false;
  var deadline = null;
  var submitting = false;

  function say(key) {
    if (statusElement) { statusElement.textContent = statusElement.getAttribute("data-" + key + "-text"); }
  }

  function setRemaining(seconds) {
    if (timerElement && seconds !== null && seconds !== undefined) {
      deadline = Date.now() + seconds * 1000;
      tick();
    }
  }

  function tick() {
    if (deadline === null) { return; }
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var minutes = Math.floor(left / 60);
    var seconds = left % 60;
    timerElement.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
    if (left === 0 && !submitting) {
      submitting = true;
      say("timeup");
      form.submit();
    }
  }

  function save() {
    if (saving) { again = true; return; }
    saving = true;
    say("saving");
    fetch(saveUrl, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, "X-Requested-With": "XMLHttpRequest" }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (result.ok) {
        say("saved");
        form.setAttribute("data-saved", "true");
        setRemaining(result.data.remaining_seconds);
      } else if (statusElement) {
        statusElement.textContent = result.data.error;
        if (result.data.closed) { window.location.reload(); }
      }
    }).catch(function () { say("error"); }).then(function () {
      saving = false;
      if (again) { again = false; save(); }
    });
  }

  function schedule(delay) {
    form.setAttribute("data-saved", "false");
    window.clearTimeout(saveTimer);
    saveTimer = window.setTimeout(save, delay);
  }

  form.addEventListener("change", function () { schedule(100); });
  form.addEventListener("input", function (event) {
    if (event.target.type === "text") { schedule(800); }
  });
  form.addEventListener("submit", function (event) {
    var button = form.querySelector("[data-confirm]");
    if (!submitting && button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
      return;
    }
    submitting = true;
    window.clearTimeout(saveTimer);
  });

  if (timerElement) {
    setRemaining(parseInt(timerElement.getAttribute("data-remaining"), 10));
    window.setInterval(tick, 1000);
  }
})();

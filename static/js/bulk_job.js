// The bulk-issue job page: poll the job's JSON every 2 s and update the figures in place; reload once it ends so the
// failures and the "run again" button appear. Without JavaScript the page has a Refresh link.
(function () {
  "use strict";
  var section = document.querySelector("[data-job-poll]");
  if (!section) return;
  var url = section.getAttribute("data-job-poll");
  var bar = section.querySelector("[data-testid=job-progress]");
  var status = section.querySelector("[data-testid=job-status]");
  function set(testid, value) {
    var node = section.querySelector("[data-testid=" + testid + "]");
    if (node) node.textContent = value;
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) return;
        if (bar) { bar.value = job.percent; bar.textContent = job.percent + "%"; }
        if (status) {
          var parts = status.textContent.split("·");
          status.textContent = parts[0].trim() + " · " + job.processed + "/" + job.total;
        }
        set("job-issued", job.issued);
        set("job-existing", job.existing);
        set("job-failed", job.failed);
        if (job.status === "done" || job.status === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
})();

/*
 * The progress page of a PDF rendered in the background (templates/documents/progress.html).
 *
 * Polls the document's status (`data-status-url`) every 2 s while it is on its way, every 10 s
 * once it failed, 5 s after a network error.  Ready: the page is replaced by the download
 * (`data-download-url`).  Failed: the error and the "Thử tạo lại" link are shown, and polling goes
 * on, so that a retry made elsewhere brings the page back.  On its way: the state and time, the
 * notice when the background service cannot be reached, and the retry link when it is late.  The
 * page holds every part; this script only shows or hides them.  Loaded with <script src>: the
 * Content-Security-Policy allows no inline script.
 */
(function () {
  "use strict";

  var box = document.getElementById("document-progress");
  if (!box) { return; }

  function part(role) { return box.querySelector("[data-role=" + role + "]"); }

  function show(role, visible, text) {
    var el = part(role);
    if (!el) { return; }
    if (text !== undefined) { el.textContent = text; }
    el.hidden = !visible;
  }

  function update(s) {
    var failed = s.state === "failed";
    show("error", failed, s.error || "");
    show("notice", s.busy && !!s.notice, s.notice || "");
    show("progress", s.busy);
    show("retry", !!s.retry);
    show("late", s.busy && !s.notice);
    var state = part("state"); if (state) { state.textContent = s.label; }
    var elapsed = part("elapsed"); if (elapsed && s.elapsed_seconds !== null && s.elapsed_seconds !== undefined) { elapsed.textContent = s.elapsed_seconds; }
    box.dataset.state = s.state;
  }

  function poll() {
    fetch(box.dataset.statusUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (s) {
        if (s.state === "ready") { window.location.replace(box.dataset.downloadUrl); return; }
        update(s);
        setTimeout(poll, s.state === "failed" ? 10000 : 2000);
      })
      .catch(function () { setTimeout(poll, 5000); });
  }

  setTimeout(poll, box.dataset.state === "failed" ? 10000 : 1500);
})();

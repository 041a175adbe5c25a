/*
 * The progress page of a PDF rendered in the background (templates/documents/progress.html).
 *
 * Polls the document's status (`data-status-url`) every 2 s (5 s after a network error); when the
 * file is ready the page is replaced by its download (`data-download-url`); when the render failed it
 * shows the error and a link to try again (`data-retry-url`, `data-retry-label`).  Loaded with
 * <script src>, only while the document is busy: the Content-Security-Policy allows no inline script.
 */
(function () {
  "use strict";

  var box = document.getElementById("document-progress");
  if (!box) { return; }
  var message = box.querySelector("[data-role=message]");

  function poll() {
    fetch(box.dataset.statusUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (s) {
        if (s.state === "ready") { window.location.replace(box.dataset.downloadUrl); return; }
        if (s.state === "failed") {
          message.textContent = s.error;
          message.setAttribute("role", "alert");
          message.className = "msg msg-error";
          var bar = box.querySelector("[data-role=bar]"); if (bar) { bar.remove(); }
          var again = document.createElement("a"); again.href = box.dataset.retryUrl; again.textContent = box.dataset.retryLabel;
          box.appendChild(again);
          return;
        }
        var state = box.querySelector("[data-role=state]"); if (state) { state.textContent = s.label; }
        var elapsed = box.querySelector("[data-role=elapsed]"); if (elapsed && s.elapsed_seconds !== null) { elapsed.textContent = s.elapsed_seconds; }
        setTimeout(poll, 2000);
      })
      .catch(function () { setTimeout(poll, 5000); });
  }

  setTimeout(poll, 1500);
})();

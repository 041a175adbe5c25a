/*
 * The official documents section of a report or period page (templates/reporting/_documents.html).
 *
 * Fetches the panel from the section's `data-panel-url` (the view applies the permissions: an empty
 * answer hides the section), puts it in `[data-role=panel]`, and fetches it again every 2 s while a
 * document is being rendered in the background (`data-busy` in the panel); after a network error it
 * tries again in 5 s.  Loaded with <script src>: the Content-Security-Policy allows no inline script.
 */
(function () {
  "use strict";

  var box = document.getElementById("official-documents");
  if (!box) { return; }
  var panel = box.querySelector("[data-role=panel]");

  function load() {
    fetch(box.dataset.panelUrl, {credentials: "same-origin"})
      .then(function (r) { return r.status === 200 ? r.text() : ""; })
      .then(function (html) {
        panel.innerHTML = html;
        box.hidden = !html;
        if (panel.querySelector("[data-busy]")) { setTimeout(load, 2000); }
      })
      .catch(function () { setTimeout(load, 5000); });
  }

  load();
})();

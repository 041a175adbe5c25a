/*
 * An entry saved on its own (htmx, "Lưu mục này") whose answer is not its fieldset: the server refused the
 * request before the app could answer (413: a file too large to send), failed, or could not be reached.
 * htmx then swaps nothing and says nothing, and the person would think it saved.  Say it in the entry, in
 * the page's language (the button carries the texts), keep what was typed, and mark the entry unsaved so
 * that unsaved.js warns before leaving.  The next save that succeeds replaces the whole fieldset.
 * Loaded with <script src> (no inline script: the Content-Security-Policy allows none).
 */
(function () {
  "use strict";

  function failed(event) {
    var button = event.detail && event.detail.elt;
    if (!button || !button.hasAttribute || !button.hasAttribute("data-save-failed")) { return; }
    var fieldset = button.closest("fieldset");
    var row = button.closest(".inline-save");
    if (!fieldset || !row) { return; }
    var xhr = event.detail.xhr;
    var text = xhr && xhr.status === 413 ? button.getAttribute("data-save-too-large") : button.getAttribute("data-save-failed");
    var notice = fieldset.querySelector("[data-role=save-failed]");
    if (!notice) {
      notice = document.createElement("p");
      notice.className = "msg msg-error";
      notice.setAttribute("role", "alert");
      notice.setAttribute("data-role", "save-failed");
      row.parentNode.insertBefore(notice, row);
    }
    notice.textContent = text;
    fieldset.setAttribute("data-unsaved", "");
  }

  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:sendError", failed);
}());

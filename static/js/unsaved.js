/*
 * Warn before leaving a page whose form holds text that is not saved yet.
 *
 * A form marked `data-warn-unsaved` is "dirty" when a box differs from what the page was loaded
 * (or, after an htmx save, swapped) with, when a file is chosen, or when the server showed the
 * user's input back unsaved (`data-unsaved` on the form or on a fieldset: a refused or
 * conflicting save).  Saving or sending the form itself does not warn; a button that posts
 * somewhere else (`formaction`, e.g. deleting an evidence file) still does, since what was typed
 * would be lost.  Loaded with <script src> (no inline script: a Content-Security-Policy is planned).
 */
(function () {
  "use strict";

  var leaving = false;

  function changed(field) {
    if (field.disabled || !field.name) { return false; }
    if (field.type === "file") { return field.files && field.files.length > 0; }
    if (field.type === "checkbox" || field.type === "radio") { return field.checked !== field.defaultChecked; }
    if (field.tagName === "SELECT") {
      for (var i = 0; i < field.options.length; i++) {
        if (field.options[i].selected !== field.options[i].defaultSelected) { return true; }
      }
      return false;
    }
    if (field.type === "hidden" || field.type === "submit" || field.type === "button") { return false; }
    return field.value !== field.defaultValue;
  }

  function dirty(form) {
    if (form.hasAttribute("data-unsaved") || form.querySelector("[data-unsaved]")) { return true; }
    var fields = form.elements;
    for (var i = 0; i < fields.length; i++) {
      if (changed(fields[i])) { return true; }
    }
    return false;
  }

  function forms() {
    return document.querySelectorAll("form[data-warn-unsaved]");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-warn-unsaved")) { return; }
    var submitter = event.submitter;
    // Saving or sending this form keeps what was typed; a button posting elsewhere does not.
    if (!(submitter && submitter.hasAttribute("formaction"))) { leaving = true; }
  });

  window.addEventListener("pageshow", function () { leaving = false; });  // back from the browser cache

  window.addEventListener("beforeunload", function (event) {
    if (leaving) { return; }
    var list = forms();
    for (var i = 0; i < list.length; i++) {
      if (dirty(list[i])) {
        event.preventDefault();
        event.returnValue = "";  // older browsers need a value to show their (fixed) warning
        return "";
      }
    }
  });
})();

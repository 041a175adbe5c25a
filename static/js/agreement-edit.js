/*
 * Entering an agreement (templates/agreements/edit/): suggestions while typing a body's name, and more
 * rows without a round trip.  The forms work without it: the server reads the names typed and shows
 * choices when one fits several bodies; this only saves time.  Loaded with <script src> (no inline
 * script: the Content-Security-Policy forbids it).
 *
 * - input[data-body-search=URL]: a <datalist> filled from URL?q=...&on=...&units=... (agreements.edit_views.body_search);
 *   `on` comes from data-on (YYYY-MM-DD) or the first date typed (dd/mm/yyyy) in the boxes data-on-from names,
 *   `units` from data-units or the selected <option data-units> of the <select> data-units-from names.
 *   Typing in a row clears the choices the server showed for it (they were for the old text).
 * - input[data-append-to=ID]: a picked suggestion (or Enter) adds a line to the textarea ID.
 * - button[data-add-rows=PREFIX]: adds data-count rows from <template id="PREFIX-empty"> to #PREFIX-rows and
 *   counts them in the formset's TOTAL_FORMS; without this script it is a submit button the server answers.
 */
(function () {
  "use strict";

  var DELAY_MS = 200;

  function pad(text) { return text.length < 2 ? "0" + text : text; }

  function isoDate(text) {
    var match = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text || "");
    return match ? match[3] + "-" + pad(match[2]) + "-" + pad(match[1]) : "";
  }

  function dayOf(input) {
    var ids = (input.getAttribute("data-on-from") || "").split(",");
    for (var i = 0; i < ids.length; i++) {
      var box = ids[i] && document.getElementById(ids[i]);
      var day = box ? isoDate(box.value) : "";
      if (day) { return day; }
    }
    return input.getAttribute("data-on") || "";
  }

  function unitsOf(input) {
    var from = input.getAttribute("data-units-from");
    if (from) {
      var select = document.getElementById(from);
      var option = select && select.options[select.selectedIndex];
      return option ? option.getAttribute("data-units") || "" : "";
    }
    return input.getAttribute("data-units") || "";
  }

  function listOf(input) {
    var id = input.getAttribute("list");
    return id ? document.getElementById(id) : null;
  }

  function isSuggestion(input) {
    var list = listOf(input);
    if (!list) { return false; }
    for (var i = 0; i < list.options.length; i++) {
      if (list.options[i].value === input.value) { return true; }
    }
    return false;
  }

  function clearChoices(input) {
    var row = input.closest("[data-row]");
    if (!row) { return; }
    var picked = row.querySelectorAll(".choices input:checked");
    for (var i = 0; i < picked.length; i++) { picked[i].checked = false; }
  }

  function suggest(input) {
    var list = listOf(input);
    var text = input.value.trim();
    if (!list || text.length < 2 || isSuggestion(input)) { return; }
    var params = new URLSearchParams({ q: text });
    var day = dayOf(input);
    var units = unitsOf(input);
    if (day) { params.set("on", day); }
    if (units) { params.set("units", units); }
    fetch(input.getAttribute("data-body-search") + "?" + params.toString(), {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      return response.ok ? response.json() : { results: [] };
    }).then(function (data) {
      if (input.value.trim() !== text) { return; }  // typed on since: a newer answer is coming
      list.textContent = "";
      data.results.forEach(function (body) {
        var option = document.createElement("option");
        option.value = body.label;
        option.textContent = body.unit + " · " + body.kind;
        list.appendChild(option);
      });
    }).catch(function () { /* no suggestions: the server still reads what is typed */ });
  }

  var serial = 0;

  function attach(input) {
    if (input.hasAttribute("data-picker-ready")) { return; }
    input.setAttribute("data-picker-ready", "");
    var list = document.createElement("datalist");
    serial += 1;
    list.id = "body-suggestions-" + serial;
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("list", list.id);
    var timer = null;
    input.addEventListener("input", function () {
      clearChoices(input);
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { suggest(input); }, DELAY_MS);
    });
    if (input.hasAttribute("data-append-to")) { attachAdder(input); }
  }

  function attachAdder(input) {
    var target = document.getElementById(input.getAttribute("data-append-to"));
    if (!target) { return; }
    input.hidden = false;
    function add() {
      var text = input.value.trim();
      if (!text) { return; }
      var lines = target.value.split("\n").filter(function (line) { return line.trim(); });
      if (lines.indexOf(text) < 0) { lines.push(text); }
      target.value = lines.join("\n");
      input.value = "";
    }
    input.addEventListener("input", function () { if (isSuggestion(input)) { add(); } });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); add(); }
    });
  }

  function attachAll(root) {
    var inputs = root.querySelectorAll("input[data-body-search]");
    for (var i = 0; i < inputs.length; i++) { attach(inputs[i]); }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-add-rows]") : null;
    if (!button) { return; }
    var prefix = button.getAttribute("data-add-rows");
    var template = document.getElementById(prefix + "-empty");
    var rows = document.getElementById(prefix + "-rows");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var most = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    if (!template || !rows || !total) { return; }  // the server adds them instead
    event.preventDefault();
    var count = parseInt(button.getAttribute("data-count") || "1", 10);
    var limit = most ? parseInt(most.value, 10) : 1000;
    var first = null;
    for (var i = 0; i < count; i++) {
      var index = parseInt(total.value, 10);
      if (index >= limit) { break; }
      var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      if (!first) { first = rows.lastElementChild; }
    }
    attachAll(rows);
    var box = first && first.querySelector("input[type=text], textarea");
    if (box) { box.focus(); }
  });

  document.addEventListener("DOMContentLoaded", function () { attachAll(document); });
  if (document.readyState !== "loading") { attachAll(document); }
}());

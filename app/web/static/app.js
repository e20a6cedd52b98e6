// Cobalto keyboard and small behaviours. No framework: htmx does the requests.
(function () {
  "use strict";

  function typing(target) {
    if (!target) return false;
    var tag = target.tagName;
    if (tag === "INPUT") {
      // Radios, checkboxes and buttons take no text: shortcuts still work on them.
      return !/^(radio|checkbox|button|submit|reset)$/.test(target.type);
    }
    return target.isContentEditable || tag === "TEXTAREA" || tag === "SELECT";
  }

  function rows() {
    var list = document.querySelector("table[data-list]");
    return list ? Array.prototype.slice.call(list.querySelectorAll("tbody tr[data-href]")) : [];
  }

  var selected = -1;

  function select(index) {
    var all = rows();
    if (!all.length) return;
    index = Math.max(0, Math.min(all.length - 1, index));
    all.forEach(function (tr) { tr.classList.remove("selected"); tr.removeAttribute("aria-selected"); });
    var row = all[index];
    row.classList.add("selected");
    row.setAttribute("aria-selected", "true");
    var link = row.querySelector("a.rowlink") || row.querySelector("a");
    if (link) link.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
    selected = index;
  }

  function openSelected() {
    var all = rows();
    var row = all[selected];
    if (row) window.location.href = row.getAttribute("data-href");
  }

  function clickFirst(selector) {
    var el = document.querySelector(selector);
    if (el) { el.click(); return true; }
    return false;
  }

  var pendingG = false;

  document.addEventListener("keydown", function (event) {
    // Ctrl/Cmd+Enter submits the form being edited.
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      var form = event.target && event.target.closest ? event.target.closest("form") : null;
      form = form || document.querySelector("form[data-submit-shortcut]");
      if (form) {
        event.preventDefault();
        if (form.requestSubmit) form.requestSubmit(); else form.submit();
      }
      return;
    }
    if (event.key === "Escape" && typing(event.target)) { event.target.blur(); return; }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var dialog = document.getElementById("shortcuts");
    if (dialog && dialog.open) return;

    if (pendingG) {
      pendingG = false;
      var go = { h: "/", c: "/customers", i: "/invoices", a: "/admin" }[event.key];
      if (go) { event.preventDefault(); window.location.href = go; }
      return;
    }
    switch (event.key) {
      case "?":
        event.preventDefault();
        if (dialog && dialog.showModal) dialog.showModal();
        break;
      case "/":
        var search = document.querySelector("[data-search]");
        if (search) { event.preventDefault(); search.focus(); search.select(); }
        break;
      case "j":
        event.preventDefault(); select(selected + 1); break;
      case "k":
        event.preventDefault(); select(selected < 0 ? 0 : selected - 1); break;
      case "o":
        if (selected >= 0) { event.preventDefault(); openSelected(); }
        break;
      case "Enter":
        if (selected >= 0 && rows()[selected]) { event.preventDefault(); openSelected(); }
        break;
      case "c":
        if (clickFirst("[data-create]")) event.preventDefault();
        break;
      case "e":
        if (clickFirst("[data-edit]")) event.preventDefault();
        break;
      case "g":
        pendingG = true;
        setTimeout(function () { pendingG = false; }, 1200);
        break;
    }
  });

  // A click anywhere on a row opens it (the first cell's link stays the accessible path).
  document.addEventListener("click", function (event) {
    var row = event.target.closest ? event.target.closest("tr[data-href]") : null;
    if (!row || event.target.closest("a, button, input, label, select")) return;
    window.location.href = row.getAttribute("data-href");
  });

  document.addEventListener("click", function (event) {
    var opener = event.target.closest ? event.target.closest("[data-shortcuts]") : null;
    if (opener) {
      var dialog = document.getElementById("shortcuts");
      if (dialog && dialog.showModal) dialog.showModal();
    }
  });

  // Destructive forms ask first.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  }, true);

  // Filter chips are radios: keep their "on" look in step with the checked state.
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches(".chips input[type=radio]")) {
      var group = event.target.closest(".chips");
      group.querySelectorAll(".chip").forEach(function (chip) {
        var input = chip.querySelector("input");
        chip.classList.toggle("on", !!(input && input.checked));
      });
    }
  });

  // After a refused form, put the cursor on the first field that needs fixing.
  document.addEventListener("DOMContentLoaded", function () {
    var invalid = document.querySelector("form [aria-invalid=true]");
    if (invalid) invalid.focus();
  });

  // Uploads through htmx: show how much of the file has gone up; the job's own page
  // takes over with the processing progress once the server answers.
  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = event.target && event.target.closest ? event.target.closest("form") : null;
    var bar = form && form.querySelector("[data-upload-progress]");
    if (!bar || !event.detail || !event.detail.lengthComputable) return;
    bar.hidden = false;
    bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
  });

  // New rows arrived: the old selection means nothing any more.
  document.addEventListener("htmx:afterSwap", function () { selected = -1; });
})();

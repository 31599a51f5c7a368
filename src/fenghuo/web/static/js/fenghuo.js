/* Fenghuo page behaviour. The Content-Security-Policy allows scripts only from this site's files
   (no inline <script>, no on*= attributes), so every page behaviour is attached here by selector.
   Each block is a no-op on pages without its elements. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", fn); } else { fn(); }
  }

  /* The dispute event form (disputes/overview.html): show only the fields of the chosen kind and
     mark those the kind requires. Each <fieldset class="kind-field"> names its kinds in data-kinds
     and the kinds that require it in data-required (space-separated). */
  function eventForm(root) {
    var kind = root.querySelector("#e-kind");
    if (!kind) { return; }
    function show() {
      root.querySelectorAll(".kind-field").forEach(function (fs) {
        var on = (fs.dataset.kinds || "").split(" ").indexOf(kind.value) >= 0;
        var req = (fs.dataset.required || "").split(" ").indexOf(kind.value) >= 0;
        fs.hidden = !on;
        fs.disabled = !on;
        var mark = fs.querySelector(".req");
        if (mark) { mark.hidden = !req; }
        var input = fs.querySelector("input:not([type=checkbox])");
        if (input) { input.required = req; }
      });
    }
    kind.addEventListener("change", show);
    show();
  }

  /* Destructive actions ask first: <form data-confirm="…"> or <button data-confirm="…">. */
  function confirmations() {
    document.addEventListener("submit", function (ev) {
      var form = ev.target;
      var button = ev.submitter;
      var text = (button && button.dataset.confirm) || (form && form.dataset && form.dataset.confirm);
      if (text && !window.confirm(text)) { ev.preventDefault(); }
    }, true);
  }

  /* <select data-autosubmit> submits its form when changed (filters). */
  function autosubmit() {
    document.addEventListener("change", function (ev) {
      var el = ev.target;
      if (el && el.matches && el.matches("select[data-autosubmit]") && el.form) { el.form.requestSubmit(); }
    });
  }

  ready(function () {
    var form = document.getElementById("event-form");
    if (form) { eventForm(form); }
    confirmations();
    autosubmit();
  });
})();

// The claims index (claims/): filter the table by form, verdict, certainty, citation check
// and a word of the claim. Self-hosted, no dependencies; without it the whole table shows.
(function () {
  "use strict";
  var form = document.getElementById("ev-filter");
  var table = document.getElementById("ev-claims-index");
  if (!form || !table) return;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var count = document.getElementById("ev-filter-count");
  var none = document.getElementById("ev-filter-none");
  var fields = ["form", "verdict", "certainty", "citation"];

  function words(text) {
    return text.toLowerCase().split(/[^a-z0-9%]+/).filter(Boolean);
  }

  function apply() {
    var wanted = words(form.elements.q.value);
    var shown = 0;
    rows.forEach(function (row) {
      var text = row.cells[0].textContent.toLowerCase();
      var ok = fields.every(function (name) {
        var value = form.elements[name].value;
        return !value || row.getAttribute("data-" + name) === value;
      }) && wanted.every(function (w) { return text.indexOf(w) !== -1; });
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    count.textContent = shown === rows.length
      ? "Showing all " + rows.length + " claims."
      : "Showing " + shown + " of " + rows.length + " claims.";
    none.hidden = shown !== 0;
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  form.hidden = false;
  apply();
})();

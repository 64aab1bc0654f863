// The claims index (claims/): filter the claims by form, verdict, certainty, citation check
// and words. Self-hosted, no dependencies; without it every claim shows, with a contents list.
// Words: a claim matches when it holds ANY of the reader's words, small words left out, with
// simple stemming ("helps", "helping" → "help"), in its text or in the names of its forms (the
// row's data-terms: "MgT", "Magtein"); in each group, claims holding more words come first.
// The filters live in the address (claims/?verdict=contradicted&form=magnesium&words=…), so
// they survive Back and can be shared.
(function () {
  "use strict";
  var form = document.getElementById("ev-filter");
  var index = document.getElementById("ev-claims-index");
  if (!form || !index) return;
  var count = document.getElementById("ev-filter-count");
  var none = document.getElementById("ev-filter-none");
  var selects = ["verdict", "form", "certainty", "citation"];
  var keys = ["words"].concat(selects); // the address's keys, in this order (not "q": the
  // theme opens its own search for ?q=)
  var SMALL = new Set(("a about an and any are as at be but by can could did do does for " +
    "from had has have how i if in into is it its me my no not of on or our should so than " +
    "that the their them then there these they this to was we what when where which who why " +
    "will with would you your").split(" "));

  function stem(word) {
    return word
      .replace(/ie[sd]$/, "y")                     // studies, studied → study
      .replace(/sses$/, "ss")                      // losses → loss
      .replace(/([^siu])s$/, "$1")                 // helps → help (not loss, status, analysis)
      .replace(/^(.{3,}?)(?:ing|ed|ly)$/, "$1")    // helped, helping → help
      .replace(/([^aeiouls])\1$/, "$1")            // thinn(ing) → thin
      .replace(/^(.{3,})e$/, "$1");                // reduce, reduced → reduc
  }

  function stems(text, leaveOutSmall) {
    return text.toLowerCase().split(/[^a-z0-9]+/).filter(function (w) {
      return w && !(leaveOutSmall && (w.length < 2 || SMALL.has(w)));
    }).map(stem);
  }

  var claims = Array.prototype.map.call(index.querySelectorAll("tr[data-verdict]"),
    function (row, order) {
      return { row: row, order: order, score: 0,
        stems: stems(row.cells[0].textContent + " " + row.getAttribute("data-terms"), false) };
    });

  function matchesSelects(row) {
    return selects.every(function (name) {
      var value = form.elements[name].value;  // data-form may list several forms
      return !value || (row.getAttribute("data-" + name) || "").split(" ").indexOf(value) !== -1;
    });
  }

  var sortedFor = "";

  function apply() {
    var wanted = stems(form.elements.words.value, true);
    var shown = 0;
    claims.forEach(function (c) {
      c.score = wanted.filter(function (w) {
        return c.stems.some(function (s) { return s.lastIndexOf(w, 0) === 0; });
      }).length;
      c.row.hidden = !(matchesSelects(c.row) && (!wanted.length || c.score > 0));
      if (!c.row.hidden) shown += 1;
    });
    // best matches first in each group; the site's order otherwise. Rows move only when the
    // words change: a row moved under the pointer loses the click on its link.
    if (wanted.join(" ") !== sortedFor) {
      sortedFor = wanted.join(" ");
      claims.slice().sort(function (a, b) { return b.score - a.score || a.order - b.order; })
        .forEach(function (c) { c.row.parentNode.appendChild(c.row); });
    }
    Array.prototype.forEach.call(index.querySelectorAll(".ev-claims-group"), function (group) {
      group.hidden = !group.querySelector("tr[data-verdict]:not([hidden])");
    });
    count.textContent = (shown === claims.length
      ? "Showing all " + claims.length + " claims"
      : "Showing " + shown + " of " + claims.length + " claims") +
      (wanted.length > 1 && shown > 1 ? ", those with most of your words first." : ".");
    none.hidden = shown !== 0;
  }

  function readAddress() {
    var params = new URLSearchParams(location.search);
    keys.forEach(function (key) {
      var field = form.elements[key];
      field.value = params.get(key) || "";
      if (field.selectedIndex === -1) field.selectedIndex = 0;  // an unknown value: Any
    });
  }

  function writeAddress() {
    var params = new URLSearchParams();
    keys.forEach(function (key) {
      var value = form.elements[key].value.trim();
      if (value) params.set(key, value);
    });
    var query = params.toString();
    try {
      history.replaceState(history.state, "",
        (query ? "?" + query : location.pathname) + location.hash);
    } catch (e) { /* some browsers refuse it for file:// pages; the filters still work */ }
  }

  function update() { apply(); writeAddress(); }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () { setTimeout(update, 0); });
  // The contents list leads through all the claims: following one of its links clears the
  // filters first, so that the claims it leads to are on screen.
  var contents = document.querySelector(".ev-contents");
  if (contents) contents.addEventListener("click", function (event) {
    if (event.target.closest("a[href^='#']")) { form.reset(); update(); }
  });
  readAddress();
  form.hidden = false;
  apply();
})();

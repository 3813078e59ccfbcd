/* Progressive enhancement for the portal. Without JavaScript every list is complete and
   events carry the state they had at build time; with it, readers get filters, and events
   that have ended since the last build are marked as past. */
(function () {
  "use strict";

  function markPast(root) {
    var now = Date.now();
    root.querySelectorAll("[data-end]").forEach(function (el) {
      var end = Date.parse(el.getAttribute("data-end"));
      if (!isNaN(end) && end <= now) {
        el.classList.add("is-past");
        el.setAttribute("data-time", "past");
        el.querySelectorAll("[data-past-chip]").forEach(function (chip) { chip.hidden = false; });
      }
    });
  }

  function setupFilter(form) {
    var target = document.getElementById(form.getAttribute("data-filter-for"));
    if (!target) { return; }
    var cards = Array.prototype.slice.call(target.querySelectorAll(".portal-card"));
    var count = form.querySelector(".portal-filter__count");
    function apply() {
      var wanted = {};
      form.querySelectorAll("select").forEach(function (s) { wanted[s.name] = s.value; });
      var shown = 0;
      cards.forEach(function (card) {
        var ok = Object.keys(wanted).every(function (key) {
          var value = wanted[key];
          if (!value) { return true; }
          if (key === "tag") {
            return (" " + (card.getAttribute("data-tags") || "") + " ").indexOf(" " + value + " ") >= 0;
          }
          if (key === "region") {
            // A Land also shows what is Bund-wide, as its region page does.
            var named = (card.getAttribute("data-regions") || "").split(" ");
            return named.indexOf(value) >= 0 || (value.indexOf("DE-") === 0 && named.indexOf("bund") >= 0);
          }
          return card.getAttribute("data-" + key) === value;
        });
        card.hidden = !ok;
        if (ok) { shown += 1; }
      });
      target.querySelectorAll("section[data-section]").forEach(function (section) {
        section.hidden = section.querySelectorAll(".portal-card:not([hidden])").length === 0 &&
          section.querySelectorAll(".portal-card").length > 0;
      });
      if (count) { count.textContent = shown + " von " + cards.length + " Einträgen angezeigt"; }
    }
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }

  function init() {
    markPast(document);
    document.querySelectorAll("form.portal-filter").forEach(setupFilter);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

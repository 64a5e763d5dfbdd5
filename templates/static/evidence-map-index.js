/* Filters of a split evidence map's index page (progressive enhancement).
 * Each table of the map is a page of its own; its row here carries how many claims it holds per
 * tier, certainty and findings (data-counts: "tier grade direction count;..."). The filters add
 * those up, show how many claims of each table match, hide tables with none, and pass the choice
 * on to the tables' links (?tier=off-label&grade=low), where the table's own filters apply it.
 * Without JavaScript, static/noscript.css hides the filters and every table is listed. */
(function () {
  "use strict";
  var form = document.getElementById("map-filters");
  var table = document.getElementById("map-parts");
  if (!form || !table) {
    return;
  }
  var count = document.getElementById("map-count");
  var empty = document.getElementById("map-empty");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
  var names = ["tier", "grade", "direction"];
  var parts = Array.prototype.slice.call(table.querySelectorAll("tr.map-part")).map(function (row) {
    var counts = (row.getAttribute("data-counts") || "").split(";").filter(Boolean).map(function (entry) {
      var fields = entry.split(" ");
      return { tier: fields[0], grade: fields[1], direction: fields[2], count: Number(fields[3]) };
    });
    var link = row.querySelector("a");
    return { row: row, counts: counts, link: link, href: link.getAttribute("href"), cell: row.querySelector(".part-count") };
  });

  /* The page's words (data- attributes written from the locale file), with their {placeholders} filled in. */
  function fill(text, values) {
    return (text || "").replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole;
    });
  }

  function claims(n) {
    return fill(count.getAttribute(n === 1 ? "data-one" : "data-other"), { count: n.toLocaleString("en") });
  }

  function query() {
    var params = new URLSearchParams();
    selects.forEach(function (select) {
      if (select.value && names.indexOf(select.name) !== -1) {
        params.set(select.name, select.value);
      }
    });
    return params.toString();
  }

  function apply() {
    var shown = 0;
    var total = 0;
    var wanted = query();
    parts.forEach(function (part) {
      var all = 0;
      var matching = 0;
      part.counts.forEach(function (entry) {
        all += entry.count;
        if (selects.every(function (select) { return !select.value || entry[select.name] === select.value; })) {
          matching += entry.count;
        }
      });
      total += all;
      shown += matching;
      part.row.hidden = matching === 0;
      part.cell.textContent = matching === all ? claims(all) : fill(count.getAttribute("data-some"), { shown: matching.toLocaleString("en"), claims: claims(all) });
      part.link.setAttribute("href", wanted ? part.href + "?" + wanted : part.href);
    });
    count.textContent = shown === total
      ? fill(count.getAttribute("data-showing"), { claims: claims(total) })
      : fill(count.getAttribute("data-showing-some"), { shown: shown.toLocaleString("en"), claims: claims(total) });
    empty.hidden = shown !== 0;
    try {
      history.replaceState(null, "", wanted ? "?" + wanted : window.location.pathname);
    } catch (error) {
      /* Some browsers refuse to change the address of a file opened from disk; the filter still works. */
    }
  }

  var params = new URLSearchParams(window.location.search);
  selects.forEach(function (select) {
    var value = params.get(select.name);
    if (value && select.querySelector('option[value="' + CSS.escape(value) + '"]')) {
      select.value = value;
    }
  });
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () {
    /* The reset event fires before the controls are reset. */
    window.setTimeout(apply, 0);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  apply();
})();

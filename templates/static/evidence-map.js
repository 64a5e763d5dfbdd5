/* Evidence map filters (progressive enhancement).
 * The form is in the page from the start, so showing it moves nothing (no layout shift);
 * without JavaScript, static/noscript.css hides it and the whole table shows. With it, the
 * filters hide rows that do not match, hide conditions left with no row, say how many
 * claims are shown, and keep the choice in the address (?tier=off-label&grade=low)
 * so a filtered map can be linked to. */
(function () {
  "use strict";
  var form = document.getElementById("map-filters");
  var table = document.getElementById("evidence-map");
  if (!form || !table) {
    return;
  }
  var count = document.getElementById("map-count");
  var empty = document.getElementById("map-empty");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
  var rows = Array.prototype.slice.call(table.querySelectorAll("tr.map-row"));
  var groups = Array.prototype.slice.call(table.querySelectorAll("tbody.map-group"));

  /* The page's words (data- attributes written from the locale file), with their {placeholders} filled in. */
  function fill(text, values) {
    return (text || "").replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole;
    });
  }

  function matches(row) {
    return selects.every(function (select) {
      return !select.value || row.getAttribute("data-" + select.name) === select.value;
    });
  }

  function remember() {
    var params = new URLSearchParams();
    selects.forEach(function (select) {
      if (select.value) {
        params.set(select.name, select.value);
      }
    });
    var query = params.toString();
    try {
      history.replaceState(null, "", query ? "?" + query : window.location.pathname);
    } catch (error) {
      /* Some browsers refuse to change the address of a file opened from disk; the filter still works. */
    }
  }

  function apply() {
    var shown = 0;
    rows.forEach(function (row) {
      var match = matches(row);
      row.hidden = !match;
      if (match) {
        shown += 1;
      }
    });
    groups.forEach(function (group) {
      group.hidden = !group.querySelector("tr.map-row:not([hidden])");
    });
    /* The same words as the count written into the page, so that nothing moves when the script starts. */
    var total = fill(count.getAttribute(rows.length === 1 ? "data-one" : "data-other"), { count: rows.length.toLocaleString("en") });
    count.textContent = shown === rows.length
      ? fill(count.getAttribute("data-showing"), { claims: total })
      : fill(count.getAttribute("data-showing-some"), { shown: shown.toLocaleString("en"), claims: total });
    empty.hidden = shown !== 0;
  }

  var params = new URLSearchParams(window.location.search);
  selects.forEach(function (select) {
    var wanted = params.get(select.name);
    if (wanted && select.querySelector('option[value="' + CSS.escape(wanted) + '"]')) {
      select.value = wanted;
    }
  });
  form.addEventListener("change", function () {
    apply();
    remember();
  });
  form.addEventListener("reset", function () {
    /* The reset event fires before the controls are reset. */
    window.setTimeout(function () {
      apply();
      remember();
    }, 0);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  apply();
})();

/* Site search with Pagefind (progressive enhancement).
 * Without JavaScript the page shows links to the evidence map, the conditions and the
 * sources instead of the form. With it, the form appears, the Pagefind bundle is loaded
 * from pagefind/ on first use, and results are written with DOM methods only: the
 * excerpt's HTML is parsed and only its text and <mark> elements are kept. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form) {
    return;
  }
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var fallback = document.getElementById("search-fallback");
  var reason = document.getElementById("search-fallback-reason");
  var bundle = new URL(form.getAttribute("data-bundle"), document.baseURI).href;
  var root = new URL(form.getAttribute("data-root") + "./", document.baseURI).pathname;
  var MAX_RESULTS = 30;
  var loading = null;
  var generation = 0;
  var timer = null;

  /* The page's words (data- attributes written from the locale file), with their {placeholders} filled in. */
  function fill(text, values) {
    return (text || "").replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole;
    });
  }

  function said(name, values) {
    return fill(form.getAttribute("data-" + name), values || {});
  }

  function load() {
    if (!loading) {
      loading = import(bundle + "pagefind.js").then(function (pagefind) {
        return pagefind.options({ baseUrl: root, excerptLength: 26, ranking: { pageLength: 0.1 } }).then(function () {
          return pagefind.init();
        }).then(function () {
          return pagefind;
        });
      });
    }
    return loading;
  }

  function chosenType() {
    var checked = form.querySelector('input[name="type"]:checked');
    return checked ? checked.value : "";
  }

  function remember(query, type) {
    var params = new URLSearchParams();
    if (query) {
      params.set("q", query);
    }
    if (type) {
      params.set("type", type);
    }
    var search = params.toString();
    try {
      history.replaceState(null, "", search ? "?" + search : window.location.pathname);
    } catch (error) {
      /* A page opened from disk may refuse; searching still works. */
    }
  }

  function excerpt(html) {
    var parsed = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html");
    var out = document.createElement("p");
    out.className = "result-excerpt";
    parsed.body.firstChild.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  }

  function result(data) {
    var meta = data.meta || {};
    var item = document.createElement("li");
    item.className = "search-result";
    var heading = document.createElement("h2");
    heading.className = "result-title";
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = meta.title || data.url;
    heading.appendChild(link);
    item.appendChild(heading);
    var facts = [meta.type, meta.condition || meta.group, meta.tier, meta.grade, meta.design, meta.year].filter(Boolean);
    if (facts.length) {
      var line = document.createElement("p");
      line.className = "result-meta";
      line.textContent = facts.join(" · ");
      item.appendChild(line);
    }
    item.appendChild(excerpt(data.excerpt || ""));
    return item;
  }

  /* A reader who types a condition's name (or another name for it) wants that condition's page
   * first, even though each of its claims mentions the name more densely. */
  function bestBetsFirst(items, query) {
    var wanted = query.toLowerCase();
    function names(data) {
      var meta = data.meta || {};
      return [meta.title || ""].concat((meta.aka || "").split(";")).map(function (n) { return n.trim().toLowerCase(); });
    }
    function isBestBet(data) {
      return (data.meta || {}).type === "Condition" && names(data).some(function (n) { return n && n.indexOf(wanted) !== -1; });
    }
    return items.filter(isBestBet).concat(items.filter(function (d) { return !isBestBet(d); }));
  }

  function failed() {
    status.textContent = said("failed");
    reason.textContent = said("failed-reason");
    fallback.hidden = false;
  }

  function run() {
    var query = input.value.trim();
    var type = chosenType();
    var mine = ++generation;
    remember(query, type);
    if (!query) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    status.textContent = said("searching");
    load().then(function (pagefind) {
      return pagefind.search(query, type ? { filters: { type: type } } : {});
    }).then(function (search) {
      if (mine !== generation) {
        return null;
      }
      var total = search.results.length;
      return Promise.all(search.results.slice(0, MAX_RESULTS).map(function (r) { return r.data(); })).then(function (items) {
        if (mine !== generation) {
          return;
        }
        list.replaceChildren.apply(list, bestBetsFirst(items, query).map(result));
        var quoted = said("quoted", { query: query });
        var results = said(total === 1 ? "one" : "other", { count: String(total) });
        status.textContent = total === 0
          ? said("none", { query: quoted })
          : said(total > MAX_RESULTS ? "found-first" : "found", { results: results, query: quoted, max: String(MAX_RESULTS) });
      });
    }).catch(function () {
      if (mine === generation) {
        failed();
      }
    });
  }

  var params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  var wanted = params.get("type");
  form.querySelectorAll('input[name="type"]').forEach(function (radio) {
    radio.checked = wanted ? radio.value === wanted : radio.value === "";
  });
  form.hidden = false;
  fallback.hidden = true;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    run();
  });
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 300);
  });
  form.addEventListener("change", function (event) {
    if (event.target.name === "type") {
      run();
    }
  });
  if (input.value) {
    run();
  }
})();

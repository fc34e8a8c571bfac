/* Browse page: rows drawn from browse.json, a page at a time; text and facet filters,
 * sortable columns, a compact view, and ticks to compare projects. The state is kept
 * in the URL query (?text=&kind=...&sort=stars&dir=desc&view=compact).
 *
 * Rows are built with createElement, textContent and attributes only, never HTML from
 * data, so entry content stays inert. The words filter is ?text=, not ?q=: Material
 * opens its own search box for ?q=. Without JavaScript the page links to the category
 * pages, which list every project.
 */
(function () {
  "use strict";

  var root = document.getElementById("aic-browse");
  var table = document.getElementById("aic-table");
  var form = document.getElementById("aic-filters");
  if (!root || !table || !form || !window.fetch || !window.aicDom) {
    return;
  }
  var PAGE = 100;
  var MAX_COMPARE = 4;
  var tbody = table.tBodies[0];
  var count = document.getElementById("aic-count");
  var more = document.getElementById("aic-more");
  var compact = document.getElementById("aic-compact");
  var compareLink = document.getElementById("aic-compare");
  var compareNote = document.getElementById("aic-compare-note");
  var fold = document.getElementById("aic-filters-fold");
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var controls = Array.prototype.slice.call(form.querySelectorAll("[data-facet]"));
  var facets = controls.filter(function (c) { return c.dataset.facet !== "text"; });
  var text = form.querySelector('[data-facet="text"]');
  var prefix = root.dataset.projectPrefix;
  var suffix = root.dataset.projectSuffix;

  var data = null; /* {kinds, categories, levels} from browse.json */
  var rows = []; /* one object per project, in reading order */
  var shown = []; /* the rows that match, in the current order */
  var limit = PAGE;
  var selected = [];
  var sort = { key: "", dir: "asc" };

  var el = window.aicDom.el; /* dom.js */
  var badge = window.aicDom.badge;

  function levelIndex(level) {
    var i = data.levels.indexOf(level);
    return i < 0 ? 9 : i;
  }

  /* One project as the filters and the sort see it. */
  function record(values, index) {
    var r = {};
    data.columns.forEach(function (name, i) { r[name] = values[i]; });
    r.index = index;
    r.kindLabel = data.kinds[r.kind] || r.kind;
    r.categoryLabel = data.categories[r.categories[0]] || r.categories[0];
    r.facets = {
      kind: [r.kind],
      category: r.categories,
      code: [r.code],
      weights: [r.weights],
      level: [r.level],
      domain: r.domains,
      status: [r.status],
      activity: [r.activity]
    };
    /* Numbers as numbers, text as text, "" where nothing was collected. */
    r.sortValues = {
      name: r.name.toLowerCase(),
      kind: r.kindLabel,
      category: r.categoryLabel,
      code: levelIndex(r.code),
      weights: r.weights === "none" ? 9 : levelIndex(r.weights),
      stars: r.stars === null ? "" : r.stars,
      active: r.last || "",
      added: r.added
    };
    r.text = [
      r.name, r.description, r.kindLabel,
      r.categories.map(function (c) { return data.categories[c] || c; }).join(" "),
      r.code_licence, r.code, r.weights, r.tags.join(" ")
    ].join(" ").toLowerCase();
    r.tr = null;
    return r;
  }

  function cell(tr, key, value, label) {
    var td = el("td");
    if (value !== undefined) {
      td.dataset.value = String(value);
    }
    if (label) {
      td.dataset.label = label;
    }
    tr.appendChild(td);
    return td;
  }

  function muted(td) {
    td.appendChild(el("span", "aic-muted", "\u2013"));
  }

  /* A row's element, built once, the first time it is shown. */
  function draw(r) {
    if (r.tr) {
      return r.tr;
    }
    var tr = el("tr");
    var first = cell(tr, "name", r.sortValues.name);
    var tick = el("input", "aic-tick");
    tick.type = "checkbox";
    tick.value = r.id;
    tick.setAttribute("aria-label", "Compare " + r.name);
    tick.checked = selected.indexOf(r.id) >= 0;
    first.appendChild(tick);
    var link = el("a", null, r.name);
    link.href = prefix + r.id + suffix;
    first.appendChild(link);
    first.appendChild(el("span", "aic-desc", r.description));
    cell(tr, "kind").textContent = r.kindLabel;
    cell(tr, "category", r.categoryLabel).textContent = r.categoryLabel;
    var code = cell(tr, "code", r.sortValues.code, "Code");
    /* A plain SPDX expression as code; LicenseRefs come as words, shown as such. */
    code.appendChild(el(r.code_plain ? "code" : "span", r.code_plain ? null : "aic-licence-ref",
      r.code_licence));
    code.appendChild(document.createTextNode(" "));
    code.appendChild(badge(r.code));
    var weights = cell(tr, "weights", r.sortValues.weights, "Weights");
    if (r.weights === "none") {
      weights.appendChild(el("span", "aic-muted", "none"));
    } else {
      weights.appendChild(badge(r.weights));
    }
    var stars = cell(tr, "stars", r.sortValues.stars, "Stars");
    stars.className = "aic-num";
    if (r.stars === null) {
      muted(stars);
    } else {
      stars.textContent = r.stars.toLocaleString("en-US");
    }
    var last = cell(tr, "active", r.sortValues.active, "Last activity");
    if (r.last) {
      var time = el("time", null, r.last);
      time.setAttribute("datetime", r.last);
      last.appendChild(time);
    } else {
      muted(last);
    }
    cell(tr, "added", r.added, "Added").textContent = r.added;
    r.tr = tr;
    return tr;
  }

  function readQuery() {
    var params = new URLSearchParams(window.location.search);
    controls.forEach(function (c) {
      var value = params.get(c.dataset.facet) || "";
      if (c.tagName === "SELECT" && !Array.prototype.some.call(c.options, function (o) {
        return o.value === value;
      })) {
        value = "";
      }
      c.value = value;
    });
    var key = params.get("sort") || "";
    sort.key = headers.some(function (th) { return th.dataset.sort === key; }) ? key : "";
    sort.dir = params.get("dir") === "desc" ? "desc" : "asc";
    compact.checked = params.get("view") === "compact";
  }

  function writeQuery() {
    var params = new URLSearchParams();
    controls.forEach(function (c) {
      if (c.value) {
        params.set(c.dataset.facet, c.value);
      }
    });
    if (sort.key) {
      params.set("sort", sort.key);
      params.set("dir", sort.dir);
    }
    if (compact.checked) {
      params.set("view", "compact");
    }
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    window.history.replaceState(null, "", url);
  }

  function matches(r, words, wanted) {
    for (var i = 0; i < wanted.length; i++) {
      if (r.facets[wanted[i][0]].indexOf(wanted[i][1]) < 0) {
        return false;
      }
    }
    for (var j = 0; j < words.length; j++) {
      if (r.text.indexOf(words[j]) < 0) {
        return false;
      }
    }
    return true;
  }

  var collator = new Intl.Collator(undefined, { numeric: true });

  /* Numbers compare as numbers, ISO dates and text as text; an empty value (nothing
   * collected) goes last in either direction, so "most stars" starts with real figures. */
  function compare(x, y) {
    if (x === "" || y === "") {
      return x === y ? 0 : (x === "" ? 1 : -1);
    }
    if (typeof x === "number") {
      return x - y;
    }
    return collator.compare(x, y);
  }

  function ordered(list) {
    var key = sort.key;
    var sign = sort.dir === "desc" ? -1 : 1;
    if (!key) {
      return list;
    }
    return list.slice().sort(function (a, b) {
      var x = a.sortValues[key];
      var y = b.sortValues[key];
      var cmp = compare(x, y);
      if (x !== "" && y !== "") {
        cmp *= sign;
      }
      return cmp !== 0 ? cmp : a.index - b.index;
    });
  }

  /* Filter, sort and draw the first `limit` matching rows. */
  function apply() {
    var words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
    var wanted = facets.filter(function (c) { return c.value; }).map(function (c) {
      return [c.dataset.facet, c.value];
    });
    shown = ordered(rows.filter(function (r) { return matches(r, words, wanted); }));
    render();
    headers.forEach(function (th) {
      var on = th.dataset.sort === sort.key;
      th.setAttribute("aria-sort", on ? (sort.dir === "asc" ? "ascending" : "descending") : "none");
    });
    count.textContent = shown.length === rows.length
      ? rows.length + " projects"
      : shown.length + " of " + rows.length + " projects match";
  }

  function render() {
    var fragment = document.createDocumentFragment();
    var n = Math.min(limit, shown.length);
    for (var i = 0; i < n; i++) {
      fragment.appendChild(draw(shown[i]));
    }
    tbody.textContent = "";
    tbody.appendChild(fragment);
    var rest = shown.length - n;
    more.hidden = rest <= 0;
    more.textContent = "Show " + Math.min(rest, PAGE) + " more (" + rest + " not shown)";
  }

  function updateCompare() {
    var n = selected.length;
    var ok = n >= 2 && n <= MAX_COMPARE;
    compareLink.textContent = "Compare selected (" + n + ")";
    if (ok) {
      compareLink.href = root.dataset.compare + "?ids=" + selected.map(encodeURIComponent).join(",");
      compareLink.removeAttribute("aria-disabled");
      compareLink.classList.add("md-button--primary");
    } else {
      compareLink.removeAttribute("href");
      compareLink.setAttribute("aria-disabled", "true");
      compareLink.classList.remove("md-button--primary");
    }
    compareNote.textContent = n > MAX_COMPARE
      ? "Compare takes at most " + MAX_COMPARE + " projects: untick " + (n - MAX_COMPARE) + "."
      : (ok ? "" : "Tick 2 to " + MAX_COMPARE + " projects to compare them.");
  }

  function setCompact() {
    table.classList.toggle("aic-table--compact", compact.checked);
  }

  /* Turn each sortable heading into a button. */
  headers.forEach(function (th) {
    var button = el("button", "aic-sort", th.textContent);
    button.type = "button";
    button.addEventListener("click", function () {
      var first = th.dataset.first === "desc" ? "desc" : "asc";
      var second = first === "asc" ? "desc" : "asc";
      sort.dir = sort.key === th.dataset.sort && sort.dir === first ? second : first;
      sort.key = th.dataset.sort;
      limit = PAGE;
      apply();
      writeQuery();
    });
    th.textContent = "";
    th.appendChild(button);
  });

  function changed() {
    limit = PAGE;
    apply();
    writeQuery();
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () { window.setTimeout(changed, 0); });
  more.addEventListener("click", function () {
    limit += PAGE;
    render();
  });
  compact.addEventListener("change", function () {
    setCompact();
    writeQuery();
  });
  tbody.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.classList || !box.classList.contains("aic-tick")) {
      return;
    }
    var at = selected.indexOf(box.value);
    if (box.checked && at < 0) {
      selected.push(box.value);
    } else if (!box.checked && at >= 0) {
      selected.splice(at, 1);
    }
    updateCompare();
  });

  window.aicDom.getJson(root.dataset.src, "browse.json")
    .then(function (json) {
      data = json;
      rows = json.rows.map(record);
      /* Phones start with the filters folded away. */
      if (window.matchMedia && window.matchMedia("(max-width: 44.9375em)").matches) {
        fold.open = false;
      }
      fold.hidden = false;
      table.hidden = false;
      document.getElementById("aic-bar").hidden = false;
      document.getElementById("aic-browse-fallback").hidden = true;
      readQuery();
      setCompact();
      updateCompare();
      apply();
      root.dataset.ready = "true";
    })
    .catch(function (error) {
      document.getElementById("aic-bar").hidden = false;
      count.textContent = "The table could not be loaded (" + error.message + ").";
    });
})();

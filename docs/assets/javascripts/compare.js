/* Compare page (compare/?ids=a,b,c): 2 to 4 projects side by side, from projects.json.
 *
 * Every cell is built with createElement and textContent, never HTML from data: entry
 * text stays inert. Words the site derives in Python (licence names, the registry's
 * answers, Get it commands, grades and levels) come from the page's data-config.
 * The address keeps the list (history.replaceState), so a comparison can be shared.
 */
(function () {
  "use strict";

  var root = document.getElementById("aic-compare-page");
  if (!root || !window.fetch || !window.aicDom) {
    return;
  }
  var config = JSON.parse(root.dataset.config);
  var table = document.getElementById("aic-compare-table");
  var wrap = document.getElementById("aic-compare-wrap");
  var status = document.getElementById("aic-compare-status");
  var form = document.getElementById("aic-compare-add");
  var input = document.getElementById("aic-compare-input");
  var names = document.getElementById("aic-compare-names");
  var prefix = root.dataset.projectPrefix;
  var suffix = root.dataset.projectSuffix;
  var byId = {};
  var byName = {};
  var ids = [];
  var notice = ""; /* said once, with the first drawing */

  var el = window.aicDom.el; /* dom.js */
  var badge = window.aicDom.badge;

  function readIds() {
    var raw = new URLSearchParams(window.location.search).get("ids") || "";
    var seen = {};
    return raw.split(",").map(function (s) { return s.trim(); }).filter(function (s) {
      if (!s || seen[s]) {
        return false;
      }
      seen[s] = true;
      return true;
    });
  }

  function writeIds() {
    var query = ids.length ? "?ids=" + ids.map(encodeURIComponent).join(",") : "";
    window.history.replaceState(null, "", window.location.pathname + query);
  }

  function tokens(expression) {
    return expression.split(/(\s+|[()])/).filter(Boolean);
  }

  /* A licence expression, LicenseRefs in words (never the raw id). */
  function licence(expression) {
    if (config.labels[expression]) {
      return el("span", "aic-licence-ref", config.labels[expression]);
    }
    var plain = expression.indexOf("LicenseRef-") < 0;
    var words = tokens(expression).map(function (t) { return config.labels[t] || t; }).join("");
    return el(plain ? "code" : "span", plain ? null : "aic-licence-ref", words);
  }

  /* What the site can answer for a part without registry terms, from its openness. */
  var PLAIN = {
    commercial: {
      open: "Yes: an open licence.",
      closed: "No licence grants it: not released openly.",
      "not-applicable": "Nothing to license."
    },
    pass_on: {
      open: "No use restrictions: an open licence (copyleft ones ask you to keep the licence).",
      closed: "No licence to pass on.",
      "not-applicable": "Nothing to license."
    }
  };

  /* For each licensed part, the registry's answers for its licences, else a plain one. */
  function answers(p, key) {
    var out = [];
    var seen = {};
    ["weights", "code", "data"].forEach(function (part) {
      var expression = p.license[part];
      if (!expression) {
        return;
      }
      var found = false;
      tokens(expression).forEach(function (t) {
        var terms = config.terms[t];
        if (terms) {
          found = true;
          if (!seen[t]) {
            seen[t] = true;
            out.push([terms.name, terms[key]]);
          }
        }
      });
      if (!found) {
        var plain = PLAIN[key][p.openness[part]] || "See the licence and the entry's licence note.";
        out.push([part.charAt(0).toUpperCase() + part.slice(1), plain]);
      }
    });
    return out;
  }

  function partCell(p, part) {
    var td = el("td");
    var expression = p.license[part];
    if (!expression) {
      td.appendChild(el("span", "aic-muted", "none"));
      return td;
    }
    td.appendChild(licence(expression));
    var level = p.openness[part];
    if (level) {
      td.appendChild(document.createTextNode(" "));
      td.appendChild(badge(level));
    }
    return td;
  }

  function answersCell(p, key) {
    var td = el("td");
    answers(p, key).forEach(function (pair, i) {
      if (i) {
        td.appendChild(el("br"));
      }
      td.appendChild(el("strong", null, pair[0] + ": "));
      td.appendChild(document.createTextNode(pair[1]));
    });
    return td;
  }

  function textCell(value, empty) {
    var td = el("td");
    if (value === null || value === undefined || value === "") {
      td.appendChild(el("span", "aic-muted", empty || "\u2013"));
    } else {
      td.textContent = String(value);
    }
    return td;
  }

  function getCell(p) {
    var td = el("td");
    var templates = config.get[p.kind === "dataset" ? "dataset" : "other"];
    var any = false;
    Object.keys(templates).forEach(function (field) {
      if (!p.get[field]) {
        return;
      }
      if (any) {
        td.appendChild(el("br"));
      }
      any = true;
      td.appendChild(el("span", "aic-muted", templates[field][0] + ": "));
      td.appendChild(el("code", "aic-command", templates[field][1].replace("{name}", p.get[field])));
    });
    if (!any) {
      td.appendChild(el("span", "aic-muted", "No package recorded."));
    }
    return td;
  }

  function linksCell(p) {
    var td = el("td");
    Object.keys(p.links).forEach(function (name, i) {
      var url = p.links[name];
      if (i) {
        td.appendChild(el("br"));
      }
      /* Entries may only hold https URLs (the validator); anything else stays text. */
      if (/^https:\/\//.test(url)) {
        var a = el("a", null, name.charAt(0).toUpperCase() + name.slice(1));
        a.href = url;
        a.rel = "nofollow noopener";
        td.appendChild(a);
      } else {
        td.appendChild(el("span", null, name));
      }
    });
    return td;
  }

  function row(label, cells) {
    var tr = el("tr");
    tr.appendChild(el("th", null, label)).scope = "row";
    cells.forEach(function (td) { tr.appendChild(td); });
    return tr;
  }

  function draw() {
    var projects = ids.map(function (i) { return byId[i]; }).filter(Boolean);
    var unknown = ids.filter(function (i) { return !byId[i]; });
    ids = projects.map(function (p) { return p.id; });
    writeIds();
    var messages = unknown.map(function (i) { return "No project has the id \u201c" + i + "\u201d."; });
    if (notice) {
      messages.unshift(notice);
      notice = "";
    }
    if (projects.length < 2) {
      messages.push(projects.length
        ? "Add at least one more project to compare."
        : "Add two to " + config.max + " projects to compare them.");
    }
    status.textContent = messages.join(" ");
    form.hidden = false;
    input.disabled = projects.length >= config.max;
    input.placeholder = input.disabled
      ? "At most " + config.max + " projects: remove one to add another"
      : "Name or id of a project";
    wrap.hidden = projects.length === 0;

    var head = table.tHead.rows[0];
    while (head.cells.length > 1) {
      head.deleteCell(1);
    }
    projects.forEach(function (p) {
      var th = el("th");
      th.scope = "col";
      var a = el("a", null, p.name);
      a.href = prefix + p.id + suffix;
      th.appendChild(a);
      th.appendChild(el("br"));
      var remove = el("button", "aic-compare__remove", "Remove");
      remove.type = "button";
      remove.setAttribute("aria-label", "Remove " + p.name);
      remove.addEventListener("click", function () {
        ids = ids.filter(function (i) { return i !== p.id; });
        draw();
      });
      th.appendChild(remove);
      head.appendChild(th);
    });

    var body = table.tBodies[0];
    body.textContent = "";
    function add(label, make) {
      body.appendChild(row(label, projects.map(make)));
    }
    add("Kind", function (p) { return textCell(config.kinds[p.kind] || p.kind); });
    add("Code licence", function (p) { return partCell(p, "code"); });
    add("Weights licence", function (p) { return partCell(p, "weights"); });
    add("Data licence", function (p) { return partCell(p, "data"); });
    add("May I use it commercially?", function (p) { return answersCell(p, "commercial"); });
    add("Must I pass on restrictions?", function (p) { return answersCell(p, "pass_on"); });
    add("Openness level", function (p) {
      return textCell(p.openness.level ? config.levels[p.openness.level] : null, "not graded");
    });
    config.components.forEach(function (c) {
      if (!projects.some(function (p) { return p.profile[c[0]]; })) {
        return;
      }
      add(c[1], function (p) {
        var facts = p.profile[c[0]];
        var td = el("td");
        if (!facts) {
          td.appendChild(el("span", "aic-muted", "not recorded"));
        } else {
          td.className = "aic-grade--" + facts.grade;
          td.appendChild(el("span", "aic-grade", config.grades[facts.grade] || facts.grade));
        }
        return td;
      });
    });
    add("Stars", function (p) {
      var s = p.activity.stars;
      return textCell(s === null ? null : s.toLocaleString("en-US"));
    });
    add("Last activity", function (p) {
      var last = p.activity.last_activity;
      return textCell(last ? last.slice(0, 10) : null);
    });
    add("Active in the last year", function (p) {
      var state = p.activity.state;
      return textCell(state === "active" ? "yes" : (state === "quiet" ? "no" : null),
        "not collected");
    });
    add("Get it", getCell);
    add("Links", linksCell);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var wanted = input.value.trim();
    var p = byId[wanted] || byName[wanted.toLowerCase()];
    if (!p) {
      status.textContent = wanted ? "No project is called \u201c" + wanted + "\u201d." : "";
      return;
    }
    if (ids.indexOf(p.id) < 0 && ids.length < config.max) {
      ids.push(p.id);
    }
    input.value = "";
    draw();
    input.focus();
  });

  window.aicDom.getJson(root.dataset.src, "projects.json")
    .then(function (json) {
      var fragment = document.createDocumentFragment();
      json.projects.forEach(function (p) {
        byId[p.id] = p;
        byName[p.name.toLowerCase()] = p;
        var option = el("option");
        option.value = p.name;
        fragment.appendChild(option);
      });
      names.appendChild(fragment);
      var requested = readIds();
      if (requested.length > config.max) {
        notice = "Compare shows at most " + config.max + " projects: the first " + config.max +
          " of the " + requested.length + " asked for.";
      }
      ids = requested.slice(0, config.max);
      draw();
      root.dataset.ready = "true";
    })
    .catch(function (error) {
      status.textContent = "The projects could not be loaded (" + error.message + ").";
    });
})();

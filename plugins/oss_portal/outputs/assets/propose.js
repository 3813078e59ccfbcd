/* The form "Eintrag vorschlagen" (templates/propose.html, outputs/proposal.py).

   Without JavaScript each form sends a text area with a commented YAML template to
   openCoDE's new-issue page. This script shows single fields instead, checks each one
   against the page's JSON Schema (the one the site publishes under schemas/, bundled
   validator: json-schema.js), shows the entry as YAML, keeps the answers in this browser
   until they are discarded, and on sending writes the entry into the text area, so that
   the browser itself builds the new-issue address. */
(function () {
  "use strict";

  var Validator = window.PortalJsonSchema && window.PortalJsonSchema.Validator;
  var UMLAUTS = { "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue", "ẞ": "ss" };
  var RESERVED_IDS = ["archiv", "archive", "assets", "atom", "calendar", "feed", "feeds", "ics",
    "index", "json", "kalender", "page", "rss", "search", "sitemap", "tags"];
  /* GitLab and the servers before it refuse longer addresses (HTTP 414). */
  var MAX_URL_LENGTH = 7000;
  var STORAGE_PREFIX = "oss-portal:vorschlag:";

  /* As urls.slugify in Python: "Digitale Souveränität" -> "digitale-souveraenitaet". */
  function slugify(text, limit) {
    var slug = String(text).replace(/[äöüßÄÖÜẞ]/g, function (c) { return UMLAUTS[c]; })
      .normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    if (limit && slug.length > limit) {
      var cut = slug.slice(0, limit);
      slug = cut.indexOf("-") >= 0 ? cut.slice(0, cut.lastIndexOf("-")) : cut;
    }
    return slug;
  }

  function newId(text, limit) {
    var slug = slugify(text, limit || 80);
    return RESERVED_IDS.indexOf(slug) >= 0 ? slug + "-1" : slug;
  }

  function today() {
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  // --- reading the fields ------------------------------------------------------------

  function fieldsOf(form) {
    return Array.prototype.slice.call(form.querySelectorAll("[data-field]"));
  }

  function splitList(text, pattern) {
    return text.split(pattern).map(function (v) { return v.trim(); }).filter(Boolean);
  }

  /* The value a field holds, in the form the models take, or undefined when empty. */
  function valueOf(el) {
    var widget = el.getAttribute("data-widget");
    if (widget === "moment") {
      var day = el.querySelector("[data-part=date]").value;
      var time = el.querySelector("[data-part=time]").value;
      return day ? (time ? day + "T" + time : day) : undefined;
    }
    if (widget === "references") {
      var ids = Array.prototype.slice.call(el.querySelectorAll("input:checked"))
        .map(function (box) { return box.value; });
      return ids.length ? ids : undefined;
    }
    var input = el.querySelector("input, select, textarea");
    if (widget === "yesno") { return input.checked ? true : undefined; }
    var text = input.value;
    if (widget === "markdown") {
      text = text.replace(/\r\n?/g, "\n").replace(/\s+$/, "");
      return text.trim() ? text : undefined;
    }
    text = text.trim();
    if (!text || text === el.getAttribute("data-default")) { return undefined; }
    if (widget === "lines") { return splitList(text, /\n/); }
    if (widget === "slugs" || widget === "reference-list") {
      var slugs = [];
      splitList(text, /[,;\n]/).forEach(function (v) {
        var slug = slugify(v);
        if (slug && slugs.indexOf(slug) < 0) { slugs.push(slug); }
      });
      return slugs.length ? slugs : undefined;
    }
    if (widget === "number") { return /^\d+$/.test(text) ? Number(text) : text; }
    if (widget === "link" && text.indexOf("@") > 0 && text.indexOf(":") < 0) {
      return "mailto:" + text;
    }
    if ((widget === "url" || widget === "link") && /^www\./i.test(text)) {
      return "https://" + text;
    }
    return text;
  }

  function setPath(target, path, value) {
    var keys = path.split(".");
    var node = target;
    for (var i = 0; i < keys.length - 1; i += 1) {
      node = node[keys[i]] = node[keys[i]] || {};
    }
    node[keys[keys.length - 1]] = value;
  }

  /* The entry: schema fields (checked) and extra fields (sent along), in form order. */
  function collect(form) {
    var entry = {};
    var extra = {};
    fieldsOf(form).forEach(function (el) {
      var value = valueOf(el);
      if (value !== undefined) {
        setPath(el.hasAttribute("data-extra") ? extra : entry, el.getAttribute("data-field"), value);
      }
    });
    fieldsOf(form).forEach(function (el) {
      var sources = el.getAttribute("data-derive");
      if (!sources || entry[el.getAttribute("data-field")] !== undefined) { return; }
      var source = sources.split(" ").map(function (name) { return entry[name]; }).filter(Boolean)[0];
      if (!source) { return; }
      var id;
      if (form.getAttribute("data-propose") === "event") {
        // As ``oss-portal new``: an event's id ends with the year it starts in.
        id = newId(source, 75);
        var year = String(entry.start || "").slice(0, 4);
        if (/^\d{4}$/.test(year) && id.split("-").indexOf(year) < 0) { id = id + "-" + year; }
      } else {
        id = newId(source);
      }
      // The id goes first, as in the content files.
      var ordered = {};
      ordered[el.getAttribute("data-field")] = id;
      Object.keys(entry).forEach(function (key) { ordered[key] = entry[key]; });
      entry = ordered;
    });
    return { entry: entry, extra: extra };
  }

  // --- YAML ----------------------------------------------------------------------------

  var PLAIN = /^[A-Za-zÄÖÜäöüß0-9(][^\n]*$/;
  var YAML_WORDS = /^(true|false|yes|no|on|off|null|y|n|~)$/i;
  var NUMBERISH = /^[-+.]?\d[\d_.,:eE+-]*$/;
  var DATEISH = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$/;

  function scalar(value) {
    if (typeof value === "number" || typeof value === "boolean") { return String(value); }
    var plain = PLAIN.test(value) && !/: |\s#|:$|\s$/.test(value) && !YAML_WORDS.test(value) &&
      (DATEISH.test(value) || !NUMBERISH.test(value));
    return plain ? value : JSON.stringify(value);
  }

  function toYaml(data, indent) {
    var lines = [];
    Object.keys(data).forEach(function (key) {
      var value = data[key];
      if (Array.isArray(value)) {
        lines.push(indent + key + ":");
        value.forEach(function (item) { lines.push(indent + "  - " + scalar(item)); });
      } else if (value !== null && typeof value === "object") {
        lines.push(indent + key + ":");
        lines.push(toYaml(value, indent + "  "));
      } else if (typeof value === "string" && value.indexOf("\n") >= 0 && !/^\s/.test(value)) {
        lines.push(indent + key + ": |");
        value.split("\n").forEach(function (line) {
          lines.push(line ? indent + "  " + line : "");
        });
      } else {
        lines.push(indent + key + ": " + scalar(value));
      }
    });
    return lines.join("\n");
  }

  // --- checking ---------------------------------------------------------------------------

  var MESSAGES = {
    date: "Bitte ein vollständiges Datum angeben.",
    moment: "Bitte ein vollständiges Datum angeben (die Uhrzeit ist freiwillig).",
    url: "Bitte eine vollständige Webadresse angeben, beginnend mit https://",
    link: "Bitte eine Webadresse (https://…) oder eine E-Mail-Adresse angeben.",
    email: "Bitte eine E-Mail-Adresse wie info@amt.example angeben.",
    slug: "Nur Kleinbuchstaben a–z, Ziffern und einzelne Bindestriche, z. B. „open-source-treffen“."
  };
  /* Keywords that only say that something below them failed. */
  var WRAPPERS = ["$ref", "properties", "items", "allOf", "anyOf", "oneOf", "if", "then", "else",
    "prefixItems", "additionalProperties", "dependentSchemas"];

  function fieldFor(form, location) {
    var path = location.replace(/^#\/?/, "").split("/").filter(function (part) {
      return part && !/^\d+$/.test(part);
    });
    while (path.length) {
      var el = form.querySelector('[data-field="' + path.join(".") + '"]');
      if (el) { return el; }
      path.pop();
    }
    return null;
  }

  function message(error, el) {
    var widget = el.getAttribute("data-widget");
    var text = error.error || "";
    switch (error.keyword) {
      case "required":
      case "minLength":
        return "Bitte ausfüllen – diese Angabe ist Pflicht.";
      case "maxLength": {
        var counts = /\((\d+) > (\d+)\)/.exec(text);  // "String is too long (201 > 200)."
        return counts ? "Bitte kürzen: höchstens " + Number(counts[2]).toLocaleString("de-DE") +
          " Zeichen, jetzt sind es " + Number(counts[1]).toLocaleString("de-DE") + "." :
          "Bitte kürzen.";
      }
      case "enum":
        return "Bitte einen der angebotenen Werte wählen.";
      case "not":
        return "Dieses Wort ist für Adressen der Website reserviert – bitte eine andere Kennung wählen.";
      case "minimum":
      case "maximum":
        return "Diese Zahl liegt außerhalb des erlaubten Bereichs.";
      default:
        if (MESSAGES[widget]) { return MESSAGES[widget]; }
        if (/slugs|references|reference-list/.test(widget) || el.hasAttribute("data-derive")) {
          return MESSAGES.slug;
        }
        var hint = el.querySelector(".portal-form__hint");
        return "Diese Angabe hat nicht die erwartete Form" + (hint ? ": " + hint.textContent : ".");
    }
  }

  /* Field element -> German message, for every field with an error. */
  function check(form, validator, data) {
    var problems = new Map();
    function note(el, text) {
      if (el && !problems.has(el)) { problems.set(el, text); }
    }
    fieldsOf(form).forEach(function (el) {
      if (el.hasAttribute("data-extra") && el.hasAttribute("data-required") &&
          valueOf(el) === undefined) {
        note(el, "Bitte ausfüllen – diese Angabe ist Pflicht.");
      }
    });
    var errors = validator.validate(data.entry).errors.filter(function (error) {
      return WRAPPERS.indexOf(error.keyword) < 0;
    });
    // Most specific first: a wrong pattern says more than "not null" from an anyOf branch.
    errors.sort(function (a, b) { return (a.keyword === "type") - (b.keyword === "type"); });
    errors.forEach(function (error) {
      var location = error.instanceLocation;
      if (error.keyword === "required") {
        var name = /"([^"]+)"/.exec(error.error);
        location = location.replace(/\/?$/, "/") + (name ? name[1] : "");
      }
      var el = fieldFor(form, location);
      // An id left empty is derived from the title: that one's error is enough.
      if (el && el.hasAttribute("data-derive") && error.keyword === "required") { return; }
      if (el) { note(el, message(error, el)); }
    });
    return problems;
  }

  function show(el, text) {
    var error = el.querySelector(".portal-form__error");
    var control = el.matches("fieldset") ? el : el.querySelector("input, select, textarea");
    error.textContent = text || "";
    error.hidden = !text;
    el.classList.toggle("is-invalid", Boolean(text));
    if (text) { control.setAttribute("aria-invalid", "true"); } else { control.removeAttribute("aria-invalid"); }
  }

  function label(el) {
    var node = el.querySelector("legend, label");
    var text = node.firstChild ? node.firstChild.textContent : node.textContent;
    var section = el.parentElement.closest("[data-section]");
    var prefix = section ? section.querySelector("legend").textContent + ": " : "";
    return prefix + text.trim();
  }

  function summarize(form, problems) {
    var box = form.querySelector("[data-propose-summary]");
    box.textContent = "";
    if (!problems.size) { box.hidden = true; return; }
    var heading = document.createElement("h3");
    heading.textContent = problems.size === 1 ? "Eine Angabe fehlt oder passt noch nicht:" :
      problems.size + " Angaben fehlen oder passen noch nicht:";
    var list = document.createElement("ul");
    problems.forEach(function (text, el) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      var target = el.matches("fieldset") ? el.querySelector("input") || el : el.querySelector("input, select, textarea");
      link.href = "#" + (target.id || el.id);
      link.textContent = label(el) + ": " + text;
      link.addEventListener("click", function (event) {
        event.preventDefault();
        target.focus();
      });
      item.appendChild(link);
      list.appendChild(item);
    });
    box.appendChild(heading);
    box.appendChild(list);
    box.hidden = false;
  }

  // --- keeping the answers -------------------------------------------------------------

  function controls(form) {
    return Array.prototype.slice.call(form.querySelectorAll("[data-propose-fields] input, [data-propose-fields] select, [data-propose-fields] textarea"));
  }

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function save(form) {
    var store = storage();
    if (!store) { return; }
    var values = controls(form).map(function (c) { return c.type === "checkbox" ? c.checked : c.value; });
    try { store.setItem(STORAGE_PREFIX + form.getAttribute("data-propose"), JSON.stringify(values)); } catch (e) { /* full */ }
  }

  function restore(form) {
    var store = storage();
    var saved = store && store.getItem(STORAGE_PREFIX + form.getAttribute("data-propose"));
    if (!saved) { return false; }
    var values;
    try { values = JSON.parse(saved); } catch (e) { return false; }
    var all = controls(form);
    if (!Array.isArray(values) || values.length !== all.length) { return false; }  // form changed
    all.forEach(function (c, i) {
      if (c.type === "checkbox") { c.checked = Boolean(values[i]); } else { c.value = values[i]; }
    });
    return true;
  }

  // --- one form -------------------------------------------------------------------------

  function issueText(form, yaml) {
    var labels = form.getAttribute("data-labels").split("|").map(function (l) { return '~"' + l + '"'; });
    return "Vorschlag aus dem Formular „Eintrag vorschlagen“ (" + form.getAttribute("data-page") +
      ").\n\n```yaml\n" + yaml + "\n```\n\n/label " + labels.join(" ") + "\n";
  }

  function setup(form) {
    var kind = form.getAttribute("data-propose");
    var schemaElement = document.getElementById(kind + "-schema");
    if (!Validator || !schemaElement) { return; }  // the plain form stays
    var validator = new Validator(JSON.parse(schemaElement.textContent), "2020-12", false);
    var fields = form.querySelector("[data-propose-fields]");
    var plain = form.querySelector("[data-propose-plain]");
    var preview = form.querySelector("[data-propose-preview]");
    var yamlOut = form.querySelector("[data-propose-yaml]");
    var status = form.querySelector("[data-propose-status]");
    var reset = form.querySelector("[data-propose-reset]");
    var touched = new Set();
    var submitted = false;

    var restored = restore(form);
    fieldsOf(form).forEach(function (el) {
      // A news item is dated today unless it says otherwise.
      if (kind === "news" && el.getAttribute("data-field") === "date") {
        var day = el.querySelector("[data-part=date]");
        if (!day.value) { day.value = today(); }
      }
    });

    function refresh() {
      var data = collect(form);
      var merged = {};
      Object.keys(data.entry).forEach(function (k) { merged[k] = data.entry[k]; });
      Object.keys(data.extra).forEach(function (k) { merged[k] = data.extra[k]; });
      var yaml = toYaml(merged, "");
      yamlOut.textContent = yaml || "# noch leer";
      var problems = check(form, validator, data);
      fieldsOf(form).forEach(function (el) {
        show(el, (submitted || touched.has(el)) ? problems.get(el) : "");
      });
      if (submitted) { summarize(form, problems); }
      return { data: data, yaml: yaml, problems: problems };
    }

    fields.hidden = false;
    plain.hidden = true;
    preview.hidden = false;
    reset.hidden = false;
    if (restored) {
      status.textContent = "Ihre gespeicherten Eingaben wurden wiederhergestellt.";
    }

    form.addEventListener("input", function () { save(form); refresh(); });
    form.addEventListener("change", function (event) {
      var el = event.target.closest("[data-field]");
      if (el) { touched.add(el); }
      save(form);
      refresh();
    });
    form.addEventListener("focusout", function (event) {
      var el = event.target.closest("[data-field]");
      if (el && !el.contains(event.relatedTarget)) { touched.add(el); refresh(); }
    });
    reset.addEventListener("click", function () {
      controls(form).forEach(function (c) {
        if (c.type === "checkbox") { c.checked = false; }
        else if (c.tagName === "SELECT") { c.selectedIndex = Array.prototype.findIndex.call(c.options, function (o) { return o.defaultSelected; }); if (c.selectedIndex < 0) { c.selectedIndex = 0; } }
        else { c.value = ""; }
      });
      var store = storage();
      if (store) { store.removeItem(STORAGE_PREFIX + kind); }
      touched.clear();
      submitted = false;
      form.querySelector("[data-propose-summary]").hidden = true;
      refresh();
      status.textContent = "Die Eingaben wurden verworfen.";
    });

    form.addEventListener("submit", function (event) {
      submitted = true;
      var state = refresh();
      if (state.problems.size) {
        event.preventDefault();
        status.textContent = "";
        form.querySelector("[data-propose-summary]").focus();
        return;
      }
      var name = state.data.entry.title || state.data.entry.name || "";
      form.querySelector('[name="issue[title]"]').value = form.getAttribute("data-kind-title") + ": " + name;
      var description = form.querySelector('[name="issue[description]"]');
      description.value = issueText(form, state.yaml);
      var query = new URLSearchParams(new FormData(form)).toString();
      if (form.action.length + query.length + 1 > MAX_URL_LENGTH) {
        // Too long for an address: the text goes by hand, from the visible text area.
        event.preventDefault();
        plain.hidden = false;
        description.focus();
        description.select();
        status.textContent = "Ihr Eintrag ist zu lang, um ihn direkt zu übergeben. Bitte kopieren Sie " +
          "den Text im Feld „Ihr Eintrag“ (Strg+C) und fügen Sie ihn auf openCoDE in die " +
          "Beschreibung ein; der Link unten öffnet die leere Vorlage.";
        var link = form.querySelector("[data-propose-manual]");
        if (!link) {
          link = document.createElement("a");
          link.setAttribute("data-propose-manual", "");
          link.textContent = "Leeren Vorschlag auf openCoDE öffnen";
          status.insertAdjacentElement("afterend", link);
        }
        link.href = form.action + "?issuable_template=" +
          encodeURIComponent(form.querySelector('[name="issuable_template"]').value) +
          "&issue%5Btitle%5D=" + encodeURIComponent(form.querySelector('[name="issue[title]"]').value);
      }
    });
    refresh();
  }

  // --- choosing the kind ------------------------------------------------------------------

  function setupTabs() {
    var tabs = Array.prototype.slice.call(document.querySelectorAll("[data-propose-tab]"));
    var sections = Array.prototype.slice.call(document.querySelectorAll("[data-propose-section]"));
    if (!tabs.length) { return; }
    function select(key, focus) {
      var known = sections.some(function (s) { return s.id === key; });
      key = known ? key : sections[0].id;
      sections.forEach(function (s) { s.hidden = s.id !== key; });
      tabs.forEach(function (t) {
        if (t.getAttribute("data-propose-tab") === key) { t.setAttribute("aria-current", "true"); }
        else { t.removeAttribute("aria-current"); }
      });
      if (focus) { document.getElementById(key + "-heading").focus(); }
    }
    sections.forEach(function (s) { document.getElementById(s.id + "-heading").tabIndex = -1; });
    tabs.forEach(function (tab) {
      tab.addEventListener("click", function (event) {
        event.preventDefault();
        var key = tab.getAttribute("data-propose-tab");
        history.replaceState(null, "", "#" + key);
        select(key, true);
      });
    });
    window.addEventListener("hashchange", function () { select(location.hash.slice(1), false); });
    select(location.hash.slice(1), false);
  }

  document.querySelectorAll("form[data-propose]").forEach(setup);
  setupTabs();
})();

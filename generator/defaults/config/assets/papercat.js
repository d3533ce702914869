/* papercat: the copy button of citation blocks, and an instant filter of listing rows by year,
 * topic and text, kept in the URL (?text=&year=&topic=; "q" is the search box's).
 *
 * A copy button is <button data-pc-copy="SELECTOR"> and copies the text of the element the CSS
 * selector names (Material rewrites the ids of <pre> blocks, so a class is used, not an id).
 * A listing page marks the place for the filter with <div class="pc-filter" data-pc-filter hidden>;
 * rows are .pc-row elements carrying data-year and data-topics. Without JavaScript the page is the
 * full listing, so the filter stays hidden until this script builds it. Material's instant
 * navigation swaps pages without reloading, so the filter is set up on every page change.
 */
(function () {
  "use strict";

  function norm(text) {
    return (text || "").toLocaleLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  }

  function option(select, value, label) {
    var element = document.createElement("option");
    element.value = value;
    element.textContent = label;
    select.appendChild(element);
  }

  function labelled(text, control) {
    var label = document.createElement("label");
    var span = document.createElement("span");
    span.textContent = text;
    label.appendChild(span);
    label.appendChild(control);
    return label;
  }

  function setup(root) {
    if (root.dataset.pcReady) return;
    root.dataset.pcReady = "1";
    var rows = Array.prototype.slice.call(document.querySelectorAll(".pc-row"));
    if (!rows.length) return;
    var texts = rows.map(function (row) { return norm(row.textContent); });

    var years = {}, topics = {};
    rows.forEach(function (row) {
      if (row.dataset.year) years[row.dataset.year] = true;
      row.querySelectorAll(".pc-chip").forEach(function (chip) {
        var slug = (chip.className.match(/pc-chip--([\w-]+)/) || [])[1];
        if (slug) topics[slug] = chip.textContent;
      });
    });

    var text = document.createElement("input");
    text.type = "search";
    text.className = "pc-filter-text";
    text.placeholder = "Filter these papers";
    text.setAttribute("aria-label", "Filter these papers by text");
    var year = document.createElement("select");
    year.className = "pc-filter-year";
    option(year, "", "All years");
    Object.keys(years).sort().reverse().forEach(function (y) { option(year, y, y); });
    option(year, "undated", "Undated");
    var topic = document.createElement("select");
    topic.className = "pc-filter-topic";
    option(topic, "", "All topics");
    Object.keys(topics).sort(function (a, b) { return topics[a].localeCompare(topics[b]); })
      .forEach(function (slug) { option(topic, slug, topics[slug]); });
    var status = document.createElement("output");
    status.className = "pc-filter-status";
    status.setAttribute("aria-live", "polite");

    root.appendChild(labelled("Text", text));
    root.appendChild(labelled("Year", year));
    root.appendChild(labelled("Topic", topic));
    root.appendChild(status);
    root.hidden = false;

    var params = new URLSearchParams(window.location.search);
    text.value = params.get("text") || "";
    if (params.get("year") && year.querySelector('option[value="' + CSS.escape(params.get("year")) + '"]')) year.value = params.get("year");
    if (params.get("topic") && topic.querySelector('option[value="' + CSS.escape(params.get("topic")) + '"]')) topic.value = params.get("topic");

    function apply(updateUrl) {
      var words = norm(text.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row, index) {
        var ok = (!year.value || (year.value === "undated" ? !row.dataset.year : row.dataset.year === year.value)) &&
          (!topic.value || (" " + row.dataset.topics + " ").indexOf(" " + topic.value + " ") >= 0) &&
          words.every(function (word) { return texts[index].indexOf(word) >= 0; });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      document.querySelectorAll(".pc-list").forEach(function (list) {
        var visible = list.querySelectorAll(".pc-row:not([hidden])").length;
        list.hidden = visible === 0;
        // A group is its heading, a "N papers" line and the list: all hidden when nothing matches.
        var line = list.previousElementSibling;
        var heading = line && line.classList.contains("pc-group-count") ? line.previousElementSibling : line;
        if (line && line !== heading) {
          line.hidden = visible === 0;
          var count = line.querySelector(".pc-count");
          if (count) count.textContent = String(visible);
        }
        if (heading && /^H[23]$/.test(heading.tagName)) heading.hidden = visible === 0;
      });
      var filtered = Boolean(words.length || year.value || topic.value);
      status.textContent = filtered ? shown + " of " + rows.length + " papers" : rows.length + " papers";
      if (updateUrl) {
        var query = new URLSearchParams();
        if (text.value.trim()) query.set("text", text.value.trim());
        if (year.value) query.set("year", year.value);
        if (topic.value) query.set("topic", topic.value);
        var search = query.toString();
        history.replaceState(history.state, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
      }
    }

    text.addEventListener("input", function () { apply(true); });
    year.addEventListener("change", function () { apply(true); });
    topic.addEventListener("change", function () { apply(true); });
    apply(false);
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    // Plain-HTTP hosts have no clipboard API: copy through a selected, off-screen text area.
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.left = "-9999px";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (error) { ok = false; }
      document.body.removeChild(area);
      if (ok) resolve(); else reject(new Error("copy refused"));
    });
  }

  function setupCopy(button) {
    if (button.dataset.pcReady) return;
    button.dataset.pcReady = "1";
    button.hidden = false;
    var label = button.textContent;
    button.addEventListener("click", function () {
      var source = document.querySelector(button.dataset.pcCopy);
      if (!source) return;
      copyText(source.textContent).then(function () {
        button.textContent = "Copied";
      }, function () {
        button.textContent = "Select the text to copy";
      });
      window.setTimeout(function () { button.textContent = label; }, 2000);
    });
  }

  // Material hands the search box's text to Lunr, whose query syntax reads "Adapter:" as a field
  // name: a title typed as written ("T2I-Adapter: Learning ...") then finds nothing. A colon at
  // the end of a word carries no meaning for search, so the box drops it as the reader types,
  // before Material reads the text (this listener runs first: capture phase, on the document).
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box || !box.matches || !box.matches("[data-md-component=search-query]")) return;
    var cleaned = box.value.replace(/([^\s:]):+(?=\s|$)/g, "$1");
    if (cleaned === box.value) return;
    var caret = Math.max(0, (box.selectionStart || 0) - (box.value.length - cleaned.length));
    box.value = cleaned;
    box.setSelectionRange(caret, caret);
  }, true);

  // Material's search box is a dialog without a name; screen readers announce it as "Search".
  function nameDialogs() {
    document.querySelectorAll('[role="dialog"]:not([aria-label]):not([aria-labelledby])').forEach(function (dialog) {
      dialog.setAttribute("aria-label", dialog.classList.contains("md-search") ? "Search" : "Dialog");
    });
  }

  function init() {
    nameDialogs();
    document.querySelectorAll("[data-pc-filter]").forEach(setup);
    document.querySelectorAll("[data-pc-copy]").forEach(setupCopy);
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

/* papercat: the catalogue's search, driven by Pagefind's JavaScript API.
 *
 * Every page gets a search box in the header; it leads to the Search page (search/?q=...). The
 * Search page shows results as the reader types: title, date, topic chips and a snippet with the
 * matched words marked, plus topic, year and venue filters with counts. The query and filters
 * stay in the URL (?q=&topic=&year=&venue=), so a search can be shared.
 *
 * Pagefind's script and index (pagefind/) are fetched only when the reader starts searching:
 * focusing the box, typing, or opening a shared search URL. The index is split into small
 * chunks, and a query fetches only the chunks of its words and the snippets it shows.
 * Result text is always inserted as text; only Pagefind's <mark> around matched words is kept.
 */
(function () {
  "use strict";

  var FACETS = ["topic", "year", "venue"];
  var PAGE_SIZE = 10;
  var configElement = document.getElementById("__config");
  var base = ".";
  try { base = configElement ? JSON.parse(configElement.textContent).base || "." : "."; } catch (error) { base = "."; }
  // Resolved once, at the first page loaded: Material's instant navigation keeps this script.
  var ROOT = new URL(base.replace(/\/?$/, "/"), window.location.href);
  var SEARCH_PAGE = new URL("search/", ROOT);
  var engine = null;
  // Words in nearly every paper: their index chunks are the largest and they tell no paper apart,
  // so a query leaves them out (unless it has no other word). "Learning to see" searches "learning see".
  var STOP_WORDS = ("a an and are as at be by for from in into is it its of on or our that the their this " +
    "to via we with").split(" ").reduce(function (set, word) { set[word] = true; return set; }, {});

  function searchTerms(query) {
    var all = query.trim().split(/\s+/).filter(Boolean);
    var kept = all.filter(function (word) { return !STOP_WORDS[word.toLocaleLowerCase().replace(/[^\p{L}\p{N}]+/gu, "")]; });
    return (kept.length ? kept : all).join(" ");
  }
  window.papercatSearchTerms = searchTerms;  // the query as the engine receives it (for tests and tools)

  function loadEngine() {
    if (!engine) {
      engine = import(new URL("pagefind/pagefind.js", ROOT).href).then(function (pagefind) {
        return Promise.resolve(pagefind.options({
          baseUrl: ROOT.pathname,
          excerptLength: 26
        })).then(function () { return pagefind; });
      });
      engine.catch(function () { engine = null; });
    }
    return engine;
  }

  var filtersLoaded = null;
  function loadFilters() {
    if (!filtersLoaded) {
      filtersLoaded = loadEngine().then(function (pagefind) {
        return Promise.resolve(pagefind.filters()).then(function () { return pagefind; });
      });
      filtersLoaded.catch(function () { filtersLoaded = null; });
    }
    return filtersLoaded;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* Pagefind's excerpt is text with <mark> around matched words: keep the marks, everything
   * else becomes text, whatever the indexed text held. */
  function appendExcerpt(target, excerpt) {
    var doc = new DOMParser().parseFromString("<!DOCTYPE html><body>" + (excerpt || ""), "text/html");
    doc.body.childNodes.forEach(function (node) {
      if (node.nodeType === 1 && node.nodeName === "MARK") target.appendChild(element("mark", "", node.textContent));
      else target.appendChild(document.createTextNode(node.textContent));
    });
  }

  function resultItem(data) {
    var meta = data.meta || {};
    var item = element("li", "pc-result" + (meta.kind === "topic" ? " pc-result--topic" : ""));
    var link = element("a", "pc-result-title", meta.title || data.url);
    link.href = data.url;
    item.appendChild(link);
    var line = element("div", "pc-row-meta");
    if (meta.date) line.appendChild(element("span", "pc-date", meta.date));
    var topics = [];
    try { topics = meta.topics ? JSON.parse(meta.topics) : []; } catch (error) { topics = []; }
    topics.forEach(function (pair) {
      if (!Array.isArray(pair) || !/^[\w-]+$/.test(pair[0])) return;
      line.appendChild(document.createTextNode(" "));
      var chip = element("a", "pc-chip pc-chip--" + pair[0], String(pair[1]));
      chip.href = new URL("topics/" + pair[0] + "/", ROOT).href;
      line.appendChild(chip);
    });
    item.appendChild(line);
    var text = element("p", "pc-snippet");
    appendExcerpt(text, data.excerpt);
    item.appendChild(text);
    return item;
  }

  function words(text) {
    return (text || "").toLocaleLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  /* Topics whose name (or slug) holds every typed word, as a word or the start of one. */
  function matchingTopics(topics, query) {
    var typed = words(query);
    if (!typed.length) return [];
    return topics.filter(function (topic) {
      var own = words(topic[1] + " " + topic[0]);
      return typed.every(function (word) { return own.some(function (w) { return w.indexOf(word) === 0; }); });
    });
  }

  function topicItem(topic) {
    var item = element("li", "pc-result pc-result--topic");
    var link = element("a", "pc-result-title", topic[1]);
    link.href = new URL(topic[2], window.location.href).href;
    item.appendChild(link);
    var line = element("div", "pc-row-meta");
    line.appendChild(element("span", "pc-date", "Topic · " + topic[3] + " paper" + (topic[3] === 1 ? "" : "s")));
    item.appendChild(line);
    return item;
  }

  function setupPage(root) {
    if (root.dataset.pcReady) return;
    root.dataset.pcReady = "1";
    var form = root.querySelector("form");
    var box = root.querySelector(".pc-search-query");
    var status = root.querySelector(".pc-search-status");
    var list = root.querySelector(".pc-results");
    var more = root.querySelector(".pc-results-more");
    var facetBox = root.querySelector(".pc-facets");
    var selects = {};
    root.querySelectorAll("[data-pc-facet]").forEach(function (select) { selects[select.dataset.pcFacet] = select; });
    var params = new URLSearchParams(window.location.search);
    var wanted = {};
    box.value = params.get("q") || "";
    FACETS.forEach(function (name) { wanted[name] = params.get(name) || ""; });
    var topics = [];
    try { topics = JSON.parse(root.dataset.pcTopics || "[]"); } catch (error) { topics = []; }
    var generation = 0, timer = 0, results = [], shown = 0, topicCount = 0;

    function chosen() {
      var filters = {};
      FACETS.forEach(function (name) { if (wanted[name]) filters[name] = wanted[name]; });
      return filters;
    }

    function keepInUrl() {
      var query = new URLSearchParams();
      if (box.value.trim()) query.set("q", box.value.trim());
      FACETS.forEach(function (name) { if (wanted[name]) query.set(name, wanted[name]); });
      var search = query.toString();
      history.replaceState(history.state, "", window.location.pathname + (search ? "?" + search : ""));
    }

    function fillFacet(name, counts) {
      var select = selects[name];
      var entries = Object.keys(counts || {}).filter(function (value) { return counts[value] > 0 || value === wanted[name]; });
      entries.sort(name === "year"
        ? function (a, b) { return b.localeCompare(a); }
        : function (a, b) { return (counts[b] - counts[a]) || a.localeCompare(b); });
      if (name === "venue" && entries.length > 60) entries = entries.slice(0, 60);
      if (wanted[name] && entries.indexOf(wanted[name]) < 0) entries.unshift(wanted[name]);
      while (select.options.length > 1) select.remove(1);
      entries.forEach(function (value) {
        var option = element("option", "", value + " (" + (counts[value] || 0) + ")");
        option.value = value;
        select.appendChild(option);
      });
      select.value = wanted[name];
      select.closest("label").hidden = entries.length === 0;
    }

    function showMore() {
      var batch = results.slice(shown, shown + PAGE_SIZE);
      shown += batch.length;
      more.hidden = shown >= results.length;
      var mine = generation;
      // Each result is shown as soon as its own snippet arrives, in rank order.
      var slots = batch.map(function () { var slot = element("li", "pc-result pc-result--loading"); list.appendChild(slot); return slot; });
      batch.forEach(function (result, index) {
        result.data().then(function (data) {
          if (mine !== generation) return;
          list.replaceChild(resultItem(data), slots[index]);
        });
      });
    }

    function run(updateUrl) {
      var mine = ++generation;
      if (updateUrl) keepInUrl();
      var query = box.value.trim();
      var filters = chosen();
      if (!query && !Object.keys(filters).length) {
        list.textContent = "";
        status.textContent = "";
        more.hidden = true;
        return;
      }
      status.textContent = "Searching…";
      // Topics first: they need no download, so a topic's name finds its page at once.
      list.textContent = "";
      var found = Object.keys(filters).length ? [] : matchingTopics(topics, query);
      found.forEach(function (topic) { list.appendChild(topicItem(topic)); });
      topicCount = found.length;
      loadEngine().then(function (pagefind) {
        return pagefind.search(query ? searchTerms(query) : null, { filters: filters });
      }).then(function (search) {
        if (mine !== generation || !search) return;
        results = search.results;
        shown = 0;
        while (list.children.length > topicCount) list.removeChild(list.lastChild);
        var count = results.length + topicCount;
        status.textContent = count === 0 ? "No results" : count + " result" + (count === 1 ? "" : "s");
        showMore();
        // Filter counts come after the first results: their data is fetched once, on first use.
        return loadFilters().then(function (pagefind) {
          return mine === generation ? pagefind.search(query ? searchTerms(query) : null, { filters: filters }) : null;
        }).then(function (counted) {
          if (mine !== generation || !counted) return;
          FACETS.forEach(function (name) { fillFacet(name, (counted.filters || {})[name]); });
          facetBox.hidden = false;
        });
      }).catch(function () {
        if (mine === generation) status.textContent = "Search could not be loaded. Browse the topics and months instead.";
      });
    }

    box.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { run(true); }, 120);
    });
    FACETS.forEach(function (name) {
      selects[name].addEventListener("change", function () { wanted[name] = selects[name].value; run(true); });
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); window.clearTimeout(timer); run(true); });
    more.addEventListener("click", showMore);
    if (box.value || Object.keys(chosen()).length) run(false);
    else if (!window.location.hash) box.focus();
    // The engine starts loading when the reader turns to the box (not on the focus given above).
    box.addEventListener("focus", function () { loadEngine(); });
    box.addEventListener("pointerdown", function () { loadEngine(); });
  }

  /* The header box: a plain form that opens the Search page with the query. */
  function setupHeader() {
    var header = document.querySelector(".md-header__inner");
    if (!header || header.querySelector(".pc-header-search")) return;
    var form = element("form", "pc-header-search");
    form.setAttribute("role", "search");
    form.setAttribute("aria-label", "Site search");
    form.action = SEARCH_PAGE.href;
    form.method = "get";
    var box = element("input", "pc-header-query");
    box.type = "search";
    box.name = "q";
    box.placeholder = "Search";
    box.autocomplete = "off";
    box.setAttribute("aria-label", "Search the catalogue");
    form.appendChild(box);
    var anchor = header.querySelector(".md-header__source") || null;
    header.insertBefore(form, anchor);
  }

  function init() {
    setupHeader();
    document.querySelectorAll("[data-pc-search]").forEach(setupPage);
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

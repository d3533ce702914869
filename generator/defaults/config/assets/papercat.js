/* papercat: the copy button of citation blocks, and an instant filter of listing rows by year,
 * topic and text, kept in the URL (?text=&year=&topic=).
 *
 * A copy button is <button data-pc-copy="SELECTOR"> and copies the text of the element the CSS
 * selector names (Material rewrites the ids of <pre> blocks, so a class is used, not an id).
 * A listing page marks the place for the filter with <div class="pc-filter" data-pc-filter hidden>;
 * rows are .pc-row elements carrying data-year and data-topics. Without JavaScript the page is the
 * full listing, so the filter stays hidden until this script builds it. On a listing of several
 * pages the filter carries data-pc-rows, the URL of a compact file of the whole listing's rows
 * (page URL, title, date, year, topics); filtering fetches it once and shows the matching rows
 * of every page, and clearing the filter brings the page back. Material's instant
 * navigation swaps pages without reloading, so the filter is set up on every page change.
 */
(function () {
  "use strict";
  // How the site's pages are addressed: "topics/x/", or "topics/x.html" with use_directory_urls: false.
  var URLS = document.querySelector('meta[name="papercat:urls"]');
  var FILE_URLS = URLS !== null && URLS.getAttribute("content") === "file";

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
    // The text matched is a row's title, date and topics: what rows.json holds of every row of a long listing.
    var texts = rows.map(function (row) {
      return norm(Array.prototype.map.call(row.querySelectorAll(".pc-row-title, .pc-row-meta"), function (part) {
        return part.textContent;
      }).join(" "));
    });

    var years = {}, topics = {}, undated = false;
    rows.forEach(function (row) {
      if (row.dataset.year) years[row.dataset.year] = true; else undated = true;
      row.querySelectorAll(".pc-chip").forEach(function (chip) {
        var slug = (chip.className.match(/pc-chip--([\w-]+)/) || [])[1];
        if (slug) topics[slug] = chip.textContent;
      });
    });
    // A listing of several pages names the data file of all its papers: the filter searches those.
    var whole = root.dataset.pcRows ? new URL(root.dataset.pcRows, window.location.href) : null;
    var wholeTotal = whole ? Number(root.dataset.pcTotal) || 0 : 0;
    function choose(yearList, topicPairs) {
      yearList.forEach(function (y) {
        if (typeof y !== "string") return;
        if (y === "undated") undated = true; else years[y] = true;
      });
      topicPairs.forEach(function (pair) {
        if (Array.isArray(pair) && typeof pair[0] === "string" && typeof pair[1] === "string") topics[pair[0]] = pair[1];
      });
    }
    if (whole && root.dataset.pcYears !== undefined) {
      var names = [];
      try { names = JSON.parse(root.dataset.pcTopicNames || "[]"); } catch (error) { /* page topics only */ }
      choose(root.dataset.pcYears.split(" ").filter(Boolean), Array.isArray(names) ? names : []);
    } else if (whole && root.dataset.pcChoices) {
      // A later page names the years and topics of the whole listing in a small file of its own, so
      // that a paper of a new year or topic changes that file and the first page, not every page.
      fetch(new URL(root.dataset.pcChoices, window.location.href).href).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      }).then(function (data) {
        choose(Array.isArray(data.years) ? data.years : [], Array.isArray(data.topics) ? data.topics : []);
      }).catch(function () { /* the years and topics of this page's own rows */ }).then(build);
      return;
    }
    build();

    function build() {
      if (!document.contains(root)) return;  // the reader went on to another page meanwhile
      var text = document.createElement("input");
      text.type = "search";
      text.className = "pc-filter-text";
      text.placeholder = "Filter these papers";
      text.setAttribute("aria-label", "Filter these papers by text");
      var year = document.createElement("select");
      year.className = "pc-filter-year";
      option(year, "", "All years");
      Object.keys(years).sort().reverse().forEach(function (y) { option(year, y, y); });
      if (undated) option(year, "undated", "Undated");
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

      var results = null, loading = null, generation = 0;
      // Back from a paper opened from the filtered rows: as many rows as were shown and the place the
      // reader had scrolled to, kept for this address in the tab's session storage (as the Search page does).
      function placeKey() { return "papercat-filter:" + window.location.pathname + window.location.search; }
      var restore = recall();

      function recall() {
        try {
          var place = JSON.parse(window.sessionStorage.getItem(placeKey()) || "{}");
          return place && typeof place === "object" ? place : {};
        } catch (error) { return {}; }
      }

      function remember(shownRows) {
        try {
          window.sessionStorage.setItem(placeKey(), JSON.stringify({ shown: shownRows, scroll: window.scrollY }));
        } catch (error) { /* no storage: Back shows the first rows */ }
      }

      function restorePlace() {
        if (restore.scroll === undefined) return;
        var scroll = restore.scroll;
        restore = {};
        window.requestAnimationFrame(function () { window.scrollTo(0, scroll); });
      }

      function loadWhole() {
        if (!loading) {
          loading = fetch(whole.href).then(function (response) {
            if (!response.ok) throw new Error("HTTP " + response.status);
            return response.json();
          });
          loading.catch(function () { loading = null; });
        }
        return loading;
      }

      function wholeRow(data, row) {
        var element = document.createElement("div");
        element.className = "pc-row";
        element.dataset.year = String(row[3]);
        var link = document.createElement("a");
        link.className = "pc-row-title";
        link.dir = "auto";  // a title in Arabic or Hebrew keeps its place before the date
        link.href = new URL(data.root + row[0], whole.href).href;
        link.textContent = row[1];
        element.appendChild(link);
        var meta = document.createElement("div");
        meta.className = "pc-row-meta";
        var date = document.createElement("span");
        date.className = "pc-date";
        date.textContent = row[2];
        meta.appendChild(date);
        String(row[4]).split(" ").filter(Boolean).forEach(function (slug) {
          if (!/^[\w-]+$/.test(slug)) return;
          meta.appendChild(document.createTextNode(" "));
          var chip = document.createElement("a");
          chip.className = "pc-chip pc-chip--" + slug;
          chip.href = new URL(data.root + "topics/" + slug + (FILE_URLS ? ".html" : "/"), whole.href).href;
          chip.textContent = data.topics[slug] || slug;
          meta.appendChild(chip);
        });
        element.appendChild(meta);
        return element;
      }

      /* Filtering a listing of several pages: the page's own rows and page links give way to the
       * matching rows of the whole listing, from its data file (fetched once, when first needed). */
      function applyWhole(words, filtered, updateUrl) {
        var mine = ++generation;
        document.querySelectorAll(".pc-pager").forEach(function (nav) { nav.hidden = filtered; });
        if (!results) {
          results = document.createElement("div");
          results.className = "pc-filter-results";
          root.parentNode.insertBefore(results, root.nextSibling);
        }
        results.hidden = !filtered;
        if (!filtered) {
          rows.forEach(function (row) { row.hidden = false; });
          showGroups();
          // Later pages do not name the listing's total (a new paper would change every one of them).
          status.textContent = wholeTotal ? wholeTotal + " papers" : rows.length + " papers on this page";
          return;
        }
        rows.forEach(function (row) { row.hidden = true; });
        showGroups();
        status.textContent = wholeTotal ? "Filtering all " + wholeTotal + " papers…" : "Filtering all papers…";
        loadWhole().then(function (data) {
          wholeTotal = data.rows.length;
          if (mine !== generation) return;
          var found = data.rows.filter(function (row) {
            var rowYear = String(row[3]);
            var haystack = norm(row[1] + " " + row[2] + " " + String(row[4]).split(" ").map(function (slug) { return data.topics[slug] || slug; }).join(" "));
            return (!year.value || (year.value === "undated" ? !rowYear : rowYear === year.value)) &&
              (!topic.value || (" " + row[4] + " ").indexOf(" " + topic.value + " ") >= 0) &&
              words.every(function (word) { return haystack.indexOf(word) >= 0; });
          });
          results.textContent = "";
          var shown = 0;
          var more = document.createElement("button");
          more.type = "button";
          more.className = "md-button pc-filter-more";
          more.textContent = "Show more";
          function showMore(count) {
            var upTo = shown + (count || 200);
            found.slice(shown, upTo).forEach(function (row) { results.insertBefore(wholeRow(data, row), more); });
            shown = Math.min(found.length, upTo);
            more.hidden = shown >= found.length;
          }
          results.onclick = function (event) {
            if (event.target.closest && event.target.closest("a")) remember(shown);
          };
          results.appendChild(more);
          more.addEventListener("click", function () {
            var first = shown;
            showMore();
            // The focus goes on with the rows it brought, as the Search page's "More results" does.
            var link = results.children[first] && results.children[first].querySelector(".pc-row-title");
            if (link) link.focus();
          });
          showMore(Math.max(200, restore.shown || 0));
          status.textContent = found.length + " of " + data.rows.length + " papers";
          restorePlace();
        }, function () {
          if (mine !== generation) return;
          // This page's own rows, filtered, and its page links, rather than an empty page.
          results.hidden = true;
          document.querySelectorAll(".pc-pager").forEach(function (nav) { nav.hidden = false; });
          var shown = filterPageRows(words);
          status.textContent = shown + " of " + rows.length + " papers on this page (the list of all papers could not be loaded)";
        });
      }

      function showGroups() {
        document.querySelectorAll(".pc-list").forEach(function (list) {
          var visible = list.querySelectorAll(".pc-row:not([hidden])").length;
          list.hidden = visible === 0;
          var line = list.previousElementSibling;
          var heading = line && line.classList.contains("pc-group-count") ? line.previousElementSibling : line;
          if (line && line !== heading) line.hidden = visible === 0;
          if (heading && /^H[23]$/.test(heading.tagName)) heading.hidden = visible === 0;
        });
        syncContents();
      }

      /* The table of contents lists the groups shown: a link to a hidden heading would lead nowhere. */
      function syncContents() {
        document.querySelectorAll(".md-nav--secondary a.md-nav__link[href]").forEach(function (link) {
          // Material writes these links whole ("http://host/topics/llm/#january-2024") with instant navigation.
          var url = new URL(link.getAttribute("href"), window.location.href);
          if (url.pathname !== window.location.pathname || !url.hash) return;
          var target = document.getElementById(decodeURIComponent(url.hash.slice(1)));
          var item = link.closest("li");
          if (target && item && /^H[23]$/.test(target.tagName)) item.hidden = target.hidden;
        });
      }

      function apply(updateUrl) {
        var words = norm(text.value).split(/\s+/).filter(Boolean);
        if (whole) {
          applyWhole(words, Boolean(words.length || year.value || topic.value), updateUrl);
          if (updateUrl) keepInUrl();
          return;
        }
        var shown = filterPageRows(words);
        var filtered = Boolean(words.length || year.value || topic.value);
        status.textContent = filtered ? shown + " of " + rows.length + " papers" : rows.length + " papers";
        if (updateUrl) keepInUrl();
        if (filtered) restorePlace();
      }

      /* The rows of this page that match, shown, the others and their empty groups hidden; how many match. */
      function filterPageRows(words) {
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
          // A group is its heading, an "N papers" line and the list: all hidden when nothing matches.
          var line = list.previousElementSibling;
          var heading = line && line.classList.contains("pc-group-count") ? line.previousElementSibling : line;
          if (line && line !== heading) {
            line.hidden = visible === 0;
            var count = line.querySelector(".pc-count");
            if (count) count.textContent = visible + (visible === 1 ? " paper" : " papers");
          }
          if (heading && /^H[23]$/.test(heading.tagName)) heading.hidden = visible === 0;
        });
        syncContents();
        return shown;
      }

      function keepInUrl() {
        var query = new URLSearchParams();
        if (text.value.trim()) query.set("text", text.value.trim());
        if (year.value) query.set("year", year.value);
        if (topic.value) query.set("topic", topic.value);
        var search = query.toString();
        history.replaceState(history.state, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
      }

      text.addEventListener("input", function () { apply(true); });
      year.addEventListener("change", function () { apply(true); });
      topic.addEventListener("change", function () { apply(true); });
      if (!whole) {  // the rows are the page's own: the article holding them is replaced with the page
        root.parentNode.addEventListener("click", function (event) {
          var link = event.target.closest && event.target.closest(".pc-row a");
          if (link && (text.value || year.value || topic.value)) remember(0);
        });
      }
      apply(false);
    }
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
    // The new button text is seen; a screen reader hears it from this status message (WCAG 4.1.3).
    var status = document.createElement("span");
    status.className = "pc-visually-hidden";
    status.setAttribute("role", "status");
    button.insertAdjacentElement("afterend", status);
    function say(shown, heard) {
      button.textContent = shown;
      status.textContent = heard;
    }
    button.addEventListener("click", function () {
      var source = document.querySelector(button.dataset.pcCopy);
      if (!source) return;
      copyText(source.textContent).then(function () {
        say("Copied", label.replace(/^Copy /, "") + " copied to the clipboard");
      }, function () {
        say("Select the text to copy", "Could not copy: select the text to copy it");
      });
      window.setTimeout(function () { say(label, ""); }, 2000);
    });
  }

  // A dialog without a name is announced as "Dialog" by screen readers: give each one a name.
  function nameDialogs() {
    document.querySelectorAll('[role="dialog"]:not([aria-label]):not([aria-labelledby])').forEach(function (dialog) {
      dialog.setAttribute("aria-label", dialog.classList.contains("md-search") ? "Search" : "Dialog");
    });
  }

  // Material opens the navigation drawer of narrow screens with a <label> for its checkbox, which
  // the keyboard cannot reach: the header's label becomes a button (same classes and icon) that
  // toggles the checkbox, says whether the drawer is open, and moves the focus into it; Escape
  // closes the drawer and brings the focus back.
  function drawerButton() {
    var toggle = document.getElementById("__drawer");
    if (!toggle) return;
    document.querySelectorAll('.md-header label[for="__drawer"]').forEach(function (label) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = label.className + " pc-drawer-button";
      button.setAttribute("aria-label", "Navigation");
      var drawer = document.querySelector(".md-sidebar--primary");
      if (drawer && !drawer.id) drawer.id = "pc-drawer";
      button.setAttribute("aria-controls", drawer ? drawer.id : "__drawer");
      button.setAttribute("aria-expanded", String(toggle.checked));
      while (label.firstChild) button.appendChild(label.firstChild);
      button.addEventListener("click", function () {
        toggle.click();
        if (!toggle.checked) return;
        window.setTimeout(function () {
          // The first link a reader can see: the drawer hides some (the home page's own entry on the home page).
          var links = document.querySelectorAll(".md-sidebar--primary .md-nav__link[href]");
          for (var i = 0; i < links.length; i++) {
            if (links[i].getClientRects().length && window.getComputedStyle(links[i]).visibility !== "hidden") {
              links[i].focus();
              if (document.activeElement === links[i]) return;
            }
          }
        }, 50);
      });
      label.replaceWith(button);
    });
    if (toggle.dataset.pcReady) return;
    toggle.dataset.pcReady = "1";
    toggle.addEventListener("change", function () {
      document.querySelectorAll(".pc-drawer-button").forEach(function (button) {
        button.setAttribute("aria-expanded", String(toggle.checked));
      });
    });
    // Tabbing out of the open drawer closes it: the focus would go to links hidden behind it (WCAG 2.4.11).
    document.addEventListener("focusin", function (event) {
      if (!toggle.checked || !window.matchMedia("(max-width: 76.234375em)").matches) return;
      var target = event.target;
      if (target.closest && (target.closest(".md-sidebar--primary") || target.closest(".pc-drawer-button"))) return;
      toggle.click();
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !toggle.checked) return;
      toggle.click();
      var button = document.querySelector(".pc-drawer-button");
      if (button) button.focus();
    });
  }

  // Material's colour-scheme toggle is a group of radio buttons, none of them checked until one is
  // clicked: with the system's dark scheme and no choice stored, Tab lands on the first one, whose
  // label is hidden ("Switch to dark mode" while the page is dark, and no focus ring). The radio of
  // the scheme shown is checked, so Tab lands on it and its label (the visible toggle) shows the
  // focus; Space switches, as Enter does.
  function paletteToggle() {
    var inputs = Array.prototype.slice.call(document.querySelectorAll('input[name="__palette"]'));
    inputs.forEach(function (input, index) {
      var label = input.nextElementSibling;
      if (label && label.tagName === "LABEL" && !label.hidden) input.checked = true;
      if (input.dataset.pcReady) return;
      input.dataset.pcReady = "1";
      input.addEventListener("keydown", function (event) {
        if (event.key !== " ") return;
        event.preventDefault();
        var next = inputs[(index + 1) % inputs.length];
        next.click();
        next.focus();
      });
    });
  }

  // Material links "Skip to content" to a page's first heading in its table of contents; a paper
  // page (its title and labels are HTML, not Markdown headings) and the 404 page have none, so
  // the link goes to the page's own heading instead.
  function skipLink() {
    var holder = document.querySelector('[data-md-component="skip"]');
    var heading = document.querySelector(".md-content h1");
    if (!holder || !heading || holder.querySelector(".md-skip")) return;
    if (!heading.id) heading.id = "pc-page-title";
    heading.tabIndex = -1;  // focusable, out of the Tab order
    var link = document.createElement("a");
    link.className = "md-skip";
    link.href = "#" + heading.id;
    link.textContent = "Skip to content";
    // The focus moves to the heading (and the keyboard goes on from there); the page is not loaded
    // again, as Material's instant navigation would, losing the focus.
    link.addEventListener("click", function (event) {
      event.preventDefault();
      event.stopPropagation();
      heading.focus();
    });
    holder.appendChild(link);
  }

  function init() {
    nameDialogs();
    paletteToggle();
    skipLink();
    drawerButton();
    document.querySelectorAll("[data-pc-filter]").forEach(setup);
    document.querySelectorAll("[data-pc-copy]").forEach(setupCopy);
  }

  // Material gives every page it shows, loaded or swapped in by instant navigation; from disk (file://) it
  // gives none, so the page is set up once it has loaded.
  if (typeof window.document$ !== "undefined" && window.document$.subscribe && window.location.protocol !== "file:") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

/* papercat: the catalogue's search, reading papercat's own static index (search-index/).
 *
 * Every page gets a search box in the header; it leads to the Search page (search/?q=...). The
 * Search page shows results as the reader types: title, date, topic chips and a snippet with the
 * matched words marked, plus topic, year and venue filters with counts. The query and filters
 * stay in the URL (?q=&topic=&year=&venue=), so a search can be shared.
 *
 * Nothing of the index is fetched until the reader turns to the search box (or opens a shared
 * search URL). A query then fetches the small directory and, from each segment of the index, the
 * title-key shard of the whole query and the term shard of each word (the last word, still being
 * typed, is looked up as a prefix), then the records of the results shown. Each term shard holds
 * a word's best postings in its segment; the rest of a frequent word's postings and the facet
 * table are fetched only after the first results are shown, to count every match and fill the
 * filters. A segment's files are named by what they hold (s/<id>/), so a browser keeps them from
 * one build of the site to the next. Files are gzip-compressed by papercat and decompressed here.
 * Result text is always inserted as text nodes.
 *
 * tokenize() must split text exactly as generator/site/search.py's tokenize() does.
 */
(function () {
  "use strict";

  var FACETS = ["topic", "year", "venue"];
  var PAGE_SIZE = 10;
  var MAX_TOKEN = 32;
  var MAX_EXPANSIONS = 24;  // words a prefix may stand for
  var PREFIX_SHARDS = 3;  // term shards a prefix may read
  var TOPIC_BOOST = 2;
  var SNIPPET_WORDS = 30;
  var FOLD = { "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h", "ς": "σ",
    "\u200c": "", "\u200d": "" };
  var FOLD_RE = /[ßæœøłđðþıħς\u200c\u200d]/g;
  var configElement = document.getElementById("__config");
  var base = ".";
  try { base = configElement ? JSON.parse(configElement.textContent).base || "." : "."; } catch (error) { base = "."; }
  // Resolved once, at the first page loaded: Material's instant navigation keeps this script.
  var ROOT = new URL(base.replace(/\/?$/, "/"), window.location.href);
  // A page's address as MkDocs writes it: "search/", or "search.html" with use_directory_urls: false.
  var URLS = document.querySelector('meta[name="papercat:urls"]');
  var FILE_URLS = URLS !== null && URLS.getAttribute("content") === "file";
  function pageUrl(path) { return new URL(path + (FILE_URLS ? ".html" : "/"), ROOT); }
  var SEARCH_PAGE = pageUrl("search");
  var INDEX = new URL("search-index/", ROOT);
  // Words in nearly every paper: they tell no paper apart, so a query leaves them out (unless it
  // has no other word); the exact-title lookup still uses every word.
  var STOP_WORDS = ("a an and are as at be by for from in into is it its of on or our that the their this " +
    "to via we with").split(" ").reduce(function (set, word) { set[word] = true; return set; }, {});

  /* ------------------------------------------------------------------ tokenizer */

  var CJK_RUN = /([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ffff}]+)/u;

  function tokenize(text) {
    var folded = String(text || "").normalize("NFKC").toLowerCase().normalize("NFKD")
      .replace(/\p{M}/gu, "").replace(FOLD_RE, function (c) { return FOLD[c]; });
    var words = [];
    (folded.match(/[\p{L}\p{N}]+/gu) || []).forEach(function (word) {
      word.split(CJK_RUN).forEach(function (part, n) {
        var points = Array.from(part);
        if (n % 2 === 0) {  // letters or digits of another script around a run of Chinese characters or kana
          if (points.length) words.push(points.length > MAX_TOKEN ? points.slice(0, MAX_TOKEN).join("") : part);
        } else {  // the run, as its overlapping pairs of characters
          for (var i = 0; i < Math.max(1, points.length - 1); i++) words.push(points.slice(i, i + 2).join(""));
        }
      });
    });
    return words;
  }

  var encoder = new TextEncoder();
  function fnv1a(text) {
    var bytes = encoder.encode(text), hash = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193) >>> 0;
    return hash >>> 0;
  }

  /* ------------------------------------------------------------------ index files */

  function fetchJson(rel, init) {
    return fetch(new URL(rel, INDEX).href, init).then(function (response) {
      if (!response.ok) throw new Error("search index: " + rel + " " + response.status);
      return response.arrayBuffer();
    }).then(function (buffer) {
      var bytes = new Uint8Array(buffer);
      // A host that already sent the file with Content-Encoding: gzip leaves nothing to decompress.
      if (bytes.length > 1 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
        return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text();
      }
      return new TextDecoder().decode(bytes);
    }).then(JSON.parse);
  }

  var directoryLoaded = null;
  function directory() {
    if (!directoryLoaded) {
      directoryLoaded = fetchJson("index.gz", { cache: "no-cache" });
      directoryLoaded.catch(function () { directoryLoaded = null; });
    }
    return directoryLoaded;
  }

  var files = {};
  /* A file of the index, once: a segment's files (s/) by their name, which changes with what they hold;
   * the others with the directory's version string. */
  function load(rel) {
    if (!files[rel]) {
      files[rel] = /^s\//.test(rel) ? fetchJson(rel) : directory().then(function (dir) { return fetchJson(rel + "?v=" + dir.v); });
      files[rel].catch(function () { delete files[rel]; });
    }
    return files[rel];
  }

  /* Documents are the topics, then the papers newest first. A segment numbers its own: its topics
   * (the open segment's), then its papers newest first; its papers are the places a to a + c - 1,
   * counted from the oldest paper. */
  function docOf(dir, seg, local) {
    return local < seg.t ? local : dir.docs - seg.a - seg.c + (local - seg.t);
  }

  function locate(dir, doc) {
    var segments = dir.segments;
    if (doc < dir.topics) return { seg: segments[segments.length - 1], local: doc };
    var place = dir.docs - 1 - doc;
    for (var i = 0; i < segments.length; i++) {
      var seg = segments[i];
      if (seg.a <= place && place < seg.a + seg.c) return { seg: seg, local: seg.t + seg.a + seg.c - 1 - place };
    }
    return null;
  }

  /* A segment's document numbers, delta-coded, as the whole index's. */
  function undelta(dir, seg, deltas) {
    var out = new Int32Array(deltas.length), local = 0;
    for (var i = 0; i < deltas.length; i++) { local += deltas[i]; out[i] = docOf(dir, seg, local); }
    return out;
  }

  var shards = {};
  function shard(dir, seg, n) {
    var rel = "s/" + seg.id + "/t/" + n + ".gz";
    if (!shards[rel]) {
      shards[rel] = load(rel).then(function (raw) {
        var byTerm = new Map();
        var list = raw.map(function (row) {
          var part = { term: row[0], df: row[1], tail: row[2], seg: seg, shard: n, docs: undelta(dir, seg, row[3]), imps: row[4] };
          byTerm.set(part.term, part);
          return part;
        });
        return { list: list, byTerm: byTerm };
      });
      shards[rel].catch(function () { delete shards[rel]; });
    }
    return shards[rel];
  }

  function shardIndex(seg, term) {
    var lo = 0, hi = seg.shards.length - 1, found = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (seg.shards[mid] <= term) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }

  /* Every posting of a word: the heads of its segments' parts (in their shards) and their tail files, once. */
  function complete(entry) {
    if (!entry.tail) return Promise.resolve(entry);
    if (!entry.whole) {
      entry.whole = Promise.all(entry.parts.map(function (part) {
        if (!part.tail) return { docs: part.docs, imps: part.imps };
        var dir = entry.dir;
        return load("s/" + part.seg.id + "/p/" + part.shard + "-" + part.tail + ".gz").then(function (raw) {
          return { docs: Array.from(part.docs).concat(Array.from(undelta(dir, part.seg, raw[0]))), imps: part.imps.concat(raw[1]) };
        });
      })).then(function (all) {
        entry.allDocs = [];
        entry.allImps = [];
        all.forEach(function (x) {
          entry.allDocs = entry.allDocs.concat(Array.from(x.docs));
          entry.allImps = entry.allImps.concat(x.imps);
        });
        return entry;
      });
      entry.whole.catch(function () { entry.whole = null; });
    }
    return entry.whole;
  }

  /* ------------------------------------------------------------------ queries */

  // Inline LaTeX typed as a listing writes it ("P$^2$", "$k$-NN") searched as the plain text the
  // abstracts are indexed in ("P²" is the word "p2"): the signs that only shape a formula are dropped.
  /* A query's inline LaTeX as the index has it: a superscript glued to its base ("P$^2$" is "P2", as "P²"
     is), a subscript and a command words of their own ("$\\mathcal{L}_{\\infty}$" is "L infty"), fonts dropped. */
  function plainMath(query) {
    return query.replace(/\$([^$\n]{1,300})\$/g, function (match, tex) {
      return tex.replace(/\\(?:math[a-z]+|text[a-z]*|operatorname)\b/g, "")
        .replace(/\\([A-Za-z]+)/g, " $1 ").replace(/_/g, " ").replace(/[\^{}\\]/g, "");
    });
  }

  function parseQuery(query) {
    var key = tokenize(query);  // the exact-title key: the title as typed, as the index keeps it
    var tokens = tokenize(plainMath(query));
    var typing = /[\p{L}\p{N}\p{M}]$/u.test(query);  // the last word is still being typed
    var kept = tokens.filter(function (word) { return !STOP_WORDS[word]; });
    if (!kept.length) kept = tokens;
    var seen = {}, words = [];
    kept.forEach(function (word) {
      if (seen[word]) return;
      seen[word] = true;
      words.push({ word: word, prefix: false });
    });
    var last = tokens[tokens.length - 1];
    if (typing && words.length && words[words.length - 1].word === last) {
      // A word being typed is a prefix; its first letter alone says too little, so it waits for the second.
      if (Array.from(last).length >= 2) words[words.length - 1].prefix = true;
      else if (words.length > 1) words.pop();
    }
    return { words: words, key: key.length ? fnv1a(key.join(" ")) : null };
  }

  /* The words a query word stands for (itself, or those it starts), each with its postings in every segment. */
  function resolveWord(dir, word, prefix) {
    var wanted = [], more = false;
    dir.segments.forEach(function (seg) {
      if (!seg.shards.length) return;
      var first = shardIndex(seg, word);
      var end = prefix ? shardIndex(seg, word + "\uffff") : first;
      var last = Math.min(end, first + PREFIX_SHARDS - 1);
      if (end > last) more = true;
      for (var n = first; n <= last; n++) wanted.push(shard(dir, seg, n));
    });
    return Promise.all(wanted).then(function (loaded) {
      var byTerm = new Map();
      function add(part) {
        var entry = byTerm.get(part.term);
        if (!entry) {
          entry = { term: part.term, df: 0, tail: 0, parts: [], docs: [], imps: [], dir: dir };
          byTerm.set(part.term, entry);
        }
        entry.df += part.df;
        entry.tail = entry.tail || part.tail;
        entry.parts.push(part);
        entry.docs = entry.docs.concat(Array.from(part.docs));
        entry.imps = entry.imps.concat(part.imps);
      }
      loaded.forEach(function (s) {
        if (!prefix) { if (s.byTerm.has(word)) add(s.byTerm.get(word)); return; }
        s.list.forEach(function (part) { if (part.term.lastIndexOf(word, 0) === 0) add(part); });
      });
      var found = Array.from(byTerm.values());
      found.sort(function (a, b) {
        return ((b.term === word) - (a.term === word)) || (b.df - a.df) || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0);
      });
      var group = found.slice(0, MAX_EXPANSIONS).map(function (entry) {
        return { entry: entry, weight: entry.term === word ? 1 : 0.8 };
      });
      // More words start with it than are read: the matches are those of its most frequent words.
      group.cut = prefix && (found.length > MAX_EXPANSIONS || more) ? word : "";
      return group;
    });
  }

  /* The index files a query needs before its first results: directory, title key, term shards. */
  function prepare(query) {
    var parsed = parseQuery(query);
    return directory().then(function (dir) {
      var keyed = parsed.key === null ? [] : dir.segments.filter(function (seg) { return seg.shards.length; }).map(function (seg) {
        var keyShard = seg.keyBits ? parsed.key >>> (32 - seg.keyBits) : 0;
        return load("s/" + seg.id + "/k/" + keyShard + ".gz").then(function (keys) {
          return (keys[String(parsed.key)] || []).map(function (local) { return docOf(dir, seg, local); });
        });
      });
      return Promise.all([
        Promise.all(keyed).then(function (lists) { return [].concat.apply([], lists); }),
        Promise.all(parsed.words.map(function (w) { return resolveWord(dir, w.word, w.prefix); })),
      ]).then(function (loaded) { return { dir: dir, keyDocs: loaded[0], groups: loaded[1] }; });
    });
  }

  /* Documents ranked: the typed title (or topic name) first, then those matching every word, by
   * the sum over words of idf × impact (a prefix's idf that of its commonest word). With ``whole`` every posting counts and only documents
   * matching every word are kept; without it only the shards' heads are read. */
  function rank(prepared, whole) {
    var dir = prepared.dir, groups = prepared.groups, total = new Map(), matched = new Map();
    var keyed = new Set(prepared.keyDocs);
    groups.forEach(function (group) {
      var best = new Map();
      // The words a typed prefix stands for are as rare as the commonest of them: "model" typed is
      // "model" or "models", not "modelled", the rarest word that starts so.
      var df = group.reduce(function (most, x) { return Math.max(most, x.entry.df); }, 0);
      var idf = Math.log(1 + (dir.docs - df + 0.5) / (df + 0.5));
      group.forEach(function (x) {
        var e = x.entry, factor = idf * x.weight / 255;
        var docs = whole && e.tail ? e.allDocs : e.docs, imps = whole && e.tail ? e.allImps : e.imps;
        for (var i = 0; i < docs.length; i++) {
          var value = factor * imps[i], old = best.get(docs[i]);
          if (old === undefined || value > old) best.set(docs[i], value);
        }
      });
      best.forEach(function (value, doc) {
        total.set(doc, (total.get(doc) || 0) + value);
        matched.set(doc, (matched.get(doc) || 0) + 1);
      });
    });
    var out = [];
    var impossible = groups.some(function (group) { return !group.length; });
    total.forEach(function (score, doc) {
      // A document whose whole title is the query is a match whatever its words: a title's LaTeX may be
      // written in words the index keeps otherwise.
      var key = keyed.has(doc), all = key || matched.get(doc) === groups.length;
      if ((whole || impossible) && !all) return;
      if (doc < dir.topics) score *= TOPIC_BOOST;
      if (key) score += doc < dir.topics ? 2000 : 1000;
      out.push({ doc: doc, score: score, all: all });
    });
    keyed.forEach(function (doc) {
      if (!total.has(doc)) out.push({ doc: doc, score: doc < dir.topics ? 2000 : 1000, all: true });
    });
    out.sort(function (a, b) { return (b.all - a.all) || (b.score - a.score) || (a.doc - b.doc); });
    return out.map(function (x) { return x.doc; });
  }

  function rankWhole(prepared) {
    var waits = [];
    prepared.groups.forEach(function (group) { group.forEach(function (x) { waits.push(complete(x.entry)); }); });
    return Promise.all(waits).then(function () { return rank(prepared, true); });
  }

  /* ------------------------------------------------------------------ facets */

  /* The facets of the papers, in chunks by place (counted from the oldest paper); a topic has none. */
  function facetTable(dir, docs) {
    var chunks = {};
    docs.forEach(function (doc) { if (doc >= dir.topics) chunks[Math.floor((dir.docs - 1 - doc) / dir.facetChunk)] = true; });
    var names = Object.keys(chunks);
    return Promise.all([load("f/meta.gz")].concat(names.map(function (n) { return load("f/" + n + ".gz"); })))
      .then(function (loaded) {
        var table = { meta: loaded[0], chunks: {} };
        names.forEach(function (n, i) { table.chunks[n] = loaded[i + 1]; });
        return table;
      });
  }

  function facetsOf(dir, table, doc) {
    if (doc < dir.topics) return { year: [], venue: [], topic: [] };
    var place = dir.docs - 1 - doc;
    var chunk = table.chunks[Math.floor(place / dir.facetChunk)], i = place % dir.facetChunk;
    return {
      year: chunk[0][i] < 0 ? [] : [table.meta.year[chunk[0][i]]],
      venue: chunk[1][i] < 0 ? [] : [table.meta.venue[chunk[1][i]]],
      topic: chunk[2][i].map(function (t) { return table.meta.topic[t]; }),
    };
  }

  /* ------------------------------------------------------------------ records and snippets */

  function record(dir, doc) {
    var found = locate(dir, doc);
    if (!found) return Promise.reject(new Error("search index: no document " + doc));
    var seg = found.seg, folder = "s/" + seg.id + "/r/";
    if (found.local < seg.t) return load(folder + "t/" + found.local + ".gz");
    // A paper's record is named by its place counted from the segment's oldest paper: a new day's papers move no other record.
    var place = seg.c - 1 - (found.local - seg.t);
    return load(folder + Math.floor(place / dir.perFolder) + "/" + (place % dir.perFolder) + ".gz");
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function matchesWord(words, text) {
    return tokenize(text).some(function (token) {
      return words.some(function (w) { return w.prefix ? token.lastIndexOf(w.word, 0) === 0 : token === w.word; });
    });
  }

  /* A window of the abstract around its first matched word, matched words in <mark>, as text nodes. */
  function appendSnippet(target, text, words) {
    var parts = String(text || "").split(/([\p{L}\p{N}\p{M}]+)/u);
    var wordAt = [], marked = [];
    for (var i = 1; i < parts.length; i += 2) { wordAt.push(i); marked.push(matchesWord(words, parts[i])); }
    var firstMatch = marked.indexOf(true);
    var start = firstMatch < 0 ? 0 : Math.max(0, firstMatch - 8), end = Math.min(wordAt.length, start + SNIPPET_WORDS);
    if (!wordAt.length) return;
    // The text as written between the words; before the first and after the last word only at the text's own ends.
    target.appendChild(document.createTextNode(start > 0 ? "… " : parts[0]));
    for (var w = start; w < end; w++) {
      var piece = parts[wordAt[w]];
      if (marked[w]) target.appendChild(element("mark", "", piece));
      else target.appendChild(document.createTextNode(piece));
      if (w < end - 1 || end === wordAt.length) target.appendChild(document.createTextNode(parts[wordAt[w] + 1]));
    }
    if (end < wordAt.length) target.appendChild(document.createTextNode(" …"));
  }

  function resultItem(data, words) {
    var topic = data.k === 1;
    var item = element("li", "pc-result" + (topic ? " pc-result--topic" : ""));
    var link = element("a", "pc-result-title", String(data.t || ""));
    link.dir = "auto";  // a title in Arabic or Hebrew keeps its place before the date
    link.href = new URL(String(data.u || ""), ROOT).href;
    item.appendChild(link);
    var line = element("div", "pc-row-meta");
    if (data.d) line.appendChild(element("span", "pc-date", String(data.d)));
    if (data.v) { line.appendChild(document.createTextNode(" · ")); line.appendChild(element("span", "pc-venue", String(data.v))); }
    (Array.isArray(data.c) ? data.c : []).forEach(function (pair) {
      if (!Array.isArray(pair) || !/^[\w-]+$/.test(pair[0])) return;
      line.appendChild(document.createTextNode(" "));
      var chip = element("a", "pc-chip pc-chip--" + pair[0], String(pair[1]));
      chip.href = pageUrl("topics/" + pair[0]).href;
      line.appendChild(chip);
    });
    item.appendChild(line);
    var text = element("p", "pc-snippet");
    // The abstract around a matched word; where only the title matched, the title leads the snippet.
    var abstract = String(data.a || "");
    var inAbstract = abstract.split(/[^\p{L}\p{N}\p{M}]+/u).some(function (w) { return w && matchesWord(words, w); });
    var title = String(data.t || "");
    appendSnippet(text, inAbstract || topic ? abstract : abstract ? title + " — " + abstract : title, words);
    item.appendChild(text);
    var language = /^[a-z]{2,3}$/;
    if (language.test(String(data.l || ""))) { link.lang = data.l; text.lang = data.l; }
    if (language.test(String(data.lt || ""))) link.lang = data.lt;
    return item;
  }

  /* ------------------------------------------------------------------ the engine, for the page and for tools */

  /* Ranked documents of ``query``: ``first`` from the shards' heads (what is shown first), then
   * ``whole`` (every match); each with the URLs of the first ``n`` results. */
  function query(text, n) {
    return prepare(text).then(function (prepared) {
      var first = rank(prepared, false);
      return rankWhole(prepared).then(function (whole) {
        var top = first.slice(0, n || 10);
        return Promise.all(top.map(function (doc) { return record(prepared.dir, doc); })).then(function (records) {
          return { first: first, whole: whole, urls: records.map(function (r) { return new URL(r.u, ROOT).pathname; }) };
        });
      });
    });
  }

  window.papercatSearch = { tokenize: tokenize, fnv1a: fnv1a, parseQuery: parseQuery, query: query,
    first: function (text) { return prepare(text).then(function (p) { return rank(p, false); }); } };

  /* ------------------------------------------------------------------ the Search page */

  // A page opened from disk (file://): the browser does not let it fetch the index, so say how to serve the site.
  var FILE_NOTE = window.location.protocol === "file:" ?
    "Search cannot read its index from a page opened as a file. Serve the site (for example: python3 -m http.server " +
    "--directory site) and open it from http://localhost:8000/. Topics and months work as they are." : null;

  function setupPage(root) {
    if (root.dataset.pcReady) return;
    root.dataset.pcReady = "1";
    var form = root.querySelector("form");
    var box = root.querySelector(".pc-search-query");
    var status = root.querySelector(".pc-search-status");
    if (FILE_NOTE) status.textContent = FILE_NOTE;
    var empty = root.querySelector(".pc-search-empty") || document.createElement("p");
    var list = root.querySelector(".pc-results");
    var more = root.querySelector(".pc-results-more");
    var facetBox = root.querySelector(".pc-facets");
    var selects = {};
    root.querySelectorAll("[data-pc-facet]").forEach(function (select) { selects[select.dataset.pcFacet] = select; });
    var params = new URLSearchParams(window.location.search);
    var wanted = {};
    box.value = params.get("q") || "";
    FACETS.forEach(function (name) { wanted[name] = params.get(name) || ""; });
    var generation = 0, timer = 0, results = [], shown = 0, words = [], dir = null;
    // Back from a result: as many results as were shown, and the place the reader had scrolled to
    // (kept for this address in the tab's session storage: Material's navigation owns history.state).
    var saved = recall();
    var restoreShown = saved.shown || 0, restoreScroll = saved.scroll, lastBatch = Promise.resolve();
    // The result that takes the keyboard focus once it is shown: the first one "More results" adds,
    // or the one focused when the list was made again (the full ranking replacing the quick one).
    var focusAt = -1;

    function chosen() { return FACETS.filter(function (name) { return wanted[name]; }); }

    function keepInUrl() {
      var query = new URLSearchParams();
      // A space after the last word ends it (no longer a prefix): the address keeps one, so it opens the same search.
      if (box.value.trim()) query.set("q", box.value.trim() + (/\s$/.test(box.value) ? " " : ""));
      FACETS.forEach(function (name) { if (wanted[name]) query.set(name, wanted[name]); });
      var search = query.toString();
      history.replaceState(history.state, "", window.location.pathname + (search ? "?" + search : ""));
      remember(0);
    }

    function placeKey() { return "papercat-search:" + window.location.pathname + window.location.search; }

    // How many results this address shows and where the page is scrolled (forgotten with 0).
    function remember(count) {
      try {
        if (count) window.sessionStorage.setItem(placeKey(), JSON.stringify({ shown: count, scroll: window.scrollY }));
        else window.sessionStorage.removeItem(placeKey());
      } catch (error) { /* no storage: Back shows the first results */ }
    }

    function recall() {
      try {
        // Kept after it is read: Back, Forward and Back again come to the same place.
        var place = JSON.parse(window.sessionStorage.getItem(placeKey()) || "{}");
        return place && typeof place === "object" ? place : {};
      } catch (error) { return {}; }
    }

    function fillFacet(name, counts) {
      var select = selects[name];
      var entries = Object.keys(counts).filter(function (value) { return counts[value] > 0 || value === wanted[name]; });
      entries.sort(name === "year"  // newest year first, "undated" last, as on the listing pages
        ? function (a, b) { return (/^\d/.test(b) - /^\d/.test(a)) || b.localeCompare(a); }
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

    function showMore(count) {
      var start = shown;
      var batch = results.slice(shown, shown + (count || PAGE_SIZE));
      shown += batch.length;
      more.hidden = shown >= results.length;
      var mine = generation;
      // Each result is shown as soon as its own record arrives, in rank order.
      return Promise.all(batch.map(function (doc, i) {
        var slot = element("li", "pc-result pc-result--loading");
        list.appendChild(slot);
        return record(dir, doc).then(function (data) {
          if (mine !== generation || slot.parentNode !== list) return;
          var item = resultItem(data, words), link = item.querySelector("a");
          list.replaceChild(item, slot);
          if (start + i === focusAt && link) {
            link.focus();
            focusAt = -1;
          }
        });
      }));
    }

    // The results of the search: ``final`` once every posting has been read (the quick ranking first).
    function show(docs, final) {
      // The rows shown stay as long as a fresh list starts with the same documents: only the rows from
      // the first that differs are made again, so a click on a row that stays is never lost.
      var keep = Math.max(PAGE_SIZE, shown, restoreShown);
      var count = Math.min(keep, docs.length);
      var common = 0;
      while (common < Math.min(shown, count) && results[common] === docs[common]) common++;
      results = docs;
      if (common === count && count === shown) {
        more.hidden = shown >= results.length;
      } else {
        var focused = Array.prototype.indexOf.call(list.children, document.activeElement && document.activeElement.closest("li"));
        if (focused >= common) focusAt = focused;
        while (list.children.length > common) list.removeChild(list.lastChild);
        shown = common;
        lastBatch = showMore(keep - common);
      }
      if (final && restoreShown) {  // back from a result: once the results are in, scroll to where the reader was
        var scroll = restoreScroll;
        restoreShown = 0;
        if (scroll !== undefined) lastBatch.then(function () { window.scrollTo(0, scroll); });
      }
    }

    function run(updateUrl) {
      var mine = ++generation;
      focusAt = -1;
      if (updateUrl) keepInUrl();
      var text = box.value.trim();
      var filters = chosen();
      empty.hidden = true;
      if (!text && !filters.length) {
        list.textContent = "";
        status.textContent = "";
        more.hidden = true;
        facetBox.hidden = true;  // counts of a search no longer shown
        results = [];
        shown = 0;
        return;
      }
      var cut = "";
      words = parseQuery(box.value).words;
      // One letter says little: a search for it that finds nothing asks for more rather than giving up.
      var oneLetter = words.length > 0 && words.every(function (w) {
        return !w.prefix && /^[\p{L}\p{N}]$/u.test(w.word) && !CJK_RUN.test(w.word);
      });
      status.textContent = "Searching…";
      directory().then(function (loaded) {
        dir = loaded;
        if (!text) {  // filters alone: every paper, newest first
          var every = [];
          for (var doc = dir.topics; doc < dir.docs; doc++) every.push(doc);
          return every;
        }
        return prepare(box.value).then(function (prepared) {
          if (mine !== generation) return null;
          cut = prepared.groups.map(function (group) { return group.cut; }).filter(Boolean)[0] || "";
          if (!filters.length) { results = []; shown = 0; list.textContent = ""; show(rank(prepared, false)); }
          return rankWhole(prepared);
        });
      }).then(function (matches) {
        if (mine !== generation || !matches) return null;
        // Counts over every match, read from the facet table after the first results are shown.
        return facetTable(dir, matches).then(function (table) {
          if (mine !== generation) return;
          // Each filter's counts leave that filter out (the others apply), so the reader can switch
          // from one year or topic to another directly.
          var counts = { topic: {}, year: {}, venue: {} }, kept = [];
          matches.forEach(function (doc) {
            var own = facetsOf(dir, table, doc);
            var failed = filters.filter(function (name) { return own[name].indexOf(wanted[name]) < 0; });
            if (!failed.length) kept.push(doc);
            FACETS.forEach(function (name) {
              if (failed.length > 1 || (failed.length === 1 && failed[0] !== name)) return;
              own[name].forEach(function (value) { counts[name][value] = (counts[name][value] || 0) + 1; });
            });
          });
          show(kept, true);
          // With filters that leave matches out, the status says so: "No results" alone would hide them.
          var narrowed = text && kept.length < matches.length ? " with the filters chosen (" + matches.length + " without them)" : "";
          empty.hidden = !(text && matches.length === 0 && !oneLetter);
          status.textContent = (kept.length === 0 ? "No results" : kept.length + " result" + (kept.length === 1 ? "" : "s")) + narrowed +
            (cut ? " for the most frequent words starting with \u201c" + cut + "\u201d; type more of the word to find every match" : "") +
            (!oneLetter ? "" : matches.length === 0 ? "; type at least two letters to search"
              : "; one letter is found only as a word of its own: type more letters to find the words that start with it");
          FACETS.forEach(function (name) { fillFacet(name, counts[name]); });
          facetBox.hidden = false;
        });
      }).catch(function () {
        if (mine === generation) status.textContent = FILE_NOTE || "Search could not be loaded. Browse the topics and months instead.";
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
    more.addEventListener("click", function () { focusAt = shown; showMore(); });
    // Leaving for a result keeps the place to come back to.
    list.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest("a")) remember(shown);
    });
    if (box.value || chosen().length) run(false);
    else if (!window.location.hash) box.focus();
    // The directory starts loading when the reader turns to the box (not on the focus given above).
    box.addEventListener("focus", function () { directory(); });
    box.addEventListener("pointerdown", function () { directory(); });
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

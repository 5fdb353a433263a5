// sitegen search page: Pagefind's UI over the index `sitegen build` writes to pagefind/.
// The index is split by the month of the arXiv id: pagefind/shards.json lists the bundles
// (pagefind/<YYMM>/), newest first. The newest bundle serves Pagefind's UI and is the primary
// index; every other one is merged into it. Their paths are made absolute from the page's own
// URL (data-bundles is relative to the page), so search works under a sub-path too.
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box) return;
  var base = new URL(box.getAttribute("data-bundles") || "../pagefind/", window.location.href).pathname;
  var EXCERPT = 40;  // words of abstract shown with each result, from any bundle
  // Every bundle ranks its own pages (BM25 over its own month), and a bundle without the word
  // searched for matches its longest prefix instead ("maldacena" -> "ma"), which Pagefind
  // barely penalises by default. Ranking by the matched word's length first puts the real
  // matches above those: on the shipped papers, a title word's paper in the top 5 for 116 of
  // 150 searches, against 106 at Pagefind's default (123 with one bundle for all).
  var RANKING = { termSimilarity: 10 };

  function unavailable() {  // built without search, or the index is missing
    var off = document.querySelector(".search-off");
    if (off) off.hidden = false;
  }

  function load(bundles) {
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = bundles[0] + "pagefind-ui.css";
    document.head.appendChild(css);
    var script = document.createElement("script");
    script.src = bundles[0] + "pagefind-ui.js";
    script.onerror = unavailable;
    script.onload = function () {
      if (typeof window.PagefindUI !== "function") { unavailable(); return; }
      // PagefindUI's own mergeIndex option merges bundles one after another, two requests
      // each: with a bundle a month that is seconds before the first result. Merged here, on
      // the same module instance PagefindUI imports (same URL), their requests run together.
      import(bundles[0] + "pagefind.js").then(function (pagefind) {
        bundles.slice(1).forEach(function (path) {
          pagefind.mergeIndex(path, { excerptLength: EXCERPT, ranking: RANKING }).catch(function (err) {
            console.warn("search: cannot merge " + path, err);
          });
        });
        start(bundles[0]);
      }, unavailable);
    };
    document.head.appendChild(script);
  }

  // no-cache: revalidate, so a month's new bundle is found as soon as it is published.
  fetch(base + "shards.json", { cache: "no-cache" })
    .then(function (response) {
      if (!response.ok) throw new Error("shards.json: HTTP " + response.status);
      return response.json();
    })
    .then(function (listing) {
      var names = (listing && listing.shards) || [];
      if (!names.length) throw new Error("no search index shards");
      load(names.map(function (name) { return base + name + "/"; }));
    })
    .catch(unavailable);

  function start(primary) {  // Pagefind's UI, over the primary bundle and all merged into it
    var ui = new window.PagefindUI({
      element: "#search",
      bundlePath: primary,
      showImages: false,
      showSubResults: false,
      excerptLength: EXCERPT,
      ranking: RANKING,
      translations: { placeholder: "Search titles, authors and abstracts" }
    });
    // ?q=term runs that search (deep links).
    var q = new URLSearchParams(window.location.search).get("q");
    var input = box.querySelector("input");
    if (input) {
      input.setAttribute("aria-label", "Search papers");  // Pagefind gives it only a title
      if (!q) input.focus();
    }
    if (q) ui.triggerSearch(q);
    // ?author=Name, from the author links on paper pages: that author's papers, by the `author`
    // filter paper pages carry. The name is searched for too (every paper by the author holds
    // it), since Pagefind's UI shows results only for a search term.
    var author = new URLSearchParams(window.location.search).get("author");
    if (author) {
      ui.triggerFilters({ author: [author] });
      if (!q) ui.triggerSearch(author);
    }
    // On a phone the topic filter starts folded, so the results come first.
    if (window.matchMedia && window.matchMedia("(max-width: 40rem)").matches && window.MutationObserver) {
      var folded = false;
      var watcher = new MutationObserver(function () {
        var group = box.querySelector("details.pagefind-ui__filter-block");
        if (group && !folded) { folded = true; group.open = false; watcher.disconnect(); }
      });
      watcher.observe(box, { childList: true, subtree: true });
    }
    // The address follows what is typed, so going back from a result returns to the same results.
    box.addEventListener("input", function (ev) {
      if (!ev.target.matches || !ev.target.matches("input[type=text], input[type=search]")) return;
      var url = new URL(window.location.href);
      if (ev.target.value) url.searchParams.set("q", ev.target.value); else url.searchParams.delete("q");
      window.history.replaceState(null, "", url);
    });
  }
})();

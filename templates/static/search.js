// sitegen search page: Pagefind's UI over the index `sitegen build` writes to pagefind/.
// pagefind-ui.js is loaded (deferred) just before this file; it finds its bundle, and so the
// site's base path, from its own URL, so search works under a sub-path too.
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box) return;
  if (typeof window.PagefindUI !== "function") {  // built without search, or index missing
    var off = document.querySelector(".search-off");
    if (off) off.hidden = false;
    return;
  }
  var ui = new window.PagefindUI({
    element: "#search",
    showImages: false,
    showSubResults: false,
    excerptLength: 40,
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
})();

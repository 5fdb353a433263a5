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
    autofocus: true,
    translations: { placeholder: "Search titles, authors and abstracts" }
  });
  // ?q=term runs that search (deep links), and the address follows what is typed, so going
  // back from a result returns to the same results.
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) ui.triggerSearch(q);
  box.addEventListener("input", function (ev) {
    if (!ev.target.matches || !ev.target.matches("input[type=text], input[type=search]")) return;
    var url = new URL(window.location.href);
    if (ev.target.value) url.searchParams.set("q", ev.target.value); else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
  });
})();

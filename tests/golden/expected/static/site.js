// sitegen: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "sitegen-theme";
  function stored() { try { return localStorage.getItem(KEY); } catch (e) { return null; } }
  var saved = stored();
  if (saved === "dark" || saved === "light") root.setAttribute("data-theme", saved);

  // "New since your last visit": papers announced after the day of the reader's previous visit
  // are marked on list pages. Kept in localStorage only (no cookie, nothing sent anywhere); a
  // visit is a session: page views less than VISIT_GAP apart belong to the same visit, so
  // browsing from page to page keeps the marks. The first visit marks nothing.
  var VISIT_KEY = "sitegen-visits", VISIT_GAP = 30 * 60 * 1000;
  function previousVisit() {
    var now = Date.now(), seen = null;
    try { seen = JSON.parse(localStorage.getItem(VISIT_KEY) || "null"); } catch (e) { seen = null; }
    var visits = seen && typeof seen.last === "number" ? seen : { last: 0, prev: 0 };
    if (now - visits.last > VISIT_GAP) visits.prev = visits.last;  // a new visit begins
    visits.last = now;
    try { localStorage.setItem(VISIT_KEY, JSON.stringify(visits)); } catch (e) { /* not remembered */ }
    return visits.prev ? new Date(visits.prev).toISOString().slice(0, 10) : null;
  }
  function markNew() {
    var list = document.querySelector(".cards");
    var since = previousVisit();
    if (!list || !since) return;
    // A card's first <time> is its announcement day, YYYY-MM-DD as its text.
    var fresh = Array.prototype.filter.call(list.querySelectorAll(".card"), function (card) {
      var day = card.querySelector("time");
      return day && (day.getAttribute("datetime") || day.textContent) > since;
    });
    fresh.forEach(function (card) {
      card.classList.add("new");
      var badge = document.createElement("span");
      badge.className = "new-badge";
      badge.textContent = "New";
      var meta = card.querySelector(".meta");
      if (meta) meta.insertBefore(badge, meta.firstChild);
    });
    // The list's papers off this page (a topic's older pages, the index's other days), by day,
    // from data-more (sitegen.site.model.off_page): the count is the list's, not the page's.
    var off = 0;
    (list.getAttribute("data-more") || "").split(" ").forEach(function (pair) {
      var at = pair.indexOf(":");
      if (at > 0 && pair.slice(0, at) > since) off += parseInt(pair.slice(at + 1), 10) || 0;
    });
    var after = list.getAttribute("data-more-after");  // days up to it are not counted
    var atLeast = !!after && since < after, total = fresh.length + off;
    if (!total) return;
    var papers = function (n) { return n + " paper" + (n === 1 ? "" : "s"); };
    var text;
    if (list.getAttribute("data-new") === "page") {  // an archive page: its own papers only
      text = papers(fresh.length) + " on this page " + (fresh.length === 1 ? "is" : "are") + " new since your last visit (" + since + ").";
    } else {
      text = (atLeast ? "At least " : "") + papers(total) + " new since your last visit (" + since + ")";
      if (atLeast) text += ": " + fresh.length + " on this page; older pages may hold more.";
      else text += off ? ": " + fresh.length + " on this page, " + off + " on other pages." : ".";
    }
    var note = document.createElement("p");
    note.className = "since";
    note.textContent = text;
    list.parentNode.insertBefore(note, list);
  }

  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  // Buttons that only work with JavaScript are made here, not sent in every page's HTML
  // hidden: the theme toggle in the header and the BibTeX copy button on paper pages.
  function button(parent, cls, label, text) {
    var b = document.createElement("button");
    b.type = "button";
    if (cls) b.className = cls;
    if (label) b.setAttribute("aria-label", label);
    b.textContent = text;
    parent.appendChild(b);
    return b;
  }
  ready(function () {
    var nav = document.querySelector("body > header nav");
    // Paper pages (most of the site) leave the header's search box out, as the search page
    // needs JavaScript anyway: made here as base.html writes it on list pages.
    var brand = document.querySelector("body > header .brand");
    if (nav && brand && !nav.querySelector("form.find") && nav.hasAttribute("data-find")) {
      var form = document.createElement("form");
      form.className = "find";
      form.setAttribute("role", "search");
      form.action = brand.href + "search/";
      var q = document.createElement("input");
      q.type = "search";
      q.name = "q";
      q.placeholder = "Search papers";
      q.setAttribute("aria-label", "Search papers");
      q.required = true;
      form.appendChild(q);
      button(form, "", "", "Search").removeAttribute("type");
      nav.appendChild(form);
    }
    var toggle = nav && button(nav, "theme", "Toggle dark mode", "\u25D0");
    document.querySelectorAll("details.bibtex").forEach(function (d) {
      button(d, "copy", "", "Copy BibTeX").setAttribute("data-copy-from", "pre");
    });
    if (toggle) {
      var isDark = function () {
        var t = root.getAttribute("data-theme");
        return t ? t === "dark" : window.matchMedia("(prefers-color-scheme: dark)").matches;
      };
      toggle.hidden = false;
      toggle.setAttribute("aria-pressed", String(isDark()));
      toggle.addEventListener("click", function () {
        var next = isDark() ? "light" : "dark";
        root.setAttribute("data-theme", next);
        toggle.setAttribute("aria-pressed", String(next === "dark"));
        try { localStorage.setItem(KEY, next); } catch (e) { /* private mode: not remembered */ }
      });
    }
    document.querySelectorAll("button.copy").forEach(function (btn) {
      btn.hidden = false;
      btn.addEventListener("click", function () {
        var text = btn.getAttribute("data-copy");
        if (!text) {
          var src = btn.parentNode.querySelector(btn.getAttribute("data-copy-from"));
          text = src ? src.textContent : "";
        }
        var old = btn.getAttribute("data-label") || btn.textContent;
        btn.setAttribute("data-label", old);
        var say = function (msg) { btn.textContent = msg; setTimeout(function () { btn.textContent = old; }, 1500); };
        var fallback = function () {  // no Clipboard API (plain http, old browser): execCommand
          var area = document.createElement("textarea");
          area.value = text; area.setAttribute("readonly", ""); area.style.position = "fixed"; area.style.opacity = "0";
          document.body.appendChild(area); area.select();
          var ok = false;
          try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
          document.body.removeChild(area);
          say(ok ? "Copied" : "Press Ctrl+C");
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(function () { say("Copied"); }, fallback);
        } else {
          fallback();
        }
      });
    });
    // Day pages: the server sends the most upvoted first; arXiv's order is one choice away and
    // the reader's choice is remembered. "arXiv order" is the site's own: newest id first.
    var sort = document.querySelector(".sort select");
    var cards = document.querySelector(".cards");
    if (sort && cards) {
      sort.parentNode.hidden = false;
      var served = Array.prototype.slice.call(cards.children);
      var idOf = function (el) { var id = el.querySelector(".id"); return id ? id.textContent : ""; };
      var arxiv = served.slice().sort(function (a, b) { return idOf(a) < idOf(b) ? 1 : idOf(a) > idOf(b) ? -1 : 0; });
      var apply = function () {
        (sort.value === "announced" ? arxiv : served).forEach(function (el) { cards.appendChild(el); });
      };
      var SORT_KEY = "sitegen-day-sort";
      try { var chosen = localStorage.getItem(SORT_KEY); if (chosen === "announced" || chosen === "upvotes") sort.value = chosen; } catch (e) { /* ignore */ }
      sort.addEventListener("change", function () {
        try { localStorage.setItem(SORT_KEY, sort.value); } catch (e) { /* not remembered */ }
        apply();
      });
      if (sort.value !== sort.getAttribute("data-default")) apply();
    }
    // Paper pages: each author links to the search page filtered by that author. The names
    // come from the citation_author tags; the first 50 are Pagefind's author filter values
    // (templates/search-record.html) when the site has search (the header's data-find says
    // "author"). The line is their join by ", ", rebuilt here with links, not written as
    // links in the HTML: the search page needs JavaScript anyway.
    var find = document.querySelector("form.find");
    var line = document.querySelector("article.paper p.authors");
    var names = document.querySelectorAll("meta[name=citation_author]");
    var filtered = nav && nav.getAttribute("data-find") === "author";
    if (find && line && names.length && filtered) {
      line.textContent = "";
      names.forEach(function (meta, i) {
        if (i) line.appendChild(document.createTextNode(", "));
        var name = document.createTextNode(meta.content);
        if (i < 50) {
          var link = document.createElement("a");
          link.href = find.action + "?author=" + encodeURIComponent(meta.content);
          link.appendChild(name);
          name = link;
        }
        line.appendChild(name);
      });
    }
    // Cards: a PDF link after the arXiv id, made here from the id (arXiv serves the newest
    // version at the version-less address; a revised paper's chip shows its version too). As HTML on every card it cost 0.1 KB a paper, past
    // the site's byte budget (benchmarks/site_bytes.py); without JavaScript the title leads to
    // the paper's page and its PDF link.
    document.querySelectorAll(".card .id").forEach(function (chip) {
      var id = chip.textContent.replace(/^arXiv:/, "").replace(/v\d+$/, "");  // a revised paper's version
      if (!/^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?\/\d{7})$/.test(id)) return;
      var pdf = document.createElement("a");
      pdf.href = "https://arxiv.org/pdf/" + id;
      pdf.textContent = "PDF";
      chip.after(" ", pdf);
    });
    // Lead cards: "more" leads to the rest of the abstract, on the paper's page (#abstract) or, once
    // the page has left the site, on arXiv: the card title's address, so it is made here (as HTML
    // on every lead card it cost 91 bytes a paper, past the site's byte budget); without
    // JavaScript the title leads to the same page.
    document.querySelectorAll(".card p.abs > a:not([href])").forEach(function (more) {
      var title = more.closest(".card").querySelector("h2 a, h3 a");
      var to = title && title.getAttribute("href");
      if (to) more.href = /^[a-z]+:/.test(to) ? to : to + "#abstract";
    });
    // Paper pages: a revised paper's version mark ("revised v3, 12 Sep 2026") links arXiv's page
    // of that version, made here from the arXiv line ("2311.02077v3"): as HTML it cost 23 bytes
    // a paper, past the site's byte budget; without JavaScript the arXiv page link shows it.
    var mark = document.querySelector(".facts dd a:not([href])");
    var versioned = document.querySelector(".facts dd");  // its end tag left out: a line break ends it
    var arxivId = versioned ? versioned.textContent.trim() : "";
    if (mark && /^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?\/\d{7})v\d+$/.test(arxivId)) {
      mark.href = "https://arxiv.org/abs/" + arxivId;
    }
    markNew();
    // Printing a paper shows its BibTeX even when the <details> is closed.
    var closed = [];
    window.addEventListener("beforeprint", function () {
      closed = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) { return !d.open; });
      closed.forEach(function (d) { d.open = true; });
    });
    window.addEventListener("afterprint", function () { closed.forEach(function (d) { d.open = false; }); closed = []; });
  });
})();

// sitegen search page: Pagefind finds the candidates, this file decides what matches and in
// which order, and shows each result with its authors, date and topics.
//
// The index is split by the month of the arXiv id: pagefind/shards.json lists the bundles
// (pagefind/<YYMM>/), newest first; the newest is the primary index and every other one is
// merged into it. Bundle paths are made absolute from the page's own URL (data-bundles is
// relative to the page), so search works under a sub-path too.
//
// Why not Pagefind's ranking alone: it stems words ("diffusion" finds "diffusive") and, in a
// bundle without the word searched for, pads the answer with the word's longest prefix
// ("LeCun" finds "Le"), and a name is only words in a page. So every candidate is checked
// here, accents and case aside, word by whole word (a plural "s" aside): a paper is a result
// only if the query is in it, and results come in this order: the query names one of its
// authors ("Khashabi", "D. Khashabi", "Daniel Khashabi"); the query is a phrase of its title;
// every word is in its title; the query is a phrase of its text; every word is in its text.
// Within each group Pagefind's order stays (title and authors weigh more than the abstract,
// templates/paper.html).
//
// A query that is an arXiv id (2608.11361, with a version, an "arXiv:" prefix or as an
// arxiv.org URL) goes straight to the paper's page when the site has it (a HEAD request: the
// index need not load), and otherwise says so and links the paper on arXiv. ?topic= takes a
// topic's slug (what the records' topic filter holds, templates/search-record.html) or, as
// links made before did, its title.
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box) return;
  var form = box.querySelector("form");
  var input = form.querySelector("input[name=q]");
  var topicSelect = form.querySelector("select[name=topic]");
  var status = box.querySelector(".search-status");
  var list = box.querySelector(".results");
  var moreButton = box.querySelector("button.more");
  var base = new URL(box.getAttribute("data-bundles") || "../pagefind/", window.location.href).pathname;
  var BATCH = 60;  // candidates checked at a time (each is one small fragment request)
  var SHOWN = 20;  // results rendered at a time
  var RANKING = { termSimilarity: 10 };  // exact words before Pagefind's prefix matches
  var pagefind = null;
  var state = null;  // the running search: {key, candidates, checked, matches, shown}

  // --- arXiv ids ------------------------------------------------------------------------------
  // {id, version} when the query is an arXiv id and nothing else, or null. Bounded patterns on
  // a query of at most 200 characters.
  function arxivId(q) {
    var text = (q || "").trim();
    if (text.length > 200) return null;
    text = text.replace(/^(?:https?:\/\/)?(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html)\//i, "")
      .replace(/^arxiv:/i, "").replace(/\.pdf$/i, "").replace(/\/$/, "");
    var m = /^(\d{4}\.\d{4,5}|[a-z]{1,20}(?:-[a-z]{1,20})?(?:\.[A-Z]{2})?\/\d{7})(v\d{1,3})?$/.exec(text);
    return m ? { id: m[1], version: m[2] || "" } : null;
  }
  function paperUrl(ref) {  // the paper's page, from the bundles' folder (works under a sub-path)
    return new URL(base + "../papers/" + ref.id.replace("/", "_") + "/", window.location.href).href;
  }
  function link(href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }
  function notHere(ref) {
    var name = "arXiv:" + ref.id + ref.version;
    list.textContent = "";
    moreButton.hidden = true;
    status.textContent = name + " is not on this site: it lists only the papers of its topics, and the pages of its oldest days may have left it. On arXiv: ";
    status.append(link("https://arxiv.org/abs/" + ref.id + ref.version, "abstract"), " · ",
                  link("https://arxiv.org/pdf/" + ref.id + ref.version, "PDF"), ".");
  }
  function openPaper(ref) {
    var url = paperUrl(ref);
    status.textContent = "Opening arXiv:" + ref.id + ref.version + "…";
    return fetch(url, { method: "HEAD", cache: "no-cache" }).then(function (response) {
      if (response.ok) window.location.replace(url); else notHere(ref);
    }, function () { notHere(ref); });
  }

  // --- topics ---------------------------------------------------------------------------------
  // The topic select's options: value the slug, text the title.
  var topicTitles = {};
  if (topicSelect) Array.prototype.forEach.call(topicSelect.options, function (o) { if (o.value) topicTitles[o.value] = o.text; });
  function topicSlug(value) {  // a slug, or a topic's title (case aside), as the filter's slug
    if (!value || topicTitles[value]) return value;
    var wanted = value.trim().toLowerCase();
    for (var slug in topicTitles) if (topicTitles[slug].toLowerCase() === wanted || slug === wanted) return slug;
    return value;
  }

  function unavailable() {
    var off = document.querySelector(".search-off");
    if (off) off.hidden = false;
    form.hidden = true;
  }

  // --- matching -------------------------------------------------------------------------------
  function fold(text) {  // lower case, no accents: "Müller" ~ "muller"
    return (text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function stem(word) {
    return word.length > 3 && /s$/.test(word) && !/ss$/.test(word) ? word.slice(0, -1) : word;
  }
  function words(text) {
    return (fold(text).match(/[\p{L}\p{N}]+/gu) || []).map(stem);
  }
  function hasPhrase(hay, needle) {
    outer: for (var i = 0; i + needle.length <= hay.length; i++) {
      for (var j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
      return true;
    }
    return false;
  }
  function hasAll(hay, needle) {
    return needle.every(function (w) { return hay.indexOf(w) !== -1; });
  }
  function namesAuthor(name, query) {  // "D. Khashabi" and "Khashabi" name "Daniel Khashabi"
    var parts = words(name);
    return query.every(function (w) {
      return parts.some(function (p) { return p === w || (w.length === 1 && p.charAt(0) === w); });
    }) && query.some(function (w) { return w.length > 1; });
  }
  // The group a page falls in for the query (0 = best), or -1 when the query is not in it.
  function group(data, query) {
    var authors = (data.filters && data.filters.author) || [];
    if (authors.some(function (a) { return namesAuthor(a, query); })) return 0;
    var title = words(data.meta && data.meta.title);
    if (hasPhrase(title, query)) return 1;
    if (hasAll(title, query)) return 2;
    var text = words(data.content);
    if (hasPhrase(text, query)) return 3;
    if (hasAll(text, query)) return 4;
    return -1;
  }

  // --- searching ------------------------------------------------------------------------------
  function filters(topic, author) {
    var f = {};
    if (topic) f.topic = topic;
    if (author) f.author = author;
    return f;
  }

  // Every match for a query, best first: a promise of [{data, rank}]. `all` checks every
  // candidate (the search-quality test); otherwise BATCH at a time, as the reader asks for more.
  function run(q, topic, author, all) {
    var query = words(q);
    var term = query.length ? q : null;  // an author link alone lists that author's papers
    if (!query.length && !author) return Promise.resolve({ matches: [], total: 0, done: true });
    return pagefind.search(term, { filters: filters(topic, author) }).then(function (found) {
      var s = { key: [q, topic, author].join("\u0000"), query: query, candidates: found.results,
                checked: 0, matches: [] };
      return (all ? checkAll(s) : check(s, SHOWN)).then(function () { return s; });
    });
  }
  function checkAll(s) {
    return s.checked < s.candidates.length ? nextBatch(s).then(function () { return checkAll(s); }) : Promise.resolve();
  }
  function check(s, wanted) {  // until `wanted` matches are known or the candidates run out
    if (s.matches.length >= wanted || s.checked >= s.candidates.length) return Promise.resolve();
    return nextBatch(s).then(function () { return check(s, wanted); });
  }
  function nextBatch(s) {
    var batch = s.candidates.slice(s.checked, s.checked + BATCH);
    var offset = s.checked;
    s.checked += batch.length;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (pages) {
      pages.forEach(function (data, i) {
        var g = s.query.length ? group(data, s.query) : 0;
        if (g >= 0) s.matches.push({ data: data, group: g, order: offset + i });
      });
      s.matches.sort(function (a, b) { return a.group - b.group || a.order - b.order; });
    });
  }

  // --- showing --------------------------------------------------------------------------------
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  function render(s, upTo) {
    list.textContent = "";
    s.matches.slice(0, upTo).forEach(function (m) {
      var d = m.data, item = el("li", "result");
      var h = el("h2", "card-title"), a = el("a", null, (d.meta && d.meta.title) || d.url);
      a.href = d.url;
      h.appendChild(a);
      item.appendChild(h);
      var authors = (d.filters && d.filters.author) || [];
      if (authors.length) {
        var p = el("p", "authors");
        var shown = authors.length > 8 ? authors.slice(0, 6) : authors;
        shown.forEach(function (name, i) {
          if (i) p.appendChild(document.createTextNode(", "));
          p.appendChild(s.query.length && namesAuthor(name, s.query) ? el("mark", null, name) : document.createTextNode(name));
        });
        if (shown.length < authors.length) p.appendChild(document.createTextNode(" et al."));
        item.appendChild(p);
      }
      var meta = el("p", "meta");
      if (d.meta && d.meta.date) {
        var t = el("time", null, d.meta.date);
        t.setAttribute("datetime", d.meta.date);
        meta.appendChild(t);
      }
      var slug = /\/papers\/([^\/]+)\/$/.exec(d.url);  // the paper's PDF, as on the cards (site.js)
      if (slug) meta.append(" ", link("https://arxiv.org/pdf/" + slug[1].replace("_", "/"), "PDF"));
      var topics = ((d.filters && d.filters.topic) || []).map(function (slug) { return topicTitles[slug] || slug; });
      if (topics.length) meta.appendChild(el("span", "in", "in " + topics.join(", ")));
      item.appendChild(meta);
      var excerpt = el("p", "excerpt");
      excerpt.innerHTML = d.excerpt;  // Pagefind's: our own page's text, escaped, with <mark>
      item.appendChild(excerpt);
      list.appendChild(item);
    });
    s.shown = Math.min(upTo, s.matches.length);
    var more = s.checked < s.candidates.length;
    status.textContent = s.matches.length === 0 && !more ? "No papers found."
      : s.shown + (more ? "+" : "") + " paper" + (s.shown === 1 && !more ? "" : "s") + " found.";
    moreButton.hidden = !(more || s.shown < s.matches.length);
  }

  function params() {
    var p = new URLSearchParams(window.location.search);
    return { q: p.get("q") || "", topic: topicSlug(p.get("topic") || ""), author: p.get("author") || "" };
  }
  // `submitted`: the reader pressed Enter (or came with ?q=): an id query opens the paper;
  // while typing it only says so.
  function go(push, submitted) {
    var p = params();
    if (!push) {
      input.value = p.q;
      if (topicSelect) topicSelect.value = p.topic;
    }
    var key = [p.q, p.topic, p.author].join("\u0000");
    if (!p.q.trim() && !p.author) { list.textContent = ""; status.textContent = ""; moreButton.hidden = true; return; }
    var ref = p.author ? null : arxivId(p.q);
    if (ref) {
      if (submitted) openPaper(ref);
      else { list.textContent = ""; moreButton.hidden = true; status.textContent = "Press Enter to open arXiv:" + ref.id + ref.version + "."; }
      return;
    }
    status.textContent = "Searching…";
    run(p.q, p.topic, p.author, false).then(function (s) {
      if (key !== [params().q, params().topic, params().author].join("\u0000")) return;  // typed on
      state = s;
      render(s, SHOWN);
    });
  }
  function update(submitted) {  // the address follows the form, so back returns to the same results
    var url = new URL(window.location.href);
    var set = function (k, v) { if (v) url.searchParams.set(k, v); else url.searchParams.delete(k); };
    set("q", input.value.trim());
    set("topic", topicSelect ? topicSelect.value : "");
    window.history.replaceState(null, "", url);
    go(true, submitted);
  }

  function start(bundles) {
    import(bundles[0] + "pagefind.js").then(function (module) {
      pagefind = module;
      return pagefind.options({ ranking: RANKING, excerptLength: 40 }).then(function () {
        return Promise.all(bundles.slice(1).map(function (path) {
          return pagefind.mergeIndex(path, { ranking: RANKING, excerptLength: 40 }).catch(function (err) {
            console.warn("search: cannot merge " + path, err);
          });
        }));
      });
    }).then(function () {
      // The quality test runs queries through exactly this code: [urls] best first.
      window.sitegenSearch = function (q, topic) {
        return run(q, topicSlug(topic || ""), "", true).then(function (s) {
          return s.matches.map(function (m) { return m.data.url; });
        });
      };
      box.setAttribute("data-ready", "");
      var timer = null;
      input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { update(false); }, 150); });
      if (topicSelect) topicSelect.addEventListener("change", function () { update(false); });
      form.addEventListener("submit", function (ev) { ev.preventDefault(); clearTimeout(timer); update(true); });
      moreButton.addEventListener("click", function () {
        if (!state) return;
        var s = state;
        check(s, s.shown + SHOWN).then(function () { if (state === s) render(s, s.shown + SHOWN); });
      });
      if (opened) input.value = first.q;  // being opened (or said not to be here) already
      else go(false, true);
      if (!input.value) input.focus();
    }, unavailable);
  }

  // An id in the address (?q=2608.11361, from any page's header box) is opened at once, before
  // the index loads; a search the index cannot serve still opens it.
  var first = params();
  var opened = !first.author && arxivId(first.q);
  if (opened) openPaper(opened);

  // no-cache: revalidate, so a month's new bundle is found as soon as it is published.
  fetch(base + "shards.json", { cache: "no-cache" })
    .then(function (response) {
      if (!response.ok) throw new Error("shards.json: HTTP " + response.status);
      return response.json();
    })
    .then(function (listing) {
      var names = (listing && listing.shards) || [];
      if (!names.length) throw new Error("no search index shards");
      start(names.map(function (name) { return base + name + "/"; }));
    })
    .catch(unavailable);
})();

// sitegen: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "sitegen-theme";
  function stored() { try { return localStorage.getItem(KEY); } catch (e) { return null; } }
  var saved = stored();
  if (saved === "dark" || saved === "light") root.setAttribute("data-theme", saved);

  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    var toggle = document.querySelector("button.theme");
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
    // Day pages: re-order the cards by Hugging Face upvotes (the choice is remembered).
    var sort = document.querySelector(".sort");
    var cards = document.querySelector(".cards");
    if (sort && cards && cards.querySelector("[data-upvotes]")) {
      sort.hidden = false;
      var original = Array.prototype.slice.call(cards.children);
      var select = sort.querySelector("select");
      var votes = function (el) { var v = el.getAttribute("data-upvotes"); return v === null ? -1 : +v; };
      var apply = function () {
        var list = original.slice();
        if (select.value === "upvotes") {  // Array sort is stable: ties keep arXiv order
          list.sort(function (a, b) { return votes(b) - votes(a); });
        }
        list.forEach(function (el) { cards.appendChild(el); });
      };
      var SORT_KEY = "sitegen-day-sort";
      try { if (localStorage.getItem(SORT_KEY) === "upvotes") select.value = "upvotes"; } catch (e) { /* ignore */ }
      select.addEventListener("change", function () {
        try { localStorage.setItem(SORT_KEY, select.value); } catch (e) { /* not remembered */ }
        apply();
      });
      apply();
    }
    // Printing a paper shows its BibTeX even when the <details> is closed.
    var closed = [];
    window.addEventListener("beforeprint", function () {
      closed = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) { return !d.open; });
      closed.forEach(function (d) { d.open = true; });
    });
    window.addEventListener("afterprint", function () { closed.forEach(function (d) { d.open = false; }); closed = []; });
  });
})();

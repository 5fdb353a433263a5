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
        var done = function () { var old = btn.textContent; btn.textContent = "Copied"; setTimeout(function () { btn.textContent = old; }, 1500); };
        if (navigator.clipboard) navigator.clipboard.writeText(text).then(done, function () {});
      });
    });
    var sort = document.querySelector(".sort");
    var cards = document.querySelector(".cards");
    if (sort && cards && cards.querySelector("[data-upvotes]")) {
      sort.hidden = false;
      var original = Array.prototype.slice.call(cards.children);
      sort.querySelector("select").addEventListener("change", function (ev) {
        var list = original.slice();
        if (ev.target.value === "upvotes") {
          list.sort(function (a, b) {
            return (+(b.getAttribute("data-upvotes") || -1)) - (+(a.getAttribute("data-upvotes") || -1));
          });
        }
        list.forEach(function (el) { cards.appendChild(el); });
      });
    }
  });
})();

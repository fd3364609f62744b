/* Site search over window.BUDGET_SEARCH (assets/search-index.js). The index
   already holds each entry's names without spaces and their 초성, so the
   query is only normalised here the same way: NFC (a Mac's NFD input too),
   lower case, no spaces. A query of consonants alone (ㅅㅇㄱㄹㅇ) matches
   initials. Results are plain links, reachable by Tab and arrow keys. */
(function () {
  "use strict";
  var form = document.getElementById("site-search");
  var index = window.BUDGET_SEARCH;
  if (!form || !index) { return; }
  var input = document.getElementById("site-search-input");
  var list = document.getElementById("site-search-results");
  var status = document.getElementById("site-search-status");
  var root = form.getAttribute("data-root") || "";
  var LIMIT = 12;
  form.hidden = false;

  function normalise(text) {
    return text.normalize("NFC").toLowerCase().replace(/[\s\u0021-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u007e·‧・]+/g, "");
  }
  function consonantsOnly(q) { return /^[\u3131-\u314e]+$/.test(q); }

  function score(entry, q) {
    if (consonantsOnly(q)) { return entry.c.indexOf(q) >= 0 ? (entry.c.indexOf(q) === 0 ? 3 : 2) : 0; }
    var at = entry.n.indexOf(q);
    if (at === 0) { return 5; }
    if (at > 0) { return entry.n.charAt(at - 1) === "|" ? 5 : 4; }
    if (q.length >= 2 && entry.x.indexOf(q) >= 0) { return 1; }
    return 0;
  }

  function render(query) {
    var q = normalise(query);
    list.textContent = "";
    if (!q) { status.textContent = ""; list.hidden = true; return; }
    var found = [];
    index.forEach(function (entry, i) {
      var s = score(entry, q);
      if (s) { found.push({ entry: entry, s: s, i: i }); }
    });
    found.sort(function (a, b) { return b.s - a.s || a.i - b.i; });
    found.slice(0, LIMIT).forEach(function (f) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + f.entry.u;
      var kind = document.createElement("span");
      kind.className = "search-kind";
      kind.textContent = f.entry.k;
      a.appendChild(kind);
      a.appendChild(document.createTextNode(" " + f.entry.t));
      li.appendChild(a);
      if (f.entry.d) {
        var detail = document.createElement("small");
        detail.textContent = f.entry.d;
        li.appendChild(detail);
      }
      list.appendChild(li);
    });
    list.hidden = found.length === 0;
    status.textContent = found.length ? "검색 결과 " + found.length + "건" + (found.length > LIMIT ? " 가운데 " + LIMIT + "건" : "")
                                       : "'" + query + "'에 맞는 결과가 없습니다";
  }

  input.addEventListener("input", function () { render(input.value); });
  // Leaving the search (Tab away, a click elsewhere) folds the results away;
  // coming back to the box shows them again.
  form.addEventListener("focusout", function (event) {
    if (!form.contains(event.relatedTarget)) { list.hidden = true; }
  });
  input.addEventListener("focus", function () { if (list.children.length) { list.hidden = false; } });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a");
    if (first) { first.focus(); }
  });
  form.addEventListener("keydown", function (event) {
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    var at = links.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && links.length) {
      event.preventDefault();
      links[Math.min(at + 1, links.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      if (at === 0) { input.focus(); } else { links[at - 1].focus(); }
    } else if (event.key === "Escape") {
      input.value = ""; render(""); input.focus();
    }
  });
})();

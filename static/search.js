/* Site search over window.BUDGET_SEARCH (assets/search-index.js). The index
   already holds each entry's names without spaces and their 초성, so the
   query is only normalised here the same way: NFC (a Mac's NFD input too),
   lower case, no spaces. A query of consonants alone (ㅅㅇㄱㄹㅇ) matches
   initials. Results are plain links, reachable by Tab and arrow keys.
   It forgives (issue 27): the query is also tried as rewritten through the
   alias table (BUDGET_SEARCH_ALIASES, with the notes in assets/search-more.js,
   loaded when the box is first used); its last letter may still be growing
   (서울ㄱ, 서울기로); one wrong letter is tolerated when no name matches; each
   result says which name matched; past the first 12, 「모든 결과」 opens
   search/index.html?q=…, which lists them all. */
(function () {
  "use strict";
  // A search result may link to a note folded in <details> (index.html#bureau-note-…): open it.
  function unfold() {
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }  // #% is no id
    var target = id && document.getElementById(id);
    if (target && target.tagName === "DETAILS") { target.open = true; }
  }
  unfold();
  window.addEventListener("hashchange", unfold);
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
  function escape(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  // Hangul as it is typed: a query's last letter may still be growing.
  var BASE = 0xAC00, CHO = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ";
  var FINALS = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ";
  // A double final splits when a vowel follows (닭 → 달 + ㄱ…): the final it leaves, the initial it lends.
  var SPLIT = { 3: [1, "ㅅ"], 5: [4, "ㅈ"], 6: [4, "ㅎ"], 9: [8, "ㄱ"], 10: [8, "ㅁ"], 11: [8, "ㅂ"], 12: [8, "ㅅ"],
                13: [8, "ㅌ"], 14: [8, "ㅍ"], 15: [8, "ㅎ"], 18: [17, "ㅂ"] };
  var GROWS = { 8: [9, 10, 11], 13: [14, 15, 16], 18: [19] };  // ㅗ → ㅘㅙㅚ, ㅜ → ㅝㅞㅟ, ㅡ → ㅢ
  function hex(code) { return "\\u" + code.toString(16); }
  function span(from, count) { return hex(from) + "-" + hex(from + count - 1); }
  function withInitial(jamo) { return "[" + span(BASE + CHO.indexOf(jamo) * 588, 588) + "]"; }
  // What the last letter may still become: ㄱ any syllable starting with ㄱ (서울ㄱ → 서울기록원);
  // 로 록, 론… (and 롸 …); 록 also 로 and then a syllable starting with ㄱ (the ㄱ of the next one, 서울길 → 서울기록원).
  function growing(ch) {
    var code = ch.charCodeAt(0);
    if (CHO.indexOf(ch) >= 0) { return withInitial(ch); }
    if (code < BASE || code > 0xD7A3) { return escape(ch); }
    var fin = (code - BASE) % 28, open = code - fin, vowel = ((open - BASE) / 28) % 21;
    if (!fin) {
      return "[" + [vowel].concat(GROWS[vowel] || []).map(function (v) { return span(open + (v - vowel) * 28, 28); }).join("") + "]";
    }
    var split = SPLIT[fin] || [0, FINALS.charAt(fin)];
    return "(?:" + ch + "|" + String.fromCharCode(open + split[0]) + withInitial(split[1]) + ")";
  }

  // The query and its rewrites through the alias table (디지탈 → 디지털), as search.py's expand.
  function variants(q) {
    var out = [{ q: q, via: "" }];
    (window.BUDGET_SEARCH_ALIASES || []).forEach(function (a) {
      out.slice().forEach(function (v) {
        var at = v.q.indexOf(a[0]), q2 = at < 0 ? "" : v.q.slice(0, at) + a[1] + v.q.slice(at + a[0].length);
        if (q2 && out.length < 8 && !out.some(function (o) { return o.q === q2; })) {
          out.push({ q: q2, via: (v.via ? v.via + ", " : "") + (a[3] || a[0]) + " → " + (a[2] || a[1]) });
        }
      });
    });
    return out.map(function (v) {
      v.re = new RegExp(escape(v.q.slice(0, -1)) + growing(v.q.slice(-1)));
      return v;
    });
  }

  // Where re matches in names ("title|past|other"): which name, and whether at its start.
  function inNames(names, re) {
    var m = names && re.exec(names);
    if (!m) { return null; }
    return { name: names.slice(0, m.index).split("|").length - 1,
             start: m.index === 0 || names.charAt(m.index - 1) === "|" };
  }

  function entries() { return index.concat(window.BUDGET_SEARCH_SECTIONS || []); }

  // Every match, best first: names (5 from a name's start, 4 inside), text (1), then,
  // only when no name matches, names with one letter wrong (0.5). pending: nothing yet,
  // but the query may be half-typed (a lone jamo last, or the start of an alias): say nothing negative.
  function find(query) {
    var q = normalise(query), found = [], named = false;
    if (!q) { return null; }
    var initials = consonantsOnly(q), all = entries(), tries = initials ? [] : variants(q);
    var initialsRe = new RegExp(escape(q));
    all.forEach(function (e, i) {
      var best = null;
      if (initials) {
        var hit = inNames(e.c, initialsRe);
        if (hit) { best = { s: hit.start ? 3 : 2, name: hit.name, via: "" }; }
      }
      tries.forEach(function (v) {
        var h = inNames(e.n, v.re), s = h ? (h.start ? 5 : 4) : (v.q.length >= 2 && v.re.test(e.x || "") ? 1 : 0);
        if (s && (!best || s > best.s)) { best = { s: s, name: h ? h.name : 0, via: v.via }; }
      });
      if (best) { best.e = best.e || e; best.i = i; found.push(best); named = named || best.s >= 2; }
    });
    var fuzzy = !named && !initials && q.length >= 4;  // three letters right of four, at least
    if (fuzzy) {
      var seen = found.map(function (f) { return f.e; });
      tries.forEach(function (v) {
        var parts = [];
        for (var k = 0; k < v.q.length; k++) { parts.push(escape(v.q.slice(0, k)) + "[^|]" + escape(v.q.slice(k + 1))); }
        var re = new RegExp(parts.join("|"));
        all.forEach(function (e, i) {
          var h = seen.indexOf(e) < 0 && inNames(e.n, re);
          if (h) { seen.push(e); found.push({ s: 0.5, name: h.name, via: v.via, fuzzy: true, e: e, i: i }); }
        });
      });
    }
    found.sort(function (a, b) { return b.s - a.s || a.i - b.i; });
    var pending = !found.length && (/[\u3131-\u318e]$/.test(q) || !window.BUDGET_SEARCH_SECTIONS ||
      (window.BUDGET_SEARCH_ALIASES || []).some(function (a) { return a[0].length > q.length && a[0].indexOf(q) === 0; }));
    return { found: found, pending: pending, fuzzy: found.length > 0 && found.every(function (f) { return f.fuzzy; }) };
  }

  // Which name matched, when it is not the title.
  function matched(f) {
    var names = (f.e.a || "").split("|");
    if (f.name > 0) { return (f.e.o && f.name >= f.e.o ? "다른 이름: " : "예전 이름: ") + names[f.name - 1]; }
    if (f.via) { return "다른 이름: " + f.via; }
    return f.fuzzy ? "비슷한 이름" : "";
  }

  function resultItem(f) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = root + f.e.u;
    var kind = document.createElement("span");
    kind.className = "search-kind";
    kind.textContent = f.e.k;
    a.appendChild(kind);
    a.appendChild(document.createTextNode(" " + f.e.t));
    li.appendChild(a);
    [[matched(f), "search-matched"], [f.e.d || "", ""]].forEach(function (text) {
      if (!text[0]) { return; }
      var small = document.createElement("small");
      small.textContent = text[0];
      if (text[1]) { small.className = text[1]; }
      li.appendChild(small);
    });
    return li;
  }

  function said(result, query, shown) {
    var n = result.found.length;
    if (!n) { return result.pending ? "" : "'" + query + "'에 맞는 결과가 없습니다"; }
    return (result.fuzzy ? "정확히 맞는 이름이 없어 비슷한 이름 " + n + "건" : "검색 결과 " + n + "건") +
           (n > shown ? " 가운데 " + shown + "건" : "");
  }

  // The aliases and the notes, key tasks and review summaries: a script of their own, loaded when first needed.
  var waiting = [];
  function withSections(then) {
    if (window.BUDGET_SEARCH_SECTIONS) { then(); return; }
    waiting.push(then);
    if (waiting.length > 1) { return; }
    var script = document.createElement("script");
    script.src = root + "assets/search-more.js";
    script.addEventListener("load", function () { waiting.splice(0).forEach(function (f) { f(); }); });
    document.head.appendChild(script);
  }

  function render(query) {
    var result = find(query);
    list.textContent = "";
    if (!result) { status.textContent = ""; list.hidden = true; return; }
    result.found.slice(0, LIMIT).forEach(function (f) { list.appendChild(resultItem(f)); });
    if (result.found.length > LIMIT) {
      var li = document.createElement("li"), more = document.createElement("a");
      li.className = "search-more";
      more.href = root + "search/index.html?q=" + encodeURIComponent(query);
      more.textContent = "모든 결과 " + result.found.length + "건 보기";
      li.appendChild(more);
      list.appendChild(li);
    }
    list.hidden = result.found.length === 0;
    status.textContent = said(result, query, LIMIT);
  }

  // The 찾아보기 page, reached by 「모든 결과」 (search/index.html?q=…): every result.
  var everything = document.getElementById("search-all");
  var asked = everything && new URLSearchParams(location.search).get("q");
  if (asked) {
    everything.hidden = false;
    input.value = asked;
    withSections(function () {
      var result = find(asked), all = document.getElementById("search-all-results");
      result.found.forEach(function (f) { all.appendChild(resultItem(f)); });
      document.getElementById("search-all-status").textContent = result.found.length
        ? "'" + asked + "' " + said(result, asked, result.found.length) : "'" + asked + "'에 맞는 결과가 없습니다";
    });
  }

  input.addEventListener("focus", function () { withSections(function () {}); });

  input.addEventListener("input", function () {
    render(input.value);
    if (!window.BUDGET_SEARCH_SECTIONS) { withSections(function () { render(input.value); }); }
  });
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

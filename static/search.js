/* Site search. Nothing of the index loads before the reader comes to the
   box (issue 28): then the map (assets/search-index.js: the parts, the
   aliases), and for each query the part of its first letter
   (assets/search/<key>.js: rows [id, names, 초성, words]) and the records of
   the results shown (assets/search/records-N.js), as inserted <script src>
   elements, which work from file:// where a fetch of a local file does not. search.py says
   how the index is split. Until a part has come, nothing is said: no
   「결과 없음」 for a query still being answered. A page may instead give the
   whole index as window.BUDGET_SEARCH (entries as search.py's entries()),
   with BUDGET_SEARCH_ALIASES and BUDGET_SEARCH_SECTIONS (tests do).
   The index holds each entry's names without spaces and their 초성, so the
   query is only normalised here the same way: NFC (a Mac's NFD input too),
   lower case, no spaces. A query of consonants alone (ㅅㅇㄱㄹㅇ) matches
   initials. Results are plain links, reachable by Tab and arrow keys.
   It forgives (issue 27): the query is also tried as rewritten through the
   alias table; its last letter may still be growing (서울ㄱ, 서울기로); one
   wrong letter is tolerated when no name matches; each result says which
   name matched; past the first 12, 「모든 결과」 opens
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
  if (!form) { return; }
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
    (map.aliases || []).forEach(function (a) {
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

  // The index, as it comes: the map, then parts and record chunks, each once.
  var MAP = "assets/search-index.js", PARTS = "assets/search/";
  var FOLD = { "ㄲ": "ㄱ", "ㄸ": "ㄷ", "ㅃ": "ㅂ", "ㅆ": "ㅅ", "ㅉ": "ㅈ" };
  var given = Array.isArray(window.BUDGET_SEARCH) ? window.BUDGET_SEARCH.concat(window.BUDGET_SEARCH_SECTIONS || []) : null;
  var map = given && { parts: {}, chunk: given.length || 1, aliases: window.BUDGET_SEARCH_ALIASES || [] };
  var givenRows = given && given.map(function (e, i) { return [i, e.n || "", e.c || "", e.x || ""]; });
  var givenRecords = given && given.map(function (e) { return [e.k, e.t, e.u, e.d || "", e.a || "", e.o || 0]; });
  var scripts = {};  // src → "done", or what waits for it
  var busy = 0;      // loads under way; the form says so (data-loading) while there are any

  // The part a query starting with ch is looked up in: search.py's key_of.
  function keyOf(ch) {
    var code = ch.charCodeAt(0);
    if (code >= BASE && code <= 0xD7A3) { ch = CHO.charAt(Math.floor((code - BASE) / 588)); }
    if (CHO.indexOf(ch) >= 0) { return FOLD[ch] || ch; }
    return ch >= "a" && ch <= "z" ? "a" : ch >= "0" && ch <= "9" ? "0" : "?";
  }
  function partFile(key) { return PARTS + map.parts[key] + ".js"; }
  function chunkFile(n) { return PARTS + "records-" + n + ".js"; }
  // A part's rows; none if the site has no such part, or it failed to load.
  function rows(key) {
    if (given) { return givenRows; }
    return (window.BUDGET_SEARCH_PARTS || {})[key] || [];
  }
  function partHere(key) {
    return given || !map.parts[key] || scripts[partFile(key)] === "done";
  }
  function record(i) {
    if (given) { return givenRecords[i]; }
    var chunk = (window.BUDGET_SEARCH_RECORDS || {})[Math.floor(i / map.chunk)];
    return chunk && chunk[i % map.chunk];
  }
  function entry(i) {
    var r = record(i) || [];
    return { k: r[0] || "", t: r[1] || "", u: r[2] || "", d: r[3] || "", a: r[4] || "", o: r[5] || 0 };
  }

  function script(src, then) {
    var waiting = scripts[src];
    if (waiting === "done") { then(); return; }
    if (waiting) { waiting.push(then); return; }
    scripts[src] = [then];
    var element = document.createElement("script");
    function done() {
      var them = scripts[src];
      scripts[src] = "done";  // loaded, or not there: either way not asked for again
      them.forEach(function (f) { f(); });
    }
    element.addEventListener("load", done);
    element.addEventListener("error", done);
    element.src = root + src;
    document.head.appendChild(element);
  }
  function load(files, then) {
    var left = files.length;
    busy += 1;
    form.setAttribute("data-loading", "");
    files.forEach(function (src) {
      script(src, function () {
        left -= 1;
        if (left) { return; }
        if (src === MAP || files.indexOf(MAP) >= 0) {
          map = window.BUDGET_SEARCH_MAP || { parts: {}, chunk: 1, aliases: [] };
        }
        then();
        busy -= 1;
        if (!busy) { form.removeAttribute("data-loading"); }
      });
    });
  }

  // The files a query still needs: the map, then the parts its variants (and
  // a guess with one wrong letter, by its second letter) are looked up in.
  function missing(keys) {
    var out = [];
    keys.forEach(function (k) { if (!partHere(k) && out.indexOf(partFile(k)) < 0) { out.push(partFile(k)); } });
    return out;
  }

  // Every match, best first: names (5 from a name's start, 4 inside), text (1), then,
  // only when no name matches, names with one letter wrong (0.5). pending: nothing yet,
  // but the query may be half-typed (a lone jamo last, or the start of an alias): say nothing negative.
  // needs: the files to load before it can be answered.
  function find(query) {
    var q = normalise(query);
    if (!q) { return null; }
    if (!map) { return { needs: [MAP] }; }
    var initials = consonantsOnly(q), tries = initials ? [{ q: q, via: "", re: new RegExp(escape(q)) }] : variants(q);
    var needs = missing(tries.map(function (v) { return keyOf(v.q.charAt(0)); }));
    if (needs.length) { return { needs: needs }; }
    var best = {}, named = false;
    tries.forEach(function (v) {
      rows(keyOf(v.q.charAt(0))).forEach(function (r) {
        var s = 0, name = 0, h;
        if (initials) {
          h = inNames(r[2], v.re);
          if (h) { s = h.start ? 3 : 2; name = h.name; }
        } else {
          h = inNames(r[1], v.re);
          s = h ? (h.start ? 5 : 4) : (v.q.length >= 2 && r[3] && v.re.test(r[3]) ? 1 : 0);
          name = h ? h.name : 0;
        }
        var b = best[r[0]];
        if (s && (!b || s > b.s)) { best[r[0]] = { s: s, name: name, via: initials ? "" : v.via, i: r[0] }; named = named || s >= 2; }
      });
    });
    var found = Object.keys(best).map(function (i) { return best[i]; });
    var fuzzy = !named && !initials && q.length >= 4;  // three letters right of four, at least
    if (fuzzy) {
      needs = missing(tries.map(function (v) { return keyOf(v.q.charAt(1)); }));
      if (needs.length) { return { needs: needs }; }
      tries.forEach(function (v) {
        var parts = [];
        for (var k = 0; k < v.q.length; k++) { parts.push(escape(v.q.slice(0, k)) + "[^|]" + escape(v.q.slice(k + 1))); }
        var re = new RegExp(parts.join("|")), first = keyOf(v.q.charAt(0)), second = keyOf(v.q.charAt(1));
        // A wrong first letter is any letter: the match is in the part of the second.
        [first].concat(second === first ? [] : [second]).forEach(function (key) {
          rows(key).forEach(function (r) {
            var h = !best[r[0]] && inNames(r[1], re);
            if (h) { best[r[0]] = { s: 0.5, name: h.name, via: v.via, fuzzy: true, i: r[0] }; found.push(best[r[0]]); }
          });
        });
      });
    }
    found.sort(function (a, b) { return b.s - a.s || a.i - b.i; });
    var pending = !found.length && (/[\u3131-\u318e]$/.test(q) ||
      (map.aliases || []).some(function (a) { return a[0].length > q.length && a[0].indexOf(q) === 0; }));
    return { found: found, pending: pending, fuzzy: found.length > 0 && found.every(function (f) { return f.fuzzy; }) };
  }

  // Answer query once what it needs has come: its parts, then the records of
  // the results to show (the first LIMIT, or every one). Loads are asked for
  // at most once each; what never comes counts as empty.
  function answer(query, every, then) {
    var result = find(query);
    var needs = result && result.needs;
    if (result && !needs) {
      needs = [];
      result.found.slice(0, every ? result.found.length : LIMIT).forEach(function (f) {
        var file = chunkFile(Math.floor(f.i / map.chunk));
        if (!given && scripts[file] !== "done" && needs.indexOf(file) < 0) { needs.push(file); }
      });
    }
    if (needs && needs.length) {
      load(needs, function () { answer(query, every, then); });
      then(null, true);
      return;
    }
    if (result) { result.found.forEach(function (f) { f.e = entry(f.i); }); }
    then(result, false);
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

  function render(query) {
    answer(query, false, function (result, waiting) {
      if (query !== input.value) { return; }  // typed on since: that query draws its own
      if (waiting) {
        // Its part is on its way: the last results stay, and nothing negative is said.
        if (/없습니다$/.test(status.textContent)) { status.textContent = ""; }
        return;
      }
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
    });
  }

  // The 찾아보기 page, reached by 「모든 결과」 (search/index.html?q=…): every result.
  var everything = document.getElementById("search-all");
  var asked = everything && new URLSearchParams(location.search).get("q");
  if (asked) {
    everything.hidden = false;
    input.value = asked;
    answer(asked, true, function (result, waiting) {
      if (waiting) { return; }
      var all = document.getElementById("search-all-results"), found = result ? result.found : [];
      found.forEach(function (f) { all.appendChild(resultItem(f)); });
      document.getElementById("search-all-status").textContent = found.length
        ? "'" + asked + "' " + said(result, asked, found.length) : "'" + asked + "'에 맞는 결과가 없습니다";
    });
  }

  // Coming to the box brings the map (a few KB), so the first letter typed waits only for its part.
  input.addEventListener("focus", function () { if (!map) { load([MAP], function () {}); } });
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

/* A table's CSV and JSON, made here from the table on the page when the
   reader asks (also from file://: a Blob and <a download>), byte for byte
   what budgetsite/tables.py (csv_bytes, json_bytes) writes for the same
   table. The page carries what it needs: each amount's exact figure in 천원
   (data-value), each derived number (data-number), a column's name in the
   files (data-label) and the page's path (<meta name="table-page">). The
   words of the other cells are read as tests/table_reader.py reads them.
   Without JavaScript the links lead to files (tables.Table.elsewhere). */
(function () {
  "use strict";
  var UNIT = "천원";
  var NOT_DATA = ["visually-hidden", "rounded", "aside", "badge"];
  // Python's str.split() whitespace, so words() here is words() there.
  var SPACE = /[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
  var meta = document.querySelector('meta[name="table-page"]');
  var pagePath = meta ? meta.getAttribute("content") : "";

  // Rows in the order the page was made: a table the reader sorts
  // (compare.js, which runs after this script) downloads as it was made.
  var made = {};
  Array.prototype.forEach.call(document.querySelectorAll("table[id]"), function (t) {
    made[t.id] = Array.prototype.slice.call(t.rows);
  });

  function words(s) {
    return s.split(SPACE).filter(function (w) { return w; }).join(" ");
  }

  function classes(el) {
    return (el.getAttribute("class") || "").split(SPACE).filter(function (c) { return c; });
  }

  function text(el, out, skipUnit, keepBadges) {
    for (var n = el.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === 3) {
        out.push(n.data);
      } else if (n.nodeType === 1) {
        var cls = classes(n);
        if (n.tagName === "BR") {
          out.push(" ");
        } else if (n.getAttribute("aria-hidden") !== "true" &&
                   (NOT_DATA.every(function (c) { return cls.indexOf(c) < 0; }) || keepBadges && cls[0] === "badge") &&
                   !(skipUnit && cls.indexOf("unit") >= 0)) {
          text(n, out, skipUnit, keepBadges);
        }
      }
    }
    return out;
  }

  function cellText(c) {
    // A badge beside a name is not data; a badge alone is (신규, 종료).
    return words(text(c, []).join("")) || words(text(c, [], false, true).join(""));
  }

  // Values: a string, null, or {int: "digits"} / {float: number}, as Python holds them.
  function parseNumber(s) {
    if (!s) { return null; }
    return /^-?[0-9]+$/.test(s) ? {int: BigInt(s).toString()} : {float: Number(s)};
  }

  function pyFloat(x) {  // repr(float)
    if (x === 0) { return Object.is(x, -0) ? "-0.0" : "0.0"; }
    var a = Math.abs(x);
    if (a < 1e-4 || a >= 1e16) {
      return x.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
    }
    var s = String(x);
    return s.indexOf(".") < 0 ? s + ".0" : s;
  }

  function read(table) {
    var t = {caption: "", columns: [], rows: [], amounts: {}};
    var caption = table.querySelector("caption");
    if (caption) { t.caption = words(text(caption, [], true).join("")); }
    (made[table.id] || table.rows).forEach(function (tr) {
      var head = tr.parentNode.tagName === "THEAD";
      var row = [];
      Array.prototype.forEach.call(tr.children, function (c) {
        if (c.tagName !== "TH" && c.tagName !== "TD") { return; }
        if (head && c.hasAttribute("data-label")) { row.push(c.getAttribute("data-label")); return; }
        if (c.hasAttribute("data-number")) { row.push(parseNumber(c.getAttribute("data-number"))); return; }
        if (!c.hasAttribute("data-value")) { row.push(cellText(c)); return; }
        var v = c.getAttribute("data-value");
        row.push(/^-?[0-9]+$/.test(v) ? parseNumber(v) : null);
        if (!head) { t.amounts[row.length - 1] = true; }
      });
      if (head) { t.columns = row; } else { t.rows.push(row); }
    });
    var seen = {};
    t.headers = t.columns.map(function (name, i) {
      name = t.amounts[i] ? name + " (" + UNIT + ")" : name;
      seen[name] = (seen[name] || 0) + 1;
      return seen[name] === 1 ? name : name + " (" + seen[name] + ")";
    });
    return t;
  }

  function plain(v) {  // as csv.writer writes it
    if (v === null) { return ""; }
    if (typeof v !== "string") { return v.int !== undefined ? v.int : pyFloat(v.float); }
    // A text cell that a spreadsheet would run as a formula is written as text (tables.safe_text).
    return /^[=+@\t\r]/.test(v) || v.length > 1 && v[0] === "-" ? "'" + v : v;
  }

  function csvField(s) {
    return /[,"\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function csvLine(values) {
    // csv.writer quotes a row of one empty field, or it would be a blank line.
    return values.length === 1 && values[0] === "" ? '""\r\n' : values.map(csvField).join(",") + "\r\n";
  }

  function toCsv(t) {
    // The BOM tells Excel the file is UTF-8, so Hangul opens readable.
    return "\ufeff" + csvLine(t.headers) + t.rows.map(function (r) { return csvLine(r.map(plain)); }).join("");
  }

  function json(v) {  // json.dumps(v, ensure_ascii=False)
    if (v === null) { return "null"; }
    if (typeof v === "string") { return JSON.stringify(v); }
    return v.int !== undefined ? v.int : pyFloat(v.float);
  }

  function toJson(t) {
    var amounts = t.headers.filter(function (h, i) { return t.amounts[i]; });
    var head = '{"caption": ' + json(t.caption) + ', "page": ' + json(pagePath) + ', "unit": ' + json(UNIT) +
      ', "amount_columns": [' + amounts.map(json).join(", ") + "]";
    var rows = t.rows.map(function (r) {
      return "{" + t.headers.slice(0, r.length).map(function (h, i) { return json(h) + ": " + json(r[i]); }).join(", ") + "}";
    });
    return head + ', "rows": [\n' + rows.join(",\n") + "\n]}\n";
  }

  function save(body, name, type) {
    var url = URL.createObjectURL(new Blob([body], {type: type}));
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("a[data-format]");
    var holder = link && link.closest("[data-table]");
    var table = holder && document.getElementById(holder.getAttribute("data-table"));
    if (!table || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) { return; }  // the link itself: the files
    e.preventDefault();
    var t = read(table);
    if (link.getAttribute("data-format") === "csv") {
      save(toCsv(t), table.id + ".csv", "text/csv;charset=utf-8");
    } else {
      save(toJson(t), table.id + ".json", "application/json;charset=utf-8");
    }
  });
}());

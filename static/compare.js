/* Year comparison: sortable table columns and the year picker. Without
   JavaScript the table keeps its printed order and the picker's links work. */
(function () {
  "use strict";

  function sortValue(cell, type) {
    if (type === "text") { return cell.textContent.trim() || null; }
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.getAttribute("data-value");
    return raw === null || raw === "" ? null : Number(raw);
  }

  function makeSortable(table) {
    var headers = table.tHead.rows[0].cells;
    var body = table.tBodies[0];
    var original = Array.prototype.slice.call(body.rows);
    Array.prototype.forEach.call(headers, function (th, column) {
      var type = th.getAttribute("data-sort-type");
      if (!type) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () {
        // Amounts sort largest first on the first press; names from 가.
        var current = th.getAttribute("aria-sort");
        var descending = current ? current === "ascending" : type === "number";
        Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        var rows = original.slice().sort(function (r1, r2) {
          var v1 = sortValue(r1.cells[column], type), v2 = sortValue(r2.cells[column], type);
          if (v1 === null && v2 === null) { return original.indexOf(r1) - original.indexOf(r2); }
          if (v1 === null) { return 1; }   // rows without a value stay last either way
          if (v2 === null) { return -1; }
          var order = type === "text" ? v1.localeCompare(v2, "ko") : v1 - v2;
          if (order === 0) { return original.indexOf(r1) - original.indexOf(r2); }
          return descending ? -order : order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), makeSortable);
  Array.prototype.forEach.call(document.querySelectorAll(".sort-help"), function (p) { p.hidden = false; });

  var picker = document.querySelector(".compare-picker");
  // What the chosen pair can compare, as the pair links below the picker say it.
  function describePair() {
    var a = Number(document.getElementById("compare-a").value);
    var b = Number(document.getElementById("compare-b").value);
    var status = picker.querySelector(".compare-status");
    var link = document.querySelector('.compare-pairs a[data-pair="' + Math.min(a, b) + "-" + Math.max(a, b) + '"]');
    if (a === b || !link) { status.textContent = ""; return; }
    status.textContent = "사업 " + link.getAttribute("data-rows") + "개 가운데 " + link.getAttribute("data-compared") +
      "개의 증감을 계산할 수 있습니다." + (link.hasAttribute("data-weak") ? " 견줄 수 있는 사업이 적은 두 해입니다." : "");
    status.classList.toggle("weak", link.hasAttribute("data-weak"));
  }
  if (picker) {
    picker.hidden = false;
    document.getElementById("compare-a").addEventListener("change", describePair);
    document.getElementById("compare-b").addEventListener("change", describePair);
    describePair();
    picker.addEventListener("submit", function (event) {
      event.preventDefault();
      var a = Number(document.getElementById("compare-a").value);
      var b = Number(document.getElementById("compare-b").value);
      var error = picker.querySelector(".compare-error");
      if (a === b) { error.textContent = "서로 다른 두 해를 고르세요."; return; }
      var low = Math.min(a, b), high = Math.max(a, b);
      window.location.href = picker.getAttribute("data-root") + "compare/" + low + "-" + high + "/index.html";
    });
  }
})();

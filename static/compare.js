/* Year comparison: sortable table columns. Without JavaScript the table
   keeps its printed order; the pairs are chosen by plain links. */
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
})();
